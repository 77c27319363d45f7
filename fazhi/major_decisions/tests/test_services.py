"""Services: every transition and guard — happy path, wrong order refused with
the rule, permission denied, audit written (and none when refused)."""

from datetime import date as D
from datetime import datetime

import pytest
from django.utils import timezone

from fazhi.core.errors import Conflict, PermissionDenied, TransitionRefused, ValidationError
from fazhi.major_decisions import rules, selectors, services
from fazhi.major_decisions.models import (
    AdjustmentKind,
    Catalogue,
    CatalogueStatus,
    Category,
    Completion,
    Consultation,
    Decision,
    PublicationKind,
    RiskLevel,
    Status,
    View,
)
from fazhi.major_decisions.tests.conftest import drive, votes


def aware(y, m, d, h=10):
    return timezone.make_aware(datetime(y, m, d, h))


# ------------------------------------------------------------------ catalogue

def test_catalogue_lifecycle_versions(md, actions):
    cat = md.cat
    assert cat.status == CatalogueStatus.PUBLISHED and cat.version == 1
    pub = cat.publications.get(version=1)
    assert pub.kind == PublicationKind.CATALOGUE and pub.snapshot[0]["title"] == md.entry.title
    adj = services.adjust_catalogue(cat, by=md.u.clerk_gov, kind=AdjustmentKind.ADD, reason="区委部署新增",
                                    adjusted_on=D(2026, 6, 1), fields=dict(
                                        title="垃圾分类实施方案", category=Category.PUBLIC_POLICY, sponsor_unit=md.a,
                                        needs_participation=True))
    assert adj.publication.version == 2 and adj.publication.kind == PublicationKind.ADJUSTMENT
    assert len(adj.publication.snapshot) == 2
    services.adjust_catalogue(cat, by=md.u.clerk_gov, kind=AdjustmentKind.CHANGE, reason="推迟",
                              adjusted_on=D(2026, 7, 1), entry=adj.entry,
                              fields={"planned_completion": D(2026, 12, 31)})
    rm = services.adjust_catalogue(cat, by=md.u.clerk_gov, kind=AdjustmentKind.REMOVE, reason="条件不成熟",
                                   adjusted_on=D(2026, 8, 1), entry=adj.entry)
    assert rm.publication.version == 4 and len(rm.publication.snapshot) == 1
    cat.refresh_from_db()
    assert cat.version == 4 and cat.adjustments.count() == 3
    assert actions().count("major_decisions.catalogue.adjusted") == 3


def test_approval_needs_party_consent_first(md):
    cat = services.create_catalogue(md.gov, by=md.u.clerk_gov, year=2027)
    services.add_entry(cat, by=md.u.clerk_gov, title="事项", category=Category.PLAN, sponsor_unit=md.a)
    with pytest.raises(ValidationError) as e:
        services.approve_catalogue(cat, by=md.u.head_gov, approved_on=D(2027, 3, 1), party_consent_on=D(2027, 3, 5),
                                   party_consent_note="区委同意")
    assert e.value.rule == "MDEC-02"
    with pytest.raises(ValidationError):
        services.approve_catalogue(cat, by=md.u.head_gov, approved_on=D(2027, 3, 5), party_consent_on=D(2027, 3, 1),
                                   party_consent_note="")
    with pytest.raises(TransitionRefused) as e:
        services.publish_catalogue(cat, by=md.u.clerk_gov, published_on=D(2027, 3, 6))
    assert e.value.rule == "MDEC-02"
    cat.refresh_from_db()
    assert cat.status == CatalogueStatus.DRAFT


def test_catalogue_permission_denied(md, actions):
    before = actions()
    with pytest.raises(PermissionDenied):
        services.create_catalogue(md.gov, by=md.u.clerk_b, year=2027)
    with pytest.raises(PermissionDenied):
        services.adjust_catalogue(md.cat, by=md.u.clerk_a, kind="remove", reason="x", adjusted_on=D(2026, 6, 1),
                                  entry=md.entry)
    assert actions() == before
    assert not Catalogue.objects.filter(year=2027).exists()


def test_entry_without_participation_needs_reason(md):
    cat = services.create_catalogue(md.gov, by=None, year=2027)
    with pytest.raises(ValidationError) as e:
        services.add_entry(cat, by=None, title="涉密事项", category=Category.OTHER, sponsor_unit=md.a,
                           needs_participation=False)
    assert e.value.rule == "MDEC-04"
    with pytest.raises(ValidationError) as e:
        services.add_entry(cat, by=None, title="事项", category="macro", sponsor_unit=md.a)


