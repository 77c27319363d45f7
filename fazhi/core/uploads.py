"""Checking an uploaded file before a service stores it.

The type is judged by the file's content (its signature), never by its name
or by the content type the browser sent: a program renamed ``photo.jpg`` is
refused. The size is checked against the declared size first (so a huge
upload is refused before it is read) and again against the bytes read.

    checked = read_checked(upload, allowed={"jpeg", "png"}, max_bytes=50 * MB, what="照片")
    EvidenceFile(..., extension=checked.ext, sha256=checked.sha256, size=checked.size)

Refusals raise ``fazhi.core.errors.ValidationError`` with a Chinese message
and ``fields={"file": ...}``, so a form can show it next to the file field.
"""

import hashlib
import io
import zipfile
from collections.abc import Collection
from dataclasses import dataclass

from fazhi.core.errors import ValidationError

MB = 1024 * 1024

# type -> (extension, content type). The order is the one used in messages.
SIGNATURES = {
    "jpeg": (".jpg", "image/jpeg"),
    "png": (".png", "image/png"),
    "pdf": (".pdf", "application/pdf"),
    "mp3": (".mp3", "audio/mpeg"),
    "wav": (".wav", "audio/wav"),
    "m4a": (".m4a", "audio/mp4"),
    "mp4": (".mp4", "video/mp4"),
    "docx": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
}


@dataclass(frozen=True)
class CheckedUpload:
    data: bytes
    type: str
    ext: str
    content_type: str
    size: int
    sha256: str


def detect_type(data: bytes) -> str | None:
    """The file type (a key of ``SIGNATURES``) from the content, or None.

    A .docx is a zip that must hold ``word/document.xml`` and
    ``[Content_Types].xml``; any other zip is not recognised.
    """
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "wav"
    # MP3: an ID3 tag or an MPEG frame sync (11 set bits); JPEG was tested first.
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    if head[4:8] == b"ftyp":
        return "m4a" if head[8:12] in (b"M4A ", b"M4B ") else "mp4"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return "docx"
    return None


def _limit_text(max_bytes: int) -> str:
    if max_bytes % MB == 0:
        return f"{max_bytes // MB}MB"
    if max_bytes % 1024 == 0:
        return f"{max_bytes // 1024}KB"
    return f"{max_bytes}字节"


def _too_large(max_bytes: int) -> ValidationError:
    return ValidationError(f"文件过大（上限{_limit_text(max_bytes)}）", fields={"file": "文件过大"})


def _read(upload, max_bytes: int) -> bytes:
    """All bytes of a Django ``UploadedFile``/``File`` or a binary file object.

    Stops reading once the limit is passed, so an upload that lied about its
    size is not held in memory whole.
    """
    if hasattr(upload, "seek"):
        upload.seek(0)
    chunks = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(64 * 1024), b"")
    buf = bytearray()
    for chunk in chunks:
        buf += chunk
        if len(buf) > max_bytes:
            raise _too_large(max_bytes)
    return bytes(buf)


def read_checked(upload, *, allowed: Collection[str], max_bytes: int, what: str = "") -> CheckedUpload:
    """Read ``upload`` and check it is non-empty, at most ``max_bytes`` and of
    one of the ``allowed`` types (keys of ``SIGNATURES``) judged by content.

    ``what`` names the slot in the refusal ("照片只接受JPG、PNG文件"). The
    accepted types are listed in the order given, or in ``SIGNATURES`` order
    when ``allowed`` is a set.
    """
    unknown = set(allowed) - SIGNATURES.keys()
    if unknown:
        raise ValueError(f"unknown upload types: {sorted(unknown)}")
    declared = getattr(upload, "size", None)
    if declared is not None and declared > max_bytes:
        raise _too_large(max_bytes)
    data = _read(upload, max_bytes)
    if not data:
        raise ValidationError("文件为空", fields={"file": "请选择文件"})
    ftype = detect_type(data)
    if ftype not in allowed:
        order = [t for t in SIGNATURES if t in allowed] if isinstance(allowed, (set, frozenset)) else allowed
        kinds = "、".join(SIGNATURES[t][0].lstrip(".").upper() for t in order)
        raise ValidationError(f"文件类型不符：{what}只接受{kinds}文件（按文件内容识别）", fields={"file": "文件类型不符"})
    ext, content_type = SIGNATURES[ftype]
    return CheckedUpload(data=data, type=ftype, ext=ext, content_type=content_type, size=len(data),
                         sha256=hashlib.sha256(data).hexdigest())
