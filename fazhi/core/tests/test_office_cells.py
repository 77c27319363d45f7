"""Cell text of an uploaded sheet: one formatting for the catalogue import
(cleaned) and the object-pool import (raw, checked, then cleaned)."""

from datetime import date, datetime

import pytest

from fazhi.core.office import cell_str, cell_text


@pytest.mark.parametrize(("value", "text"), [
    (None, ""), (datetime(2026, 3, 1, 9, 30), "2026-03-01"), (date(2026, 3, 1), "2026-03-01"),
    (12.0, "12"), (12.5, "12.5"), (7, "7"), ("  甲公司 ", "甲公司"),
])
def test_both_readings_format_cells_alike(value, text):
    assert cell_str(value) == text and cell_text(value) == text


def test_only_cell_text_removes_what_xml_cannot_carry():
    assert cell_str(" 甲\x01公司\x02 ") == "甲\x01公司\x02"
    assert cell_text(" 甲\x01公司\x02 ") == "甲公司"
