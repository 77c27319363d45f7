"""The explicit list of modules that declare 考核指标.

Each module declares ``INDICATORS`` (a tuple of
``fazhi.core.indicators.IndicatorSource``) in its own ``indicators.py``; the
formula lives beside the records it reads. This list is written by hand
(STYLE: explicit over magic): an indicator appears only when its module is
installed (``django.apps.apps.is_installed``) and its ``indicators.py``
exists. A missing ``indicators.py`` (a module that declares none yet) is
skipped; any other import error is raised, never swallowed.
"""

from collections.abc import Callable
from functools import cache

from django.apps import apps

from fazhi.core.indicators import IndicatorSource


def _normative_docs():
    import fazhi.normative_docs.indicators as indicators

    return indicators


def _major_decisions():
    import fazhi.major_decisions.indicators as indicators

    return indicators


def _enforcement():
    import fazhi.enforcement.indicators as indicators

    return indicators


def _training():
    import fazhi.training.indicators as indicators

    return indicators


def _inspections():
    import fazhi.inspections.indicators as indicators

    return indicators


def _ledger():
    import fazhi.ledger.indicators as indicators

    return indicators


# (app label, dotted app name, loader) in display order.
MODULES: tuple[tuple[str, str, Callable], ...] = (
    ("normative_docs", "fazhi.normative_docs", _normative_docs),
    ("major_decisions", "fazhi.major_decisions", _major_decisions),
    ("enforcement", "fazhi.enforcement", _enforcement),
    ("inspections", "fazhi.inspections", _inspections),
    ("training", "fazhi.training", _training),
    ("ledger", "fazhi.ledger", _ledger),
)


def _load(app_name: str, loader: Callable):
    try:
        return loader()
    except ModuleNotFoundError as exc:
        # Only "this module has no indicators.py (yet)"; a missing import
        # *inside* an indicators.py is a bug and must surface.
        if exc.name == f"{app_name}.indicators":
            return None
        raise


@cache
def _all() -> tuple[IndicatorSource, ...]:
    out: list[IndicatorSource] = []
    seen: set[str] = set()
    for label, app_name, loader in MODULES:
        if not apps.is_installed(app_name):
            continue
        module = _load(app_name, loader)
        if module is None:
            continue
        for ind in getattr(module, "INDICATORS", ()):
            if ind.code in seen:
                raise ValueError(f"indicator {ind.code} declared twice")
            if ind.count is None or ind.records is None:
                raise ValueError(f"indicator {ind.code} of {label} has no count/records")
            seen.add(ind.code)
            out.append(ind)
    return tuple(out)


def indicators() -> tuple[IndicatorSource, ...]:
    """Every indicator of the installed modules, in display order."""
    return _all()


def get(code: str) -> IndicatorSource | None:
    return next((i for i in _all() if i.code == code), None)


def module_titles() -> dict[str, str]:
    """App label -> the module's Chinese title (from its AppConfig)."""
    out = {}
    for label, app_name, _ in MODULES:
        if apps.is_installed(app_name):
            out[label] = apps.get_app_config(label).verbose_name
    return out


def reset() -> None:
    """Forget the loaded list (tests that change INSTALLED_APPS)."""
    _all.cache_clear()
