"""The checks and helpers every enforcement service shares: permissions
(``may``; ``by=None`` is the system), the cleaning of typed values into
Chinese ValidationErrors, row locks, the legal-order check, dates a person
entered (SYS-03), the head's capacity (SYS-01/02), number allocation and the
audit helper.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from fazhi.audit.services import record
from fazhi.core.dates import EnteredDate, entered_date
from fazhi.core.duties import ensure_not_own
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.core.models import allocate_number
from fazhi.enforcement import organs, rules
from fazhi.enforcement.models import EnforcementCode, PenaltyCase
from fazhi.enforcement.services.facts import case_context
from fazhi.enforcement.workflow import CASE_WORKFLOW
from fazhi.org import access
from fazhi.org.capacity import require_capacity
from fazhi.org.models import Person, Role, Unit

ACTION = "enforcement.{}.{}"

# Which permission each workflow action needs (on the case's unit).
ACTION_PERMISSIONS = {
    "file_case": "enforcement.approve",
    "reject_filing": "enforcement.approve",
    "notify": "enforcement.handle_case",
    "record_statement": "enforcement.handle_case",
    "waive_rights": "enforcement.handle_case",
    "request_hearing": "enforcement.handle_case",
    "schedule_hearing": "enforcement.handle_case",
    "hold_hearing": "enforcement.handle_case",
    "submit_legal_review": "enforcement.handle_case",
    "legal_review_pass": "enforcement.legal_review",
    "legal_review_fail": "enforcement.legal_review",
    "submit_discussion": "enforcement.handle_case",
    "record_discussion": "enforcement.approve",
    "decide": "enforcement.approve",
    "summary_decide": "enforcement.handle_case",
    "serve": "enforcement.handle_case",
    "record_payment": "enforcement.handle_case",
    "complete_execution": "enforcement.handle_case",
    "close": "enforcement.handle_case",
    "archive": "enforcement.handle_case",
    "transfer": "enforcement.handle_case",
    "resume": "enforcement.handle_case",
    "end_by_transfer": "enforcement.handle_case",
    "terminate": "enforcement.approve",
}


class _Unset:
    def __repr__(self):
        return "UNSET"

    def __bool__(self):
        return False


UNSET: Any = _Unset()


# ------------------------------------------------------------------ helpers

def _act(obj, what: str, verb: str, *, by, data: dict | None = None, unit=None):
    return record(obj, ACTION.format(what, verb), by=by, data=data or {}, unit=unit)


def may(user, permission: str, unit: Unit | None) -> bool:
    """``by=None`` (the system) may do everything."""
    if user is None:
        return True
    return access.allowed(user, permission, unit)


def _require(by, permission: str, unit: Unit | None, message: str = "您没有执行此操作的权限") -> None:
    if not may(by, permission, unit):
        raise PermissionDenied(message)


def _name(by) -> str:
    if by is None:
        return "系统"
    p = access.person_of(by)
    return p.name if p is not None else by.get_username()


def _clean(value, max_length: int, field: str, label: str, *, required: bool = False) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if required and not text:
        raise ValidationError(f"{label}不能为空", fields={field: f"请填写{label}"})
    if len(text) > max_length:
        raise ValidationError(f"{label}过长（最多{max_length}字）", fields={field: f"最多{max_length}字"})
    return text


def _date(value, field: str, label: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(f"{label}无效", fields={field: "请填写日期"})
    return value


def _money(value, field: str, label: str, *, required: bool = True) -> Decimal:
    if value in (None, "") and not required:
        return Decimal("0.00")
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{label}不是有效的金额", fields={field: "请填写金额（元）"})
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e12"):
        raise ValidationError(f"{label}不是有效的金额", fields={field: "金额须为0或正数"})
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(f"{label}最多保留两位小数", fields={field: "最多两位小数"})
    return amount.quantize(Decimal("0.01"))


def _choice(value, choices, field: str, label: str) -> str:
    if value not in choices.values:
        raise ValidationError(f"{label}无效", fields={field: f"请选择{label}"})
    return value


def _lock_case(case: PenaltyCase) -> PenaltyCase:
    return PenaltyCase.objects.select_for_update().select_related("unit").get(pk=case.pk)


def _check(case: PenaltyCase, action: str, by, today: date | None, **extra) -> None:
    """Authorise and check the legal order of ``action`` on ``case``."""
    _require(by, ACTION_PERMISSIONS[action], case.unit)
    ctx = case_context(case, today or date.min, action=action, **extra)
    CASE_WORKFLOW.check(case, action, ctx)


def _entered(value, *, today: date, label: str, field: str, after=(), reason: str = "") -> EnteredDate:
    """SYS-03: a date a person typed, checked against the server's ``today``
    and the steps it follows; see ``fazhi.core.dates.entered_date``."""
    today = _date(today, "today", "今天")
    return entered_date(value, today=today, label=label, field=field, after=after,
                        reason=_clean(reason, 500, "late_reason", "补录理由"))


def _handler_users(case: PenaltyCase) -> list:
    """The accounts that handle the case (its officers) or registered it (SYS-01)."""
    return [case.created_by_id, *case.case_officers.values_list("officer__person__user_id", flat=True)]


def _as_head(case: PenaltyCase, by, *, on: date, act: str) -> None:
    """An approval in the organ's name (立案, 延期, 决定, 终止): ``by`` did not
    handle or register the case (SYS-01) and holds the head role over the
    case's organ on ``on`` (SYS-02; 处罚法第五十七条: 行政机关负责人)."""
    if by is None:
        return
    ensure_not_own(by, *_handler_users(case), what=f"{act}本人承办或登记的案件")
    require_capacity(access.person_of(by), Role.HEAD, organs.organ_of(case.unit), on=on,
                     what=f"{act}的行政机关负责人")