def test_remove_entry_with_running_decision_refused(md):
    drive(md, Status.DRAFTING)
    with pytest.raises(Conflict) as e:
        services.adjust_catalogue(md.cat, by=None, kind="remove", reason="x", adjusted_on=D(2026, 6, 1),
                                  entry=md.entry)
    assert e.value.rule == "MDEC-16"


def test_completion_publication(md):
    with pytest.raises(ValidationError) as e:
        services.publish_completion(md.cat, by=md.u.clerk_gov, published_on=D(2026, 12, 31), summary="完成情况")
    assert e.value.rule == "MDEC-02"
    services.set_completion(md.entry, by=md.u.clerk_gov, completion=Completion.COMPLETED)
    pub = services.publish_completion(md.cat, by=md.u.clerk_gov, published_on=D(2026, 12, 31), summary="完成1项")
    assert pub.kind == PublicationKind.COMPLETION and pub.snapshot[0]["completion"] == "已完成"
    with pytest.raises(TransitionRefused):
        services.adjust_catalogue(md.cat, by=None, kind="remove", reason="x", adjusted_on=D(2027, 1, 1),
                                  entry=md.entry)


# ------------------------------------------------------------------ launch and the whole procedure

def test_launch_needs_published_catalogue(md):
    cat = services.create_catalogue(md.gov, by=None, year=2027)
    e = services.add_entry(cat, by=None, title="事项", category=Category.PLAN, sponsor_unit=md.a)
    with pytest.raises(TransitionRefused) as err:
        services.launch_decision(e, by=md.u.clerk_a, launched_on=D(2027, 1, 5))
    assert err.value.rule == "MDEC-02"


def test_launch_permission_only_sponsor(md, actions):
    before = actions()
    with pytest.raises(PermissionDenied):
        services.launch_decision(md.entry, by=md.u.clerk_b, launched_on=D(2026, 4, 1))
    assert actions() == before and not Decision.objects.exists()


def test_whole_procedure_happy_path(md, actions):
    d = drive(md, Status.EVALUATING)
    d.refresh_from_db()
    assert d.status == Status.EVALUATING
    acts = actions()
    for a in ("decision.launched", "decision.drafting_started", "consultation.started", "consultation.closed",
              "consultation.summary_published", "expert_review.selected", "expert_opinion.signed",
              "expert_review.completed", "risk.assessed", "legal_review.submitted", "legal_review.decided",
              "discussion.recorded", "decision.published", "decision.execution_started", "post_evaluation.started"):
        assert f"major_decisions.{a}" in acts, a
    ev = d.post_evaluations.get()
    services.finish_post_evaluation(ev, by=md.u.clerk_gov, report="效果良好", conclusion="adjust",
                                    finished_on=D(2027, 3, 1))
    d.refresh_from_db()
    assert d.status == Status.EXECUTING
    services.adjust_decision(d, by=md.u.head_gov, reason="评估建议", content="扩大范围", decided_on=D(2027, 3, 10))
    d.refresh_from_db()
    assert d.status == Status.ADJUSTED
    services.stop_decision(d, by=md.u.head_gov, reason="目标已实现", decided_on=D(2027, 12, 1))
    d.refresh_from_db()
    assert d.status == Status.STOPPED and d.end_reason == "目标已实现"


def test_skipped_steps_go_straight_to_legal_review(md):
    e = services.adjust_catalogue(md.cat, by=None, kind="add", reason="新增", adjusted_on=D(2026, 4, 1), fields=dict(
        title="内部事项", category=Category.OTHER, sponsor_unit=md.a, needs_participation=False,
        no_participation_reason="依法不予公开")).entry
    d = drive(md, Status.LEGAL_REVIEW, entry=e)
    assert d.status == Status.LEGAL_REVIEW
    assert not d.consultations.exists() and not d.expert_reviews.exists()


def test_skipping_a_required_step_refused(md, actions):
    d = drive(md, Status.DRAFTING)
    before = actions()
    with pytest.raises(TransitionRefused) as e:
        services.submit_legal_review(d, by=md.u.clerk_a, submitted_on=D(2026, 5, 1), procedures_account="x", today=D(2026, 5, 1))
    assert e.value.rule == "MDEC-04" and "公众参与" in e.value.message
    d.refresh_from_db()
    assert d.status == Status.DRAFTING and actions() == before


