"""任务按期完成率 against a hand-counted fixture; records() agrees with count()."""

from datetime import date

from fazhi.ledger import services
from fazhi.ledger.indicators import INDICATORS
from fazhi.ledger.models import ProgressReport
from fazhi.ledger.tests.conftest import TODAY, confirmed, measure

IND = INDICATORS[0]


def _fixture(lg, plan):
    # m1 lead s, due 30 Jun: done 30 Jun (on time). m2 lead b, due 30 Sep: done 10 Oct (late).
    # m3 lead a, due 31 Dec: open. Task of m3 for ad, due 30 Sep (a Wednesday): done 30 Sep (on time).
    # Every report confirmed by its unit's head: only confirmed reports count.
    confirmed(services.report_progress(measure(plan, 1), by=None, unit=lg.s, text="完成", percent=100,
                                       report_date=date(2026, 6, 30), today=TODAY.replace(month=12),
                                       late_reason="补录"))
    confirmed(services.report_progress(measure(plan, 2), by=None, unit=lg.b, text="完成", percent=100,
                                       report_date=date(2026, 10, 10), today=date(2026, 12, 1), late_reason="补录"))
    t = services.add_task(measure(plan, 3), by=None, unit=lg.ad, title="任务", deadline=date(2026, 9, 30))
    return confirmed(services.report_progress(measure(plan, 3), by=None, unit=lg.ad, task=t, text="完成",
                                              percent=100, report_date=date(2026, 9, 30), today=date(2026, 12, 1),
                                              late_reason="补录"))


def test_an_unconfirmed_completion_does_not_count_as_completed(lg, plan):
    """Issue 14: a 100 % report the unit head has not confirmed is not a completion."""
    services.report_progress(measure(plan, 1), by=None, unit=lg.s, text="完成", percent=100,
                             report_date=date(2026, 6, 30), today=date(2026, 6, 30))
    assert IND.count(2026, [lg.s])[lg.s.pk].numerator == 0
    confirmed(ProgressReport.objects.get())
    assert IND.count(2026, [lg.s])[lg.s.pk].numerator == 1


def test_counts_by_hand(lg, plan, django_assert_max_num_queries):
    _fixture(lg, plan)
    units = [lg.gov, lg.s, lg.a, lg.ad, lg.b]
    with django_assert_max_num_queries(2):
        c = IND.count(2026, units)
    assert (c[lg.gov.pk].numerator, c[lg.gov.pk].denominator) == (2, 4)  # m1, task on time of m1,m2,m3,task
    assert (c[lg.s.pk].numerator, c[lg.s.pk].denominator) == (1, 1)
    assert (c[lg.b.pk].numerator, c[lg.b.pk].denominator) == (0, 1)
    assert (c[lg.a.pk].numerator, c[lg.a.pk].denominator) == (1, 2)  # m3 open + task of ad
    assert (c[lg.ad.pk].numerator, c[lg.ad.pk].denominator) == (1, 1)
    assert IND.count(2025, units)[lg.gov.pk].denominator == 0


def test_records_agree_with_count(lg, plan):
    _fixture(lg, plan)
    units = [lg.gov, lg.s, lg.a, lg.ad, lg.b]
    counts = IND.count(2026, units)
    for u in units:
        recs = IND.records(u, 2026)
        assert len(recs) == counts[u.pk].denominator
        assert sum(r.counted for r in recs) == counts[u.pk].numerator
    late = next(r for r in IND.records(lg.b, 2026))
    assert not late.counted and "超过期限" in late.note and late.url.startswith("/ledger/measures/")


def test_query_count_does_not_grow_with_units(lg, plan, django_assert_max_num_queries):
    from fazhi.org.tests.factories import UnitFactory

    more = [UnitFactory(parent=lg.gov) for _ in range(20)]
    with django_assert_max_num_queries(2):
        IND.count(2026, [lg.gov, *more])


def test_draft_plans_do_not_count(lg):
    from fazhi.ledger import parser
    from fazhi.ledger.tests.conftest import PLAN_TEXT

    services.import_plan(parser.parse_plan(PLAN_TEXT), unit=lg.gov, by=None, source_sha256="f" * 64)
    assert IND.count(2026, [lg.gov])[lg.gov.pk].denominator == 0
