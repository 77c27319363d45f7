"""The one check of an uploaded zip (.docx/.xlsx) before any parser opens it (issue 11)."""

import io
import struct
import zipfile

import pytest

from fazhi.core import uploads
from fazhi.core.errors import ValidationError
from fazhi.core.testing import docx_bomb, docx_with_members, xlsx_bytes, xlsx_laughs

MB = uploads.MB


@pytest.fixture(autouse=True)
def _small_limits(settings):
    # Moderate bombs keep the tests fast: a 5 MB limit, an 8 MB bomb.
    settings.UPLOAD_UNZIPPED_MAX_MB = 5
    settings.UPLOAD_SHEET_UNZIPPED_MAX_MB = 20
    settings.UPLOAD_ZIP_MAX_MEMBERS = 500
    settings.UPLOAD_ZIP_MAX_RATIO = 100


def bomb(expanded: int) -> bytes:
    buf = io.BytesIO()
    docx_bomb(buf, expanded)
    return buf.getvalue()


def members(n: int) -> bytes:
    buf = io.BytesIO()
    docx_with_members(buf, n)
    return buf.getvalue()


def test_an_ordinary_docx_and_xlsx_pass():
    assert uploads.check_archive(bomb(100_000)) > 100_000
    assert uploads.check_archive(xlsx_bytes([["名称"], ["甲公司"]]), kind=uploads.SHEET) > 0


def test_a_docx_inflating_past_the_limit_is_refused_in_chinese():
    with pytest.raises(ValidationError, match="解压后超过 5 MB") as exc:
        uploads.check_archive(bomb(8 * MB), what="方案文件")
    assert exc.value.message.startswith("方案文件") and exc.value.fields == {"file": "解压后过大"}


def test_the_sheet_limit_is_larger_than_the_document_limit(settings):
    settings.UPLOAD_ZIP_MAX_RATIO = 1000
    data = bomb(8 * MB)
    with pytest.raises(ValidationError):
        uploads.check_archive(data, kind=uploads.DOCUMENT)
    uploads.check_archive(data, kind=uploads.SHEET)


def test_too_many_members_are_refused_from_the_directory():
    with pytest.raises(ValidationError, match="503 个压缩成员（上限 500 个）"):
        uploads.check_archive(members(500))
    uploads.check_archive(members(497))


def test_an_end_record_that_understates_the_member_count_does_not_help():
    data = bytearray(members(600))
    at = data.rfind(b"PK\x05\x06")
    data[at + 8:at + 12] = struct.pack("<HH", 3, 3)  # "3 members"
    with pytest.raises(ValidationError, match="超过 500 个压缩成员"):
        uploads.zip_members(bytes(data), max_members=500)


def test_too_many_members_are_refused_before_type_detection_lists_them(settings):
    with pytest.raises(ValidationError, match="压缩成员"):
        uploads.detect_type(members(600))


def test_a_member_compressed_more_than_the_ratio_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (2 * MB))  # about 1000:1
    with pytest.raises(ValidationError, match="压缩比异常"):
        uploads.check_archive(buf.getvalue())


def test_a_directory_that_understates_a_size_is_caught_while_inflating(settings):
    """The directory says 10 bytes; the data inflates to 2 MB: zipfile stops
    at the declared size and the CRC fails — refused, never inflated."""
    settings.UPLOAD_ZIP_MAX_RATIO = 10**9
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"<a/>" * (MB // 2))
    data = bytearray(buf.getvalue())
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
        at = data.find(sig)
        data[at + offset:at + offset + 4] = struct.pack("<L", 10)
    with pytest.raises(ValidationError, match="压缩包已损坏"):
        uploads.check_archive(bytes(data))


def test_an_xml_entity_declaration_is_refused():
    with pytest.raises(ValidationError, match="DOCTYPE"):
        uploads.check_archive(xlsx_laughs())


def test_a_damaged_zip_is_refused():
    with pytest.raises(ValidationError, match="压缩包已损坏"):
        uploads.check_archive(b"PK\x03\x04" + b"\0" * 100)


def test_a_path_is_checked_like_bytes(tmp_path):
    path = tmp_path / "a.docx"
    docx_bomb(str(path), 8 * MB)
    with pytest.raises(ValidationError, match="解压后超过"):
        uploads.check_archive(path)


def test_read_checked_refuses_a_docx_bomb_attachment():
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match="佐证材料解压后超过"):
        uploads.read_checked(SimpleUploadedFile("a.docx", bomb(8 * MB)), allowed={"docx"}, max_bytes=50 * MB,
                             what="佐证材料")
