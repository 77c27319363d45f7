"""Results (一公开, RAND-07): recording a check's result, its records, its
publication, the handover to enforcement, and non-random inspections.
"""

import os
import uuid
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fazhi.core.actors import Actor
from fazhi.core.dates import entered_date
from fazhi.core.errors import Conflict, DomainError, ValidationError
from fazhi.inspections import duties, rules
from fazhi.inspections.models import (
    Entity,
    HandoverStatus,
    Inspection,
    InspectionAttachment,
    InspectionKind,
    InspectionStatus,
    Inspector,
    NonRandomReason,
    Result,
)
from fazhi.inspections.services.common import _audit, _choice, _clean, _date, _now, _require
from fazhi.inspections.workflow import INSPECTION_WORKFLOW
from fazhi.org.models import Unit


def _officers_for(inspection: Inspection, officers) -> list[Inspector]:
    if officers is None:
        return list(inspection.officers.all())
    return list(officers)


@transaction.atomic
def record_result(inspection: Inspection, *, by: Actor, result: str, inspected_on: date, today: date, findings: str = "",
                  officers=None, late_reason: str = "") -> Inspection:
    """Record (or correct, before publication) the result of a check, with at
    least 2 inspectors (RAND-05); sets the publication deadline: N working
    days after the check (RAND-07, ``rules.publish_due``) and the object's
    last inspection date.

    ``today`` is the server's date. ``inspected_on`` is typed by a person
    (SYS-03, ``duties.inspection_date``): not in the future, not before the
    draw nor the task's start; after the task's end or long ago only with
    ``late_reason`` (flagged in the trail). The inspectors are members of the
    drawn team with a certificate valid that day (RAND-05, ENF-01)."""
    inspection = Inspection.objects.select_for_update(of=("self",)).select_related(
        "unit", "task", "selection__draw").get(pk=inspection.pk)
    _require(by, "record_result", inspection.unit)
    result = _choice(result, Result, "result", "检查结果")
    when = duties.inspection_date(inspection, _date(inspected_on, "inspected_on", "检查日期"), today=today,
                                  reason=late_reason)
    inspected_on = when.value
    findings = _clean(findings, 10_000, "findings", "检查情况")
    if result == Result.OTHER and not findings:
        raise ValidationError("检查结果为“其他”时须填写检查情况", fields={"findings": "请填写检查情况"})
    team = _officers_for(inspection, officers)
    INSPECTION_WORKFLOW.check(inspection, "record_result",
                              {"team_ok": len(team) >= int(rules.get("min_team_size"))})
    duties.check_team(inspection, team, on=inspected_on)
    INSPECTION_WORKFLOW.apply(inspection, "record_result", {"team_ok": True})
    due = rules.publish_due(inspected_on)
    inspection.result, inspection.findings, inspection.inspected_on = result, findings, inspected_on
    inspection.result_recorded_at, inspection.result_recorded_by = timezone.now(), by
    inspection.publish_due, inspection.publish_due_provisional = due.due, due.provisional
    inspection.publish_due_rule = rules.publish_rule_text()
    inspection.year = inspected_on.year if not inspection.task_id else inspection.year
    inspection.save()
    if officers is not None:
        inspection.officers.set(team)
    Entity.objects.filter(pk=inspection.entity_id).filter(
        Q(last_inspected_on__isnull=True) | Q(last_inspected_on__lt=inspected_on)).update(
        last_inspected_on=inspected_on, updated_at=timezone.now())  # updated_at: seen by _live_changes
    _audit(inspection, "inspection", "result_recorded", by=by, data={
        "result": result, "inspected_on": inspected_on, "publish_due": due.due, "officers": [o.pk for o in team],
        **when.audit_data()})
    return inspection


ATTACHMENT_TYPES = ("pdf", "jpeg", "png", "docx", "mp4", "mp3", "m4a", "wav")


