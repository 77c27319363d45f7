"""Object-pool import (issue 11): a hostile .xlsx is refused at upload,
before openpyxl opens it; nothing stored; control characters of cells removed;
exports never contain a formula or a character XML refuses."""

import io
import os
from datetime import date

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from fazhi.core.errors import ValidationError
from fazhi.core.testing import docx_bomb, xlsx_laughs
from fazhi.inspections import services
from fazhi.inspections.models import Entity, EntityImport, ImportStatus
from fazhi.inspections.tests.factories import EntityFactory, credit_code
from fazhi.inspections.tests.test_import import HEADER, row, run
from fazhi.inspections.tests.test_views import XLSX, client_for, url


@pytest.fixture(autouse=True)
def _pin_today(monkeypatch):
    monkeypatch.setattr("fazhi.inspections.views.common.today", lambda: date(2026, 3, 2))
    cache.clear()


def stored_imports() -> list[str]:
    folder = os.path.join(settings.MEDIA_ROOT, "inspections", "imports")
    return os.listdir(folder) if os.path.isdir(folder) else []


def test_a_zip_bomb_is_refused_at_upload_and_nothing_is_stored(ins, settings):
    settings.UPLOAD_SHEET_UNZIPPED_MAX_MB = 2
    buf = io.BytesIO()
    docx_bomb(buf, 3 * 1024 * 1024)  # any zip: the size is what counts
    with pytest.raises(ValidationError, match="导入文件解压后超过 2 MB"):
        services.start_import(SimpleUploadedFile("objects.xlsx", buf.getvalue()), by=ins.clerk_a, unit=ins.a)
    assert not EntityImport.objects.exists() and stored_imports() == []


def test_an_entity_expansion_fails_the_import_before_openpyxl_opens_it(ins, monkeypatch):
    import openpyxl

    imp = services.start_import(SimpleUploadedFile("objects.xlsx", xlsx_laughs()), by=ins.clerk_a, unit=ins.a)
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **kw: pytest.fail("openpyxl opened the file"))
    imp = services.run_import(imp.pk)
    assert imp.status == ImportStatus.FAILED and "DOCTYPE" in imp.message
    assert not Entity.objects.exists()


def test_control_characters_of_csv_cells_are_removed(ins):
    imp = run(ins, HEADER + row(1, name="甲\x01餐饮\x0b店"))
    assert imp.status == ImportStatus.SUCCEEDED
    assert Entity.objects.get(credit_code=credit_code(100_001)).name == "甲餐饮店"


def test_a_pool_list_exports_a_formula_like_name_as_text(ins):
    title = '=HYPERLINK("http://evil.example/","点此")'
    EntityFactory(name=title)
    response = client_for(ins.officer_a).get(url("entity_list"), {"export": "xlsx"})
    assert response["Content-Type"] == XLSX
    cell = load_workbook(io.BytesIO(response.content)).active.cell(2, 1)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (title, "s", True)


def test_a_stored_control_character_does_not_break_the_export(ins):
    EntityFactory(name="导出\x01公司")
    response = client_for(ins.officer_a).get(url("entity_list"), {"export": "xlsx"})
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).active.cell(2, 1).value == "导出公司"
