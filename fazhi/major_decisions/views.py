"""Staff screens of 重大行政决策: catalogue, decisions, expert pools,
accountability and the dossier. Every change goes through ``services``;
every non-trivial read through ``selectors``.

Scope (as in org): a record outside what the user may *see* is a 404; a
visible record the user may not *change* is a 403 (the service refuses with
``PermissionDenied``). Any other refusal (wrong legal order, a period too
short, too few experts, a conflicted expert) is shown on the page with its
rule ID (MDEC-*), and nothing is changed.

The action forms on a decision render ``actions.available_actions`` (the
same answer the API lists, under the same names): the steps the user may
take now, and each step whose legal state is reached but whose guard fails
with the refusal (the missing step and its rule), so the clerk sees what is
still needed.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.core.errors import Conflict, DomainError, PermissionDenied
from fazhi.core.http import domain_errors, place_error, refused_onto
from fazhi.core.tables import Column, DueColumn, Table
from fazhi.major_decisions import actions, dossier, expert_draw, selectors, services, workflow
from fazhi.major_decisions import forms as f
from fazhi.major_decisions.models import (
    PRE_DECISION_STATES,
    PUBLIC_STATES,
    AdjustmentKind,
    Adoption,
    AttachmentStep,
    Catalogue,
    CatalogueEntry,
    CatalogueStatus,
    Comment,
    Completion,
    Consultation,
    Decision,
    Expert,
    ExpertDraw,
    ExpertOpinion,
    ExpertPool,
    ExpertReview,
    PoolKind,
    Responsibility,
    Status,
)
from fazhi.major_decisions.models import (
    Step as ProcStep,
)
from fazhi.org import access
from fazhi.org import selectors as org_selectors
from fazhi.org.access import require_page as _require
from fazhi.org.models import Person, Unit

VIEW = "major_decisions.view"
SPONSOR = "major_decisions.sponsor"
CATALOGUE = "major_decisions.manage_catalogue"
LEGAL = "major_decisions.legal_review"
DECIDE = "major_decisions.decide"
EXPERTS = "major_decisions.manage_experts"
DOCX = dossier.DOCX_TYPE


def _today() -> date:
    return timezone.localdate()


def _unit(pk) -> Unit | None:
    return Unit.objects.filter(pk=pk).first() if pk else None


def _download(data: bytes, content_type: str, filename: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=content_type)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp


def _years(today: date) -> range:
    return range(today.year + 1, today.year - 10, -1)


# ================================================================ decisions

def _overdue_q(today: date) -> Q:
    """Not decided yet and past the catalogue's planned completion date."""
    return Q(status__in=PRE_DECISION_STATES, entry__planned_completion__lt=today)


DECISION_TABLE = Table("重大行政决策", [
    Column("决策事项", "title", sort="title", link=lambda d: reverse("major_decisions:decision_detail", args=[d.pk])),
    Column("目录年度", "entry.catalogue.year", sort="entry__catalogue__year"),
    Column("决策机关", "unit.name", sort="unit__path"),
    Column("承办单位", "sponsor_unit.name", sort="sponsor_unit__path"),
    Column("程序状态", lambda d: d.get_status_display(), sort="status"),
    Column("启动日期", "launched_on", sort="launched_on"),
    DueColumn("计划完成", "entry.planned_completion", sort="entry__planned_completion",
              done=lambda d: d.status not in PRE_DECISION_STATES),
    Column("决定日期", "decided_on", sort="decided_on"),
    Column("公布日期", "published_on", sort="published_on"),
], default_sort="-launched_on", per_page=30)

DECISION_EXPORT = Table("重大行政决策", [
    *DECISION_TABLE.columns[:1],
    Column("事项类别", lambda d: d.get_category_display()),
    *DECISION_TABLE.columns[1:],
    Column("文号", "decision_no"),
    Column("需公众参与", "needs_participation"),
    Column("需专家论证", "needs_expert_review"),
    Column("需风险评估", "needs_risk_assessment"),
], default_sort="-launched_on")


@require_http_methods(["GET"])
def decision_list(request):
    user = request.user
    _require(user, VIEW)
    today = _today()
    form = f.DecisionFilterForm(request.GET or None, unit_choices=org_selectors.unit_choices(user, VIEW),
                                years=_years(today))
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.decisions(user).select_related("entry")
    if d.get("q"):
        qs = qs.filter(title__icontains=d["q"].strip())
    if d.get("year"):
        qs = qs.filter(entry__catalogue__year=d["year"])
    if d.get("sponsor_unit"):
        qs = qs.filter(sponsor_unit_id=d["sponsor_unit"])
    if d.get("status"):
        qs = qs.filter(status=d["status"])
    if d.get("overdue"):
        qs = qs.filter(_overdue_q(today))
    if request.GET.get("export") == "xlsx":
        return DECISION_EXPORT.export(DECISION_EXPORT.rows(request, qs))
    return DECISION_TABLE.respond(request, qs, "major_decisions/decision_list.html",
                                  {"filters": form, "today": today})


# ------------------------------------------------------------- detail steps

@dataclass(frozen=True)
class Step:
    """One action form on the decision page."""

    key: str
    label: str
    form: Callable[..., Any]  # (decision, data, initial) -> Form
    run: Callable[[Any, Decision, dict], Any]  # (user, decision, cleaned_data) -> result
    done: str
    danger: bool = False
    intro: str = ""


def _simple(form_class):
    return lambda d, data=None, initial=None, prefix=None: form_class(data, initial=initial, prefix=prefix)


def _open_consultation(d: Decision) -> Consultation | None:
    return next((c for c in d.consultations.all() if c.state == Consultation.State.OPEN), None)


def _privacy_record(d: Decision, key: str):
    """The record a publishing step would publish, for its personal-data check (core.privacy)."""
    if key == "publish_consultation_summary":
        return _pending_summary(d)
    if key == "publish":
        return d
    if key == "publish_post_evaluation":
        return _unpublished_evaluation(d)
    return None


def _pending_summary(d: Decision) -> Consultation | None:
    return next((c for c in d.consultations.all()
                 if c.state == Consultation.State.CLOSED and not c.summary_published_on), None)


def _open_review(d: Decision) -> ExpertReview | None:
    return d.expert_reviews.filter(completed_on__isnull=True).select_related("pool").first()


def _pending_legal(d: Decision):
    return d.legal_reviews.filter(opinion="").first()


def _open_evaluation(d: Decision):
    return d.post_evaluations.filter(finished_on__isnull=True).first()


def _unpublished_evaluation(d: Decision):
    return d.post_evaluations.filter(finished_on__isnull=False, published_on__isnull=True).order_by(
        "finished_on", "pk").first()


def _need(obj, message: str, rule: str):
    if obj is None:
        raise Conflict(message, rule=rule)
    return obj


def _pools_for(d: Decision, kind: str) -> list[ExpertPool]:
    """The expert pools a decision may draw on: its government's and those
    above it (a county without its own pool uses the higher level's, MDEC-06)."""
    ids = [int(p) for p in d.unit.path.split("/") if p]
    return list(ExpertPool.objects.filter(unit_id__in=ids, kind=kind).select_related("unit").order_by("-unit__depth"))


