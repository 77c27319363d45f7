"""API of 双随机、一公开: public reads exactly as the portal (published only,
masked); staff reads scoped to the user's units (another unit's record 404,
anonymous 401); actions through the same services (403 without the role,
409 with the rule when out of order); imports with progress; statistics."""

import hashlib
import json
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from fazhi.inspections.models import DrawStatus, Entity, EntityImport, InspectionStatus
from fazhi.inspections.tests.factories import (
    EntityFactory,
    EntityImportFactory,
    InspectionFactory,
    InspectionItemFactory,
    PlanFactory,
    TaskFactory,
    credit_code,
    make_draw,
    pool,
    server_seed,
)

pytestmark = pytest.mark.django_db

OPERATOR, PHONE = "张三丰", "13812345678"


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


def u(name, *args):
    return reverse(f"api:inspections:{name}", args=args)


def ids(resp):
    return [r["id"] for r in resp.json()["results"]]


# ================================================================= public


def test_public_results_only_published_and_masked(api, ins):
    e = EntityFactory(name=f"龙凤镇{OPERATOR}水果店", credit_code=credit_code(5, prefix="92990101"),
                      entity_type="个体工商户", legal_rep=OPERATOR, phone=PHONE)
    shown = InspectionFactory(unit=ins.a, entity=e, published=True)
    shown.public_findings = f"经营者{OPERATOR}，电话{PHONE}"
    shown.save()
    InspectionFactory(unit=ins.a, recorded=True)
    resp = api.get(u("public_result_list"))
    assert resp.status_code == 200
    assert ids(resp) == [shown.pk]
    text = json.dumps(resp.json(), ensure_ascii=False)
    assert OPERATOR not in text and PHONE not in text
    assert resp.json()["results"][0]["legal_rep"] == "张**"


def test_public_result_search(api, ins):
    a = InspectionFactory(unit=ins.a, published=True, entity=EntityFactory(name="青松餐饮有限公司"))
    InspectionFactory(unit=ins.a, published=True, entity=EntityFactory(name="白云商贸有限公司"))
    assert ids(api.get(u("public_result_list"), {"q": "青松"})) == [a.pk]


def test_public_items_are_the_published_list(api, ins):
    item = InspectionItemFactory(unit=ins.a, published=True)
    InspectionItemFactory(unit=ins.a)
    resp = api.get(u("public_item_list"))
    assert resp.status_code == 200 and ids(resp) == [item.pk]
    assert resp.json()["results"][0]["unit"]["name"] == ins.a.name


def test_public_draw_before_reveal_has_hashes_not_seed(api, ins):
    d = make_draw("committed", unit=ins.a)
    body = api.get(u("public_draw_detail", d.pk)).json()
    assert body["commitment"] == d.commitment and body["objects_hash"] == d.objects_hash
    assert body["seed"] == "" and body["revealed"] is False and body["receipt_url"] is None
    assert body["server_commitment"] == d.server_commitment and body["params_hash"] == d.params_hash
    assert [w["value"] for w in body["witnesses"]] == ["", ""] and body["witnesses"][0]["commitment"]
    assert server_seed(d) not in json.dumps(api.get(u("public_draw_list")).json())
    resp = api.get(u("public_draw_receipt", d.pk))
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "not_found"


def test_public_draw_receipt_once_published(api, ins):
    d = make_draw("published", unit=ins.a)
    body = api.get(u("public_draw_detail", d.pk)).json()
    assert body["seed"] == d.seed and body["published"] is True and body["bundle_url"]
    receipt = api.get(u("public_draw_receipt", d.pk)).json()
    assert receipt["commitment"] == d.commitment and len(receipt["selection"]) == 3


# ================================================================== staff


STAFF_LISTS = ("item_list", "entity_list", "inspector_list", "plan_list", "task_list", "draw_list",
               "inspection_list", "import_list", "statistics")


@pytest.mark.parametrize("name", STAFF_LISTS)
def test_staff_endpoints_need_sign_in(api, name):
    resp = api.get(u(name))
    assert resp.status_code == 401
    assert resp.json()["error"]["code"] == "not_authenticated"


def test_anonymous_cannot_act(api, ins):
    d = make_draw("committed", unit=ins.a)
    assert api.post(u("draw_reveal", d.pk), {"witness_input": "x"}).status_code == 401


