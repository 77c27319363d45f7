"""The rules of 行政执法 as settings and pure functions (docs/rules.md §3).

Override any key in ``settings.FAZHI_ENFORCEMENT`` (a dict), e.g.::

    FAZHI_ENFORCEMENT = {"major_fine_person": 5000, "certificate_warning_days": 90}

Every deadline computed from these values is stored with its due date, the
workdays "provisional" flag and a rule text ("ENF-09 7个工作日"), so a later
change of a setting never rewrites an old deadline.

Nothing here reads the clock or the database: callers pass ``today``.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from fazhi.workdays.calendar import add_calendar_days, add_workdays

DEFAULTS = {
    # ENF-01: at least 2 certified officers per case.
    "min_officers": 2,
    # ENF-07: the party asks for a hearing within 5 WD of the notice (art. 64, 85);
    # the same window is given for statements and defence.
    "hearing_request_workdays": 5,
    # ENF-07: the hearing is notified at least 7 WD before it is held.
    "hearing_notice_workdays": 7,
    # ENF-08: decide within 90 (calendar) days of filing.
    "decision_days": 90,
    # ENF-09: serve within 7 WD when not handed over on the spot.
    "service_workdays": 7,
    # ENF-14: pay within 15 (calendar) days of receiving the decision; 3% a day after.
    "payment_days": 15,
    "surcharge_permille_per_day": 30,
    # ENF-12: summary procedure limits (yuan); on-the-spot cash up to 100 yuan, handed over in 2 WD.
    "summary_max_fine_person": 200,
    "summary_max_fine_org": 3000,
    "cash_max": 100,
    "cash_handover_workdays": 2,
    # ENF-04/07: 较大数额罚款 — local (L): a common provincial figure; a setting.
    "major_fine_person": 10000,
    "major_fine_org": 100000,
    "major_confiscation": 10000,
    # ENF-15: no penalty after 2 years; 5 where life, health or financial security was harmed.
    "limitation_years": 2,
    "limitation_years_harm": 5,
    # Filing within N WD of discovery — sector rule (市场监管/农业 程序规定: 15 WD), local: a setting.
    "filing_workdays": 15,
    # ENF-19: publish 处罚/许可 decisions within 7 WD, other decisions within 20 WD.
    "publication_workdays_penalty": 7,
    "publication_workdays_other": 20,
    # ENF-11: withdraw within 3 WD when a decision is changed or revoked.
    "withdrawal_workdays": 3,
    # ENF-20/21: display period. 3 years (ENF-21, the national sector rule);
    # natural persons 2 years (ENF-20, the shorter local rule, kinder to privacy).
    "display_years": 3,
    "display_years_person": 2,
    # Dashboard: certificates expiring within N days; a due date within N days is "due soon".
    "certificate_warning_days": 60,
    "due_soon_days": 7,
    "decision_warning_days": 15,
}

RULE_IDS = {
    "min_officers": "ENF-01",
    "hearing_request_workdays": "ENF-07",
    "hearing_notice_workdays": "ENF-07",
    "decision_days": "ENF-08",
    "service_workdays": "ENF-09",
    "payment_days": "ENF-14",
    "surcharge_permille_per_day": "ENF-14",
    "summary_max_fine_person": "ENF-12",
    "summary_max_fine_org": "ENF-12",
    "cash_max": "ENF-12",
    "cash_handover_workdays": "ENF-12",
    "major_fine_person": "ENF-04",
    "major_fine_org": "ENF-04",
    "major_confiscation": "ENF-07",
    "limitation_years": "ENF-15",
    "limitation_years_harm": "ENF-15",
    "filing_workdays": "ENF-15",
    "publication_workdays_penalty": "ENF-19",
    "publication_workdays_other": "ENF-19",
    "withdrawal_workdays": "ENF-11",
    "display_years": "ENF-21",
    "display_years_person": "ENF-20",
    "certificate_warning_days": "ENF-25",
}


def get(key: str) -> int:
    overrides = getattr(settings, "FAZHI_ENFORCEMENT", {}) or {}
    value = overrides.get(key, DEFAULTS[key])
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"FAZHI_ENFORCEMENT[{key!r}] must be a non-negative integer, got {value!r}")
    return value


@dataclass(frozen=True)
class Due:
    """A computed deadline as stored with the record."""

    due: date
    provisional: bool
    rule_text: str


def _wd(start: date, key: str) -> Due:
    n = get(key)
    d = add_workdays(start, n)
    return Due(d.due, d.provisional, f"{RULE_IDS[key]} {n}个工作日")


def _cal(start: date, key: str) -> Due:
    n = get(key)
    d = add_calendar_days(start, n)
    return Due(d.due, d.provisional, f"{RULE_IDS[key]} {n}日")


def filing_due(discovered_on: date) -> Due:
    """立案 within N WD of discovery (sector procedure rules; a setting)."""
    return _wd(discovered_on, "filing_workdays")


def statement_due(notice_served_on: date) -> Due:
    """ENF-07: hearing request (and statement) within 5 WD of the notice."""
    return _wd(notice_served_on, "hearing_request_workdays")


def earliest_hearing_date(notified_on: date) -> date:
    """ENF-07: the hearing is notified at least 7 WD before it is held."""
    return add_workdays(notified_on, get("hearing_notice_workdays")).due


def decision_due(filed_on: date) -> Due:
    """ENF-08: decide within 90 days of 立案."""
    return _cal(filed_on, "decision_days")


def service_due(decided_on: date) -> Due:
    """ENF-09: serve within 7 WD when not handed over on the spot."""
    return _wd(decided_on, "service_workdays")


def payment_due(served_on: date) -> Due:
    """ENF-14: pay within 15 days of receiving the decision."""
    return _cal(served_on, "payment_days")


def publication_due(decided_on: date, *, penalty: bool = True) -> Due:
    """ENF-19: 7 WD for 处罚 (and 许可) decisions, 20 WD for other decisions."""
    return _wd(decided_on, "publication_workdays_penalty" if penalty else "publication_workdays_other")


def withdrawal_due(changed_on: date) -> Due:
    """ENF-11: withdraw a changed or revoked decision within 3 WD."""
    return _wd(changed_on, "withdrawal_workdays")


def add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 Feb
        return d.replace(year=d.year + years, day=28)


def display_until(published_on: date, *, natural_person: bool) -> tuple[date, str]:
    """ENF-20/21: the last day a published decision stays on the portal."""
    key = "display_years_person" if natural_person else "display_years"
    n = get(key)
    return add_years(published_on, n), f"{RULE_IDS[key]} {n}年"


def limitation_ends(violation_ended_on: date, *, harm: bool) -> date:
    """ENF-15: the last day the violation may be discovered and punished."""
    return add_years(violation_ended_on, get("limitation_years_harm" if harm else "limitation_years"))


def limitation_expired(violation_ended_on: date | None, discovered_on: date, *, harm: bool) -> bool:
    if violation_ended_on is None:
        return False  # a continuing act: the period has not started
    return discovered_on > limitation_ends(violation_ended_on, harm=harm)


# ------------------------------------------------------------------ money

CENT = Decimal("0.01")


def surcharge(fine: Decimal, due: date, paid_on: date) -> Decimal:
    """ENF-14 (处罚法 art. 72): 3% of the fine per day late, capped at the fine.

    Days late are calendar days after ``due`` (the last day to pay) up to and
    including ``paid_on``. Pure; rounded to the cent.
    """
    fine = Decimal(fine)
    if fine <= 0 or paid_on <= due:
        return Decimal("0.00")
    days = (paid_on - due).days
    raw = fine * get("surcharge_permille_per_day") * days / Decimal(1000)
    return min(raw, fine).quantize(CENT, rounding=ROUND_HALF_UP)


def summary_limit(party_kind: str) -> Decimal:
    """ENF-12: the summary procedure's fine ceiling for the party kind."""
    return Decimal(get("summary_max_fine_person" if party_kind == "person" else "summary_max_fine_org"))