def _select_form(d, data=None, initial=None, prefix=None):
    pools = _pools_for(d, PoolKind.DECISION)
    experts = (Expert.objects.filter(pool__in=pools, is_active=True).prefetch_related("conflict_units")
               .order_by("name"))
    choices = []
    for e in experts:
        conflict = any(u.pk == d.sponsor_unit_id for u in e.conflict_units.all())
        label = f"{e.name}（{'、'.join(e.field_list)}；{e.affiliation}）" + ("【应回避】" if conflict else "")
        choices.append((e.pk, label))
    return f.SelectExpertsForm(data, initial=initial, prefix=prefix, pool_choices=[(p.pk, p.name) for p in pools],
                               expert_choices=choices)


def _run_select(user, d, c):
    pool = ExpertPool.objects.filter(pk=c["pool"]).first()
    if pool is None:
        raise Conflict("请选择专家库", rule="MDEC-06")
    chosen = list(Expert.objects.filter(pk__in=c["experts"])) if c["method"] == "choice" else ()
    return services.select_experts(d, by=user, pool=pool, method=c["method"], selected_on=c["selected_on"],
                                   field=c["field"], experts=chosen, count=c["count"],
                                   choice_reason=c["choice_reason"], now=timezone.now())


def _opinion_form(d, data=None, initial=None, prefix=None):
    review = _open_review(d)
    ops = list(review.opinions.all()) if review else []
    return f.OpinionForm(data, initial=initial, prefix=prefix, opinion_choices=[
        (o.pk, o.expert_name + ("（已录入，可修改）" if o.signed else "")) for o in ops])


def _run_opinion(user, d, c):
    review = _need(_open_review(d), "没有进行中的专家论证", "MDEC-06")
    op = review.opinions.filter(pk=c["opinion"]).first()
    _need(op, "请选择本次论证的专家", "MDEC-06")
    return services.record_expert_opinion(op, by=user, stance=c["stance"], text=c["text"],
                                          signed_on=c["signed_on"], handling=c["handling"], today=_today(),
                                          late_reason=c["late_reason"])


def _risk_form(d, data=None, initial=None, prefix=None):
    pools = _pools_for(d, PoolKind.STABILITY)
    experts = Expert.objects.filter(pool__in=pools, is_active=True).order_by("name")
    return f.RiskForm(data, initial=initial, prefix=prefix, expert_choices=[
        (e.pk, f"{e.name}（{'、'.join(e.field_list)}）") for e in experts])


def _discussion_members(d: Decision) -> list[Person]:
    """Who may be recorded at the meeting: the people holding the head role
    (政府领导班子成员) over the deciding government now or in the past — never
    its clerks (SYS-02; the service checks the role on the meeting date)."""
    from fazhi.org.capacity import holders_on
    from fazhi.org.models import PastRoleAssignment

    ids = {p.pk for p in holders_on("head", d.unit, _today())}
    ids.update(PastRoleAssignment.objects.filter(role="head", unit=d.unit).values_list("person_id", flat=True))
    return list(Person.objects.filter(pk__in=ids).select_related("unit").order_by("name"))


def _discussion_form(d, data=None, initial=None, prefix=None):
    return f.DiscussionForm(data, initial=initial, prefix=prefix, members=_discussion_members(d))


def _run_discussion(user, d, c):
    people = {p.pk: p for p in _discussion_members(d)}
    form_votes = []
    for p in people.values():
        view = c.get(f"view_{p.pk}")
        if view:
            form_votes.append({"person": p, "view": view, "remarks": c.get(f"remarks_{p.pk}", "")})
    return services.record_discussion(
        d, by=user, meeting_type=c["meeting_type"], meeting_name=c["meeting_name"], held_on=c["held_on"],
        host=people.get(c["host"]), head=people.get(c["head"]), votes=form_votes, head_decision=c["head_decision"],
        head_reasons=c["head_reasons"], minutes=c["minutes"], today=_today(), late_reason=c["late_reason"])


def _execution_form(d, data=None, initial=None, prefix=None):
    units = Unit.objects.filter(is_active=True, path__startswith=d.unit.path).order_by("path")
    return f.ExecutionStartForm(data, initial=initial, prefix=prefix, unit_choices=[(u.pk, u.name) for u in units])


def _legal_pass_or_fail(user, d, c):
    review = _need(_pending_legal(d), "没有待审查的合法性审查", "MDEC-09")
    return services.record_legal_review(review, by=user, opinion=c["opinion"], text=c["text"],
                                        decided_on=c["decided_on"], today=_today(), late_reason=c["late_reason"])


def _latest_blocking_risk(d: Decision):
    ra = selectors.latest_risk(d)
    return ra if ra and ra.blocking else None


