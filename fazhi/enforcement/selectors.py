"""Every non-trivial read of the enforcement module.

Lists are scoped with ``org.access.scope`` and load their relations up front
(a page is a fixed number of queries). Public reads (``verify_certificate``,
``public_decisions``, ``public_decision_units``, ``public_bodies``,
``public_matters``, ``public_officers``, ``PublicDecision``,
``portal_latest``) return only published data and only the fields the public
may see; the portal pages (``fazhi/portal/modules/enforcement``) and the API's
public endpoints both use them.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from fazhi.core import masking, privacy
from fazhi.core.manifest import DashboardItem
from fazhi.enforcement import organs, rules
from fazhi.enforcement.models import (
    UNDECIDED_STATES,
    Benchmark,
    CaseStatus,
    Certificate,
    CertificateStatus,
    Officer,
    PartyKind,
    PenaltyCase,
    PoliceTransfer,
    PublicationRecord,
    PublicationStatus,
    ViolationType,
)
from fazhi.enforcement.organs import SUBJECT_KINDS
from fazhi.org import access
from fazhi.org.models import Unit

MODULE = "行政执法"


def _url(name: str, *args) -> str:
    """Reverse a URL of another part of the module; "" while it does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# ------------------------------------------------------------ permissions

def can_view(user, obj) -> bool:
    return access.allowed(user, "enforcement.view", obj.unit)


def can_handle(user, case: PenaltyCase) -> bool:
    return access.allowed(user, "enforcement.handle_case", case.unit)


# ------------------------------------------------------------------ lists

def cases(user) -> QuerySet[PenaltyCase]:
    """Cases the user may see, with what list pages show."""
    return access.scope(PenaltyCase.objects.select_related("unit", "violation_type"), user, "enforcement.view")


def case_detail(user, pk: int) -> PenaltyCase | None:
    qs = cases(user).prefetch_related(
        "case_officers__officer__person", "extensions", "legal_reviews", "payments", "evidence", "publications",
        "transfers", "clock_stops")
    return qs.filter(pk=pk).first()


def officers(user) -> QuerySet[Officer]:
    return access.scope(Officer.objects.select_related("person", "unit").prefetch_related(
        Prefetch("certificates", queryset=Certificate.objects.order_by("-valid_to"))), user, "enforcement.view")


def certified_officers(unit, on: date) -> list[Officer]:
    """Officers of ``unit`` in post with a certificate valid on ``on`` (ENF-01);
    other modules (e.g. inspections) use this to pick inspectors."""
    qs = Officer.objects.filter(unit=unit, is_active=True, certificates__status=CertificateStatus.VALID,
                                certificates__valid_from__lte=on, certificates__valid_to__gte=on)
    return list(qs.select_related("person").distinct().order_by("person__name"))


def is_certified(person, on: date) -> bool:
    """Whether ``person`` holds a certificate valid on ``on`` and is in post (ENF-01)."""
    return Certificate.objects.filter(officer__person=person, officer__is_active=True,
                                      status=CertificateStatus.VALID, valid_from__lte=on, valid_to__gte=on).exists()


def violation_types(user) -> QuerySet[ViolationType]:
    return access.scope(ViolationType.objects.select_related("unit").prefetch_related(
        Prefetch("benchmarks", queryset=Benchmark.objects.order_by("fine_min"))), user, "enforcement.view")


def code_units(user) -> QuerySet[Unit]:
    """Active enforcing organs (organs.py) whose 机关代字 the user may set
    (``manage_officers``), with their code (``enforcement_code`` or none) and
    the number of officers in post in the organ and its internal units: the
    case and decision numbers are the organ's (ENF-10)."""
    in_post = (Officer.objects.filter(is_active=True, unit__path__startswith=OuterRef("path")).order_by()
               .values("is_active").annotate(n=Count("pk")).values("n"))
    return (access.visible_units(user, "enforcement.manage_officers").filter(is_active=True)
            .filter(Q(kind__in=SUBJECT_KINDS) | Q(is_enforcement_subject=True))
            .select_related("enforcement_code")
            .annotate(officer_count=Coalesce(Subquery(in_post), 0))
            .order_by("path"))


def transfers(user) -> QuerySet[PoliceTransfer]:
    return access.scope(PoliceTransfer.objects.select_related("case", "unit"), user, "enforcement.view")


