"""Every non-trivial read of the normative-documents module.

Staff reads are scoped with ``org.access`` (a user sees the documents of
the units their roles cover, by drafting unit). Public reads return only
what was published (DESIGN invariant 5): the portal and the public API use
``public_docs`` / ``public_doc`` / ``open_consultations`` and never the
staff selectors.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import NoReverseMatch, reverse

from fazhi.consultations import selectors as consultation_reads
from fazhi.core.errors import NotFound
from fazhi.core.manifest import DashboardItem
from fazhi.normative_docs import rules
from fazhi.normative_docs.models import (
    PROCEDURE_STATES,
    PUBLIC_STATES,
    CleanupCampaign,
    CleanupDecision,
    Comment,
    Consultation,
    CorrectionOrder,
    DocVersion,
    FairCompetitionReview,
    Filing,
    FilingReview,
    FilingStatus,
    LegalReview,
    NormDoc,
    ReviewProposal,
    Status,
)
from fazhi.normative_docs.workflow import DOC_WORKFLOW, EDITABLE_STATES, FILING_WORKFLOW
from fazhi.org import access

VIEW = "normative_docs.view"


def _url(name: str, *args) -> str:
    """Reverse a URL of another part of the module; "" while it does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --------------------------------------------------------------- permissions

def may(user, permission: str, unit) -> bool:
    return access.allowed(user, permission, unit)


def can_view(user, doc: NormDoc) -> bool:
    return may(user, VIEW, doc.unit) or may(user, VIEW, doc.issuer)


def can_draft(user, doc: NormDoc) -> bool:
    return may(user, "normative_docs.draft", doc.unit)


def can_sign(user, doc: NormDoc) -> bool:
    return may(user, "normative_docs.sign", doc.issuer)


def can_legal_review(user, doc: NormDoc) -> bool:
    return may(user, "normative_docs.legal_review", doc.unit)


def can_register(user, doc: NormDoc) -> bool:
    return may(user, "normative_docs.register", doc.unit)


def can_file(user, doc: NormDoc) -> bool:
    return may(user, "normative_docs.file", doc.unit)


def can_filing_review(user, doc: NormDoc) -> bool:
    return may(user, "normative_docs.filing_review", doc.unit)


def can_cleanup(user, campaign: CleanupCampaign | None = None) -> bool:
    return may(user, "normative_docs.cleanup", campaign.unit if campaign else None)


# Which permission each workflow action needs (and on which unit).
ACTION_PERMISSIONS = {
    "start_consultation": ("normative_docs.draft", "unit"),
    "submit_fair_review": ("normative_docs.draft", "unit"),
    "fair_review_pass": ("normative_docs.draft", "unit"),
    "fair_review_fail": ("normative_docs.draft", "unit"),
    "submit_legal_review": ("normative_docs.draft", "unit"),
    "legal_review_pass": ("normative_docs.legal_review", "unit"),
    "legal_review_reject": ("normative_docs.legal_review", "unit"),
    "discussion_adopt": ("normative_docs.draft", "unit"),
    "discussion_reject": ("normative_docs.draft", "unit"),
    "sign": ("normative_docs.sign", "issuer"),
    "register": ("normative_docs.register", "unit"),
    "publish": ("normative_docs.register", "unit"),
    "amend": ("normative_docs.draft", "unit"),
    "repeal": ("normative_docs.sign", "issuer"),
    "expire": ("normative_docs.cleanup", "unit"),
    "renew": ("normative_docs.register", "unit"),
    "abandon": ("normative_docs.draft", "unit"),
    "file": ("normative_docs.file", "unit"),
    "return_filing": ("normative_docs.filing_review", "unit"),
    "accept_filing": ("normative_docs.filing_review", "unit"),
    "review_lawful": ("normative_docs.filing_review", "unit"),
    "review_correct": ("normative_docs.filing_review", "unit"),
    "report_correction": ("normative_docs.file", "unit"),
}


@dataclass(frozen=True)
class Action:
    action: str
    label: str


