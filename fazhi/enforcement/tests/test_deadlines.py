"""Deadlines through workdays (ENF-07/08/09/14/19) and the surcharge (ENF-14)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from fazhi.core.errors import TransitionRefused
from fazhi.enforcement import rules, services
from fazhi.enforcement.tests.factories import make_case


def test_service_due_across_national_day(db):
    # Decided Tue 2026-09-29: 30 Sep (1), 1–7 Oct off, 8 (2), 9 (3), Sat 10 make-up (4), 12 (5), 13 (6), 14 (7).
    assert rules.service_due(date(2026, 9, 29)).due == date(2026, 10, 14)
    assert rules.publication_due(date(2026, 9, 29)).due == date(2026, 10, 14)
    assert rules.publication_due(date(2026, 9, 29), penalty=False).rule_text == "ENF-19 20个工作日"


def test_statement_and_payment_and_decision_due(db):
    assert rules.statement_due(date(2026, 3, 2)).due == date(2026, 3, 9)
    assert rules.payment_due(date(2026, 3, 2)).due == date(2026, 3, 17)  # a Tuesday: no roll-over
    assert rules.decision_due(date(2026, 3, 2)).due == date(2026, 5, 31)


def test_surcharge_is_capped_at_the_fine():
    due = date(2026, 3, 17)
    assert rules.surcharge(Decimal("1000"), due, due) == Decimal("0.00")
    assert rules.surcharge(Decimal("1000"), due, due + timedelta(days=1)) == Decimal("30.00")
    assert rules.surcharge(Decimal("1000"), due, due + timedelta(days=10)) == Decimal("300.00")
    assert rules.surcharge(Decimal("1000"), due, due + timedelta(days=34)) == Decimal("1000.00")
    assert rules.surcharge(Decimal("1000"), due, due + timedelta(days=400)) == Decimal("1000.00")


def test_decision_after_90_days_refused_then_allowed_with_extension(enf, actions):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2])
    late = case.decision_due + timedelta(days=1)
    with pytest.raises(TransitionRefused) as e:
        services.decide(case, by=None, today=late, penalty_kinds="罚款", fine_amount="100", reasons="理由")
    assert e.value.rule == "ENF-08"
    case.refresh_from_db()
    assert case.status == "notified" and not case.decision_no
    services.extend_deadline(case, by=enf.head_a, today=late - timedelta(days=5), days=30, reason="案情需鉴定",
                             basis="《农业行政处罚程序规定》第六十四条")
    services.decide(case, by=None, today=late, penalty_kinds="罚款", fine_amount="100", reasons="理由")
    case.refresh_from_db()
    assert case.status == "decided" and "enforcement.case.deadline_extended" in actions()


def test_served_case_gets_payment_due_and_surcharge_default(enf):
    case = make_case("served", unit=enf.a, officers=[enf.o1, enf.o2], fine="100.00")
    assert case.payment_due == case.served_on + timedelta(days=15)
    paid = case.payment_due + timedelta(days=2)
    pay = services.record_payment(case, by=None, today=paid, paid_on=paid, amount="100", bank_receipt_no="R1")
    assert pay.surcharge == Decimal("6.00")
    services.complete_execution(case, by=None, today=case.payment_due + timedelta(days=2))


# ------------------------------------------------- ENF-14 on the unpaid part (issue 12)

def test_surcharge_runs_on_the_unpaid_part_only():
    due = date(2026, 3, 17)
    # 600 of 1000 paid in time: 3% a day of the 400 still unpaid, for 10 days.
    assert rules.surcharge(Decimal("1000"), due, due + timedelta(days=10), [(due, Decimal("600"))]) == Decimal(
        "120.00")
    # 400 paid late on day 5, the rest on day 10: 5 days on 1000, 5 more on 600.
    payments = [(due + timedelta(days=5), Decimal("400")), (due + timedelta(days=10), Decimal("600"))]
    assert rules.surcharge(Decimal("1000"), due, due + timedelta(days=10), payments) == Decimal("240.00")
    # The cap is the part unpaid when the period ended, not the whole fine.
    assert rules.surcharge(Decimal("1000"), due, due + timedelta(days=400), [(due, Decimal("900"))]) == Decimal(
        "100.00")
    # Paid in full in time: nothing, however late the date asked about.
    assert rules.surcharge(Decimal("1000"), due, due + timedelta(days=30), [(due, Decimal("1000"))]) == 0


def test_a_partial_payment_in_time_lowers_the_surcharge_recorded(enf):
    case = make_case("served", unit=enf.a, officers=[enf.o1, enf.o2], fine="1000.00")
    services.record_payment(case, by=None, today=case.payment_due, paid_on=case.payment_due, amount="600",
                            bank_receipt_no="P1")
    late = case.payment_due + timedelta(days=10)
    pay = services.record_payment(case, by=None, today=late, paid_on=late, amount="400", bank_receipt_no="P2")
    assert pay.surcharge == Decimal("120.00")  # 3% × 400 × 10 (main charged 3% × 1000 × 10 = 300)
    case.refresh_from_db()
    assert services.paid_in_full(case)


@pytest.mark.parametrize("served, due", [
    (date(2026, 3, 6), date(2026, 3, 23)),    # day 15 is Sat 21 March: to Monday
    (date(2026, 9, 16), date(2026, 10, 8)),   # day 15 is 1 October (国庆): to the first working day after
    (date(2026, 9, 25), date(2026, 10, 10)),  # day 15 is Sat 10 October, a 调休 working day: stays
    (date(2026, 3, 2), date(2026, 3, 17)),    # a Tuesday: stays
])
def test_the_payment_period_rolls_over_a_day_off(db, served, due):
    assert rules.payment_due(served).due == due


def test_a_day_made_off_moves_a_stored_payment_deadline_that_rolls_over(enf):
    """ENF-14 with roll-over depends on the holiday table: a corrected day
    (CAL-07) that falls on the stored last day moves it, audited (issue 12 §2)."""
    from fazhi.audit.models import AuditEntry
    from fazhi.workdays.services import correct_day

    case = make_case("served", unit=enf.a, officers=[enf.o1, enf.o2], fine="100.00")
    old = case.payment_due
    assert "顺延" in case.payment_rule and old.weekday() < 5
    correct_day(old, kind="off", festival="地方民族节日", reason="县政府通知（测试）", by=None,
                today=old - timedelta(days=3))
    case.refresh_from_db()
    assert case.payment_due > old and case.payment_due.weekday() < 5
    entry = AuditEntry.objects.filter(action="workdays.deadline.recomputed", object_id=str(case.pk)).last()
    assert entry is not None and entry.data["kind"] == "enforcement.payment"
    assert entry.data["old_due"] == old.isoformat()


def test_the_roll_over_is_a_setting(db, settings):
    settings.FAZHI_ENFORCEMENT = {"payment_roll_over": 0}
    assert rules.payment_due(date(2026, 3, 6)).due == date(2026, 3, 21)
