"""The case page: its action forms (one per action ``services.available_actions``
offers), the steps still blocked with their rule, the progress strip, and
the POST of one step.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.audit import selectors as audit_selectors
from fazhi.core.errors import Conflict, DomainError, PermissionDenied
from fazhi.core.http import domain_errors
from fazhi.enforcement import forms as f
from fazhi.enforcement import organs, rules, services
from fazhi.enforcement.models import (
    UNDECIDED_STATES,
    Benchmark,
    CaseOfficer,
    CaseStatus,
    ClockStop,
    Officer,
    PenaltyCase,
    PoliceTransfer,
    Procedure,
    PublicationStatus,
    TransferStatus,
    ViolationType,
)
from fazhi.enforcement.views import common
from fazhi.enforcement.views.common import HANDLE, _get_case, _num, _place_error
from fazhi.enforcement.views.documents import _documents_for, _penalty_words
from fazhi.enforcement.views.officers import certified_choices
from fazhi.enforcement.workflow import TRANSFER_RULE
from fazhi.org import access, capacity
from fazhi.org.models import Person, Role, Unit


@dataclass(frozen=True)
class Step:
    """One action form on the case page."""

    key: str
    label: str
    form: type
    run: Callable[[Any, PenaltyCase, dict, date], Any]  # (user, case, cleaned_data, today)
    done: str
    danger: bool = False
    intro: str = ""


def _pending_transfer(case: PenaltyCase) -> PoliceTransfer:
    t = next((t for t in case.transfers.all() if t.status == TransferStatus.PENDING), None)
    if t is None:
        raise Conflict("没有待回复的移送记录", rule=TRANSFER_RULE)
    return t


def _live_publication(case: PenaltyCase, status: str):
    p = next((p for p in case.publications.all() if p.status == status), None)
    if p is None:
        raise Conflict("没有可操作的公示记录", rule="ENF-19")
    return p


def _benchmark(pk):
    return Benchmark.objects.select_related("violation_type").filter(pk=pk).first() if pk else None


def _people(pks) -> list[Person]:
    return list(Person.objects.filter(pk__in=pks or []))


def _open_stop(case: PenaltyCase, pk) -> ClockStop:
    stop = case.clock_stops.filter(pk=pk, ends_on__isnull=True).first()
    if stop is None:
        raise Conflict("没有可结束的不计入期间", rule="ENF-08")
    return stop


def _case_info(d: dict) -> dict:
    vt = ViolationType.objects.filter(pk=d["violation_type"]).first() if d.get("violation_type") else None
    return {**{k: d[k] for k in services.INFO_FIELDS if k != "violation_type"}, "violation_type": vt}


def _assign(user, case: PenaltyCase, d: dict, today: date):
    """The chosen officers (the choices offer only the case's unit's) and the lead among them."""
    found = {o.pk: o for o in Officer.objects.filter(pk__in=d["officers"])}
    return services.assign_officers(case, by=user, today=today, officers=[found[pk] for pk in d["officers"]
                                                                          if pk in found],
                                    lead=found.get(d.get("lead")))


STEPS: dict[str, Step] = {s.key: s for s in [
    Step("file_case", "批准立案", f.FileCaseForm,
         lambda u, c, d, t: services.file_case(c, by=u, today=t, late_filing_reason=d["late_filing_reason"]),
         "已批准立案，办案期限开始计算",
         intro="立案时须有两名以上持有效证件的执法人员（ENF-01）；自立案之日起90日内作出决定（ENF-08）。"),
    Step("reject_filing", "不予立案", f.ReasonForm,
         lambda u, c, d, t: services.reject_filing(c, by=u, today=t, reason=d["reason"]), "已决定不予立案",
         danger=True),
    Step("case_info", "修改案件信息", f.CaseInfoForm,
         lambda u, c, d, t: services.update_case_info(c, by=u, **_case_info(d)), "已保存案件信息",
         intro="违法事实、违法行为及违法程度是决定的依据（ENF-10）；告知当事人后不能再修改违法事实和违法行为。"),
    Step("assign_officers", "变更承办执法人员", f.AssignOfficersForm,
         _assign,
         "已变更承办执法人员",
         intro="至少两名本单位持有效执法证件的执法人员（ENF-01）；替换原有的承办人员名单。"),
    Step("notify", "送达行政处罚事先告知书", f.NotifyForm,
         lambda u, c, d, t: services.notify(c, by=u, today=t, intended_penalty=d["intended_penalty"],
                                            notice_reasons=d["notice_reasons"], intended_fine=d["intended_fine"]),
         "已告知，陈述申辩/听证申请期限开始计算",
         intro="送达告知书时登记：告知日期为今天。告知拟处罚内容及事实、理由、依据和陈述、申辩、要求听证的权利（ENF-06）；"
               "当事人5个工作日内可申请听证（ENF-07）。"),
    Step("record_statement", "记录陈述申辩", f.StatementForm,
         lambda u, c, d, t: services.record_statement(c, by=u, today=t, received_on=d["received_on"], text=d["text"],
                                                      answer=d["answer"], late_reason=d["late_reason"]),
         "已记录陈述申辩", intro="不得因当事人陈述申辩而加重处罚（ENF-06）。"),
    Step("waive_rights", "当事人书面放弃陈述申辩和听证", f.DateOnlyForm,
         lambda u, c, d, t: services.waive_rights(c, by=u, today=t, on=d["on"], late_reason=d["late_reason"]),
         "已记录当事人放弃权利"),
    Step("request_hearing", "当事人申请听证", f.HearingRequestForm,
         lambda u, c, d, t: services.request_hearing(c, by=u, today=t, requested_on=d["requested_on"],
                                                     late_reason=d["late_reason"]), "已登记听证申请",
         intro="须在告知书送达后5个工作日内提出（ENF-07）；听证期间不计入办案期限（ENF-08）。"),
    Step("schedule_hearing", "通知听证", f.HearingScheduleForm,
         lambda u, c, d, t: services.schedule_hearing(c, by=u, today=t, notified_on=d["notified_on"],
                                                      hearing_date=d["hearing_date"], place=d["place"],
                                                      presider=d["presider"], late_reason=d["late_reason"]),
         "已通知听证", intro="举行听证的7个工作日前通知当事人；主持人由非本案调查人员担任（ENF-07）。"),
    Step("hold_hearing", "记录听证", f.HearingHeldForm,
         lambda u, c, d, t: services.hold_hearing(c, by=u, today=t, held_on=d["held_on"], summary=d["summary"],
                                                  late_reason=d["late_reason"]),
         "已记录听证", intro="听证笔录经当事人核对签字后作为听证笔录上传（ENF-07）。"),
    Step("submit_legal_review", "提交法制审核", f.NoFieldsForm,
         lambda u, c, d, t: services.submit_legal_review(c, by=u, today=t), "已提交法制审核"),
    Step("legal_review", "出具法制审核意见", f.LegalReviewForm,
         lambda u, c, d, t: services.legal_review(c, by=u, today=t, passed=d["passed"], opinion=d["opinion"],
                                                  legal_basis=d["legal_basis"], penalty_basis=d["penalty_basis"]),
         "已出具法制审核意见",
         intro="未经法制审核或审核未通过的，不得作出决定（ENF-04）；审核人员不得为本案承办人员（SYS-01）。"),
    Step("submit_discussion", "提请集体讨论", f.NoFieldsForm,
         lambda u, c, d, t: services.submit_discussion(c, by=u, today=t), "已提请集体讨论"),
    Step("record_discussion", "记录集体讨论", f.DiscussionForm,
         lambda u, c, d, t: services.record_discussion(c, by=u, today=t, discussed_on=d["discussed_on"],
                                                       members=_people(d["members"]), attendees=d["attendees"],
                                                       conclusion=d["conclusion"], late_reason=d["late_reason"]),
         "已记录集体讨论", intro="情节复杂或重大违法行为由行政机关负责人集体讨论决定（ENF-05）。"),
    Step("decide", "作出行政处罚决定", f.DecideForm,
         lambda u, c, d, t: services.decide(c, by=u, today=t, penalty_kinds=d["penalty_kinds"],
                                            fine_amount=d["fine_amount"], reasons=d["reasons"],
                                            other_penalties=d["other_penalties"],
                                            outside_range_reason=d["outside_range_reason"],
                                            benchmark=_benchmark(d["benchmark"]),
                                            on_spot_service=d["on_spot_service"]),
         "已作出行政处罚决定，须在7个工作日内送达并按期公示",
         intro="以本机关名义、今天的日期作出；决定人须为本机关负责人且非本案承办人（SYS-01/02）。罚款超出裁量基准幅度的"
               "须记录理由并经集体讨论（ENF-24）；不得高于告知的金额（ENF-06）。"),
    Step("extend", "批准延长办案期限", f.ExtensionForm,
         lambda u, c, d, t: services.extend_deadline(
             c, by=u, today=t, days=d["days"], reason=d["reason"], basis=d["basis"], discussed_on=d["discussed_on"],
             members=_people(d["members"]), attendees=d["attendees"], conclusion=d["conclusion"],
             late_reason=d["late_reason"]),
         "已批准延长办案期限",
         intro="仅法律、法规、规章另有规定的可以延长，须在期限届满前批准（ENF-08）；再次延长须经负责人集体讨论。"),
    Step("request_extension", "申请延长办案期限", f.ExtensionRequestForm,
         lambda u, c, d, t: services.request_extension(c, by=u, today=t, days=d["days"], reason=d["reason"]),
         "已申请延长办案期限，待负责人审批",
         intro="办案期限届满前提出；由本机关负责人审批（ENF-08）。"),
    Step("stop_start", "登记不计入办案期限的期间", f.StopStartForm,
         lambda u, c, d, t: services.start_clock_stop(c, by=u, today=t, kind=d["kind"], starts_on=d["starts_on"],
                                                      reason=d["reason"], basis=d["basis"],
                                                      late_reason=d["late_reason"]),
         "已登记，办案期限暂停计算", intro="检测、检验、检疫、鉴定和公告期间不计入办案期限（ENF-08）；听证期间自动登记。"),
    Step("stop_end", "登记期间结束", f.StopEndForm,
         lambda u, c, d, t: services.end_clock_stop(_open_stop(c, d["stop"]), by=u, today=t, ends_on=d["ends_on"],
                                                    late_reason=d["late_reason"]),
         "已登记期间结束，办案期限恢复计算"),
    Step("serve", "送达决定书", f.ServeForm,
         lambda u, c, d, t: services.serve(c, by=u, today=t, served_on=d["served_on"], method=d["method"],
                                           late_reason=d["late_reason"]),
         "已送达决定书，缴款期限开始计算",
         intro="当事人不在场的，7个工作日内送达（ENF-09）；电子送达须经当事人书面同意。送达日期以送达回证为准。"),
    Step("record_payment", "登记缴款", f.PaymentForm,
         lambda u, c, d, t: services.record_payment(
             c, by=u, today=t, paid_on=d["paid_on"], amount=d["amount"], bank_receipt_no=d["bank_receipt_no"],
             surcharge=d["surcharge"], method=d["method"], handed_over_on=d["handed_over_on"],
             late_reason=d["late_reason"]),
         "已登记缴款",
         intro="罚缴分离：凭银行缴款凭证登记；逾期每日按未缴部分加处3%，以罚款数额为限（ENF-14）。"),
    Step("complete_execution", "确认执行完毕", f.NoFieldsForm,
         lambda u, c, d, t: services.complete_execution(c, by=u, today=t), "已确认执行完毕"),
    Step("close", "结案", f.CloseForm,
         lambda u, c, d, t: services.close_case(c, by=u, today=t, summary=d["summary"]), "已结案",
         intro="各环节的全过程记录齐全方可结案（ENF-03）。"),
    Step("archive", "归档", f.ArchiveForm,
         lambda u, c, d, t: services.archive_case(c, by=u, today=t, archive_no=d["archive_no"]), "已归档"),
    Step("transfer", "移送公安机关", f.TransferForm,
         lambda u, c, d, t: services.transfer_to_police(
             c, by=u, today=t, transferred_on=d["transferred_on"], receiving_organ=d["receiving_organ"],
             suspected_crime=d["suspected_crime"], reason=d["reason"], materials=d["materials"],
             late_reason=d["late_reason"]),
         "已移送公安机关，案件中止办理", danger=True,
         intro="涉嫌犯罪的，及时移送司法机关（两法衔接，行政处罚法第二十七条）。"),
    Step("transfer_reply", "登记公安机关回复", f.TransferReplyForm,
         lambda u, c, d, t: services.record_transfer_reply(
             _pending_transfer(c), by=u, today=t, reply_on=d["reply_on"], accepted=d["accepted"], reply=d["reply"],
             outcome=d["outcome"], late_reason=d["late_reason"]),
         "已登记公安机关回复"),
    Step("terminate", "撤销立案/终止调查", f.ReasonForm,
         lambda u, c, d, t: services.terminate_case(c, by=u, today=t, reason=d["reason"]), "案件已终止",
         danger=True),
    Step("publish", "公示处罚决定", f.PublishForm,
         lambda u, c, d, t: services.publish(_live_publication(c, PublicationStatus.PENDING), by=u, today=t,
                                             content=d["content"], title=d["title"]),
         "已在门户网站公示", intro="处罚决定作出之日起7个工作日内公示；自然人信息须隐去（ENF-19、ENF-20）。"),
    Step("decision_change", "登记决定变更/撤销", f.DecisionChangeForm,
         lambda u, c, d, t: services.record_decision_change(c, by=u, today=t, changed_on=d["changed_on"],
                                                            reason=d["reason"], late_reason=d["late_reason"]),
         "已登记决定变更/撤销", danger=True),
    Step("withdraw", "撤回公示", f.ReasonForm,
         lambda u, c, d, t: services.withdraw_publication(_live_publication(c, PublicationStatus.PUBLISHED), by=u,
                                                          today=t, reason=d["reason"]),
         "已撤回公示", danger=True, intro="决定变更、撤销或被确认违法、无效的，3个工作日内撤回并说明理由（ENF-11）。"),
]}

# workflow action -> step key on the page
ACTION_STEP = {
    "file_case": "file_case", "reject_filing": "reject_filing", "notify": "notify",
    "record_statement": "record_statement", "waive_rights": "waive_rights", "request_hearing": "request_hearing",
    "schedule_hearing": "schedule_hearing", "hold_hearing": "hold_hearing",
    "submit_legal_review": "submit_legal_review", "legal_review_pass": "legal_review",
    "legal_review_fail": "legal_review", "submit_discussion": "submit_discussion",
    "record_discussion": "record_discussion", "decide": "decide", "serve": "serve",
    "record_payment": "record_payment", "complete_execution": "complete_execution", "close": "close",
    "archive": "archive", "transfer": "transfer", "resume": "transfer_reply", "end_by_transfer": "transfer_reply",
    "terminate": "terminate",
    # steps outside the table (services.available_actions names them as the API does)
    "update_case": "case_info", "assign_officers": "assign_officers", "request_extension": "request_extension", "extend_deadline": "extend", "start_clock_stop": "stop_start",
    "end_clock_stop": "stop_end", "publish": "publish", "record_decision_change": "decision_change",
    "withdraw_publication": "withdraw",
}


def _available(user, case: PenaltyCase, today: date) -> tuple[list[str], list[dict]]:
    """(step keys offered now, steps waiting for a condition with the rule), both
    from ``services.available_actions`` — the answer the API lists too."""
    available = services.available_actions(case, user, today)
    keys: list[str] = []
    for o in available.offered:
        key = ACTION_STEP[o.action]
        if key not in keys:
            keys.append(key)
    keys.sort(key=lambda k: STEPS[k].danger)  # ending steps (终止, 移送, 撤回) last
    # A blocked action whose form is offered under another action (审核不通过 beside 审核通过) is not waiting.
    waiting = [{"label": b.label, "reason": b.reason, "unlock": b.unlock}
               for b in available.blocked if ACTION_STEP[b.action] not in keys]
    return keys, waiting


def _open_stops(case: PenaltyCase) -> list[ClockStop]:
    return [st for st in case.clock_stops.all() if st.ends_on is None and st.kind != ClockStop.Kind.HEARING]


def _initial(key: str, case: PenaltyCase, today: date, user) -> dict:
    base = {
        "case_info": {k: getattr(case, k) for k in ("cause", "facts", "severity", "is_complex", "major_public_interest",
                                                    "revoke_licence", "order_stop_business")}
                     | {"violation_type": case.violation_type_id},
        "notify": {"intended_fine": case.intended_fine,
                   "intended_penalty": case.intended_penalty, "notice_reasons": case.notice_reasons or case.facts},
        "record_statement": {"received_on": today},
        "waive_rights": {"on": today},
        "request_hearing": {"requested_on": today},
        # the earliest day the law allows (ENF-07: notified at least 7 working days before)
        "schedule_hearing": {"notified_on": today, "hearing_date": rules.earliest_hearing_date(today)},
        "hold_hearing": {"held_on": case.hearing_date or today},
        "record_discussion": {"discussed_on": today},
        "stop_start": {"starts_on": today},
        "stop_end": {"ends_on": today},
        "decide": {"fine_amount": case.intended_fine, "penalty_kinds": "罚款"},
        "extend": {"days": case.extension_request_days, "reason": case.extension_request_reason},
        "serve": {"served_on": today, "method": "direct"},
        "record_payment": {"paid_on": today, "amount": case.fine_amount},
        "transfer": {"transferred_on": today, "receiving_organ": "公安局"},
        "transfer_reply": {"reply_on": today},
        "decision_change": {"changed_on": today},
    }
    if key == "assign_officers":
        rows = list(case.case_officers.all())
        lead = next((r.officer_id for r in rows if r.role == CaseOfficer.Role.LEAD), None)
        return {"officers": [r.officer_id for r in rows], "lead": lead}
    if key == "publish":
        pub = next((p for p in case.publications.all() if p.status == PublicationStatus.PENDING), None)
        return {"title": pub.title, "content": pub.content} if pub else {}
    return base.get(key, {})


def _form_for(key: str, case: PenaltyCase, data=None, files=None, initial=None):
    cls = STEPS[key].form
    kw = {}
    if cls is f.DecideForm:
        kw["benchmark_choices"] = _benchmark_choices(case)
    elif cls in (f.DiscussionForm, f.ExtensionForm):
        kw["member_choices"] = _leader_choices(case, common.today())
    elif cls is f.StopEndForm:
        kw["stop_choices"] = [(st.pk, str(st)) for st in _open_stops(case)]
    elif cls is f.CaseInfoForm:
        kw["type_choices"] = _type_choices_of(case)
    elif cls is f.AssignOfficersForm:
        kw["officer_choices"] = certified_choices(Unit.objects.filter(pk=case.unit_id), common.today())
    return cls(data, files, prefix=key, initial=initial or {}, **kw)


def _leader_choices(case: PenaltyCase, today: date) -> list[tuple[int, str]]:
    """The organ's heads today (SYS-02); the service checks each on the meeting's date."""
    people = capacity.holders_on(Role.HEAD, organs.display_organ(case.unit), today)
    return [(p.pk, f"{p.name}（{p.post or p.unit.name}）") for p in people]


def _type_choices_of(case: PenaltyCase) -> list[tuple[int, str]]:
    qs = ViolationType.objects.filter(unit=case.unit).filter(Q(is_active=True) | Q(pk=case.violation_type_id))
    return [(v.pk, f"{v.code} {v.name}") for v in qs.order_by("code")]


def _benchmark_choices(case: PenaltyCase) -> list[tuple[int, str]]:
    qs = Benchmark.objects.filter(violation_type__unit=case.unit).select_related("violation_type")
    if case.violation_type_id:
        qs = qs.filter(violation_type_id=case.violation_type_id)
    return [(b.pk, f"{b.violation_type.name} · {b.get_severity_display()} {_num(b.fine_min)}–{_num(b.fine_max)}元")
            for b in qs.order_by("violation_type__code", "fine_min")]


# The statutory steps for the progress strip.
def progress(case: PenaltyCase, today: date) -> list[dict]:
    """Each statutory step as done / current / pending, with its rule and deadline."""
    S = CaseStatus
    if case.procedure == Procedure.SUMMARY:
        steps = [
            {"label": "当场处罚", "rule": "ENF-12", "done": bool(case.decided_on)},
            {"label": "执行", "rule": "ENF-14", "done": bool(case.executed_on),
             "due": case.payment_due, "due_rule": case.payment_rule},
            {"label": "结案", "rule": "ENF-03", "done": bool(case.closed_on)},
            {"label": "归档", "rule": "ENF-03", "done": bool(case.archived_on)},
        ]
    else:
        major = case.legal_review_required or rules.is_major(case)
        deadline = services.case_deadline(case, today)  # moves while an excluded period runs (ENF-08)
        steps = [
            {"label": "立案", "rule": "ENF-01", "done": bool(case.filed_on),
             "due": None if case.filed_on else case.filing_due, "provisional": case.filing_provisional,
             "due_rule": case.filing_rule},
            {"label": "调查取证", "rule": "ENF-03", "done": bool(case.notice_served_on)},
            {"label": "告知", "rule": "ENF-06", "done": bool(case.notice_served_on)},
            {"label": "陈述申辩/听证", "rule": "ENF-07",
             "done": bool(case.notice_served_on) and (bool(case.decided_on) or case.status in (
                 S.LEGAL_REVIEW, S.REVIEWED, S.DISCUSSION)),
             "due": case.statement_due, "provisional": case.statement_provisional, "due_rule": case.statement_rule},
        ]
        if major:
            steps.append({"label": "法制审核", "rule": "ENF-04",
                          "done": any(r.result == "passed" for r in case.legal_reviews.all())})
            steps.append({"label": "集体讨论", "rule": "ENF-05", "done": bool(case.discussed_on)})
        steps += [
            {"label": "决定", "rule": "ENF-08", "done": bool(case.decided_on),
             "due": None if case.decided_on or not deadline else deadline.due,
             "due_rule": deadline.rule_text if deadline else case.decision_rule},
            {"label": "送达", "rule": "ENF-09", "done": bool(case.served_on),
             "due": None if case.served_on else case.service_due, "provisional": case.service_provisional,
             "due_rule": case.service_rule},
            {"label": "执行", "rule": "ENF-14", "done": bool(case.executed_on),
             "due": None if case.executed_on else case.payment_due, "due_rule": case.payment_rule},
            {"label": "结案", "rule": "ENF-03", "done": bool(case.closed_on)},
            {"label": "归档", "rule": "ENF-03", "done": bool(case.archived_on)},
        ]
    ended = case.status in (S.TERMINATED, S.TRANSFERRED)
    current_set = False
    for s in steps:
        if s["done"]:
            s["state"] = "done"
        elif not current_set and not ended:
            s["state"], current_set = "current", True
        else:
            s["state"] = "pending"
        due = s.get("due")
        s["overdue"] = bool(due and due < today and s["state"] != "done")
    return steps


def _benchmark_check(case: PenaltyCase) -> dict | None:
    """The applicable benchmark and whether the proposed (or decided) fine is inside it (ENF-24)."""
    bm = services.benchmark_for(case)
    if bm is None:
        return None
    fine = case.fine_amount if case.decided_on else case.intended_fine
    inside = None if fine is None else bm.contains(fine)
    return {"bm": bm, "fine": fine, "inside": inside}


def _evidence_rows(case: PenaltyCase) -> list:
    rows = list(case.evidence.select_related("uploaded_by__person").order_by("uploaded_at", "pk"))
    for e in rows:
        p = access.person_of(e.uploaded_by) if e.uploaded_by_id else None
        e.uploader = p.name if p else (e.uploaded_by.get_username() if e.uploaded_by_id else "系统")
    return rows


def _records(case: PenaltyCase) -> list[dict]:
    present = {e.record_type for e in case.evidence.all()}
    return [{"r": r, "present": r.record_type in present} for r in rules.required_records(case)]


# 两法衔接 in the case's own trail (services.transfer_to_police / record_transfer_reply).
TRANSFER_TRAIL = ("enforcement.case.transferred", "enforcement.case.transfer_declined",
                  "enforcement.case.terminated_by_transfer", "enforcement.case.transfer_outcome")


def _render_case(request, case: PenaltyCase, *, bound: dict | None = None, error: str = "", status: int = 200):
    user = request.user
    today = common.today()
    bound = bound or {}
    keys, waiting = _available(user, case, today)
    steps = []
    for key in keys:
        form = bound.get(key) or _form_for(key, case, initial=_initial(key, case, today, user))
        steps.append({"step": STEPS[key], "form": form, "open": key in bound,
                      "url": reverse("enforcement:case_action", args=[case.pk, key])})
    can_handle = access.allowed(user, HANDLE, case.unit)
    me = access.person_of(user)
    evidence_form = bound.get("evidence") or f.EvidenceForm(prefix="ev", initial={
        "captured_by_name": me.name if me else "",
        "captured_at": timezone.localtime(common.now()).replace(second=0, microsecond=0)})
    paid, surcharge = services.amount_paid(case) if case.fine_amount else (0, 0)
    deadline = services.case_deadline(case, today)
    ctx = {
        "case": case, "today": today, "steps": steps, "waiting": waiting, "error": error,
        "progress": progress(case, today),
        "officers": list(case.case_officers.all()),
        "evidence": _evidence_rows(case),
        "records": _records(case),
        "benchmark": _benchmark_check(case),
        "major_reasons": rules.major_reasons(case),
        "legal_reviews": list(case.legal_reviews.all()),
        "extensions": list(case.extensions.all()),
        "payments": list(case.payments.all()),
        "paid": paid, "paid_surcharge": surcharge,
        "surcharge_now": services.surcharge_owed(case, today) if case.payment_due else 0,
        "publications": list(case.publications.all()),
        "transfers": list(case.transfers.all()),
        "transfer_trail": list(audit_selectors.trail_visible_to(user, "enforcement.penaltycase", case.pk)
                               .filter(action__in=TRANSFER_TRAIL)) if case.transfers.all() else [],
        "can_upload": can_handle and case.status != CaseStatus.ARCHIVED,
        "evidence_form": evidence_form,
        "documents": _documents_for(case),
        "deadline": deadline,
        "penalty_words": _penalty_words(case) if case.decided_on else "",  # as the 决定书 words it
        "organ": organs.display_organ(case.unit),
        "clock_stops": list(case.clock_stops.all()),
        "decision_overdue": bool(case.status in UNDECIDED_STATES and deadline and deadline.due < today),
        "upload_max_mb": _upload_max(),
    }
    return render(request, "enforcement/case_detail.html", ctx, status=status)

def _upload_max() -> int:
    from django.conf import settings

    return settings.UPLOAD_MAX_MB


@require_http_methods(["GET"])
@domain_errors
def case_detail(request, pk):
    return _render_case(request, _get_case(request.user, pk))


@require_POST
@domain_errors
def case_action(request, pk, step):
    user = request.user
    case = _get_case(user, pk)
    spec = STEPS.get(step)
    if spec is None:
        raise Http404()
    form = _form_for(step, case, request.POST)
    if not form.is_valid():
        return _render_case(request, case, bound={step: form}, error=f"“{spec.label}”未完成：请检查填写的内容",
                            status=400)
    try:
        spec.run(user, case, form.cleaned_data, common.today())
    except PermissionDenied:
        raise
    except DomainError as exc:
        _place_error(form, exc)
        case = _get_case(user, pk)  # re-read: nothing was changed
        return _render_case(request, case, bound={step: form}, error=format_html("“{}”未办理：{}", spec.label, exc), status=400)
    messages.success(request, spec.done)
    return redirect("enforcement:case_detail", pk=case.pk)
