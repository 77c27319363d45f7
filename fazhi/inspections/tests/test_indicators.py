"""Indicators: count() matches records(), sub-units roll up, fixed queries."""

from datetime import date, datetime

from django.utils import timezone

from fazhi.inspections.indicators import INDICATORS, published_on_time_count, published_on_time_records
from fazhi.inspections.tests.factories import InspectionFactory
from fazhi.org.tests.factories import UnitFactory

BY_CODE = {i.code: i for i in INDICATORS}


def test_random_share_counts_and_records_agree(ins, django_assert_max_num_queries):
    sub = UnitFactory(parent=ins.a, name="执法大队")
    InspectionFactory(unit=ins.a, recorded=True)
    InspectionFactory(unit=sub, recorded=True)
    InspectionFactory(unit=ins.a, recorded=True, non_random=True)
    InspectionFactory(unit=ins.a)  # pending: not carried out yet
    InspectionFactory(unit=ins.b, recorded=True, inspected_on=date(2025, 12, 30))  # other year
    ind = BY_CODE["INS_RANDOM_SHARE"]
    with django_assert_max_num_queries(1):
        counts = ind.count(2026, [ins.gov, ins.a, sub, ins.b])
    assert (counts[ins.a.pk].numerator, counts[ins.a.pk].denominator) == (2, 3)
    assert (counts[sub.pk].numerator, counts[sub.pk].denominator) == (1, 1)
    assert counts[ins.b.pk].denominator == 0 and counts[ins.gov.pk].denominator == 3
    for unit in (ins.gov, ins.a, sub, ins.b):
        recs = ind.records(unit, 2026)
        assert len(recs) == counts[unit.pk].denominator
        assert sum(r.counted for r in recs) == counts[unit.pk].numerator


def test_published_on_time_counts_and_records_agree(ins):
    tz = timezone.get_default_timezone()
    InspectionFactory(unit=ins.a, published=True, publish_due=date(2026, 3, 30),
                      published_at=datetime(2026, 3, 30, 23, 0, tzinfo=tz))  # on time (local date)
    InspectionFactory(unit=ins.a, published=True, publish_due=date(2026, 3, 30),
                      published_at=datetime(2026, 3, 31, 0, 30, tzinfo=tz))  # late
    InspectionFactory(unit=ins.a, recorded=True, publish_due=date(2026, 3, 30))  # overdue
    InspectionFactory(unit=ins.a, recorded=True, publish_due=date(2026, 12, 30))  # not due yet
    today = date(2026, 6, 1)
    counts = published_on_time_count(2026, [ins.a], today=today)
    assert (counts[ins.a.pk].numerator, counts[ins.a.pk].denominator) == (1, 3)
    recs = published_on_time_records(ins.a, 2026, today=today)
    assert len(recs) == 3 and sum(r.counted for r in recs) == 1
    assert any("逾期未公示" in r.note for r in recs)
