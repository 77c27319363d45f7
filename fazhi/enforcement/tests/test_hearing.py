"""听证 (ENF-07): request window, notice period, presider, and no decision before the hearing."""

from datetime import date, timedelta

import pytest

from fazhi.core.errors import TransitionRefused, ValidationError
from fazhi.enforcement import rules, services
from fazhi.enforcement.models import CaseStatus
from fazhi.enforcement.tests.factories import make_case

D = date(2026, 3, 2)


@pytest.fixture
def requested(enf):
    """A case whose party asked for a hearing (fine ≥ the threshold), not yet scheduled."""
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], fine="20000.00", today=D)
    assert case.hearing_offered
    day = case.notice_served_on + timedelta(days=1)
    return services.request_hearing(case, by=None, today=day, requested_on=day)


@pytest.fixture
def scheduled(enf):
    return make_case("hearing", unit=enf.a, officers=[enf.o1, enf.o2], hearing=True, today=D)


def test_decision_refused_while_a_requested_hearing_is_not_held(scheduled):
    after = scheduled.hearing_date + timedelta(days=1)
    with pytest.raises(TransitionRefused) as e:
        services.decide(scheduled, by=None, today=after, penalty_kinds="罚款", fine_amount="20000.00", reasons="理由")
    assert e.value.rule == "ENF-07" and "听证尚未举行" in e.value.message
    assert "《中华人民共和国行政处罚法》第六十三条" in str(e.value)  # the citation, not the bare ID
    scheduled.refresh_from_db()
    assert scheduled.status == CaseStatus.HEARING and not scheduled.decision_no and not scheduled.decided_on


def test_legal_review_refused_while_a_requested_hearing_is_not_held(scheduled):
    with pytest.raises(TransitionRefused) as e:
        services.submit_legal_review(scheduled, by=None, today=scheduled.hearing_date + timedelta(days=1))
    assert e.value.rule == "ENF-07" and "听证尚未举行" in e.value.message


def test_after_the_hearing_the_case_goes_on_to_review(scheduled):
    services.hold_hearing(scheduled, by=None, today=scheduled.hearing_date, held_on=scheduled.hearing_date,
                          summary="当事人到场")
    case = services.submit_legal_review(scheduled, by=None, today=scheduled.hearing_date + timedelta(days=1))
    assert case.status == CaseStatus.LEGAL_REVIEW and case.legal_review_required


def test_hearing_cannot_be_held_before_its_date(scheduled):
    early = scheduled.hearing_date - timedelta(days=1)
    with pytest.raises(ValidationError) as e:  # before the notified date: the 7-WD notice would be broken
        services.hold_hearing(scheduled, by=None, today=scheduled.hearing_date, held_on=early, summary="x")
    assert e.value.rule == "SYS-03" and "通知的听证日期" in e.value.message
    with pytest.raises(ValidationError) as e:  # recorded before the day has come
        services.hold_hearing(scheduled, by=None, today=early, held_on=scheduled.hearing_date, summary="x")
    assert e.value.rule == "SYS-03"
    scheduled.refresh_from_db()
    assert scheduled.hearing_held_on is None


def test_hearing_notice_less_than_7_working_days_before_refused(requested):
    notified = date(2026, 3, 5)  # Thursday
    earliest = rules.earliest_hearing_date(notified)
    assert earliest == date(2026, 3, 16)  # 7 working days: the weekends do not count
    for too_soon in (notified + timedelta(days=7), earliest - timedelta(days=1)):
        with pytest.raises(TransitionRefused) as e:
            services.schedule_hearing(requested, by=None, today=notified, notified_on=notified, hearing_date=too_soon,
                                      place="听证室", presider="法规科长")
        assert e.value.rule == "ENF-07" and "7个工作日前" in e.value.message
    requested.refresh_from_db()
    assert requested.hearing_date is None and requested.hearing_notified_on is None


def test_hearing_notice_exactly_7_working_days_before_accepted(requested):
    notified = date(2026, 3, 5)
    case = services.schedule_hearing(requested, by=None, today=notified, notified_on=notified,
                                     hearing_date=rules.earliest_hearing_date(notified), place="听证室",
                                     presider="法规科长")
    assert case.hearing_date == date(2026, 3, 16)


def test_investigator_cannot_preside(enf, requested):
    with pytest.raises(ValidationError) as e:
        services.schedule_hearing(requested, by=None, today=date(2026, 3, 5), notified_on=date(2026, 3, 5),
                                  hearing_date=date(2026, 3, 20),
                                  place="听证室", presider=enf.o1.person.name)
    assert e.value.rule == "ENF-07"


def test_hearing_request_after_5_working_days_refused(enf):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], fine="20000.00", today=D)
    with pytest.raises(TransitionRefused) as e:
        late = case.statement_due + timedelta(days=1)
        services.request_hearing(case, by=None, today=late, requested_on=late)
    assert e.value.rule == "ENF-07" and "5个工作日" in e.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and case.hearing_requested_on is None


def test_hearing_not_offered_for_a_small_fine(enf):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], fine="150.00", today=D)
    assert not case.hearing_offered
    with pytest.raises(TransitionRefused) as e:
        services.request_hearing(case, by=None, today=case.notice_served_on, requested_on=case.notice_served_on)
    assert e.value.rule == "ENF-07"