def waiting_actions(user, doc: NormDoc) -> list[dict]:
    """The steps ``user`` could take in the document's current state but a
    legal precondition refuses: ``{"label", "reason", "unlock"}`` — the
    refusal (with its citation) and the step that lifts it. Steps that do not
    apply to the document at all (no fair-competition review for a document
    that does not touch the market) are left out."""
    from fazhi.normative_docs.services import workflow_context

    ctx = workflow_context(doc)
    out = []
    for t in DOC_WORKFLOW.transitions:
        if t.action == "expire" or doc.status not in t.sources:
            continue
        refused = DOC_WORKFLOW.refusal(doc, t.action, ctx)
        if refused is None or not refused.unlock:
            continue
        perm, field = ACTION_PERMISSIONS[t.action]
        if may(user, perm, getattr(doc, field)):
            out.append({"label": t.label, "reason": str(refused), "unlock": refused.unlock})
    return out


def renewable_on(doc: NormDoc, today: date) -> bool:
    """Within the evaluation window before expiry (NDOC-17), the only days
    ``services.renew`` accepts."""
    return doc.valid_until is not None and rules.evaluation_starts(doc.valid_until) <= today <= doc.valid_until


def available_actions(user, doc: NormDoc, today: date) -> list[Action]:
    """The steps ``user`` may take on ``doc`` today (legal order, dates and permission).

    The one answer the pages and the API render (buttons and ``actions``); the
    services check again. ``expire`` (automatic) is never offered; ``renew``
    only inside its evaluation window; ``amend`` not while an amendment of
    the document is in procedure.
    """
    from fazhi.normative_docs.services import workflow_context

    ctx = workflow_context(doc)
    out = []
    for t in DOC_WORKFLOW.available(doc, ctx):
        if t.action == "expire":
            continue
        if t.action in ("discussion_adopt", "discussion_reject") and not ctx.get("legal_review_passed"):
            continue
        if t.action == "renew" and not renewable_on(doc, today):
            continue
        if t.action == "amend" and doc.amendments.filter(status__in=PROCEDURE_STATES).exists():
            continue
        perm, field = ACTION_PERMISSIONS[t.action]
        if may(user, perm, getattr(doc, field)):
            out.append(Action(t.action, t.label))
    if doc.is_public:
        for t in FILING_WORKFLOW.available(doc):
            perm, field = ACTION_PERMISSIONS[t.action]
            if may(user, perm, getattr(doc, field)):
                out.append(Action(t.action, t.label))
    if can_draft(user, doc):
        # The consultation's own steps (NDOC-04): close it; publish the adoption
        # summary once every comment is answered.
        if ctx.get("consultation_open"):
            out.append(Action("close_consultation", "结束征求意见"))
        closed = doc.consultations.filter(state=Consultation.State.CLOSED, summary_published_on__isnull=True)
        if any(not c.comments.filter(adoption="").exists() for c in closed):
            out.append(Action("publish_summary", "公布意见采纳情况"))
    return out


def can_edit_text(user, doc: NormDoc) -> bool:
    return doc.status in EDITABLE_STATES and can_draft(user, doc)


# ------------------------------------------------------------------ staff

def docs_for(user) -> QuerySet[NormDoc]:
    """Documents the user may see: drafted by, or issued by, a unit they cover."""
    q = access.unit_q(user, VIEW, "unit") | access.unit_q(user, VIEW, "issuer")
    return NormDoc.objects.filter(q).select_related("unit", "issuer", "current_version")


def overdue_q(today: date) -> Q:
    """Documents with a legal deadline passed: filing (NDOC-12) or publication (NDOC-20).
    Imported historical documents have no filing deadline here (``filing_due`` is empty)."""
    return (
        Q(status__in=PUBLIC_STATES, filing_due__lt=today,
          filing_status__in=[FilingStatus.NOT_FILED, FilingStatus.RETURNED])
        | Q(status__in=[Status.TO_SIGN, Status.SIGNED, Status.REGISTERED], publication_due__lt=today)
    )


def doc_list(user, *, status: str = "", filing_status: str = "", issuer=None, year: int | None = None,
             q: str = "", unit=None, touches_market: bool | None = None, overdue: bool = False,
             today: date | None = None) -> QuerySet[NormDoc]:
    """The staff list. ``unit`` matches the drafting unit or the issuer;
    ``overdue`` needs ``today`` (no hidden clock)."""
    qs = docs_for(user)
    if status:
        qs = qs.filter(status=status)
    if filing_status:
        qs = qs.filter(filing_status=filing_status)
    if issuer is not None:
        qs = qs.filter(issuer=issuer)
    if unit is not None:
        qs = qs.filter(Q(unit=unit) | Q(issuer=unit))
    if touches_market is not None:
        qs = qs.filter(touches_market=touches_market)
    if overdue:
        if today is None:
            raise TypeError("doc_list(overdue=True) needs today")
        qs = qs.filter(overdue_q(today))
    if year:
        qs = qs.filter(Q(published_on__year=year) | Q(published_on__isnull=True, created_at__year=year))
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(doc_number__icontains=q) | Q(registration_no__icontains=q))
    return qs.order_by("-updated_at", "-pk")


