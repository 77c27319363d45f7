"""两法衔接: transfer to the police and its reply and outcome.
"""

from datetime import date

from django.db import transaction

from fazhi.core.errors import ValidationError
from fazhi.enforcement.models import PenaltyCase, PoliceTransfer, TransferStatus
from fazhi.enforcement.services.common import _act, _check, _clean, _entered, _lock_case, _require
from fazhi.enforcement.services.facts import case_context
from fazhi.enforcement.workflow import CASE_WORKFLOW, TRANSFER_RULE

# ============================================================== 两法衔接

@transaction.atomic
def transfer_to_police(case: PenaltyCase, *, by, today: date, transferred_on: date, receiving_organ: str,
                       suspected_crime: str, reason: str, materials: str = "", late_reason: str = "") -> PoliceTransfer:
    """Transfer a case suspected of a crime to the public security organ
    (处罚法 art. 27, 两法衔接). The administrative case is suspended. The date
    of the 移送书 is entered (SYS-03), not before 立案. Recorded in the
    case's own trail as well as the transfer's."""
    case = _lock_case(case)
    when = _entered(transferred_on, today=today, label="移送日期", field="transferred_on",
                    after=[(case.filed_on, "立案日期")], reason=late_reason)
    transferred_on = when.value
    _check(case, "transfer", by, transferred_on)
    t = PoliceTransfer.objects.create(
        case=case, unit=case.unit, transferred_on=transferred_on,
        receiving_organ=_clean(receiving_organ, 200, "receiving_organ", "接收公安机关", required=True),
        suspected_crime=_clean(suspected_crime, 200, "suspected_crime", "涉嫌罪名", required=True),
        reason=_clean(reason, 20000, "reason", "移送理由", required=True),
        materials=_clean(materials, 5000, "materials", "移送材料清单"), transferred_by=by)
    case.suspended_from = case.status
    CASE_WORKFLOW.apply(case, "transfer", case_context(case, transferred_on))
    case.save()
    data = {"transfer": t.pk, "organ": t.receiving_organ, "suspected_crime": t.suspected_crime,
            "transferred_on": transferred_on, "suspended_from": case.suspended_from, **when.audit_data()}
    _act(t, "transfer", "created", by=by, data={"case": case.pk, **data})
    _act(case, "case", "transferred", by=by, data=data)
    return t


@transaction.atomic
def record_transfer_reply(transfer: PoliceTransfer, *, by, today: date, reply_on: date, accepted: bool, reply: str,
                          outcome: str = "", late_reason: str = "") -> PoliceTransfer:
    """The police's reply (its date entered, SYS-03): 立案 → the administrative
    case ends (terminated on the reply date); 不予立案 → the case resumes in
    the state it was in when transferred. Both in the case's own trail."""
    t = PoliceTransfer.objects.select_for_update().get(pk=transfer.pk)
    case = _lock_case(t.case)
    if t.status != TransferStatus.PENDING:
        raise ValidationError("该移送已登记回复", rule=TRANSFER_RULE)
    when = _entered(reply_on, today=today, label="回复日期", field="reply_on",
                    after=[(t.transferred_on, "移送日期")], reason=late_reason)
    reply_on = when.value
    action = "end_by_transfer" if accepted else "resume"
    _check(case, action, by, reply_on)
    t.reply = _clean(reply, 5000, "reply", "公安机关回复", required=True)
    t.outcome = _clean(outcome, 5000, "outcome", "处理结果")
    t.reply_on = reply_on
    t.status = TransferStatus.ACCEPTED if accepted else TransferStatus.DECLINED
    t.save()
    CASE_WORKFLOW.apply(case, action, case_context(case, reply_on))
    if accepted:
        case.terminated_on, case.termination_reason = reply_on, f"涉嫌犯罪，已移送{t.receiving_organ}并立案"
    elif case.suspended_from:
        case.status = case.suspended_from  # back to where it was (workflow target is the default)
    case.suspended_from = ""
    case.save()
    data = {"transfer": t.pk, "accepted": accepted, "reply_on": reply_on, "reply": t.reply,
            "case_status": case.status, **when.audit_data()}
    _act(t, "transfer", "replied", by=by, data={"case": case.pk, **data})
    _act(case, "case", "terminated_by_transfer" if accepted else "transfer_declined", by=by,
         data={**data, **({"reason": case.termination_reason} if accepted else {})})
    return t


@transaction.atomic
def record_transfer_outcome(transfer: PoliceTransfer, *, by, outcome: str) -> PoliceTransfer:
    """The final outcome of a transfer (e.g. 已判决) once known."""
    t = PoliceTransfer.objects.select_for_update().get(pk=transfer.pk)
    _require(by, "enforcement.handle_case", t.unit)
    t.outcome = _clean(outcome, 5000, "outcome", "处理结果", required=True)
    t.save(update_fields=["outcome", "updated_at"])
    _act(t, "transfer", "outcome", by=by, data={"outcome": t.outcome})
    _act(t.case, "case", "transfer_outcome", by=by, data={"transfer": t.pk, "outcome": t.outcome})
    return t