def test_discuss_before_legal_review_refused(md, actions):
    d = drive(md, Status.RISK_ASSESSMENT)
    before = actions()
    with pytest.raises(TransitionRefused) as e:
        services.record_discussion(d, by=md.u.head_gov, meeting_type="standing", meeting_name="常务会议",
                                   held_on=D(2026, 6, 1), host=md.head_gov, head=md.head_gov, votes=votes(md),
                                   head_decision="adopt", today=D(2026, 6, 1))
    assert e.value.rule == "MDEC-08" and "不得提交集体讨论" in e.value.message
    d.refresh_from_db()
    assert d.status == Status.RISK_ASSESSMENT and not d.discussions.exists() and actions() == before


def test_unlawful_opinion_returns_to_drafting_and_blocks_discussion(md):
    d = drive(md, Status.LEGAL_REVIEW)
    lr = d.legal_reviews.get()
    services.record_legal_review(lr, by=md.u.reviewer, opinion="unlawful", text="违反上位法", decided_on=D(2026, 6, 8), today=D(2026, 6, 8))
    d.refresh_from_db()
    assert d.status == Status.DRAFTING
    with pytest.raises(TransitionRefused) as e:
        services.record_discussion(d, by=md.u.head_gov, meeting_type="standing", meeting_name="常务会议",
                                   held_on=D(2026, 6, 20), host=md.head_gov, head=md.head_gov, votes=votes(md),
                                   head_decision="adopt", today=D(2026, 6, 20))
    assert e.value.rule == "MDEC-08"


def test_legal_review_only_by_reviewer(md, actions):
    d = drive(md, Status.LEGAL_REVIEW)
    before = actions()
    for user in (md.u.clerk_a, md.u.head_gov):
        with pytest.raises(PermissionDenied):
            services.record_legal_review(d.legal_reviews.get(), by=user, opinion="lawful", text="x",
                                         decided_on=D(2026, 6, 10), today=D(2026, 6, 10))
    assert actions() == before


def test_legal_review_window_is_seven_workdays(md):
    d = drive(md, Status.LEGAL_REVIEW)
    lr = d.legal_reviews.get()
    # 2026-06-01 is a Monday; 7 working days later (19 June Dragon Boat holiday not in range) -> 10 June.
    assert lr.due == rules.legal_review_due(D(2026, 6, 1)).due
    assert lr.due_rule.startswith("MDEC-09 7个工作日")


def test_legal_review_incomplete_materials_refused(md):
    d = drive(md, Status.RISK_ASSESSMENT)
    services.record_risk_assessment(d, by=md.u.clerk_a, assessor="政法委", assessed_on=D(2026, 5, 28), level="low",
                                    risk_points="x", measures="y", contingency_plan="z", today=D(2026, 5, 28))
    with pytest.raises(ValidationError) as e:
        services.submit_legal_review(d, by=md.u.clerk_a, submitted_on=D(2026, 6, 1), procedures_account="x",
                                     materials=["决策草案"], today=D(2026, 6, 1))
    assert e.value.rule == "MDEC-09"
    d.refresh_from_db()
    assert d.status == Status.RISK_ASSESSMENT


# ------------------------------------------------------------------ discussion (MDEC-11)

def discuss(md, d, head_decision, vs, reasons=""):
    return services.record_discussion(
        d, by=md.u.head_gov, meeting_type="standing", meeting_name="区政府常务会议", held_on=D(2026, 6, 20),
        host=md.head_gov, head=md.head_gov, votes=vs, head_decision=head_decision, head_reasons=reasons, today=D(2026, 6, 20))


def test_head_against_majority_needs_reasons(md, actions):
    d = drive(md, Status.DISCUSSION)
    vs = votes(md, View.DISAGREE, View.DISAGREE, View.AGREE)
    before = actions()
    with pytest.raises(ValidationError) as e:
        discuss(md, d, "adopt", vs)
    assert e.value.rule == "MDEC-11"
    d.refresh_from_db()
    assert d.status == Status.DISCUSSION and actions() == before
    disc = discuss(md, d, "adopt", vs, reasons="项目时间紧迫，风险可控")
    assert disc.against_majority and disc.votes.count() == 4
    d.refresh_from_db()
    assert d.status == Status.DECIDED
    dissent = {r.name for r in d.responsibilities.filter(step="discussion", dissent=True)}
    assert dissent == {"副区长一", "副区长二"}


