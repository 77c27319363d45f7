"""The selectors other modules call: year_summary, overdue_measures, measures_for_report."""

from datetime import date

from fazhi.ledger import selectors, services
from fazhi.ledger.tests.conftest import confirmed, measure


def _progress(lg, plan):
    confirmed(services.report_progress(measure(plan, 1), by=None, unit=lg.s, text="完成", percent=100,
                                       report_date=date(2026, 6, 29), today=date(2026, 7, 1)))
    confirmed(services.report_progress(measure(plan, 3), by=None, unit=lg.a, text="过半", percent=60,
                                       report_date=date(2026, 7, 1), today=date(2026, 7, 1)))
    services.create_supervision(measure(plan, 2), by=None, unit=lg.b, kind="urge", reason="督办",
                                issued_on=date(2026, 10, 9), today=date(2026, 10, 9))


def test_year_summary_for_the_district(lg, plan):
    _progress(lg, plan)
    s = selectors.year_summary(lg.gov, 2026, date(2026, 10, 12))
    assert (s["total"], s["completed"], s["completed_on_time"], s["overdue"], s["in_progress"],
            s["not_started"]) == (3, 1, 1, 1, 1, 0)
    assert s["supervision"]["督办"] == 1 and s["supervision"]["open"] == 1


def test_year_summary_for_a_unit_counts_its_lead_measures(lg, plan):
    _progress(lg, plan)
    s = selectors.year_summary(lg.a, 2026, date(2026, 10, 12))
    assert (s["total"], s["in_progress"]) == (1, 1)
    assert selectors.year_summary(lg.a, 2025, date(2026, 10, 12))["total"] == 0


def test_overdue_measures_with_working_days(lg, plan):
    _progress(lg, plan)
    items = selectors.overdue_measures(lg.gov, date(2026, 10, 12))
    # m2 due Wed 30 Sep; 1–7 Oct off; 8, 9, 10 (make-up Sat), 12 Oct = 4 working days
    assert [(i.number, i.unit, i.workdays_overdue) for i in items] == [("2", "示范区市场监督管理局", 4)]
    assert selectors.overdue_measures(lg.a, date(2026, 10, 12)) == []


def test_measures_for_report(lg, plan):
    _progress(lg, plan)
    rows = selectors.measures_for_report(lg.gov, 2026)
    assert [(r.number, r.status) for r in rows] == [(1, "已完成"), (2, "逾期"), (3, "推进中")]
    assert rows[2].latest_progress == "过半" and rows[0].area == "依法全面履行政府职能"
    rows = selectors.measures_for_report(lg.gov, 2026, today=date(2026, 7, 15))
    assert [r.status for r in rows] == ["已完成", "未开始", "推进中"]


def test_status_expression_agrees_with_the_pure_rule(lg, plan):
    from fazhi.ledger import status as st

    _progress(lg, plan)
    today = date(2026, 10, 12)
    for m in plan.measures.annotate(state=selectors.status_expr(today)):
        rows = [(r.report_date, r.percent) for r in m.reports.filter(status="confirmed")]
        assert m.state == st.status(due=m.due_on, today=today, reports=rows).status


def test_unconfirmed_reports_count_nowhere_in_the_reports_for_others(lg, plan):
    """Issue 14: the annual report and the summaries read only confirmed progress."""
    _progress(lg, plan)
    services.report_progress(measure(plan, 3), by=None, unit=lg.a, text="已完成待确认", percent=100,
                             report_date=date(2026, 7, 2), today=date(2026, 7, 2))
    rows = selectors.measures_for_report(lg.gov, 2026)
    assert (rows[2].status, rows[2].latest_progress, rows[2].latest_percent) == ("推进中", "过半", 60)
    s = selectors.year_summary(lg.a, 2026, date(2026, 10, 12))
    assert (s["completed"], s["in_progress"]) == (0, 1)
