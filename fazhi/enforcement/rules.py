"""The rules of 行政执法 as settings and pure functions (docs/rules.md §3).

Override any key in ``settings.FAZHI_ENFORCEMENT`` (a dict), e.g.::

    FAZHI_ENFORCEMENT = {"major_fine_person": 5000, "certificate_warning_days": 90,
                         "extension_max_days_by_field": {"种子": 30},
                         "review_bodies": {"示范区税务局": "国家税务总局示范市税务局"},
                         "court": "示范市铁路运输法院"}

Integers are read with ``get``, texts with ``text`` (``TEXT_DEFAULTS``) and
mappings (organ or field name -> value) with ``mapping`` (``MAPPING_KEYS``).

Every deadline computed from these values is stored with its due date, the
workdays "provisional" flag and a rule text ("ENF-09 7个工作日"), so a later
change of a setting never rewrites an old deadline.

Nothing here reads the clock or the database: callers pass ``today``.
"""

import sys
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from fazhi.core import local_rules
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
    # ENF-14: a last day that is a day off moves to the next working day (1) or not (0).
    # 行政处罚法 has no counting clause for "十五日"; the sector procedure rules
    # (市场监管、农业行政处罚程序规定, 期间) and 民法典第二百零三条 roll it over —
    # see docs/modules/enforcement.md "Periods".
    "payment_roll_over": 1,
    # ENF-08: one extension of the case period adds at most N days; a sector may
    # differ (``extension_max_days_by_field``, keyed by ViolationType.field).
    "extension_max_days": 30,
    # ENF-05/08: a collective discussion is held by at least N leaders (负责人) of the organ.
    "discussion_min_members": 2,
    # ENF-24: a fine outside the benchmark also needs a collective discussion (1) or
    # only stated reasons (0) — 国办发〔2022〕27号 (调整适用裁量基准, 经集体讨论).
    "outside_range_discussion": 1,
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
    "payment_roll_over": "ENF-14",
    "extension_max_days": "ENF-08",
    "discussion_min_members": "ENF-05",
    "outside_range_discussion": "ENF-24",
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


# Texts: the court named in every decision where the province concentrates
# administrative cases in one court (集中管辖; "" = the basic court of the
# organ's place, organs.court) and how fines are paid (处罚法第六十七条).
TEXT_DEFAULTS = {
    "court": "",
    "fine_bank": "指定的银行或者通过电子支付系统",
}
# Mappings: organ name -> 复议机关 / court (organs.py), violation-type field -> max extension days.
MAPPING_KEYS = ("review_bodies", "courts", "extension_max_days_by_field")


def _overrides() -> dict:
    return local_rules.in_force("FAZHI_ENFORCEMENT")


def get(key: str) -> int:
    value = _overrides().get(key, DEFAULTS[key])
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"FAZHI_ENFORCEMENT[{key!r}] must be a non-negative integer, got {value!r}")
    return value


def text(key: str) -> str:
    value = _overrides().get(key, TEXT_DEFAULTS[key])
    if not isinstance(value, str):
        raise ValueError(f"FAZHI_ENFORCEMENT[{key!r}] must be a text, got {value!r}")
    return value.strip()


def mapping(key: str) -> dict:
    if key not in MAPPING_KEYS:
        raise KeyError(key)
    value = _overrides().get(key, {}) or {}
    if not isinstance(value, dict):
        raise ValueError(f"FAZHI_ENFORCEMENT[{key!r}] must be a mapping, got {value!r}")
    return value


def extension_max_days(field: str = "") -> int:
    """ENF-08: the most days one extension may add for a sector (ViolationType.field)."""
    value = mapping("extension_max_days_by_field").get(field or "")
    if value is None:
        return get("extension_max_days")
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"FAZHI_ENFORCEMENT['extension_max_days_by_field'][{field!r}] must be a positive integer")
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
    """ENF-14: pay within 15 days of receiving the decision (处罚法第六十七条);
    a last day that is a day off rolls over to the next working day when
    ``payment_roll_over`` is set (a 调休 working Saturday is not a day off)."""
    n, roll = get("payment_days"), bool(get("payment_roll_over"))
    d = add_calendar_days(served_on, n, roll_over=roll)
    return Due(d.due, d.provisional, f"ENF-14 {n}日" + ("（末日遇法定节假日顺延）" if roll else ""))


# ---------------------------------------------------- the case period (ENF-08)


def excluded_days(stops, on: date) -> int:
    """Days the clock stood still up to ``on``: the union of the periods
    ``(start, end]`` of ``stops`` (start, end-or-None); a running stop runs to ``on``."""
    spans = sorted((s, min(e, on) if e else on) for s, e in stops)
    total, covered = 0, None  # covered: last day already counted
    for s, e in spans:
        lo = s if covered is None or covered < s else covered
        if e > lo:
            total += (e - lo).days
            covered = e
    return total


