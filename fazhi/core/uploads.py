"""Checking an uploaded file before a service stores it.

The type is judged by the file's content (its signature), never by its name
or by the content type the browser sent: a program renamed ``photo.jpg`` is
refused. The size is checked against the declared size first (so a huge
upload is refused before it is read) and again against the bytes read.

    checked = read_checked(upload, allowed={"jpeg", "png"}, max_bytes=50 * MB, what="照片")
    EvidenceFile(..., extension=checked.ext, sha256=checked.sha256, size=checked.size)

Refusals raise ``fazhi.core.errors.ValidationError`` with a Chinese message
and ``fields={"file": ...}``, so a form can show it next to the file field.

A file that is a zip (.docx, .xlsx) is also checked by ``check_archive``
before any parser opens it — see there (decompression bombs, issue 11).
"""

import hashlib
import io
import os
import struct
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings

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
        # Our own bounded reader of the central directory, not zipfile's: a zip
        # of a million empty members is refused (ValidationError) after the
        # limit instead of being listed whole in memory.
        try:
            names = {m.name for m in zip_members(data, max_members=zip_limits(DOCUMENT).members)}
        except BadArchive:
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
    if ftype is None or ftype not in allowed:
        order = [t for t in SIGNATURES if t in allowed] if isinstance(allowed, (set, frozenset)) else allowed
        kinds = "、".join(SIGNATURES[t][0].lstrip(".").upper() for t in order)
        raise ValidationError(f"文件类型不符：{what}只接受{kinds}文件（按文件内容识别）", fields={"file": "文件类型不符"})
    if ftype == "docx":
        check_archive(data, kind=DOCUMENT, what=what or "文件")
    ext, content_type = SIGNATURES[ftype]
    return CheckedUpload(data=data, type=ftype, ext=ext, content_type=content_type, size=len(data),
                         sha256=hashlib.sha256(data).hexdigest())


# ------------------------------------------------------------------ archives
#
# A .docx or .xlsx is a zip of XML. A parser (python-docx, openpyxl) inflates
# the members it reads, so a 1 MB upload can become gigabytes in a worker: a
# decompression bomb. ``check_archive`` refuses such a file before any parser
# sees it, from the central directory (member count, declared sizes, ratio)
# and then by inflating every member in bounded chunks, so a directory that
# lies about the sizes is caught too. The limits are settings:
#
#   UPLOAD_ZIP_MAX_MEMBERS          members of one archive (default 2000)
#   UPLOAD_ZIP_MAX_RATIO            inflated/compressed size of a member over 1 MB (default 100,
#                                   Apache POI's ZipSecureFile default)
#   UPLOAD_UNZIPPED_MAX_MB          total inflated size of a document or small sheet (default 50)
#   UPLOAD_SHEET_UNZIPPED_MAX_MB    the same for the object-pool .xlsx import (default 4096:
#                                   a 1,000,000-row pool sheet inflates to about 1 GB)

