"""The plan upload refuses a decompression bomb before python-docx opens it
(issue 11: a 0.7 MB .docx took a worker past 1.3 GB)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.core.testing import docx_bomb, docx_with_members
from fazhi.ledger.models import Plan
from fazhi.ledger.tests.test_views import client_for
from fazhi.ledger.views import SESSION_KEY


@pytest.fixture
def no_python_docx(monkeypatch):
    """Fail the test if python-docx is asked to open anything."""
    import docx

    def refuse(*a, **kw):
        raise AssertionError("python-docx opened the upload")

    monkeypatch.setattr(docx, "Document", refuse)


def post(lg, data: bytes):
    return client_for(lg.fzb).post(reverse("ledger:plan_upload"), {
        "unit": lg.gov.pk, "file": SimpleUploadedFile("plan.docx", data)})


def test_a_docx_bomb_is_refused_before_parsing_with_a_chinese_message(lg, settings, no_python_docx):
    settings.UPLOAD_UNZIPPED_MAX_MB = 2
    buf = io.BytesIO()
    docx_bomb(buf, 3 * 1024 * 1024)
    resp = post(lg, buf.getvalue())
    body = resp.content.decode()
    assert resp.status_code == 400 and "方案文件解压后超过 2 MB（上限）" in body and "已拒绝处理" in body
    assert not Plan.objects.exists() and SESSION_KEY not in resp.wsgi_request.session


def test_a_docx_of_many_members_is_refused_before_parsing(lg, settings, no_python_docx):
    settings.UPLOAD_ZIP_MAX_MEMBERS = 100
    buf = io.BytesIO()
    docx_with_members(buf, 200)
    resp = post(lg, buf.getvalue())
    assert resp.status_code == 400 and "压缩成员" in resp.content.decode()
    assert not Plan.objects.exists()


def test_control_characters_of_an_uploaded_plan_are_removed(lg):
    from fazhi.ledger.tests.conftest import PLAN_TEXT

    resp = client_for(lg.fzb).post(reverse("ledger:plan_upload"), {
        "unit": lg.gov.pk, "file": SimpleUploadedFile("p.txt", PLAN_TEXT.replace("推进", "推\x01进").encode())})
    assert resp.status_code == 200
    assert "\x01" not in resp.wsgi_request.session[SESSION_KEY]["text"]