def test_head_with_majority_needs_no_reasons(md):
    d = drive(md, Status.DISCUSSION)
    disc = discuss(md, d, "adopt", votes(md, View.AGREE, View.RESERVE, View.AGREE))
    assert not disc.against_majority


def test_meeting_rejects_back_to_drafting(md):
    d = drive(md, Status.DISCUSSION)
    discuss(md, d, "reject", votes(md, View.DISAGREE, View.DISAGREE, View.DISAGREE))
    d.refresh_from_db()
    assert d.status == Status.DRAFTING and d.decided_on is None


def test_discussion_only_by_head(md):
    d = drive(md, Status.DISCUSSION)
    with pytest.raises(PermissionDenied):
        services.record_discussion(d, by=md.u.clerk_gov, meeting_type="standing", meeting_name="x",
                                   held_on=D(2026, 6, 20), host=md.head_gov, head=md.head_gov, votes=votes(md),
                                   head_decision="adopt", today=D(2026, 6, 20))


def test_meeting_type_must_be_standing_or_plenary(md):
    d = drive(md, Status.DISCUSSION)
    with pytest.raises(ValidationError):
        services.record_discussion(d, by=md.u.head_gov, meeting_type="office", meeting_name="x",
                                   held_on=D(2026, 6, 20), host=md.head_gov, head=md.head_gov, votes=votes(md),
                                   head_decision="adopt", today=D(2026, 6, 20))


# ------------------------------------------------------------------ publication

def test_publish_requires_party_report_and_explanation(md):
    d = drive(md, Status.DECIDED)
    with pytest.raises(TransitionRefused) as e:
        services.publish_decision(d, by=md.u.head_gov, published_on=D(2026, 6, 25), party_reported_on=None,
                                  adoption_explanation="x", today=D(2026, 6, 25))
    assert e.value.rule == "MDEC-12"
    with pytest.raises(ValidationError) as e:
        services.publish_decision(d, by=md.u.head_gov, published_on=D(2026, 6, 25), party_reported_on=D(2026, 6, 22), today=D(2026, 6, 25))
    assert e.value.rule == "MDEC-13"
    d.refresh_from_db()
    assert d.status == Status.DECIDED and d.published_on is None


# ------------------------------------------------------------------ consultation (MDEC-04)

def test_comments_inside_and_after_period(md):
    d = drive(md, Status.PARTICIPATION)
    c = d.consultations.get()
    comment = services.submit_comment(c, content="建议增加电梯", name="张三", contact="13800000000",
                                      now=aware(2026, 4, 20))
    with pytest.raises(TransitionRefused) as e:
        services.submit_comment(c, content="晚了", now=aware(2026, 5, 16))
    assert e.value.rule == "MDEC-04" and "截止" in e.value.message
    assert c.comments.count() == 1
    with pytest.raises(TransitionRefused):
        services.close_consultation(c, by=md.u.clerk_a, today=D(2026, 5, 15))
    services.close_consultation(c, by=md.u.clerk_a, today=D(2026, 5, 16))
    with pytest.raises(TransitionRefused):
        services.submit_comment(c, content="关闭后", now=aware(2026, 5, 10))
    with pytest.raises(ValidationError) as e:
        services.publish_consultation_summary(c, by=md.u.clerk_a, summary="x", published_on=D(2026, 5, 18))
    assert e.value.rule == "MDEC-04"
    services.answer_comment(comment, by=md.u.clerk_a, adoption="adopted", reason="已采纳")
    services.publish_consultation_summary(c, by=md.u.clerk_a, summary="采纳1条", published_on=D(2026, 5, 18))
    c.refresh_from_db()
    assert [m.public_name for m in selectors.published_comments(c)] == ["张*"]


def test_open_consultation_blocks_next_step(md):
    d = drive(md, Status.PARTICIPATION)
    with pytest.raises(TransitionRefused) as e:
        services.start_expert_review(d, by=md.u.clerk_a, today=D(2026, 4, 20))
    assert e.value.rule == "MDEC-04"


def test_close_due_job(md, actions):
    d = drive(md, Status.PARTICIPATION)
    assert services.close_due_consultations(D(2026, 5, 15)) == 0
    assert services.close_due_consultations(D(2026, 5, 16)) == 1
    assert services.close_due_consultations(D(2026, 5, 17)) == 0
    assert d.consultations.get().state == Consultation.State.CLOSED