STEPS: dict[str, Step] = {s.key: s for s in [
    Step("start_drafting", "开始拟订草案", _simple(f.NoFieldsForm),
         lambda u, d, c: services.start_drafting(d, by=u, today=_today()), "已进入草案拟订"),
    Step("save_draft", "提交/修改决策草案", _simple(f.DraftForm),
         lambda u, d, c: services.save_draft(d, by=u, today=_today(), **c), "决策草案已保存"),
    Step("start_consultation", "公开征求意见", _simple(f.ConsultationForm),
         lambda u, d, c: services.start_consultation(d, by=u, today=_today(), **c),
         "已在门户网站公开征求意见",
         intro="公开征求意见期限一般不少于30日；确需缩短的，须在公告中说明理由（MDEC-04）。"),
    Step("close_consultation", "结束征求意见", _simple(f.NoFieldsForm),
         lambda u, d, c: services.close_consultation(
             _need(_open_consultation(d), "没有正在进行的征求意见", "MDEC-04"), by=u, today=_today()),
         "征求意见已结束，请逐条答复并公布采纳情况", intro="征求意见期满后方可结束（MDEC-04）。"),
    Step("publish_consultation_summary", "公布意见采纳情况", _simple(f.SummaryForm),
         lambda u, d, c: services.publish_consultation_summary(
             _need(_pending_summary(d), "没有待公布采纳情况的征求意见", "MDEC-04"), by=u, **c),
         "意见采纳情况已公布", intro="须先逐条答复全部意见（MDEC-04）。"),
    Step("start_expert_review", "开展专家论证", _simple(f.NoFieldsForm),
         lambda u, d, c: services.start_expert_review(d, by=u, today=_today()), "已进入专家论证"),
    Step("select_experts", "选取论证专家", _select_form, _run_select, "已选取论证专家",
         intro="从专家库按专业领域选取至少3名专家；与承办单位有利害关系的专家应当回避（MDEC-06）。"
               "随机抽取先冻结候选名单和参数并记录承诺值，再揭示抽取；种子由系统生成，任何人不能指定，"
               "抽取凭证可用 draw_verify 独立复核。"),
    Step("reveal_experts", "揭示并抽取专家", _simple(f.NoFieldsForm),
         lambda u, d, c: services.reveal_expert_draw(
             _need(_open_review(d), "没有进行中的专家论证", "MDEC-06"), by=u, now=timezone.now()),
         "已揭示种子并抽取专家",
         intro="候选名单和参数已冻结、承诺值已记录；揭示后抽中的专家即确定（MDEC-06）。"),
    Step("redraw_experts", "重新抽取专家", _simple(f.RedrawExpertsForm),
         lambda u, d, c: services.redraw_experts(
             _need(_open_review(d), "没有进行中的专家论证", "MDEC-06"), by=u, reason=c["reason"],
             now=timezone.now()),
         "已记录重新抽取的理由并冻结新的候选名单，请揭示抽取",
         intro="论证完成前、尚无专家签署意见时可重新抽取；理由和次数记录在案并在案卷中列明（MDEC-06）。"),
    Step("record_expert_opinion", "录入专家书面意见", _opinion_form, _run_opinion, "已录入专家签名的书面意见",
         intro="书面论证意见须经专家签名（MDEC-06）。"),
    Step("complete_expert_review", "完成专家论证", _simple(f.CompleteExpertReviewForm),
         lambda u, d, c: services.complete_expert_review(
             _need(_open_review(d), "没有进行中的专家论证", "MDEC-06"), by=u, today=_today(), **c), "专家论证已完成"),
    Step("start_risk_assessment", "开展风险评估", _simple(f.NoFieldsForm),
         lambda u, d, c: services.start_risk_assessment(d, by=u, today=_today()), "已进入风险评估"),
    Step("record_risk_assessment", "录入风险评估", _risk_form,
         lambda u, d, c: services.record_risk_assessment(
             d, by=u, today=_today(),
             **{**c, "experts": list(Expert.objects.filter(pk__in=c["experts"]).select_related("pool"))}),
         "已录入风险评估", intro="评估为高风险的，须记录化解措施并重新评估后方可继续（MDEC-07）。"),
    Step("record_mitigation", "记录风险化解措施", _simple(f.MitigationForm),
         lambda u, d, c: services.record_mitigation(
             _need(_latest_blocking_risk(d), "没有待化解的高风险评估", "MDEC-07"), by=u, **c),
         "已记录风险化解措施"),
    Step("submit_legal_review", "送合法性审查", _simple(f.SubmitLegalForm),
         lambda u, d, c: services.submit_legal_review(d, by=u, today=_today(), **c), "已送司法局（法制机构）合法性审查",
         intro="审查时间一般不少于7个工作日（MDEC-09）。"),
    Step("legal_review", "出具合法性审查意见", _simple(f.LegalOpinionForm), _legal_pass_or_fail,
         "已出具合法性审查意见", intro="不合法的退回草案拟订，不得提交集体讨论（MDEC-08）。"),
    Step("discuss", "记录集体讨论决定", _discussion_form, _run_discussion,
         "已记录集体讨论决定",
         intro="常务会议或全体会议讨论；行政首长最后发表意见，与多数人意见不一致的须说明理由（MDEC-11）。"),
    Step("publish", "公布决策", _simple(f.PublishDecisionForm),
         lambda u, d, c: services.publish_decision(d, by=u, today=_today(), **c), "决策已公布",
         intro="出台前须向同级党委请示报告（MDEC-12）；公布时说明意见采纳情况（MDEC-13）。"),
    Step("start_execution", "组织实施", _execution_form,
         lambda u, d, c: services.start_execution(d, by=u, started_on=c["started_on"],
                                                  execution_unit=_unit(c["execution_unit"])),
         "已开始组织实施"),
    Step("report_execution", "报告执行情况", _simple(f.ExecutionReportForm),
         lambda u, d, c: services.report_execution(d, by=u, **c), "已报告执行情况"),
    Step("start_post_evaluation", "启动决策后评估", _simple(f.PostEvaluationForm),
         lambda u, d, c: services.start_post_evaluation(d, by=u, **c), "已启动决策后评估"),
    Step("finish_post_evaluation", "完成决策后评估", _simple(f.FinishEvaluationForm),
         lambda u, d, c: services.finish_post_evaluation(
             _need(_open_evaluation(d), "没有进行中的决策后评估", "MDEC-15"), by=u, **c),
         "决策后评估已完成"),
    Step("publish_post_evaluation", "公开决策后评估", _simple(f.PublishEvaluationForm),
         lambda u, d, c: services.publish_post_evaluation(
             _need(_unpublished_evaluation(d), "没有待公开的决策后评估", "MDEC-15"), by=u, on=c["on"]),
         "决策后评估已在门户网站公开", intro="公开评估报告和结论；未公开的评估结论不在门户网站显示。"),
    Step("adjust", "调整决策", _simple(f.AdjustDecisionForm),
         lambda u, d, c: services.adjust_decision(d, by=u, **c), "已记录决策调整"),
    Step("stop", "停止执行", _simple(f.StopForm),
         lambda u, d, c: services.stop_decision(d, by=u, **c), "已停止执行", danger=True),
    Step("abandon", "终止决策程序", _simple(f.AbandonForm),
         lambda u, d, c: services.abandon_decision(d, by=u, reason=c["reason"], today=_today()),
         "已终止决策程序", danger=True),
]}


def _may(user, step: Step, d: Decision) -> bool:
    return selectors.can(user, actions.SPECS[step.key].permission, d)


def _initial(key: str, d: Decision, today: date) -> dict:
    if key == "start_consultation":
        from fazhi.major_decisions import rules

        return {"start_on": today, "end_on": rules.consultation_min_end(today).due}
    if key == "save_draft":
        return {"draft_text": d.draft_text, "draft_explanation": d.draft_explanation,
                "touches_market": d.touches_market, "fair_competition_note": d.fair_competition_note}
    if key == "select_experts":
        return {"selected_on": today, "field": d.expert_field, "method": "random", "count": 3}
    if key == "submit_legal_review":
        return {"submitted_on": today, "materials": list(f.LEGAL_MATERIALS)}
    if key == "discuss":
        return {"held_on": today, "meeting_type": "standing"}
    if key == "publish":
        return {"published_on": today, "party_reported_on": today}
    if key == "start_post_evaluation":
        return {"started_on": today}
    if key == "publish_post_evaluation":
        return {"on": today}
    dates = {"publish_consultation_summary": "published_on", "record_expert_opinion": "signed_on",
             "complete_expert_review": "held_on", "record_risk_assessment": "assessed_on",
             "record_mitigation": "mitigated_on", "legal_review": "decided_on",
             "start_execution": "started_on", "report_execution": "reported_on",
             "finish_post_evaluation": "finished_on", "adjust": "decided_on", "stop": "decided_on"}
    return {dates[key]: today} if key in dates else {}


PROGRESS = [
    # (label, rule, step, status that means "here")
    ("启动", "MDEC-03", None, Status.LAUNCHED),
    ("草案拟订", "MDEC-03", None, Status.DRAFTING),
    ("公众参与", "MDEC-04", ProcStep.PARTICIPATION, Status.PARTICIPATION),
    ("专家论证", "MDEC-06", ProcStep.EXPERT_REVIEW, Status.EXPERT_REVIEW),
    ("风险评估", "MDEC-07", ProcStep.RISK_ASSESSMENT, Status.RISK_ASSESSMENT),
    ("合法性审查", "MDEC-08/09", None, Status.LEGAL_REVIEW),
    ("集体讨论决定", "MDEC-10/11", None, Status.DISCUSSION),
    ("公布", "MDEC-12/13", None, Status.DECIDED),
    ("执行", "MDEC-15", None, Status.PUBLISHED),
]
_ORDER = [p[3] for p in PROGRESS]


