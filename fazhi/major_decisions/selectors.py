"""Reads of the major-decisions module: scoped lists, procedure facts for the
workflow guards, accountability queries, dashboard and portal.

Visibility (``major_decisions.view``): a decision is visible to whoever may
view records of its deciding government (``unit``) or of its 承办单位
(``sponsor_unit``) — a department's clerk sees the matters it sponsors,
the government's staff and the legal office see all of that government.

URL names used here (reversed lazily, "" / a fallback while missing):
``major_decisions:decision_detail``, ``major_decisions:catalogue_detail``,
``major_decisions:decision_list``, ``major_decisions_portal:decision_detail``,
``major_decisions_portal:catalogue_detail``, ``major_decisions_portal:consultation_detail``,
``major_decisions_portal:index``.
"""

from datetime import date, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from fazhi.consultations import selectors as consultation_reads
from fazhi.core.manifest import DashboardItem
from fazhi.major_decisions import expert_draw, rules, workflow
from fazhi.major_decisions.models import (
    PUBLIC_STATES,
    STEP_ORDER,
    Catalogue,
    CatalogueStatus,
    Comment,
    Consultation,
    Decision,
    Expert,
    ExpertDraw,
    ExpertDrawStatus,
    ExpertReview,
    LegalReview,
    PostEvaluation,
    Responsibility,
    RiskAssessment,
    Status,
)
from fazhi.org import access

P_VIEW = "major_decisions.view"
MODULE = "重大行政决策"


def _url(name: str, *args) -> str:
    """Reverse a URL of another part of the module; "" while it does not exist
    yet (or while the URLconf cannot be loaded, e.g. a module half-built)."""
    try:
        return reverse(name, args=args)
    except (NoReverseMatch, ImportError):
        return ""


def decision_url(pk) -> str:
    return _url("major_decisions:decision_detail", pk) or _url("major_decisions:decision_list")


# --------------------------------------------------------------- permissions

def visible_q(user, prefix: str = "") -> Q:
    """Decisions (``prefix`` "" ) or related rows (``prefix`` "decision__")
    visible to ``user`` under major_decisions.view."""
    return (access.unit_q(user, P_VIEW, f"{prefix}unit")
            | access.unit_q(user, P_VIEW, f"{prefix}sponsor_unit"))


def can_view(user, decision: Decision) -> bool:
    return (access.allowed(user, P_VIEW, decision.unit)
            or access.allowed(user, P_VIEW, decision.sponsor_unit))


def can(user, permission: str, decision: Decision) -> bool:
    """May ``user`` do ``permission`` on this decision? Sponsor steps are
    checked on the 承办单位, the others on the deciding government."""
    unit = decision.sponsor_unit if permission == "major_decisions.sponsor" else decision.unit
    return access.allowed(user, permission, unit)


# --------------------------------------------------------------- lists

def decisions(user) -> QuerySet[Decision]:
    """The decisions a user may see, ready for a list page (fixed queries)."""
    return (Decision.objects.filter(visible_q(user))
            .select_related("unit", "sponsor_unit", "entry__catalogue").order_by("-launched_on", "-pk"))


def decision_for(user, pk) -> Decision:
    """One visible decision or Decision.DoesNotExist (views turn it into 404)."""
    return decisions(user).get(pk=pk)


def catalogues(user) -> QuerySet[Catalogue]:
    """Catalogues of the governments the user may view, plus every one that
    lists a matter of a unit the user may view. One who may view everywhere
    (a 系统管理员) sees every catalogue, including one with no entries yet."""
    qs = Catalogue.objects.select_related("unit").order_by("-year", "unit__path")
    if access.is_admin(user):
        # unit_q gives the empty Q() for "everywhere"; OR-ing it with the entries
        # condition would narrow it to catalogues with entries.
        return qs
    q = access.unit_q(user, P_VIEW) | Q(entries__sponsor_unit__in=access.visible_units(user, P_VIEW))
    return qs.filter(pk__in=Catalogue.objects.filter(q).values("pk"))


def catalogue_entries(catalogue: Catalogue):
    return catalogue.entries.select_related("sponsor_unit").order_by("seq")


def experts(pool=None) -> QuerySet[Expert]:
    qs = Expert.objects.select_related("pool__unit").prefetch_related("conflict_units")
    if pool is not None:
        qs = qs.filter(pool=pool)
    return qs.order_by("pool", "name", "pk")


def expert_history(expert: Expert) -> QuerySet[Responsibility]:
    """The decisions an expert took part in (expert review or risk assessment)."""
    return (Responsibility.objects.filter(expert=expert)
            .select_related("decision__unit", "decision__sponsor_unit").order_by("-acted_on", "-pk"))