def test_draws_are_scoped_to_the_unit(api, ins):
    d = make_draw("committed", unit=ins.a)
    assert ids(as_user(api, ins.clerk_a).get(u("draw_list"))) == [d.pk]
    body = api.get(u("draw_detail", d.pk)).json()
    assert body["commitment"] == d.commitment and body["seed"] == ""
    assert "secret_seed" not in body and "seed_salt" not in body and server_seed(d) not in json.dumps(body)
    as_user(api, ins.clerk_b)
    assert ids(api.get(u("draw_list"))) == []
    assert api.get(u("draw_detail", d.pk)).status_code == 404
    resp = api.post(u("draw_reveal", d.pk), {"witness_input": "监督人输入"}, format="json")
    assert resp.status_code == 404


def test_the_whole_ceremony_through_the_api(api, ins):
    pool(ins.a, objects=5, inspectors=0)
    task = TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=2, witnesses=False)
    as_user(api, ins.clerk_a)
    resp = api.post(u("task_witnesses", task.pk), {"name": "纪检员", "capacity": "派驻纪检组", "kind": "secret"},
                    format="json")
    assert resp.status_code == 201, resp.json()
    wid = resp.json()["id"]
    resp = api.post(u("task_witnesses", task.pk), {"name": "代表", "capacity": "公众代表", "kind": "public"},
                    format="json")
    assert resp.status_code == 400 and "source" in resp.json()["error"]["fields"]
    secret = "掷骰 5 2 6 1 3 3 4"
    resp = api.post(u("witness_commit", wid), {"commitment": hashlib.sha256(secret.encode()).hexdigest()},
                    format="json")
    assert resp.status_code == 200 and resp.json()["value"] == ""
    resp = api.post(u("task_commit", task.pk))
    assert resp.status_code == 201, resp.json()
    did = resp.json()["id"]
    assert api.post(u("draw_reveal", did), {}, format="json").status_code == 409  # the witness first
    bad = api.post(u("witness_reveal", wid), {"value": "掷骰 5 2 6 1 3 3 5"}, format="json")
    assert bad.status_code == 400 and bad.json()["error"]["rule"] == "RAND-05"
    assert api.post(u("witness_reveal", wid), {"value": secret}, format="json").status_code == 200
    resp = api.post(u("draw_reveal", did), {}, format="json")
    assert resp.status_code == 200, resp.json()
    body = resp.json()
    assert body["status"] == DrawStatus.DRAWN and body["witnesses"][0]["value"] == secret
    again = api.post(u("draw_reveal", did), {}, format="json")
    assert again.status_code == 409 and again.json()["error"]["rule"] == "RAND-05"
    receipt = api.get(u("draw_receipt", did))
    assert receipt.status_code == 200 and receipt.json()["witnesses"][0]["value"] == secret


def test_reveal_needs_the_draw_permission(api, ins):
    d = make_draw("committed", unit=ins.a)
    resp = as_user(api, ins.officer_a).post(u("draw_reveal", d.pk), {"witness_input": "x"}, format="json")
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "forbidden"


def test_witness_input_is_validated_in_chinese(api, ins):
    d = make_draw("committed", unit=ins.a)
    w = d.task.witnesses.get(kind="secret")
    resp = as_user(api, ins.clerk_a).post(u("witness_reveal", w.pk), {}, format="json")
    assert resp.status_code == 400 and "value" in resp.json()["error"]["fields"]
    assert as_user(api, ins.clerk_b).post(u("witness_reveal", w.pk), {"value": "x"},
                                          format="json").status_code == 404


def test_commit_through_the_api(api, ins):
    pool(ins.a, objects=5, inspectors=0)
    task = TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=2)
    resp = as_user(api, ins.clerk_a).post(u("task_commit", task.pk))
    assert resp.status_code == 201 and resp.json()["status"] == DrawStatus.COMMITTED
    assert api.post(u("task_commit", task.pk)).status_code == 409


def test_commit_refuses_a_draft_plan_naming_the_rule(api, ins):
    pool(ins.a, objects=5, inspectors=0)
    task = TaskFactory(plan=PlanFactory(unit=ins.a), sample_size=2)
    resp = as_user(api, ins.clerk_a).post(u("task_commit", task.pk))
    assert resp.status_code == 409 and resp.json()["error"]["rule"] == "RAND-09"


def test_items_are_scoped(api, ins):
    mine = InspectionItemFactory(unit=ins.a)
    InspectionItemFactory(unit=ins.b)
    assert ids(as_user(api, ins.clerk_a).get(u("item_list"))) == [mine.pk]
    assert as_user(api, ins.clerk_b).get(u("item_detail", mine.pk)).status_code == 404


