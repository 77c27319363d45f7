"""What the workflow guards and the pages read about a case (no writes): the
decision period (ENF-08), the grounds of a decision (ENF-10), the benchmark
that applies (ENF-24), the fine paid (ENF-14) and ``case_context``, the
facts the transition table's guards test.
"""

from datetime import date
from decimal import Decimal

from django.db.models import Sum

from fazhi.enforcement import rules
from fazhi.enforcement.models import Benchmark, CaseOfficer, CaseStatus, LegalReview, PenaltyCase
from fazhi.enforcement.workflow import CASE_WORKFLOW

# ------------------------------------------------------ case period (ENF-08)

def case_deadline(case: PenaltyCase, on: date) -> rules.CaseDeadline | None:
    """The decision deadline of a filed case on ``on``, with how it was reached."""
    if not case.filed_on:
        return None
    exts = [(x.days, f"{x.approved_on.isoformat()} {x.approved_by_name}批准" + ("，经集体讨论" if x.discussed_on else ""))
            for x in sorted(case.extensions.all(), key=lambda x: (x.approved_on, x.pk))]
    stops = [(st.starts_on, st.ends_on, st.get_kind_display()) for st in case.clock_stops.all()]
    return rules.decision_deadline(case.filed_on, extensions=exts, stops=stops, on=on)


def _store_deadline(case: PenaltyCase, today: date) -> rules.CaseDeadline:
    """Keep ``decision_due`` (running stops not yet counted) and ``clock_stopped_on``
    in step with the extensions and stops, for lists and dashboards."""
    live = case_deadline(case, today)
    closed = rules.decision_deadline(
        case.filed_on, extensions=[(x.days, "") for x in case.extensions.all()],
        stops=[(st.starts_on, st.ends_on or st.starts_on, "") for st in case.clock_stops.all()], on=today)
    case.decision_due, case.clock_stopped_on = closed.due, live.running_since
    case.decision_rule = closed.rule_text + ("，暂停计算中" if live.running_since else "")
    return live


# ------------------------------------------------ grounds of a decision (ENF-10)

def decision_basis(case: PenaltyCase) -> tuple[str, str]:
    """(违法依据, 处罚依据) the decision rests on: those the legal reviewer stated
    in a passed review, else the violation type's (ENF-10 item 3)."""
    for r in sorted(case.legal_reviews.all(), key=lambda r: (r.reviewed_on, r.pk), reverse=True):
        if r.result == LegalReview.Result.PASSED and r.legal_basis and r.penalty_basis:
            return r.legal_basis, r.penalty_basis
    if case.violation_type_id:
        return case.violation_type.legal_basis, case.violation_type.penalty_basis
    return "", ""


def _reviewer_stated_basis(case: PenaltyCase) -> bool:
    return any(r.result == LegalReview.Result.PASSED and r.legal_basis and r.penalty_basis
               for r in case.legal_reviews.all())


def grounds_missing(case: PenaltyCase, benchmark: Benchmark | None = None) -> list[str]:
    """What a penalty decision still lacks (ENF-10 items 2–3, ENF-03, ENF-24):
    facts, evidence on file, a legal basis and a discretion benchmark — the
    benchmark of the case's violation type and severity, or a basis the legal
    reviewer stated. Leaving the type empty never skips the discretion check."""
    missing = []
    if not (case.facts or "").strip():
        missing.append("违法事实")
    if not case.evidence.filter(record_type__in=rules.EVIDENCE_RECORDS).exists():
        missing.append("证据材料（现场检查笔录、询问笔录或证据材料）")
    stated = _reviewer_stated_basis(case)
    if not stated:
        if not case.violation_type_id:
            missing.append("违法行为及其违法依据、处罚依据（或法制审核员载明的依据）")
        elif (benchmark or benchmark_for(case)) is None:
            missing.append("违法程度及对应的裁量基准（或法制审核员载明的依据）")
    return missing


# ----------------------------------------------------------- case context

