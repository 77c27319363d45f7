"""Every write of the annual report: one function per use case.

Order inside each: lock → authorise → check the legal order (workflow) →
change → audit (same transaction). ``by=None`` is the system (CLI, demo).
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from fazhi.annual_report import drafting, facts, rendering, rules
from fazhi.annual_report.models import Figure, Recipient, Report, Section, Status
from fazhi.annual_report.permissions import DRAFT, PUBLISH, REVIEW, SUBMIT, system_or
from fazhi.annual_report.selectors import drafters
from fazhi.annual_report.workflow import PLACEHOLDER, WORKFLOW
from fazhi.audit import services as audit
from fazhi.core import privacy
from fazhi.core.actors import Actor
from fazhi.core.dates import EnteredDate, entered_date
from fazhi.core.duties import ensure_not_own
from fazhi.core.errors import Conflict, ValidationError, ensure
from fazhi.org import access
from fazhi.org.capacity import require_capacity
from fazhi.org.models import Role

MAX_TEXT = 20_000
FIRST_YEAR = 2000


def _name(by: Actor) -> str:
    if by is None:
        return "系统"
    person = getattr(by, "person", None)
    return getattr(person, "name", "") or by.get_username()


def _as_head(report: Report, by: Actor, *, on: date, act: str) -> None:
    """审核/退回 is the unit leadership's approval of the report before it
    is sent (法治政府建设与责任落实督察工作规定第二十五条: 报告经本单位主要负责人
    审定). ``by`` did not draft it (SYS-01) and holds the head role over the
    reporting unit on ``on`` (SYS-02). ``by=None`` is the system."""
    if by is None:
        return
    ensure_not_own(by, *drafters(report), what=f"{act}本人起草或修改的年度报告")
    require_capacity(access.person_of(by), Role.HEAD, report.unit, on=on, what=f"{act}年度报告的单位负责人")


def _entered(value, *, today: date, label: str, field: str, after=(), reason: str = "") -> EnteredDate:
    """SYS-03: a date a person typed, checked against the server's ``today``
    and the steps it follows; see ``fazhi.core.dates.entered_date``."""
    return entered_date(value, today=today, label=label, field=field, after=after,
                        reason=(reason or "").strip()[:500])


def _lock(report: Report) -> Report:
    return Report.objects.select_related("unit", "unit__parent").select_for_update(of=("self",)).get(pk=report.pk)


def check_year(year, today: date) -> int:
    if isinstance(year, bool) or not isinstance(year, int):
        try:
            year = int(str(year).strip())
        except (TypeError, ValueError):
            raise ValidationError(f"年度“{year}”无效：请填写四位数年份，如 {today.year - 1}", fields={"year": "年度无效"})
    if year < FIRST_YEAR or year > today.year:
        raise ValidationError(f"年度“{year}”无效：只能为 {FIRST_YEAR} 年至 {today.year} 年之间已开始的年度",
                              fields={"year": "年度无效"})
    return year


# ------------------------------------------------------------------ drafting

@transaction.atomic
def generate_report(unit, year, *, by: Actor, today: date) -> Report:
    """Draft (or re-draft) ``unit``'s report on ``year`` from the records.

    Refused, with nothing saved: a year with no records at all; a unit that
    does not report on its own (内设机构、事业单位); a report already reviewed,
    sent or published (return it for changes first). Re-drafting replaces the
    generated text and the figures and keeps every staff edit (models.py).
    """
    year = check_year(year, today)
    ensure(system_or(by, DRAFT, unit), "您没有起草该单位法治政府建设年度报告的权限")
    if unit.kind not in rules.REPORTING_KINDS:
        raise ValidationError(f"“{unit.name}”为内设机构或事业单位，其法治政府建设情况纳入所属单位的年度报告，不单独报告",
                              fields={"unit": "该单位不单独报告"})
    existing = Report.objects.select_for_update().filter(unit=unit, year=year).first()
    if existing is not None and existing.status != Status.DRAFT:
        raise Conflict(f"该报告当前状态为“{existing.get_status_display()}”，不能重新生成；如需修改，请先退回修改",
                       rule=rules.RULE_CONTENTS)
    found = facts.collect(unit, year, today=today)
    if not found.has_data():
        raise ValidationError(
            f"{unit.name}{year}年度在平台上没有任何业务记录（规范性文件、重大行政决策、行政执法、培训、任务台账均无），"
            "无法生成报告。请核对年度，或先在各模块录入该年度的业务数据。", fields={"year": "该年度无数据"})
    draft = drafting.build(found)
    now = timezone.now()
    if existing is None:
        report = Report.objects.create(
            unit=unit, year=year, title=draft.title, submit_due=rules.submit_due(unit, year),
            publish_due=rules.publish_due(unit, year), generated_at=now, generated_by_name=_name(by),
            data_as_of=today)
        Section.objects.bulk_create([
            Section(report=report, key=s.key, seq=i, level=s.level, heading=s.heading, generated_text=s.text,
                    needs_staff=s.needs_staff) for i, s in enumerate(draft.sections)])
        _save_figures(report, draft.figures)
        audit.record(report, "annual_report.report.generated", by=by, data={
            "year": year, "figures": len(draft.figures), "data_as_of": today.isoformat()})
        return report
    return _regenerate(existing, draft, by=by, today=today, now=now)


def _save_figures(report: Report, figures) -> None:
    Figure.objects.bulk_create([
        Figure(report=report, key=f.key, seq=i, section_key=f.section_key, label=f.label[:100], value=f.value[:2000],
               number=f.number, source=f.source, source_url=f.source_url[:500], indicator_code=f.indicator_code,
               items=f.items) for i, f in enumerate(figures)])


def _regenerate(report: Report, draft, *, by: Actor, today: date, now) -> Report:
    old = {f.key: f.value for f in report.figures.all()}
    new = {f.key: f.value for f in draft.figures}
    changed = {k: [old.get(k), new.get(k)] for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)}
    report.figures.all().delete()
    _save_figures(report, draft.figures)
    existing = {s.key: s for s in report.sections.all()}
    updates, creates, texts_changed = [], [], []
    for i, d in enumerate(draft.sections):
        s = existing.get(d.key)
        if s is None:
            creates.append(Section(report=report, key=d.key, seq=i, level=d.level, heading=d.heading,
                                   generated_text=d.text, needs_staff=d.needs_staff))
            continue
        if s.generated_text != d.text:
            texts_changed.append(d.key)
            if s.is_edited:
                s.generated_changed = True
        s.seq, s.level, s.heading, s.generated_text, s.needs_staff = i, d.level, d.heading, d.text, d.needs_staff
        updates.append(s)
    Section.objects.bulk_update(updates, ["seq", "level", "heading", "generated_text", "needs_staff",
                                          "generated_changed"])
    Section.objects.bulk_create(creates)
    report.title = draft.title
    report.generated_at, report.generated_by_name, report.data_as_of = now, _name(by), today
    report.generation_count += 1
    report.save(update_fields=["title", "generated_at", "generated_by_name", "data_as_of", "generation_count",
                               "updated_at"])
    audit.record(report, "annual_report.report.regenerated", by=by, data={
        "year": report.year, "generation": report.generation_count, "data_as_of": today.isoformat(),
        "figures_changed": changed, "sections_changed": texts_changed,
        "sections_kept_edits": [s.key for s in updates if s.is_edited]})
    return report


@transaction.atomic
def edit_section(section: Section, *, by: Actor, text: str) -> Section:
    """Save the staff's text of one section (only while 起草). Figures are
    referred to as ``{{key}}``; a key that names no figure is refused. Saving
    the generated text unchanged (or an empty text) goes back to the generated
    text."""
    report = _lock(section.report)
    ensure(system_or(by, DRAFT, report.unit), "您没有修改该报告的权限")
    if report.status != Status.DRAFT:
        raise Conflict(f"报告当前状态为“{report.get_status_display()}”，不能修改；如需修改，请先退回修改")
    section = Section.objects.get(pk=section.pk, report=report)
    text = (text or "").replace("\r\n", "\n").strip()
    if len(text) > MAX_TEXT:
        raise ValidationError(f"内容过长：不能超过 {MAX_TEXT} 字", fields={"text": "内容过长"})
    figures = {f.key: f for f in report.figures.all()}
    unknown = rendering.unknown_keys(text, figures)
    if unknown:
        raise ValidationError("引用的数据项不存在：" + "、".join("{{" + k + "}}" for k in unknown)
                              + "。请从右侧数据项列表中复制引用，或删除该引用", fields={"text": "引用的数据项不存在"})
    if text == section.generated_text.strip():
        text = ""
    old = section.edited_text
    if old == text:
        return section
    section.edited_text = text
    section.edited_at = timezone.now() if text else None
    section.edited_by_name = _name(by) if text else ""
    section.generated_changed = False
    section.save(update_fields=["edited_text", "edited_at", "edited_by_name", "generated_changed"])
    report.save(update_fields=["updated_at"])
    audit.record(report, "annual_report.section.edited", by=by, data={
        "section": section.key, "heading": section.heading, "old": old, "new": text})
    return section


# ------------------------------------------------------------------ workflow

def placeholders(report: Report, sections=None) -> list[str]:
    return [s.heading or "导语" for s in (report.sections.all() if sections is None else sections)
            if PLACEHOLDER in s.text]


def workflow_facts(report: Report, sections=None) -> dict:
    """The facts the workflow guards read, for the page and the API (both
    render the same answer; the guards refuse a fact they are not given).
    The recipients are chosen in the 报送 form itself, so before it is sent
    none counts as missing; ``submit`` checks them against what was entered."""
    return {"placeholders": placeholders(report, sections), "missing_recipients": []}


@transaction.atomic
def review(report: Report, *, by: Actor, today: date, note: str = "") -> Report:
    """审核 by the unit's head: every part of RPT-02 written (no placeholder
    left); not by anyone who drafted it (SYS-01); the head holds the role on
    the server's ``today`` (SYS-02)."""
    report = _lock(report)
    ensure(system_or(by, REVIEW, report.unit), "只有本单位负责人可以审核年度报告")
    WORKFLOW.check(report, "review", {"placeholders": placeholders(report)})
    _as_head(report, by, on=today, act="审核")
    report.status = Status.REVIEWED
    report.reviewed_on, report.reviewed_by_name, report.review_note = today, _name(by), (note or "")[:500]
    report.save(update_fields=["status", "reviewed_on", "reviewed_by_name", "review_note", "updated_at"])
    audit.record(report, "annual_report.report.reviewed", by=by, data={"note": note, "on": today.isoformat()})
    return report