# ------------------------------------------------------------------ experts (MDEC-06)

def at_expert_review(md):
    return drive(md, Status.EXPERT_REVIEW)


def test_fewer_than_three_experts_refused(md, actions):
    d = at_expert_review(md)
    before = actions()
    with pytest.raises(ValidationError) as e:
        services.select_experts(d, by=md.u.clerk_a, pool=md.pool, method="choice", experts=md.experts[:2],
                                choice_reason="熟悉情况", selected_on=D(2026, 5, 20))
    assert e.value.rule == "MDEC-06" and "3名" in e.value.message
    with pytest.raises(ValidationError):
        services.select_experts(d, by=md.u.clerk_a, pool=md.pool, method="random", count=2,
                                selected_on=D(2026, 5, 20))
    assert actions() == before and not d.expert_reviews.exists()


def test_expert_with_conflict_refused(md):
    d = at_expert_review(md)
    with pytest.raises(ValidationError) as e:
        services.select_experts(d, by=md.u.clerk_a, pool=md.pool, method="choice",
                                experts=[*md.experts[:2], md.conflicted], choice_reason="x", selected_on=D(2026, 5, 20))
    assert e.value.rule == "MDEC-06" and "利害关系" in e.value.message
    assert not d.expert_reviews.exists()


def test_expert_of_another_field_refused(md):
    d = at_expert_review(md)
    with pytest.raises(ValidationError) as e:
        services.select_experts(d, by=md.u.clerk_a, pool=md.pool, method="choice",
                                experts=[*md.experts[:2], md.other_field], choice_reason="x", selected_on=D(2026, 5, 20))
    assert e.value.rule == "MDEC-06"


def test_choice_with_reason(md):
    d = at_expert_review(md)
    r = services.select_experts(d, by=md.u.clerk_a, pool=md.pool, method="choice", experts=md.experts[:3],
                                choice_reason="对口专业", selected_on=D(2026, 5, 20))
    assert r.opinions.count() == 3 and r.choice_reason == "对口专业"


def test_random_draw_reproducible_and_excludes_conflict(md):
    d = at_expert_review(md)
    r = services.select_experts(d, by=md.u.clerk_a, pool=md.pool, method="random", count=3,
                                selected_on=D(2026, 5, 20))
    assert md.conflicted.pk not in r.candidates and md.other_field.pk not in r.candidates
    assert [x["id"] for x in r.excluded] == [md.conflicted.pk]
    r = services.reveal_expert_draw(r, by=md.u.clerk_a)
    assert selectors.verify_draw(r)
    chosen = list(r.opinions.order_by("pk").values_list("expert_id", flat=True))
    assert len(chosen) == 3 and r.draws.get().selected == chosen


def test_an_earlier_review_with_a_stored_seed_still_verifies(md):
    """Reviews recorded before the committed draw (seed + SHA-256("seed:id") ranking)."""
    d = at_expert_review(md)
    r = services.select_experts(d, by=md.u.clerk_a, pool=md.pool, method="choice", experts=md.experts[:3],
                                choice_reason="x", selected_on=D(2026, 5, 20))
    ranked = rules.draw("old-seed", r.candidates, 3)
    r.opinions.all().delete()
    for pk in ranked:
        r.opinions.create(expert_id=pk, expert_name=str(pk))
    type(r).objects.filter(pk=r.pk).update(method="random", seed="old-seed", draw_count=3)
    r.refresh_from_db()
    assert selectors.verify_draw(r)


def test_random_draw_not_enough_candidates(md):
    d = at_expert_review(md)
    with pytest.raises(ValidationError) as e:
        services.select_experts(d, by=md.u.clerk_a, pool=md.pool, method="random", count=5,
                                selected_on=D(2026, 5, 20))
    assert e.value.rule == "MDEC-06"


def test_review_needs_every_signature(md):
    d = at_expert_review(md)
    r = services.select_experts(d, by=md.u.clerk_a, pool=md.pool, method="random", count=3,
                                selected_on=D(2026, 5, 20))
    r = services.reveal_expert_draw(r, by=md.u.clerk_a)
    ops = list(r.opinions.all())
    services.record_expert_opinion(ops[0], by=md.u.clerk_a, stance="agree", text="同意", signed_on=D(2026, 5, 22), today=D(2026, 5, 22))
    with pytest.raises(ValidationError) as e:
        services.complete_expert_review(r, by=md.u.clerk_a, summary="x", held_on=D(2026, 5, 25), today=D(2026, 5, 25))
    assert e.value.rule == "MDEC-06"
    with pytest.raises(TransitionRefused) as e:
        services.start_risk_assessment(d, by=md.u.clerk_a, today=D(2026, 5, 26))
    assert e.value.rule == "MDEC-06"


