"""全过程记录 (ENF-03): files are checked by content and size; refusals save nothing."""

import hashlib
import os
from datetime import datetime, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.enforcement import services
from fazhi.enforcement.models import EvidenceFile
from fazhi.enforcement.tests.factories import JPEG, PDF, make_case

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64
AT = timezone.make_aware(datetime(2026, 3, 3, 9, 30))


@pytest.fixture
def case(enf):
    return make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], with_records=False)


def stored_files(settings) -> list[str]:
    root = settings.MEDIA_ROOT
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files]


def attach(case, data, name, *, kind="photo", by=None, **kw):
    kw.setdefault("now", AT + timedelta(hours=1))  # uploaded the same day (SYS-03)
    return services.attach_evidence(case, by=by, upload=ContentFile(data, name=name), record_type="inspection",
                                    kind=kind, captured_at=AT, captured_by_name="执法员一", **kw)


def test_it_records_sha256_size_capturer_and_time(enf, case, settings, actions):
    ev = attach(case, PNG, "现场照片.png", captured_by=enf.o1.person, by=enf.officer_a)
    assert ev.sha256 == hashlib.sha256(PNG).hexdigest() and ev.size == len(PNG)
    assert (ev.extension, ev.content_type, ev.original_name) == (".png", "image/png", "现场照片.png")
    assert ev.captured_by == enf.o1.person and ev.captured_by_name == "执法员一" and ev.captured_at == AT
    assert ev.uploaded_by == enf.officer_a and ev.unit == enf.a
    with ev.file.open("rb") as f:
        assert f.read() == PNG
    assert ev.sha256 in ev.file.name and "现场照片" not in ev.file.name  # the user's name is never the path
    assert stored_files(settings) and actions("enforcement.evidence") == ["enforcement.evidence.attached"]
    entry = AuditEntry.objects.get(action="enforcement.evidence.attached")
    assert entry.data["sha256"] == ev.sha256 and entry.data["size"] == len(PNG)


def test_type_is_detected_from_content_not_name(case):
    ev = attach(case, PDF, "scan.jpg", kind="scan")
    assert (ev.extension, ev.content_type) == (".pdf", "application/pdf")


def assert_nothing_saved(case, settings):
    assert not EvidenceFile.objects.filter(case=case).exists()
    assert stored_files(settings) == []
    assert not AuditEntry.objects.filter(action="enforcement.evidence.attached").exists()


@pytest.mark.parametrize("data,name,kind", [
    (EXE, "photo.jpg", "photo"),  # a program renamed .jpg
    (b"just some text, not a PDF\n" * 4, "record.pdf", "scan"),  # a text file named .pdf
    (PDF, "photo.jpg", "photo"),  # a real PDF is not a photo
    (JPEG, "audio.mp3", "audio"),
    (b"PK\x03\x04" + b"\x00" * 40, "minutes.docx", "minutes"),  # a zip that is not a .docx
])
def test_wrong_type_by_content_refused_with_nothing_saved(case, settings, data, name, kind):
    with pytest.raises(ValidationError) as e:
        attach(case, data, name, kind=kind)
    assert "文件类型不符" in e.value.message and "按文件内容识别" in e.value.message
    assert e.value.fields == {"file": "文件类型不符"}
    assert_nothing_saved(case, settings)


def test_too_large_refused_with_nothing_saved(case, settings):
    settings.UPLOAD_MAX_MB = 1
    data = PNG + b"\x00" * (1024 * 1024)
    with pytest.raises(ValidationError) as e:
        attach(case, data, "big.png")
    assert "文件过大" in e.value.message and "1MB" in e.value.message
    assert_nothing_saved(case, settings)


def test_exactly_the_limit_is_accepted(case, settings):
    settings.UPLOAD_MAX_MB = 1
    data = PNG + b"\x00" * (1024 * 1024 - len(PNG))
    assert attach(case, data, "limit.png").size == 1024 * 1024


def test_empty_file_refused(case, settings):
    with pytest.raises(ValidationError, match="文件为空"):
        attach(case, b"", "empty.png")
    assert_nothing_saved(case, settings)


def test_capture_time_in_the_future_refused(case, settings):
    with pytest.raises(ValidationError, match="采集时间"):
        attach(case, PNG, "a.png", now=AT.replace(hour=8))
    assert_nothing_saved(case, settings)


def test_capturer_of_another_unit_refused(enf, case, settings):
    from fazhi.org.tests.factories import PersonFactory

    with pytest.raises(ValidationError, match="本单位"):
        attach(case, PNG, "a.png", captured_by=PersonFactory(unit=enf.b))
    assert_nothing_saved(case, settings)


def test_another_units_clerk_cannot_attach(enf, case, settings):
    with pytest.raises(PermissionDenied):
        attach(case, PNG, "a.png", by=enf.clerk_b)
    assert_nothing_saved(case, settings)


def test_failed_save_removes_the_stored_file(case, settings, monkeypatch):
    def broken(*a, **kw):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services.evidence, "_act", broken)  # patched where attach_evidence looks it up
    with pytest.raises(RuntimeError):
        attach(case, PNG, "a.png")
    assert stored_files(settings) == []
