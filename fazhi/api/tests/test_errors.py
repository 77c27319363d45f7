"""The exception handler maps every kind of error to the one Chinese shape."""

import pytest
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions as drf
from rest_framework import serializers

from fazhi.core import errors as domain
from fazhi.core.rest.errors import exception_handler


def handle(exc):
    resp = exception_handler(exc, {})
    return resp.status_code, resp.data["error"], resp


def test_domain_errors_keep_their_message_and_rule():
    status, err, _ = handle(domain.TransitionRefused("尚未完成合法性审核，不能提交集体讨论", rule="NDOC-3"))
    assert status == 409
    assert err == {"code": "transition_refused", "message": "尚未完成合法性审核，不能提交集体讨论",
                   "rule": "NDOC-3", "fields": {}}


def test_not_authenticated_is_401_in_chinese():
    status, err, resp = handle(drf.NotAuthenticated())
    assert status == 401 and err["message"].startswith("身份未认证")
    assert "WWW-Authenticate" in resp


def test_permission_denied_is_403_in_chinese():
    status, err, _ = handle(drf.PermissionDenied())
    assert status == 403 and err["message"] == "您没有执行此操作的权限"


def test_permission_denied_keeps_a_custom_message():
    _, err, _ = handle(drf.PermissionDenied("只能查看本单位的案件"))
    assert err["message"] == "只能查看本单位的案件"


def test_django_permission_denied_is_403():
    status, err, _ = handle(DjangoPermissionDenied())
    assert status == 403 and err["message"] == "您没有执行此操作的权限"


@pytest.mark.parametrize("exc", [drf.NotFound("No Case matches the given query."), Http404("No Case")])
def test_not_found_never_leaks_the_model_name(exc):
    status, err, _ = handle(exc)
    assert status == 404 and err["message"] == "记录不存在或无权查看"


def test_method_not_allowed_is_405():
    status, err, _ = handle(drf.MethodNotAllowed("PUT"))
    assert status == 405 and err["code"] == "method_not_allowed"


def test_parse_error_is_chinese():
    status, err, _ = handle(drf.ParseError("JSON parse error - Expecting value"))
    assert status == 400 and err["message"] == "请求数据格式错误，无法解析"


def test_throttled_says_when_to_retry():
    status, err, resp = handle(drf.Throttled(wait=9))
    assert status == 429 and "10 秒" in err["message"] and resp["Retry-After"] == "10"


class _Payload(serializers.Serializer):
    title = serializers.CharField(max_length=5)
    year = serializers.IntegerField()


def test_validation_errors_become_a_fields_dict_in_chinese():
    s = _Payload(data={"title": ""})
    assert not s.is_valid()
    status, err, _ = handle(drf.ValidationError(s.errors))
    assert status == 400
    assert err["code"] == "invalid"
    assert err["message"] == "提交的数据有误，请检查标出的字段"
    assert err["fields"] == {"title": ["该字段不能为空。"], "year": ["该字段是必填项。"]}


def test_untranslated_field_messages_are_replaced_by_chinese():
    from django.utils import translation

    with translation.override("en"):
        s = _Payload(data={"title": "toolong"})
        assert not s.is_valid()
        _, err, _ = handle(drf.ValidationError(s.errors))
    assert err["fields"]["year"] == ["该字段为必填项"]
    assert err["fields"]["title"] == ["长度超出限制"]


def test_nested_validation_errors_are_flattened():
    status, err, _ = handle(drf.ValidationError({"items": [{}, {"name": ["必填"]}], "meta": {"a": ["错"]}}))
    assert err["fields"] == {"items.1.name": ["必填"], "meta.a": ["错"]}


def test_non_field_validation_error_becomes_the_message():
    _, err, _ = handle(drf.ValidationError({"non_field_errors": ["开始日期不能晚于结束日期"]}))
    assert err["message"] == "开始日期不能晚于结束日期" and err["fields"] == {}


def test_plain_validation_error_becomes_the_message():
    _, err, _ = handle(drf.ValidationError("文号格式不正确"))
    assert err["message"] == "文号格式不正确"


def test_django_validation_error_is_400_with_fields():
    status, err, _ = handle(DjangoValidationError({"credit_code": ["统一社会信用代码校验位错误"]}))
    assert status == 400 and err["fields"] == {"credit_code": ["统一社会信用代码校验位错误"]}


def test_unknown_exceptions_are_left_to_django():
    assert exception_handler(RuntimeError("bug"), {}) is None