def publications(user) -> QuerySet[PublicationRecord]:
    return access.scope(PublicationRecord.objects.select_related("case", "unit"), user, "enforcement.view")


# ------------------------------------------------------------ deadlines

def certificates_expiring(today: date) -> QuerySet[Certificate]:
    """Valid certificates ending within ``certificate_warning_days`` (ENF-25)."""
    horizon = today + timedelta(days=rules.get("certificate_warning_days"))
    return Certificate.objects.filter(status=CertificateStatus.VALID, valid_to__gte=today, valid_to__lte=horizon)


def cases_near_limit(today: date) -> QuerySet[PenaltyCase]:
    """Filed, undecided cases whose decision deadline (ENF-08) is near or past;
    while an excluded period runs (``clock_stopped_on``) the deadline moves with it."""
    horizon = today + timedelta(days=rules.get("decision_warning_days"))
    return PenaltyCase.objects.filter(status__in=UNDECIDED_STATES, decision_due__lte=horizon,
                                      clock_stopped_on__isnull=True)


def cases_overdue(today: date) -> QuerySet[PenaltyCase]:
    return PenaltyCase.objects.filter(status__in=UNDECIDED_STATES, decision_due__lt=today,
                                      clock_stopped_on__isnull=True)


def service_due(today: date) -> QuerySet[PenaltyCase]:
    """Decided, not yet served (ENF-09)."""
    return PenaltyCase.objects.filter(status=CaseStatus.DECIDED, service_due__isnull=False)


def payments_overdue(today: date) -> QuerySet[PenaltyCase]:
    """Served cases whose payment period (ENF-14) has passed and that are not executed."""
    return PenaltyCase.objects.filter(status=CaseStatus.SERVED, payment_due__lt=today, fine_amount__gt=0)


def publications_due(today: date) -> QuerySet[PublicationRecord]:
    return PublicationRecord.objects.filter(status=PublicationStatus.PENDING)


def withdrawals_due(today: date) -> QuerySet[PublicationRecord]:
    return PublicationRecord.objects.filter(status=PublicationStatus.PUBLISHED, withdrawal_due__isnull=False)


def _kind(due: date | None, today: date) -> str:
    if due is None:
        return "todo"
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=rules.get("due_soon_days")):
        return "due_soon"
    return "todo"


def _case_url(pk) -> str:
    return _url("enforcement:case_detail", pk) or _url("enforcement:case_list")


# What the assigned officers do next, by status (我承办的案件).
NEXT_STEP: dict[str, str] = {
    CaseStatus.PENDING: "待负责人审批立案",
    CaseStatus.INVESTIGATING: "调查取证，送达行政处罚事先告知书",
    CaseStatus.NOTIFIED: "记录陈述申辩或放弃，提交法制审核",
    CaseStatus.HEARING: "组织听证",
    CaseStatus.LEGAL_REVIEW: "待法制审核",
    CaseStatus.REVIEWED: "提请集体讨论或待负责人决定",
    CaseStatus.DISCUSSION: "待负责人集体讨论并决定",
    CaseStatus.DECIDED: "送达行政处罚决定书",
    CaseStatus.SERVED: "登记缴款，确认执行完毕",
    CaseStatus.EXECUTED: "上传全过程记录，结案",
    CaseStatus.CLOSED: "归档",
    CaseStatus.TRANSFERRED: "登记公安机关回复",
}


def next_due(case: PenaltyCase) -> tuple[date | None, str]:
    """The deadline of the case's next step and its rule (for lists and the dashboard)."""
    S = CaseStatus
    if case.status == S.PENDING:
        return case.filing_due, case.filing_rule
    if case.status == S.NOTIFIED and not case.rights_waived_on:
        return case.statement_due, case.statement_rule
    if case.status in UNDECIDED_STATES:
        return case.decision_due, case.decision_rule
    if case.status == S.DECIDED:
        return case.service_due, case.service_rule
    if case.status == S.SERVED and case.fine_amount:
        return case.payment_due, case.payment_rule
    return None, ""


