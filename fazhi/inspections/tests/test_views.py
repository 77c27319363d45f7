"""Staff screens of 双随机、一公开: each page for the right user, 404 for another
unit's record, 403 for a forbidden step, sign-in and CSRF required, changes
through POST (state and audit), refusals naming their rule and changing
nothing, escaping, Excel export, bounded query counts."""

from datetime import date
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.audit.models import AuditEntry
from fazhi.inspections.models import (
    InspectionItem,
    ItemStatus,
    Task,
)
from fazhi.inspections.tests.factories import (
    SCRIPT,
    EntityFactory,
    InspectionItemFactory,
    PlanFactory,
    TaskFactory,
    make_draw,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ESCAPED = "&lt;script&gt;"
TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _pin_today(monkeypatch):
    monkeypatch.setattr("fazhi.inspections.views.common.today", lambda: TODAY)


def client_for(user, **kw) -> Client:
    c = Client(**kw)
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def body(response) -> str:
    return response.content.decode()


def url(name, *args) -> str:
    return reverse(f"inspections:{name}", args=args)


def drawn_task(ins, state="drawn") -> Task:
    task = TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=3)
    for _ in range(6):
        EntityFactory()
    make_draw(state, task=task)
    task.refresh_from_db()
    return task


LIST_PAGES = ["index", "item_list", "entity_list", "inspector_list", "plan_list", "task_list", "draw_list",
              "inspection_list", "stats", "import_start"]


# ---------------------------------------------------------------- sign-in

@pytest.mark.parametrize("name", LIST_PAGES + ["item_create", "entity_create", "inspector_add", "plan_create",
                                               "non_random_create"])