def issuer_choices(user) -> list[tuple[int, str]]:
    """The units ``user`` may name as issuer of a draft: the units they draft
    for and the governments and units above them (a department may draft a
    document the government issues)."""
    from fazhi.org import selectors as org_selectors
    from fazhi.org.models import Unit

    own = list(org_selectors.units_for(user, "normative_docs.draft").filter(is_active=True))
    ids = {u.pk for u in own}
    for u in own:
        ids.update(int(p) for p in u.path.split("/") if p)
    # Only bodies that may issue (NDOC-01, 国办发〔2018〕37号): never an internal 科室 or 执法大队.
    units = Unit.objects.filter(pk__in=ids, is_active=True, kind__in=ISSUER_KINDS).order_by("path")
    return [(u.pk, u.name) for u in units]


# Units that issue normative documents in their own name (NDOC-01).
ISSUER_KINDS = ("government", "department", "town")


def issuer_codes_for(user) -> list[dict]:
    """The issuing units ``user`` may set a 机关代字 for (法制机构, 系统管理员),
    each with its code or None: ``[{"unit", "code"}]`` in tree order."""
    from fazhi.normative_docs.models import IssuerCode
    from fazhi.org import selectors as org_selectors

    units = list(org_selectors.units_for(user, "normative_docs.register").filter(
        is_active=True, kind__in=ISSUER_KINDS).order_by("path"))
    codes = {c.unit_id: c for c in IssuerCode.objects.filter(unit__in=units)}
    return [{"unit": u, "code": codes.get(u.pk)} for u in units]


def issuer_code(unit):
    from fazhi.normative_docs.models import IssuerCode

    return IssuerCode.objects.filter(unit=unit).first()


def get_issuer_unit(user, pk):
    """One unit ``user`` may set the issuer code of, or NotFound."""
    from fazhi.org import selectors as org_selectors

    try:
        return org_selectors.units_for(user, "normative_docs.register").get(pk=pk, kind__in=ISSUER_KINDS)
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise NotFound()


def version_chain(doc: NormDoc) -> list[DocVersion]:
    """Every text version along the document's amendment line: the documents
    it amends (oldest first), itself, and its amendments. An amendment is a
    new document (models.py), so comparing "the version in force" with "the
    amended text" crosses documents. Staff read: drafts included."""
    docs = [doc]
    d = doc
    while (older := d.amendment_of) is not None:
        d = older
        docs.insert(0, d)
    queue = [doc]
    while queue:
        later = list(queue.pop().amendments.order_by("pk"))
        docs.extend(later)
        queue.extend(later)
    ids = [x.pk for x in docs]
    order = {pk: i for i, pk in enumerate(ids)}
    versions = list(DocVersion.objects.filter(doc_id__in=ids).select_related("doc"))
    versions.sort(key=lambda v: (order[v.doc_id], v.number))
    return versions


def get_doc(user, pk) -> NormDoc:
    """One document the user may see, or NotFound (404 for other units' records)."""
    try:
        return docs_for(user).get(pk=pk)
    except (NormDoc.DoesNotExist, ValueError, TypeError):
        raise NotFound()


def doc_detail(doc: NormDoc) -> dict:
    """Everything the staff detail page shows, in a fixed number of queries."""
    return {
        "doc": doc,
        "versions": list(doc.versions.order_by("number")),
        "consultations": list(doc.consultations.annotate(
            n_comments=Count("comments"), n_unanswered=Count("comments", filter=Q(comments__adoption="")))),
        "fair_reviews": list(doc.fair_reviews.all()),
        "legal_reviews": list(doc.legal_reviews.all()),
        "discussions": list(doc.discussions.all()),
        "filings": list(doc.filings.select_related("review").all()),
        "corrections": list(doc.corrections.all()),
        "amendments": list(doc.amendments.all()),
        "cleanup_decisions": list(doc.cleanup_decisions.select_related("campaign")),
        "proposals": list(doc.proposals.all()),
    }


