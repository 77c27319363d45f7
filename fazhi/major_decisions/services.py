"""Every write of the major-decisions module, one function per use case.

Order inside each service (STYLE.md): lock → authorise → check the legal
order (workflow.py) → validate → change → ``audit.record`` in the same
transaction. Refusals raise ``fazhi.core.errors`` with a Chinese message
and, where a legal rule refuses, its ID (docs/rules.md §2, MDEC-*).

Actors: ``by`` is the acting user; ``by=None`` is the system (demo loader,
jobs) and may do everything. Public comments come from the portal and take
no ``by``. Every step records its responsible persons as they were then
(``Responsibility``, MDEC-17).

Permissions (apps.py): ``major_decisions.manage_catalogue`` on the
government (catalogue, post-evaluation), ``.sponsor`` on the 承办单位
(launch, draft, consultation, experts, risk, submissions, execution reports),
``.legal_review`` on the government (legality opinion), ``.decide`` on the
government (collective discussion, publication, adjustment/stop),
``.manage_experts`` on the pool's unit.

Dates: services take the date of the act explicitly; no deadline code reads
the clock. Audit codes: ``major_decisions.<object>.<verb>``.
"""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fazhi.audit.services import record
from fazhi.consultations import services as consultations
from fazhi.core import draw as algo
from fazhi.core import draw_seed, privacy
from fazhi.core.dates import EnteredDate, entered_date
from fazhi.core.duties import ensure_not_own
from fazhi.core.errors import Conflict, PermissionDenied, TransitionRefused, ValidationError
from fazhi.core.uploads import read_checked
from fazhi.major_decisions import expert_draw, rules, workflow
from fazhi.major_decisions.models import (
    AdjustmentKind,
    Attachment,
    AttachmentStep,
    Capacity,
    Catalogue,
    CatalogueAdjustment,
    CatalogueEntry,
    CataloguePublication,
    CatalogueStatus,
    Category,
    ChangeKind,
    Comment,
    Completion,
    Consultation,
    Decision,
    DecisionChange,
    Discussion,
    DiscussionVote,
    EvaluationConclusion,
    ExecutionReport,
    Expert,
    ExpertDraw,
    ExpertDrawStatus,
    ExpertOpinion,
    ExpertPool,
    ExpertReview,
    ExpertStance,
    HeadDecision,
    LegalOpinion,
    LegalReview,
    MeetingType,
    PoolKind,
    PostEvaluation,
    PublicationKind,
    Responsibility,
    RiskAssessment,
    RiskLevel,
    SelectionMethod,
    Status,
    Step,
    View,
)
from fazhi.org import access
from fazhi.org.capacity import require_capacity
from fazhi.org.models import Person, Role, Unit


class _Unset:
    def __repr__(self):
        return "UNSET"

    def __bool__(self):
        return False


UNSET: Any = _Unset()
ACTION = "major_decisions.{}.{}"
MAX_TEXT = 200_000

P_VIEW = "major_decisions.view"
P_CATALOGUE = "major_decisions.manage_catalogue"
P_SPONSOR = "major_decisions.sponsor"
P_LEGAL = "major_decisions.legal_review"
P_DECIDE = "major_decisions.decide"
P_EXPERTS = "major_decisions.manage_experts"


# ------------------------------------------------------------------ helpers

def _act(obj, what: str, verb: str, *, by, data: dict | None = None, unit=None):
    return record(obj, ACTION.format(what, verb), by=by, data=data or {}, unit=unit)


# The system actor (by=None) may do everything: org.access.may / require_actor.
may = access.may
_require = access.require_actor


def _person(by) -> Person | None:
    return access.person_of(by) if by is not None else None


def _name(by) -> str:
    p = _person(by)
    if p is not None:
        return p.name
    return by.get_username() if by is not None else "系统"


def _clean(value, max_length: int, field: str, label: str, *, required: bool = False) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    text = text.replace("\r\n", "\n")
    if required and not text:
        raise ValidationError(f"{label}不能为空", fields={field: f"请填写{label}"})
    if len(text) > max_length:
        raise ValidationError(f"{label}过长（最多{max_length}字）", fields={field: f"最多{max_length}字"})
    return text


def _date(value, field: str, label: str, *, required: bool = True) -> date | None:
    if value is None and not required:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(f"{label}无效", fields={field: "请填写日期"})
    return value


def _entered(value, *, today: date, label: str, field: str, after=(), reason: str = "") -> EnteredDate:
    """A date typed by a person (SYS-03): not after the server's ``today``,
    not before the steps it follows; more than FAZHI_BACKDATE_DAYS back only
    with ``late_reason`` (then flagged in the trail via ``audit_data``)."""
    today = _date(today, "today", "今天")
    return entered_date(value, today=today, label=label, field=field, after=after,
                        reason=_clean(reason, 500, "late_reason", "补录理由"))


def _last_of(qs, field: str):
    """The latest value of a date ``field`` in ``qs`` (None when there is none)."""
    row = qs.exclude(**{f"{field}__isnull": True}).order_by(f"-{field}").values_list(field, flat=True).first()
    return row


def _choice(value, choices, field: str, label: str) -> str:
    if value not in choices.values:
        raise ValidationError(f"{label}无效：{value}", fields={field: f"请选择{label}"})
    return value


def _lock_decision(decision: Decision) -> Decision:
    return Decision.objects.select_for_update().select_related("unit", "sponsor_unit", "entry").get(pk=decision.pk)


def _lock_catalogue(catalogue: Catalogue) -> Catalogue:
    return Catalogue.objects.select_for_update().select_related("unit").get(pk=catalogue.pk)


def responsible(decision: Decision, step: str, capacity: str, *, acted_on: date, by=None,
                person: Person | None = None, expert: Expert | None = None, dissent: bool = False,
                note: str = "") -> Responsibility | None:
    """Record who acted, in which capacity, with their name/post/unit as they
    are now (MDEC-17). ``person`` defaults to the person of ``by``; the
    system (no person) records nothing."""
    if expert is not None:
        return Responsibility.objects.create(
            decision=decision, step=step, capacity=capacity, expert=expert, name=expert.name,
            post=expert.title, unit_name=expert.affiliation, acted_on=acted_on, dissent=dissent, note=note[:500])
    person = person or _person(by)
    if person is None:
        return None
    unit = person.unit
    return Responsibility.objects.create(
        decision=decision, step=step, capacity=capacity, person=person, name=person.name, post=person.post,
        unit_name=unit.name, unit_at_time=unit, acted_on=acted_on, dissent=dissent, note=note[:500])


def _facts(decision: Decision) -> dict:
    from fazhi.major_decisions.selectors import procedure_facts

    return procedure_facts(decision)


def _apply(decision: Decision, action: str, ctx: dict | None = None) -> str:
    before = decision.status
    workflow.apply(decision, action, _facts(decision) if ctx is None else ctx)
    return before


def _snapshot(catalogue: Catalogue) -> list[dict]:
    rows = []
    for e in catalogue.entries.select_related("sponsor_unit").order_by("seq"):
        if e.removed:
            continue
        rows.append({
            "seq": e.seq, "title": e.title, "category": e.get_category_display(),
            "sponsor_unit": e.sponsor_unit.name, "basis": e.basis,
            "procedures": e.required_steps(),
            "planned_completion": e.planned_completion.isoformat() if e.planned_completion else "",
            "completion": e.get_completion_display() if e.completion else "",
            "completion_note": e.completion_note,
        })
    return rows


def _publish_version(catalogue: Catalogue, *, kind: str, published_on: date, note: str) -> CataloguePublication:
    catalogue.version += 1
    pub = CataloguePublication.objects.create(
        catalogue=catalogue, version=catalogue.version, kind=kind, published_on=published_on, note=note,
        snapshot=_snapshot(catalogue))
    return pub


# ================================================================== catalogue (MDEC-01/02)

