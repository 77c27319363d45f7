"""Every date field in every form is the one ISO date widget (issue 13 §2 "Dates").

A ``<input type="date">`` shows only an ISO value; a form that rendered
"2026/03/02" opened empty and saving it blanked a stored date."""

import importlib
import importlib.util
import inspect
import pkgutil
import re
from datetime import date

import pytest
from django import forms
from django.conf import settings

from fazhi.core.widgets import DateInput

DAY = date(2026, 3, 2)
PORTAL_MODULES = "fazhi.portal.modules"
FORM_MODULES = [f"{app}.{mod}" for app in settings.INSTALLED_APPS if app.startswith("fazhi.")
                for mod in ("forms", "portal_views")] + [
    # The modules' public pages (by name: the kernel does not import the portal).
    f"{PORTAL_MODULES}.{m.name}.views"
    for m in pkgutil.iter_modules(importlib.util.find_spec(PORTAL_MODULES).submodule_search_locations)]


def form_classes():
    seen = []
    for name in FORM_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name and cls not in seen:
                seen.append(cls)
    return seen


def date_fields(cls):
    return [(n, f) for n, f in cls.base_fields.items() if isinstance(f, forms.DateField)
            and not isinstance(f, forms.DateTimeField)]


FORMS_WITH_DATES = [c for c in form_classes() if date_fields(c)]


def test_the_walk_finds_the_forms_with_dates():
    names = {c.__name__ for c in FORMS_WITH_DATES}
    assert {"EntityForm", "SessionForm", "TaskForm"} <= names, names
    assert len(FORMS_WITH_DATES) > 40


@pytest.mark.parametrize("cls", FORMS_WITH_DATES, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_date_field_renders_an_iso_date_input(cls):
    for name, field in date_fields(cls):
        assert isinstance(field.widget, DateInput), f"{cls.__name__}.{name}"
        html = field.widget.render(name, DAY)
        assert 'type="date"' in html and 'value="2026-03-02"' in html, f"{cls.__name__}.{name}: {html}"


def _try_instance(cls):
    """The form built with a date as initial, where its constructor needs no
    more than keyword choices we can guess; None when it needs real objects."""
    initial = {n: DAY for n, _ in date_fields(cls)}
    kwargs = {}
    for p in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        if p.kind is p.KEYWORD_ONLY and p.default is p.empty:
            if not p.name.endswith("choices"):
                return None
            kwargs[p.name] = []
    try:
        return cls(initial=initial, **kwargs)
    except Exception:  # needs objects from the database; covered by the class-level test
        return None


@pytest.mark.django_db
@pytest.mark.parametrize("cls", FORMS_WITH_DATES, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_a_built_form_shows_its_initial_date(cls):
    form = _try_instance(cls)
    if form is None:
        pytest.skip("constructor needs database objects")
    for name, _ in date_fields(cls):
        if name not in form.fields:
            continue
        html = str(form[name])
        assert 'type="date"' in html, html
        assert re.search(r'value="2026-03-02"', html), f"{cls.__name__}.{name}: {html}"


def test_iso_is_the_first_input_format():
    form = type("F", (forms.Form,), {"d": forms.DateField()})({"d": "2026-03-02"})
    assert form.is_valid() and form.cleaned_data["d"] == DAY
    assert str(type("G", (forms.Form,), {"d": forms.DateField()})(initial={"d": DAY})["d"]).count("2026-03-02") == 1