def pending_legal_review(doc: NormDoc) -> LegalReview | None:
    return doc.legal_reviews.filter(opinion="").first()


def open_consultation(doc: NormDoc) -> Consultation | None:
    return doc.consultations.filter(state=Consultation.State.OPEN).first()


def pending_summary(doc: NormDoc) -> Consultation | None:
    """A closed consultation whose adoption summary is not yet published (NDOC-04)."""
    return doc.consultations.filter(state=Consultation.State.CLOSED, summary_published_on__isnull=True).first()


def current_filing(doc: NormDoc) -> Filing | None:
    return doc.filings.order_by("-filed_on", "-pk").first()


def open_correction(doc: NormDoc) -> CorrectionOrder | None:
    return doc.corrections.filter(reported_on__isnull=True).first()


def get_comment(doc: NormDoc, pk) -> Comment:
    """One comment on one of ``doc``'s consultations, or NotFound."""
    try:
        return Comment.objects.select_related("consultation").get(pk=pk, consultation__doc=doc)
    except (Comment.DoesNotExist, ValueError, TypeError):
        raise NotFound()


def comments_of(consultation: Consultation) -> QuerySet[Comment]:
    return consultation.comments.order_by("submitted_at", "pk")


def campaigns_for(user) -> QuerySet[CleanupCampaign]:
    return access.scope(CleanupCampaign.objects.all(), user, "normative_docs.cleanup").annotate(
        n_docs=Count("decisions"), n_open=Count("decisions", filter=Q(decisions__decision="")))


def get_campaign(user, pk) -> CleanupCampaign:
    try:
        return campaigns_for(user).get(pk=pk)
    except (CleanupCampaign.DoesNotExist, ValueError, TypeError):
        raise NotFound()


def proposals_for(user) -> QuerySet[ReviewProposal]:
    return access.scope(ReviewProposal.objects.select_related("doc"), user, "normative_docs.filing_review",
                        field="doc__unit")


def get_proposal(user, pk) -> ReviewProposal:
    try:
        return proposals_for(user).get(pk=pk)
    except (ReviewProposal.DoesNotExist, ValueError, TypeError):
        raise NotFound()


def cleanup_candidates(campaign: CleanupCampaign) -> QuerySet[NormDoc]:
    """Documents in force within the campaign's unit that are not yet selected."""
    unit = campaign.unit
    return (NormDoc.objects.filter(status=Status.PUBLISHED)
            .filter(Q(issuer=unit) | Q(issuer__path__startswith=unit.path))
            .exclude(cleanup_decisions__campaign=campaign))


def cleanup_lists(campaign: CleanupCampaign) -> dict[str, list[CleanupDecision]]:
    """The published result lists (NDOC-18): 继续有效 (with 修改 marked), 废止, 失效;
    plus ``undecided`` while the campaign runs."""
    out: dict[str, list[CleanupDecision]] = {"continue": [], "amend": [], "repeal": [], "expire": [], "undecided": []}
    for d in campaign.decisions.select_related("doc", "doc__issuer").order_by("doc__published_on", "doc_id"):
        out[d.decision or "undecided"].append(d)
    out["continuing"] = out["continue"] + out["amend"]
    return out


# ------------------------------------------------------------- legal basis

def documents_in_force(on: date) -> QuerySet[NormDoc]:
    """Published, effective, not repealed, expired or amended on ``on`` (NDOC-02, NDOC-17)."""
    return (NormDoc.objects.filter(status=Status.PUBLISHED, effective_on__lte=on)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on)))


def valid_basis(doc: NormDoc, on: date) -> bool:
    """May ``doc`` serve as a basis for administration on ``on``? Only a
    published document in force (NDOC-02: an unpublished one never can)."""
    return doc.in_force_on(on)


# ------------------------------------------------------------------ public

def public_docs() -> QuerySet[NormDoc]:
    """The library: everything ever published (有效 / 已修改 / 废止 / 失效), newest first."""
    return (NormDoc.objects.filter(status__in=PUBLIC_STATES)
            .select_related("issuer", "current_version").order_by("-published_on", "-pk"))


