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
    assert rules.payment_due(date(2026, 3, 2)).due == date(2026, 3, 17)
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
        services.decide(case, by=None, today=late, penalty_kinds="罚款", fine_amount="100")
    assert e.value.rule == "ENF-08"
    case.refresh_from_db()
    assert case.status == "notified" and not case.decision_no
    services.extend_deadline(case, by=enf.head_a, today=late - timedelta(days=5), days=30, reason="案情需鉴定",
                             basis="《农业行政处罚程序规定》第六十四条")
    services.decide(case, by=None, today=late, penalty_kinds="罚款", fine_amount="100")
    case.refresh_from_db()
    assert case.status == "decided" and "enforcement.case.deadline_extended" in actions()


def test_served_case_gets_payment_due_and_surcharge_default(enf):
    case = make_case("served", unit=enf.a, officers=[enf.o1, enf.o2], fine="100.00")
    assert case.payment_due == case.served_on + timedelta(days=15)
    pay = services.record_payment(case, by=None, paid_on=case.payment_due + timedelta(days=2), amount="100",
                                  bank_receipt_no="R1")
    assert pay.surcharge == Decimal("6.00")
    services.complete_execution(case, by=None, today=case.payment_due + timedelta(days=2))