def progress(d: Decision, facts: dict) -> list[dict]:
    """The legal steps this decision requires, each done / current / pending
    (/ blocked for a 高 risk not mitigated). Optional steps the catalogue does
    not require are left out; 后评估 and 调整/停止 appear once they happen."""
    required = set(d.required_steps())
    status = d.status
    if status in _ORDER:
        here = _ORDER.index(status)
    elif status in (Status.EXECUTING, Status.EVALUATING, Status.ADJUSTED, Status.STOPPED):
        here = len(_ORDER)
    else:  # abandoned: what was done stays done
        here = -1
    # The optional steps may be passed over in the state order: after
    # drafting a decision may go straight to legality review.
    out = []
    for label, rule, step, st in PROGRESS:
        if step is not None and step not in required:
            continue
        i = _ORDER.index(st)
        state = "done" if i < here else "current" if i == here else "pending"
        if st == Status.PUBLISHED and status in (Status.EXECUTING, Status.EVALUATING, Status.ADJUSTED):
            state = "current" if status == Status.EXECUTING else "done"
        if state == "current" and st == Status.RISK_ASSESSMENT and facts.get("risk_blocking"):
            state = "blocked"
        out.append({"label": label, "rule": rule, "state": state})
    if status == Status.ABANDONED:
        # Mark the steps whose records exist as done.
        done = {"启动", "草案拟订"} if d.draft_text else {"启动"}
        for s in out:
            s["state"] = "done" if s["label"] in done else "pending"
    if status == Status.EVALUATING or d.post_evaluations.exists():
        out.append({"label": "决策后评估", "rule": "MDEC-15",
                    "state": "current" if status == Status.EVALUATING else "done"})
    if status in (Status.ADJUSTED, Status.STOPPED):
        out.append({"label": "调整/停止", "rule": "MDEC-16", "state": "done"})
    return out


def _detail_decision(user, pk) -> Decision:
    return (selectors.decisions(user)
            .select_related("execution_unit", "entry__catalogue", "entry__sponsor_unit")
            .prefetch_related("consultations")
            .get(pk=pk))


def _attach_steps(user, d: Decision) -> list[str]:
    return [s for s in AttachmentStep.values if services.may_attach(user, d, s)]


def _attachment_form(user, d: Decision, data=None, files=None):
    steps = _attach_steps(user, d)
    return f.AttachmentForm(data, files, steps=steps, prefix="att") if steps else None


def _attachment_groups(d: Decision) -> list[dict]:
    """The decision's attachments, grouped by step in legal order."""
    items = list(d.attachments.order_by("uploaded_at", "pk"))
    return [{"step": label, "items": [a for a in items if a.step == value]}
            for value, label in AttachmentStep.choices if any(a.step == value for a in items)]


def _render_detail(request, d: Decision, *, bound: dict | None = None, error: str = "", status: int = 200,
                   attachment_form=None):
    user = request.user
    today = _today()
    available = actions.available_actions(d, user, today)
    facts = selectors.procedure_facts(d)
    bound = bound or {}
    steps = []
    # answer_comment is offered as the answer form under each comment, not as a step form
    for key in (k for k in available.offered if k in STEPS):
        step = STEPS[key]
        form = bound.get(key) or step.form(d, None, _initial(key, d, today), key)
        steps.append({"step": step, "form": form, "open": key in bound,
                      "url": reverse("major_decisions:decision_action", args=[d.pk, key]),
                      # what the step would publish, for the personal-data check (core.privacy)
                      "privacy_record": _privacy_record(d, key)})
    can_answer = "answer_comment" in available
    consultation_rows = []
    for c in d.consultations.prefetch_related("comments").order_by("start_on", "pk"):
        comments = list(c.comments.all())
        consultation_rows.append({
            "c": c, "comments": comments, "unanswered": sum(1 for x in comments if not x.adoption),
            "can_answer": can_answer and c.state == Consultation.State.CLOSED and not c.summary_published_on})
    reviews = list(d.expert_reviews.select_related("pool").prefetch_related("opinions", "draws")
                   .order_by("selected_on", "pk"))
    for r in reviews:
        r.draw_history = sorted(r.draws.all(), key=lambda x: x.number)
        r.current_draw = next((x for x in reversed(r.draw_history) if x.status != "superseded"), None)
        r.redraws = max(len(r.draw_history) - 1, 0)
        pending = r.current_draw is not None and r.current_draw.status == "committed"
        r.redraw_ok = selectors.verify_draw(r) if r.method == "random" and not pending else None
    risk = selectors.latest_risk(d)
    blocked = ""
    if d.status == Status.RISK_ASSESSMENT and facts.get("risk_blocking"):
        blocked = ("风险评估等级为“高”，决策程序暂停：须记录风险化解措施（调整决策草案）并重新评估为中、低风险后，"
                   "方可送合法性审查（MDEC-07）")
    ctx = {
        "d": d,
        "today": today,
        "error": error,
        "steps": steps,
        "blocked_steps": available.blocked,
        "progress": progress(d, facts),
        "required": [s.label for s in d.required_steps()],
        "skipped": workflow.skipped_steps(d),
        "blocked": blocked,
        "public_states": PUBLIC_STATES,
        "past_decision": d.status not in PRE_DECISION_STATES,  # the plan's 计划完成 is met or moot
        "consultation_rows": consultation_rows,
        "adoption_choices": [("", "请选择"), *Adoption.choices],
        "expert_reviews": reviews,
        "risks": list(d.risk_assessments.prefetch_related("experts").order_by("assessed_on", "pk")),
        "latest_risk": risk,
        "legal_reviews": list(d.legal_reviews.order_by("submitted_on", "pk")),
        "discussions": list(d.discussions.select_related("host", "head").prefetch_related("votes")
                            .order_by("held_on", "pk")),
        "executions": list(d.execution_reports.select_related("reporting_unit").order_by("reported_on", "pk")),
        "evaluations": list(d.post_evaluations.order_by("started_on", "pk")),
        "changes": list(d.changes.order_by("decided_on", "pk")),
        "responsibilities": selectors.responsible_for(d),
        "attachment_groups": _attachment_groups(d),
        "attachment_form": attachment_form or _attachment_form(user, d),
    }
    return render(request, "major_decisions/decision_detail.html", ctx, status=status)


@require_http_methods(["GET"])
@domain_errors
def decision_detail(request, pk):
    return _render_detail(request, _detail_decision(request.user, pk))


@require_POST
@domain_errors
def decision_action(request, pk, step):
    user = request.user
    d = _detail_decision(user, pk)
    spec = STEPS.get(step)
    if spec is None:
        raise Http404()
    if not _may(user, spec, d):
        raise HttpForbidden("您没有执行此操作的权限")
    form = spec.form(d, request.POST, None, step)
    if not form.is_valid():
        return _render_detail(request, d, bound={step: form}, error=f"“{spec.label}”未完成：请检查填写的内容",
                              status=400)
    try:
        spec.run(user, d, form.cleaned_data)
    except PermissionDenied:
        raise
    except DomainError as exc:
        place_error(form, exc)
        d = _detail_decision(user, pk)  # re-read: nothing was changed
        return _render_detail(request, d, bound={step: form}, error=format_html("“{}”未完成：{}", spec.label, exc),
                              status=exc.status)
    messages.success(request, spec.done)
    return redirect("major_decisions:decision_detail", pk=d.pk)


@require_POST
@domain_errors
def comment_answer(request, pk, comment_pk):
    user = request.user
    d = _detail_decision(user, pk)
    comment = Comment.objects.filter(pk=comment_pk, consultation__decision=d).first()
    if comment is None:
        raise Http404()
    target = f"{reverse('major_decisions:decision_detail', args=[d.pk])}#comment-{comment.pk}"
    form = f.AnswerCommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择采纳情况并填写理由")
        return redirect(target)
    try:
        services.answer_comment(comment, by=user, adoption=form.cleaned_data["adoption"],
                                reason=form.cleaned_data["reason"])
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, format_html("答复未保存：{}", exc))
    else:
        messages.success(request, "已答复该条意见")
    return redirect(target)