DOCUMENT = "document"  # .docx of the plan and normative-document imports, attachments, small .xlsx
SHEET = "sheet"  # the object-pool .xlsx (read streaming, up to 1,000,000 rows)
RATIO_FROM = 1 * MB  # members smaller than this may compress as well as they like
_CHUNK = 1 * MB
# A DTD has no place in Office XML; refusing it stops entity expansion ("billion
# laughs") and external entities in every parser, whatever it does itself.
_DTD_MARKS = tuple(m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be"))
_DTD_TAIL = max(len(m) for m in _DTD_MARKS) - 1


class BadArchive(ValidationError):
    """The zip itself cannot be read (damaged, truncated, not a zip)."""


@dataclass(frozen=True)
class ZipLimits:
    total: int  # bytes, all members inflated
    members: int
    ratio: int


@dataclass(frozen=True)
class ZipMember:
    name: str
    compressed: int
    size: int  # inflated, as the central directory declares it


def zip_limits(kind: str = DOCUMENT) -> ZipLimits:
    total_mb = settings.UPLOAD_SHEET_UNZIPPED_MAX_MB if kind == SHEET else settings.UPLOAD_UNZIPPED_MAX_MB
    return ZipLimits(total=int(total_mb) * MB, members=int(settings.UPLOAD_ZIP_MAX_MEMBERS),
                     ratio=int(settings.UPLOAD_ZIP_MAX_RATIO))


def _bomb(what: str, why: str, short: str = "文件疑为压缩炸弹") -> ValidationError:
    return ValidationError(f"{what}{why}，疑为恶意构造的压缩文件，已拒绝处理，未保存任何内容", fields={"file": short})


def _broken(what: str) -> BadArchive:
    return BadArchive(f"{what}不是有效的 Office 文件（压缩包已损坏或格式不符），无法读取", fields={"file": "文件已损坏"})


def _open_source(source):
    """A binary file object over bytes or a path, and whether we opened it."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(source), True
    if isinstance(source, (str, os.PathLike)):
        return open(source, "rb"), True
    return source, False


def _end_record(f, size: int, what: str) -> tuple[int, int, int]:
    """(entries, start of the central directory, its size) from the end of the zip."""
    tail_len = min(size, 22 + 65535)
    f.seek(size - tail_len)
    tail = f.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise _broken(what)
    eocd = size - tail_len + at
    _, _, _, _, entries, cd_size, cd_offset, _ = struct.unpack("<4s4H2LH", tail[at:at + 22])
    end = eocd
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:  # zip64
        if eocd < 20:
            raise _broken(what)
        f.seek(eocd - 20)
        sig, _, end64, _ = struct.unpack("<4sLQL", f.read(20))
        if sig != b"PK\x06\x07" or end64 + 56 > eocd:
            raise _broken(what)
        f.seek(end64)
        rec = f.read(56)
        if len(rec) < 56 or rec[:4] != b"PK\x06\x06":
            raise _broken(what)
        _, _, _, _, _, _, _, entries, cd_size, cd_offset = struct.unpack("<4sQ2H2L4Q", rec)
        end = eocd - 20 - 56
    start = end - cd_size  # as zipfile does: data prepended to the zip shifts every offset
    if start < 0:
        raise _broken(what)
    return entries, start, cd_size


def _zip64_sizes(extra: bytes, size: int, compressed: int) -> tuple[int, int]:
    while len(extra) >= 4:
        tag, ln = struct.unpack("<HH", extra[:4])
        if tag == 1:
            vals = list(struct.unpack(f"<{ln // 8}Q", extra[4:4 + ln - ln % 8]))
            if size == 0xFFFFFFFF and vals:
                size = vals.pop(0)
            if compressed == 0xFFFFFFFF and vals:
                compressed = vals.pop(0)
            break
        extra = extra[4 + ln:]
    return size, compressed


def zip_members(source, *, max_members: int, what: str = "文件") -> list[ZipMember]:
    """The members of a zip as its central directory lists them, read entry by
    entry without zipfile: refused (ValidationError) as soon as there are more
    than ``max_members``, whatever the end record claims; ``BadArchive`` when
    the directory cannot be read."""
    f, opened = _open_source(source)
    try:
        f.seek(0, os.SEEK_END)
        size = f.tell()
        entries, start, cd_size = _end_record(f, size, what)
        if entries > max_members:
            raise _bomb(what, f"包含 {entries} 个压缩成员（上限 {max_members} 个）", "压缩成员过多")
        f.seek(start)
        members, pos = [], 0
        while pos < cd_size:
            head = f.read(46)
            if len(head) < 46 or head[:4] != b"PK\x01\x02":
                raise _broken(what)
            fields = struct.unpack("<4s4B4HL2L5H2L", head)
            flags, compressed, inflated, name_len, extra_len, comment_len = (
                fields[5], fields[10], fields[11], fields[12], fields[13], fields[14])
            raw = f.read(name_len)
            extra = f.read(extra_len)
            f.seek(comment_len, os.SEEK_CUR)
            pos += 46 + name_len + extra_len + comment_len
            inflated, compressed = _zip64_sizes(extra, inflated, compressed)
            name = raw.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
            members.append(ZipMember(name, compressed, inflated))
            if len(members) > max_members:
                raise _bomb(what, f"包含超过 {max_members} 个压缩成员", "压缩成员过多")
        return members
    except (struct.error, OSError, ValueError):
        raise _broken(what)
    finally:
        if opened:
            f.close()


def check_archive(source, *, kind: str = DOCUMENT, what: str = "文件", directory_only: bool = False) -> int:
    """Refuse a zip (.docx/.xlsx) that a parser must not open; return its
    inflated size (as declared, with ``directory_only``). ``source`` is bytes
    or a path. ``kind`` picks the limits (``DOCUMENT`` or ``SHEET``, see
    ``zip_limits``).

    ``directory_only`` stops after the central directory (milliseconds): the
    object-pool upload does that in the web request and its import job runs the
    whole check before openpyxl opens the file (a 1,000,000-row sheet inflates
    to about 1 GB: seconds the upload request should not spend).

    Checked before any parser runs, in this order: the member count and the
    declared sizes and ratios from the central directory (no member inflated
    yet), then every member is inflated in 1 MB chunks through zipfile, which
    never yields more than the declared size (a member that inflates to more
    fails its CRC), with the total capped, and its XML scanned for a DTD.
    Nothing is kept in memory but one chunk. Raises ``ValidationError`` with
    a Chinese message and ``fields={"file": ...}``.
    """
    limits = zip_limits(kind)
    members = zip_members(source, max_members=limits.members, what=what)
    declared = 0
    for m in members:
        declared += m.size
        if declared > limits.total:
            raise _bomb(what, f"解压后超过 {limits.total // MB} MB（上限）", "解压后过大")
        if m.size >= RATIO_FROM and m.size > limits.ratio * max(m.compressed, 1):
            raise _bomb(what, f"中的“{m.name[:60]}”压缩比异常（{m.size // max(m.compressed, 1)}:1，"
                              f"上限 {limits.ratio}:1）", "压缩比异常")
    if directory_only:
        return declared
    f, opened = _open_source(source)
    total = 0
    try:
        with zipfile.ZipFile(f) as z:
            for info in z.infolist():
                if info.is_dir():
                    continue
                xml = info.filename.lower().endswith((".xml", ".rels", ".vml"))
                carry, inflated = b"", 0
                with z.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        inflated += len(chunk)
                        total += len(chunk)
                        if inflated > info.file_size or total > limits.total:
                            raise _bomb(what, f"解压后超过 {limits.total // MB} MB（上限）", "解压后过大")
                        if xml:
                            window = carry + chunk
                            # Two fast searches first ("<!" in UTF-8, "<\0!" in UTF-16 either way);
                            # the six marks only when one hits (a comment or CDATA, rarely).
                            if (b"<!" in window or b"<\x00!" in window) and any(m in window for m in _DTD_MARKS):
                                raise ValidationError(
                                    f"{what}中的“{info.filename[:60]}”含有 XML 文档类型声明（DOCTYPE/ENTITY），"
                                    "正常的 Office 文件不含此类声明，已拒绝处理，未保存任何内容",
                                    fields={"file": "文件含有不允许的内容"})
                            carry = window[-_DTD_TAIL:]
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError, LookupError):
        # damaged data, a CRC that does not match (sizes that lied), encryption, an unknown method
        raise _broken(what)
    finally:
        if opened:
            f.close()
    return total
