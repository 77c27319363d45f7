"""Stored deadlines follow the calendar (issue 12 §2): importing a year's
notice recomputes, through ``fazhi.workdays.deadlines``, every deadline the
modules stored with that year's estimate, moves the ones still running,
flags the ones already passed, audits each, and shows them on the dashboard.

The 2027 notice here is hypothetical (``notices/2027-hypothetical.txt``):
春节 5–12 February 2027 off, Saturday 20 February a make-up working day.
Every expected date is checked against ``nth_workday`` below, a count over
explicit day sets that does not use ``fazhi.workdays.calendar``.
"""

from datetime import date

import pytest

from fazhi.audit.models import AuditEntry
from fazhi.workdays import deadlines
from fazhi.workdays.models import CalendarChange, CalendarYear, DeadlineChange
from fazhi.workdays.services import import_notice
from fazhi.workdays.tests.conftest import (
    ESTIMATE_OFF,
    NOTICE_OFF,
    NOTICE_WORK,
    d,
    first_workday_from,
    nth_workday,
)

# (record, due field, provisional field, start, n working days) — or roll-over for the ledger.
WORKDAY_DEADLINES = [
    ("review", "due", "due_provisional", date(2027, 1, 29), 15),
    ("doc", "publication_due", "publication_provisional", date(2027, 2, 5), 20),
    ("case", "filing_due", "filing_provisional", date(2027, 1, 28), 15),
    ("case", "statement_due", "statement_provisional", date(2027, 1, 29), 5),
    ("inspection", "publish_due", "publish_due_provisional", date(2027, 1, 25), 20),
    ("md_review", "due", "due_provisional", date(2027, 2, 3), 7),
]


def _import(text, today, by=None):
    return import_notice(text, by=by, confirm=True, today=today)


def _fresh(records):
    for obj in records.values():
        obj.refresh_from_db()
    return records


def test_the_modules_stored_provisional_estimates_before_the_notice(records):
    for name, due_field, prov_field, start, n in WORKDAY_DEADLINES:
        obj = records[name]
        assert getattr(obj, due_field) == nth_workday(start, n, ESTIMATE_OFF), (name, due_field)
        assert getattr(obj, prov_field) is True, (name, prov_field)
    assert records["measure"].due_on == date(2027, 2, 8)
    assert records["measure"].due_provisional is True


def test_importing_the_notice_moves_deadlines_of_five_modules_to_the_right_day(records, notice_2027):
    result = _import(notice_2027, today=date(2027, 1, 30))

    _fresh(records)
    for name, due_field, _prov_field, start, n in WORKDAY_DEADLINES:
        obj = records[name]
        expected = nth_workday(start, n, NOTICE_OFF, NOTICE_WORK)
        assert expected != nth_workday(start, n, ESTIMATE_OFF), "each case straddles 春节 2027"
        assert getattr(obj, due_field) == expected, (name, due_field)
    # The same, written out: 15 WD after Fri 29 Jan skip 5–12 Feb and count Sat 20 Feb.
    assert records["review"].due == date(2027, 2, 26)
    assert records["doc"].publication_due == date(2027, 3, 11)
    assert records["case"].statement_due == date(2027, 2, 15)
    assert records["inspection"].publish_due == date(2027, 3, 1)
    assert records["md_review"].due == date(2027, 2, 20)  # the make-up Saturday counts
    # The ledger deadline, Monday 8 February, is now a day off: due on the next working day.
    assert records["measure"].due_on == first_workday_from(date(2027, 2, 8), NOTICE_OFF, NOTICE_WORK) == date(2027, 2, 15)
    assert result.recomputed.moved == 7
    assert result.recomputed.flagged == 0


def test_nothing_computed_with_the_estimate_stays_provisional(records, notice_2027):
    _import(notice_2027, today=date(2027, 1, 30))

    _fresh(records)
    for name, _, prov_field, _, _ in WORKDAY_DEADLINES:
        assert getattr(records[name], prov_field) is False, (name, prov_field)
    assert records["measure"].due_provisional is False