@transaction.atomic
def create_catalogue(unit: Unit, *, by, year: int, title: str = "") -> Catalogue:
    """Start the annual catalogue of a government (MDEC-02)."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _require(by, P_CATALOGUE, unit, "您无权编制该单位的重大行政决策事项目录")
    if isinstance(year, bool) or not isinstance(year, int) or not (2000 <= year <= 2999):
        raise ValidationError(f"年度“{year}”无效", fields={"year": "请填写四位年度"})
    if Catalogue.objects.filter(unit=unit, year=year).exists():
        raise Conflict(f"{unit.name}{year}年度目录已存在", rule="MDEC-02")
    title = _clean(title, 200, "title", "目录名称") or f"{unit.name}{year}年度重大行政决策事项目录"
    c = Catalogue.objects.create(unit=unit, year=year, title=title)
    _act(c, "catalogue", "created", by=by, data={"year": year, "title": title})
    return c


def _entry_fields(*, title, category, sponsor_unit, basis, description, needs_participation, needs_expert_review,
                  needs_risk_assessment, no_participation_reason, expert_field, planned_completion) -> dict:
    title = _clean(title, 200, "title", "事项名称", required=True)
    category = _choice(category, Category, "category", "事项类别（MDEC-01）")
    if not isinstance(sponsor_unit, Unit):
        raise ValidationError("请选择承办单位", rule="MDEC-03", fields={"sponsor_unit": "请选择承办单位"})
    if not sponsor_unit.is_active:
        raise ValidationError(f"承办单位“{sponsor_unit.name}”已停用", fields={"sponsor_unit": "单位已停用"})
    reason = _clean(no_participation_reason, 500, "no_participation_reason", "不公开征求意见理由")
    if not needs_participation and not reason:
        raise ValidationError("公众参与是法定程序，依法不予公开的事项方可免于公众参与，须说明理由", rule="MDEC-04",
                              fields={"no_participation_reason": "请说明不予公开征求意见的理由"})
    field = _clean(expert_field, 50, "expert_field", "论证专业领域")
    if needs_expert_review and not field:
        raise ValidationError("需专家论证的事项须写明论证专业领域", rule="MDEC-06",
                              fields={"expert_field": "请填写专业领域"})
    return dict(
        title=title, category=category, sponsor_unit=sponsor_unit,
        basis=_clean(basis, 5000, "basis", "法律政策依据"),
        description=_clean(description, 5000, "description", "事项概述"),
        needs_participation=bool(needs_participation), needs_expert_review=bool(needs_expert_review),
        needs_risk_assessment=bool(needs_risk_assessment),
        no_participation_reason="" if needs_participation else reason, expert_field=field,
        planned_completion=_date(planned_completion, "planned_completion", "计划完成时间", required=False),
    )


def _new_entry(catalogue: Catalogue, fields: dict) -> CatalogueEntry:
    last = catalogue.entries.order_by("-seq").values_list("seq", flat=True).first() or 0
    return CatalogueEntry.objects.create(catalogue=catalogue, seq=last + 1, **fields)


@transaction.atomic
def add_entry(catalogue: Catalogue, *, by, title: str, category: str, sponsor_unit: Unit, basis: str = "",
              description: str = "", needs_participation: bool = True, needs_expert_review: bool = False,
              needs_risk_assessment: bool = False, no_participation_reason: str = "", expert_field: str = "",
              planned_completion: date | None = None) -> CatalogueEntry:
    """Add a matter to a draft catalogue. After approval use ``adjust_catalogue`` (MDEC-02)."""
    catalogue = _lock_catalogue(catalogue)
    _require(by, P_CATALOGUE, catalogue.unit, "您无权编制该目录")
    if catalogue.status != CatalogueStatus.DRAFT:
        raise TransitionRefused("目录已批准，增加事项须通过目录调整并重新公布", rule="MDEC-02")
    fields = _entry_fields(
        title=title, category=category, sponsor_unit=sponsor_unit, basis=basis, description=description,
        needs_participation=needs_participation, needs_expert_review=needs_expert_review,
        needs_risk_assessment=needs_risk_assessment, no_participation_reason=no_participation_reason,
        expert_field=expert_field, planned_completion=planned_completion)
    entry = _new_entry(catalogue, fields)
    _act(entry, "entry", "added", by=by, unit=catalogue.unit, data={"catalogue": catalogue.pk, "title": entry.title})
    return entry


ENTRY_FIELDS = ("title", "category", "sponsor_unit", "basis", "description", "needs_participation",
                "needs_expert_review", "needs_risk_assessment", "no_participation_reason", "expert_field",
                "planned_completion")


ENTRY_DEFAULTS = dict(title="", category="", sponsor_unit=None, basis="", description="", needs_participation=True,
                      needs_expert_review=False, needs_risk_assessment=False, no_participation_reason="",
                      expert_field="", planned_completion=None)


def _merged(entry: CatalogueEntry, changes: dict) -> dict:
    unknown = set(changes) - set(ENTRY_FIELDS)
    if unknown:
        raise ValidationError("不能修改：" + "、".join(sorted(unknown)))
    current = {f: getattr(entry, f) for f in ENTRY_FIELDS}
    current.update(changes)
    return _entry_fields(**current)


def _jsonable(v):
    if isinstance(v, Unit):
        return v.name
    if isinstance(v, date):
        return v.isoformat()
    return v


@transaction.atomic
def update_entry(entry: CatalogueEntry, *, by, **changes) -> CatalogueEntry:
    """Edit a matter of a draft catalogue."""
    entry = CatalogueEntry.objects.select_for_update().select_related("catalogue__unit").get(pk=entry.pk)
    catalogue = entry.catalogue
    _require(by, P_CATALOGUE, catalogue.unit, "您无权编制该目录")
    if catalogue.status != CatalogueStatus.DRAFT:
        raise TransitionRefused("目录已批准，变更事项须通过目录调整并重新公布", rule="MDEC-02")
    fields = _merged(entry, changes)
    for k, v in fields.items():
        setattr(entry, k, v)
    entry.save()
    _act(entry, "entry", "updated", by=by, unit=catalogue.unit,
         data={k: _jsonable(v) for k, v in fields.items() if k in changes})
    return entry


@transaction.atomic
def delete_entry(entry: CatalogueEntry, *, by) -> None:
    """Remove a matter from a draft catalogue (before approval)."""
    entry = CatalogueEntry.objects.select_for_update().select_related("catalogue__unit").get(pk=entry.pk)
    catalogue = entry.catalogue
    _require(by, P_CATALOGUE, catalogue.unit, "您无权编制该目录")
    if catalogue.status != CatalogueStatus.DRAFT:
        raise TransitionRefused("目录已批准，调出事项须通过目录调整并重新公布", rule="MDEC-02")
    _act(entry, "entry", "deleted", by=by, unit=catalogue.unit, data={"title": entry.title})
    entry.delete()


IMPORT_MAX_ROWS = 500


def _partners_note(partners, description: str) -> str:
    names = "、".join(dict.fromkeys(u.name for u in partners or []))
    if not names:
        return description
    return f"配合单位：{names}" + (f"\n{description}" if description else "")


@transaction.atomic
def import_catalogue_entries(catalogue: Catalogue, *, by, rows: list[dict], source_name: str = "") -> list[CatalogueEntry]:
    """Add the matters of an imported catalogue notice to a draft catalogue:
    all of them or none. Matters are added freely only before approval; after
    it, only by 目录调整 (MDEC-02).

    Each row holds ``add_entry``'s fields (``title``, ``category``,
    ``sponsor_unit`` — the catalogue's government or a unit below it —,
    ``planned_completion``, ``basis``, ``description``) and may hold
    ``partner_units`` (written into the description as 配合单位) and ``line``
    (where it stood in the file, named in a refusal). A row that fails, or a
    title already in the catalogue or twice in the file, refuses the whole
    import. Every entry is audited as ``add_entry`` audits it; one
    ``catalogue.entries_imported`` names the file."""
    catalogue = _lock_catalogue(catalogue)
    _require(by, P_CATALOGUE, catalogue.unit, "您无权编制该目录")
    if catalogue.status != CatalogueStatus.DRAFT:
        raise TransitionRefused("目录已批准，不能再导入事项；增加事项须通过目录调整并重新公布", rule="MDEC-02")
    if not rows:
        raise ValidationError("没有可导入的事项")
    if len(rows) > IMPORT_MAX_ROWS:
        raise ValidationError(f"一次最多导入{IMPORT_MAX_ROWS}项事项")
    seen = set(catalogue.entries.values_list("title", flat=True))
    prepared, errors = [], {}
    for i, row in enumerate(rows, start=1):
        where = row.get("line") or f"第{i}项"
        sponsor = row.get("sponsor_unit")
        try:
            if isinstance(sponsor, Unit) and not sponsor.path.startswith(catalogue.unit.path):
                raise ValidationError(f"承办单位“{sponsor.name}”不是{catalogue.unit.name}或其所属单位", rule="MDEC-03")
            description = _clean(row.get("description"), 4000, "description", "事项概述")
            fields = _entry_fields(
                title=row.get("title"), category=row.get("category"), sponsor_unit=sponsor,
                basis=row.get("basis", ""), description=_partners_note(row.get("partner_units"), description),
                needs_participation=True, needs_expert_review=False, needs_risk_assessment=False,
                no_participation_reason="", expert_field="", planned_completion=row.get("planned_completion"))
            if fields["title"] in seen:
                raise ValidationError(f"目录中已有事项“{fields['title']}”")
        except ValidationError as exc:
            errors[where] = str(exc)
            continue
        seen.add(fields["title"])
        prepared.append(fields)
    if errors:
        raise ValidationError(f"有{len(errors)}行不能导入，未保存任何事项：" +
                              "；".join(f"{k}：{v}" for k, v in errors.items()), fields=errors)
    entries = []
    for fields in prepared:
        entry = _new_entry(catalogue, fields)
        _act(entry, "entry", "added", by=by, unit=catalogue.unit,
             data={"catalogue": catalogue.pk, "title": entry.title, "imported": True})
        entries.append(entry)
    _act(catalogue, "catalogue", "entries_imported", by=by, data={
        "count": len(entries), "source": (source_name or "")[:255], "seqs": [entries[0].seq, entries[-1].seq]})
    return entries


@transaction.atomic
def approve_catalogue(catalogue: Catalogue, *, by, approved_on: date, party_consent_on: date,
                      party_consent_note: str) -> Catalogue:
    """Approve the catalogue with the same-level Party committee's consent (MDEC-02)."""
    catalogue = _lock_catalogue(catalogue)
    _require(by, P_DECIDE, catalogue.unit, "只有决策机关负责人可以批准目录")
    if catalogue.status != CatalogueStatus.DRAFT:
        raise TransitionRefused("目录已批准", rule="MDEC-02")
    approved_on = _date(approved_on, "approved_on", "批准日期")
    party_consent_on = _date(party_consent_on, "party_consent_on", "党委同意日期")
    note = _clean(party_consent_note, 500, "party_consent_note", "党委同意情况", required=True)
    if party_consent_on > approved_on:
        raise ValidationError("目录须经同级党委同意后批准，党委同意日期不能晚于批准日期", rule="MDEC-02",
                              fields={"party_consent_on": "晚于批准日期"})
    if not catalogue.entries.exists():
        raise ValidationError("目录没有任何决策事项", rule="MDEC-02")
    catalogue.status = CatalogueStatus.APPROVED
    catalogue.approved_on, catalogue.party_consent_on, catalogue.party_consent_note = (
        approved_on, party_consent_on, note)
    catalogue.approved_by_name = _name(by)
    catalogue.save()
    _act(catalogue, "catalogue", "approved", by=by, data={
        "approved_on": approved_on, "party_consent_on": party_consent_on, "party_consent_note": note})
    return catalogue


@transaction.atomic
def publish_catalogue(catalogue: Catalogue, *, by, published_on: date, note: str = "") -> CataloguePublication:
    """Publish the approved catalogue on the portal (version 1, MDEC-02)."""
    catalogue = _lock_catalogue(catalogue)
    _require(by, P_CATALOGUE, catalogue.unit, "您无权公布该目录")
    if catalogue.status != CatalogueStatus.APPROVED:
        raise TransitionRefused(
            "目录须经党委同意并批准后方可公布" if catalogue.status == CatalogueStatus.DRAFT else "目录已公布",
            rule="MDEC-02")
    published_on = _date(published_on, "published_on", "公布日期")
    if published_on < catalogue.approved_on:
        raise ValidationError("公布日期不能早于批准日期", fields={"published_on": "早于批准日期"})
    catalogue.status = CatalogueStatus.PUBLISHED
    catalogue.published_on = published_on
    pub = _publish_version(catalogue, kind=PublicationKind.CATALOGUE, published_on=published_on,
                           note=_clean(note, 5000, "note", "公布说明"))
    catalogue.save()
    _act(catalogue, "catalogue", "published", by=by, data={"published_on": published_on, "version": pub.version})
    return pub