@require_http_methods(["GET", "POST"])
@domain_errors
def decision_launch(request, entry_pk):
    user = request.user
    entry = (CatalogueEntry.objects.select_related("catalogue__unit", "sponsor_unit")
             .filter(catalogue__in=selectors.catalogues(user)).get(pk=entry_pk))
    _require(user, SPONSOR, entry.sponsor_unit)
    form = f.LaunchForm(request.POST or None, initial={"launched_on": _today(), "title": entry.title})
    if request.method == "POST" and form.is_valid():
        with refused_onto(form) as outcome:
            d = services.launch_decision(entry, by=user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, f"已启动决策“{d.title}”")
            return redirect("major_decisions:decision_detail", pk=d.pk)
    return render(request, "major_decisions/decision_launch.html", {"entry": entry, "form": form},
                  status=400 if form.errors else 200)


# ----------------------------------------------------------------- attachments

@require_POST
@domain_errors
def attachment_add(request, pk):
    """File an attachment under a step (MDEC-14); the type is judged by content."""
    user = request.user
    d = _detail_decision(user, pk)
    form = _attachment_form(user, d, request.POST, request.FILES)
    if form is None:
        raise HttpForbidden("您没有上传该决策材料的权限")
    if not form.is_valid():
        return _render_detail(request, d, attachment_form=form, error="附件未上传：请检查填写的内容", status=400)
    c = form.cleaned_data
    try:
        att = services.attach_file(d, by=user, step=c["step"], title=c["title"], upload=c["file"])
    except PermissionDenied:
        raise
    except DomainError as exc:
        place_error(form, exc)
        d = _detail_decision(user, pk)
        return _render_detail(request, d, attachment_form=form, error=format_html("附件未上传：{}", exc), status=exc.status)
    messages.success(request, f"已上传“{att.title}”")
    return redirect(f"{reverse('major_decisions:decision_detail', args=[d.pk])}#attachments")


@require_http_methods(["GET"])
@domain_errors
def attachment_download(request, pk, att_pk):
    """An attachment of a decision the user may see (another unit: 404)."""
    d = selectors.decision_for(request.user, pk)
    att = d.attachments.filter(pk=att_pk).first()
    if att is None:
        raise Http404()
    resp = FileResponse(att.file.open("rb"), as_attachment=True, filename=att.original_name,
                        content_type=att.content_type)
    resp["X-Content-Type-Options"] = "nosniff"
    return resp


# ----------------------------------------------------------------- dossier

@require_http_methods(["GET"])
@domain_errors
def dossier_docx(request, pk):
    d = selectors.decision_for(request.user, pk)
    return _download(dossier.build_dossier_docx(d), DOCX, f"{dossier.dossier_name(d)}.docx")


@require_http_methods(["GET"])
@domain_errors
def dossier_zip(request, pk):
    d = selectors.decision_for(request.user, pk)
    return _download(dossier.build_dossier_zip(d), "application/zip", f"{dossier.dossier_name(d)}.zip")


@require_http_methods(["GET"])
@domain_errors
def expert_draw_bundle(request, pk, draw_pk):
    """A revealed expert draw as a folder for ``manage.py draw_verify`` (zip)."""
    d = selectors.decision_for(request.user, pk)
    draw = ExpertDraw.objects.filter(review__decision=d, pk=draw_pk, receipt__isnull=False).first()
    if draw is None:
        raise Http404()
    return _download(expert_draw.bundle(draw), "application/zip", f"expert-draw-{draw.pk}.zip")


# ================================================================ catalogue

CATALOGUE_TABLE = Table("重大行政决策事项目录", [
    Column("目录", "title", sort="title", link=lambda c: reverse("major_decisions:catalogue_detail", args=[c.pk])),
    Column("年度", "year", sort="year"),
    Column("决策机关", "unit.name", sort="unit__path"),
    Column("事项数", "n_entries"),
    Column("状态", lambda c: c.get_status_display(), sort="status"),
    Column("公布日期", "published_on", sort="published_on"),
    Column("当前版本", lambda c: f"第{c.version}版" if c.version else ""),
    Column("完成情况公布", "completion_published_on", sort="completion_published_on"),
], default_sort="-year")


@require_http_methods(["GET", "POST"])
@domain_errors
def catalogue_list(request):
    user = request.user
    _require(user, VIEW)
    today = _today()
    filters = f.CatalogueFilterForm(request.GET or None, unit_choices=org_selectors.unit_choices(user, VIEW),
                                    years=_years(today))
    d = filters.cleaned_data if filters.is_valid() else {}
    manage_units = org_selectors.unit_choices(user, CATALOGUE)
    form = None
    status = 200
    if manage_units:
        form = f.CatalogueCreateForm(request.POST or None, unit_choices=manage_units,
                                     initial={"year": today.year, "unit": manage_units[0][0]})
        if request.method == "POST":
            if form.is_valid():
                c = form.cleaned_data
                with refused_onto(form) as outcome:
                    cat = services.create_catalogue(_unit(c["unit"]), by=user, year=c["year"], title=c["title"])
                if outcome.ok:
                    messages.success(request, f"已新建“{cat.title}”")
                    return redirect("major_decisions:catalogue_detail", pk=cat.pk)
            status = 400
    elif request.method == "POST":
        raise HttpForbidden("您没有编制目录的权限")
    qs = selectors.catalogues(user).annotate(n_entries=Count("entries", filter=Q(entries__removed=False)))
    if d.get("year"):
        qs = qs.filter(year=d["year"])
    if d.get("unit"):
        qs = qs.filter(unit_id=d["unit"])
    response = CATALOGUE_TABLE.respond(request, qs, "major_decisions/catalogue_list.html",
                                       {"filters": filters, "form": form})
    response.status_code = status
    return response


ENTRY_EXPORT = Table("决策事项目录", [
    Column("序号", "seq"),
    Column("事项名称", "title"),
    Column("事项类别", lambda e: e.get_category_display()),
    Column("承办单位", "sponsor_unit.name"),
    Column("法律政策依据", "basis"),
    Column("应履行程序", lambda e: "、".join(str(s) for s in e.required_steps())),
    Column("计划完成时间", "planned_completion"),
    Column("已调出", "removed"),
    Column("年度完成情况", lambda e: e.get_completion_display()),
    Column("完成情况说明", "completion_note"),
], default_sort="seq")


def _catalogue_for(user, pk) -> Catalogue:
    return selectors.catalogues(user).get(pk=pk)


def _entry_choices(c: Catalogue, *, active_only=True) -> list[tuple[int, str]]:
    qs = c.entries.order_by("seq")
    if active_only:
        qs = qs.filter(removed=False)
    return [(e.pk, f"{e.seq}. {e.title}") for e in qs]


def _sponsor_choices(c: Catalogue) -> list[tuple[int, str]]:
    units = Unit.objects.filter(is_active=True, path__startswith=c.unit.path).order_by("path")
    return [(u.pk, f"{'　' * (u.depth - c.unit.depth)}{u.name}") for u in units]


@dataclass(frozen=True)
class CatStep:
    key: str
    label: str
    permission: str
    form: Callable[..., Any]  # (catalogue, data, initial, prefix)
    run: Callable[[Any, Catalogue, Any], Any]  # (user, catalogue, form)
    done: str
    intro: str = ""


def _entry_form(c, data=None, initial=None, prefix=None):
    return f.EntryForm(data, initial=initial, prefix=prefix, unit_choices=_sponsor_choices(c))


def _run_add_entry(user, c, form):
    data = dict(form.cleaned_data)
    data["sponsor_unit"] = _unit(data["sponsor_unit"])
    return services.add_entry(c, by=user, **data)


