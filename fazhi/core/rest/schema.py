"""The OpenAPI schema says what the API really answers.

``AutoSchema`` (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]) adds to every
operation the error responses any request can get — the one error body of
fazhi/core/rest/errors.py — unless the view declared them itself:

* 400 bad input (a query parameter, a body, malformed JSON),
* 401 no or a bad token (also on public endpoints: a bad token is refused),
* 403 not allowed, 404 not found or outside the user's scope,
* 409 a step out of legal order,
* 413/415 for operations that take a body (too large; not JSON/form data),
* 429 throttled,
* 414 a request line longer than the web server takes: gunicorn (or the
  proxy in front of it) refuses it before Django sees it, with its own
  page, so it is declared without a body.

``union_fields`` builds the request body of an ``actions/<action>/``
endpoint: every field any of its steps takes (the step's own serializer
decides which are required).
"""

import copy

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

from fazhi.core.rest.errors import ErrorSerializer

ERRORS = {
    "400": "请求参数或数据有误",
    "401": "未认证或令牌无效",
    "403": "没有权限",
    "404": "记录不存在或无权查看",
    "409": "当前状态下不能执行该操作（error.rule 为依据的规则）",
    "429": "请求过于频繁",
}
SERVER_REFUSALS = {
    "414": "请求地址过长（由 Web 服务器拒绝，不经过本系统，无 JSON 正文）",
}
BODY_ERRORS = {
    "413": "请求数据过大",
    "415": "不支持的请求数据格式",
}


def _model_allows_blank(field) -> bool:
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    try:
        return bool(model and model._meta.get_field(field.source).blank)
    except Exception:  # not a model field (a method, a dotted source)
        return False


class AutoSchema(SpectacularAutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # DRF drops allow_blank from read-only model fields, so a blank choice
        # (e.g. a case not yet served has no service_method) would be missing from the enum.
        if (isinstance(field, serializers.ChoiceField) and field.read_only and "enum" in schema
                and "" not in schema["enum"] and _model_allows_blank(field)):
            schema["enum"] = [*schema["enum"], ""]
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = dict(ERRORS)
        if self.method in ("POST", "PUT", "PATCH"):
            errors.update(BODY_ERRORS)
        for code, description in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
            if not responses[code].get("description"):
                responses[code]["description"] = description
        for code, description in SERVER_REFUSALS.items():
            responses.setdefault(code, {"description": description})
        return dict(sorted(responses.items()))


def union_fields(serializer_classes) -> dict:
    """The request schema of an action endpoint: every field of every step's
    input, none required (which fields a step takes is in its description)."""
    out: dict = {}
    for cls in serializer_classes:
        for name, field in cls().fields.items():
            if name not in out and not field.read_only:
                # A declared field is re-created from its arguments whenever
                # the serializer is used: say "not required" there.
                field = copy.deepcopy(field)
                field._kwargs = {**field._kwargs, "required": False}
                out[name] = field
    return out
