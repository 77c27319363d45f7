"""Text XML cannot carry: the character class, and its refusal at input (issue 11)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory

from fazhi.core.middleware import RefuseControlCharacters
from fazhi.core.text import clean, has_bad

BAD = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\ud800", "\udfff", "\ufffe", "\uffff"]
GOOD = ["\t", "\n", "\r", " ", "法", "\u2028", "\ufffd", "\U0001f600", "\x7f", "\x85"]


@pytest.mark.parametrize("ch", BAD)
def test_characters_xml_cannot_carry_are_found_and_removed(ch):
    assert has_bad(f"a{ch}b") and clean(f"a{ch}b") == "ab"


@pytest.mark.parametrize("ch", GOOD)
def test_characters_xml_allows_are_kept(ch):
    assert not has_bad(f"a{ch}b") and clean(f"a{ch}b") == f"a{ch}b"


def test_what_clean_leaves_goes_into_a_docx_and_an_xlsx():
    import docx
    from openpyxl import Workbook

    text = clean("".join(BAD + GOOD))
    docx.Document().add_paragraph(text)
    Workbook().active.append([text])


# ------------------------------------------------------------------ middleware

def respond(request):
    request.reached = True
    return HttpResponse("ok")


def run(request):
    return RefuseControlCharacters(respond)(request)


@pytest.fixture
def rf():
    return RequestFactory()


def test_a_form_field_with_a_control_character_is_refused_before_the_view(rf, db):
    from django.contrib.auth.models import AnonymousUser

    request = rf.post("/normdocs/create/", {"title": "办法\x01", "text": "正文"})
    request.user = AnonymousUser()
    response = run(request)
    assert response.status_code == 400 and not hasattr(request, "reached")
    text = response.content.decode()
    assert "控制字符（U+0001）" in text and "“title”" in text and "没有改变任何数据" in text


def test_a_portal_form_is_refused_with_the_portal_page(rf, db):
    from django.contrib.auth.models import AnonymousUser

    request = rf.post("/portal/normdocs/consultations/1/", {"content": "意见\x0b"})
    request.user = AnonymousUser()
    response = run(request)
    assert response.status_code == 400 and "政务公开" in response.content.decode()


def test_a_query_parameter_is_refused(rf, db):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/normdocs/", {"q": "\x00"})
    request.user = AnonymousUser()
    assert run(request).status_code == 400


def test_a_nested_json_value_is_refused_in_the_api_error_shape(rf):
    request = rf.post("/api/v1/x/", json.dumps({"items": [{"name": "甲\u0002"}]}), content_type="application/json")
    response = run(request)
    assert response.status_code == 400 and not hasattr(request, "reached")
    error = json.loads(response.content)["error"]
    assert error["code"] == "invalid" and "控制字符（U+0002）" in error["message"]
    assert list(error["fields"]) == ["items.0.name"]


def test_a_lone_surrogate_in_json_is_refused(rf):
    request = rf.patch("/api/v1/x/", '{"title": "\\ud800"}', content_type="application/json")
    assert run(request).status_code == 400


def test_a_json_key_is_checked_too(rf):
    request = rf.put("/api/v1/x/", json.dumps({"a\u0001": 1}), content_type="application/json")
    assert run(request).status_code == 400


def test_no_uploaded_file_name_reaches_a_view_with_a_control_character(rf, db):
    request = rf.post("/ledger/plans/upload/", {"file": SimpleUploadedFile("a\x01.txt", b"x")})
    response = run(request)
    assert response.status_code == 400 or not has_bad(request.FILES["file"].name)


def test_clean_input_passes_untouched(rf):
    request = rf.post("/api/v1/x/", json.dumps({"t": "第一行\n\t第二行\r\n", "n": -1, "z": None}),
                      content_type="application/json")
    assert run(request).status_code == 200 and request.reached
    request = rf.post("/x/", {"t": "正常\r\n文字"})
    assert run(request).status_code == 200


def test_malformed_json_is_left_to_the_parser(rf):
    request = rf.post("/api/v1/x/", "{not json", content_type="application/json")
    assert run(request).status_code == 200