def major_fine_threshold(party_kind: str) -> Decimal:
    return Decimal(get("major_fine_person" if party_kind == "person" else "major_fine_org"))


# ------------------------------------------------------------ major cases


def major_reasons(case, *, fine: Decimal | None = None) -> list[str]:
    """Why a case needs 法制审核 before the decision (ENF-04), or [].

    Triggers: a fine at or above the threshold for the party kind, a large
    confiscation, revocation of a licence, an order to stop business, a
    hearing held, complexity, major public interest.
    """
    amount = fine if fine is not None else (case.intended_fine or case.fine_amount or Decimal(0))
    reasons = []
    if amount and Decimal(amount) >= major_fine_threshold(case.party_kind):
        reasons.append(f"罚款数额达到较大数额标准（{major_fine_threshold(case.party_kind)}元）")
    if case.confiscation_amount and case.confiscation_amount >= get("major_confiscation"):
        reasons.append("没收较大数额违法所得或非法财物")
    if case.revoke_licence:
        reasons.append("吊销许可证件或降低资质等级")
    if case.order_stop_business:
        reasons.append("责令停产停业、关闭或限制从业")
    if case.hearing_held_on:
        reasons.append("经过听证程序")
    if case.is_complex:
        reasons.append("案情复杂或涉及多个法律关系")
    if case.major_public_interest:
        reasons.append("涉及重大公共利益")
    return reasons