def ready_to_decide_q(today: date) -> Q:
    """Cases that wait for the head's decision (ENF-04/05/06): reviewed, in
    collective discussion, or notified with the statement window over and no
    hearing pending (a non-major case needs no review)."""
    S = CaseStatus
    window_over = Q(rights_waived_on__isnull=False) | Q(statement_due__lt=today)
    return (Q(status__in=(S.REVIEWED, S.DISCUSSION))
            | (Q(status=S.NOTIFIED, legal_review_required=False, hearing_requested_on__isnull=True) & window_over))


def waiting_items(user, today: date) -> list[DashboardItem]:
    """The steps of a case that wait for this person (issue 13 §2): the head's
    立案审批 and 决定, the legal reviewer's 法制审核, the officer's own cases
    with their next step and its deadline."""
    items: list[DashboardItem] = []
    base = PenaltyCase.objects.select_related("unit").order_by("pk")
    if access.allowed(user, "enforcement.approve"):
        q = access.unit_q(user, "enforcement.approve")
        for c in base.filter(q, status=CaseStatus.PENDING, procedure="general")[:50]:
            items.append(DashboardItem(_kind(c.filing_due, today), f"待立案审批：{c.display_no} {c.cause}",
                                       _case_url(c.pk), c.filing_due, MODULE, c.filing_rule))
        for c in base.filter(q, status__in=UNDECIDED_STATES, extension_requested_on__isnull=False)[:50]:
            items.append(DashboardItem(_kind(c.decision_due, today),
                                       f"待审批延期：{c.display_no} {c.cause}（申请延长{c.extension_request_days}日）",
                                       _case_url(c.pk), c.decision_due, MODULE, "ENF-08"))
        for c in base.filter(q).filter(ready_to_decide_q(today))[:50]:
            what = "待集体讨论并决定" if c.status == CaseStatus.DISCUSSION else "待决定"
            items.append(DashboardItem(_kind(c.decision_due, today), f"{what}：{c.display_no} {c.cause}",
                                       _case_url(c.pk), c.decision_due, MODULE, c.decision_rule))
    if access.allowed(user, "enforcement.legal_review"):
        q = access.unit_q(user, "enforcement.legal_review")
        for c in base.filter(q, status=CaseStatus.LEGAL_REVIEW).exclude(case_officers__officer__person__user=user)[:50]:
            items.append(DashboardItem(_kind(c.decision_due, today), f"待法制审核：{c.display_no} {c.cause}",
                                       _case_url(c.pk), c.decision_due, MODULE, "ENF-04"))
    mine = (base.filter(case_officers__officer__person__user=user)
            .exclude(status__in=(CaseStatus.ARCHIVED, CaseStatus.TERMINATED)).distinct())
    for c in mine[:50]:
        due, rule = next_due(c)
        items.append(DashboardItem(_kind(due, today),
                                   f"我承办的案件：{c.display_no} {c.cause} — 下一步：{NEXT_STEP.get(c.status, '')}",
                                   _case_url(c.pk), due, MODULE, rule))
    return items


def dashboard_items(user, today: date) -> list[DashboardItem]:
    """Certificates expiring, cases near/over the 90-day limit, service due,
    publication/withdrawal due, payments overdue — scoped to the user."""
    items: list[DashboardItem] = []
    view = access.allowed(user, "enforcement.view")
    if not view:
        return items

    def scoped(qs, perm="enforcement.view"):
        return qs.filter(access.unit_q(user, perm))

    if access.allowed(user, "enforcement.manage_officers"):
        for c in scoped(certificates_expiring(today), "enforcement.manage_officers").select_related(
                "officer__person")[:50]:
            items.append(DashboardItem("due_soon", f"执法证件即将到期：{c.officer.person.name}（{c.number}）",
                                       _url("enforcement:officer_list"), c.valid_to, MODULE, "ENF-25"))
    items += waiting_items(user, today)
    for c in scoped(cases_near_limit(today))[:50]:
        items.append(DashboardItem(_kind(c.decision_due, today), f"办案期限：{c.display_no} {c.cause}",
                                   _case_url(c.pk), c.decision_due, MODULE, c.decision_rule))
    for c in scoped(service_due(today))[:50]:
        items.append(DashboardItem(_kind(c.service_due, today), f"决定书待送达：{c.decision_no}", _case_url(c.pk),
                                   c.service_due, MODULE, c.service_rule))
    for c in scoped(payments_overdue(today))[:50]:
        items.append(DashboardItem("overdue", f"罚款逾期未缴：{c.decision_no}", _case_url(c.pk), c.payment_due,
                                   MODULE, "ENF-14 每日加处3%"))
    if access.allowed(user, "enforcement.publish"):
        for p in scoped(publications_due(today), "enforcement.publish")[:50]:
            items.append(DashboardItem(_kind(p.due, today), f"执法决定待公示：{p.title}", _case_url(p.case_id),
                                       p.due, MODULE, p.due_rule))
        for p in scoped(withdrawals_due(today), "enforcement.publish")[:50]:
            items.append(DashboardItem(_kind(p.withdrawal_due, today), f"决定已变更，须撤回公示：{p.title}",
                                       _case_url(p.case_id), p.withdrawal_due, MODULE, "ENF-11 3个工作日"))
    return items