def _adjust_form(c, data=None, initial=None, prefix=None):
    return f.AdjustForm(data, initial=initial, prefix=prefix, unit_choices=_sponsor_choices(c),
                        entry_choices=_entry_choices(c))


def _run_adjust(user, c, form):
    cd = form.cleaned_data
    fields = form.entry_fields()
    if "sponsor_unit" in fields:
        fields["sponsor_unit"] = _unit(fields["sponsor_unit"])
    entry = c.entries.filter(pk=cd["entry"]).first() if cd["entry"] else None
    if cd["kind"] == AdjustmentKind.REMOVE:
        fields = {}
    return services.adjust_catalogue(c, by=user, kind=cd["kind"], reason=cd["reason"], adjusted_on=cd["adjusted_on"],
                                     entry=entry, fields=fields, party_consent_note=cd["party_consent_note"])


def _completion_form(c, data=None, initial=None, prefix=None):
    return f.CompletionForm(data, initial=initial, prefix=prefix, entry_choices=_entry_choices(c))


def _run_completion(user, c, form):
    cd = form.cleaned_data
    entry = c.entries.filter(pk=cd["entry"]).first()
    if entry is None:
        raise Conflict("请选择本目录中的事项", rule="MDEC-02")
    return services.set_completion(entry, by=user, completion=cd["completion"], note=cd["note"])


def _cat_simple(form_class):
    return lambda c, data=None, initial=None, prefix=None: form_class(data, initial=initial, prefix=prefix)


CAT_STEPS: dict[str, CatStep] = {s.key: s for s in [
    CatStep("add_entry", "增加事项", CATALOGUE, _entry_form, _run_add_entry, "已增加事项",
            intro="草拟阶段可直接增减事项；批准后只能通过目录调整（MDEC-02）。"),
    CatStep("approve", "批准目录", DECIDE, _cat_simple(f.ApproveForm),
            lambda u, c, form: services.approve_catalogue(c, by=u, **form.cleaned_data), "目录已批准",
            intro="目录须经同级党委同意后批准（MDEC-02）。"),
    CatStep("publish", "公布目录", CATALOGUE, _cat_simple(f.PublishCatalogueForm),
            lambda u, c, form: services.publish_catalogue(c, by=u, **form.cleaned_data), "目录已在门户网站公布"),
    CatStep("adjust", "调整目录", CATALOGUE, _adjust_form, _run_adjust, "目录已调整并重新公布",
            intro="增加、调出或变更事项，须写明理由；调整后自动重新公布新版本（MDEC-02）。"
                  "变更时只填写需要变更的内容。"),
    CatStep("completion", "填报完成情况", CATALOGUE, _completion_form, _run_completion, "已填报完成情况"),
    CatStep("publish_completion", "公布年度完成情况", CATALOGUE, _cat_simple(f.PublishCompletionForm),
            lambda u, c, form: services.publish_completion(c, by=u, **form.cleaned_data),
            "年度完成情况已公布", intro="每个事项都须填报完成情况（MDEC-02）。"),
]}


def _cat_offered(user, c: Catalogue) -> list[str]:
    keys = []
    for s in CAT_STEPS.values():
        if not access.allowed(user, s.permission, c.unit):
            continue
        if s.key in ("add_entry", "approve") and c.status == CatalogueStatus.DRAFT:
            keys.append(s.key)
        elif s.key == "publish" and c.status == CatalogueStatus.APPROVED:
            keys.append(s.key)
        elif s.key in ("adjust", "completion", "publish_completion") and c.status == CatalogueStatus.PUBLISHED \
                and not c.completion_published_on:
            keys.append(s.key)
    return keys


def _cat_initial(key: str, c: Catalogue, today: date) -> dict:
    return {
        "approve": {"approved_on": today, "party_consent_on": today},
        "publish": {"published_on": today},
        "adjust": {"adjusted_on": today},
        "publish_completion": {"published_on": today},
        "add_entry": {"needs_participation": True},
    }.get(key, {})


_CHANGE_LABELS = {"added": "增加事项", "removed": "调出事项"}


def _show(v) -> str:
    if v is None or v == "":
        return "—"
    if isinstance(v, bool):
        return "是" if v else "否"
    return str(v)


def _change_rows(changes: dict) -> list[tuple[str, str, str]]:
    """An adjustment's {field: [old, new]} as (中文字段名, 原值, 新值) rows."""
    rows = []
    for key, value in (changes or {}).items():
        if key in _CHANGE_LABELS:
            rows.append((_CHANGE_LABELS[key], "", str(value)))
            continue
        try:
            label = str(CatalogueEntry._meta.get_field(key).verbose_name)
        except Exception:  # a field renamed since: show the stored key
            label = key
        old, new = (value + [None, None])[:2] if isinstance(value, list) else (None, value)
        rows.append((label, _show(old), _show(new)))
    return rows


def _render_catalogue(request, c: Catalogue, *, bound: dict | None = None, error: str = "", status: int = 200):
    user = request.user
    today = _today()
    bound = bound or {}
    entries = list(c.entries.select_related("sponsor_unit").prefetch_related(
        Prefetch("decisions", queryset=Decision.objects.filter(selectors.visible_q(user)).order_by("pk"))
    ).order_by("seq"))
    may_launch_units = {e.sponsor_unit_id for e in entries if access.allowed(user, SPONSOR, e.sponsor_unit)}
    rows = []
    for e in entries:
        ds = list(e.decisions.all())
        done = e.removed or e.completion == Completion.COMPLETED or any(x.status in PUBLIC_STATES for x in ds)
        rows.append({
            "e": e, "decisions": ds, "required": e.required_steps(), "done": done,
            "overdue": bool(e.planned_completion and e.planned_completion < today and not done),
            "can_launch": c.status == CatalogueStatus.PUBLISHED and not e.removed
            and e.sponsor_unit_id in may_launch_units and not c.completion_published_on,
        })
    steps = []
    for key in _cat_offered(user, c):
        s = CAT_STEPS[key]
        steps.append({"key": key, "label": s.label, "intro": s.intro, "open": key in bound,
                      "form": bound.get(key) or s.form(c, None, _cat_initial(key, c, today), key),
                      "url": reverse("major_decisions:catalogue_action", args=[c.pk, key])})
    adjustments = list(c.adjustments.select_related("entry", "publication").order_by("adjusted_on", "pk"))
    for a in adjustments:
        a.change_rows = _change_rows(a.changes)
    return render(request, "major_decisions/catalogue_detail.html", {
        "c": c, "entries": rows, "steps": steps, "error": error, "today": today,
        "can_edit_entries": c.status == CatalogueStatus.DRAFT and access.allowed(user, CATALOGUE, c.unit),
        "adjustments": adjustments,
        "publications": list(c.publications.order_by("-version")),
    }, status=status)


@require_http_methods(["GET"])
@domain_errors
def catalogue_detail(request, pk):
    c = _catalogue_for(request.user, pk)
    if request.GET.get("export") == "xlsx":
        table = Table(f"{c.year}年决策事项目录", ENTRY_EXPORT.columns, default_sort="seq")
        return table.export(c.entries.select_related("sponsor_unit").order_by("seq"))
    return _render_catalogue(request, c)


