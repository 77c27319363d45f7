"""Attendance/score imports: hostile .xlsx refused before openpyxl opens it;
control characters of cells removed (issue 11)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import ValidationError
from fazhi.core.testing import xlsx_bytes, xlsx_laughs
from fazhi.training import importer


@pytest.fixture
def no_openpyxl(monkeypatch):
    import openpyxl

    def refuse(*a, **kw):
        raise AssertionError("openpyxl opened the upload")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_an_entity_expansion_is_refused_before_parsing(no_openpyxl):
    with pytest.raises(ValidationError, match="DOCTYPE"):
        importer.read_sheet(SimpleUploadedFile("考勤.xlsx", xlsx_laughs()))


def test_a_zip_bomb_is_refused_before_parsing(settings, no_openpyxl):
    settings.UPLOAD_UNZIPPED_MAX_MB = 1
    big = xlsx_bytes([["姓名", "单位"]] + [[f"何{i}", "执法大队" * 20] for i in range(20_000)])
    with pytest.raises(ValidationError, match="解压后超过 1 MB"):
        importer.read_sheet(SimpleUploadedFile("考勤.xlsx", big))


def test_control_characters_in_csv_cells_are_removed():
    # (An .xlsx cannot carry them: XML refuses &#1; and openpyxl leaves _x0001_ as text.)
    data = "姓名,单位\n何\x01一,执法\x0b大队\n".encode()
    [row] = importer.read_sheet(SimpleUploadedFile("a.csv", data))
    assert (row.name, row.unit) == ("何一", "执法大队")
