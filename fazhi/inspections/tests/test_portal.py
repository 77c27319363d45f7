"""双随机、一公开 on the portal: only what is published, escaped and masked;
a draw's commitment and pool hashes before the reveal, its seed after it,
the receipt and pool files once published — enough to verify it independently."""

import gzip
import hashlib
import io
import json
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from fazhi.core import draw as algo
from fazhi.inspections import services
from fazhi.inspections.models import DrawSelection, InspectionStatus
from fazhi.inspections.tests.factories import (
    SCRIPT,
    EntityFactory,
    InspectionFactory,
    InspectionItemFactory,
    PlanFactory,
    TaskFactory,
    credit_code,
    make_draw,
    server_seed,
)

pytestmark = pytest.mark.django_db

OPERATOR, PHONE, ID_NO = "张三丰", "13812345678", "110101199003074514"


def url(name, *args):
    return reverse(f"inspections_portal:{name}", args=args)


def assert_escaped(html: str):
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def get(client, name, *args, **params):
    resp = client.get(url(name, *args), params)
    assert resp.status_code == 200, (name, resp.status_code)
    return resp.content.decode()


# ------------------------------------------------------------------ index


def test_pages_are_public(client):
    for name in ("index", "items", "plans", "draws", "results", "verify"):
        assert client.get(url(name)).status_code == 200, name


def test_pages_refuse_post(client):
    assert client.post(url("results")).status_code == 405


def test_portal_home_lists_latest_published_results(client, ins):
    shown = InspectionFactory(unit=ins.a, published=True, entity=EntityFactory(name="首页可见的公司"))
    InspectionFactory(unit=ins.a, recorded=True, entity=EntityFactory(name="尚未公示的公司"))
    html = client.get(reverse("portal:home")).content.decode()
    assert shown.entity.name in html and "尚未公示的公司" not in html


# ------------------------------------------------------------------ items


def test_item_list_shows_published_current_versions_only(client, ins):
    published = InspectionItemFactory(unit=ins.a, published=True, name=f"公布的事项{SCRIPT}")
    InspectionItemFactory(unit=ins.a, name="草稿事项")
    InspectionItemFactory(unit=ins.a, retired=True, name="停用事项")
    html = get(client, "items")
    assert "公布的事项" in html and published.number in html and ins.a.name in html
    assert "草稿事项" not in html and "停用事项" not in html
    assert_escaped(html)


def test_item_list_filters_by_department(client, ins):
    InspectionItemFactory(unit=ins.a, published=True, name="甲局事项")
    InspectionItemFactory(unit=ins.b, published=True, name="乙局事项")
    html = get(client, "items", unit=ins.b.pk)
    assert "乙局事项" in html and "甲局事项" not in html


# ------------------------------------------------------------------ plans


def test_only_approved_plans_are_shown_with_their_tasks(client, ins):
    plan = PlanFactory(unit=ins.a, approved=True, title=f"批准的计划{SCRIPT}")
    TaskFactory(plan=plan, title="计划中的任务")
    PlanFactory(unit=ins.a, title="草稿计划")
    html = get(client, "plans")
    assert "批准的计划" in html and "计划中的任务" in html and "草稿计划" not in html
    assert_escaped(html)


# ------------------------------------------------------------------ draws


def test_committed_draw_shows_commitment_and_hashes_but_not_the_seed(client, ins):
    d = make_draw("committed", unit=ins.a)
    html = get(client, "draw", d.pk)
    for text in (d.commitment, d.server_commitment, d.objects_hash, d.inspectors_hash, d.recusals_hash,
                 d.params_hash, d.task.witnesses.get(kind="secret").commitment, "2026年3月2日福彩3D开奖号码"):
        assert text in html
    assert server_seed(d) not in html
    assert "种子尚未揭示" in html
    listing = get(client, "draws")
    assert server_seed(d) not in listing
    for name in ("draw_receipt", "draw_bundle"):
        assert client.get(url(name, d.pk)).status_code == 404
    assert client.get(url("draw_file", d.pk, algo.OBJECTS_FILE)).status_code == 404
    # what the freeze committed to is public from the freeze on
    params = client.get(url("draw_file", d.pk, algo.PARAMS_FILE))
    assert params.status_code == 200 and hashlib.sha256(params.content).hexdigest() == d.params_hash
    assert json.loads(params.content)["team_size"] == d.task.team_size