def is_major(case, *, fine: Decimal | None = None) -> bool:
    return bool(major_reasons(case, fine=fine))


def needs_discussion(case) -> bool:
    """ENF-05: complex or major cases are decided collectively by the leaders."""
    return is_major(case)


def hearing_must_be_offered(case) -> bool:
    """ENF-07: large fines or confiscations, revoked licences, orders to stop business."""
    amount = case.intended_fine or Decimal(0)
    return bool(
        amount >= major_fine_threshold(case.party_kind)
        or (case.confiscation_amount and case.confiscation_amount >= get("major_confiscation"))
        or case.revoke_licence
        or case.order_stop_business
    )


# ------------------------------------------------ required records (ENF-03)


@dataclass(frozen=True)
class RequiredRecord:
    record_type: str  # models.RecordType value
    label: str
    step: str  # the step that produces it
    applies: object = None  # callable(case) -> bool; None = always


# The records a case must hold before it can be closed (ENF-03 全过程记录),
# as data: (procedure -> rows). A row with ``applies`` only counts when the
# case went through that step.
REQUIRED_RECORDS = {
    "general": (
        RequiredRecord("filing_form", "立案审批表", "立案"),
        RequiredRecord("inquiry", "调查（询问）笔录", "调查取证"),
        RequiredRecord("notice_service", "告知书送达回证", "告知"),
        RequiredRecord("hearing_record", "听证笔录", "听证", lambda c: bool(c.hearing_held_on)),
        RequiredRecord("legal_review", "法制审核意见书", "法制审核", lambda c: bool(c.legal_review_required)),
        RequiredRecord("discussion", "集体讨论记录", "集体讨论", lambda c: bool(c.discussed_on)),
        RequiredRecord("decision", "行政处罚决定书", "决定"),
        RequiredRecord("decision_service", "决定书送达回证", "送达"),
        RequiredRecord("payment", "缴款凭证", "执行", lambda c: bool(c.fine_amount)),
    ),
    "summary": (
        RequiredRecord("spot_decision", "当场处罚决定书", "当场处罚"),
        RequiredRecord("payment", "缴款凭证", "执行", lambda c: bool(c.fine_amount)),
    ),
}


def required_records(case) -> tuple[RequiredRecord, ...]:
    return tuple(r for r in REQUIRED_RECORDS[case.procedure] if r.applies is None or r.applies(case))


def missing_records(case, present: set[str]) -> list[RequiredRecord]:
    """The required records of ``case`` whose type is not in ``present``."""
    return [r for r in required_records(case) if r.record_type not in present]