def public_doc(pk) -> NormDoc:
    try:
        return public_docs().get(pk=pk)
    except (NormDoc.DoesNotExist, ValueError, TypeError):
        raise NotFound("文件不存在或尚未公布")


def public_versions(doc: NormDoc) -> list[DocVersion]:
    """The published texts of a document's line: the documents it amended
    (oldest first) and itself, each with its final version. Drafts are not public."""
    chain = []
    d: NormDoc | None = doc
    while d is not None and d.status in PUBLIC_STATES:
        chain.append(d)
        d = d.amendment_of
    later = NormDoc.objects.filter(amendment_of=doc, status__in=PUBLIC_STATES).first()
    while later is not None:
        chain.insert(0, later)
        later = NormDoc.objects.filter(amendment_of=later, status__in=PUBLIC_STATES).first()
    chain.sort(key=lambda x: (x.published_on or date.min, x.pk))
    return [x.current_version for x in chain if x.current_version is not None]


def _consultations() -> QuerySet[Consultation]:
    """This module's consultations of the shared table (fazhi.consultations)."""
    return Consultation.objects.filter(doc__isnull=False)


def open_consultations(today: date) -> QuerySet[Consultation]:
    """Consultations the public may comment on today."""
    return (_consultations().filter(state=Consultation.State.OPEN, start_on__lte=today, end_on__gte=today)
            .select_related("doc", "doc__issuer", "version").order_by("end_on", "pk"))


def public_consultations() -> QuerySet[Consultation]:
    """All consultations that were opened (open and closed) — public notices."""
    return _consultations().select_related("doc", "doc__issuer", "version").order_by("-start_on", "-pk")


def public_consultation(pk) -> Consultation:
    try:
        return public_consultations().get(pk=pk)
    except (Consultation.DoesNotExist, ValueError, TypeError):
        raise NotFound("征求意见不存在")


def public_comments(consultation: Consultation) -> list[dict]:
    """Comments as published with the adoption summary (NDOC-04); masked by
    ``fazhi.consultations.selectors``. Empty until the summary is published."""
    return consultation_reads.public_rows(consultation)


def portal_latest(limit: int):
    """The portal home section: the latest published documents."""
    from fazhi.core.manifest import PortalEntry

    out = []
    for d in public_docs().select_related(None).only("pk", "title", "doc_number", "published_on", "status")[:limit]:
        out.append(PortalEntry(title=d.title, url=_url("normative_docs_portal:detail", d.pk)
                               or f"/portal/normdocs/{d.pk}/",
                               published=d.published_on, note=d.doc_number))
    return out


# --------------------------------------------------------------- deadlines

def filings_overdue(today: date) -> QuerySet[NormDoc]:
    """Published documents not (validly) filed by their due date (NDOC-12)."""
    return NormDoc.objects.filter(status__in=PUBLIC_STATES, filing_due__lt=today,
                                  filing_status__in=[FilingStatus.NOT_FILED, FilingStatus.RETURNED])


def expiring(today: date) -> QuerySet[NormDoc]:
    """Documents in force whose validity ends within the evaluation window (NDOC-17)."""
    months = rules.get("evaluation_months")
    horizon = rules.add_months(today, months)
    return NormDoc.objects.filter(status=Status.PUBLISHED, valid_until__gte=today, valid_until__lte=horizon)


def cleanup_due_on(unit, today: date) -> date | None:
    """When the next periodic clean-up of ``unit``'s documents is due (NDOC-18):
    N years after the last published periodic one; without one, N years after
    the oldest document in force was published. None when nothing is in force."""
    last = (CleanupCampaign.objects.filter(unit=unit, kind=CleanupCampaign.Kind.PERIODIC,
                                           state=CleanupCampaign.State.PUBLISHED)
            .order_by("-published_on").values_list("published_on", flat=True).first())
    if last:
        return rules.cleanup_due(last)
    oldest = (NormDoc.objects.filter(status=Status.PUBLISHED)
              .filter(Q(issuer=unit) | Q(issuer__path__startswith=unit.path))
              .order_by("published_on").values_list("published_on", flat=True).first())
    return rules.cleanup_due(oldest) if oldest else None


def _kind(due: date | None, today: date) -> str:
    if due is None:
        return "todo"
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=rules.get("due_soon_days")):
        return "due_soon"
    return "todo"