@transaction.atomic
def adjust_catalogue(catalogue: Catalogue, *, by, kind: str, reason: str, adjusted_on: date,
                     entry: CatalogueEntry | None = None, fields: dict | None = None,
                     party_consent_note: str = "") -> CatalogueAdjustment:
    """Adjust a published catalogue during the year — add, remove or change a
    matter, with the reason — and republish it as a new version (MDEC-02)."""
    catalogue = _lock_catalogue(catalogue)
    _require(by, P_CATALOGUE, catalogue.unit, "您无权调整该目录")
    if catalogue.status != CatalogueStatus.PUBLISHED:
        raise TransitionRefused("目录公布后方可调整；公布前请直接修改草拟目录", rule="MDEC-02")
    if catalogue.completion_published_on:
        raise TransitionRefused("年度完成情况已公布，目录不能再调整", rule="MDEC-02")
    kind = _choice(kind, AdjustmentKind, "kind", "调整类型")
    reason = _clean(reason, 5000, "reason", "调整理由", required=True)
    adjusted_on = _date(adjusted_on, "adjusted_on", "调整日期")
    if adjusted_on < catalogue.published_on:
        raise ValidationError("调整日期不能早于目录公布日期", fields={"adjusted_on": "早于公布日期"})
    fields = dict(fields or {})
    changes: dict = {}
    if kind == AdjustmentKind.ADD:
        unknown = set(fields) - set(ENTRY_FIELDS)
        if unknown:
            raise ValidationError("不能填写：" + "、".join(sorted(unknown)))
        entry = _new_entry(catalogue, _entry_fields(**{**ENTRY_DEFAULTS, **fields}))
        changes = {"added": entry.title}
    else:
        if entry is None or entry.catalogue_id != catalogue.pk:
            raise ValidationError("请选择本目录中的事项", fields={"entry": "请选择事项"})
        entry = CatalogueEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.removed:
            raise Conflict(f"事项“{entry.title}”已调出目录")
        if kind == AdjustmentKind.REMOVE:
            active = entry.decisions.exclude(status=Status.ABANDONED)
            if active.exists():
                raise Conflict(f"事项“{entry.title}”已启动决策程序，须先终止决策程序方可调出目录", rule="MDEC-16")
            entry.removed, entry.completion = True, Completion.REMOVED
            entry.save()
            changes = {"removed": entry.title}
        else:
            if not fields:
                raise ValidationError("请填写变更内容", fields={"fields": "没有变更"})
            new = _merged(entry, fields)
            for k, v in new.items():
                old = getattr(entry, k)
                if old != v:
                    changes[k] = [_jsonable(old), _jsonable(v)]
                    setattr(entry, k, v)
            if not changes:
                raise ValidationError("变更内容与原事项相同", fields={"fields": "没有变更"})
            entry.save()
    adj = CatalogueAdjustment.objects.create(
        catalogue=catalogue, entry=entry, kind=kind, reason=reason, changes=changes, adjusted_on=adjusted_on,
        party_consent_note=_clean(party_consent_note, 500, "party_consent_note", "党委同意情况"),
        recorded_by=by, recorded_by_name=_name(by))
    pub = _publish_version(catalogue, kind=PublicationKind.ADJUSTMENT, published_on=adjusted_on,
                           note=f"{adj.get_kind_display()}：{entry.title}。理由：{reason}")
    adj.publication = pub
    adj.save(update_fields=["publication", "updated_at"])
    catalogue.save()
    _act(adj, "catalogue", "adjusted", by=by, unit=catalogue.unit, data={
        "catalogue": catalogue.pk, "kind": kind, "entry": entry.pk, "reason": reason, "changes": changes,
        "version": pub.version})
    return adj


@transaction.atomic
def set_completion(entry: CatalogueEntry, *, by, completion: str, note: str = "") -> CatalogueEntry:
    """Year-end completion status of one matter (MDEC-02)."""
    entry = CatalogueEntry.objects.select_for_update().select_related("catalogue__unit").get(pk=entry.pk)
    _require(by, P_CATALOGUE, entry.catalogue.unit, "您无权填报完成情况")
    if entry.catalogue.status != CatalogueStatus.PUBLISHED:
        raise TransitionRefused("目录尚未公布", rule="MDEC-02")
    if entry.catalogue.completion_published_on:
        raise TransitionRefused("年度完成情况已公布", rule="MDEC-02")
    if entry.removed:
        raise Conflict("事项已调出目录")
    completion = _choice(completion, Completion, "completion", "完成情况")
    if completion in ("", Completion.REMOVED):
        raise ValidationError("请选择完成情况", fields={"completion": "请选择"})
    entry.completion = completion
    entry.completion_note = _clean(note, 500, "note", "完成情况说明")
    entry.save()
    _act(entry, "entry", "completion_set", by=by, unit=entry.catalogue.unit,
         data={"completion": completion, "note": entry.completion_note})
    return entry


@transaction.atomic
def publish_completion(catalogue: Catalogue, *, by, published_on: date, summary: str) -> CataloguePublication:
    """Publish the year-end completion status (MDEC-02); every matter must have one."""
    catalogue = _lock_catalogue(catalogue)
    _require(by, P_CATALOGUE, catalogue.unit, "您无权公布完成情况")
    if catalogue.status != CatalogueStatus.PUBLISHED:
        raise TransitionRefused("目录尚未公布", rule="MDEC-02")
    if catalogue.completion_published_on:
        raise TransitionRefused("年度完成情况已公布", rule="MDEC-02")
    published_on = _date(published_on, "published_on", "公布日期")
    missing = list(catalogue.entries.filter(removed=False, completion="").values_list("title", flat=True))
    if missing:
        raise ValidationError("以下事项尚未填报完成情况：" + "、".join(missing), rule="MDEC-02")
    catalogue.completion_published_on = published_on
    catalogue.completion_summary = _clean(summary, 10000, "summary", "年度完成情况说明", required=True)
    pub = _publish_version(catalogue, kind=PublicationKind.COMPLETION, published_on=published_on,
                           note=catalogue.completion_summary)
    catalogue.save()
    _act(catalogue, "catalogue", "completion_published", by=by,
         data={"published_on": published_on, "version": pub.version})
    return pub


# ================================================================== experts (MDEC-06)

@transaction.atomic
def create_pool(unit: Unit, *, by, kind: str, name: str = "") -> ExpertPool:
    _require(by, P_EXPERTS, unit, "您无权管理该单位的专家库")
    kind = _choice(kind, PoolKind, "kind", "专家库类型")
    if ExpertPool.objects.filter(unit=unit, kind=kind).exists():
        raise Conflict(f"{unit.name}的{PoolKind(kind).label}已存在")
    pool = ExpertPool.objects.create(unit=unit, kind=kind,
                                     name=_clean(name, 100, "name", "名称") or f"{unit.short_name or unit.name}"
                                     f"{PoolKind(kind).label}")
    _act(pool, "pool", "created", by=by, data={"kind": kind, "name": pool.name})
    return pool


def _expert_fields(*, name, fields, affiliation, title, phone) -> dict:
    if isinstance(fields, str):
        fields = [f for f in fields.replace("，", "、").replace(",", "、").split("、")]
    fields = [str(f).strip() for f in (fields or []) if str(f).strip()]
    if not fields:
        raise ValidationError("请填写专家的专业领域", fields={"fields": "至少一个专业领域"})
    if any(len(f) > 50 for f in fields):
        raise ValidationError("专业领域过长（每项最多50字）", fields={"fields": "过长"})
    return dict(name=_clean(name, 50, "name", "姓名", required=True), fields=fields,
                affiliation=_clean(affiliation, 200, "affiliation", "工作单位"),
                title=_clean(title, 100, "title", "职称/职务"), phone=_clean(phone, 30, "phone", "联系电话"))


@transaction.atomic
def add_expert(pool: ExpertPool, *, by, name: str, fields, affiliation: str = "", title: str = "",
               phone: str = "", conflict_units=()) -> Expert:
    """Add an expert to a pool, with fields and the units they may not review (MDEC-06)."""
    pool = ExpertPool.objects.select_related("unit").get(pk=pool.pk)
    _require(by, P_EXPERTS, pool.unit, "您无权管理该专家库")
    data = _expert_fields(name=name, fields=fields, affiliation=affiliation, title=title, phone=phone)
    expert = Expert.objects.create(pool=pool, **data)
    units = list(conflict_units or ())
    expert.conflict_units.set(units)
    _act(expert, "expert", "added", by=by, unit=pool.unit, data={
        "pool": pool.pk, "name": expert.name, "fields": expert.fields, "conflict_units": [u.pk for u in units]})
    return expert


@transaction.atomic
def update_expert(expert: Expert, *, by, name: str = UNSET, fields=UNSET, affiliation: str = UNSET,
                  title: str = UNSET, phone: str = UNSET, conflict_units=UNSET, is_active: bool = UNSET) -> Expert:
    expert = Expert.objects.select_for_update().select_related("pool__unit").get(pk=expert.pk)
    _require(by, P_EXPERTS, expert.pool.unit, "您无权管理该专家库")
    current = dict(name=expert.name, fields=expert.fields, affiliation=expert.affiliation, title=expert.title,
                   phone=expert.phone)
    for k, v in (("name", name), ("fields", fields), ("affiliation", affiliation), ("title", title),
                 ("phone", phone)):
        if v is not UNSET:
            current[k] = v
    data = _expert_fields(**current)
    for k, v in data.items():
        setattr(expert, k, v)
    if is_active is not UNSET:
        expert.is_active = bool(is_active)
    expert.save()
    if conflict_units is not UNSET:
        expert.conflict_units.set(list(conflict_units))
    _act(expert, "expert", "updated", by=by, unit=expert.pool.unit, data={
        "name": expert.name, "fields": expert.fields, "is_active": expert.is_active,
        "conflict_units": sorted(expert.conflict_units.values_list("pk", flat=True))})
    return expert


# ================================================================== decision: launch and draft

@transaction.atomic
def launch_decision(entry: CatalogueEntry, *, by, launched_on: date, launch_note: str = "",
                    title: str = "") -> Decision:
    """启动: the 承办单位 launches the procedure of a catalogue matter (MDEC-02/03).
    The matter must be in a published catalogue and not removed; its required
    procedures are copied onto the decision."""
    entry = CatalogueEntry.objects.select_for_update().select_related("catalogue__unit", "sponsor_unit").get(
        pk=entry.pk)
    _require(by, P_SPONSOR, entry.sponsor_unit, "只有承办单位可以启动该决策事项")
    if entry.catalogue.status != CatalogueStatus.PUBLISHED:
        raise TransitionRefused("决策事项须列入经批准并公布的年度目录后方可启动", rule="MDEC-02")
    if entry.removed:
        raise TransitionRefused("该事项已调出目录，不能启动", rule="MDEC-02")
    if entry.decisions.exclude(status__in=(Status.ABANDONED, Status.STOPPED)).exists():
        raise Conflict("该事项已启动决策程序", rule="MDEC-03")
    launched_on = _date(launched_on, "launched_on", "启动日期")
    d = Decision.objects.create(
        unit=entry.catalogue.unit, entry=entry, sponsor_unit=entry.sponsor_unit,
        title=_clean(title, 200, "title", "决策事项名称") or entry.title, category=entry.category,
        needs_participation=entry.needs_participation, needs_expert_review=entry.needs_expert_review,
        needs_risk_assessment=entry.needs_risk_assessment, expert_field=entry.expert_field,
        launched_on=launched_on, launch_note=_clean(launch_note, 10000, "launch_note", "决策启动说明"))
    responsible(d, Step.LAUNCH, Capacity.SPONSOR, by=by, acted_on=launched_on)
    _act(d, "decision", "launched", by=by, data={
        "entry": entry.pk, "sponsor_unit": entry.sponsor_unit_id, "launched_on": launched_on,
        "required": [str(s.label) for s in d.required_steps()]})
    return d