@transaction.atomic
def attach_record(inspection: Inspection, *, by: Actor, upload, title: str = "") -> InspectionAttachment:
    """Attach an officers' record (现场检查笔录, photos…), type checked by content."""
    from fazhi.core.uploads import read_checked

    _require(by, "record_result", inspection.unit)
    if inspection.status == InspectionStatus.PUBLISHED:
        raise Conflict("检查结果已公示，不能再添加检查记录", rule=rules.RULE_PUBLISH)
    checked = read_checked(upload, allowed=ATTACHMENT_TYPES, max_bytes=int(settings.UPLOAD_MAX_MB) * 1024 * 1024,
                           what="检查记录")
    rel = os.path.join("inspections", "records", str(inspection.pk), f"{uuid.uuid4().hex}{checked.ext}")
    path = os.path.join(settings.MEDIA_ROOT, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(checked.data)
    name = os.path.basename(getattr(upload, "name", "") or "")[:255]
    att = InspectionAttachment.objects.create(
        inspection=inspection, unit=inspection.unit, title=_clean(title, 200, "title", "名称") or name or "检查记录",
        file=rel, original_name=name, content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
        uploaded_by=by)
    _audit(att, "attachment", "added", by=by, data={"inspection": inspection.pk, "sha256": checked.sha256})
    return att


@transaction.atomic
def publish_result(inspection: Inspection, *, by: Actor, now: datetime | None = None,
                   content: str | None = None) -> Inspection:
    """一公开 (RAND-07): publish the result on the portal; the public text is
    copied now (``public_result``/``public_findings``). Late publication is
    allowed and shows as late in the statistics. Refused while the text holds
    an ID, card or phone number or an address nobody has decided on
    (``fazhi.core.privacy``); the ones decided “隐去” are masked in the copy.
    Not by the person who recorded the result (SYS-01), not dated before the
    check (SYS-03); ``now`` is the server's time."""
    from fazhi.core import privacy

    inspection = Inspection.objects.select_for_update(of=("self",)).select_related("unit").get(pk=inspection.pk)
    _require(by, "publish", inspection.unit)
    INSPECTION_WORKFLOW.check(inspection, "publish")
    now = _now(now)
    duties.publication_day(inspection, by, on=timezone.localdate(now))  # SYS-01, SYS-03
    INSPECTION_WORKFLOW.apply(inspection, "publish")
    text = _clean(inspection.findings if content is None else content, 10_000, "content", "公示内容")
    public = privacy.publishable(inspection, {"公示内容": text, "事由说明": inspection.reason_note},
                                 rule=privacy.rule_for(rules.RULE_PUBLISH))
    inspection.published_at, inspection.published_by = now, by
    inspection.public_result = inspection.get_result_display()
    inspection.public_findings = public["公示内容"]
    inspection.save()
    # publish_due is set with the result (constraint ins_inspection_result_fields)
    on_time = inspection.publish_due is not None and timezone.localdate(now) <= inspection.publish_due
    _audit(inspection, "inspection", "published", by=by, data={"on_time": on_time,
                                                              "publish_due": inspection.publish_due})
    return inspection


@transaction.atomic
def publish_results(inspections, *, by: Actor, now: datetime | None = None) -> list[Inspection]:
    """一公开 of several results at once (the list page's ticked rows, the API's
    ``ids``), all or none: each through ``publish_result``; if one is refused
    none is published, and the refusal names that result's object."""
    now = _now(now)
    published = []
    for inspection in inspections:
        try:
            published.append(publish_result(inspection, by=by, now=now))
        except DomainError as exc:
            exc.message = f"{inspection.entity.name}：{exc.message}"
            raise
    return published


@transaction.atomic
def hand_over(inspection: Inspection, *, by: Actor, receiving_unit: Unit, handed_over_on: date, today: date,
              note: str = "", register_case: bool = False, late_reason: str = "") -> Inspection:
    """Hand a finding over to enforcement (follow-up). With ``register_case``
    a penalty case is registered in the receiving unit through
    ``enforcement.services.create_case`` (the user needs enforcement rights
    there); otherwise the handover (date, receiving unit) is recorded."""
    inspection = Inspection.objects.select_for_update(of=("self",)).select_related("unit", "entity").get(pk=inspection.pk)
    _require(by, "record_result", inspection.unit)
    INSPECTION_WORKFLOW.check(inspection, "hand_over",
                              {"not_handed_over": inspection.handover_status != HandoverStatus.HANDED_OVER})
    when = entered_date(_date(handed_over_on, "handed_over_on", "移交日期"), today=_date(today, "today", "今天"),
                        label="移交日期", field="handed_over_on", after=[(inspection.inspected_on, "检查日期")],
                        reason=_clean(late_reason, 500, "late_reason", "补录理由"))  # SYS-03
    handed_over_on = when.value
    if inspection.result == Result.NONE_FOUND:
        raise ValidationError("检查结果为“未发现问题”，无需移交", fields={"result": "无需移交"})
    note = _clean(note, 500, "note", "移交说明")
    if register_case:
        from fazhi.enforcement import services as enforcement

        case = enforcement.create_case(
            unit=receiving_unit, by=by, cause=f"双随机抽查发现问题：{inspection.get_result_display()}"[:200],
            party_kind="org", party_name=inspection.entity.name, discovered_on=handed_over_on,
            source="双随机抽查", party_id_no=inspection.entity.credit_code,
            party_address=inspection.entity.address[:200], facts=inspection.findings[:5000])
        inspection.enforcement_case_id = case.pk
    inspection.handover_status = HandoverStatus.HANDED_OVER
    inspection.handed_over_on, inspection.handover_unit, inspection.handover_note = handed_over_on, receiving_unit, note
    inspection.save()
    _audit(inspection, "inspection", "handed_over", by=by, data={
        "receiving_unit": receiving_unit.pk, "handed_over_on": handed_over_on,
        "enforcement_case": inspection.enforcement_case_id, **when.audit_data()})
    return inspection


@transaction.atomic
def record_non_random(*, unit: Unit, by: Actor, entity: Entity, reason: str, inspected_on: date, result: str, today: date,
                      findings: str = "", reason_note: str = "", officers=None, late_reason: str = "") -> Inspection:
    """A non-random inspection (投诉举报、转办交办、专项检查…) with its result, so the
    share of random inspections can be computed (RAND-01). Published like any result."""
    _require(by, "record_result", unit)
    reason = _choice(reason, NonRandomReason, "reason", "非随机检查事由")
    reason_note = _clean(reason_note, 300, "reason_note", "事由说明")
    if reason == NonRandomReason.OTHER and not reason_note:
        raise ValidationError("事由为“其他”时须说明", fields={"reason_note": "请说明事由"})
    inspected_on = _date(inspected_on, "inspected_on", "检查日期")
    entered_date(inspected_on, today=_date(today, "today", "今天"), label="检查日期", field="inspected_on",
                 reason=late_reason)  # SYS-03, before anything is created
    inspection = Inspection.objects.create(unit=unit, kind=InspectionKind.NON_RANDOM, non_random_reason=reason,
                                           reason_note=reason_note, entity=entity, year=inspected_on.year)
    _audit(inspection, "inspection", "created", by=by, data={"kind": "non_random", "reason": reason,
                                                            "entity": entity.credit_code})
    return record_result(inspection, by=by, result=result, inspected_on=inspected_on, today=today, findings=findings,
                         officers=officers or [], late_reason=late_reason)