# --------------------------------------------------------------- procedure facts (workflow ctx)

PACKAGE_LABELS = {
    "draft": "决策草案",
    "fair_competition": "公平竞争审查情况",
    "consultation": "公众意见采纳情况",
    "experts": "专家论证意见采纳情况",
    "risk": "风险评估报告",
    "legal": "合法性审查意见",
}


# For a list of decisions (the 我的待办): the rows ``procedure_facts`` reads, in
# a fixed number of queries for all of them. Kept under private names so that a
# decision fetched this way is never mistaken for one whose rows a service changed.
PROCEDURE_PREFETCH = (
    Prefetch("consultations", to_attr="_facts_consultations"),
    Prefetch("expert_reviews", queryset=ExpertReview.objects.prefetch_related("opinions"), to_attr="_facts_reviews"),
    Prefetch("risk_assessments", queryset=RiskAssessment.objects.order_by("-assessed_on", "-pk"),
             to_attr="_facts_risks"),
    Prefetch("legal_reviews", queryset=LegalReview.objects.exclude(opinion="").order_by("-decided_on", "-pk"),
             to_attr="_facts_legal"),
)


def _procedure_rows(d: Decision) -> tuple[list, list, list, list]:
    """(consultations, expert reviews with opinions, risk assessments newest
    first, decided legal reviews newest first) of ``d``: from PROCEDURE_PREFETCH
    when the caller fetched ``d`` with it, else read now."""
    if not d.pk:
        return [], [], [], []
    if hasattr(d, "_facts_consultations"):
        return d._facts_consultations, d._facts_reviews, d._facts_risks, d._facts_legal
    return (list(d.consultations.all()), list(d.expert_reviews.prefetch_related("opinions")),
            list(d.risk_assessments.order_by("-assessed_on", "-pk")),
            list(d.legal_reviews.exclude(opinion="").order_by("-decided_on", "-pk")[:1]))


def procedure_facts(d: Decision) -> dict:
    """What the workflow guards need to know (a handful of queries; none for a
    decision fetched with PROCEDURE_PREFETCH)."""
    consultations, reviews, risks, legal_reviews = _procedure_rows(d)
    open_c = any(c.state == Consultation.State.OPEN for c in consultations)
    done_c = any(c.state == Consultation.State.CLOSED and c.summary_published_on
                 for c in consultations)
    minimum = rules.min_experts()
    experts_done = any(
        r.completed_on and sum(1 for o in r.opinions.all() if o.signed) >= minimum for r in reviews)
    risk_done = bool(risks)
    risk_blocking = bool(risks) and risks[0].blocking
    legal = legal_reviews[0] if legal_reviews else None
    legal_passed = bool(legal and legal.passed)
    package: list[str] = []
    missing: list[str] = []

    def item(key, ok):
        (package if ok else missing).append(PACKAGE_LABELS[key])

    item("draft", bool((d.draft_text or "").strip()))
    if d.touches_market:
        item("fair_competition", bool(d.fair_competition_note))
    if d.needs_participation:
        item("consultation", done_c)
    if d.needs_expert_review:
        item("experts", experts_done)
    if d.needs_risk_assessment:
        item("risk", risk_done)
    item("legal", legal_passed)
    return {
        "consultation_open": open_c,
        "consultation_done": done_c,
        "experts_done": experts_done,
        "risk_done": risk_done,
        "risk_blocking": risk_blocking,
        "legal_review_passed": legal_passed,
        "package": package,
        "package_missing": missing,
    }


def latest_risk(d: Decision) -> RiskAssessment | None:
    return d.risk_assessments.order_by("-assessed_on", "-pk").first()


def current_draw(review: ExpertReview) -> ExpertDraw | None:
    """The review's latest verifiable draw (committed or drawn), None for a choice or an earlier review."""
    return review.draws.exclude(status=ExpertDrawStatus.SUPERSEDED).order_by("-number").first()


def verify_draw(review: ExpertReview) -> bool:
    """Re-run a random draw: True when it gives exactly the experts recorded.

    A draw since fazhi-draw/2 is exported and checked by the verifier of
    ``draw_verify`` (against its own commitment); an earlier review re-runs
    the SHA-256("seed:id") ranking from its stored seed and candidates."""
    if review.method != "random":
        return False
    recorded = list(review.opinions.order_by("pk").values_list("expert_id", flat=True))
    draw = current_draw(review)
    if draw is not None:
        return draw.status == ExpertDrawStatus.DRAWN and draw.selected == recorded and expert_draw.verifies(draw)
    if not review.seed:
        return False
    return rules.draw(review.seed, list(review.candidates), review.draw_count) == recorded


