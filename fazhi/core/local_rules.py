"""Place-dependent rules (地方规则): one declaration per module, checked at start-up.

The law leaves some figures to the province or county (how many days a
normative document has to be filed, how many hours of training an officer
needs, which court hears an organ's cases). Each module declares its figures
once, in ``fazhi/<app>/rules.py``: a ``DEFAULTS`` dict whose keys are the
rules, whose values are the national or most common defaults, and whose
comment lines above each key say what it is and where it comes from (the
rule ID of ``docs/rules.md`` first). The module exposes them as a
``RuleGroup`` named ``LOCAL_RULES``, listed in ``fazhi.modules.local_rules()``.

A county sets a rule in the environment as ``<setting>__<KEY>`` (e.g.
``FAZHI_NORMDOCS__FILING_DAYS=30``; ``fazhi.envconf.env_group``) or, in a
settings file, in the ``<setting>`` dict. At start-up the system check
``fazhi.E101`` refuses a key no module declares and a value whose type does
not match its default, so a typo cannot silently leave the national default
in force. ``manage.py local_rules`` lists every rule with the value in force
and where it came from; docs/deploy.md carries the same table.

A system administrator may also set a rule on the staff page 地方规则
(``fazhi.shell.local_rules_views``; writes in ``fazhi.core.rule_overrides``,
audited, with history), except the rules a module declares ``deploy_only``
(resource limits that must match the server, e.g. the largest import).
Precedence: 管理界面 > 环境设置 > 默认. The values set there are read
through the Django cache (``admin_overrides``), never one query per lookup,
and dropped from it when one changes, so every process sees the change.

The unit of a figure is named in the key (``_workdays`` 工作日,
``_days`` 日, ``_months`` 个月, ``_years`` 年, ``_hours`` 学时, ``_minutes``
分钟, ``_mb`` MB): a deadline in working days never hides behind a bare
number.
"""

import inspect
import re
from dataclasses import dataclass, field
from types import ModuleType

from django.conf import settings
from django.core.cache import cache

UNITS = (
    ("_workdays", "工作日"), ("_days", "日"), ("_months", "个月"), ("_years", "年"),
    ("_hours", "学时"), ("_minutes", "分钟"), ("_mb", "MB"), ("_bytes", "字节"),
)
RULE_ID = re.compile(r"\b([A-Z]{2,5}-\d{2})\b")

# Where each value in force comes from, in order of precedence.
ADMIN, ENVIRONMENT, DEFAULT = "管理界面", "环境设置", "默认"
CACHE_KEY = "fazhi:local_rules:admin"


@dataclass(frozen=True)
class Rule:
    key: str
    default: object
    unit: str
    rule_id: str
    note: str
    runtime: bool = True  # may be set on the admin screen (False: environment only)


@dataclass(frozen=True)
class RuleGroup:
    setting: str  # the settings dict, also the environment prefix: FAZHI_NORMDOCS
    title: str  # 规范性文件
    rules: tuple[Rule, ...] = field(default=())

    @classmethod
    def declare(cls, setting: str, title: str, module: ModuleType, defaults: dict, *,
                rule_ids: dict | None = None, notes: dict | None = None,
                deploy_only: tuple[str, ...] = ()) -> "RuleGroup":
        """The group of ``module`` (its rules.py): notes are the comment lines
        written above each key of ``defaults`` in that file (a key right below
        another shares its comment), the docstring's bullet for the key, or
        given in ``notes``. ``deploy_only`` keys are set in the environment
        only, never on the admin screen."""
        notes = {**_comments_above_keys(inspect.getsource(module)), **(notes or {})}
        rule_ids = rule_ids or {}
        rules = []
        for key, default in defaults.items():
            note = notes.get(key, "")
            found = RULE_ID.search(note)
            rules.append(Rule(key, default, unit_of(key), rule_ids.get(key) or (found.group(1) if found else ""),
                              note, runtime=key not in deploy_only))
        return cls(setting, title, tuple(rules))

    def overrides(self) -> dict:
        """The values set in the environment or a settings file (checked at start-up)."""
        return getattr(settings, self.setting, None) or {}

    def rule(self, key: str) -> Rule | None:
        lowered = key.lower()
        return next((r for r in self.rules if r.key.lower() == lowered), None)

    def value(self, rule: Rule) -> tuple[object, str]:
        """The value in force and where it comes from (管理界面 / 环境设置 / 默认)."""
        admin = admin_overrides().get(self.setting, {})
        if rule.key in admin:
            return admin[rule.key], ADMIN
        overrides = self.overrides()
        for key in (rule.key, rule.key.lower()):
            if key in overrides:
                return overrides[key], ENVIRONMENT
        return rule.default, DEFAULT


