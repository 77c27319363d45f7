"""Shared fixtures of the major-decisions tests (all three parts use them).

``md``: a district  gov ─┬─ a (住房城乡建设局, the sponsor)
                          ├─ b (市场监管局, another unit)
                          └─ s (司法局, legal office)
people: clerk_a / head_a (sponsor), clerk_b, clerk_gov (政府办, catalogue),
head_gov (区长, decides), vice1..vice3 (副区长, meeting members holding the head role over gov, SYS-02), reviewer
(法制审核员 over gov and below); a published catalogue with one entry that
requires every procedure, a decision-consultation pool of 5 experts in
城市规划 (one with a conflict on ``a``) and a stability pool.

``drive(md, to)``: a decision taken through the real services up to state ``to``.
"""

from datetime import date
from types import SimpleNamespace

import pytest

from fazhi.major_decisions import services
from fazhi.major_decisions.models import Category, PoolKind, RiskLevel, Status, View
from fazhi.org.models import UnitKind
from fazhi.org.tests.factories import PersonFactory, UnitFactory

D = date  # shorthand in tests


@pytest.fixture
def md(db):
    gov = UnitFactory(name="示范区人民政府", short_name="区政府", kind=UnitKind.GOVERNMENT)
    a = UnitFactory(name="示范区住房和城乡建设局", short_name="住建局", parent=gov)
    b = UnitFactory(name="示范区市场监督管理局", short_name="市场监管局", parent=gov)
    s = UnitFactory(name="示范区司法局", short_name="司法局", parent=gov, is_legal_office=True)
    p = SimpleNamespace(
        clerk_a=PersonFactory(unit=a, name="承办人甲", post="科员", roles=[("clerk", a, False)]),
        head_a=PersonFactory(unit=a, name="局长甲", post="局长", roles=[("head", a, False)]),
        clerk_b=PersonFactory(unit=b, name="经办人乙", roles=[("clerk", b, False)]),
        clerk_gov=PersonFactory(unit=gov, name="政府办科员", post="科员", roles=[("clerk", gov, False)]),
        head_gov=PersonFactory(unit=gov, name="区长", post="区长", roles=[("head", gov, False)]),
        vice1=PersonFactory(unit=gov, name="副区长一", post="副区长", roles=[("head", gov, False)]),
        vice2=PersonFactory(unit=gov, name="副区长二", post="副区长", roles=[("head", gov, False)]),
        vice3=PersonFactory(unit=gov, name="副区长三", post="副区长", roles=[("head", gov, False)]),
        reviewer=PersonFactory(unit=s, name="审核员", post="法制审核员", roles=[("reviewer", gov, True)]),
    )
    cat = services.create_catalogue(gov, by=None, year=2026)
    entry = services.add_entry(
        cat, by=None, title="老旧小区改造三年行动计划", category=Category.PLAN, sponsor_unit=a,
        basis="《城市更新条例》", needs_participation=True, needs_expert_review=True, needs_risk_assessment=True,
        expert_field="城市规划", planned_completion=D(2026, 11, 30))
    services.approve_catalogue(cat, by=None, approved_on=D(2026, 3, 5), party_consent_on=D(2026, 3, 1),
                               party_consent_note="经区委常委会会议同意")
    services.publish_catalogue(cat, by=None, published_on=D(2026, 3, 10))
    cat.refresh_from_db()
    pool = services.create_pool(gov, by=None, kind=PoolKind.DECISION)
    stability = services.create_pool(gov, by=None, kind=PoolKind.STABILITY)
    experts = [services.add_expert(pool, by=None, name=f"专家{i}", fields=["城市规划"], affiliation=f"大学{i}",
                                   title="教授") for i in range(1, 5)]
    conflicted = services.add_expert(pool, by=None, name="利害专家", fields=["城市规划"], affiliation="住建设计院",
                                     conflict_units=[a])
    other_field = services.add_expert(pool, by=None, name="法学专家", fields=["法学"], affiliation="政法学院")
    return SimpleNamespace(gov=gov, a=a, b=b, s=s, cat=cat, entry=entry, pool=pool, stability=stability,
                           experts=experts, conflicted=conflicted, other_field=other_field,
                           **{k: v for k, v in vars(p).items()}, u=SimpleNamespace(
                               **{k: v.user for k, v in vars(p).items()}))


ORDER = [Status.LAUNCHED, Status.DRAFTING, Status.PARTICIPATION, Status.EXPERT_REVIEW, Status.RISK_ASSESSMENT,
         Status.LEGAL_REVIEW, Status.DISCUSSION, Status.DECIDED, Status.PUBLISHED, Status.EXECUTING,
         Status.EVALUATING]