@transaction.atomic
def start_drafting(decision: Decision, *, by, today: date) -> Decision:
    """启动 → 草案拟订 (MDEC-03)."""
    d = _lock_decision(decision)
    _require(by, P_SPONSOR, d.sponsor_unit, "只有承办单位可以拟订决策草案")
    before = _apply(d, "start_drafting")
    d.save(update_fields=["status", "updated_at"])
    _act(d, "decision", "drafting_started", by=by, data={"from": before, "on": _date(today, "today", "日期")})
    return d


@transaction.atomic
def save_draft(decision: Decision, *, by, draft_text: str, draft_explanation: str = "", today: date,
               touches_market: bool = UNSET, fair_competition_note: str = UNSET) -> Decision:
    """Write or change the draft (草案拟订). Allowed while drafting and during
    expert review and risk assessment (their outcome may change the draft)."""
    d = _lock_decision(decision)
    _require(by, P_SPONSOR, d.sponsor_unit, "只有承办单位可以修改决策草案")
    if d.status not in workflow.EDITABLE_STATES:
        raise TransitionRefused(
            f"当前状态为“{d.get_status_display()}”，不能修改决策草案；草案只能在草案拟订、专家论证、风险评估阶段修改",
            rule="MDEC-03")
    today = _date(today, "today", "日期")
    d.draft_text = _clean(draft_text, MAX_TEXT, "draft_text", "决策草案", required=True)
    d.draft_explanation = _clean(draft_explanation, MAX_TEXT, "draft_explanation", "起草说明")
    if touches_market is not UNSET:
        d.touches_market = bool(touches_market)
    if fair_competition_note is not UNSET:
        d.fair_competition_note = _clean(fair_competition_note, 500, "fair_competition_note", "公平竞争审查情况")
    d.draft_updated_on = today
    d.save()
    if not d.responsibilities.filter(step=Step.DRAFT, person=_person(by)).exists():
        responsible(d, Step.DRAFT, Capacity.DRAFTER, by=by, acted_on=today)
    _act(d, "decision", "draft_saved", by=by, data={"length": len(d.draft_text), "on": today})
    return d


# ================================================================== 公众参与 (MDEC-04)

# MDEC-04 as the shared consultation services apply them: whole-text comments;
# ended only once the period is over; every answer gives its reason.
CONSULTATION = consultations.Policy(
    app="major_decisions", owner_field="decision", permission=P_SPONSOR, rule="MDEC-04",
    subject="该决策草案", owner_unit=lambda d: d.sponsor_unit, period_rule=lambda d: "MDEC-04",
    short_period_hint="，须在公告中说明理由", reason_for_adopted=True, unanswered_error=ValidationError,
    owner_page=lambda c: reverse("major_decisions:decision_detail", args=[c.decision_id]))


@transaction.atomic
def start_consultation(decision: Decision, *, by, start_on: date, end_on: date, today: date,
                       exception_reason: str = "", how_to_comment: str = "", late_reason: str = "") -> Consultation:
    """Publish the draft for public comment. MDEC-04: the period is normally
    at least 30 days (through workdays.add_calendar_days); a shorter one
    needs the reason stated in the notice."""
    d = _lock_decision(decision)
    _require(by, P_SPONSOR, d.sponsor_unit, "只有承办单位可以组织公开征求意见")
    started = _entered(start_on, today=today, label="征求意见开始日期", field="start_on",
                       after=[(d.launched_on, "启动日期")], reason=late_reason)
    start_on = started.value
    end_on = _date(end_on, "end_on", "截止日期")
    before = _apply(d, "start_participation")
    c = consultations.start(
        d, policy=CONSULTATION, by=by, start_on=start_on, end_on=end_on,
        minimum=rules.consultation_min_end(start_on), exception_reason=exception_reason,
        draft_text=d.draft_text, explanation=d.draft_explanation,
        how_to_comment=_clean(how_to_comment, 500, "how_to_comment", "意见提交方式") or "通过门户网站在线提交",
        audit_data={"decision": d.pk, "from": before, **started.audit_data()})
    d.save(update_fields=["status", "updated_at"])
    responsible(d, Step.PARTICIPATION, Capacity.SPONSOR, by=by, acted_on=start_on, note="组织公开征求意见")
    return c


def submit_comment(consultation: Consultation, *, content: str, name: str = "", contact: str = "",
                   now: datetime | None = None) -> Comment:
    """A public comment from the portal. Refused outside the period (MDEC-04)."""
    return consultations.submit_comment(consultation, policy=CONSULTATION, content=content, name=name,
                                        contact=contact, now=now)


def close_consultation(consultation: Consultation, *, by, today: date) -> Consultation:
    """End the consultation once its period has passed (MDEC-04)."""
    return consultations.close(consultation, policy=CONSULTATION, by=by, today=today)


def answer_comment(comment: Comment, *, by, adoption: str, reason: str, now: datetime | None = None) -> Comment:
    """采纳 / 部分采纳 / 不采纳 with a reason."""
    return consultations.answer_comment(comment, policy=CONSULTATION, adoption=adoption, reason=reason, by=by,
                                        now=now)


def publish_consultation_summary(consultation: Consultation, *, by, summary: str,
                                 published_on: date) -> Consultation:
    """Publish how comments were adopted, with reasons (MDEC-04, MDEC-13)."""
    return consultations.publish_summary(consultation, policy=CONSULTATION, summary=summary, by=by,
                                         published_on=published_on)


# ================================================================== 专家论证 (MDEC-06)

@transaction.atomic
def start_expert_review(decision: Decision, *, by, today: date) -> Decision:
    """草案拟订/公众参与 → 专家论证 (MDEC-06)."""
    d = _lock_decision(decision)
    _require(by, P_SPONSOR, d.sponsor_unit, "只有承办单位可以组织专家论证")
    before = _apply(d, "start_expert_review")
    d.save(update_fields=["status", "updated_at"])
    _act(d, "decision", "expert_review_started", by=by, data={"from": before, "on": _date(today, "today", "日期")})
    return d


def eligible_experts(pool: ExpertPool, field: str, sponsor_unit: Unit) -> tuple[list[Expert], list[dict]]:
    """(candidates, excluded): active experts of ``field``; those whose
    conflict units include the sponsor unit are excluded (MDEC-06)."""
    candidates, excluded = [], []
    for e in pool.experts.filter(is_active=True).prefetch_related("conflict_units").order_by("pk"):
        if field not in e.field_list:
            continue
        if any(u.pk == sponsor_unit.pk for u in e.conflict_units.all()):
            excluded.append({"id": e.pk, "name": e.name, "reason": f"与承办单位{sponsor_unit.name}存在利害关系，回避"})
            continue
        candidates.append(e)
    return candidates, excluded


def _commit_expert_draw(review: ExpertReview, *, by, candidates: list[int], excluded: list[dict], count: int,
                        number: int, reason: str, now: datetime) -> ExpertDraw:
    """Freeze the candidates and the parameters and commit (fazhi-draw/2): the
    server's seed is derived from SECRET_KEY and a random salt, never chosen by
    anyone and never stored; only the commitments are recorded."""
    salt = draw_seed.new_salt()
    draw = ExpertDraw.objects.create(
        review=review, number=number, reason=reason, algorithm_version=algo.ALGORITHM_VERSION, seed_salt=salt,
        server_commitment="0" * 64, commitment="0" * 64, candidates=candidates, objects_hash="",
        params=expert_draw.build_params(review, candidates=candidates, excluded=excluded, count=count,
                                        number=number, reason=reason),
        params_hash="", committed_at=now, committed_by=by)
    hashes = expert_draw.hashes(draw)
    draw.server_commitment = draw_seed.server_commitment(expert_draw.PURPOSE, draw.pk, salt)
    draw.objects_hash, draw.params_hash = hashes["objects"], hashes["params"]
    draw.commitment = algo.freeze_commitment(draw.server_commitment, hashes)
    draw.save(update_fields=["server_commitment", "objects_hash", "params_hash", "commitment", "updated_at"])
    _act(draw, "expert_draw", "committed", by=by, unit=review.decision.unit, data={
        "review": review.pk, "number": number, "reason": reason, "commitment": draw.commitment,
        "server_commitment": draw.server_commitment, "params_sha256": draw.params_hash, "candidates": candidates,
        "count": count})
    return draw