def in_force(setting: str) -> dict:
    """The overrides of one group as its module reads them: the environment's
    (or settings file's) with the admin screen's on top. Every module's rules
    accessor reads this instead of ``settings.<setting>``."""
    base = getattr(settings, setting, None) or {}
    admin = admin_overrides().get(setting)
    if not admin:
        return base
    # The environment gives lower-case keys, a settings file may give the
    # declared case: the admin value replaces either.
    merged = {k: v for k, v in base.items() if k.lower() not in {a.lower() for a in admin}}
    merged.update(admin)
    return merged


def admin_overrides() -> dict[str, dict[str, object]]:
    """{setting: {declared key: value}} of the rules set on the admin screen,
    from the cache; one query fills it. A stored value that no longer fits its
    rule (the rule was removed, or its type changed in a release) is left out,
    so the environment or the default applies and the page shows it."""
    data = cache.get(CACHE_KEY)
    if data is None:
        from fazhi import modules
        from fazhi.core.models import LocalRuleOverride

        groups = {g.setting: g for g in modules.local_rules()}
        data = {}
        for setting, key, value in LocalRuleOverride.objects.values_list("setting", "key", "value"):
            group = groups.get(setting)
            rule = group.rule(key) if group else None
            if rule is not None and rule.runtime and _type_error(rule.default, value) is None:
                data.setdefault(setting, {})[rule.key] = value
        # With Redis every process sees a change at once (the key is deleted); with
        # the per-process memory cache, other processes within this many seconds.
        cache.set(CACHE_KEY, data, settings.FAZHI_LOCAL_RULES_CACHE_SECONDS)
    return data


def forget_admin_overrides() -> None:
    cache.delete(CACHE_KEY)


def unit_of(key: str) -> str:
    lowered = f"{key.lower()}_"
    return next((name for suffix, name in UNITS if f"{suffix}_" in lowered), "")


def _comments_above_keys(source: str) -> dict[str, str]:
    notes: dict[str, str] = {}
    pending: list[str] = []
    last = ""
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            pending.append(stripped.lstrip("#").strip())
            continue
        match = re.match(r'"([A-Za-z_]+)"\s*:', stripped)
        if match:
            last = " ".join(pending) if pending else last
            if last:
                notes.setdefault(match.group(1), last)
        else:
            last = ""
        pending = []
    # Modules that explain their keys in the docstring instead, as bullets:
    # * ``OFFICER_HOURS`` — ENF-26: at least 60 学时 ... (up to the next bullet or blank line)
    for match in re.finditer(r"^\* ``([A-Za-z_]+)``(?: / ``([A-Za-z_]+)``)? — (.+?)(?=^\* |^\s*$)",
                             source, re.M | re.S):
        text = " ".join(match.group(3).split())
        for key in filter(None, match.group(1, 2)):
            notes.setdefault(key, text)
    return notes


def _type_error(default, value) -> str | None:
    if isinstance(default, bool):
        return None if isinstance(value, bool) else "应为 true 或 false"
    if isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return None if ok else "应为非负整数"
    if isinstance(default, str):
        if not isinstance(value, str):
            return "应为文字"
        # A share kept as exact text (random_share_target "0.3") must stay a number.
        if _is_decimal(default) and not _is_decimal(value):
            return f"应为数字，如 {default}"
        return None
    if isinstance(default, tuple):
        ok = (isinstance(value, (list, tuple)) and len(value) == len(default)
              and all(isinstance(v, int) and not isinstance(v, bool) for v in value))
        return None if ok else f"应为 {len(default)} 个整数，如 {list(default)}"
    if isinstance(default, dict):
        return None if isinstance(value, dict) else "应为对照表（JSON 对象）"
    return None


def _is_decimal(text: str) -> bool:
    return bool(re.fullmatch(r"\d+(\.\d+)?", text.strip()))


def problems(groups) -> list[str]:
    """Every override that names no declared rule or has the wrong type."""
    found = []
    for group in groups:
        for key, value in group.overrides().items():
            rule = group.rule(key)
            env_name = f"{group.setting}__{key.upper()}"
            if rule is None:
                known = "、".join(r.key.lower() for r in group.rules)
                found.append(f"{env_name}：{group.title}没有名为“{key}”的规则（可设：{known}）")
                continue
            error = _type_error(rule.default, value)
            if error:
                found.append(f"{env_name}：{error}，实际为 {value!r}")
    return found


def markdown(groups) -> str:
    """The table of docs/deploy.md (regenerate with ``manage.py local_rules --markdown``)."""
    lines = []
    for group in groups:
        lines += [f"#### {group.title}（`{group.setting}`）", "",
                  "| 环境变量 | 默认值 | 单位 | 规则 | 管理界面可改 | 说明 |", "|---|---|---|---|---|---|"]
        for r in group.rules:
            default = shown(r.default)
            note = r.note.replace("|", "／")
            runtime = "是" if r.runtime else "否"
            lines.append(f"| `{group.setting}__{r.key.upper()}` | `{default}` | {r.unit} | {r.rule_id} | {runtime} "
                         f"| {note} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def shown(value) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list, dict)):
        return json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)
    return str(value) if value != "" else "（空）"
