"""The penalty decision (ENF-10/24, summary procedure ENF-12) and its
service (ENF-09).
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from fazhi.core import masking
from fazhi.core.dates import EnteredDate
from fazhi.core.errors import ValidationError
from fazhi.enforcement import organs, rules
from fazhi.enforcement.models import (
    Benchmark,
    Officer,
    PartyKind,
    PenaltyCase,
    Procedure,
    PublicationRecord,
    ServiceMethod,
    ViolationType,
)
from fazhi.enforcement.services.benchmarks import check_fine_against_benchmark
from fazhi.enforcement.services.cases import assign_officers, create_case
from fazhi.enforcement.services.common import (
    _act,
    _allocate,
    _as_head,
    _check,
    _choice,
    _clean,
    _date,
    _entered,
    _lock_case,
    _money,
    _name,
)
from fazhi.enforcement.services.facts import benchmark_for, case_context, decision_basis, grounds_missing
from fazhi.enforcement.workflow import CASE_WORKFLOW
from fazhi.org.models import Unit


def _publication_content(case: PenaltyCase) -> tuple[str, str]:
    """Title and public text of a decision, natural persons' data masked (ENF-19/20)."""
    person = case.party_kind == PartyKind.PERSON
    party = masking.party_name(case.party_name, natural_person=person)
    names = [case.party_name, case.party_legal_rep] if person else [case.party_legal_rep]
    addresses = [case.party_address] if person and case.party_address else []

    def m(text):
        # Numbers are never needed; any other address is for the person publishing to decide (publish).
        return masking.redact(text, names=names, addresses=addresses, kinds=masking.NUMBERS)

    basis = decision_basis(case)[1]
    organ = organs.display_organ(case.unit)  # the organ, not its 执法大队, publishes (ENF-19)
    lines = [
        f"决定书文号：{case.decision_no}",
        f"当事人：{party}",
        f"案由：{m(case.cause)}",
        f"主要违法事实：{m(case.facts)}",
        f"处罚依据：{m(basis)}" if basis else "",
        f"处罚种类：{case.penalty_kinds}",
        f"处罚内容：罚款{case.fine_amount}元" + (f"；{m(case.other_penalties)}" if case.other_penalties else ""),
        f"执法机关：{organ.name}",
        f"决定日期：{case.decided_on.isoformat()}",
    ]
    return f"{organ.name}行政处罚决定（{case.decision_no}）", "\n".join(x for x in lines if x)


def _create_publication(case: PenaltyCase) -> PublicationRecord:
    due = rules.publication_due(case.decided_on, penalty=True)
    title, content = _publication_content(case)
    return PublicationRecord.objects.create(
        case=case, unit=organs.display_organ(case.unit), kind=PublicationRecord.Kind.PENALTY,
        decision_date=case.decided_on,
        due=due.due, due_provisional=due.provisional, due_rule=due.rule_text, title=title, content=content)


def _decision_values(case, *, penalty_kinds, fine_amount, other_penalties, outside_range_reason, benchmark):
    kinds = _clean(penalty_kinds, 200, "penalty_kinds", "处罚种类", required=True)
    fine = _money(fine_amount, "fine_amount", "罚款金额")
    other = _clean(other_penalties, 500, "other_penalties", "其他处罚内容")
    reasons = _clean(outside_range_reason, 5000, "outside_range_reason", "超出裁量基准的理由")
    if benchmark is not None and benchmark.violation_type.unit_id != case.unit_id:
        raise ValidationError("裁量基准不属于本单位", fields={"benchmark": "请重新选择"})
    if benchmark is not None and benchmark.violation_type_id != case.violation_type_id:
        # The benchmark is the one of the violation the party was told of (ENF-06, ENF-24).
        raise ValidationError("所选裁量基准不是本案违法行为的裁量基准", rule="ENF-24", fields={"benchmark": "请重新选择"})
    return kinds, fine, other, reasons, benchmark or benchmark_for(case)