@transaction.atomic
def select_experts(decision: Decision, *, by, pool: ExpertPool, method: str, selected_on: date,
                   field: str = "", experts=(), count: int | None = None, choice_reason: str = "",
                   now: datetime | None = None) -> ExpertReview:
    """Select the experts of the review (MDEC-06): at least ``rules.min_experts()``
    from the matter's field; an expert whose conflict units include the
    sponsor unit is refused. ``method`` 指定选取 (``experts`` chosen, reason
    recorded) or 随机抽取: ``count`` experts drawn by the verifiable draw —
    this commits to the candidates and parameters (``ExpertDraw``); nobody
    chooses the seed, and ``reveal_expert_draw`` then draws. Once a review of
    the decision is complete no further selection or draw is possible."""
    d = _lock_decision(decision)
    _require(by, P_SPONSOR, d.sponsor_unit, "只有承办单位可以选取论证专家")
    if d.status != Status.EXPERT_REVIEW:
        raise TransitionRefused(
            f"当前状态为“{d.get_status_display()}”，不能选取论证专家；须先进入专家论证程序", rule="MDEC-06")
    if d.expert_reviews.filter(completed_on__isnull=True).exists():
        raise Conflict("本决策已有进行中的专家论证", rule="MDEC-06")
    if d.expert_reviews.filter(completed_on__isnull=False).exists():
        raise Conflict("本决策的专家论证已完成，不能再次选取或抽取专家", rule="MDEC-06")
    pool = ExpertPool.objects.select_related("unit").get(pk=pool.pk)
    method = _choice(method, SelectionMethod, "method", "选取方式")
    selected_on = _date(selected_on, "selected_on", "选取日期")
    field = _clean(field, 50, "field", "专业领域") or d.expert_field
    if not field:
        raise ValidationError("请填写论证专业领域", rule="MDEC-06", fields={"field": "请填写专业领域"})
    minimum = rules.min_experts()
    candidates, excluded = eligible_experts(pool, field, d.sponsor_unit)
    if method == SelectionMethod.CHOICE:
        chosen = list(experts or ())
        ids = [e.pk for e in chosen]
        if len(set(ids)) != len(ids):
            raise ValidationError("同一专家不能重复选取", fields={"experts": "重复"})
        if len(chosen) < minimum:
            raise ValidationError(f"专家论证须至少选取{minimum}名相关领域专家，当前仅{len(chosen)}名", rule="MDEC-06",
                                  fields={"experts": f"至少{minimum}名"})
        cand_ids = {e.pk for e in candidates}
        for e in chosen:
            e = Expert.objects.prefetch_related("conflict_units").get(pk=e.pk)
            if e.pool_id != pool.pk:
                raise ValidationError(f"专家{e.name}不在{pool.name}中", fields={"experts": "不在专家库"})
            if any(u.pk == d.sponsor_unit_id for u in e.conflict_units.all()):
                raise ValidationError(
                    f"专家{e.name}与承办单位{d.sponsor_unit.name}存在直接利害关系，应当回避，不能参加论证",
                    rule="MDEC-06", fields={"experts": "存在利害关系"})
            if not e.is_active:
                raise ValidationError(f"专家{e.name}已不在库", fields={"experts": "不在库"})
            if e.pk not in cand_ids:
                raise ValidationError(f"专家{e.name}的专业领域不含“{field}”", rule="MDEC-06",
                                      fields={"experts": "专业领域不符"})
        choice_reason = _clean(choice_reason, 500, "choice_reason", "指定理由", required=True)
        selected_ids, cand_list, draw_count = ids, [e.pk for e in candidates], 0
    else:
        count = minimum if count is None else count
        if isinstance(count, bool) or not isinstance(count, int) or count < minimum:
            raise ValidationError(f"专家论证须至少抽取{minimum}名相关领域专家", rule="MDEC-06",
                                  fields={"count": f"至少{minimum}名"})
        if len(candidates) < count:
            raise ValidationError(
                f"{pool.name}中“{field}”领域可抽取（已排除回避）的专家仅{len(candidates)}名，不足{count}名",
                rule="MDEC-06", fields={"count": "候选专家不足"})
        cand_list = [e.pk for e in candidates]
        selected_ids, draw_count, choice_reason = [], count, ""
    review = ExpertReview.objects.create(
        decision=d, pool=pool, field=field, method=method, choice_reason=choice_reason, seed="",
        candidates=cand_list, excluded=excluded, draw_count=draw_count, selected_on=selected_on, recorded_by=by)
    _create_opinions(review, selected_ids)
    responsible(d, Step.EXPERT_REVIEW, Capacity.SPONSOR, by=by, acted_on=selected_on, note="组织专家论证、选取专家")
    _act(review, "expert_review", "selected", by=by, unit=d.unit, data={
        "decision": d.pk, "pool": pool.pk, "field": field, "method": method, "candidates": cand_list,
        "excluded": [x["id"] for x in excluded], "selected": selected_ids, "count": draw_count,
        "choice_reason": choice_reason})
    if method == SelectionMethod.RANDOM:
        _commit_expert_draw(review, by=by, candidates=cand_list, excluded=excluded, count=count, number=1,
                            reason="", now=now or timezone.now())
    return review


def _create_opinions(review: ExpertReview, expert_ids: list[int]) -> None:
    by_id = Expert.objects.in_bulk(expert_ids)
    missing = [pk for pk in expert_ids if pk not in by_id]
    if missing:
        raise Conflict(f"抽中的专家（ID {missing[0]}）已不在专家库中，请重新抽取", rule="MDEC-06")
    for pk in expert_ids:
        e = by_id[pk]
        ExpertOpinion.objects.create(review=review, expert=e, expert_name=e.name, expert_affiliation=e.affiliation,
                                     expert_title=e.title)


def _lock_review(review: ExpertReview, by, message: str) -> ExpertReview:
    review = ExpertReview.objects.select_for_update().select_related(
        "decision__sponsor_unit", "decision__unit", "pool").get(pk=review.pk)
    _require(by, P_SPONSOR, review.decision.sponsor_unit, message)
    if review.completed_on:
        raise Conflict("专家论证已完成，不能再抽取专家", rule="MDEC-06")
    return review


@transaction.atomic
def reveal_expert_draw(review: ExpertReview, *, by, now: datetime | None = None) -> ExpertReview:
    """Reveal the server's seed of the review's pending draw and draw the
    experts (MDEC-06; fazhi-draw/2). The stored candidates and parameters are
    checked against the commitment first; the drawn experts get their
    opinion rows in draw order; the receipt verifies with ``draw_verify``."""
    review = _lock_review(review, by, "只有承办单位可以抽取论证专家")
    draw = review.draws.select_for_update().filter(status=ExpertDrawStatus.COMMITTED).order_by("-number").first()
    if draw is None:
        raise Conflict("没有待揭示的专家抽取", rule="MDEC-06")
    hashes = expert_draw.hashes(draw)
    if (hashes["objects"], hashes["params"]) != (draw.objects_hash, draw.params_hash) \
            or algo.freeze_commitment(draw.server_commitment, hashes) != draw.commitment:
        raise Conflict("专家抽取的候选名单或参数与承诺值不一致，不能抽取", rule="MDEC-06")
    seed = draw_seed.recover(expert_draw.PURPOSE, draw.pk, draw.seed_salt, draw.server_commitment)
    if seed is None:
        raise Conflict("无法恢复服务器种子：承诺时使用的 SECRET_KEY 已不可用（更换密钥时须将旧密钥列入 "
                       "SECRET_KEY_FALLBACKS）", rule="MDEC-06")
    try:
        final, selected = expert_draw.run(draw, seed)
    except algo.DrawError as exc:
        raise ValidationError(exc.message, rule="MDEC-06")
    ids = [int(s.code) for s in selected]
    _create_opinions(review, ids)
    now = now or timezone.now()
    draw.seed, draw.final_seed, draw.selected = seed, final, ids
    draw.drawn_at, draw.drawn_by, draw.status = now, by, ExpertDrawStatus.DRAWN
    draw.receipt = expert_draw.receipt(draw, final=final, selected=selected, drawn_at=now.isoformat())
    draw.receipt_sha256 = algo.sha256_hex(algo.canonical_json(draw.receipt))
    draw.save()
    _act(draw, "expert_draw", "revealed", by=by, unit=review.decision.unit, data={
        "review": review.pk, "number": draw.number, "seed": seed, "final_seed": final, "selected": ids,
        "receipt_sha256": draw.receipt_sha256})
    return review


@transaction.atomic
def redraw_experts(review: ExpertReview, *, by, reason: str, now: datetime | None = None) -> ExpertReview:
    """Draw the experts again before the review is complete (e.g. drawn experts
    cannot attend), with a reason: the previous draw stays on record as
    superseded and every redraw is counted (``ExpertDraw.number``). Refused
    once the review is complete, once any drawn expert has signed, or while
    the previous draw is not yet revealed (MDEC-06)."""
    review = _lock_review(review, by, "只有承办单位可以重新抽取论证专家")
    d = review.decision
    if review.method != SelectionMethod.RANDOM:
        raise Conflict("指定选取的专家论证不能重新抽取", rule="MDEC-06")
    reason = _clean(reason, 500, "reason", "重新抽取理由", required=True)
    last = review.draws.select_for_update().order_by("-number").first()
    if last is None or last.status == ExpertDrawStatus.COMMITTED:
        raise Conflict("上一次专家抽取尚未揭示，请先揭示", rule="MDEC-06")
    if review.opinions.filter(signed=True).exists():
        raise Conflict("已有抽中的专家提交签名的书面意见，不能重新抽取", rule="MDEC-06")
    candidates, excluded = eligible_experts(review.pool, review.field, d.sponsor_unit)
    if len(candidates) < review.draw_count:
        raise ValidationError(f"{review.pool.name}中“{review.field}”领域可抽取的专家仅{len(candidates)}名，"
                              f"不足{review.draw_count}名", rule="MDEC-06")
    superseded = list(review.opinions.values_list("expert_id", flat=True))
    review.opinions.all().delete()
    last.status = ExpertDrawStatus.SUPERSEDED
    last.save(update_fields=["status", "updated_at"])
    review.candidates, review.excluded = [e.pk for e in candidates], excluded
    review.save(update_fields=["candidates", "excluded", "updated_at"])
    draw = _commit_expert_draw(review, by=by, candidates=review.candidates, excluded=excluded,
                               count=review.draw_count, number=last.number + 1, reason=reason,
                               now=now or timezone.now())
    _act(review, "expert_review", "redrawn", by=by, unit=d.unit, data={
        "reason": reason, "draw": draw.number, "redraws": draw.number - 1, "superseded_selection": superseded})
    return review


@transaction.atomic
def record_expert_opinion(opinion: ExpertOpinion, *, by, stance: str, text: str, signed_on: date, today: date,
                          handling: str = "", late_reason: str = "") -> ExpertOpinion:
    """Record one expert's signed written opinion (MDEC-06)."""
    op = ExpertOpinion.objects.select_for_update().select_related(
        "review__decision__sponsor_unit", "review__decision__unit", "expert").get(pk=opinion.pk)
    review, d = op.review, op.review.decision
    _require(by, P_SPONSOR, d.sponsor_unit, "只有承办单位可以录入专家意见")
    if review.completed_on:
        raise Conflict("专家论证已完成，不能再修改意见")
    op.stance = _choice(stance, ExpertStance, "stance", "论证结论")
    op.opinion = _clean(text, 20000, "text", "书面论证意见", required=True)
    signed = _entered(signed_on, today=today, label="专家意见签署日期", field="signed_on",
                      after=[(review.selected_on, "专家选取日期")], reason=late_reason)
    op.signed_on = signed.value
    op.signed = True
    op.handling = _clean(handling, 5000, "handling", "采纳情况")
    op.save()
    if not d.responsibilities.filter(step=Step.EXPERT_REVIEW, expert=op.expert).exists():
        responsible(d, Step.EXPERT_REVIEW, Capacity.EXPERT, expert=op.expert, acted_on=op.signed_on,
                    dissent=op.stance == ExpertStance.DISAGREE, note=f"论证结论：{op.get_stance_display()}")
    _act(op, "expert_opinion", "signed", by=by, unit=d.unit,
         data={"review": review.pk, "expert": op.expert_id, "stance": op.stance, "signed_on": op.signed_on,
               **signed.audit_data()})
    return op


