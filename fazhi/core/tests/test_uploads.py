"""fazhi.core.uploads: the type comes from the content, the size limit is exact."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import ValidationError
from fazhi.core.uploads import MB, SIGNATURES, detect_type, read_checked

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64
MP4 = b"\x00\x00\x00\x18ftypisom" + b"\x00" * 64
M4A = b"\x00\x00\x00\x18ftypM4A " + b"\x00" * 64
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 64
MP3 = b"ID3\x03\x00\x00\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64


def make_zip(*names: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in names:
            z.writestr(name, "<x/>")
    return buf.getvalue()


DOCX = make_zip("[Content_Types].xml", "word/document.xml")


@pytest.mark.parametrize("data,expected", [
    (JPEG, "jpeg"), (PNG, "png"), (PDF, "pdf"), (DOCX, "docx"), (MP4, "mp4"),
    (M4A, "m4a"), (WAV, "wav"), (MP3, "mp3"),
])
def test_it_detects_the_type_from_content(data, expected):
    assert detect_type(data) == expected


@pytest.mark.parametrize("data", [EXE, b"", b"plain text", make_zip("a.txt"), b"PK\x03\x04" + b"\x00" * 40])
def test_it_recognises_nothing_else(data):
    assert detect_type(data) is None


def test_it_returns_extension_content_type_size_and_sha256():
    checked = read_checked(ContentFile(PDF, name="scan.jpg"), allowed={"pdf"}, max_bytes=MB)
    assert (checked.type, checked.ext, checked.content_type) == ("pdf", ".pdf", "application/pdf")
    assert checked.size == len(PDF) and checked.data == PDF
    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()


def test_it_reads_a_plain_binary_file_object():
    assert read_checked(io.BytesIO(PNG), allowed={"png"}, max_bytes=MB).size == len(PNG)


def test_it_refuses_a_program_renamed_jpg():
    upload = SimpleUploadedFile("photo.jpg", EXE, content_type="image/jpeg")
    with pytest.raises(ValidationError) as e:
        read_checked(upload, allowed={"jpeg", "png"}, max_bytes=MB, what="照片")
    assert e.value.message == "文件类型不符：照片只接受JPG、PNG文件（按文件内容识别）"
    assert e.value.fields == {"file": "文件类型不符"}


def test_a_tuple_of_allowed_types_keeps_its_order_in_the_message():
    with pytest.raises(ValidationError, match="只接受PDF、JPG文件"):
        read_checked(ContentFile(EXE), allowed=("pdf", "jpeg"), max_bytes=MB)


def test_exactly_the_limit_is_accepted():
    data = PNG + b"\x00" * (MB - len(PNG))
    assert read_checked(ContentFile(data), allowed={"png"}, max_bytes=MB).size == MB


def test_one_byte_over_the_limit_is_refused():
    data = PNG + b"\x00" * (MB - len(PNG) + 1)
    with pytest.raises(ValidationError) as e:
        read_checked(ContentFile(data), allowed={"png"}, max_bytes=MB)
    assert e.value.message == "文件过大（上限1MB）" and e.value.fields == {"file": "文件过大"}


def test_a_declared_size_over_the_limit_is_refused_before_reading():
    class Unreadable(ContentFile):
        def chunks(self, chunk_size=None):
            raise AssertionError("must not be read")

    upload = Unreadable(PNG)
    upload.size = 2 * MB
    with pytest.raises(ValidationError, match="文件过大"):
        read_checked(upload, allowed={"png"}, max_bytes=MB)


def test_a_file_that_understates_its_size_is_still_refused():
    upload = ContentFile(PNG + b"\x00" * MB)
    upload.size = 10
    with pytest.raises(ValidationError, match="文件过大"):
        read_checked(upload, allowed={"png"}, max_bytes=MB)


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as e:
        read_checked(ContentFile(b""), allowed={"png"}, max_bytes=MB)
    assert e.value.message == "文件为空" and e.value.fields == {"file": "请选择文件"}


def test_an_unknown_allowed_type_is_a_programming_error():
    with pytest.raises(ValueError):
        read_checked(ContentFile(PNG), allowed={"gif"}, max_bytes=MB)


def test_every_signature_has_an_extension_and_content_type():
    assert all(ext.startswith(".") and "/" in ctype for ext, ctype in SIGNATURES.values())
