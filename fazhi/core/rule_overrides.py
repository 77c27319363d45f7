"""Every write of the page 地方规则: a system administrator sets a
place-dependent rule (``fazhi.core.local_rules``) without a deploy, or puts it
back to the environment's value or the default.

Each write locks the rule's row, checks the value exactly as the start-up
check does (``local_rules._type_error``), keeps a ``LocalRuleChange`` and an
audit entry in the same transaction, and drops the cached values so every
process reads the new one. Deadlines already computed keep the rule text
they were computed with (e.g. "NDOC-12 15日"); only later ones use the change.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from fazhi.core import local_rules
from fazhi.core.errors import NotFound, ValidationError, ensure
from fazhi.core.models import LocalRuleChange, LocalRuleOverride
from fazhi.envconf import parse_rule_value

PERMISSION = "core.manage_local_rules"
REASON_MAX = 500


def can_manage_local_rules(user) -> bool:
    """系统管理员 only: the permission is granted by no role (core MANIFEST)."""
    from fazhi.org import access

    return access.allowed(user, PERMISSION)


@dataclass(frozen=True)
class Found:
    group: local_rules.RuleGroup
    rule: local_rules.Rule

    @property
    def name(self) -> str:
        return f"{self.group.setting}__{self.rule.key.upper()}"


def find(setting: str, key: str) -> Found:
    from fazhi import modules

    for group in modules.local_rules():
        if group.setting == setting:
            rule = group.rule(key)
            if rule is not None:
                return Found(group, rule)
    raise NotFound("没有这条地方规则")


def _actor_name(by) -> str:
    from fazhi.org import access

    person = access.person_of(by)
    return person.name if person else by.get_username()


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写修改理由（将记入留痕）", fields={"reason": "必填"})
    if len(reason) > REASON_MAX:
        raise ValidationError(f"理由不超过 {REASON_MAX} 字", fields={"reason": "过长"})
    return reason


def _forget_on_commit() -> None:
    # Now, so this transaction reads its own change; on commit, so a process
    # that filled the cache from the old row meanwhile does not keep it.
    local_rules.forget_admin_overrides()
    transaction.on_commit(local_rules.forget_admin_overrides)


@transaction.atomic
def set_rule(setting: str, key: str, *, raw: str, reason: str, by, now=None) -> LocalRuleChange:
    """Put ``raw`` (as typed: ``30``, ``true``, ``[3, 1]``, ``{"种子": 20}``, text)
    in force for the rule, over the environment and the default."""
    ensure(can_manage_local_rules(by), "只有系统管理员可以修改地方规则")
    found = find(setting, key)
    rule = found.rule
    if not rule.runtime:
        raise ValidationError(f"{found.name} 只能在部署时通过环境变量设置（涉及服务器资源限制）")
    reason = _reason(reason)
    try:
        value = parse_rule_value(raw or "")
    except ValueError:
        raise ValidationError(f"{found.name}：不是有效的 JSON，实际为“{raw}”", fields={"value": "格式有误"})
    error = local_rules._type_error(rule.default, value)
    if error:
        raise ValidationError(f"{found.name}：{error}，实际为“{(raw or '').strip()}”", fields={"value": error})
    now = now or timezone.now()
    current = LocalRuleOverride.objects.select_for_update().filter(setting=setting, key=rule.key).first()
    old = current.value if current else None
    name = _actor_name(by)
    LocalRuleOverride.objects.update_or_create(
        setting=setting, key=rule.key,
        defaults={"value": value, "reason": reason, "set_by": by, "set_by_name": name, "set_at": now})
    change = LocalRuleChange.objects.create(
        setting=setting, key=rule.key, action=LocalRuleChange.SET, old_value=old, new_value=value,
        reason=reason, changed_by=by, changed_by_name=name, changed_at=now)
    _audit(change, "core.local_rule.set", found, by=by, old=old, new=value, reason=reason)
    _forget_on_commit()
    return change


@transaction.atomic
def reset_rule(setting: str, key: str, *, reason: str, by, now=None) -> LocalRuleChange:
    """Remove the admin screen's value: the environment's value or the default
    applies again."""
    ensure(can_manage_local_rules(by), "只有系统管理员可以修改地方规则")
    found = find(setting, key)
    reason = _reason(reason)
    current = LocalRuleOverride.objects.select_for_update().filter(setting=setting, key=found.rule.key).first()
    if current is None:
        raise ValidationError(f"{found.name} 未在管理界面设置，无需恢复")
    now = now or timezone.now()
    old = current.value
    current.delete()
    change = LocalRuleChange.objects.create(
        setting=setting, key=found.rule.key, action=LocalRuleChange.RESET, old_value=old, new_value=None,
        reason=reason, changed_by=by, changed_by_name=_actor_name(by), changed_at=now)
    _audit(change, "core.local_rule.reset", found, by=by, old=old, new=None, reason=reason)
    _forget_on_commit()
    return change


def _audit(change: LocalRuleChange, action: str, found: Found, *, by, old, new, reason: str) -> None:
    from fazhi.audit import services as audit

    audit.record(change, action, by=by, object_repr=f"地方规则 {found.name}", data={
        "setting": found.group.setting, "key": found.rule.key, "rule": found.rule.rule_id,
        "old": old, "new": new, "reason": reason})


def history(setting: str | None = None, key: str | None = None, limit: int = 50) -> list[LocalRuleChange]:
    rows = LocalRuleChange.objects.all()
    if setting:
        rows = rows.filter(setting=setting)
    if key:
        rows = rows.filter(key=key)
    return list(rows[:limit])