@require_POST
@domain_errors
def catalogue_action(request, pk, step):
    user = request.user
    c = _catalogue_for(user, pk)
    spec = CAT_STEPS.get(step)
    if spec is None:
        raise Http404()
    if not access.allowed(user, spec.permission, c.unit):
        raise HttpForbidden("您没有执行此操作的权限")
    form = spec.form(c, request.POST, None, step)
    if not form.is_valid():
        return _render_catalogue(request, c, bound={step: form}, error=f"“{spec.label}”未完成：请检查填写的内容",
                                 status=400)
    try:
        spec.run(user, c, form)
    except PermissionDenied:
        raise
    except DomainError as exc:
        place_error(form, exc)
        c = _catalogue_for(user, pk)
        return _render_catalogue(request, c, bound={step: form}, error=format_html("“{}”未完成：{}", spec.label, exc),
                                 status=exc.status)
    messages.success(request, spec.done)
    return redirect("major_decisions:catalogue_detail", pk=c.pk)


@require_http_methods(["GET", "POST"])
@domain_errors
def entry_edit(request, pk, entry_pk):
    """Edit a matter of a draft catalogue (after approval: 目录调整, MDEC-02)."""
    user = request.user
    c = _catalogue_for(user, pk)
    entry = c.entries.select_related("sponsor_unit").get(pk=entry_pk)
    if not access.allowed(user, CATALOGUE, c.unit):
        raise HttpForbidden("您没有编制该目录的权限")
    if c.status != CatalogueStatus.DRAFT:
        messages.error(request, "目录已批准，变更事项须通过目录调整并重新公布（MDEC-02）")
        return redirect(f"{reverse('major_decisions:catalogue_detail', args=[c.pk])}#entry-{entry.pk}")
    initial = {name: getattr(entry, name) for name in services.ENTRY_FIELDS}
    initial["sponsor_unit"] = entry.sponsor_unit_id
    form = f.EntryForm(request.POST or None, initial=initial, unit_choices=_sponsor_choices(c))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["sponsor_unit"] = _unit(data["sponsor_unit"])
        with refused_onto(form) as outcome:
            services.update_entry(entry, by=user, **data)
        if outcome.ok:
            messages.success(request, f"已保存事项“{data['title']}”")
            return redirect(f"{reverse('major_decisions:catalogue_detail', args=[c.pk])}#entry-{entry.pk}")
    return render(request, "major_decisions/entry_form.html", {"form": form, "c": c, "entry": entry},
                  status=400 if form.errors else 200)


@require_POST
@domain_errors
def entry_delete(request, pk, entry_pk):
    """Take a matter out of a draft catalogue (after approval: 目录调整, MDEC-02)."""
    user = request.user
    c = _catalogue_for(user, pk)
    entry = c.entries.get(pk=entry_pk)
    try:
        services.delete_entry(entry, by=user)
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, format_html("事项未删除：{}", exc))
    else:
        messages.success(request, f"已删除事项“{entry.title}”")
    return redirect("major_decisions:catalogue_detail", pk=c.pk)


# ================================================================== experts

def _visible_pools(user) -> list[ExpertPool]:
    """Pools of the governments the user works under: those of the units the
    user may view and of the units above them (a department uses its
    government's pool, MDEC-06)."""
    ids: set[int] = set()
    for u in access.visible_units(user, VIEW).only("path"):
        ids.update(int(p) for p in u.path.split("/") if p)
    if access.is_admin(user):
        return list(ExpertPool.objects.select_related("unit").order_by("unit__path", "kind"))
    return list(ExpertPool.objects.filter(unit_id__in=ids).select_related("unit").order_by("unit__path", "kind"))


EXPERT_TABLE = Table("专家库", [
    Column("姓名", "name", sort="name", link=lambda e: reverse("major_decisions:expert_detail", args=[e.pk])),
    Column("专家库", "pool.name", sort="pool__kind"),
    Column("专业领域", lambda e: "、".join(e.field_list)),
    Column("工作单位", "affiliation", sort="affiliation"),
    Column("职称/职务", "title"),
    Column("回避单位", lambda e: "、".join(u.short_name or u.name for u in e.conflict_units.all())),
    Column("论证/评估次数", "n_reviews"),
    Column("状态", lambda e: "在库" if e.is_active else "已出库", sort="is_active"),
], default_sort="name")


@require_http_methods(["GET"])
def expert_list(request):
    user = request.user
    _require(user, VIEW)
    pools = _visible_pools(user)
    kind = request.GET.get("kind", "")
    form = f.ExpertFilterForm(request.GET or None)
    d = form.cleaned_data if form.is_valid() else {}
    qs = (Expert.objects.filter(pool__in=pools).select_related("pool__unit").prefetch_related("conflict_units")
          .annotate(n_reviews=Count("responsibilities__decision", distinct=True)))
    if kind in PoolKind.values:
        qs = qs.filter(pool__kind=kind)
    if d.get("q"):
        qs = qs.filter(Q(name__icontains=d["q"]) | Q(affiliation__icontains=d["q"]))
    if d.get("field"):
        qs = qs.filter(fields__icontains=d["field"])
    if d.get("active") in ("1", "0"):
        qs = qs.filter(is_active=d["active"] == "1")
    return EXPERT_TABLE.respond(request, qs, "major_decisions/expert_list.html", {
        "filters": form, "kinds": PoolKind.choices, "pool_kind": kind if kind in PoolKind.values else "",
        "can_manage": any(access.allowed(user, EXPERTS, p.unit) for p in pools),
        "pools": pools, "missing_pools": _missing_pools(user, pools),
    })


def _missing_pools(user, pools) -> list[tuple[Unit, str, str]]:
    """(government, kind, label) of the pools a user may set up and that do not exist yet."""
    have = {(p.unit_id, p.kind) for p in pools}
    govs = org_selectors.units_for(user, EXPERTS).filter(kind="government", is_active=True).order_by("path")
    return [(u, k, label) for u in govs for k, label in PoolKind.choices if (u.pk, k) not in have]


@require_POST
@domain_errors
def pool_create(request):
    """Set up a government's 决策咨询专家库 or 社会稳定风险评估专家库 (MDEC-06/07)."""
    user = request.user
    unit = _unit(request.POST.get("unit")) if (request.POST.get("unit") or "").isdigit() else None
    if unit is None:
        raise Http404()
    try:
        pool = services.create_pool(unit, by=user, kind=request.POST.get("kind", ""))
    except PermissionDenied:
        raise
    except DomainError as exc:
        messages.error(request, format_html("专家库未建立：{}", exc))
        return redirect("major_decisions:expert_list")
    messages.success(request, f"已建立“{pool.name}”")
    return redirect(f"{reverse('major_decisions:expert_list')}?kind={pool.kind}")


def _expert_for(user, pk) -> Expert:
    pools = _visible_pools(user)
    return Expert.objects.select_related("pool__unit").prefetch_related("conflict_units").get(pk=pk, pool__in=pools)


def _managed_pools(user) -> list[ExpertPool]:
    return [p for p in _visible_pools(user) if access.allowed(user, EXPERTS, p.unit)]


def _all_unit_choices() -> list[tuple[int, str]]:
    return [(u.pk, f"{'　' * u.depth}{u.name}") for u in Unit.objects.filter(is_active=True).order_by("path")]


