"""Reading configuration from the environment — loudly.

Every setting comes from an environment variable with a default that works
locally. A bad value stops start-up with a Chinese message naming the
variable, instead of running with a guess. ``NAME_FILE`` may hold a path to
a file with the value (Docker/Kubernetes secrets).
"""

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str | None:
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"环境变量 {name}_FILE 指向的文件无法读取：{path}（{exc}）")
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = env_str(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"环境变量 {name} 应为 true/false，实际为“{raw}”")


def env_int(name: str, default: int) -> int:
    raw = env_str(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name} 应为整数，实际为“{raw}”")


def env_rate(name: str, default: str) -> str:
    """A request rate like ``60/min`` (DRF throttling: number / sec|min|hour|day)."""
    raw = (env_str(name) or "").strip() or default
    number, _, period = raw.partition("/")
    if not (number.isdigit() and int(number) > 0 and period[:1] in ("s", "m", "h", "d")):
        raise ImproperlyConfigured(f"环境变量 {name} 应为“次数/时段”，如 60/min，实际为“{raw}”")
    return raw


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env_str(name)
    if raw is None or raw.strip() == "":
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def parse_database_url(url: str, base_dir: Path) -> dict:
    """Turn ``DATABASE_URL`` into a Django DATABASES entry.

    Supported: ``sqlite:///relative/or/absolute/path`` and
    ``postgres://user:pass@host:port/name`` (also ``postgresql://``).
    Anything else is refused with a message that says what is accepted.
    """
    hint = "支持的格式：sqlite:///var/fazhi.sqlite3 或 postgres://用户:密码@主机:端口/库名"
    try:
        parts = urlsplit(url)
    except ValueError:
        raise ImproperlyConfigured(f"DATABASE_URL 格式错误：“{url}”。{hint}")
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        raw = unquote(parts.path)
        if parts.netloc:
            raise ImproperlyConfigured(f"DATABASE_URL 格式错误：sqlite 地址应写作 sqlite:///路径。{hint}")
        if raw in ("", "/"):
            raise ImproperlyConfigured(f"DATABASE_URL 缺少 SQLite 文件路径。{hint}")
        # sqlite:///var/x.sqlite3 is relative to the project; sqlite:////abs/x is absolute.
        path = raw[1:] if raw.startswith("/") and not raw.startswith("//") else raw[1:]
        name = path if path == ":memory:" else str((base_dir / path) if not Path(path).is_absolute() else Path(path))
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE"},
        }
    if scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL 缺少数据库名。{hint}")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"DATABASE_URL 端口无效：“{url}”。{hint}")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            # Test DB is made from template0 in UTF-8 so that pg_trgm sees Chinese
            # characters (the `C` locale finds no trigrams in them).
            "TEST": {"TEMPLATE": "template0", "CHARSET": "UTF8"},
        }
    raise ImproperlyConfigured(f"DATABASE_URL 的数据库类型“{scheme or '（空）'}”不受支持。{hint}")


def env_group(prefix: str) -> dict:
    """One module's place-dependent rules (地方规则) from the environment:
    ``FAZHI_NORMDOCS__FILING_DAYS=30`` gives ``{"filing_days": 30}`` for the
    prefix ``FAZHI_NORMDOCS``. Whole numbers become ints, ``true``/``false``
    bools, ``[...]``/``{...}`` JSON (e.g. ``[3, 31]`` for a month and day, or a
    mapping); anything else stays text (e.g. ``0.3`` for a share, kept exact).
    Whether a key exists and has the right type is checked at start-up against
    the module's declared defaults (``fazhi.core.local_rules``)."""
    start = f"{prefix}__"
    out: dict = {}
    for name in sorted(os.environ):
        if not name.startswith(start) or name.endswith("_FILE"):
            continue
        key, raw = name[len(start):].lower(), env_str(name) or ""
        try:
            out[key] = parse_rule_value(raw)
        except ValueError as exc:
            raise ImproperlyConfigured(f"环境变量 {name} 不是有效的 JSON：{exc}")
    return out


def parse_rule_value(raw: str):
    """One place-dependent rule's value as written in the environment or on the
    admin screen 地方规则: a whole number, ``true``/``false``, JSON for ``[...]``
    and ``{...}``, anything else text. Raises ValueError for bad JSON."""
    import json
    import re

    raw = raw.strip()
    if re.fullmatch(r"-?\d+", raw):
        return int(raw)
    if raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    if raw[:1] in "[{" and raw:
        return json.loads(raw)
    return raw