def test_entities_are_filtered_and_paginated(api, ins):
    for _ in range(3):
        EntityFactory(industry="餐饮", region="白沙镇")
    target = EntityFactory(industry="药品零售", region="龙凤镇", name="康泰大药房")
    as_user(api, ins.clerk_a)
    body = api.get(u("entity_list"), {"industry": "药品零售"}).json()
    assert [r["id"] for r in body["results"]] == [target.pk] and body["count_truncated"] is False
    assert ids(api.get(u("entity_list"), {"q": "康泰"})) == [target.pk]
    assert ids(api.get(u("entity_list"), {"q": target.credit_code})) == [target.pk]
    body = api.get(u("entity_list"), {"page_size": 2}).json()
    assert body["count"] == 4 and len(body["results"]) == 2 and body["next"]


def test_entities_need_a_role_in_the_module(api, ins):
    from fazhi.org.tests.factories import PersonFactory

    EntityFactory()
    nobody = PersonFactory(unit=ins.a).user
    assert ids(as_user(api, nobody).get(u("entity_list"))) == []


def test_inspections_scoped_and_result_recorded_through_the_service(api, ins):
    i = InspectionFactory(unit=ins.a, officers=ins.inspectors_a[:2])
    InspectionFactory(unit=ins.b)
    as_user(api, ins.clerk_a)
    assert ids(api.get(u("inspection_list"))) == [i.pk]
    resp = api.post(u("inspection_result", i.pk), {"result": "none_found", "inspected_on": "2026-04-07",
                                                   "late_reason": "纸质记录补录"}, format="json")
    assert resp.status_code == 200, resp.json()
    assert resp.json()["status"] == InspectionStatus.RECORDED and resp.json()["publish_due"]
    # SYS-01: the clerk who recorded the result does not publish it; the head does.
    resp = api.post(u("inspection_publish", i.pk), {}, format="json")
    assert resp.status_code == 403 and resp.json()["error"]["rule"] == "SYS-01"
    resp = as_user(api, ins.head_a).post(u("inspection_publish", i.pk), {}, format="json")
    assert resp.status_code == 200 and resp.json()["status"] == InspectionStatus.PUBLISHED
    assert as_user(api, ins.clerk_b).post(u("inspection_publish", i.pk), {}).status_code == 404


def test_result_with_a_bad_choice_is_400(api, ins):
    i = InspectionFactory(unit=ins.a, officers=ins.inspectors_a[:2])
    resp = as_user(api, ins.clerk_a).post(u("inspection_result", i.pk), {"result": "nonsense",
                                                                          "inspected_on": "2026-04-07"})
    assert resp.status_code == 400 and "result" in resp.json()["error"]["fields"]


def test_plans_and_tasks_are_scoped(api, ins):
    plan = PlanFactory(unit=ins.a)
    task = TaskFactory(plan=plan)
    as_user(api, ins.clerk_a)
    assert ids(api.get(u("plan_list"))) == [plan.pk]
    assert ids(api.get(u("task_list"))) == [task.pk]
    as_user(api, ins.clerk_b)
    assert api.get(u("plan_detail", plan.pk)).status_code == 404
    assert api.get(u("task_detail", task.pk)).status_code == 404


def test_inspectors_show_their_certificate(api, ins):
    body = as_user(api, ins.clerk_a).get(u("inspector_list")).json()
    assert body["count"] == 4 and all(r["certificate_number"] for r in body["results"])
    assert as_user(api, ins.clerk_b).get(u("inspector_detail", ins.inspectors_a[0].pk)).status_code == 404


# ---------------------------------------------------------------- imports

CSV = ("名称,统一社会信用代码,行业,区域,风险等级\n"
       f"示范青山食品有限公司,{credit_code(4001)},食品销售,龙凤镇,低\n"
       f"示范绿水餐饮有限公司,{credit_code(4002)},餐饮服务,白沙镇,高\n")


def test_import_starts_and_reports_progress(api, ins):
    as_user(api, ins.clerk_a)
    resp = api.post(u("import_list"), {"file": SimpleUploadedFile("对象.csv", CSV.encode())}, format="multipart")
    assert resp.status_code == 202, resp.json()
    batch = EntityImport.objects.get(pk=resp.json()["id"])
    assert batch.unit == ins.a and batch.status == "pending"
    body = api.get(u("import_detail", batch.pk)).json()
    assert body["status"] == "pending" and "percent" in body["progress"]
    from fazhi.inspections import services

    services.run_import(batch.pk)
    body = api.get(u("import_detail", batch.pk)).json()
    assert body["status"] == "succeeded" and body["created_rows"] == 2 and body["progress"]["percent"] == 100
    assert Entity.objects.filter(credit_code=credit_code(4002), risk_level="high").exists()


def test_import_without_a_file_is_400(api, ins):
    resp = as_user(api, ins.clerk_a).post(u("import_list"), {}, format="multipart")
    assert resp.status_code == 400 and "file" in resp.json()["error"]["fields"]


