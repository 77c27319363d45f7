"""Deadlines around holidays, verified by hand against the 2026 arrangement
(CAL-06: off 15–23 Feb, 25–27 Sep, 1–7 Oct; worked Sat 14 Feb, Sat 28 Feb,
Sun 20 Sep, Sat 10 Oct)."""

from datetime import date

import pytest

from fazhi.normative_docs import rules, services
from fazhi.normative_docs.tests.factories import make_doc


def test_legal_review_accepted_before_national_day(db):
    # 2026-09-24 (Thu): 25–27 off, 28/29/30 = 1–3, 1–7 Oct off, 8/9 = 4–5,
    # Sat 10 Oct (make-up) = 6, 12–16 = 7–11, 19–22 = 12–15 -> Thu 2026-10-22.
    due = rules.legal_review_due(date(2026, 9, 24))
    assert due.due == date(2026, 10, 22)
    assert not due.provisional
    assert due.rule_text == "NDOC-08 15个工作日"


def test_comment_period_of_7_working_days_across_spring_festival(db):
    # 2026-02-12 (Thu): 13 = 1, Sat 14 (make-up) = 2, 15–23 off, 24–27 = 3–6, Sat 28 (make-up) = 7.
    due = rules.comment_min_end(date(2026, 2, 12), touches_market=False)
    assert due.due == date(2026, 2, 28)
    assert "NDOC-05" in due.rule_text


def test_market_comment_period_is_30_calendar_days(db):
    assert rules.comment_min_end(date(2026, 2, 12), touches_market=True).due == date(2026, 3, 14)


def test_filing_due_15_calendar_days_even_in_a_holiday(db):
    # Calendar days, no roll-over: 2026-09-20 + 15 = 2026-10-05, inside National Day.
    due = rules.filing_due(date(2026, 9, 20))
    assert due.due == date(2026, 10, 5)
    assert due.rule_text == "NDOC-12 15个自然日"


def test_a_deadline_running_into_2027_is_provisional(nd):
    doc = make_doc("consulted", unit=nd.a)
    review = services.submit_legal_review(doc, by=nd.clerk_a, today=date(2026, 12, 20))
    assert review.due == date(2027, 1, 11)
    assert review.due_provisional


def test_local_settings_change_the_filing_deadline(db, settings):
    settings.FAZHI_NORMDOCS = {"filing_days": 30}
    due = rules.filing_due(date(2026, 9, 20))
    assert due.due == date(2026, 10, 20) and due.rule_text == "NDOC-12 30个自然日"


def test_a_bad_setting_fails_loudly(db, settings):
    settings.FAZHI_NORMDOCS = {"filing_days": "15"}
    with pytest.raises(ValueError):
        rules.filing_due(date(2026, 9, 20))


def test_validity_ends_the_day_before_the_anniversary():
    assert rules.valid_until(date(2026, 3, 1), trial=False)[0] == date(2031, 2, 28)
    assert rules.valid_until(date(2028, 2, 29), trial=True)[0] == date(2030, 2, 27)


def test_evaluation_window_starts_six_months_before_expiry():
    assert rules.evaluation_starts(date(2031, 8, 31)) == date(2031, 2, 28)


def test_trial_titles():
    assert rules.is_trial_title("农业补贴暂行办法") and rules.is_trial_title("试行规定")
    assert not rules.is_trial_title("管理办法")


def test_the_stored_deadline_keeps_its_rule_after_a_setting_changes(nd, settings):
    doc = make_doc("published", unit=nd.a)
    before = (doc.filing_due, doc.filing_rule)
    settings.FAZHI_NORMDOCS = {"filing_days": 30}
    doc.refresh_from_db()
    assert (doc.filing_due, doc.filing_rule) == before