def votes(md, view=View.AGREE, *others):
    views = [view, *others] if others else [view, view, view]
    people = [md.vice1, md.vice2, md.vice3]
    return [{"person": p, "view": v} for p, v in zip(people, views, strict=False)] + [
        {"person": md.head_gov, "view": View.AGREE}]


def drive(md, to: str, *, entry=None, risk=RiskLevel.LOW):
    """Take a new decision through the services up to ``to``; returns it
    (re-read). With ``risk=RiskLevel.HIGH`` it stops in 风险评估 with a 高
    assessment recorded."""
    d = _drive(md, to, entry=entry, risk=risk)
    d.refresh_from_db()
    return d


def _drive(md, to, *, entry, risk):
    u = md.u
    d = services.launch_decision(entry or md.entry, by=u.clerk_a, launched_on=D(2026, 4, 1))
    target = ORDER.index(to)

    def reached(state):
        return ORDER.index(state) >= target

    if to == Status.LAUNCHED:
        return d
    services.start_drafting(d, by=u.clerk_a, today=D(2026, 4, 2))
    services.save_draft(d, by=u.clerk_a, draft_text="第一条 为推进老旧小区改造……", today=D(2026, 4, 10))
    if to == Status.DRAFTING:
        return d
    if d.needs_participation:
        c = services.start_consultation(d, by=u.clerk_a, start_on=D(2026, 4, 15), end_on=D(2026, 5, 15), today=D(2026, 4, 15))
        if to == Status.PARTICIPATION:
            return d
        services.close_consultation(c, by=u.clerk_a, today=D(2026, 5, 16))
        services.publish_consultation_summary(c, by=u.clerk_a, summary="共收到0条意见。", published_on=D(2026, 5, 18))
    if d.needs_expert_review:
        services.start_expert_review(d, by=u.clerk_a, today=D(2026, 5, 20))
        if to == Status.EXPERT_REVIEW:
            return d
        r = services.select_experts(d, by=u.clerk_a, pool=md.pool, method="random", count=3,
                                    selected_on=D(2026, 5, 20))
        r = services.reveal_expert_draw(r, by=u.clerk_a)
        for op in r.opinions.all():
            services.record_expert_opinion(op, by=u.clerk_a, stance="agree", text="同意。", signed_on=D(2026, 5, 25), today=D(2026, 5, 25))
        services.complete_expert_review(r, by=u.clerk_a, summary="专家一致同意。", held_on=D(2026, 5, 25), today=D(2026, 5, 25))
    if d.needs_risk_assessment:
        services.start_risk_assessment(d, by=u.clerk_a, today=D(2026, 5, 26))
        if to == Status.RISK_ASSESSMENT and risk != RiskLevel.HIGH:
            return d
        services.record_risk_assessment(d, by=u.clerk_a, assessor="区委政法委", assessed_on=D(2026, 5, 28),
                                        level=risk, risk_points="群众意见分歧", measures="加强宣传",
                                        contingency_plan="应急预案", today=D(2026, 5, 28))
        if risk == RiskLevel.HIGH:
            return d
    lr = services.submit_legal_review(d, by=u.clerk_a, submitted_on=D(2026, 6, 1), procedures_account="已履行。", today=D(2026, 6, 1))
    if to == Status.LEGAL_REVIEW:
        return d
    services.record_legal_review(lr, by=u.reviewer, opinion="lawful", text="合法。", decided_on=D(2026, 6, 10), today=D(2026, 6, 10))
    if to == Status.DISCUSSION:
        d.refresh_from_db()
        return d
    services.record_discussion(d, by=u.head_gov, meeting_type="standing", meeting_name="区政府第12次常务会议",
                               held_on=D(2026, 6, 20), host=md.head_gov, head=md.head_gov, votes=votes(md),
                               head_decision="adopt", today=D(2026, 6, 20))
    if to == Status.DECIDED:
        d.refresh_from_db()
        return d
    services.publish_decision(d, by=u.head_gov, published_on=D(2026, 6, 25), party_reported_on=D(2026, 6, 22),
                              adoption_explanation="采纳情况说明", today=D(2026, 6, 25))
    if to == Status.PUBLISHED:
        return d
    services.start_execution(d, by=u.clerk_a, started_on=D(2026, 7, 1))
    if to == Status.EXECUTING:
        return d
    assert reached(Status.EVALUATING)
    services.start_post_evaluation(d, by=u.clerk_gov, reason="群众反映较多", started_on=D(2027, 1, 5),
                                   evaluator="某大学公共管理学院", third_party=True)
    return d


@pytest.fixture
def actions():
    """The major_decisions audit actions written so far, in order."""
    from fazhi.audit.models import AuditEntry

    def _get():
        return list(AuditEntry.objects.filter(action__startswith="major_decisions.").order_by("seq")
                    .values_list("action", flat=True))

    return _get
