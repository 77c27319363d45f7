"""The case documents (.docx) and the data they are filled from.
"""

import re
from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fazhi.core.http import domain_errors
from fazhi.enforcement import documents, organs, rules, services
from fazhi.enforcement.models import PenaltyCase, Procedure
from fazhi.enforcement.views.common import _get_case

# --------------------------------------------------------------- documents

def _penalty_words(case: PenaltyCase) -> str:
    """"罚款人民币2000元；责令限期拆除" from the kinds, the fine and the other penalties, each once."""
    kinds = [k.strip() for k in re.split(r"[、，,；;]", case.penalty_kinds or "") if k.strip()]
    parts = []
    for k in kinds:
        if k == "罚款":
            if case.fine_amount:
                parts.append(f"罚款人民币{documents.money(case.fine_amount)}")
        elif k not in (case.other_penalties or ""):
            parts.append(k)
    if case.other_penalties:
        parts.append(case.other_penalties)
    return "；".join(parts)


def data_from_case(case: PenaltyCase) -> documents.CaseDocData:
    """The plain data the document layouts need, taken from the case: issued
    by the organ (organs.py), with the 复议机关 and the court competent for it
    and the basis the decision rests on (services.decision_basis)."""
    organ = organs.display_organ(case.unit)
    remedies = organs.remedies(organ)
    violated, basis = services.decision_basis(case)
    party = documents.PartyData(kind=case.party_kind, name=case.party_name, id_number=case.party_id_no,
                                address=case.party_address, legal_rep=case.party_legal_rep, phone=case.party_phone)
    evidence, notice_evidence = [], []
    noticed = case.notice_served_on
    for e in sorted(case.evidence.all(), key=lambda e: (e.captured_at, e.pk)):
        label = e.title or e.get_record_type_display()
        if e.record_type in rules.EVIDENCE_RECORDS and label not in evidence:
            evidence.append(label)
            if noticed and timezone.localtime(e.captured_at).date() <= noticed:
                notice_evidence.append(label)
    penalty = _penalty_words(case) if case.decided_on else ""
    return documents.CaseDocData(
        unit_name=organ.name, case_no=case.case_no or f"（未立案，登记号{case.pk}）", cause=case.cause,
        parties=[party], source=case.source, filed_on=case.filed_on, discovered_on=case.discovered_on,
        officers=[(co.officer.person.name, co.certificate_no) for co in case.case_officers.all()],
        facts=case.facts, evidence=evidence, notice_evidence=notice_evidence, violated=violated, basis=basis,
        penalty=penalty, intended_penalty=case.intended_penalty,
        fine=case.fine_amount if case.decided_on else case.intended_fine,
        notice_no="", notice_on=case.notice_served_on, hearing_offered=case.hearing_offered,
        hearing_on=case.hearing_held_on, hearing_summary=case.hearing_summary, reasons=case.decision_reasons,
        notice_reasons=case.notice_reasons,
        decision_no=case.decision_no, decision_on=case.decided_on,
        statement_summary=(f"当事人于{documents.cn_date(case.statement_received_on)}提出陈述、申辩意见，"
                           f"本机关进行了复核：{case.statement_answer or '已予采纳或说明理由'}。"
                           if case.statement_received_on else ""),
        waived_on=case.rights_waived_on,
        reviewed_on=next((r.reviewed_on for r in sorted(case.legal_reviews.all(), key=lambda r: (r.reviewed_on, r.pk),
                                                        reverse=True) if r.result == "passed"), None),
        discussed_on=case.discussed_on,
        review_organ=remedies.review_body, court=remedies.court, bank=rules.text("fine_bank"),
        summary=case.procedure == Procedure.SUMMARY, spot_place=case.spot_place,
        filing_approver=case.filing_approved_by,
        service_on=case.served_on, service_method=case.get_service_method_display() if case.service_method else "",
        server_names=[co.officer.person.name for co in case.case_officers.all()][:2],
    )


@require_http_methods(["GET"])
@domain_errors
def case_document(request, pk, kind):
    case = _get_case(request.user, pk)
    if kind not in documents.DOCUMENTS:
        raise Http404()
    data = documents.render(kind, data_from_case(case))
    name = f"{documents.DOCUMENTS[kind]}-{case.display_no}.docx".replace("/", "-")
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response

def _documents_for(case: PenaltyCase) -> list[tuple[str, str]]:
    """The documents the case has reached: 立案审批表 always, the notice from
    立案, the decision from 告知 (as a draft) and the service receipt once
    decided; a summary case has only its 当场处罚决定书."""
    if case.procedure == Procedure.SUMMARY:
        return [("decision", "当场行政处罚决定书")]
    reached = {"filing": True, "notice": bool(case.filed_on), "service": bool(case.decided_on),
               "decision": bool(case.notice_served_on or case.decided_on)}
    return [(k, label) for k, label in documents.DOCUMENTS.items() if reached[k]]
