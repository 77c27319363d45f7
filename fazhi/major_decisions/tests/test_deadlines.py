"""Deadlines through fazhi.workdays (MDEC-04 30 calendar days, MDEC-09 7 working days)."""

from datetime import date as D

import pytest

from fazhi.core.errors import ValidationError
from fazhi.major_decisions import rules, services
from fazhi.major_decisions.models import Consultation, Status
from fazhi.major_decisions.tests.conftest import drive
from fazhi.workdays.calendar import add_calendar_days, add_workdays


def test_consultation_minimum_is_30_calendar_days(db):
    due = rules.consultation_min_end(D(2026, 3, 1))
    assert due.due == add_calendar_days(D(2026, 3, 1), 30).due == D(2026, 3, 31)
    assert due.rule_text.startswith("MDEC-04 30个")


def test_legal_review_window_through_workdays(db):
    # Spring Festival 2026: the window stretches over the holiday.
    start = D(2026, 2, 13)
    due = rules.legal_review_due(start)
    assert due.due == add_workdays(start, 7).due
    assert due.due > D(2026, 2, 24)
    assert due.rule_text.startswith("MDEC-09 7个工作日")


def test_short_consultation_refused_without_reason(md, actions):
    d = drive(md, Status.DRAFTING)
    before = actions()
    with pytest.raises(ValidationError) as e:
        services.start_consultation(d, by=md.u.clerk_a, start_on=D(2026, 4, 15), end_on=D(2026, 5, 1), today=D(2026, 4, 15))
    assert e.value.rule == "MDEC-04" and "2026年05月15日" in e.value.message
    d.refresh_from_db()
    assert d.status == Status.DRAFTING and not Consultation.objects.exists() and actions() == before


def test_short_consultation_with_exception(md):
    d = drive(md, Status.DRAFTING)
    c = services.start_consultation(d, by=md.u.clerk_a, start_on=D(2026, 4, 15), end_on=D(2026, 4, 25),
                                    exception_reason="汛期前须出台，时间紧迫", today=D(2026, 4, 15))
    assert c.exception_reason and c.min_end_on == D(2026, 5, 15) and c.min_rule.startswith("MDEC-04")


def test_full_consultation_keeps_no_exception(md):
    d = drive(md, Status.DRAFTING)
    c = services.start_consultation(d, by=md.u.clerk_a, start_on=D(2026, 4, 15), end_on=D(2026, 5, 15),
                                    exception_reason="不需要", today=D(2026, 4, 15))
    assert c.exception_reason == ""


def test_setting_override(db, settings):
    settings.FAZHI_DECISIONS = {"consultation_days": 45}
    assert rules.consultation_min_end(D(2026, 3, 1)).due == D(2026, 4, 15)
