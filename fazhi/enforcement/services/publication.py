"""Publication of decisions (ENF-19/20) and its withdrawal (ENF-11).
"""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from fazhi.core import privacy
from fazhi.core.errors import ValidationError
from fazhi.enforcement import rules
from fazhi.enforcement.models import PartyKind, PenaltyCase, PublicationRecord, PublicationStatus
from fazhi.enforcement.services.common import _act, _clean, _date, _entered, _lock_case, _require

# ================================================================== 公示

@transaction.atomic
def publish(pub: PublicationRecord, *, by, today: date, content: str | None = None,
            title: str | None = None) -> PublicationRecord:
    """Publish a decision on the portal (ENF-19: within 7 WD of a penalty
    decision; late publication is recorded). The text is
    refused while it contains a natural party's full name or address, or an
    ID, card or phone number or an address nobody has decided on
    (ENF-20; ``fazhi.core.privacy``)."""
    pub = PublicationRecord.objects.select_for_update().select_related("case", "unit").get(pk=pub.pk)
    _require(by, "enforcement.publish", pub.unit, "只有本单位有公示权限的人员可以公示")
    today = _date(today, "today", "公示日期")
    if pub.status != PublicationStatus.PENDING:
        raise ValidationError(f"该公示当前为“{pub.get_status_display()}”，不能再公示", rule="ENF-19")
    if today < pub.decision_date:
        raise ValidationError("公示日期不能早于决定日期", fields={"today": "日期有误"})
    text = pub.content if content is None else _clean(content, 50000, "content", "公示内容", required=True)
    title = pub.title if title is None else _clean(title, 300, "title", "公示标题", required=True)
    case = pub.case
    natural = case.party_kind == PartyKind.PERSON
    for label, field, value in (("公示标题", "title", title), ("公示内容", "content", text)):
        if natural and case.party_name and len(case.party_name.strip()) > 1 and case.party_name.strip() in value:
            raise ValidationError(f"{label}含有自然人当事人的完整姓名，须部分隐去", rule="ENF-20",
                                  fields={field: "含完整姓名"})
        if natural and case.party_address and case.party_address.strip() in value:
            raise ValidationError(f"{label}含有自然人当事人的住址，须删除", rule="ENF-20", fields={field: "含住址"})
    # Every ID, card and phone number and every address left in the text is
    # decided by a person before it goes out (privacy.publishable).
    public = privacy.publishable(pub, {"公示标题": title, "公示内容": text}, rule=privacy.rule_for("ENF-20"))
    until, until_rule = rules.display_until(today, natural_person=natural)
    pub.title, pub.content = public["公示标题"], public["公示内容"]
    pub.status, pub.published_on, pub.published_by = PublicationStatus.PUBLISHED, today, by
    pub.display_until, pub.display_rule = until, until_rule
    pub.save()
    _act(pub, "publication", "published", by=by, data={"case": case.pk, "published_on": today,
                                                       "late": today > pub.due, "display_until": until})
    return pub


@transaction.atomic
def record_decision_change(case: PenaltyCase, *, by, today: date, changed_on: date, reason: str,
                           late_reason: str = "") -> PenaltyCase:
    """The decision was changed, revoked, declared unlawful or void (e.g. by
    复议 or a court): a published decision must be withdrawn within 3 WD
    (ENF-11); a pending publication is cancelled. ``changed_on`` (the date
    of the 复议 decision or judgment) is entered (SYS-03)."""
    case = _lock_case(case)
    _require(by, "enforcement.approve", case.unit, "只有单位负责人可以登记决定变更或撤销")
    if not case.decided_on:
        raise ValidationError("案件尚未作出决定", rule="ENF-11")
    when = _entered(changed_on, today=today, label="变更/撤销日期", field="changed_on",
                    after=[(case.decided_on, "决定日期")], reason=late_reason)
    changed_on = when.value
    case.decision_changed_on = changed_on
    case.decision_change_reason = _clean(reason, 500, "reason", "变更/撤销原因", required=True)
    case.save(update_fields=["decision_changed_on", "decision_change_reason", "updated_at"])
    due = rules.withdrawal_due(changed_on)
    for pub in PublicationRecord.objects.select_for_update().filter(
            case=case, status__in=[PublicationStatus.PENDING, PublicationStatus.PUBLISHED]):
        pub.changed_on = changed_on
        if pub.status == PublicationStatus.PENDING:
            pub.status, pub.withdrawn_on, pub.withdraw_reason = (
                PublicationStatus.WITHDRAWN, changed_on, "决定已变更或撤销，不再公示")
        else:
            pub.withdrawal_due, pub.withdrawal_provisional = due.due, due.provisional
        pub.save()
    _act(case, "case", "decision_changed", by=by, data={"changed_on": changed_on, "withdrawal_due": due.due,
                                                        **when.audit_data()})
    return case


@transaction.atomic
def withdraw_publication(pub: PublicationRecord, *, by, today: date, reason: str) -> PublicationRecord:
    """撤回 a published decision with the reason shown (ENF-11)."""
    pub = PublicationRecord.objects.select_for_update().get(pk=pub.pk)
    _require(by, "enforcement.publish", pub.unit, "只有本单位有公示权限的人员可以撤回公示")
    today = _date(today, "today", "撤回日期")
    if pub.status != PublicationStatus.PUBLISHED:
        raise ValidationError(f"该公示当前为“{pub.get_status_display()}”，不能撤回", rule="ENF-11")
    pub.withdraw_reason = _clean(reason, 500, "reason", "撤回说明", required=True)
    pub.status, pub.withdrawn_on = PublicationStatus.WITHDRAWN, today
    pub.save()
    _act(pub, "publication", "withdrawn", by=by, data={"on": today, "reason": pub.withdraw_reason,
                                                       "late": bool(pub.withdrawal_due and today > pub.withdrawal_due)})
    return pub


def take_down_expired(now: datetime) -> int:
    """Job: take down every publication whose display period ended before today
    (ENF-20/21). Recorded by the system; idempotent."""
    today = timezone.localdate(now)
    n = 0
    with transaction.atomic():
        ids = list(PublicationRecord.objects.filter(status=PublicationStatus.PUBLISHED, display_until__lt=today)
                   .values_list("pk", flat=True))
        for pk in ids:
            pub = PublicationRecord.objects.select_for_update().get(pk=pk)
            if pub.status != PublicationStatus.PUBLISHED or not pub.display_until or pub.display_until >= today:
                continue
            pub.status, pub.taken_down_on = PublicationStatus.TAKEN_DOWN, today
            pub.save(update_fields=["status", "taken_down_on", "updated_at"])
            _act(pub, "publication", "taken_down", by=None, data={"display_until": pub.display_until,
                                                                  "rule": pub.display_rule})
            n += 1
    return n