@transaction.atomic
def return_for_changes(report: Report, *, by: Actor, reason: str, today: date) -> Report:
    """A reviewed report goes back to 起草 — the head's call, as for 审核
    (SYS-01, SYS-02)."""
    report = _lock(report)
    ensure(system_or(by, REVIEW, report.unit), "只有本单位负责人可以退回年度报告")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写退回修改的理由", fields={"reason": "必填"})
    WORKFLOW.check(report, "return")
    _as_head(report, by, on=today, act="退回")
    report.status = Status.DRAFT
    report.reviewed_on, report.reviewed_by_name = None, ""
    report.save(update_fields=["status", "reviewed_on", "reviewed_by_name", "updated_at"])
    audit.record(report, "annual_report.report.returned", by=by, data={"reason": reason[:500]})
    return report


@transaction.atomic
def submit(report: Report, *, by: Actor, submitted_on: date, today: date, recipients: list[dict],
           late_reason: str = "") -> Report:
    """报送 (RPT-03/04): records each recipient (kind, name) and the date.
    A government's report goes to the same-level Party committee and
    人大常委会 and the higher government; a department's to the government and
    the higher-level department. Late submission is allowed and recorded.
    The date is entered (SYS-03): not after today, not before the review;
    more than FAZHI_BACKDATE_DAYS back only with ``late_reason``."""
    report = _lock(report)
    ensure(system_or(by, SUBMIT, report.unit), "您没有报送该报告的权限")
    WORKFLOW.check(report, "submit", {"missing_recipients": []})
    entered = _entered(submitted_on, today=today, label="报送日期", field="submitted_on",
                       after=[(report.reviewed_on, "审核日期")], reason=late_reason)
    submitted_on = entered.value
    if submitted_on.year <= report.year:
        raise ValidationError(f"{report.year}年度尚未结束，不能报送该年度的报告（报送日期应在 {report.year + 1} 年）",
                              fields={"submitted_on": "报告年度尚未结束"}, rule=rules.RULE_SUBMIT)
    required = {k: label for k, label, _ in rules.required_recipients(report.unit)}
    rows, errors = [], {}
    for i, r in enumerate(recipients or [], start=1):
        kind, name = (r.get("kind") or "other").strip(), (r.get("name") or "").strip()
        if not name:
            continue
        if len(name) > 100:
            errors[f"第{i}项"] = "报送对象名称过长"
            continue
        rows.append(Recipient(report=report, kind=kind, kind_label=required.get(kind, "其他/抄送"), name=name,
                              sent_on=submitted_on, note=(r.get("note") or "").strip()[:200],
                              recorded_by=by))
    if errors:
        raise ValidationError("报送对象有误：" + "；".join(f"{k}{v}" for k, v in errors.items()), fields=errors)
    missing = [label for k, label in required.items() if not any(r.kind == k for r in rows)]
    WORKFLOW.check(report, "submit", {"missing_recipients": missing})
    Recipient.objects.bulk_create(rows)
    report.status, report.submitted_on = Status.SUBMITTED, submitted_on
    report.save(update_fields=["status", "submitted_on", "updated_at"])
    audit.record(report, "annual_report.report.submitted", by=by, data={
        "submitted_on": submitted_on.isoformat(), "due": report.submit_due.isoformat(),
        "late": submitted_on > report.submit_due, "recipients": [f"{r.kind_label}：{r.name}" for r in rows],
        **entered.audit_data()})
    return report