@require_http_methods(["GET", "POST"])
@domain_errors
def expert_create(request):
    user = request.user
    pools = _managed_pools(user)
    if not pools:
        raise HttpForbidden("您没有管理专家库的权限")
    kind = request.GET.get("kind", "")
    initial = {"pool": next((p.pk for p in pools if p.kind == kind), pools[0].pk)}
    form = f.ExpertForm(request.POST or None, initial=initial, pool_choices=[(p.pk, p.name) for p in pools],
                        unit_choices=_all_unit_choices())
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        pool = next(p for p in pools if p.pk == c["pool"])
        try:
            e = services.add_expert(pool, by=user, name=c["name"], fields=c["fields_text"],
                                    affiliation=c["affiliation"], title=c["title"], phone=c["phone"],
                                    conflict_units=list(Unit.objects.filter(pk__in=c["conflict_units"])))
        except PermissionDenied:
            raise
        except DomainError as exc:
            exc.fields = {("fields_text" if k == "fields" else k): v for k, v in (exc.fields or {}).items()}
            place_error(form, exc)
        else:
            messages.success(request, f"已添加专家{e.name}")
            return redirect("major_decisions:expert_detail", pk=e.pk)
    return render(request, "major_decisions/expert_form.html", {"form": form, "expert": None},
                  status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@domain_errors
def expert_edit(request, pk):
    user = request.user
    e = _expert_for(user, pk)
    if not access.allowed(user, EXPERTS, e.pool.unit):
        raise HttpForbidden("您没有管理该专家库的权限")
    initial = {"pool": e.pool_id, "name": e.name, "fields_text": "、".join(e.field_list),
               "affiliation": e.affiliation, "title": e.title, "phone": e.phone,
               "conflict_units": [u.pk for u in e.conflict_units.all()], "is_active": e.is_active}
    form = f.ExpertForm(request.POST or None, initial=initial, pool_choices=[(e.pool_id, e.pool.name)],
                        unit_choices=_all_unit_choices(), editing=True)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.update_expert(e, by=user, name=c["name"], fields=c["fields_text"], affiliation=c["affiliation"],
                                   title=c["title"], phone=c["phone"], is_active=c["is_active"],
                                   conflict_units=list(Unit.objects.filter(pk__in=c["conflict_units"])))
        except PermissionDenied:
            raise
        except DomainError as exc:
            exc.fields = {("fields_text" if k == "fields" else k): v for k, v in (exc.fields or {}).items()}
            place_error(form, exc)
        else:
            messages.success(request, "专家信息已保存")
            return redirect("major_decisions:expert_detail", pk=e.pk)
    return render(request, "major_decisions/expert_form.html", {"form": form, "expert": e},
                  status=400 if form.errors else 200)


@require_http_methods(["GET"])
@domain_errors
def expert_detail(request, pk):
    user = request.user
    e = _expert_for(user, pk)
    visible = set(selectors.decisions(user).values_list("pk", flat=True))
    history = []
    opinions = {(o.review.decision_id): o for o in ExpertOpinion.objects.filter(expert=e).select_related("review")}
    for r in selectors.expert_history(e):
        o = opinions.get(r.decision_id) if r.step == ProcStep.EXPERT_REVIEW else None
        history.append({
            "on": r.acted_on, "decision": r.decision, "visible": r.decision_id in visible,
            "step": r.get_step_display(),
            "method": o.review.get_method_display() if o else "",
            "stance": (o.get_stance_display() if o and o.stance else r.note),
            "signed": ("已签署" if o.signed else "未签署") if o else "",
        })
    # Selected but not yet signed: no Responsibility row yet.
    seen = {h["decision"].pk for h in history if h["step"] == ProcStep.EXPERT_REVIEW.label}
    for o in ExpertOpinion.objects.filter(expert=e, signed=False).select_related("review__decision__unit"):
        if o.review.decision_id not in seen:
            history.append({"on": o.review.selected_on, "decision": o.review.decision,
                            "visible": o.review.decision_id in visible, "step": "专家论证（已选取）",
                            "method": o.review.get_method_display(), "stance": "待提交", "signed": "未签署"})
    history.sort(key=lambda h: h["on"], reverse=True)
    return render(request, "major_decisions/expert_detail.html", {
        "expert": e, "conflicts": list(e.conflict_units.all()), "history": history,
        "can_manage": access.allowed(user, EXPERTS, e.pool.unit),
    })


# =========================================================== accountability

HISTORY_EXPORT = Table("决策责任追溯", [
    Column("日期", "acted_on"),
    Column("决策事项", "decision.title"),
    Column("决策机关", "decision.unit.name"),
    Column("决策状态", lambda r: r.decision.get_status_display()),
    Column("程序环节", lambda r: r.get_step_display()),
    Column("参与身份", lambda r: r.get_capacity_display()),
    Column("时任姓名", "name"),
    Column("时任职务", "post"),
    Column("时任单位", "unit_name"),
    Column("持不同意见", "dissent"),
    Column("说明", "note"),
], default_sort="-acted_on")


MAX_PEOPLE = 300


@require_http_methods(["GET"])
@domain_errors
def person_history(request):
    """Every decision a person took part in and in what capacity, with the
    name/post/unit recorded then (MDEC-17). Any person: moved, resigned or
    inactive people are found through their recorded participation."""
    user = request.user
    _require(user, VIEW)
    vis = selectors.visible_q(user, "decision__")
    q = (request.GET.get("q") or "").strip()[:50]
    person = None
    rows: list[Responsibility] = []
    matches = []
    base = Responsibility.objects.filter(vis)
    if request.GET.get("person", "").isdigit():
        p = Person.objects.select_related("unit").filter(pk=int(request.GET["person"])).first()
        if p is None or not base.filter(person=p).exists():
            raise Http404()
        person = {"kind": "staff", "name": p.name, "unit": p.unit.name, "post": p.post,
                  "state": "在职" if p.is_active else "已离职/停用"}
        rows = list(selectors.decisions_of_person(p).filter(vis))
    elif request.GET.get("expert", "").isdigit():
        e = Expert.objects.select_related("pool").filter(pk=int(request.GET["expert"])).first()
        if e is None or not base.filter(expert=e).exists():
            raise Http404()
        person = {"kind": "expert", "name": e.name, "state": f"{e.pool.name}专家（{e.affiliation}）"}
        rows = list(selectors.expert_history(e).filter(vis))
    else:
        # Without a name: everyone who took part (a person is chosen from the list).
        found = base.filter(Q(name__icontains=q) | Q(person__name__icontains=q)) if q else base
        found = list(found.values("person_id", "expert_id").annotate(n=Count("decision", distinct=True))
                     .order_by("-n", "person_id", "expert_id")[:MAX_PEOPLE])
        people = {p.pk: p for p in Person.objects.filter(pk__in=[x["person_id"] for x in found if x["person_id"]])
                  .select_related("unit")}
        experts = {e.pk: e for e in Expert.objects.filter(pk__in=[x["expert_id"] for x in found if x["expert_id"]])}
        for x in found:
            if x["person_id"] in people:
                p = people[x["person_id"]]
                matches.append({"name": p.name, "unit": p.unit.name, "post": p.post, "n": x["n"],
                                "state": "在职" if p.is_active else "已离职/停用",
                                "query": urlencode({"person": p.pk})})
            elif x["expert_id"] in experts:
                e = experts[x["expert_id"]]
                matches.append({"name": e.name, "unit": e.affiliation, "post": e.title, "n": x["n"],
                                "state": "专家", "query": urlencode({"expert": e.pk})})
    for r in rows:
        r.visible = True
    if person and request.GET.get("export") == "xlsx":
        return HISTORY_EXPORT.export(rows)
    params = request.GET.copy()
    params["export"] = "xlsx"
    return render(request, "major_decisions/person_history.html", {
        "q": q, "person": person, "rows": rows, "matches": matches,
        "decisions_count": len({r.decision_id for r in rows}), "export_query": params.urlencode(),
    })