def _check_discretion(case: PenaltyCase, bm: Benchmark | None, fine: Decimal, reasons: str) -> None:
    """ENF-24: a fine outside the benchmark range needs stated reasons and,
    where ``outside_range_discussion`` is set, the leaders' collective
    discussion (国办发〔2022〕27号: 调整适用裁量基准须经集体讨论)."""
    if bm is None or bm.contains(fine):
        return
    check_fine_against_benchmark(bm, fine, reasons)
    if rules.get("outside_range_discussion") and not case.discussed_on:
        raise ValidationError(
            f"罚款{fine}元超出裁量基准（{bm.fine_min}—{bm.fine_max}元），须经行政机关负责人集体讨论后方可决定",
            rule="ENF-24", fields={"fine_amount": "超出裁量基准，须集体讨论"})


@transaction.atomic
def decide(case: PenaltyCase, *, by, today: date, penalty_kinds: str, fine_amount, reasons: str = "",
           other_penalties: str = "", outside_range_reason: str = "", benchmark: Benchmark | None = None,
           on_spot_service: bool = False) -> PenaltyCase:
    """作出行政处罚决定 (general procedure), on the server's ``today``, in the
    name of the organ (organs.py), by a head of the organ who does not handle
    the case (SYS-01/02).

    Refused unless: 2 certified officers (ENF-01); the statement window is
    over or waived (ENF-06/07); a requested hearing was held (ENF-07); a
    major case passed 法制审核 (ENF-04) and was discussed collectively
    (ENF-05); within 90 days of 立案 plus approved extensions and excluded
    periods (ENF-08); facts, evidence on file, a legal basis and a benchmark
    — the violation type's, or a basis the legal reviewer stated (ENF-10,
    ENF-03, ENF-24; an empty type never skips the discretion check); the
    reasons of the decision stated (ENF-10); the fine inside the benchmark,
    or reasons and (per setting) a collective discussion (ENF-24); no
    heavier fine than notified (ENF-06). Allocates the decision number;
    computes the service deadline (7 WD, ENF-09) unless handed over on the
    spot, and the publication deadline (7 WD, ENF-19).
    """
    case = _lock_case(case)
    today = _date(today, "today", "决定日期")
    kinds, fine, other, range_reason, bm = _decision_values(
        case, penalty_kinds=penalty_kinds, fine_amount=fine_amount, other_penalties=other_penalties,
        outside_range_reason=outside_range_reason, benchmark=benchmark)
    bm_ok = bm is None or bm.contains(fine) or bool(range_reason)
    _check(case, "decide", by, today, major=rules.is_major(case, fine=fine), benchmark_ok=bm_ok, grounds_ok=True)
    _as_head(case, by, on=today, act="作出处罚决定")
    missing = grounds_missing(case, bm)
    if missing:
        raise ValidationError("作出处罚决定还缺少：" + "、".join(missing), rule="ENF-10")
    reasons = _clean(reasons, 20000, "reasons", "处罚理由", required=True)
    _check_discretion(case, bm, fine, range_reason)
    if case.intended_fine is not None and fine > case.intended_fine:
        raise ValidationError(f"决定罚款{fine}元高于告知的{case.intended_fine}元；不得因陈述申辩加重处罚，须重新告知",
                              rule="ENF-06", fields={"fine_amount": "高于告知金额"})
    case.penalty_kinds, case.fine_amount, case.other_penalties = kinds, fine, other
    case.outside_range_reason, case.benchmark, case.decision_reasons = range_reason, bm, reasons
    case.decided_on, case.decided_by = today, _name(by)
    case.decision_no = _allocate(case, "decision", today.year)
    if on_spot_service:
        case.service_method = ServiceMethod.ON_SPOT
    else:
        due = rules.service_due(today)
        case.service_due, case.service_provisional, case.service_rule = due.due, due.provisional, due.rule_text
    CASE_WORKFLOW.apply(case, "decide", case_context(case, today, major=rules.is_major(case), benchmark_ok=True))
    case.save()
    pub = _create_publication(case)
    _act(case, "case", "decided", by=by, data={
        "decision_no": case.decision_no, "fine": fine, "service_due": case.service_due,
        "publication_due": pub.due, "outside_range_reason": range_reason,
        "organ": organs.organ_of(case.unit).name})
    if on_spot_service:
        _serve(case, by=by, served_on=today, method=ServiceMethod.ON_SPOT)
    return case