# ------------------------------------------------------------------ risk (MDEC-07)

def test_high_risk_blocks_until_mitigated(md, actions):
    d = drive(md, Status.RISK_ASSESSMENT, risk=RiskLevel.HIGH)
    ra = d.risk_assessments.get()
    before = actions()
    with pytest.raises(TransitionRefused) as e:
        services.submit_legal_review(d, by=md.u.clerk_a, submitted_on=D(2026, 6, 1), procedures_account="x", today=D(2026, 6, 1))
    assert e.value.rule == "MDEC-07" and "高" in e.value.message
    assert actions() == before
    assert any("高风险" in i.title for i in selectors.dashboard_items(md.u.clerk_a, D(2026, 6, 1)))
    services.record_mitigation(ra, by=md.u.clerk_a, mitigation="调整拆迁补偿方案", residual_level="high",
                               mitigated_on=D(2026, 6, 2))
    with pytest.raises(TransitionRefused):
        services.submit_legal_review(d, by=md.u.clerk_a, submitted_on=D(2026, 6, 3), procedures_account="x", today=D(2026, 6, 3))
    services.record_mitigation(ra, by=md.u.clerk_a, mitigation="再次调整", residual_level="medium",
                               mitigated_on=D(2026, 6, 4))
    services.submit_legal_review(d, by=md.u.clerk_a, submitted_on=D(2026, 6, 5), procedures_account="x", today=D(2026, 6, 5))
    d.refresh_from_db()
    assert d.status == Status.LEGAL_REVIEW


def test_risk_needs_contingency_plan(md):
    d = drive(md, Status.RISK_ASSESSMENT)
    with pytest.raises(ValidationError):
        services.record_risk_assessment(d, by=md.u.clerk_a, assessor="x", assessed_on=D(2026, 5, 28), level="low",
                                        risk_points="x", measures="y", contingency_plan="", today=D(2026, 5, 28))


# ------------------------------------------------------------------ execution, post-evaluation, change

def test_post_evaluation_not_by_pre_decision_assessor(md):
    d = drive(md, Status.EXECUTING)
    with pytest.raises(ValidationError) as e:
        services.start_post_evaluation(d, by=md.u.clerk_gov, reason="x", started_on=D(2027, 1, 5),
                                       evaluator="区委政法委")
    assert e.value.rule == "MDEC-15"


def test_execution_report_and_permissions(md):
    d = drive(md, Status.EXECUTING)
    rep = services.report_execution(d, by=md.u.clerk_a, reported_on=D(2026, 9, 1), content="已完成30%")
    assert rep.reporting_unit == md.a
    with pytest.raises(PermissionDenied):
        services.report_execution(d, by=md.u.clerk_b, reported_on=D(2026, 9, 1), content="x")
    with pytest.raises(PermissionDenied):
        services.stop_decision(d, by=md.u.clerk_a, reason="x", decided_on=D(2026, 9, 1))


def test_stop_during_evaluation_only_in_emergency(md):
    d = drive(md, Status.EVALUATING)
    with pytest.raises(TransitionRefused) as e:
        services.stop_decision(d, by=md.u.head_gov, reason="x", decided_on=D(2027, 2, 1))
    assert e.value.rule == "MDEC-16"
    services.stop_decision(d, by=md.u.head_gov, reason="突发情况", decided_on=D(2027, 2, 1), emergency=True)


def test_abandon(md):
    d = drive(md, Status.DRAFTING)
    services.abandon_decision(d, by=md.u.head_gov, reason="条件变化", today=D(2026, 5, 1))
    d.refresh_from_db()
    assert d.status == Status.ABANDONED
    # A new decision on the same entry may be launched afterwards.
    services.launch_decision(md.entry, by=md.u.clerk_a, launched_on=D(2026, 6, 1))


def test_save_draft_only_when_editable(md):
    d = drive(md, Status.LEGAL_REVIEW)
    with pytest.raises(TransitionRefused):
        services.save_draft(d, by=md.u.clerk_a, draft_text="改", today=D(2026, 6, 2))
