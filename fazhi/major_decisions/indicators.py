"""考核指标 of 重大行政决策, declared beside the records they read (see
``fazhi.core.indicators`` for the contract; ``fazhi.assessment`` shows them).

``MDEC_PROCEDURE_COMPLETE`` 重大行政决策法定程序履行率 (MDEC-04/06/07/08/11):
decisions made in the year (``decided_on``, the day of the adopting 集体讨论)
that completed, **on or before that day**, every procedure their catalogue
entry requires:

* 公众参与 (MDEC-04), when required: a closed consultation whose adoption
  summary was published;
* 专家论证 (MDEC-06), when required: a completed review with at least
  ``rules.min_experts()`` signed opinions;
* 风险评估 (MDEC-07), when required: an assessment recorded;
* 合法性审查 (MDEC-08), always: a 合法 / 修改后合法 opinion;
* 集体讨论决定 (MDEC-11), always: a discussion in which the head adopted it.

"Required" is the stricter of the decision's own flags (copied from its
entry at launch) and the entry's current flags. The decision is placed under
its **承办单位** (``sponsor_unit``) — the unit that runs the procedure; the
government's figure covers all its departments through the path roll-up.
"""

from collections.abc import Sequence
from datetime import date

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models import Count as N
from django.db.models.functions import Coalesce
from django.urls import reverse

from fazhi.core.indicators import Count, IndicatorSource, RecordRef, rollup, subtree_q
from fazhi.major_decisions import rules
from fazhi.major_decisions.models import (
    Consultation,
    Decision,
    Discussion,
    ExpertOpinion,
    ExpertReview,
    HeadDecision,
    LegalOpinion,
    LegalReview,
    RiskAssessment,
)

FIELD = "sponsor_unit"


STEPS = (
    # (annotation of "done", annotation of "required", label, rule)
    ("p_done", "p_req", "公众参与", "MDEC-04"),
    ("e_done", "e_req", "专家论证", "MDEC-06"),
    ("r_done", "r_req", "风险评估", "MDEC-07"),
    ("l_done", None, "合法性审查", "MDEC-08"),
    ("d_done", None, "集体讨论决定", "MDEC-11"),
)


def _bool(q: Q) -> ExpressionWrapper:
    return ExpressionWrapper(q, output_field=BooleanField())


def _base(year: int) -> tuple[QuerySet, Q]:
    day = OuterRef("decided_on")
    signed = (ExpertOpinion.objects.filter(review=OuterRef("pk"), signed=True).order_by()
              .values("review").annotate(n=N("pk")).values("n"))
    experts = (ExpertReview.objects.filter(decision=OuterRef("pk"), completed_on__lte=day)
               .annotate(signed_n=Coalesce(Subquery(signed, output_field=IntegerField()), 0))
               .filter(signed_n__gte=rules.min_experts()))
    qs = (Decision.objects.filter(decided_on__range=(date(year, 1, 1), date(year, 12, 31)))
          .annotate(
              p_req=_bool(Q(needs_participation=True) | Q(entry__needs_participation=True)),
              e_req=_bool(Q(needs_expert_review=True) | Q(entry__needs_expert_review=True)),
              r_req=_bool(Q(needs_risk_assessment=True) | Q(entry__needs_risk_assessment=True)),
              p_done=Exists(Consultation.objects.filter(decision=OuterRef("pk"), state=Consultation.State.CLOSED,
                                                        summary_published_on__lte=day)),
              e_done=Exists(experts),
              r_done=Exists(RiskAssessment.objects.filter(decision=OuterRef("pk"), assessed_on__lte=day)),
              l_done=Exists(LegalReview.objects.filter(
                  decision=OuterRef("pk"), opinion__in=[LegalOpinion.LAWFUL, LegalOpinion.LAWFUL_AFTER_CHANGES],
                  decided_on__lte=day)),
              d_done=Exists(Discussion.objects.filter(decision=OuterRef("pk"), held_on__lte=day)
                            .exclude(head_decision=HeadDecision.REJECT)),
          ))
    ok = ((Q(p_req=False) | Q(p_done=True)) & (Q(e_req=False) | Q(e_done=True))
          & (Q(r_req=False) | Q(r_done=True)) & Q(l_done=True) & Q(d_done=True))
    return qs, ok


def procedure_complete_count(year: int, units: Sequence, *, today: date | None = None) -> dict[int, Count]:
    if not units:
        return {}
    qs, ok = _base(year)
    rows = (qs.filter(subtree_q(units, FIELD)).order_by().values(f"{FIELD}__path")
            .annotate(den=N("pk"), num=N("pk", filter=ok)))
    return rollup(((r[f"{FIELD}__path"], r["num"], r["den"]) for r in rows), units)


def procedure_complete_records(unit, year: int, *, today: date | None = None) -> list[RecordRef]:
    qs, _ = _base(year)
    qs = qs.filter(subtree_q([unit], FIELD)).select_related(FIELD).order_by("decided_on", "pk")
    out = []
    for d in qs:
        missing, done = [], []
        for done_attr, req_attr, label, rule in STEPS:
            if req_attr is not None and not getattr(d, req_attr):
                continue
            if getattr(d, done_attr):
                done.append(label)
            else:
                missing.append(f"{label}（{rule}）")
        counted = not missing
        note = ("已履行全部法定程序：" + "、".join(done)) if counted else (
            "决定前缺少：" + "、".join(missing))
        url = reverse("major_decisions:decision_detail", args=[d.pk])
        out.append(RecordRef(f"{d.title}（承办：{d.sponsor_unit.name}）", url, counted, note, d.decided_on))
    return out


INDICATORS = (
    IndicatorSource(
        code="MDEC_PROCEDURE_COMPLETE", name="重大行政决策法定程序履行率", module="major_decisions",
        description="决定前履行了目录事项要求的全部法定程序（须公众参与的已结束征求意见并公布采纳情况；须专家论证的"
                    "已完成且有足够专家签名意见；须风险评估的已评估；合法性审查合法；集体讨论决定通过）的决策数 ÷ "
                    "本年度作出决定的决策数。以决定日期归年，按承办单位统计，含下级单位。",
        rule="MDEC-04, MDEC-06, MDEC-07, MDEC-08, MDEC-11", default_target=1.0,
        count=procedure_complete_count, records=procedure_complete_records),
)


# ------------------------------------------------------------ overdue (cockpit)

def _post_evaluations_overdue(today: date) -> QuerySet:
    """Post-implementation evaluations past their planned date (MDEC-15)."""
    from fazhi.major_decisions.models import PostEvaluation

    return PostEvaluation.objects.filter(finished_on__isnull=True, due_on__lt=today)


# (title, rule, query(today) -> QuerySet, unit field, list URL name), read by the cockpit.
OVERDUE = (
    ("逾期未完成的决策后评估", "MDEC-15", _post_evaluations_overdue, "decision__sponsor_unit",
     "major_decisions:decision_list"),
)
