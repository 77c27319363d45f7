"""The full-process record (全过程记录, ENF-03).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fazhi.core import uploads
from fazhi.core.errors import ValidationError
from fazhi.enforcement.models import CaseStatus, EvidenceFile, EvidenceKind, PenaltyCase, RecordType
from fazhi.enforcement.services.common import _act, _choice, _clean, _entered, _lock_case, _require
from fazhi.org.models import Person

# ======================================================= 全过程记录 (ENF-03)

# Which file types each carrier accepts.
KIND_TYPES = {
    EvidenceKind.PHOTO: ("jpeg", "png"),
    EvidenceKind.AUDIO: ("mp3", "wav", "m4a"),
    EvidenceKind.VIDEO: ("mp4",),
    EvidenceKind.SCAN: ("pdf", "jpeg", "png"),
    EvidenceKind.MINUTES: ("pdf", "docx", "jpeg", "png"),
}


@transaction.atomic
def attach_evidence(case: PenaltyCase, *, by, upload, record_type: str, kind: str, captured_at: datetime,
                    captured_by: Person | None = None, captured_by_name: str = "", title: str = "",
                    note: str = "", now: datetime | None = None, late_reason: str = "") -> EvidenceFile:
    """Attach a file of the full-process record to a case (ENF-03).

    The type is checked by content signature against the carrier (照片 JPEG/PNG,
    录音 MP3/WAV/M4A, 录像 MP4, 扫描件 PDF/JPEG/PNG, 笔录 PDF/DOCX/JPEG/PNG), the
    size against ``settings.UPLOAD_MAX_MB`` (both by ``fazhi.core.uploads``); the
    SHA-256 and size are stored.
    Refused → nothing saved (no row, no file).
    """
    case = _lock_case(case)
    _require(by, "enforcement.handle_case", case.unit, "只有本单位执法人员可以上传执法记录")
    if case.status == CaseStatus.ARCHIVED:
        raise ValidationError("案件已归档，不能再添加记录", rule="ENF-03")
    record_type = _choice(record_type, RecordType, "record_type", "文书/记录类型")
    kind = _choice(kind, EvidenceKind, "kind", "载体")
    if isinstance(captured_at, datetime) is False:
        raise ValidationError("采集时间无效", fields={"captured_at": "请填写采集时间"})
    if timezone.is_naive(captured_at):
        captured_at = timezone.make_aware(captured_at)
    now = now or timezone.now()
    if captured_at > now + timedelta(minutes=5):
        raise ValidationError("采集时间不能晚于当前时间", fields={"captured_at": "时间有误"})
    # SYS-03: collected by the organ after the violation came to its notice; a
    # record uploaded long after it was made needs a reason, flagged in the trail.
    when = _entered(timezone.localtime(captured_at).date(), today=timezone.localtime(now).date(), label="采集日期",
                    field="captured_at", after=[(case.discovered_on, "发现日期")], reason=late_reason)
    if captured_by is not None and captured_by.unit_id != case.unit_id:
        raise ValidationError("采集人须为本单位人员", fields={"captured_by": "非本单位人员"})
    cap_name = captured_by.name if captured_by is not None else _clean(
        captured_by_name, 50, "captured_by_name", "采集人", required=True)
    checked = uploads.read_checked(upload, allowed=KIND_TYPES[kind], max_bytes=settings.UPLOAD_MAX_MB * uploads.MB,
                                   what=EvidenceKind(kind).label)
    ext = checked.ext
    original = _clean(getattr(upload, "name", "") or f"file{ext}", 255, "file", "文件名").rsplit("/", 1)[-1]
    from django.core.files.base import ContentFile

    ev = EvidenceFile(
        case=case, unit=case.unit, record_type=record_type, kind=kind,
        title=_clean(title, 200, "title", "名称"), original_name=original, extension=ext,
        content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
        captured_by=captured_by, captured_by_name=cap_name, captured_at=captured_at, uploaded_by=by,
        note=_clean(note, 500, "note", "说明"))
    ev.file.save(f"{ev.sha256}{ext}", ContentFile(checked.data), save=False)
    stored = ev.file.name
    try:
        ev.save()
        _act(ev, "evidence", "attached", by=by, data={"case": case.pk, "record_type": record_type,
                                                       "sha256": ev.sha256, "size": ev.size, **when.audit_data()})
    except Exception:
        ev.file.storage.delete(stored)
        raise
    return ev