def test_anonymous_is_sent_to_sign_in(ins, name):
    response = Client().get(url(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_anonymous_cannot_see_a_draw(ins):
    task = drawn_task(ins)
    response = Client().get(url("draw_page", task.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ------------------------------------------------------------------ lists

@pytest.mark.parametrize("name", [n for n in LIST_PAGES if n != "import_start"])
def test_list_pages_open_for_an_officer(ins, name):
    assert client_for(ins.officer_a).get(url(name)).status_code == 200


def test_a_user_without_a_role_gets_403(ins):
    from fazhi.org.tests.factories import PersonFactory

    nobody = PersonFactory(unit=ins.a).user
    for name in LIST_PAGES:
        assert client_for(nobody).get(url(name)).status_code == 403, name


def test_the_menu_lists_the_module(ins):
    text = body(client_for(ins.clerk_a).get(reverse("shell:home")))
    assert url("item_list") in text and url("draw_list") in text


@pytest.mark.parametrize("name", [n for n in LIST_PAGES if n != "import_start"])
def test_list_pages_refuse_post(ins, name):
    assert client_for(ins.clerk_a).post(url(name)).status_code == 405


def test_import_page_refuses_put_and_an_empty_post(ins):
    c = client_for(ins.clerk_a)
    assert c.put(url("import_start")).status_code == 405
    assert c.post(url("import_start")).status_code == 400


# ------------------------------------------------------------------- items

def test_item_list_shows_only_the_units_items_and_escapes(ins):
    mine = InspectionItemFactory(unit=ins.a, published=True)
    other = InspectionItemFactory(unit=ins.b, published=True)
    text = body(client_for(ins.clerk_a).get(url("item_list")))
    assert url("item_detail", mine.pk) in text and url("item_detail", other.pk) not in text
    assert ESCAPED in text and SCRIPT not in text


def test_item_list_filters_by_kind_and_keyword(ins):
    InspectionItemFactory(unit=ins.a, name="重点事项甲", kind="key")
    InspectionItemFactory(unit=ins.a, name="一般事项乙", kind="general")
    c = client_for(ins.clerk_a)
    text = body(c.get(url("item_list"), {"kind": "key"}))
    assert "重点事项甲" in text and "一般事项乙" not in text
    text = body(c.get(url("item_list"), {"q": "一般"}))
    assert "一般事项乙" in text and "重点事项甲" not in text


def test_item_list_sorts_and_exports(ins):
    for n in ("乙", "甲", "丙"):
        InspectionItemFactory(unit=ins.a, name=f"事项{n}")
    c = client_for(ins.clerk_a)
    response = c.get(url("item_list"), {"sort": "name"})
    names = [obj.name for obj, _ in response.context["cells"]]
    assert names == sorted(names)
    response = c.get(url("item_list"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    ws = load_workbook(BytesIO(response.content)).active
    assert ws.cell(1, 1).value == "事项编号" and ws.max_row == 4


def test_item_list_query_count_is_bounded(ins, django_assert_max_num_queries):
    for _ in range(8):
        InspectionItemFactory(unit=ins.a, published=True)
    c = client_for(ins.clerk_a)
    with django_assert_max_num_queries(15):
        response = c.get(url("item_list"))
    assert response.status_code == 200 and response.context["total"] == 8


def test_clerk_creates_an_item_as_draft_with_audit(ins):
    response = client_for(ins.clerk_a).post(url("item_create"), {
        "unit": ins.a.pk, "number": "SJ-001", "name": "食品销售经营者检查", "inspecting_body": "区市场监管局",
        "basis": "《食品安全法》", "kind": "general"})
    item = InspectionItem.objects.get(number="SJ-001")
    assert response.status_code == 302 and response["Location"] == url("item_detail", item.pk)
    assert item.status == ItemStatus.DRAFT and item.unit == ins.a
    assert AuditEntry.objects.filter(action__startswith="inspections.item").exists()


def test_item_create_with_missing_fields_is_400_and_creates_nothing(ins):
    response = client_for(ins.clerk_a).post(url("item_create"), {"unit": ins.a.pk, "number": "SJ-002"})
    assert response.status_code == 400 and not InspectionItem.objects.exists()


def test_another_units_item_is_404(ins):
    item = InspectionItemFactory(unit=ins.b)
    c = client_for(ins.clerk_a)
    assert c.get(url("item_detail", item.pk)).status_code == 404
    assert c.get(url("item_edit", item.pk)).status_code == 404
    assert c.post(url("item_action", item.pk, "publish")).status_code == 404
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT


def test_missing_item_is_404(ins):
    assert client_for(ins.clerk_a).get(url("item_detail", 999999)).status_code == 404


def test_item_detail_escapes_and_shows_versions(ins):
    item = InspectionItemFactory(unit=ins.a, published=True)
    text = body(client_for(ins.officer_a).get(url("item_detail", item.pk)))
    assert ESCAPED in text and SCRIPT not in text and "版本记录" in text


def test_publish_then_edit_makes_a_new_version(ins):
    item = InspectionItemFactory(unit=ins.a)
    c = client_for(ins.clerk_a)
    assert c.post(url("item_action", item.pk, "publish")).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    data = {"number": item.number, "name": "修订后的事项", "inspecting_body": "区市场监管局", "basis": "新依据",
            "kind": "key"}
    response = c.post(url("item_edit", item.pk), data)
    new = InspectionItem.objects.get(number=item.number, version=2)
    assert response.status_code == 302 and response["Location"] == url("item_detail", new.pk)
    assert new.status == ItemStatus.DRAFT and new.name == "修订后的事项"
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED and item.name != "修订后的事项"
    text = body(c.get(url("item_detail", new.pk)))
    assert "第1版" in text and "第2版" in text


def test_officer_may_not_publish_an_item(ins):
    item = InspectionItemFactory(unit=ins.a)
    assert client_for(ins.officer_a).post(url("item_action", item.pk, "publish")).status_code == 403
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT


def test_publishing_twice_shows_the_rule_and_changes_nothing(ins):
    item = InspectionItemFactory(unit=ins.a, published=True)
    before = AuditEntry.objects.count()
    response = client_for(ins.clerk_a).post(url("item_action", item.pk, "publish"), follow=True)
    assert "RAND-04" in body(response)
    assert AuditEntry.objects.count() == before


def test_retire_an_item(ins):
    item = InspectionItemFactory(unit=ins.a, published=True)
    client_for(ins.clerk_a).post(url("item_action", item.pk, "retire"), {"retire-reason": "法律修改"})
    item.refresh_from_db()
    assert item.status == ItemStatus.RETIRED


def test_item_action_refuses_get(ins):
    item = InspectionItemFactory(unit=ins.a)
    assert client_for(ins.clerk_a).get(url("item_action", item.pk, "publish")).status_code == 405


def test_csrf_is_enforced(ins):
    item = InspectionItemFactory(unit=ins.a)
    c = client_for(ins.clerk_a, enforce_csrf_checks=True)
    assert c.post(url("item_action", item.pk, "publish")).status_code == 403
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT


@pytest.mark.parametrize("name", ["item_detail", "item_edit", "entity_detail", "entity_edit", "import_detail",
                                  "import_progress", "inspector_detail", "plan_detail", "plan_edit", "task_detail",
                                  "task_edit", "draw_page", "draw_receipt", "draw_print", "draw_detail",
                                  "inspection_detail"])
def test_missing_records_are_404(ins, name):
    assert client_for(ins.admin).get(url(name, 999999)).status_code == 404


@pytest.mark.parametrize("name", ["plan_approve", "task_close", "draw_commit", "draw_reveal", "draw_publish"])
def test_post_only_steps_refuse_get(ins, name):
    task = TaskFactory(plan=PlanFactory(unit=ins.a))
    pk = task.plan.pk if name == "plan_approve" else task.pk
    assert client_for(ins.admin).get(url(name, pk)).status_code == 405


def test_task_form_parses_quotas_and_lists():
    from fazhi.inspections.forms import TaskForm, split_list

    assert split_list("餐饮、食品销售，餐饮\n药品零售") == ["餐饮", "食品销售", "药品零售"]
    form = TaskForm({"title": "t", "items": ["1"], "size_mode": "size", "sample_size": "5", "team_size": "2",
                     "exclude_recent_months": "0", "planned_start": "2026-04-01", "planned_end": "2026-04-30",
                     "quotas": "行业=餐饮；风险等级=高：3\n行业=食品销售=2\n"}, item_choices=[(1, "x")])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["quotas"] == {"行业=餐饮；风险等级=高": 3, "行业=食品销售": 2}
    bad = TaskForm({"title": "t", "items": ["1"], "size_mode": "ratio", "team_size": "2",
                    "exclude_recent_months": "0", "planned_start": "2026-04-01", "planned_end": "2026-04-30",
                    "quotas": "行业=餐饮：三"}, item_choices=[(1, "x")])
    assert not bad.is_valid() and "quotas" in bad.errors and "sample_ratio" in bad.errors


@pytest.mark.parametrize("name", ["item_detail", "entity_detail", "import_detail", "inspector_detail",
                                  "plan_detail", "task_detail", "draw_page", "draw_receipt", "inspection_detail"])
def test_anonymous_is_sent_to_sign_in_from_records(ins, name):
    response = Client().get(url(name, 1))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_another_units_clerk_cannot_reach_the_draw_files(ins):
    task = drawn_task(ins)
    c = client_for(ins.clerk_b)
    for name in ("draw_page", "draw_receipt", "draw_print"):
        assert c.get(url(name, task.pk)).status_code == 404, name
    assert c.post(url("draw_publish", task.pk)).status_code == 404
    task.draw.refresh_from_db()
    assert task.draw.status == "drawn"