# --------------------------------------------------------------- accountability (MDEC-17)

def decisions_of_person(person) -> QuerySet[Responsibility]:
    """Every decision ``person`` took part in and in what capacity, with the
    post and unit they held then — whatever their current post."""
    return (Responsibility.objects.filter(person=person)
            .select_related("decision__unit", "decision__sponsor_unit", "unit_at_time")
            .order_by("-acted_on", "decision_id", "pk"))


def responsible_for(decision: Decision) -> list[Responsibility]:
    """Everyone responsible for a decision, in the order of the procedure."""
    rows = list(Responsibility.objects.filter(decision=decision).select_related("person", "expert", "unit_at_time"))
    rows.sort(key=lambda r: (STEP_ORDER.get(r.step, 99), r.acted_on, r.pk))
    return rows


# --------------------------------------------------------------- portal (public)

def public_decisions() -> QuerySet[Decision]:
    return (Decision.objects.filter(status__in=PUBLIC_STATES, published_on__isnull=False)
            .select_related("unit", "sponsor_unit").order_by("-published_on", "-pk"))


def public_post_evaluations(decision: Decision | None = None) -> QuerySet[PostEvaluation]:
    """Post-evaluations published on the portal (report and conclusion) of
    published decisions. An evaluation not published — even a finished one —
    is never here."""
    qs = PostEvaluation.objects.filter(published_on__isnull=False, finished_on__isnull=False,
                                       decision__status__in=PUBLIC_STATES, decision__published_on__isnull=False)
    if decision is not None:
        qs = qs.filter(decision=decision)
    return qs.order_by("finished_on", "pk")


def public_catalogues() -> QuerySet[Catalogue]:
    return (Catalogue.objects.filter(status=CatalogueStatus.PUBLISHED).select_related("unit")
            .prefetch_related("publications").order_by("-year", "unit__path"))


def _consultations() -> QuerySet[Consultation]:
    """This module's consultations of the shared table (fazhi.consultations)."""
    return Consultation.objects.filter(decision__isnull=False)


def open_consultations(today: date) -> QuerySet[Consultation]:
    """Consultations the public may comment on today."""
    return (_consultations().filter(state=Consultation.State.OPEN, start_on__lte=today, end_on__gte=today)
            .select_related("decision__unit", "decision__sponsor_unit").order_by("end_on", "pk"))


def public_consultations() -> QuerySet[Consultation]:
    """Every consultation that has started (open ones and closed ones with summaries)."""
    return (_consultations().select_related("decision__unit", "decision__sponsor_unit")
            .prefetch_related(Prefetch("comments")).order_by("-start_on", "-pk"))


def published_comments(c: Consultation) -> list[Comment]:
    """The comments as the public reads them once the adoption summary is
    published (MDEC-04), masked by ``fazhi.consultations.selectors``."""
    return consultation_reads.published_comments(c)


def portal_latest(limit: int):
    """The portal home section: latest published catalogue versions and decisions."""
    from fazhi.core.manifest import PortalEntry

    entries = []
    for c in Catalogue.objects.filter(status=CatalogueStatus.PUBLISHED).order_by("-published_on", "-pk")[:limit]:
        last = c.completion_published_on or c.published_on
        entries.append(PortalEntry(
            title=c.title,
            url=_url("major_decisions_portal:catalogue_detail", c.pk) or _url("major_decisions_portal:index")
            or "/portal/decisions/",
            published=last, note=f"第{c.version}版"))
    for d in public_decisions().select_related(None).only("pk", "title", "published_on", "decision_no", "status")[:limit]:
        entries.append(PortalEntry(
            title=d.title,
            url=_url("major_decisions_portal:decision_detail", d.pk) or _url("major_decisions_portal:index")
            or "/portal/decisions/",
            published=d.published_on, note=d.decision_no))
    entries.sort(key=lambda e: e.published or date.min, reverse=True)
    return entries[:limit]


# --------------------------------------------------------------- dashboard

def _kind(due, today) -> str:
    if due is None:
        return "todo"
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=rules.get("due_soon_days")):
        return "due_soon"
    return "todo"


def _item(due, today, title, url, note="") -> DashboardItem:
    return DashboardItem(_kind(due, today), title, url, due, MODULE, note)


# Procedure states in which the 承办单位 has the next step.
SPONSOR_TURN = (Status.LAUNCHED, Status.DRAFTING, Status.PARTICIPATION, Status.EXPERT_REVIEW, Status.RISK_ASSESSMENT)