@dataclass(frozen=True)
class CaseDeadline:
    """The decision deadline of a filed case and how it was reached (ENF-08)."""

    due: date
    base_due: date
    days: int
    extension_days: int
    stop_days: int
    running_since: date | None
    lines: tuple[str, ...]

    @property
    def rule_text(self) -> str:
        text = f"ENF-08 {self.days}日"
        if self.extension_days:
            text += f"，经批准延长{self.extension_days}日"
        if self.stop_days or self.running_since:
            text += f"，不计入{self.stop_days}日" + ("（暂停中）" if self.running_since else "")
        return text


def decision_deadline(filed_on: date, *, extensions=(), stops=(), on: date) -> CaseDeadline:
    """ENF-08 (处罚法第六十条): 90 days from 立案, plus approved extensions,
    plus the days the law excludes (听证、检测检验检疫鉴定、公告; ``ClockStop``).

    ``extensions``: (days, note) pairs; ``stops``: (start, end-or-None, label)
    triples; ``on``: the day a running stop is counted to. Pure.
    """
    n = get("decision_days")
    base = decision_due(filed_on).due
    ext = sum(days for days, _ in extensions)
    stop_days = excluded_days([(s, e) for s, e, _ in stops], on)
    running = min((s for s, e, _ in stops if e is None), default=None)
    lines = [f"自立案之日（{filed_on.isoformat()}）起{n}日：{base.isoformat()}"]
    lines += [f"经批准延长{days}日（{note}）" for days, note in extensions]
    for s, e, label in stops:
        if e is None:
            lines.append(f"不计入期间：{label}，{s.isoformat()}起尚未结束（至{on.isoformat()}计"
                         f"{max((on - s).days, 0)}日）")
        else:
            lines.append(f"不计入期间：{label}，{s.isoformat()}至{e.isoformat()}（{(e - s).days}日）")
    if len(stops) > 1:
        lines.append(f"不计入天数合计{stop_days}日（重叠部分只计一次）")
    due = base + timedelta(days=ext + stop_days)
    lines.append(f"决定期限：{due.isoformat()}" + ("（不计入期间尚未结束，期限随之顺延）" if running else ""))
    return CaseDeadline(due=due, base_due=base, days=n, extension_days=ext, stop_days=stop_days,
                        running_since=running, lines=tuple(lines))


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


def surcharge(fine: Decimal, due: date, settle_on: date, payments=()) -> Decimal:
    """ENF-14 (处罚法第七十二条第一款第一项): 3% a day of the part of the fine still
    unpaid, from the day after ``due`` (the last day to pay) up to and
    including ``settle_on``; capped at the part unpaid when the period ended.

    ``payments``: (paid_on, amount) of the fine (not of the surcharge). A
    payment on a late day still counts that day on the balance before it.
    Pure; rounded to the cent.
    """
    fine = Decimal(fine)
    rows = sorted((d, Decimal(a)) for d, a in payments)
    unpaid = fine - sum((a for d, a in rows if d <= due), Decimal(0))
    if unpaid <= 0 or settle_on <= due:
        return Decimal("0.00")
    rate = Decimal(get("surcharge_permille_per_day")) / Decimal(1000)
    total, balance, since = Decimal(0), unpaid, due
    for paid_on, amount in rows:
        if paid_on <= due or paid_on > settle_on:
            continue
        total += balance * rate * (paid_on - since).days
        balance, since = balance - amount, paid_on
        if balance <= 0:
            break
    if balance > 0:
        total += balance * rate * (settle_on - since).days
    return min(total, unpaid).quantize(CENT, rounding=ROUND_HALF_UP)


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


# Records that are evidence of the facts (处罚法第四十六条: 书证、物证、视听资料、
# 当事人的陈述、勘验笔录、现场笔录…): a decision needs at least one on file, and
# the notice and the decision list them.
EVIDENCE_RECORDS = ("inspection", "inquiry", "evidence", "statement", "hearing_record")


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


LOCAL_RULES = local_rules.RuleGroup.declare(
    "FAZHI_ENFORCEMENT", "行政执法", sys.modules[__name__],
    {**DEFAULTS, **TEXT_DEFAULTS, **{key: {} for key in MAPPING_KEYS}}, rule_ids=RULE_IDS, notes={
        "court": "ENF-13: 集中管辖时各决定书写明的人民法院（空 = 作出机关所在地基层人民法院）",
        "fine_bank": "ENF-14: 缴纳罚款的方式（处罚法第六十七条）",
        "review_bodies": "ENF-13: 作出机关名称 → 复议机关，省内另有规定时（默认本级人民政府，行政复议法第二十四条）",
        "courts": "ENF-13: 作出机关名称 → 管辖法院",
        "extension_max_days_by_field": "ENF-08: 按违法行为领域（ViolationType.field）设定一次延期的最长天数",
    })