def valid_case_officers(case: PenaltyCase, on: date) -> list[CaseOfficer]:
    """Assigned officers whose certificate is valid on ``on`` and who are in post (ENF-01)."""
    rows = case.case_officers.select_related("officer", "certificate").all()
    return [r for r in rows if r.officer.is_active and r.certificate.is_valid(on)]


def present_record_types(case: PenaltyCase) -> set[str]:
    return set(case.evidence.values_list("record_type", flat=True))


def latest_review(case: PenaltyCase) -> LegalReview | None:
    return case.legal_reviews.order_by("-reviewed_on", "-pk").first()


def case_context(case: PenaltyCase, today: date, *, action: str | None = None, **extra) -> dict:
    """The facts the workflow guards read (see workflow.py), computed for ``today``.

    ``extra`` overrides/adds facts for the action being checked (e.g. the
    proposed fine for ``decide``).
    """
    ctx: dict = {}
    ctx["officers_ok"] = len(valid_case_officers(case, today)) >= rules.get("min_officers") if case.pk else False
    ctx["limitation_ok"] = not rules.limitation_expired(case.violation_ended_on, case.discovered_on,
                                                        harm=case.harm_to_life_or_finance)
    ctx["window_over"] = bool(case.rights_waived_on) or bool(case.statement_due and today > case.statement_due)
    ctx["request_in_time"] = True
    ctx["hearing_due"] = bool(case.hearing_date and today >= case.hearing_date)
    ctx["hearing_notice_ok"] = True
    review = latest_review(case) if case.pk else None
    ctx["review_passed"] = bool(review and review.result == LegalReview.Result.PASSED)
    ctx["major"] = rules.is_major(case)
    deadline = case_deadline(case, today) if case.pk else None
    ctx["within_limit"] = bool(deadline and today <= deadline.due)
    ctx["benchmark_ok"] = True
    if case.pk and action in (None, "decide") and case.status in CASE_WORKFLOW.get("decide").sources:
        ctx["grounds_ok"] = not grounds_missing(case)
    ctx["summary_ok"] = True
    if case.pk and case.status == CaseStatus.SERVED:
        ctx["paid_in_full"] = paid_in_full(case)
    if case.pk and case.status == CaseStatus.EXECUTED:
        ctx["records_complete"] = not rules.missing_records(case, present_record_types(case))
    ctx.update(extra)
    return ctx


def benchmark_for(case: PenaltyCase) -> Benchmark | None:
    if case.benchmark_id:
        return case.benchmark
    if case.violation_type_id and case.severity:
        return Benchmark.objects.filter(violation_type_id=case.violation_type_id, severity=case.severity).first()
    return None


def amount_paid(case: PenaltyCase) -> tuple[Decimal, Decimal]:
    agg = case.payments.aggregate(a=Sum("amount"), s=Sum("surcharge"))
    return agg["a"] or Decimal("0.00"), agg["s"] or Decimal("0.00")


def _fine_payments(case: PenaltyCase) -> list[tuple[date, Decimal]]:
    return [(d, a) for d, a in case.payments.values_list("paid_on", "amount")]


def surcharge_owed(case: PenaltyCase, on: date) -> Decimal:
    """ENF-14: the surcharge on the unpaid part if the fine were settled on
    ``on`` (or, once paid in full, as it stood on the last payment)."""
    if not case.payment_due or not case.fine_amount:
        return Decimal("0.00")
    payments = _fine_payments(case)
    paid = sum((a for _, a in payments), Decimal(0))
    settle_on = max(d for d, _ in payments) if payments and paid >= case.fine_amount else on
    return rules.surcharge(case.fine_amount, case.payment_due, settle_on, payments)


def paid_in_full(case: PenaltyCase) -> bool:
    if not case.fine_amount:
        return True
    paid, surcharge = amount_paid(case)
    if paid < case.fine_amount:
        return False
    return surcharge >= surcharge_owed(case, date.max)
