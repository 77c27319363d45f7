"""The checks every inspections service shares: permission (``may``, ``by=None``
is the system), the cleaning of typed values into Chinese ValidationErrors,
row locks, the audit helper and the credit-code check (RAND-03).
"""

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from fazhi.audit import services as audit
from fazhi.core.actors import Actor
from fazhi.core.errors import ValidationError
from fazhi.inspections import rules
from fazhi.org import access
from fazhi.org.credit_code import credit_code_error
from fazhi.org.models import Unit


class _Unset:
    def __repr__(self):
        return "UNSET"

    def __bool__(self):
        return False


UNSET: Any = _Unset()


# ------------------------------------------------------------------ helpers


def _audit(obj, what: str, verb: str, *, by: Actor, data: dict | None = None, unit=UNSET):
    kw = {} if unit is UNSET else {"unit": unit}
    return audit.record(obj, f"inspections.{what}.{verb}", by=by, data=data or {}, **kw)


def may(user, permission: str, unit: Unit | None = None) -> bool:
    """``org.access.may`` with ``permission`` given without the app prefix."""
    return access.may(user, f"inspections.{permission}", unit)


def _require(by: Actor, permission: str, unit: Unit | None, message: str = "您没有执行此操作的权限") -> None:
    access.require_actor(by, f"inspections.{permission}", unit, message)


def _clean(value, max_length: int, field: str, label: str, *, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise ValidationError(f"{label}不能为空", fields={field: f"请填写{label}"})
    if len(text) > max_length:
        raise ValidationError(f"{label}过长（最多{max_length}字）", fields={field: f"最多{max_length}字"})
    return text


def _date(value, field: str, label: str) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError(f"{label}无效", fields={field: "请填写日期"})
    return value


def _choice(value, choices, field: str, label: str) -> str:
    if value not in choices.values:
        raise ValidationError(f"{label}无效", fields={field: f"请选择{label}"})
    return value


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _str_list(values, field: str, label: str) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = [v for v in values.replace("，", ",").replace("、", ",").split(",")]
    out = []
    for v in values:
        text = str(v).strip()
        if text and text not in out:
            if len(text) > 100:
                raise ValidationError(f"{label}“{text[:20]}…”过长", fields={field: "最多100字"})
            out.append(text)
    return out


def _lock(model, obj):
    return model.objects.select_for_update(of=("self",)).select_related("unit").get(pk=obj.pk)


def _normalise_code(code) -> str:
    return (code or "").strip().upper()


def check_credit_code(code: str, field: str = "credit_code") -> str:
    """A normalised credit code, or ValidationError naming what is wrong (RAND-03, GB 32100)."""
    code = _normalise_code(code)
    if not code:
        raise ValidationError("统一社会信用代码不能为空", fields={field: "请填写统一社会信用代码"},
                              rule=rules.RULE_POOLS)
    message = credit_code_error(code)
    if message:
        raise ValidationError(f"{message}：{code}", fields={field: message}, rule=rules.RULE_POOLS)
    return code