def _item(due, today, title, url, note="") -> DashboardItem:
    return DashboardItem(_kind(due, today), title, url, due, "行政规范性文件", note)


def _doc_url(doc_id) -> str:
    return _url("normative_docs:detail", doc_id) or _url("normative_docs:list")


def with_drafting_facts(qs: QuerySet[NormDoc]) -> QuerySet[NormDoc]:
    """``qs`` with what ``_drafting_next_step`` reads, annotated in the same
    query (the 我的待办 lists up to 50 documents: no query per document)."""
    done = (Consultation.objects.filter(doc=OuterRef("pk"), state=Consultation.State.CLOSED,
                                        summary_published_on__isnull=False).exclude(comments__adoption=""))
    fair = FairCompetitionReview.objects.filter(doc=OuterRef("pk")).order_by("-reviewed_on", "-pk")
    return qs.annotate(
        consultation_done=Exists(done),
        consultation_open=Exists(Consultation.objects.filter(doc=OuterRef("pk"), state=Consultation.State.OPEN)),
        legal_review_pending=Exists(LegalReview.objects.filter(doc=OuterRef("pk"), opinion="")),
        fair_review_passed=Subquery(fair.values("passed")[:1]),  # None: no review yet
    )


def _drafting_next_step(doc: NormDoc) -> str:
    """What the drafting unit has to do next once the consultation is done, or ""
    (still drafting or consulting; the consultation's own item covers answering).
    ``doc`` comes from ``with_drafting_facts``."""
    if doc.status == Status.DISCUSSION:
        return "待集体讨论"
    if doc.status == Status.FAIR_REVIEW:
        return "待送合法性审核" if doc.fair_review_passed else "待录入公平竞争审查结论"
    if not doc.consultation_done or doc.consultation_open:
        return ""
    if doc.legal_review_pending:
        return ""
    if doc.touches_market and not doc.fair_review_passed:
        return "待送公平竞争审查"
    return "待送合法性审核"