NEXT_STEP = {
    "start_drafting": "待拟订草案",
    "start_participation": "待公开征求意见",
    "start_expert_review": "待开展专家论证",
    "start_risk_assessment": "待开展风险评估",
    "submit_legal_review": "待送合法性审查",
}


def sponsor_next_step(d: Decision) -> str:
    """What the 承办单位 has to do next on ``d`` (its 我的待办), or "" when the
    step is someone else's or another item covers it (the consultation's, a
    blocking high risk)."""
    facts = procedure_facts(d)
    if facts["consultation_open"] or facts["risk_blocking"]:
        return ""
    if d.status == Status.EXPERT_REVIEW and not facts["experts_done"]:
        return "专家论证待完成"
    if d.status == Status.RISK_ASSESSMENT and not facts["risk_done"]:
        return "待录入风险评估"
    if d.status == Status.PARTICIPATION and not facts["consultation_done"]:
        return ""  # the consultation's own item (answers, 采纳情况)
    for t in workflow.available(d, facts):
        if t.action in NEXT_STEP:
            return NEXT_STEP[t.action]
    if d.status == Status.DRAFTING and not (d.draft_text or "").strip():
        return "待拟订草案"
    return ""


def dashboard_items(user, today: date) -> list[DashboardItem]:
    """Consultations closing, legality reviews due, high-risk blocked decisions,
    post-evaluations due — scoped to the user's roles (a few queries)."""
    items: list[DashboardItem] = []
    sponsor = access.allowed(user, "major_decisions.sponsor")
    legal = access.allowed(user, "major_decisions.legal_review")
    manage = access.allowed(user, "major_decisions.manage_catalogue")
    soon = today + timedelta(days=rules.get("due_soon_days"))
    if sponsor:
        q = access.unit_q(user, "major_decisions.sponsor", "decision__sponsor_unit")
        for c in (_consultations().filter(q).filter(
                Q(state=Consultation.State.OPEN, end_on__lte=soon)
                | Q(state=Consultation.State.CLOSED, summary_published_on__isnull=True))
                .select_related("decision")[:50]):
            decision = c.decision
            assert decision is not None  # filtered on the decision's sponsor unit
            if c.state == Consultation.State.OPEN and c.end_on >= today:
                items.append(_item(c.end_on, today, f"征求意见即将截止：{decision.title}", decision_url(c.decision_id),
                                   c.min_rule))
            else:
                items.append(_item(None, today, f"征求意见待结束、答复并公布采纳情况：{decision.title}",
                                   decision_url(c.decision_id), "MDEC-04"))
        blocked = (RiskAssessment.objects.filter(q, decision__status=Status.RISK_ASSESSMENT)
                   .select_related("decision").order_by("decision_id", "-assessed_on", "-pk"))
        seen = set()
        for ra in blocked[:200]:
            if ra.decision_id in seen:
                continue
            seen.add(ra.decision_id)
            if ra.blocking:
                items.append(_item(None, today, f"高风险未化解，决策程序暂停：{ra.decision.title}",
                                   decision_url(ra.decision_id), "MDEC-07"))
        for d in (Decision.objects.filter(access.unit_q(user, "major_decisions.sponsor", "sponsor_unit"),
                                          status__in=SPONSOR_TURN).prefetch_related(*PROCEDURE_PREFETCH)[:50]):
            step = sponsor_next_step(d)
            if step:
                items.append(_item(None, today, f"重大决策{step}：{d.title}", decision_url(d.pk)))
    if access.allowed(user, "major_decisions.decide"):
        q = access.unit_q(user, "major_decisions.decide", "unit")
        for dec in Decision.objects.filter(q, status__in=[Status.DISCUSSION, Status.DECIDED])[:50]:
            if dec.status == Status.DISCUSSION:
                items.append(_item(None, today, f"重大决策待集体讨论决定：{dec.title}", decision_url(dec.pk), "MDEC-10/11"))
            else:
                items.append(_item(None, today, f"重大决策待公布：{dec.title}", decision_url(dec.pk), "MDEC-12/13"))
    if legal:
        q = access.unit_q(user, "major_decisions.legal_review", "decision__unit")
        for r in LegalReview.objects.filter(q, opinion="").select_related("decision")[:50]:
            items.append(_item(r.due, today, f"重大决策合法性审查：{r.decision.title}", decision_url(r.decision_id),
                               r.due_rule))
    if manage:
        q = access.unit_q(user, "major_decisions.manage_catalogue", "decision__unit")
        for ev in PostEvaluation.objects.filter(q, finished_on__isnull=True).select_related("decision")[:50]:
            items.append(_item(ev.due_on, today, f"决策后评估：{ev.decision.title}", decision_url(ev.decision_id),
                               "MDEC-15"))
    return items
