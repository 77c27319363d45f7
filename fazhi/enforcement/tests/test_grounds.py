"""What a penalty decision rests on (ENF-10, ENF-03, ENF-24): a violation type
with its legal basis and a discretion benchmark — or a basis the legal
reviewer stated — facts, evidence on file and reasons. On main a fine could
be decided with no facts and no legal basis, and leaving the type empty
skipped the discretion check."""

from datetime import date, timedelta

import pytest
from django.test import override_settings

from fazhi.core.errors import TransitionRefused, ValidationError
from fazhi.enforcement import services
from fazhi.enforcement.models import CaseStatus, PenaltyCase
from fazhi.enforcement.tests.factories import attach, default_type, heads, make_case
from fazhi.enforcement.views import data_from_case

D = date(2026, 3, 2)


def notified(enf, **kw):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], today=D, **kw)
    services.waive_rights(case, by=None, today=case.notice_served_on, on=case.notice_served_on)
    return PenaltyCase.objects.get(pk=case.pk)


def decide(case, **kw):
    kw = {"penalty_kinds": "罚款", "fine_amount": "150", "reasons": "事实清楚，按基准处罚", **kw}
    return services.decide(case, by=None, today=case.notice_served_on, **kw)


def test_no_violation_type_means_no_decision(enf):
    case = notified(enf, violation_type=None)
    with pytest.raises(ValidationError) as e:
        decide(case)
    assert e.value.rule == "ENF-10" and "违法行为" in e.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and not case.decision_no


def test_a_type_without_a_benchmark_for_the_severity_means_no_decision(enf):
    case = notified(enf, severity="grave")  # the factory's type has only a 一般 benchmark
    with pytest.raises(ValidationError) as e:
        decide(case)
    assert e.value.rule == "ENF-10" and "裁量基准" in e.value.message


def test_no_facts_means_no_decision(enf):
    case = notified(enf, facts="")
    with pytest.raises(ValidationError) as e:
        decide(case)
    assert "违法事实" in e.value.message


def test_no_evidence_on_file_means_no_decision(enf):
    case = notified(enf, with_records=False)
    with pytest.raises(ValidationError) as e:
        decide(case)
    assert e.value.rule == "ENF-10" and "证据材料" in e.value.message
    attach(case, "inquiry", on=case.notice_served_on)
    decide(case)


def test_no_reasons_means_no_decision(enf):
    case = notified(enf)
    with pytest.raises(ValidationError) as e:
        decide(case, reasons="  ")
    assert e.value.fields and "reasons" in e.value.fields


def test_the_page_says_what_the_decision_still_lacks(enf):
    case = notified(enf, facts="")
    ctx = services.case_context(case, case.notice_served_on)
    assert ctx["grounds_ok"] is False
    with pytest.raises(TransitionRefused) as e:
        from fazhi.enforcement.workflow import CASE_WORKFLOW
        CASE_WORKFLOW.check(case, "decide", ctx)
    assert e.value.rule == "ENF-10"


def test_the_legal_reviewer_can_state_the_basis_where_there_is_no_benchmark(enf):
    case = make_case("legal_review", unit=enf.a, officers=[enf.o1, enf.o2], today=D, violation_type=None)
    day = D + timedelta(days=20)
    with pytest.raises(ValidationError) as e:  # a passing review must state it
        services.legal_review(case, by=enf.reviewer, today=day, passed=True, opinion="同意")
    assert e.value.rule == "ENF-10"
    services.legal_review(case, by=enf.reviewer, today=day, passed=True, opinion="同意",
                          legal_basis="《中华人民共和国种子法》第四十八条", penalty_basis="《中华人民共和国种子法》第七十四条")
    services.submit_discussion(case, by=None, today=day)  # reviewed cases are decided collectively (ENF-05)
    services.record_discussion(case, by=None, today=day, discussed_on=day, members=heads(enf.a), conclusion="同意")
    case = PenaltyCase.objects.get(pk=case.pk)
    services.decide(case, by=enf.head_a, today=day, penalty_kinds="罚款", fine_amount="150", reasons="理由")
    case.refresh_from_db()
    data = data_from_case(case)
    assert data.violated == "《中华人民共和国种子法》第四十八条" and data.basis == "《中华人民共和国种子法》第七十四条"


def test_a_fine_outside_the_benchmark_needs_reasons_and_a_collective_discussion(enf):
    vt = services.create_violation_type(unit=enf.a, by=None, code="ZZ-02", name="销售劣种子",
                                        legal_basis="《种子法》第四十八条", penalty_basis="《种子法》第七十五条")
    services.set_benchmark(vt, by=None, severity="general", fine_min="50", fine_max="120")
    case = notified(enf, violation_type=vt, severity="general")
    with pytest.raises(TransitionRefused) as e:
        decide(case)
    assert e.value.rule == "ENF-24"
    with pytest.raises(ValidationError) as e:
        decide(case, outside_range_reason="多次违法，从重")
    assert e.value.rule == "ENF-24" and "集体讨论" in e.value.message
    services.submit_discussion(case, by=None, today=case.notice_served_on)
    services.record_discussion(case, by=None, today=case.notice_served_on, discussed_on=case.notice_served_on,
                               members=heads(enf.a), conclusion="同意超出基准从重处罚")
    decide(case, outside_range_reason="多次违法，从重")
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.outside_range_reason


def test_without_the_discussion_setting_reasons_suffice(enf):
    vt = services.create_violation_type(unit=enf.a, by=None, code="ZZ-03", name="x", legal_basis="a",
                                        penalty_basis="b")
    services.set_benchmark(vt, by=None, severity="general", fine_min="50", fine_max="120")
    case = notified(enf, violation_type=vt, severity="general")
    with override_settings(FAZHI_ENFORCEMENT={"outside_range_discussion": 0}):
        decide(case, outside_range_reason="从重")
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED


def test_a_benchmark_of_another_violation_is_refused(enf):
    other = services.create_violation_type(unit=enf.a, by=None, code="ZZ-04", name="其他", legal_basis="a",
                                           penalty_basis="b")
    bm = services.set_benchmark(other, by=None, severity="general", fine_min="0", fine_max="1000")
    case = notified(enf)
    with pytest.raises(ValidationError) as e:
        decide(case, benchmark=bm)
    assert e.value.rule == "ENF-24"


def test_after_the_notice_the_facts_and_the_violation_stay(enf):
    case = notified(enf)
    with pytest.raises(ValidationError) as e:
        services.update_case(case, by=None, facts="另一事实")
    assert e.value.rule == "ENF-06"
    services.update_case(case, by=None, is_complex=True)  # what makes a case major may still be recorded


def test_a_summary_penalty_needs_a_violation_type_and_a_place(enf):
    kw = dict(unit=enf.a, by=None, today=D, officers=[enf.o1, enf.o2], cause="乱堆物料", party_kind="person",
              party_name="李四", penalty_kinds="罚款", fine_amount="100", facts="人行道堆放纸箱")
    with pytest.raises(ValidationError) as e:
        services.summary_decide(**kw, place="滨河路", violation_type=None, severity="")
    assert e.value.rule == "ENF-24"
    with pytest.raises(ValidationError):
        services.summary_decide(**kw, place="", violation_type=default_type(enf.a), severity="general")
    assert not PenaltyCase.objects.exists()
    case = services.summary_decide(**kw, place="滨河路12号门前", violation_type=default_type(enf.a),
                                   severity="general")
    assert case.spot_place == "滨河路12号门前" and case.benchmark