def test_revealed_draw_shows_the_seed_but_not_yet_the_selection(client, ins):
    d = make_draw("drawn", unit=ins.a)
    html = get(client, "draw", d.pk)
    assert d.seed in html and d.final_seed in html and "监督人输入 20260302" in html
    codes = DrawSelection.objects.filter(draw=d).values_list("credit_code", flat=True)
    assert codes and not any(c in html for c in codes)
    assert client.get(url("draw_receipt", d.pk)).status_code == 404


def test_published_draw_offers_receipt_and_pool_files_matching_the_hashes(client, ins):
    d = make_draw("published", unit=ins.a)
    html = get(client, "draw", d.pk)
    assert d.seed in html and d.commitment in html
    sel = DrawSelection.objects.filter(draw=d).select_related("entity").first()
    assert sel.credit_code in html
    assert_escaped(html)

    receipt = client.get(url("draw_receipt", d.pk))
    assert receipt.status_code == 200
    assert hashlib.sha256(receipt.content).hexdigest() == d.receipt_sha256
    assert json.loads(receipt.content)["seed"] == d.seed
    for name, digest in ((algo.OBJECTS_FILE, d.objects_hash), (algo.INSPECTORS_FILE, d.inspectors_hash),
                         (algo.RECUSALS_FILE, d.recusals_hash)):
        resp = client.get(url("draw_file", d.pk, name))
        assert resp.status_code == 200
        assert hashlib.sha256(gzip.decompress(resp.content)).hexdigest() == digest
    assert hashlib.sha256(client.get(url("draw_file", d.pk, algo.PARAMS_FILE)).content).hexdigest() == d.params_hash
    assert client.get(url("draw_file", d.pk, "receipt.json.gz")).status_code == 404
    assert client.get(f"/portal/inspections/draws/{d.pk}/files/..%2F..%2Fsettings.py").status_code == 404


def test_the_downloaded_bundle_verifies_without_the_database(client, ins, tmp_path):
    d = make_draw("published", unit=ins.a, objects=12, sample_size=4)
    resp = client.get(url("draw_bundle", d.pk))
    assert resp.status_code == 200
    zipfile.ZipFile(io.BytesIO(resp.content)).extractall(tmp_path)
    folder = tmp_path / f"draw-{d.pk}"
    assert algo.verify_folder(folder) is None
    # A changed selection no longer verifies.
    data = json.loads((folder / algo.RECEIPT_FILE).read_text(encoding="utf-8"))
    data["selection"][0]["credit_code"] = credit_code(999_999)
    (folder / algo.RECEIPT_FILE).write_text(algo.canonical_json(data), encoding="utf-8")
    assert algo.verify_folder(folder) is not None


def test_unknown_draw_is_404(client):
    assert client.get(url("draw", 999_999)).status_code == 404


def test_verify_page_explains_and_offers_the_reference_implementation(client):
    html = get(client, "verify")
    assert "draw_verify" in html and algo.ALGORITHM_VERSION in html
    resp = client.get(url("algorithm_source"))
    assert resp.status_code == 200 and b"def verify_folder" in resp.content


# ---------------------------------------------------------------- results


def test_only_published_results_are_listed(client, ins):
    shown = InspectionFactory(unit=ins.a, published=True)
    hidden = InspectionFactory(unit=ins.a, recorded=True, entity=EntityFactory(name="未公示结果的公司"))
    pending = InspectionFactory(unit=ins.a, entity=EntityFactory(name="待检查的公司"))
    for page in ("results", "index"):
        html = get(client, page)
        assert shown.entity.credit_code in html
        assert hidden.entity.credit_code not in html and pending.entity.credit_code not in html
        assert "未公示结果的公司" not in html
        assert_escaped(html)


