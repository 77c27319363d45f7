"""Every selector of a unit-scoped model applies the unit scope (issue 14 item 7).

Found, not listed: every module of ``fazhi.modules.manifests()`` that has a
``selectors.py``, every public function there whose first parameter is
``user`` and whose other parameters can be given (a date, a year, defaults),
and whose answer for a user is a QuerySet of a model with a ``unit`` foreign
key. A new module or a new selector is checked without touching this test.

Two checks, because neither alone catches every forgotten scope:

* **The query.** A clerk of unit A must not get the query a 系统管理员 gets
  (``org.access.scope`` gives an administrator no filter at all): a selector
  that forgets the scope gives both the same SQL. Needs no rows, so it covers
  every selector, however hard its model is to build.
* **The rows.** Where the module's factories build the model with a ``unit``,
  one row is made for unit A and one for unit B, and the clerk of A must not
  get B's row: this catches a filter that is there but on the wrong field.

It sits in the shell's tests because the shell may import every module
(the kernel's tests may not; see .importlinter).
"""

import importlib
import inspect
from datetime import date

import factory
import pytest
from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import QuerySet

from fazhi import modules
from fazhi.org.models import Unit
from fazhi.org.tests.factories import UnitFactory, admin_user, person_with_role

TODAY = date(2026, 6, 15)
# Selectors whose answer is the same for every user by design, with the reason.
DISTRICT_WIDE: dict[str, str] = {}


def _selector_modules():
    for manifest in modules.manifests():
        try:
            yield manifest.label, importlib.import_module(f"fazhi.{manifest.label}.selectors")
        except ModuleNotFoundError:
            continue


def _arguments(func) -> dict | None:
    """Keyword arguments that fill every required parameter after ``user``, or
    None when one cannot be guessed (a pk, an object: a single-record getter)."""
    params = list(inspect.signature(func).parameters.values())
    if not params or params[0].name != "user":
        return None
    kwargs = {}
    for p in params[1:]:
        if p.default is not inspect.Parameter.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.name == "today":
            kwargs["today"] = TODAY
        elif p.name == "year":
            kwargs["year"] = TODAY.year
        else:
            return None
    return kwargs


def _unit_scoped(model) -> bool:
    try:
        field = model._meta.get_field("unit")
    except Exception:
        return False
    return isinstance(field, models.ForeignKey) and field.related_model is Unit


def _selectors():
    found = []
    for label, module in _selector_modules():
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or func.__module__ != module.__name__:
                continue
            kwargs = _arguments(func)
            if kwargs is not None:
                found.append(pytest.param(func, kwargs, id=f"{label}.{name}"))
    return found


def _sql(qs: QuerySet) -> str:
    try:
        return str(qs.query)
    except EmptyResultSet:
        return "<nothing>"


@pytest.fixture
def two_units():
    a, b = UnitFactory(name="甲局"), UnitFactory(name="乙局")
    return a, b, person_with_role("clerk", a).user, admin_user(UnitFactory(name="区政府"))


def _factory_for(model):
    """The module's factory for ``model`` (``fazhi/<app>/tests/factories.py``), if any."""
    try:
        module = importlib.import_module(f"fazhi.{model._meta.app_label}.tests.factories")
    except ModuleNotFoundError:
        return None
    for _, obj in inspect.getmembers(module, inspect.isclass):
        if (issubclass(obj, factory.django.DjangoModelFactory) and obj._meta.model is model
                and "unit" in obj._meta.declarations):
            return obj
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("func, kwargs", _selectors())
def test_a_clerk_never_gets_another_units_rows(func, kwargs, two_units):
    a, b, clerk, admin = two_units
    answer = func(clerk, **kwargs)
    if not isinstance(answer, QuerySet) or not _unit_scoped(answer.model):
        pytest.skip("不返回带单位的查询集")
    name = f"{func.__module__}.{func.__name__}"
    if name in DISTRICT_WIDE:
        pytest.skip(DISTRICT_WIDE[name])
    clerk_sql = _sql(answer)
    assert clerk_sql == "<nothing>" or clerk_sql != _sql(func(admin, **kwargs)), (
        f"{name} 给经办人和系统管理员同样的查询：忘了 org.access.scope？")

    make = _factory_for(answer.model)
    if make is None:
        return
    try:
        mine, theirs = make(unit=a), make(unit=b)
    except Exception as exc:  # a factory that needs more than a unit: the query check above stands
        pytest.skip(f"{make.__name__} 无法只按单位建立：{exc}")
    # A status filter may hide the new rows; what counts is that B's never shows.
    rows = set(func(clerk, **kwargs).values_list("pk", flat=True))
    assert theirs.pk not in rows, f"{name} 把乙局的记录给了甲局的经办人"
    assert mine.pk != theirs.pk


def test_the_check_finds_the_selectors_it_is_meant_to():
    ids = {p.id for p in _selectors()}
    assert {"normative_docs.docs_for", "enforcement.cases", "inspections.plans", "training.sessions_for",
            "ledger.measures_for", "major_decisions.decisions"} <= ids
