"""REST API: 401, scope, figures with sources, generate, transitions, docx."""

import pytest
from rest_framework.test import APIClient

from fazhi.annual_report.models import Report
from fazhi.annual_report.tests.conftest import TODAY, fill


@pytest.fixture(autouse=True)
def _pin_today(monkeypatch):
    monkeypatch.setattr("fazhi.annual_report.api._today", lambda: TODAY)


def api(user=None) -> APIClient:
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def test_anonymous_gets_401(report):
    assert api().get("/api/v1/reports/").status_code == 401
    assert api().get(f"/api/v1/reports/{report.pk}/").status_code == 401


def test_list_is_scoped(report, tree):
    assert [r["id"] for r in api(tree.clerk_a).get("/api/v1/reports/").json()["results"]] == [report.pk]
    assert api(tree.clerk_b).get("/api/v1/reports/").json()["results"] == []


def test_detail_has_sections_and_figures_with_their_sources(report, tree):
    data = api(tree.clerk_a).get(f"/api/v1/reports/{report.pk}/").json()
    assert [s["key"] for s in data["sections"]][:3] == ["intro", "p1", "p1_1"]
    fig = next(f for f in data["figures"] if f["key"] == "nd_published")
    assert fig["value"] == "2" and fig["source"] == "行政规范性文件" and fig["source_url"].startswith("/normdocs/")
    p12 = next(s for s in data["sections"] if s["key"] == "p1_2")
    assert "{{nd_published}}" in p12["text"] and "行政规范性文件2件" in p12["resolved_text"]


def test_another_units_report_is_404(report, tree):
    assert api(tree.clerk_b).get(f"/api/v1/reports/{report.pk}/").status_code == 404


def test_generate_creates_then_regenerates(records, tree):
    c = api(tree.clerk_a)
    first = c.post("/api/v1/reports/generate/", {"unit": tree.a.pk, "year": 2025}, format="json")
    assert first.status_code == 201
    again = c.post("/api/v1/reports/generate/", {"unit": tree.a.pk, "year": 2025}, format="json")
    assert again.status_code == 200 and again.json()["generation_count"] == 2


def test_generate_for_another_unit_is_403(records, tree):
    resp = api(tree.clerk_b).post("/api/v1/reports/generate/", {"unit": tree.a.pk, "year": 2025}, format="json")
    assert resp.status_code == 403 and not Report.objects.exists()


def test_generate_a_year_without_data_is_400_in_chinese(tree):
    resp = api(tree.clerk_a).post("/api/v1/reports/generate/", {"unit": tree.a.pk, "year": 2013}, format="json")
    assert resp.status_code == 400 and "没有任何业务记录" in resp.json()["error"]["message"]


def test_section_patch_and_unknown_reference(report, tree):
    c = api(tree.clerk_a)
    ok = c.patch(f"/api/v1/reports/{report.pk}/sections/p5/", {"text": "无。"}, format="json")
    assert ok.status_code == 200 and ok.json()["edited_text"] == "无。"
    bad = c.patch(f"/api/v1/reports/{report.pk}/sections/p5/", {"text": "{{nope}}"}, format="json")
    assert bad.status_code == 400


def test_transitions_and_refusals(report, tree):
    head = api(tree.head_a)
    refused = head.post(f"/api/v1/reports/{report.pk}/review/", {}, format="json")
    assert refused.status_code == 409 and refused.json()["error"]["rule"] == "RPT-02"
    fill(report, tree.clerk_a)
    assert head.post(f"/api/v1/reports/{report.pk}/review/", {}, format="json").status_code == 200
    missing = head.post(f"/api/v1/reports/{report.pk}/submit/", {
        "submitted_on": "2026-03-02", "recipients": [{"kind": "government", "name": "示范区人民政府"}]}, format="json")
    assert missing.status_code == 409 and missing.json()["error"]["rule"] == "RPT-03"
    sent = head.post(f"/api/v1/reports/{report.pk}/submit/", {"submitted_on": "2026-03-02", "recipients": [
        {"kind": "government", "name": "示范区人民政府"}, {"kind": "higher_dept", "name": "市农业农村局"}]},
        format="json")
    assert sent.status_code == 200 and sent.json()["status"] == "submitted"
    assert head.post(f"/api/v1/reports/{report.pk}/publish/", {}, format="json").json()["status"] == "published"


def test_a_clerk_may_not_review(report, tree):
    assert api(tree.clerk_a).post(f"/api/v1/reports/{report.pk}/review/", {}, format="json").status_code == 403


def test_docx_download(report, tree):
    resp = api(tree.clerk_a).get(f"/api/v1/reports/{report.pk}/docx/")
    assert resp.status_code == 200 and resp.content[:2] == b"PK"
