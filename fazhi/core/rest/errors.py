"""One JSON error shape for the whole API:

    {"error": {"code": "...", "message": "中文说明", "rule": "NDOC-12" | null, "fields": {...}}}

The shape itself is built by ``fazhi.core.errors.error_body`` (the kernel's
middleware answers in it too, so it lives below the API). Domain errors
(fazhi.core.errors) carry their own Chinese message and rule.
DRF's and Django's own exceptions are mapped by *type* to fixed Chinese
sentences — never ``str(exc)``, which may be English or leak internals
(model names in a 404, parser details in a 400).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions as drf
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import set_rollback

from fazhi.core.errors import DomainError, error_body

# DRF error codes of field errors -> Chinese. Used when a field message came
# out untranslated (no Chinese in it, e.g. a language other than zh-hans was
# active); messages a serializer wrote itself in Chinese are kept as they are.
FIELD_MESSAGES = {
    "required": "该字段为必填项",
    "null": "该字段不能为空",
    "blank": "该字段不能为空",
    "invalid_choice": "不是有效的选项",
    "does_not_exist": "所选记录不存在",
    "incorrect_type": "类型不正确",
    "not_a_list": "应为列表",
    "empty": "列表不能为空",
    "unique": "该值已存在",
    "date": "日期格式错误，应为 YYYY-MM-DD",
    "datetime": "时间格式错误",
    "invalid": "格式不正确",
    "max_length": "长度超出限制",
    "min_length": "长度不足",
    "max_value": "数值超出上限",
    "min_value": "数值低于下限",
}


class ErrorSerializer(serializers.Serializer):
    """The schema of every error body (declared on every operation by fazhi.core.rest.schema)."""

    error = inline_serializer("ErrorBody", {
        "code": serializers.CharField(),
        "message": serializers.CharField(),
        "rule": serializers.CharField(allow_null=True),
        "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    })


def _messages(detail) -> list[str]:
    if isinstance(detail, (list, tuple)):
        out: list[str] = []
        for d in detail:
            out.extend(_messages(d))
        return out
    if isinstance(detail, dict):
        out = []
        for d in detail.values():
            out.extend(_messages(d))
        return out
    text = str(detail)
    if _has_chinese(text):
        return [text]
    return [FIELD_MESSAGES.get(getattr(detail, "code", None) or "", "输入不正确")]


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def flatten_fields(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail -> {"field": [...], "items.0.name": [...]}."""
    fields: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict) or (
                isinstance(value, list) and value and all(isinstance(v, dict) for v in value)
            ):
                fields.update(flatten_fields(value, name))
            else:
                fields[name] = _messages(value)
    elif isinstance(detail, list):
        for i, value in enumerate(detail):
            if value:  # many=True: {} for rows without errors
                fields.update(flatten_fields(value, f"{prefix}.{i}" if prefix else str(i)))
    return fields


def _drf_error(exc, method: str = "") -> tuple[int, dict, dict]:
    """(status, body, headers) for a DRF APIException."""
    headers: dict[str, str] = {}
    if isinstance(exc, drf.ValidationError):
        if isinstance(exc.detail, dict):
            fields = flatten_fields(exc.detail)
            general = fields.pop("non_field_errors", None)
            message = general[0] if general and not fields else "提交的数据有误，请检查标出的字段"
            if general and fields:
                fields["non_field_errors"] = general
            return 400, error_body("invalid", message, fields=fields), headers
        messages = _messages(exc.detail)
        return 400, error_body("invalid", messages[0] if messages else "提交的数据有误"), headers
    if isinstance(exc, drf.AuthenticationFailed):
        # Always 401 with a challenge, also when SessionAuthentication comes first.
        headers["WWW-Authenticate"] = 'Token realm="api"'
        return 401, error_body("authentication_failed", "身份认证失败：令牌无效或账号已停用"), headers
    if isinstance(exc, drf.NotAuthenticated):
        headers["WWW-Authenticate"] = 'Token realm="api"'
        return 401, error_body("not_authenticated", "身份未认证，请先登录或提供有效令牌"), headers
    if isinstance(exc, drf.PermissionDenied):
        # A permission class may give its own (Chinese) message; DRF's default is replaced.
        custom = str(exc.detail) if str(exc.detail) != str(drf.PermissionDenied.default_detail) else ""
        return 403, error_body("forbidden", custom or "您没有执行此操作的权限"), headers
    if isinstance(exc, drf.NotFound):
        return 404, error_body("not_found", "记录不存在或无权查看"), headers
    if isinstance(exc, drf.MethodNotAllowed):
        message = f"不支持该请求方法{('：' + method) if method else ''}"
        return 405, error_body("method_not_allowed", message), headers
    if isinstance(exc, drf.NotAcceptable):
        return 406, error_body("not_acceptable", "无法按请求的格式（Accept）返回数据"), headers
    if isinstance(exc, drf.UnsupportedMediaType):
        return 415, error_body("unsupported_media_type", "不支持的请求数据格式，请使用 JSON"), headers
    if isinstance(exc, drf.ParseError):
        return 400, error_body("parse_error", "请求数据格式错误，无法解析"), headers
    if isinstance(exc, drf.Throttled):
        # Throttled sets wait in __init__; the stubs do not declare it.
        wait = getattr(exc, "wait", None)
        message = f"请求过于频繁，请 {int(wait) + 1} 秒后再试" if wait else "请求过于频繁，请稍后再试"
        if wait:
            headers["Retry-After"] = str(int(wait) + 1)
        return 429, error_body("throttled", message), headers
    return exc.status_code, error_body("error", "请求未能完成"), headers


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = error_body(exc.code, exc.message, rule=exc.rule, fields=exc.fields)
        return Response(body, status=exc.status)
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body("too_large", "请求数据过大"), status=413)
    if isinstance(exc, SuspiciousOperation):
        return Response(error_body("bad_request", "请求格式错误"), status=400)
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied(str(exc) or None)
    elif isinstance(exc, DjangoValidationError):
        exc = drf.ValidationError(
            {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if not isinstance(exc, drf.APIException):
        return None  # a bug: let Django log it and answer 500
    request = context.get("request")
    status, body, headers = _drf_error(exc, getattr(request, "method", "") or "")
    view = context.get("view")
    if isinstance(exc, drf.MethodNotAllowed) and view is not None:
        headers["Allow"] = ", ".join(view.allowed_methods)
    response = Response(body, status=status)
    for name, value in headers.items():
        response[name] = value
    # As DRF's own handler does: an error inside ATOMIC_REQUESTS rolls back.
    set_rollback()
    return response