def test_a_deadline_that_keeps_its_date_only_loses_the_provisional_flag(records, notice_2027):
    """A consultation of 7 WD from 2026-12-28 ends 2027-01-07 under both the
    estimate and the notice (1–3 January are a weekend plus 元旦 either way)."""
    from fazhi.normative_docs import rules
    from fazhi.normative_docs.models import Consultation

    c = records["doc"].consultations.get()
    minimum = rules.comment_min_end(date(2026, 12, 28), touches_market=False)
    Consultation.objects.filter(pk=c.pk).update(start_on=date(2026, 12, 28), min_end_on=minimum.due,
                                                min_provisional=minimum.provisional, min_rule=minimum.rule_text)
    assert minimum.provisional and minimum.due == nth_workday(date(2026, 12, 28), 7, ESTIMATE_OFF)

    result = _import(notice_2027, today=date(2027, 1, 30))

    c.refresh_from_db()
    assert c.min_end_on == minimum.due == nth_workday(date(2026, 12, 28), 7, NOTICE_OFF, NOTICE_WORK)
    assert c.min_provisional is False
    assert result.recomputed.confirmed >= 1
    assert AuditEntry.objects.filter(action="workdays.deadline.confirmed", object_type="consultations.consultation",
                                     object_id=str(c.pk)).exists()


def test_a_deadline_that_had_passed_is_flagged_not_moved(records, notice_2027):
    """Imported late, on 2027-02-10: the statement period (estimate: Fri
    5 Feb) and the ledger measure (Mon 8 Feb) have run out; their stored
    dates stay, and a person is asked. The others are still running and move."""
    result = _import(notice_2027, today=date(2027, 2, 10))

    case, measure = _fresh(records)["case"], records["measure"]
    assert case.statement_due == date(2027, 2, 5)
    assert measure.due_on == date(2027, 2, 8)
    flags = DeadlineChange.objects.filter(state="flagged").order_by("kind")
    assert [(f.kind, f.object_id, f.old_due, f.new_due) for f in flags] == [
        ("enforcement.statement", case.pk, date(2027, 2, 5), date(2027, 2, 15)),
        ("ledger.measure", measure.pk, date(2027, 2, 8), date(2027, 2, 15)),
    ]
    assert flags[0].unit_id == case.unit_id
    assert flags[1].unit_id == measure.lead_unit_id
    assert result.recomputed.flagged == 2
    # Still running on 10 February: moved.
    assert case.filing_due == date(2027, 2, 25)
    assert records["review"].due == date(2027, 2, 26)
    assert result.recomputed.moved == 5


def test_every_recomputation_is_audited_with_the_old_and_new_date(records, notice_2027):
    result = _import(notice_2027, today=date(2027, 1, 30))

    review = records["review"]
    entry = AuditEntry.objects.get(action="workdays.deadline.recomputed", object_type="normative_docs.legalreview",
                                   object_id=str(review.pk))
    assert entry.data["old_due"] == "2027-02-19"
    assert entry.data["new_due"] == "2027-02-26"
    assert entry.data["old_provisional"] is True and entry.data["new_provisional"] is False
    assert entry.data["cause"] == "2027年放假安排调整"
    assert entry.unit_id == records["doc"].unit_id
    assert AuditEntry.objects.filter(action="workdays.deadline.recomputed").count() == result.recomputed.moved == 7
    batch = AuditEntry.objects.get(action="workdays.deadlines.recomputed")
    assert batch.data["moved"] == 7 and batch.data["flagged"] == 0
    assert batch.data["by_kind"]["enforcement.filing"] == {"moved": 1, "confirmed": 0, "flagged": 0}
    # The import, the recomputation and the batch entry are one chain of consecutive entries.
    imported = AuditEntry.objects.get(action="workdays.calendar.imported")
    assert imported.seq < entry.seq < batch.seq


