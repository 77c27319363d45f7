"""The case workflow table, end to end through the services, and its guards."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from fazhi.core.errors import PermissionDenied, TransitionRefused, ValidationError
from fazhi.enforcement import services
from fazhi.enforcement.models import CaseStatus
from fazhi.enforcement.tests.factories import STATES, default_type, make_case, make_officer
from fazhi.enforcement.workflow import CASE_WORKFLOW

D = date(2026, 3, 2)


def test_table_has_unique_actions_and_rules():
    for t in CASE_WORKFLOW.transitions:
        assert t.rule, t.action
        for g in t.guards:
            assert g.rule and g.message


@pytest.mark.parametrize("state", STATES)
def test_every_state_reachable(enf, state):
    kw = {"hearing": True} if state == "hearing" else {}
    case = make_case(state, unit=enf.a, officers=[enf.o1, enf.o2], **kw)
    case.refresh_from_db()
    assert case.status == state


def test_happy_path_major_case_with_hearing_writes_audit(enf, actions):
    case = make_case("archived", unit=enf.a, officers=[enf.o1, enf.o2], hearing=True)
    case.refresh_from_db()
    assert case.case_no.startswith("测") and "〔2026〕1号" in case.case_no
    assert case.decision_no and case.legal_review_required and case.discussed_on
    acts = actions()
    for verb in ("filed", "notified", "hearing_requested", "hearing_held", "legal_reviewed", "discussion_recorded",
                 "decided", "served", "payment_recorded", "executed", "closed", "archived"):
        assert f"enforcement.case.{verb}" in acts


def test_wrong_order_names_rule(enf):
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2])
    with pytest.raises(TransitionRefused) as e:
        services.decide(case, by=None, today=D, penalty_kinds="罚款", fine_amount="100", reasons="理由")
    assert e.value.rule == "ENF-06"
    with pytest.raises(TransitionRefused) as e:
        services.serve(case, by=None, today=D, served_on=D, method="direct")
    assert e.value.rule == "ENF-09"


def test_decide_before_window_over_refused(enf):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2])
    with pytest.raises(TransitionRefused) as e:
        services.decide(case, by=None, today=case.statement_due, penalty_kinds="罚款", fine_amount="100", reasons="理由")
    assert e.value.rule == "ENF-07"
    services.waive_rights(case, by=None, today=case.notice_served_on, on=case.notice_served_on)
    services.decide(case, by=None, today=case.notice_served_on, penalty_kinds="罚款", fine_amount="100", reasons="理由")


def test_major_case_cannot_skip_legal_review(enf):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2])
    day = case.statement_due + timedelta(days=1)
    with pytest.raises(TransitionRefused) as e:  # fine over the threshold makes it major
        services.decide(case, by=None, today=day, penalty_kinds="罚款", fine_amount="150.00", reasons="理由",
                        outside_range_reason="") if False else services.update_case(case, by=None, is_complex=True)
        services.decide(case, by=None, today=day, penalty_kinds="罚款", fine_amount="150.00", reasons="理由")
    assert e.value.rule == "ENF-04"
    with pytest.raises(TransitionRefused) as e:
        services.submit_discussion(case, by=None, today=day)
    assert e.value.rule == "ENF-04"


def test_major_case_needs_discussion(enf):
    case = make_case("reviewed", unit=enf.a, officers=[enf.o1, enf.o2], major=True)
    day = case.statement_due + timedelta(days=2)
    with pytest.raises(TransitionRefused) as e:
        services.decide(case, by=None, today=day, penalty_kinds="罚款", fine_amount="150.00", reasons="理由")
    assert e.value.rule == "ENF-05"


def test_failed_review_sends_back_and_blocks_decision(enf):
    case = make_case("legal_review", unit=enf.a, officers=[enf.o1, enf.o2])
    services.legal_review(case, by=None, today=D + timedelta(days=20), passed=False, opinion="证据不足")
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING


def test_heavier_than_notified_refused(enf):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2])
    services.waive_rights(case, by=None, today=case.notice_served_on, on=case.notice_served_on)
    with pytest.raises(ValidationError) as e:
        services.decide(case, by=None, today=case.notice_served_on, penalty_kinds="罚款", fine_amount="180", reasons="理由")
    assert e.value.rule == "ENF-06"


def test_permission_denied_for_other_unit(enf):
    case = make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2])
    with pytest.raises(PermissionDenied):
        services.file_case(case, by=enf.clerk_b, today=D)
    with pytest.raises(PermissionDenied):  # an officer may not approve filing
        services.file_case(case, by=enf.officer_a, today=D)
    services.file_case(case, by=enf.head_a, today=D)
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING


def test_only_reviewer_reviews(enf):
    case = make_case("legal_review", unit=enf.a, officers=[enf.o1, enf.o2])
    with pytest.raises(PermissionDenied):
        services.legal_review(case, by=enf.head_a, today=D + timedelta(days=20), passed=True, opinion="同意")
    services.legal_review(case, by=enf.reviewer, today=D + timedelta(days=20), passed=True, opinion="同意")


def test_hearing_request_window_and_notice_period(enf):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], intended_fine=None) \
        if False else make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], revoke_licence=True)
    assert case.hearing_offered
    with pytest.raises(TransitionRefused) as e:
        late = case.statement_due + timedelta(days=1)
        services.request_hearing(case, by=None, today=late, requested_on=late)
    assert e.value.rule == "ENF-07"
    services.request_hearing(case, by=None, today=case.statement_due, requested_on=case.statement_due)
    notified = D + timedelta(days=8)
    with pytest.raises(TransitionRefused) as e:  # only 3 days' notice
        services.schedule_hearing(case, by=None, today=notified, notified_on=notified,
                                  hearing_date=D + timedelta(days=11), place="会议室", presider="甲")
    assert e.value.rule == "ENF-07"
    with pytest.raises(ValidationError) as e:  # an investigator may not preside
        services.schedule_hearing(case, by=None, today=notified, notified_on=notified,
                                  hearing_date=D + timedelta(days=30), place="会议室", presider="执法员一")
    assert e.value.rule == "ENF-07"


def test_hearing_not_offered_for_small_fine(enf):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2])
    with pytest.raises(TransitionRefused) as e:
        services.request_hearing(case, by=None, today=case.notice_served_on, requested_on=case.notice_served_on)
    assert e.value.rule == "ENF-07"


def test_transfer_suspends_and_resumes(enf, actions):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2])
    t = services.transfer_to_police(case, by=None, today=D + timedelta(days=3), transferred_on=D + timedelta(days=3),
                                    receiving_organ="示范区公安分局", suspected_crime="生产、销售伪劣种子罪",
                                    reason="货值金额较大")
    case.refresh_from_db()
    assert case.status == CaseStatus.TRANSFERRED
    with pytest.raises(TransitionRefused):
        services.decide(case, by=None, today=D + timedelta(days=20), penalty_kinds="罚款", fine_amount="100")
    services.record_transfer_reply(t, by=None, today=D + timedelta(days=10), reply_on=D + timedelta(days=10),
                                   accepted=False, reply="不予立案")
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED
    assert "enforcement.transfer.replied" in actions()


def test_transfer_accepted_ends_case(enf):
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2])
    t = services.transfer_to_police(case, by=None, today=D, transferred_on=D, receiving_organ="公安分局",
                                    suspected_crime="销售伪劣产品罪", reason="涉嫌犯罪")
    services.record_transfer_reply(t, by=None, today=D + timedelta(days=3), reply_on=D + timedelta(days=3),
                                   accepted=True, reply="已立案侦查")
    case.refresh_from_db()
    assert case.status == CaseStatus.TERMINATED and "公安分局" in case.termination_reason


def test_summary_procedure_limits(enf):
    vt = default_type(enf.a)
    kw = dict(unit=enf.a, by=None, today=D, officers=[enf.o1, enf.o2], cause="无证经营", party_kind="person",
              party_name="李四", penalty_kinds="罚款", facts="在集市无证销售种子", place="龙凤镇集市",
              violation_type=vt, severity="general")
    with pytest.raises(TransitionRefused) as e:
        services.summary_decide(fine_amount="201", **kw)
    assert e.value.rule == "ENF-12"
    case = services.summary_decide(fine_amount="200", **kw)
    assert case.status == CaseStatus.SERVED and case.decision_no
    org = services.summary_decide(**{**kw, "party_kind": "org", "party_name": "某公司"}, fine_amount="3000")
    assert org.fine_amount == Decimal("3000.00")


def test_single_or_uncertified_officer_refused(enf):
    with pytest.raises(ValidationError) as e:
        make_case("pending", unit=enf.a, officers=[enf.o1])
    assert e.value.rule == "ENF-01"
    expired = make_officer(enf.a, valid_from=date(2020, 1, 1), valid_to=date(2025, 12, 31))
    with pytest.raises(ValidationError) as e:
        make_case("pending", unit=enf.a, officers=[enf.o1, expired])
    assert e.value.rule == "ENF-01"
    suspended = make_officer(enf.a, status="suspended")
    with pytest.raises(ValidationError) as e:
        make_case("pending", unit=enf.a, officers=[enf.o1, suspended])
    assert e.value.rule == "ENF-01"


def test_certificate_suspended_after_assignment_blocks_filing(enf):
    case = make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2])
    services.set_certificate_status(enf.o2.certificates.get(), by=None, status="suspended", reason="违纪", on=D)
    with pytest.raises(TransitionRefused) as e:
        services.file_case(case, by=None, today=D)
    assert e.value.rule == "ENF-01"


def test_limitation_refuses_filing(enf):
    case = make_case("pending", unit=enf.a, officers=[enf.o1, enf.o2], violation_ended_on=date(2023, 1, 1))
    with pytest.raises(TransitionRefused) as e:
        services.file_case(case, by=None, today=D)
    assert e.value.rule == "ENF-15"


# ---------------------------------------------------------------- facts fail closed (issue 14)

def _pending_case(**kw):
    from types import SimpleNamespace

    from fazhi.enforcement.models import Procedure

    base = dict(status=CaseStatus.PENDING, procedure=Procedure.GENERAL, legal_review_required=False,
                discussed_on=None, hearing_requested_on=None, hearing_held_on=None, hearing_offered=False,
                hearing_date=None)
    return SimpleNamespace(**{**base, **kw})


def test_filing_without_the_limitation_fact_is_not_available():
    case = _pending_case()
    facts = {"officers_ok": True, "limitation_ok": True}
    assert "file_case" in [t.action for t in CASE_WORKFLOW.available(case, facts)]
    assert "file_case" not in [t.action for t in CASE_WORKFLOW.available(case, {"officers_ok": True})]
    refused = CASE_WORKFLOW.refusal(case, "file_case", {"officers_ok": True})
    assert refused is not None and refused.rule == "ENF-15"


@pytest.mark.parametrize("fact", ["benchmark_ok", "grounds_ok", "major"])
def test_a_decision_evaluated_without_a_fact_is_not_available(fact):
    case = _pending_case(status=CaseStatus.NOTIFIED)
    facts = {"officers_ok": True, "window_over": True, "within_limit": True, "benchmark_ok": True,
             "grounds_ok": True, "major": False, "review_passed": False}
    assert CASE_WORKFLOW.refusal(case, "decide", facts) is None
    del facts[fact]
    assert "decide" not in [t.action for t in CASE_WORKFLOW.available(case, facts)]


def test_every_fact_a_guard_reads_is_stated_by_case_context(enf):
    """The one facts function gives every fact the page's actions need, so
    failing closed keeps nothing off the page that the law allows."""
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2])
    ctx = services.case_context(case, case.statement_due + timedelta(days=1))
    for key in ("officers_ok", "limitation_ok", "window_over", "within_limit", "benchmark_ok", "grounds_ok",
                "major", "review_passed", "summary_ok", "request_in_time", "hearing_notice_ok", "hearing_due"):
        assert key in ctx, key