def test_import_needs_the_pool_permission(api, ins):
    resp = as_user(api, ins.officer_a).post(
        u("import_list"), {"file": SimpleUploadedFile("对象.csv", CSV.encode())}, format="multipart")
    assert resp.status_code == 403
    assert not EntityImport.objects.exists()


def test_another_units_import_is_404(api, ins):
    batch = EntityImportFactory(unit=ins.a, failed=True)
    assert as_user(api, ins.clerk_a).get(u("import_detail", batch.pk)).json()["error_count"] == 1
    assert as_user(api, ins.clerk_b).get(u("import_detail", batch.pk)).status_code == 404


# ------------------------------------------------------------- statistics


def test_statistics_for_the_year(api, ins):
    InspectionFactory(unit=ins.a, published=True, officers=ins.inspectors_a[:2])
    InspectionFactory(unit=ins.a, non_random=True, recorded=True)
    body = as_user(api, ins.clerk_a).get(u("statistics"), {"year": 2026}).json()
    assert body["year"] == 2026
    share = body["random_share"][0]
    assert share["unit"]["id"] == ins.a.pk and share["random"] == 1 and share["total"] == 2
    assert any(r["result"] == "corrected" and r["count"] == 2 for r in body["results_by_type"])
    assert as_user(api, ins.clerk_b).get(u("statistics"), {"year": 2026}).json()["random_share"] == []


def test_statistics_reject_a_bad_year(api, ins):
    assert as_user(api, ins.clerk_a).get(u("statistics"), {"year": 1800}).status_code == 400


# ----------------------------------------------------------------- schema


def test_schema_documents_the_endpoints(api, ins):
    resp = as_user(api, ins.clerk_a).get("/api/schema/", {"format": "json"})
    assert resp.status_code == 200
    paths = json.loads(resp.content)["paths"]
    for p in ("/api/v1/inspections/public/results/", "/api/v1/inspections/draws/{id}/reveal/",
              "/api/v1/inspections/imports/", "/api/v1/inspections/statistics/"):
        assert p in paths, p


def test_dates_are_iso(api, ins):
    InspectionFactory(unit=ins.a, published=True)
    row = api.get(u("public_result_list")).json()["results"][0]
    assert row["inspected_on"] == date(2026, 3, 2).isoformat()


def test_an_officer_id_the_database_cannot_hold_is_a_400_not_a_500(api, ins):
    """Found by schemathesis: ``officers: [2**70]`` overflowed the ``pk__in`` query (500)."""
    i = InspectionFactory(unit=ins.a, officers=ins.inspectors_a[:2])
    resp = as_user(api, ins.clerk_a).post(u("inspection_result", i.pk), {
        "result": "none_found", "inspected_on": "2026-04-07", "officers": [2**70]}, format="json")
    assert resp.status_code == 400
    assert resp.json()["error"]["fields"] == {"officers.0": ["检查人员ID无效"]}
    i.refresh_from_db()
    assert i.status != InspectionStatus.RECORDED


def test_an_unparsable_year_filter_is_400(api, ins):
    resp = as_user(api, ins.clerk_a).get(u("inspection_list"), {"year": "二〇二六"})
    assert resp.status_code == 400 and resp.json()["error"]["fields"] == {"year": ["年度应为整数"]}


def test_several_results_are_published_through_one_call_all_or_none(api, ins):
    a = InspectionFactory(unit=ins.a, recorded=True)
    b = InspectionFactory(unit=ins.a, recorded=True)
    pending = InspectionFactory(unit=ins.a)
    other = InspectionFactory(unit=ins.b, recorded=True)
    as_user(api, ins.clerk_a)
    resp = api.post(u("inspection_publish_batch"), {"ids": [a.pk, pending.pk]}, format="json")
    assert resp.status_code == 409 and pending.entity.name in resp.json()["error"]["message"], resp.json()
    assert api.post(u("inspection_publish_batch"), {"ids": [a.pk, other.pk]}, format="json").status_code == 404
    assert api.post(u("inspection_publish_batch"), {"ids": []}, format="json").status_code == 400
    resp = api.post(u("inspection_publish_batch"), {"ids": [a.pk, b.pk]}, format="json")
    assert resp.status_code == 200 and [r["status"] for r in resp.json()] == [InspectionStatus.PUBLISHED] * 2
    a.refresh_from_db(), other.refresh_from_db()
    assert a.status == InspectionStatus.PUBLISHED and other.status == InspectionStatus.RECORDED
    assert as_user(api, ins.officer_a).post(u("inspection_publish_batch"), {"ids": [pending.pk]},
                                            format="json").status_code == 403