@transaction.atomic
def summary_decide(*, unit: Unit, by, today: date, officers: list[Officer], cause: str, party_kind: str,
                   party_name: str, penalty_kinds: str, fine_amount, facts: str, place: str,
                   violation_type: ViolationType | None, severity: str, party_id_no: str = "",
                   party_address: str = "", party_phone: str = "", outside_range_reason: str = "") -> PenaltyCase:
    """当场处罚 (summary procedure, ENF-12, 处罚法第五十一、五十二条): a warning or
    a fine up to 200 yuan (natural persons) / 3,000 yuan (organisations),
    decided by the officers on the spot on the server's ``today``; the
    decision is handed over at once, so the case is 已送达. Officers show
    valid certificates (ENF-01). The 当场处罚决定书 states the violation, the
    penalty and its basis, the time and place (``place``) — so the facts and a
    violation type with its benchmark are required (ENF-10, ENF-24)."""
    if violation_type is None or not severity:
        raise ValidationError("当场处罚须选择违法行为和违法程度（处罚依据和裁量基准）", rule="ENF-24",
                              fields={"violation_type": "请选择违法行为", "severity": "请选择违法程度"})
    place = _clean(place, 200, "place", "当场处罚地点", required=True)
    _clean(facts, 20000, "facts", "违法事实", required=True)
    case = create_case(unit=unit, by=by, cause=cause, party_kind=party_kind, party_name=party_name,
                       discovered_on=today, today=today, procedure=Procedure.SUMMARY, facts=facts,
                       party_id_no=party_id_no, party_address=party_address, party_phone=party_phone,
                       violation_type=violation_type, severity=severity)
    assign_officers(case, by=by, officers=officers, today=today)
    case = _lock_case(case)
    kinds, fine, other, reasons, bm = _decision_values(
        case, penalty_kinds=penalty_kinds, fine_amount=fine_amount, other_penalties="",
        outside_range_reason=outside_range_reason, benchmark=None)
    if bm is None:
        raise ValidationError("所选违法行为没有该违法程度的裁量基准", rule="ENF-24", fields={"severity": "无对应裁量基准"})
    ok = fine <= rules.summary_limit(case.party_kind)
    bm_ok = bm.contains(fine) or bool(reasons)
    _check(case, "summary_decide", by, today, summary_ok=ok, benchmark_ok=bm_ok)
    case.penalty_kinds, case.fine_amount, case.outside_range_reason, case.benchmark = kinds, fine, reasons, bm
    case.decided_on = case.served_on = today
    case.decided_by = _name(by)
    case.spot_place = place
    case.service_method = ServiceMethod.ON_SPOT
    case.decision_no = _allocate(case, "decision", today.year)
    pay = rules.payment_due(today)
    case.payment_due, case.payment_provisional, case.payment_rule = pay.due, pay.provisional, pay.rule_text
    CASE_WORKFLOW.apply(case, "summary_decide", case_context(case, today, summary_ok=True, benchmark_ok=True))
    case.save()
    _act(case, "case", "summary_decided", by=by, data={"decision_no": case.decision_no, "fine": fine})
    return case


def _serve(case: PenaltyCase, *, by, served_on: date, method: str, entered: EnteredDate | None = None) -> None:
    CASE_WORKFLOW.apply(case, "serve", case_context(case, served_on))
    case.served_on, case.service_method = served_on, method
    if case.fine_amount:
        pay = rules.payment_due(served_on)
        case.payment_due, case.payment_provisional, case.payment_rule = pay.due, pay.provisional, pay.rule_text
    case.save()
    _act(case, "case", "served", by=by, data={"served_on": served_on, "method": method,
                                              "payment_due": case.payment_due,
                                              "late": bool(case.service_due and served_on > case.service_due),
                                              **(entered.audit_data() if entered else {})})


@transaction.atomic
def serve(case: PenaltyCase, *, by, today: date, served_on: date, method: str, late_reason: str = "") -> PenaltyCase:
    """送达 the decision (ENF-09: within 7 WD when not handed over on the spot;
    electronic service only with the party's written consent). ``served_on``
    is the date on the 送达回证, entered (SYS-03): not before the decision,
    not after today. Starts the 15-day payment period (ENF-14). A late
    service is recorded, not refused."""
    case = _lock_case(case)
    when = _entered(served_on, today=today, label="送达日期", field="served_on",
                    after=[(case.decided_on, "决定日期")], reason=late_reason)
    method = _choice(method, ServiceMethod, "method", "送达方式")
    _check(case, "serve", by, when.value)
    _serve(case, by=by, served_on=when.value, method=method, entered=when)
    return case
