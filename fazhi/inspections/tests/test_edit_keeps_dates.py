"""Saving an edit form keeps the dates the person did not touch (issue 13 §2
"Dates": editing an object's phone number wiped its 最近检查 date, which the
random draw uses). The form is submitted as a browser would send it."""

from datetime import date

import pytest
from django.core.cache import cache

from fazhi.core.testing import browser_form
from fazhi.inspections.tests.factories import EntityFactory, PlanFactory, TaskFactory
from fazhi.inspections.tests.test_views import body, client_for, url

TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _pin_today(monkeypatch):
    monkeypatch.setattr("fazhi.inspections.views.common.today", lambda: TODAY)
    cache.clear()


def test_changing_an_objects_phone_keeps_its_last_inspection_date(ins):
    e = EntityFactory(last_inspected_on=date(2025, 11, 20))
    c = client_for(ins.clerk_a)
    data = browser_form(body(c.get(url("entity_edit", e.pk))), "phone")
    assert data["last_inspected_on"] == ["2025-11-20"]
    data["phone"] = ["13900000000"]
    assert c.post(url("entity_edit", e.pk), data).status_code == 302
    e.refresh_from_db()
    assert e.phone == "13900000000" and e.last_inspected_on == date(2025, 11, 20)


def test_renaming_a_task_keeps_its_planned_dates(ins):
    task = TaskFactory(plan=PlanFactory(unit=ins.a))
    start, end = task.planned_start, task.planned_end
    assert start and end
    c = client_for(ins.clerk_a)
    page = url("task_edit", task.pk)
    data = browser_form(body(c.get(page)), "planned_start")
    data["title"] = ["改名后的检查任务"]
    assert c.post(page, data).status_code == 302
    task.refresh_from_db()
    assert task.title == "改名后的检查任务" and (task.planned_start, task.planned_end) == (start, end)