# ----------------------------------------------------------------- public

CERT_NO_MAX = 40  # the longest certificate number a look-up accepts


@dataclass(frozen=True)
class CertificateCheck:
    """What the public may learn about a certificate (ENF-19): nothing more."""

    name: str
    unit: str
    field: str
    status: str


def verify_certificate(number: str, *, today: date) -> CertificateCheck | None:
    """Look a certificate up by its exact number for the public page."""
    number = (number or "").strip()
    if not number or len(number) > CERT_NO_MAX:
        return None
    cert = Certificate.objects.select_related("officer__person", "unit").filter(number=number).first()
    if cert is None:
        return None
    return CertificateCheck(name=cert.officer.person.name, unit=cert.unit.name, field=cert.field,
                            status=cert.display_status(today))


def public_decisions(today: date, *, unit_id: int | None = None, q: str = "") -> QuerySet[PublicationRecord]:
    """Decisions on display on ``today``, newest first: published (not
    withdrawn, ENF-11, or taken down), and not past their display period
    (ENF-20/21) even while the hourly take-down job has not yet run.
    ``q`` looks only at what is shown (the decision number and the masked
    title): a person's full name finds nothing.
    Show them through ``PublicDecision`` (masked), never the raw record."""
    qs = (PublicationRecord.objects.filter(status=PublicationStatus.PUBLISHED, published_on__isnull=False,
                                           published_on__lte=today)
          .filter(Q(display_until__isnull=True) | Q(display_until__gte=today))
          .select_related("unit", "case", "case__violation_type").order_by("-published_on", "-pk"))
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if q:
        # The database narrows, the shown text decides: a hidden name must not find the row.
        qs = privacy.search_shown(qs.filter(Q(case__decision_no__icontains=q) | Q(title__icontains=q)), q,
                                  lambda p: (p.case.decision_no, shown_title(p)))
    return qs


def public_decision(pk: int, today: date) -> PublicationRecord | None:
    return public_decisions(today).filter(pk=pk).first()


def public_decision_units(today: date) -> list[Unit]:
    """The units with a decision on display on ``today`` (the portal's filter)."""
    shown = public_decisions(today).values("unit_id")
    return list(Unit.objects.filter(pk__in=shown).order_by("path", "pk"))


def public_bodies(today: date) -> list[tuple[Unit, list[Certificate]]]:
    """Enforcing bodies with their officers holding a certificate valid today
    (ENF-19: name, certificate number, category), in unit order. The body is
    the enforcing organ (organs.py): a 执法大队's officers are listed under
    their department, in whose name they act."""
    organ_of: dict[int, Unit] = {}
    out: dict[int, tuple[Unit, list[Certificate]]] = {}
    for unit, certs in groupby(public_officers(today), key=lambda c: c.unit):
        organ = organ_of.setdefault(unit.pk, organs.display_organ(unit))
        out.setdefault(organ.pk, (organ, []))[1].extend(certs)
    return list(out.values())


def shown_title(p: PublicationRecord, keep=()) -> str:
    """A publication's title as the public sees it: a natural person's name and address hidden."""
    case = p.case
    person = case.party_kind == PartyKind.PERSON
    names = [case.party_name, case.party_legal_rep] if person else [case.party_legal_rep]
    return privacy.public_text(p.title or f"{p.unit.name}行政处罚决定", keep=keep, names=names,
                               addresses=[case.party_address] if person else [])


