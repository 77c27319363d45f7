"""Dates and deadlines as a person sees them (issue 13 §2): deadline columns in
the dashboard's colours, and an edit form opening with its stored dates."""

import re

import pytest

from fazhi.e2e.conftest import shot

pytestmark = pytest.mark.browser


def test_lists_show_deadlines_in_colour_and_sort_by_them(as_user):
    page = as_user("sifa_head")
    page.goto("/ledger/measures/?sort=deadline")
    cells = page.locator(".due-cell")
    assert cells.count() > 0
    shot(page, "dates-ledger-measures")
    page.goto("/enforcement/cases/?sort=decision_due")
    shot(page, "dates-enforcement-cases")


def test_an_inspection_object_opens_with_its_last_inspection_date(as_user):
    page = as_user("shichang_clerk")
    page.goto("/inspections/entities/")
    href = page.locator('table.grid tbody a[href*="/inspections/entities/"]').first.get_attribute("href")
    page.goto(href.rstrip("/") + "/edit/")
    value = page.locator('input[name="last_inspected_on"]').input_value()
    assert value == "" or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    shot(page, "dates-entity-edit")