@transaction.atomic
def complete_expert_review(review: ExpertReview, *, by, summary: str, held_on: date, today: date,
                           late_reason: str = "") -> ExpertReview:
    """Close the review: every selected expert (>= minimum) has signed (MDEC-06)."""
    review = ExpertReview.objects.select_for_update().select_related("decision__sponsor_unit", "decision__unit").get(
        pk=review.pk)
    d = review.decision
    _require(by, P_SPONSOR, d.sponsor_unit, "只有承办单位可以完成专家论证")
    if review.completed_on:
        raise Conflict("专家论证已完成")
    if review.draws.filter(status=ExpertDrawStatus.COMMITTED).exists():
        raise ValidationError("专家随机抽取尚未揭示，不能完成专家论证", rule="MDEC-06")
    ops = list(review.opinions.all())
    minimum = rules.min_experts()
    unsigned = [o.expert_name for o in ops if not o.signed]
    if unsigned:
        raise ValidationError("以下专家尚未提交签名的书面意见：" + "、".join(unsigned), rule="MDEC-06")
    if len(ops) < minimum:
        raise ValidationError(f"专家论证须有至少{minimum}名专家的签名意见", rule="MDEC-06")
    held = _entered(held_on, today=today, label="论证日期", field="held_on", after=[
        (review.selected_on, "专家选取日期"), (_last_of(review.opinions.all(), "signed_on"), "专家意见签署日期")],
        reason=late_reason)
    review.held_on = held.value
    review.summary = _clean(summary, 20000, "summary", "论证意见汇总及采纳情况", required=True)
    review.completed_on = review.held_on
    review.save()
    _act(review, "expert_review", "completed", by=by, unit=d.unit, data={"held_on": review.held_on,
                                                                        **held.audit_data()})
    return review


# ================================================================== 风险评估 (MDEC-07)

@transaction.atomic
def start_risk_assessment(decision: Decision, *, by, today: date) -> Decision:
    d = _lock_decision(decision)
    _require(by, P_SPONSOR, d.sponsor_unit, "只有承办单位可以组织风险评估")
    before = _apply(d, "start_risk_assessment")
    d.save(update_fields=["status", "updated_at"])
    _act(d, "decision", "risk_assessment_started", by=by, data={"from": before, "on": _date(today, "today", "日期")})
    return d


@transaction.atomic
def record_risk_assessment(decision: Decision, *, by, assessor: str, assessed_on: date, level: str,
                           risk_points: str, measures: str, contingency_plan: str, today: date, report: str = "",
                           experts=(), late_reason: str = "") -> RiskAssessment:
    """Record the risk assessment (MDEC-07): risk points, mitigation measures
    and a contingency plan. A 高 level blocks the decision until
    ``record_mitigation`` reassesses it lower."""
    d = _lock_decision(decision)
    _require(by, P_SPONSOR, d.sponsor_unit, "只有承办单位可以录入风险评估")
    if d.status != Status.RISK_ASSESSMENT:
        raise TransitionRefused(f"当前状态为“{d.get_status_display()}”，不能录入风险评估", rule="MDEC-07")
    assessed = _entered(assessed_on, today=today, label="风险评估日期", field="assessed_on", after=[
        (_last_of(d.consultations.all(), "closed_on"), "征求意见结束日期"),
        (_last_of(d.expert_reviews.all(), "completed_on"), "专家论证完成日期")], reason=late_reason)
    ra = RiskAssessment.objects.create(
        decision=d, assessor=_clean(assessor, 200, "assessor", "评估主体", required=True),
        assessed_on=assessed.value,
        level=_choice(level, RiskLevel, "level", "风险等级"),
        risk_points=_clean(risk_points, 20000, "risk_points", "风险点", required=True),
        measures=_clean(measures, 20000, "measures", "防范化解措施", required=True),
        contingency_plan=_clean(contingency_plan, 20000, "contingency_plan", "应急处置预案", required=True),
        report=_clean(report, MAX_TEXT, "report", "评估报告"), recorded_by=by)
    experts = list(experts or ())
    for e in experts:
        if e.pool.kind != PoolKind.STABILITY:
            raise ValidationError(f"专家{e.name}不在社会稳定风险评估专家库", rule="MDEC-07")
    ra.experts.set(experts)
    responsible(d, Step.RISK_ASSESSMENT, Capacity.SPONSOR, by=by, acted_on=ra.assessed_on, note="组织风险评估")
    for e in experts:
        responsible(d, Step.RISK_ASSESSMENT, Capacity.EXPERT, expert=e, acted_on=ra.assessed_on)
    _act(ra, "risk", "assessed", by=by, unit=d.unit, data={
        "decision": d.pk, "level": ra.level, "assessor": ra.assessor, "experts": [e.pk for e in experts],
        "assessed_on": ra.assessed_on, **assessed.audit_data()})
    return ra


@transaction.atomic
def record_mitigation(assessment: RiskAssessment, *, by, mitigation: str, residual_level: str,
                      mitigated_on: date) -> RiskAssessment:
    """Record the mitigation of a 高 risk (draft adjusted) and the reassessed level (MDEC-07)."""
    ra = RiskAssessment.objects.select_for_update().select_related("decision__sponsor_unit", "decision__unit").get(
        pk=assessment.pk)
    d = ra.decision
    _require(by, P_SPONSOR, d.sponsor_unit, "只有承办单位可以录入风险化解情况")
    if d.status != Status.RISK_ASSESSMENT:
        raise TransitionRefused(f"当前状态为“{d.get_status_display()}”，不能录入风险化解情况", rule="MDEC-07")
    ra.mitigation = _clean(mitigation, 20000, "mitigation", "风险化解/草案调整情况", required=True)
    ra.residual_level = _choice(residual_level, RiskLevel, "residual_level", "化解后风险等级")
    ra.mitigated_on = _date(mitigated_on, "mitigated_on", "日期")
    if ra.mitigated_on < ra.assessed_on:
        raise ValidationError("化解日期不能早于评估日期", fields={"mitigated_on": "早于评估日期"})
    ra.save()
    _act(ra, "risk", "mitigated", by=by, unit=d.unit, data={"residual_level": ra.residual_level})
    return ra


# ================================================================== 合法性审查 (MDEC-08/09)

LEGAL_MATERIALS = ("决策草案", "法律法规规章和政策依据", "履行决策程序情况说明")


@transaction.atomic
def submit_legal_review(decision: Decision, *, by, submitted_on: date, procedures_account: str, today: date,
                        materials=LEGAL_MATERIALS, late_reason: str = "") -> LegalReview:
    """Submit the draft to the legal-affairs office (MDEC-08/09): every
    required earlier procedure must be done and no 高 risk outstanding. The
    office gets at least 7 working days (rules.legal_review_due)."""
    d = _lock_decision(decision)
    _require(by, P_SPONSOR, d.sponsor_unit, "只有承办单位可以送合法性审查")
    submitted = _entered(submitted_on, today=today, label="送审日期", field="submitted_on", after=[
        (_last_of(d.consultations.all(), "summary_published_on"), "意见采纳情况公布日期"),
        (_last_of(d.expert_reviews.all(), "completed_on"), "专家论证完成日期"),
        (_last_of(d.risk_assessments.all(), "assessed_on"), "风险评估日期")], reason=late_reason)
    submitted_on = submitted.value
    before = _apply(d, "submit_legal_review")
    account = _clean(procedures_account, 20000, "procedures_account", "履行决策程序情况说明", required=True)
    materials = [str(m) for m in (materials or ())]
    missing = [m for m in LEGAL_MATERIALS if m not in materials]
    if missing:
        raise ValidationError("送审材料不全，缺少：" + "、".join(missing), rule="MDEC-09",
                              fields={"materials": "材料不全"})
    due = rules.legal_review_due(submitted_on)
    lr = LegalReview.objects.create(
        decision=d, submitted_on=submitted_on, materials=materials, procedures_account=account, due=due.due,
        due_provisional=due.provisional, due_rule=due.rule_text, submitted_by=by)
    d.save(update_fields=["status", "updated_at"])
    responsible(d, Step.LEGAL_REVIEW, Capacity.SPONSOR, by=by, acted_on=submitted_on, note="送合法性审查")
    _act(lr, "legal_review", "submitted", by=by, unit=d.unit, data={
        "decision": d.pk, "from": before, "submitted_on": submitted_on, "due": due.due, "rule": due.rule_text,
        "provisional": due.provisional, **submitted.audit_data()})
    return lr


@transaction.atomic
def record_legal_review(review: LegalReview, *, by, opinion: str, text: str, decided_on: date, today: date,
                        late_reason: str = "") -> LegalReview:
    """The legal-affairs office's opinion 合法/修改后合法/不合法 (MDEC-08).
    不合法 sends the draft back to 草案拟订; it may never be discussed as is."""
    lr = LegalReview.objects.select_for_update().select_related("decision").get(pk=review.pk)
    d = _lock_decision(lr.decision)
    _require(by, P_LEGAL, d.unit, "只有法制审核机构的审核人员可以出具合法性审查意见")
    if lr.opinion:
        raise Conflict("该合法性审查已出具意见")
    opinion = _choice(opinion, LegalOpinion, "opinion", "审查意见")
    decided = _entered(decided_on, today=today, label="合法性审查日期", field="decided_on",
                       after=[(lr.submitted_on, "送审日期")], reason=late_reason)
    decided_on = decided.value
    if by is not None:
        # SYS-01: nobody reviews what they submitted; SYS-02: the reviewer held the role that day.
        ensure_not_own(by, lr.submitted_by, what="审查本人送审的决策草案")
        require_capacity(_person(by), Role.REVIEWER, d.unit, on=decided_on, what="合法性审查人员")
    before = _apply(d, "legal_review_pass" if opinion != LegalOpinion.UNLAWFUL else "legal_review_fail")
    lr.opinion = opinion
    lr.text = _clean(text, MAX_TEXT, "text", "合法性审查意见书", required=True)
    lr.decided_on = decided_on
    lr.reviewer, lr.reviewer_name = by, _name(by)
    lr.save()
    d.save(update_fields=["status", "updated_at"])
    responsible(d, Step.LEGAL_REVIEW, Capacity.REVIEWER, by=by, acted_on=decided_on,
                note=f"审查意见：{lr.get_opinion_display()}")
    _act(lr, "legal_review", "decided", by=by, unit=d.unit, data={
        "decision": d.pk, "from": before, "to": d.status, "opinion": opinion, "decided_on": decided_on,
        "within_window": decided_on >= lr.due, **decided.audit_data()})
    return lr


# ================================================================== 集体讨论决定 (MDEC-10/11)