def test_results_of_an_unpublished_draw_are_invisible(client, ins):
    d = make_draw("drawn", unit=ins.a)
    for ins_ in d.task.inspections.all():
        services.record_result(ins_, by=None, result="none_found", inspected_on=date(2026, 4, 2),
                               today=date(2026, 4, 3))
    html = get(client, "results")
    for code in DrawSelection.objects.filter(draw=d).values_list("credit_code", flat=True):
        assert code not in html


def test_result_row_shows_name_code_items_result_and_date(client, ins):
    item = InspectionItemFactory(unit=ins.a, published=True, name="企业公示信息检查")
    task = TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), items=[item])
    i = InspectionFactory(unit=ins.a, task=task, published=True)
    html = get(client, "results")
    for text in (i.entity.credit_code, "企业公示信息检查", "发现问题已责令改正", "2026-03-02", ins.a.name):
        assert text in html, text


def test_search_by_name_and_by_credit_code(client, ins):
    a = InspectionFactory(unit=ins.a, published=True, entity=EntityFactory(name="青松餐饮有限公司"))
    b = InspectionFactory(unit=ins.a, published=True, entity=EntityFactory(name="白云商贸有限公司"))
    html = get(client, "results", q="青松")
    assert a.entity.credit_code in html and b.entity.credit_code not in html
    html = get(client, "results", q=b.entity.credit_code.lower())
    assert b.entity.credit_code in html and a.entity.credit_code not in html
    html = get(client, "results", unit=ins.b.pk)
    assert "没有符合条件的抽查结果" in html


def test_results_are_paginated(client, ins):
    for _ in range(25):
        InspectionFactory(unit=ins.a, published=True)
    html = get(client, "results")
    assert "第 1 / 2 页" in html
    html = get(client, "results", page=2)
    assert "第 2 / 2 页" in html and html.count("<tr>") == 1 + 5


def test_results_page_has_a_fixed_number_of_queries(client, ins, django_assert_max_num_queries):
    item = InspectionItemFactory(unit=ins.a, published=True)
    for _ in range(3):
        task = TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), items=[item])
        for _ in range(4):
            InspectionFactory(unit=ins.a, task=task, published=True)
    with django_assert_max_num_queries(8):
        client.get(url("results"))


def test_individual_business_operator_and_phone_are_masked(client, ins):
    e = EntityFactory(name=f"示范区龙凤镇{OPERATOR}水果店", credit_code=credit_code(77, prefix="92990101"),
                      entity_type="个体工商户", legal_rep=OPERATOR, contact=OPERATOR, phone=PHONE)
    i = InspectionFactory(unit=ins.a, entity=e, published=True)
    i.public_findings = f"经营者{OPERATOR}（电话{PHONE}，身份证{ID_NO}）已当场改正。"
    i.save()
    for page in ("results", "index"):
        html = get(client, page)
        for secret in (OPERATOR, PHONE, ID_NO):
            assert secret not in html, secret
        assert "示范区龙凤镇张**水果店" in html
    assert "138****5678" in get(client, "results")


def test_a_company_is_shown_by_name_with_its_legal_representative(client, ins):
    e = EntityFactory(name="示范青山食品有限公司", legal_rep="王大明", phone=PHONE)
    InspectionFactory(unit=ins.a, entity=e, published=True)
    html = get(client, "results")
    assert "示范青山食品有限公司" in html and "王大明" in html and PHONE not in html


def test_published_status_is_what_counts(client, ins):
    i = InspectionFactory(unit=ins.a, recorded=True)
    assert i.entity.credit_code not in get(client, "results")
    services.publish_result(i, by=None)
    i.refresh_from_db()
    assert i.status == InspectionStatus.PUBLISHED
    assert i.entity.credit_code in get(client, "results")


def test_plans_page_links_each_task_to_its_draw_with_fixed_queries(client, ins, django_assert_max_num_queries):
    d = make_draw("committed", unit=ins.a)
    for _ in range(3):
        TaskFactory(plan=d.task.plan)
    with django_assert_max_num_queries(10):
        html = get(client, "plans")
    assert url("draw", d.pk) in html and "未抽取" in html