def test_the_flag_is_audited_on_the_record_itself(records, notice_2027):
    _import(notice_2027, today=date(2027, 2, 10))

    case = records["case"]
    entry = AuditEntry.objects.get(action="workdays.deadline.flagged", object_type="enforcement.penaltycase",
                                   object_id=str(case.pk))
    assert entry.data["field"] == "statement_due"
    assert (entry.data["old_due"], entry.data["new_due"]) == ("2027-02-05", "2027-02-15")


def test_a_failed_recomputation_rolls_back_the_import(records, notice_2027, monkeypatch):
    """One transaction: the calendar does not change if the deadlines cannot follow it."""

    def boom(*args, **kwargs):
        raise RuntimeError("recompute failed")

    monkeypatch.setattr(deadlines, "_write", boom)
    with pytest.raises(RuntimeError):
        _import(notice_2027, today=date(2027, 1, 30))
    assert not CalendarYear.objects.filter(year=2027, confirmed=True).exists()
    records["review"].refresh_from_db()
    assert records["review"].due_provisional is True
    assert not DeadlineChange.objects.exists()


def test_importing_the_same_notice_twice_moves_nothing(records, notice_2027):
    _import(notice_2027, today=date(2027, 1, 30))
    after_first = {n: (getattr(_fresh(records)[n], f)) for n, f, *_ in WORKDAY_DEADLINES}
    audited = AuditEntry.objects.filter(action__startswith="workdays.deadline").count()

    second = _import(notice_2027, today=date(2027, 1, 30))

    assert second.recomputed.moved == second.recomputed.flagged == second.recomputed.confirmed == 0
    assert second.recomputed.change is None
    assert {n: getattr(_fresh(records)[n], f) for n, f, *_ in WORKDAY_DEADLINES} == after_first
    assert AuditEntry.objects.filter(action__startswith="workdays.deadline").count() == audited
    assert CalendarChange.objects.count() == 1


def test_a_date_set_another_way_is_not_overwritten(records, notice_2027):
    """A confirmed stored date that its rule does not give (set by hand, an
    extension) belongs to its module: the mechanism never overwrites it."""
    from fazhi.enforcement.models import PenaltyCase

    case = records["case"]
    PenaltyCase.objects.filter(pk=case.pk).update(filing_due=date(2027, 2, 19), filing_provisional=False)

    result = _import(notice_2027, today=date(2027, 1, 30))

    case.refresh_from_db()
    assert case.filing_due == date(2027, 2, 19)
    assert result.recomputed.skipped == 1


def test_every_registered_kind_recomputes_what_its_module_stored(records):
    """The registry's functions give the date the module's own service gave,
    with the same calendar — so a calendar change moves only what the change moves."""
    from fazhi.workdays.calendar import Calendar

    cal = Calendar()
    seen = set()
    for k in deadlines.kinds():
        model = k.model_class()
        for obj in model._default_manager.filter(**{f"{k.start}__isnull": False, f"{k.due}__isnull": False}):
            r = deadlines._result_of(k, obj, cal)
            assert r is not None and r.due == getattr(obj, k.due), (k.key, obj.pk)
            assert r.provisional == k.provisional_of(obj), (k.key, obj.pk)
            seen.add(k.key)
    assert {"normative_docs.legal_review", "normative_docs.publication", "enforcement.filing",
            "enforcement.statement", "inspections.publish", "major_decisions.legal_review",
            "ledger.measure"} <= seen


def test_from_rule_reads_the_period_the_deadline_was_computed_with(db):
    from fazhi.workdays.calendar import Calendar

    cal = Calendar()
    assert deadlines.from_rule(d("2025-09-25"), "NDOC-20 20个工作日", cal).due == d("2025-10-29")
    assert deadlines.from_rule(d("2025-09-10"), "ENF-14 21日", cal).due == d("2025-10-01")
    rolled = deadlines.from_rule(d("2025-09-10"), "REC-01 21个自然日（末日遇节假日顺延）", cal)
    assert rolled.due == d("2025-10-09")
    assert deadlines.from_rule(d("2025-09-10"), "", cal) is None