def _leaders(case: PenaltyCase, members, *, on: date, field: str = "members") -> list[Person]:
    """The leaders at a collective discussion (ENF-05, ENF-08): at least
    ``discussion_min_members``, each holding the head role over the organ on
    ``on`` (SYS-02) and none handling the case (SYS-01)."""
    members = list({p.pk: p for p in members or []}.values())
    need = rules.get("discussion_min_members")
    if len(members) < need:
        raise ValidationError(f"集体讨论须由行政机关负责人{need}人以上参加，请选择参加讨论的负责人", rule="ENF-05",
                              fields={field: f"至少{need}名负责人"})
    organ = organs.organ_of(case.unit)
    handlers = set(_handler_users(case))
    for p in members:
        if p.user_id in handlers:
            raise ValidationError(f"{p.name}承办或登记本案，不能作为集体讨论的负责人（职责分离）", rule="SYS-01",
                                  fields={field: "承办人不得参加决定"})
        require_capacity(p, Role.HEAD, organ, on=on, what="集体讨论的行政机关负责人", field=field)
    return members


def _participants_text(members: list[Person], attendees: str) -> str:
    text = "、".join(f"{p.name}（{p.post}）" if p.post else p.name for p in members)
    return _clean(text + (f"；列席：{attendees}" if attendees else ""), 500, "attendees", "参加人员")


def _allocate(case: PenaltyCase, kind: str, year: int) -> str:
    """The next case or decision number in the organ's series (ENF-10): the
    代字 belongs to the organ that files and decides (organs.py); a code set
    on the handling unit before that rule existed is still honoured."""
    organ = organs.organ_of(case.unit)
    code = (EnforcementCode.objects.filter(unit=organ).first()
            or EnforcementCode.objects.filter(unit=case.unit).select_related("unit").first())
    if code is None:
        raise ValidationError(f"{organ}尚未设置执法文书代字，不能编号；请单位管理员在“执法文书代字”页面先设置",
                              rule="ENF-10")
    prefix = code.case_prefix if kind == "case" else code.decision_prefix
    purpose = f"{'立案' if kind == 'case' else '处罚决定'} {case.cause}"
    return allocate_number(issuer=code.unit.name, prefix=prefix, year=year, purpose=purpose).text
