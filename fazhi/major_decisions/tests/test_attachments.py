"""附件 (MDEC-14): files filed under a step, checked by content, audited,
packed into the dossier zip under a folder per step with their SHA-256,
downloadable only by those who may see the decision."""

import hashlib
import io
import json
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.major_decisions import dossier, services
from fazhi.major_decisions.models import Attachment, AttachmentStep, Status
from fazhi.major_decisions.tests.conftest import drive
from fazhi.major_decisions.tests.factories import DecisionFactory, EntryFactory
from fazhi.major_decisions.tests.test_views import body, client_for

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def decision(md):
    return drive(md, Status.LEGAL_REVIEW)


def pdf(name="送审材料.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_it_files_an_upload_under_its_step_with_hash_and_audit(md, decision, media):
    att = services.attach_file(decision, by=md.u.clerk_a, step=AttachmentStep.LEGAL_REVIEW, title="送审稿",
                               upload=pdf())
    assert (att.step, att.content_type, att.size, att.extension) == ("legal_review", "application/pdf", len(PDF),
                                                                     ".pdf")
    assert att.sha256 == hashlib.sha256(PDF).hexdigest()
    assert att.original_name == "送审材料.pdf" and att.uploaded_by_name == "承办人甲"
    assert att.file.read() == PDF
    entry = AuditEntry.objects.get(action="major_decisions.attachment.added")
    assert entry.data["sha256"] == att.sha256 and entry.data["step"] == "legal_review"


def test_it_refuses_a_file_whose_content_is_not_an_allowed_type_and_saves_nothing(md, decision, media):
    fake = SimpleUploadedFile("合同.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    with pytest.raises(ValidationError, match="文件类型不符"):
        services.attach_file(decision, by=md.u.clerk_a, step=AttachmentStep.DRAFT, title="草案", upload=fake)
    assert not Attachment.objects.exists()
    assert not AuditEntry.objects.filter(action="major_decisions.attachment.added").exists()
    assert stored_files(media) == []


def test_it_refuses_a_file_over_the_size_limit(md, decision, settings):
    settings.UPLOAD_MAX_MB = 1
    big = pdf(data=PDF + b"0" * (1024 * 1024))
    with pytest.raises(ValidationError, match="文件过大"):
        services.attach_file(decision, by=md.u.clerk_a, step=AttachmentStep.DRAFT, title="草案", upload=big)
    assert not Attachment.objects.exists()


def test_only_the_steps_actor_may_attach(md, decision):
    # The sponsor's clerk may not file the meeting's minutes (集体讨论 is the government's).
    with pytest.raises(PermissionDenied):
        services.attach_file(decision, by=md.u.clerk_a, step=AttachmentStep.DISCUSSION, title="会议纪要",
                             upload=pdf())
    with pytest.raises(PermissionDenied):
        services.attach_file(decision, by=md.u.clerk_b, step=AttachmentStep.DRAFT, title="草案", upload=pdf())
    att = services.attach_file(decision, by=md.u.head_gov, step=AttachmentStep.DISCUSSION, title="会议纪要",
                               upload=pdf())
    assert att.step == "discussion"


def test_the_same_file_twice_under_one_step_is_refused(md, decision):
    services.attach_file(decision, by=md.u.clerk_a, step=AttachmentStep.DRAFT, title="草案", upload=pdf())
    with pytest.raises(Exception, match="已上传"):
        services.attach_file(decision, by=md.u.clerk_a, step=AttachmentStep.DRAFT, title="草案", upload=pdf())
    assert Attachment.objects.count() == 1


def test_the_zip_holds_each_attachment_in_its_step_folder_with_matching_hash(md, decision):
    a = services.attach_file(decision, by=md.u.clerk_a, step=AttachmentStep.LEGAL_REVIEW, title="送审稿",
                             upload=pdf())
    b = services.attach_file(decision, by=md.u.clerk_a, step=AttachmentStep.DRAFT, title="现场照片",
                             upload=SimpleUploadedFile("photo.png", PNG))
    z = zipfile.ZipFile(io.BytesIO(dossier.build_dossier_zip(decision)))
    manifest = json.loads(z.read("manifest.json"))
    listed = {x["name"]: x for x in manifest["attachments"]}
    path_a = f"附件/05-合法性审查/{a.pk}-送审材料.pdf"
    path_b = f"附件/01-草案/{b.pk}-photo.png"
    assert set(listed) == {path_a, path_b}
    assert z.read(path_a) == PDF and z.read(path_b) == PNG
    assert listed[path_a]["sha256"] == hashlib.sha256(z.read(path_a)).hexdigest() == a.sha256
    assert listed[path_a]["intact"] is True and listed[path_a]["step"] == "合法性审查"
    assert {f["name"]: f["sha256"] for f in manifest["files"]}[path_b] == b.sha256
    # Folders follow the legal order.
    assert list(listed) == [path_b, path_a]


def test_the_docx_lists_attachments_under_their_step(md, decision):
    a = services.attach_file(decision, by=md.u.clerk_a, step=AttachmentStep.LEGAL_REVIEW, title="送审稿",
                             upload=pdf())
    document = docx.Document(io.BytesIO(dossier.build_dossier_docx(decision)))
    paragraphs = [(p.text, p.style.name) for p in document.paragraphs]

    def chapter(word):
        return paragraphs.index(next((t, s) for t, s in paragraphs if s == "Heading 1" and word in t))

    assert any(t.startswith("本环节附件（1件") for t, _ in paragraphs[chapter("合法性审查"):chapter("集体讨论")])
    assert not any(t.startswith("本环节附件") for t, _ in paragraphs[:chapter("合法性审查")])
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert a.sha256 in cells and "送审材料.pdf" in cells
    assert [t for t, s in paragraphs if s == "Heading 1"] == dossier.HEADINGS


def test_the_page_uploads_and_lists_and_downloads(md, decision):
    c = client_for(md.u.clerk_a)
    url = reverse("major_decisions:attachment_add", args=[decision.pk])
    r = c.post(url, {"att-step": "legal_review", "att-title": "送审稿", "att-file": pdf()})
    assert r.status_code == 302
    att = Attachment.objects.get()
    page = body(c.get(reverse("major_decisions:decision_detail", args=[decision.pk])))
    assert "送审材料.pdf" in page and "上传附件" in page
    r = c.get(reverse("major_decisions:attachment_download", args=[decision.pk, att.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert r["Content-Type"] == "application/pdf" and "attachment" in r["Content-Disposition"]


def test_the_page_shows_a_refused_upload_and_saves_nothing(md, decision):
    c = client_for(md.u.clerk_a)
    url = reverse("major_decisions:attachment_add", args=[decision.pk])
    r = c.post(url, {"att-step": "draft", "att-title": "草案",
                     "att-file": SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>")})
    assert r.status_code == 400 and "文件类型不符" in body(r)
    assert not Attachment.objects.exists()


def test_another_units_clerk_gets_404_on_download_and_upload(md, decision):
    att = services.attach_file(decision, by=md.u.clerk_a, step=AttachmentStep.DRAFT, title="草案", upload=pdf())
    c = client_for(md.u.clerk_b)
    assert c.get(reverse("major_decisions:attachment_download", args=[decision.pk, att.pk])).status_code == 404
    r = c.post(reverse("major_decisions:attachment_add", args=[decision.pk]),
               {"att-step": "draft", "att-title": "x", "att-file": pdf()})
    assert r.status_code == 404


def test_an_attachment_of_another_decision_is_404(md, decision):
    att = services.attach_file(decision, by=md.u.clerk_a, step=AttachmentStep.DRAFT, title="草案", upload=pdf())
    other = DecisionFactory(entry=EntryFactory(catalogue=md.cat, sponsor_unit=md.a))
    c = client_for(md.u.clerk_a)
    assert c.get(reverse("major_decisions:attachment_download", args=[other.pk, att.pk])).status_code == 404


def test_a_step_the_user_may_not_file_is_403(md, decision):
    c = client_for(md.u.reviewer)  # the legal office may file only under 合法性审查
    r = c.post(reverse("major_decisions:attachment_add", args=[decision.pk]),
               {"att-step": "discussion", "att-title": "纪要", "att-file": pdf()})
    assert r.status_code == 400  # not a choice offered to the reviewer
    assert not Attachment.objects.exists()
