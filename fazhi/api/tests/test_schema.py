"""The OpenAPI schema says what the API really answers (issue 11)."""

import pytest
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator

from fazhi.core.rest import params

ERROR_REF = {"$ref": "#/components/schemas/Error"}
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if method in METHODS:
                yield path, method, op


def test_every_operation_declares_the_error_responses_with_the_error_body(schema):
    missing = []
    for path, method, op in operations(schema):
        for code in ("400", "401", "403", "404", "409", "429"):
            body = op["responses"].get(code, {}).get("content", {}).get("application/json", {}).get("schema")
            if body != ERROR_REF:
                missing.append(f"{method.upper()} {path} {code}")
    assert missing == []


def test_every_operation_declares_the_web_servers_414_without_a_body(schema):
    for path, method, op in operations(schema):
        assert "content" not in op["responses"]["414"], f"{method} {path}"


def test_operations_with_a_body_declare_413_and_415(schema):
    for path, method, op in operations(schema):
        if method in ("post", "put", "patch"):
            assert {"413", "415"} <= set(op["responses"]), f"{method} {path}"


def test_id_path_parameters_are_bounded_integers(schema):
    for path, _method, op in operations(schema):
        for p in op.get("parameters", []):
            if p["in"] == "path" and p["name"] in ("id", "person_id", "unit"):
                assert p["schema"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}, path


def test_the_path_schemas_in_settings_are_those_of_the_converters():
    assert settings.SPECTACULAR_SETTINGS["PATH_CONVERTER_OVERRIDES"] == params.PATH_SCHEMAS


@pytest.mark.parametrize("path, fields", [
    ("/api/v1/decisions/decisions/{id}/actions/{action}/", {"reason", "pool", "votes", "opinion"}),
    ("/api/v1/enforcement/cases/{id}/actions/{action}/", {"officers", "days", "reply_on", "archive_no"}),
    ("/api/v1/normdocs/docs/{id}/actions/{action}/", {"effective_on", "proposal", "package"}),
])
def test_action_endpoints_declare_every_field_of_their_steps(schema, path, fields):
    ref = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert fields <= set(body["properties"])
    # The server's date is the only today (issue 12 §0): no action offers the client one.
    assert "today" not in body["properties"] and "now" not in body["properties"]
    assert "required" not in body  # which fields a step needs is the step's own validation (400)


def test_paginated_lists_say_so(schema):
    ok = schema["paths"]["/api/v1/ledger/supervision/"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PaginatedSupervisionList"}


@pytest.mark.parametrize("path", ["/api/v1/workdays/add/", "/api/v1/workdays/count/", "/api/v1/workdays/calendar/"])
def test_the_workday_endpoints_describe_their_answers(schema, path):
    op = schema["paths"][path]["get"]
    assert "$ref" in op["responses"]["200"]["content"]["application/json"]["schema"]
    assert {p["name"] for p in op["parameters"] if p.get("required")}


def test_serializers_of_the_same_name_get_their_own_components(schema):
    names = set(schema["components"]["schemas"])
    assert {"AnnualReport", "AnnualReportDetail", "ProgressReport", "AttendanceReport"} <= names
    assert "Report" not in names


def test_a_blank_choice_of_a_model_is_in_the_schema(schema):
    prop = schema["components"]["schemas"]["CaseDetail"]["properties"]["service_method"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in prop["oneOf"]


def test_the_docx_download_declares_its_content_type(schema):
    ok = schema["paths"]["/api/v1/reports/{id}/docx/"]["get"]["responses"]["200"]
    assert list(ok["content"]) == ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