def _block_label(n: int, block: dict) -> str:
    return f"第{n}节 {block.get('heading') or ''}".strip()


def publication_texts(report: Report, blocks: list[dict] | None = None) -> dict[str, str]:
    """What 公开 puts on the portal: each section's text with its figures filled in."""
    blocks = rendering.blocks(report) if blocks is None else blocks
    return {_block_label(n, b): b.get("text") or "" for n, b in enumerate(blocks, 1)}


@transaction.atomic
def publish(report: Report, *, by: Actor, published_on: date, today: date, late_reason: str = "") -> Report:
    """公开 (RPT-01): the text is fixed as it is now (figures filled in) and
    shown on the portal. Late publication is allowed and recorded. Refused
    while the text holds an ID, card or phone number or an address nobody
    has decided on (``fazhi.core.privacy``). The date is entered (SYS-03):
    not after today, not before 报送; late only with ``late_reason``."""
    report = _lock(report)
    ensure(system_or(by, PUBLISH, report.unit), "您没有公开该报告的权限")
    WORKFLOW.check(report, "publish")
    entered = _entered(published_on, today=today, label="公开日期", field="published_on",
                       after=[(report.submitted_on, "报送日期")], reason=late_reason)
    published_on = entered.value
    blocks = rendering.blocks(report)
    # The text goes public as it is now; any number or address in it is decided by a person first (core.privacy).
    public = privacy.publishable(report, publication_texts(report, blocks), rule=privacy.rule_for("RPT-01"))
    for n, b in enumerate(blocks, 1):
        b["text"] = public[_block_label(n, b)]
    report.public_sections = blocks
    report.public_title = report.title
    report.status, report.published_on = Status.PUBLISHED, published_on
    report.save(update_fields=["status", "published_on", "public_sections", "public_title", "updated_at"])
    audit.record(report, "annual_report.report.published", by=by, data={
        "published_on": published_on.isoformat(), "due": report.publish_due.isoformat(),
        "late": published_on > report.publish_due, **entered.audit_data()})
    return report