# The labels of the lines services._publication_content writes ("标签：内容").
CONTENT_LABELS = {"决定书文号": "decision_no", "当事人": "party", "案由": "cause", "主要违法事实": "facts",
                  "处罚依据": "basis", "处罚种类": "penalty_kinds", "处罚内容": "penalty"}


def parse_content(content: str) -> dict[str, str]:
    """The labelled lines of a publication's text; unknown lines are ignored."""
    out: dict[str, str] = {}
    for line in (content or "").splitlines():
        label, sep, value = line.partition("：")
        if sep and label.strip() in CONTENT_LABELS:
            out[CONTENT_LABELS[label.strip()]] = value.strip()
    return out


@dataclass(frozen=True)
class PublicDecision:
    """A published penalty decision as the public sees it (ENF-19: organ,
    party, facts, category and conclusion; natural persons masked, ENF-20).

    The text fixed and checked at publication (``content``) is the source;
    the decision number and dates come from the record. Everything is masked
    once more on the way out (a natural person's name, address, ID and phone
    numbers), so nothing unmasked reaches the public even from an edited text.
    """

    id: int
    title: str
    unit: str
    decision_no: str
    party: str
    party_kind: str
    cause: str
    facts: str
    basis: str
    penalty_kinds: str
    penalty: str
    decision_date: date
    published_on: date | None  # never None once on display; the column allows it
    display_until: date | None
    content: str

    @classmethod
    def many(cls, pubs) -> list["PublicDecision"]:
        """``of`` for a page of decisions, the confirmed non-personal values read in one query."""
        pubs = list(pubs)
        keep = privacy.kept_for(PublicationRecord, [p.pk for p in pubs])
        return [cls.of(p, keep=keep.get(str(p.pk), set())) for p in pubs]

    @classmethod
    def of(cls, p: PublicationRecord, *, keep=None) -> "PublicDecision":
        case = p.case
        person = case.party_kind == PartyKind.PERSON
        names = [case.party_name, case.party_legal_rep] if person else [case.party_legal_rep]
        addresses = [case.party_address] if person else []
        keep = privacy.kept(p) if keep is None else keep

        def clean(text: str) -> str:
            return privacy.public_text(text, keep=keep, names=names, addresses=addresses)

        parts = parse_content(p.content)
        kinds = parts.get("penalty_kinds", "")
        return cls(
            id=p.pk, title=shown_title(p, keep), unit=p.unit.name,
            decision_no=case.decision_no,
            party=masking.party_name(case.party_name, natural_person=person),
            party_kind=case.get_party_kind_display(),
            cause=clean(parts.get("cause", "")), facts=clean(parts.get("facts", "")),
            basis=clean(parts.get("basis", "")), penalty_kinds=clean(kinds),
            penalty=clean(parts.get("penalty") or kinds),
            decision_date=p.decision_date, published_on=p.published_on, display_until=p.display_until,
            content=clean(p.content),
        )


def public_officers(on: date) -> QuerySet[Certificate]:
    """事前公示 of personnel (ENF-19): name, certificate number, category, unit —
    certificates valid on ``on``."""
    return (Certificate.objects.filter(status=CertificateStatus.VALID, valid_from__lte=on, valid_to__gte=on,
                                       officer__is_active=True)
            .select_related("officer__person", "unit").order_by("unit__path", "officer__person__name"))


def public_matters() -> QuerySet[ViolationType]:
    """Enforcement matters (事前公示, ENF-19, ENF-24): active violation types of
    every unit with their legal basis and benchmarks, in unit order."""
    return (ViolationType.objects.filter(is_active=True).select_related("unit")
            .prefetch_related(Prefetch("benchmarks", queryset=Benchmark.objects.order_by("fine_min", "pk")))
            .order_by("unit__path", "code", "pk"))


def portal_latest(limit: int, *, today: date | None = None):
    """The portal home section: the latest decisions on display. The portal
    calls it with ``limit`` only; ``today`` is then the local date."""
    from fazhi.core.manifest import PortalEntry

    today = today or timezone.localdate()
    out = []
    for p in public_decisions(today)[:limit]:
        out.append(PortalEntry(title=p.title, url=_url("enforcement_portal:decision", p.pk)
                               or _url("enforcement_portal:index") or "/portal/enforcement/",
                               published=p.published_on, note=p.unit.name))
    return out