def majority_view(views: list[str]) -> str | None:
    """"agree"/"disagree" when more than half of the members hold it, else None."""
    n = len(views)
    if not n:
        return None
    agree = sum(1 for v in views if v == View.AGREE)
    if agree * 2 > n:
        return "agree"
    if (n - agree) * 2 > n:
        return "disagree"
    return None


def against_majority(head_decision: str, views: list[str]) -> bool:
    m = majority_view(views)
    adopting = head_decision in (HeadDecision.ADOPT, HeadDecision.ADOPT_WITH_CHANGES)
    return (m == "disagree" and adopting) or (m == "agree" and not adopting)


@transaction.atomic
def record_discussion(decision: Decision, *, by, meeting_type: str, meeting_name: str, held_on: date,
                      host: Person, head: Person, votes: list, head_decision: str, today: date,
                      head_reasons: str = "", minutes: str = "", late_reason: str = "") -> Discussion:
    """Record the collective discussion (MDEC-10/11): 常务会议 or 全体会议,
    each member's view (``votes``: [{"person": Person, "view": "agree"|
    "disagree"|"reserve", "remarks": ""}]) and the head's decision, taken
    last. A head's decision against the majority needs the reasons. Refused
    unless the legality review passed (MDEC-08) and the MDEC-10 package is
    complete."""
    d = _lock_decision(decision)
    _require(by, P_DECIDE, d.unit, "只有决策机关负责人可以记录集体讨论决定")
    head_decision = _choice(head_decision, HeadDecision, "head_decision", "行政首长决定")
    action = "decide_reject" if head_decision == HeadDecision.REJECT else "decide"
    facts = _facts(d)
    before = _apply(d, action, facts)
    meeting_type = _choice(meeting_type, MeetingType, "meeting_type", "会议类型（MDEC-11：常务会议或全体会议）")
    meeting_name = _clean(meeting_name, 200, "meeting_name", "会议名称", required=True)
    legal = d.legal_reviews.exclude(opinion="").order_by("-decided_on", "-pk").first()
    held = _entered(held_on, today=today, label="会议日期", field="held_on",
                    after=[(legal.decided_on if legal else None, "合法性审查日期")], reason=late_reason)
    held_on = held.value
    if not isinstance(host, Person) or not isinstance(head, Person):
        raise ValidationError("请填写主持人和行政首长", rule="MDEC-11", fields={"head": "请选择"})
    # SYS-02 (MDEC-11): the head who decides, the chair and every member held the
    # capacity over the deciding government on the meeting date.
    require_capacity(head, Role.HEAD, d.unit, on=held_on, what="决定的行政首长", field="head")
    require_capacity(host, Role.HEAD, d.unit, on=held_on, what="会议主持人", field="host")
    rows = []
    seen = set()
    for v in votes or ():
        p = v.get("person")
        if not isinstance(p, Person):
            raise ValidationError("参会人员无效", fields={"votes": "请选择参会人员"})
        if p.pk in seen:
            raise ValidationError(f"{p.name}重复", fields={"votes": "重复"})
        seen.add(p.pk)
        require_capacity(p, Role.HEAD, d.unit, on=held_on, what="集体讨论的会议组成人员", field="votes")
        rows.append((p, _choice(v.get("view"), View, "votes", "参会人员意见"),
                     _clean(v.get("remarks", ""), 5000, "votes", "发表意见")))
    if len(rows) < 2:
        raise ValidationError("集体讨论须记录参会组成人员的意见（至少2人）", rule="MDEC-11", fields={"votes": "至少2人"})
    views = [r[1] for r in rows if r[0].pk != head.pk]
    against = against_majority(head_decision, views)
    reasons = _clean(head_reasons, 5000, "head_reasons", "与多数意见不一致的理由")
    if against and not reasons:
        raise ValidationError("行政首长的决定与会议组成人员多数人意见不一致的，应当在会上说明理由并记录",
                              rule="MDEC-11", fields={"head_reasons": "请记录理由"})
    disc = Discussion.objects.create(
        decision=d, meeting_type=meeting_type, meeting_name=meeting_name, held_on=held_on, host=host, head=head,
        head_decision=head_decision, against_majority=against, head_reasons=reasons,
        minutes=_clean(minutes, MAX_TEXT, "minutes", "会议纪要"), package=facts.get("package", []), recorded_by=by)
    DiscussionVote.objects.bulk_create([
        DiscussionVote(discussion=disc, person=p, name=p.name, post=p.post, view=view, remarks=remarks)
        for p, view, remarks in rows])
    adopting = head_decision != HeadDecision.REJECT
    if adopting:
        d.decided_on = held_on
    d.save()
    responsible(d, Step.DISCUSSION, Capacity.HOST, person=host, acted_on=held_on)
    responsible(d, Step.DISCUSSION, Capacity.DECIDER, person=head, acted_on=held_on,
                note=f"决定：{disc.get_head_decision_display()}" + ("（与多数意见不一致）" if against else ""))
    for p, view, _ in rows:
        if p.pk == head.pk:
            continue
        responsible(d, Step.DISCUSSION, Capacity.ATTENDEE, person=p, acted_on=held_on,
                    dissent=adopting and view != View.AGREE, note=f"意见：{View(view).label}")
    _act(disc, "discussion", "recorded", by=by, unit=d.unit, data={
        "decision": d.pk, "from": before, "to": d.status, "meeting_type": meeting_type, "held_on": held_on,
        "head": head.pk, "head_decision": head_decision, "against_majority": against,
        "votes": [[p.pk, view] for p, view, _ in rows], **held.audit_data()})
    return disc


# ================================================================== 公布、执行 (MDEC-12/13/15)

@transaction.atomic
def publish_decision(decision: Decision, *, by, published_on: date, party_reported_on: date, today: date,
                     public_text: str = "", adoption_explanation: str = "", decision_no: str = "",
                     late_reason: str = "") -> Decision:
    """公布 (MDEC-13) after reporting to the Party committee (MDEC-12). Where
    the public or experts took part, how their opinions were adopted must be
    explained. Refused while the texts hold an ID, card or phone number or an
    address nobody has decided on (``fazhi.core.privacy``)."""
    d = _lock_decision(decision)
    _require(by, P_DECIDE, d.unit, "只有决策机关可以公布决策")
    # The Party-report date is this step's own field: the workflow reads the value entered here (MDEC-12).
    before = _apply(d, "publish", {**_facts(d), "party_reported_on": party_reported_on})
    reported = _entered(party_reported_on, today=today, label="向党委请示报告日期", field="party_reported_on",
                        after=[(d.decided_on, "集体讨论决定日期")], reason=late_reason)
    published = _entered(published_on, today=today, label="公布日期", field="published_on",
                         after=[(d.decided_on, "集体讨论决定日期")], reason=late_reason)
    published_on = published.value
    d.party_reported_on = reported.value
    if d.party_reported_on > published_on:
        raise ValidationError("须在决策出台前向党委请示报告", rule="MDEC-12",
                              fields={"party_reported_on": "晚于公布日期"})
    explanation = _clean(adoption_explanation, 20000, "adoption_explanation", "意见采纳情况说明")
    if (d.needs_participation or d.needs_expert_review) and not explanation:
        raise ValidationError("社会公众普遍关心或专业性、技术性较强的决策，公布时应当说明公众意见、专家论证意见的采纳情况",
                              rule="MDEC-13", fields={"adoption_explanation": "请填写采纳情况"})
    text = _clean(public_text, MAX_TEXT, "public_text", "公布文本") or d.draft_text
    public = privacy.publishable(d, {"公布文本": text, "意见采纳情况说明": explanation},
                                 rule=privacy.rule_for("MDEC-13"))
    d.published_on = published_on
    d.public_text, d.adoption_explanation = public["公布文本"], public["意见采纳情况说明"]
    d.decision_no = _clean(decision_no, 120, "decision_no", "文号")
    d.save()
    responsible(d, Step.PUBLICATION, Capacity.PUBLISHER, by=by, acted_on=published_on)
    _act(d, "decision", "published", by=by, data={
        "from": before, "published_on": published_on, "party_reported_on": d.party_reported_on,
        "decision_no": d.decision_no, **published.audit_data(), **reported.audit_data("party_report")})
    return d


@transaction.atomic
def start_execution(decision: Decision, *, by, started_on: date, execution_unit: Unit | None = None) -> Decision:
    d = _lock_decision(decision)
    _require(by, P_SPONSOR, d.sponsor_unit, "只有承办（执行）单位可以组织实施")
    started_on = _date(started_on, "started_on", "开始执行日期")
    before = _apply(d, "start_execution")
    d.execution_unit = execution_unit or d.execution_unit or d.sponsor_unit
    if d.execution_started_on is None:
        d.execution_started_on = started_on
    d.save()
    responsible(d, Step.EXECUTION, Capacity.IMPLEMENTER, by=by, acted_on=started_on)
    _act(d, "decision", "execution_started", by=by, data={
        "from": before, "started_on": started_on, "execution_unit": d.execution_unit_id})
    return d


@transaction.atomic
def report_execution(decision: Decision, *, by, reported_on: date, content: str, problems: str = "",
                     reporting_unit: Unit | None = None) -> ExecutionReport:
    """Implementing units report progress (MDEC-15)."""
    d = _lock_decision(decision)
    unit = reporting_unit or d.execution_unit or d.sponsor_unit
    _require(by, P_SPONSOR, unit, "只有执行单位可以报告执行情况")
    if d.status not in (Status.EXECUTING, Status.EVALUATING, Status.ADJUSTED):
        raise TransitionRefused(f"当前状态为“{d.get_status_display()}”，决策尚未组织实施", rule="MDEC-15")
    rep = ExecutionReport.objects.create(
        decision=d, reported_on=_date(reported_on, "reported_on", "报告日期"), reporting_unit=unit,
        content=_clean(content, 20000, "content", "执行情况", required=True),
        problems=_clean(problems, 20000, "problems", "存在问题及建议"), recorded_by=by)
    responsible(d, Step.EXECUTION, Capacity.IMPLEMENTER, by=by, acted_on=rep.reported_on, note="报告执行情况")
    _act(rep, "execution", "reported", by=by, unit=d.unit, data={"decision": d.pk, "reported_on": rep.reported_on})
    return rep


# ================================================================== 决策后评估 (MDEC-15)

