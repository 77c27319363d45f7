"""Control characters (issue 11): refused at input on a staff form, a public
comment form and the API, nothing changed; a record that already holds one
still downloads as a .docx."""

from datetime import timedelta
from io import BytesIO

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fazhi.audit.models import AuditEntry
from fazhi.normative_docs import services
from fazhi.normative_docs.models import Comment, NormDoc, Status
from fazhi.normative_docs.tests.factories import TEXT, make_doc
from fazhi.normative_docs.tests.test_views import DOCX, client_for

pytestmark = pytest.mark.django_db


def test_a_staff_form_refuses_a_control_character_and_saves_nothing(nd):
    response = client_for(nd.clerk_a).post(reverse("normative_docs:create"), {
        "title": "关于农机补贴的管理办法\x01", "unit": nd.a.pk, "issuer": nd.a.pk, "text": TEXT})
    assert response.status_code == 400
    assert "控制字符（U+0001）" in response.content.decode()
    assert not NormDoc.objects.exists() and not AuditEntry.objects.exists()


def test_a_public_comment_with_a_control_character_is_refused_and_nothing_saved(client):
    doc = make_doc("drafting")
    today = timezone.localdate()
    c = services.start_consultation(doc, by=None, start_on=today - timedelta(days=1), end_on=today + timedelta(days=40), today=today - timedelta(days=1))
    response = client.post(reverse("normative_docs_portal:consultation", args=[c.pk]),
                           {"article_no": "第二条", "content": "建议\x01明确范围", "name": "李四"})
    assert response.status_code == 400 and "控制字符" in response.content.decode()
    assert not Comment.objects.exists()


def test_an_api_field_with_a_control_character_is_refused_in_chinese_and_nothing_changes(nd):
    doc = make_doc(unit=nd.a)
    before = AuditEntry.objects.count()
    api = APIClient()
    api.force_authenticate(nd.clerk_a)
    response = api.post(reverse("api:normdocs:doc_action", args=[doc.pk, "start_consultation"]),
                        {"start_on": "2026-03-02", "end_on": "2026-03-31", "note": "说明\x01"}, format="json")
    assert response.status_code == 400
    assert "控制字符（U+0001）" in response.json()["error"]["message"]
    doc.refresh_from_db()
    assert doc.status == Status.DRAFTING and AuditEntry.objects.count() == before


def _stored_with_control_characters(unit=None):
    """A published document whose title and text hold control characters, as
    data stored before the input check would."""
    doc = make_doc("published", unit=unit)
    NormDoc.objects.filter(pk=doc.pk).update(title="关于\x01农业补贴的\x0b管理办法")
    version = doc.current_version
    type(version).objects.filter(pk=version.pk).update(text=version.text.replace("第一条", "第一条\x07\x1f", 1))
    return doc


def test_a_stored_control_character_still_downloads_as_docx_on_staff_pages(nd):
    doc = _stored_with_control_characters(nd.a)
    response = client_for(nd.clerk_a).get(reverse("normative_docs:docx", args=[doc.pk]))
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    paragraphs = [p.text for p in docx.Document(BytesIO(response.content)).paragraphs]
    assert "关于农业补贴的管理办法" in paragraphs


def test_a_stored_control_character_still_downloads_as_docx_on_the_portal(client):
    doc = _stored_with_control_characters()
    response = client.get(reverse("normative_docs_portal:download", args=[doc.pk]))
    assert response.status_code == 200
    docx.Document(BytesIO(response.content))


def test_an_uploaded_text_loses_its_control_characters(nd):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("办法.txt", TEXT.replace("第一条", "第一条\x01", 1).encode("utf-8"))
    client_for(nd.clerk_a).post(reverse("normative_docs:create"), {
        "title": "上传的办法", "unit": nd.a.pk, "issuer": nd.a.pk, "upload": upload})
    assert "\x01" not in NormDoc.objects.get(title="上传的办法").current_version.text