def dashboard_items(user, today: date) -> list[DashboardItem]:
    """What needs this user's attention, scoped to their roles (a few queries)."""
    items: list[DashboardItem] = []
    perms = {p: access.allowed(user, p) for p in (
        "normative_docs.draft", "normative_docs.sign", "normative_docs.legal_review", "normative_docs.register",
        "normative_docs.file", "normative_docs.filing_review", "normative_docs.cleanup")}

    def scoped(qs, perm, field="unit"):
        return qs.filter(access.unit_q(user, perm, field))

    if perms["normative_docs.draft"]:
        # Consultations ended (or closed) whose comments still need answers and a published summary.
        pending = scoped(_consultations().select_related("doc"), "normative_docs.draft", "doc__unit").filter(
            Q(state=Consultation.State.OPEN, end_on__lt=today)
            | Q(state=Consultation.State.CLOSED, summary_published_on__isnull=True)
        ).filter(doc__status__in=PROCEDURE_STATES)
        for c in pending[:50]:
            items.append(_item(None, today, f"征求意见待答复、公布采纳情况：{c.doc.title}", _doc_url(c.doc_id)))
        # The drafting unit's next step between the consultation and the signature.
        drafting = NormDoc.objects.filter(status__in=[Status.DRAFTING, Status.CONSULTING, Status.FAIR_REVIEW,
                                                      Status.DISCUSSION])
        for d in with_drafting_facts(scoped(drafting, "normative_docs.draft"))[:50]:
            title = _drafting_next_step(d)
            if title:
                items.append(_item(None, today, f"{title}：{d.title}", _doc_url(d.pk)))
        # Adopted, not yet published (NDOC-20: within 20 WD of adoption).
        for d in scoped(NormDoc.objects.filter(status__in=[Status.TO_SIGN, Status.SIGNED, Status.REGISTERED],
                                               publication_due__isnull=False), "normative_docs.draft")[:50]:
            items.append(_item(d.publication_due, today, f"审议通过后待公布：{d.title}", _doc_url(d.pk),
                               d.publication_rule))
    if perms["normative_docs.sign"]:
        for d in scoped(NormDoc.objects.filter(status=Status.TO_SIGN), "normative_docs.sign", "issuer")[:50]:
            items.append(_item(None, today, f"待签发：{d.title}", _doc_url(d.pk)))
    if perms["normative_docs.legal_review"]:
        for r in scoped(LegalReview.objects.filter(opinion="").select_related("doc"),
                        "normative_docs.legal_review", "doc__unit")[:50]:
            items.append(_item(r.due, today, f"合法性审核：{r.doc.title}", _doc_url(r.doc_id), r.due_rule))
    if perms["normative_docs.register"]:
        for d in scoped(NormDoc.objects.filter(status__in=[Status.SIGNED, Status.REGISTERED]),
                        "normative_docs.register")[:50]:
            verb = "统一登记编号" if d.status == Status.SIGNED else "统一公布"
            items.append(_item(d.publication_due, today, f"待{verb}：{d.title}", _doc_url(d.pk)))
        for d in scoped(expiring(today), "normative_docs.register")[:50]:
            items.append(DashboardItem("due_soon", f"有效期届满前评估：{d.title}", _doc_url(d.pk), d.valid_until,
                                       "行政规范性文件", "NDOC-17 有效期届满前6个月内评估"))
    if perms["normative_docs.file"]:
        # Imported historical documents (no filing deadline here) are not reminded.
        to_file = scoped(NormDoc.objects.filter(status__in=PUBLIC_STATES, filing_status__in=[
            FilingStatus.NOT_FILED, FilingStatus.RETURNED]).exclude(
            filing_status=FilingStatus.NOT_FILED, filing_due__isnull=True), "normative_docs.file")
        for d in to_file[:50]:
            items.append(_item(d.filing_due, today, f"报备：{d.title}", _doc_url(d.pk), d.filing_rule))
        for o in scoped(CorrectionOrder.objects.filter(reported_on__isnull=True).select_related("doc"),
                        "normative_docs.file", "doc__unit")[:50]:
            items.append(_item(o.due, today, f"报告纠正情况：{o.doc.title}", _doc_url(o.doc_id), o.due_rule))
    if perms["normative_docs.filing_review"]:
        filed = scoped(NormDoc.objects.filter(filing_status=FilingStatus.FILED), "normative_docs.filing_review")
        for d in filed[:50]:
            items.append(_item(None, today, f"备案审查待受理：{d.title}", _doc_url(d.pk)))
        for r in scoped(FilingReview.objects.filter(finding="").select_related("filing__doc"),
                        "normative_docs.filing_review", "filing__doc__unit")[:50]:
            items.append(_item(r.due, today, f"备案审查：{r.filing.doc.title}", _doc_url(r.filing.doc_id),
                               r.due_rule))
        for p in scoped(ReviewProposal.objects.filter(state=ReviewProposal.State.PENDING).select_related("doc"),
                        "normative_docs.filing_review", "doc__unit")[:50]:
            items.append(_item(p.reply_due, today, f"答复审查建议：{p.doc.title}",
                               _url("normative_docs:proposal_detail", p.pk) or _url("normative_docs:proposal_list"),
                               p.reply_rule))
    if perms["normative_docs.cleanup"]:
        g = access.grants(user, "normative_docs.cleanup")
        units = _top_units(g)
        for unit in units[:5]:
            due = cleanup_due_on(unit, today)
            running = CleanupCampaign.objects.filter(unit=unit, state=CleanupCampaign.State.RUNNING).exists()
            if due and not running and due <= rules.add_months(today, 1):
                items.append(_item(due, today, f"定期清理：{unit.display_name}规范性文件",
                                   _url("normative_docs:cleanup_list"), "NDOC-18 每2年清理一次"))
    return items


def _top_units(grants) -> list:
    from fazhi.org.models import Unit, UnitKind

    if grants is None:  # 系统管理员: the governments
        return list(Unit.objects.filter(kind=UnitKind.GOVERNMENT, parent__isnull=True))
    ids = [g.unit_id for g in grants]
    return list(Unit.objects.filter(pk__in=ids))


# Prefetch helpers for list pages.
def with_counts(qs: QuerySet[NormDoc]) -> QuerySet[NormDoc]:
    return qs.annotate(
        n_versions=Count("versions", distinct=True),
        has_open_consultation=Exists(Consultation.objects.filter(doc=OuterRef("pk"), state="open")),
    ).prefetch_related(Prefetch("filings", queryset=Filing.objects.order_by("-filed_on")))