@transaction.atomic
def start_post_evaluation(decision: Decision, *, by, reason: str, started_on: date, evaluator: str,
                          third_party: bool = False, participants: str = "",
                          due_on: date | None = None) -> PostEvaluation:
    """Launch a post-implementation evaluation (MDEC-15), possibly by a third
    party. The body that did the main pre-decision assessment may not do it."""
    d = _lock_decision(decision)
    _require(by, P_CATALOGUE, d.unit, "只有决策机关可以组织决策后评估")
    started_on = _date(started_on, "started_on", "启动日期")
    before = _apply(d, "start_post_evaluation")
    evaluator = _clean(evaluator, 200, "evaluator", "评估主体", required=True)
    prior = set(d.risk_assessments.values_list("assessor", flat=True))
    if evaluator in prior:
        raise ValidationError(f"“{evaluator}”承担了决策前的风险评估，不得承担该决策的后评估", rule="MDEC-15",
                              fields={"evaluator": "不得由决策前评估单位承担"})
    due = rules.post_evaluation_due(started_on).due if due_on is None else _date(due_on, "due_on", "计划完成日期")
    ev = PostEvaluation.objects.create(
        decision=d, reason=_clean(reason, 5000, "reason", "启动评估原因", required=True), started_on=started_on,
        due_on=due, third_party=bool(third_party), evaluator=evaluator,
        participants=_clean(participants, 5000, "participants", "人大代表、政协委员等参与情况"), recorded_by=by)
    d.save(update_fields=["status", "updated_at"])
    responsible(d, Step.POST_EVALUATION, Capacity.EVALUATOR, by=by, acted_on=started_on,
                note=f"评估主体：{evaluator}" + ("（第三方）" if third_party else ""))
    _act(ev, "post_evaluation", "started", by=by, unit=d.unit, data={
        "decision": d.pk, "from": before, "evaluator": evaluator, "third_party": bool(third_party), "due_on": due})
    return ev


@transaction.atomic
def finish_post_evaluation(evaluation: PostEvaluation, *, by, report: str, conclusion: str,
                           finished_on: date) -> PostEvaluation:
    ev = PostEvaluation.objects.select_for_update().select_related("decision").get(pk=evaluation.pk)
    d = _lock_decision(ev.decision)
    _require(by, P_CATALOGUE, d.unit, "只有决策机关可以完成决策后评估")
    if ev.finished_on:
        raise Conflict("该评估已完成")
    before = _apply(d, "finish_post_evaluation")
    ev.report = _clean(report, MAX_TEXT, "report", "评估报告", required=True)
    ev.conclusion = _choice(conclusion, EvaluationConclusion, "conclusion", "评估结论")
    ev.finished_on = _date(finished_on, "finished_on", "完成日期")
    if ev.finished_on < ev.started_on:
        raise ValidationError("完成日期不能早于启动日期", fields={"finished_on": "早于启动日期"})
    ev.save()
    d.save(update_fields=["status", "updated_at"])
    _act(ev, "post_evaluation", "finished", by=by, unit=d.unit,
         data={"decision": d.pk, "from": before, "conclusion": ev.conclusion, "finished_on": ev.finished_on})
    return ev


@transaction.atomic
def publish_post_evaluation(evaluation: PostEvaluation, *, by, on: date) -> PostEvaluation:
    """Publish a finished post-evaluation (its report and conclusion) on the
    portal. Until then the conclusion is never public. Any number or address
    in the report is decided by a person first (``fazhi.core.privacy``)."""
    ev = PostEvaluation.objects.select_for_update().select_related("decision").get(pk=evaluation.pk)
    d = _lock_decision(ev.decision)
    _require(by, P_CATALOGUE, d.unit, "只有决策机关可以公开决策后评估")
    on = _date(on, "on", "公开日期")
    if not ev.finished_on:
        raise TransitionRefused("决策后评估尚未完成，不能公开", rule="MDEC-15")
    if ev.published_on:
        raise Conflict(f"该评估已于{ev.published_on:%Y-%m-%d}公开")
    if on < ev.finished_on:
        raise ValidationError("公开日期不能早于评估完成日期", fields={"on": "早于完成日期"})
    public = privacy.publishable(ev, {"评估报告": ev.report}, rule=privacy.rule_for("MDEC-15"))
    ev.published_on, ev.report = on, public["评估报告"]
    ev.save(update_fields=["published_on", "report", "updated_at"])
    _act(ev, "post_evaluation", "published", by=by, unit=d.unit,
         data={"decision": d.pk, "published_on": on, "conclusion": ev.conclusion})
    return ev


# ================================================================== 调整/停止 (MDEC-16)

@transaction.atomic
def adjust_decision(decision: Decision, *, by, reason: str, content: str, decided_on: date) -> DecisionChange:
    """调整 a published decision, with reasons, by the deciding organ (MDEC-16)."""
    d = _lock_decision(decision)
    _require(by, P_DECIDE, d.unit, "只有决策机关负责人可以调整决策")
    decided_on = _date(decided_on, "decided_on", "决定日期")
    before = _apply(d, "adjust")
    ch = DecisionChange.objects.create(
        decision=d, kind=ChangeKind.ADJUST, reason=_clean(reason, 5000, "reason", "调整理由", required=True),
        content=_clean(content, 20000, "content", "调整内容", required=True), decided_on=decided_on, recorded_by=by)
    d.save(update_fields=["status", "updated_at"])
    responsible(d, Step.CHANGE, Capacity.DECIDER, by=by, acted_on=decided_on, note="决定调整")
    _act(ch, "decision", "adjusted", by=by, unit=d.unit, data={"decision": d.pk, "from": before, "reason": ch.reason})
    return ch


@transaction.atomic
def stop_decision(decision: Decision, *, by, reason: str, decided_on: date, emergency: bool = False) -> DecisionChange:
    """停止执行, with reasons (MDEC-16); in an emergency the head may suspend first."""
    d = _lock_decision(decision)
    _require(by, P_DECIDE, d.unit, "只有决策机关负责人可以停止执行决策")
    decided_on = _date(decided_on, "decided_on", "决定日期")
    before = _apply(d, "stop")
    if d.post_evaluations.filter(finished_on__isnull=True).exists() and not emergency:
        raise TransitionRefused("决策后评估尚未完成；除紧急情况外，应依评估结论决定是否停止执行", rule="MDEC-16")
    reason = _clean(reason, 5000, "reason", "停止理由", required=True)
    ch = DecisionChange.objects.create(decision=d, kind=ChangeKind.STOP, reason=reason, decided_on=decided_on,
                                       emergency=bool(emergency), recorded_by=by)
    d.ended_on, d.end_reason = decided_on, reason
    d.save()
    responsible(d, Step.CHANGE, Capacity.DECIDER, by=by, acted_on=decided_on, note="决定停止执行")
    _act(ch, "decision", "stopped", by=by, unit=d.unit,
         data={"decision": d.pk, "from": before, "reason": reason, "emergency": bool(emergency)})
    return ch


@transaction.atomic
def abandon_decision(decision: Decision, *, by, reason: str, today: date) -> Decision:
    """终止决策程序 before publication, with reasons."""
    d = _lock_decision(decision)
    _require(by, P_DECIDE, d.unit, "只有决策机关负责人可以终止决策程序")
    today = _date(today, "today", "日期")
    before = _apply(d, "abandon")
    d.ended_on, d.end_reason = today, _clean(reason, 5000, "reason", "终止理由", required=True)
    d.save()
    responsible(d, Step.CHANGE, Capacity.DECIDER, by=by, acted_on=today, note="决定终止决策程序")
    _act(d, "decision", "abandoned", by=by, data={"from": before, "reason": d.end_reason})
    return d


# ================================================================== 附件 (MDEC-14)

# Who may file an attachment under a step: the step's actors. The sponsor
# permission is checked on the 承办单位, the others on the government.
ATTACH_PERMISSIONS: dict[str, tuple[str, ...]] = {
    AttachmentStep.DRAFT: (P_SPONSOR,),
    AttachmentStep.PARTICIPATION: (P_SPONSOR,),
    AttachmentStep.EXPERT_REVIEW: (P_SPONSOR,),
    AttachmentStep.RISK_ASSESSMENT: (P_SPONSOR,),
    AttachmentStep.LEGAL_REVIEW: (P_SPONSOR, P_LEGAL),  # the submission and the opinion
    AttachmentStep.DISCUSSION: (P_DECIDE,),
    AttachmentStep.PUBLICATION: (P_DECIDE,),
    AttachmentStep.EXECUTION: (P_SPONSOR,),
    AttachmentStep.POST_EVALUATION: (P_CATALOGUE,),
    AttachmentStep.OTHER: (P_SPONSOR, P_CATALOGUE),
}
ATTACHMENT_TYPES = ("pdf", "docx", "jpeg", "png")


def may_attach(user, decision: Decision, step: str) -> bool:
    """May ``user`` file an attachment under ``step`` of this decision?"""
    return any(may(user, perm, decision.sponsor_unit if perm == P_SPONSOR else decision.unit)
               for perm in ATTACH_PERMISSIONS.get(step, ()))


@transaction.atomic
def attach_file(decision: Decision, *, by, step: str, title: str, upload) -> Attachment:
    """File an attachment (PDF, Word .docx, JPEG or PNG, judged by content; at
    most ``settings.UPLOAD_MAX_MB``) under a step of the decision, with its
    SHA-256, for the dossier (MDEC-14). Refused → nothing saved (no row, no
    file)."""
    d = _lock_decision(decision)
    step = _choice(step, AttachmentStep, "step", "程序环节")
    if not may_attach(by, d, step):
        raise PermissionDenied(f"您无权上传“{AttachmentStep(step).label}”环节的材料")
    title = _clean(title, 200, "title", "材料名称", required=True)
    checked = read_checked(upload, allowed=ATTACHMENT_TYPES, max_bytes=settings.UPLOAD_MAX_MB * 1024 * 1024,
                           what="决策附件")
    if d.attachments.filter(step=step, sha256=checked.sha256).exists():
        raise Conflict(f"该文件已上传到“{AttachmentStep(step).label}”环节", fields={"file": "文件重复"})
    original = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    original = original[-255:] or f"{title[:50]}{checked.ext}"
    att = Attachment(
        decision=d, step=step, title=title, original_name=original, extension=checked.ext,
        content_type=checked.content_type, size=checked.size, sha256=checked.sha256, uploaded_by=by,
        uploaded_by_name=_name(by)[:50])
    att.file.save(f"{checked.sha256}{checked.ext}", ContentFile(checked.data), save=False)
    stored = att.file.name
    try:
        att.save()
        _act(att, "attachment", "added", by=by, unit=d.unit, data={
            "decision": d.pk, "step": step, "title": title, "original_name": original,
            "sha256": checked.sha256, "size": checked.size, "content_type": checked.content_type})
    except Exception:
        att.file.storage.delete(stored)
        raise
    return att


# ================================================================== jobs

def close_due_consultations(today: date) -> int:
    """Close every open consultation whose period ended before ``today``
    (MDEC-04), recorded by the system. Idempotent."""
    return consultations.close_due(today, policy=CONSULTATION)
