import pytest
from django import forms

from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.core.http import refused_onto


class _Form(forms.Form):
    title = forms.CharField()


def _bound():
    form = _Form({"title": "x"})
    assert form.is_valid()
    return form


def test_a_service_that_goes_through_is_ok_and_leaves_the_form_clean():
    form = _bound()
    with refused_onto(form) as outcome:
        pass
    assert outcome.ok and not form.errors


def test_a_refusal_lands_on_its_field_and_on_top_with_the_rule():
    form = _bound()
    with refused_onto(form) as outcome:
        raise ValidationError("标题重复（ND-01）", fields={"title": "已有同名文件", "nope": "无此字段"})
    assert not outcome.ok
    assert form.errors["title"] == ["已有同名文件"]
    assert "标题重复（ND-01）" in form.non_field_errors()[0]


def test_permission_denied_is_not_a_form_error_it_passes_on_to_403():
    form = _bound()
    with pytest.raises(PermissionDenied), refused_onto(form):
        raise PermissionDenied("无权办理")
    assert not form.errors


def test_other_exceptions_are_not_swallowed():
    with pytest.raises(KeyError), refused_onto(_bound()):
        raise KeyError("x")
