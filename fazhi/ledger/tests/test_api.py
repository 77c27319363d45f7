from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from fazhi.ledger.models import ProgressReport, SupervisionAction
from fazhi.ledger.tests.conftest import measure


@pytest.fixture
def api():
    return APIClient()


def as_(api, person):
    api.force_authenticate(person.user)
    return api


def test_anonymous_is_401(db, api):
    assert api.get(reverse("api:ledger:measure_list")).status_code == 401


def test_measures_are_scoped_and_filtered(lg, plan, api):
    rows = as_(api, lg.clerk_b).get(reverse("api:ledger:measure_list")).json()["results"]
    assert [r["number"] for r in rows] == [1, 2]
    rows = as_(api, lg.assessor).get(reverse("api:ledger:measure_list"), {"unit": lg.a.pk}).json()["results"]
    assert [r["number"] for r in rows] == [1, 3]
    assert as_(api, lg.fzb).get(reverse("api:ledger:measure_list"), {"status": "x"}).status_code == 400


def test_report_through_the_api(lg, plan, api):
    m = measure(plan, 3)
    resp = as_(api, lg.clerk_a).post(reverse("api:ledger:measure_reports", args=[m.pk]), {
        "unit": lg.a.pk, "text": "推进", "percent": 30, "report_date": date.today().isoformat()}, format="json")
    assert resp.status_code == 201 and ProgressReport.objects.count() == 1


def test_report_for_another_units_measure_is_403_or_404(lg, plan, api):
    m1 = measure(plan, 1)
    resp = as_(api, lg.clerk_a).post(reverse("api:ledger:measure_reports", args=[m1.pk]), {
        "unit": lg.s.pk, "text": "x", "percent": 30, "report_date": date.today().isoformat()}, format="json")
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "forbidden"
    m2 = measure(plan, 2)
    resp = api.post(reverse("api:ledger:measure_reports", args=[m2.pk]), {
        "unit": lg.a.pk, "text": "x", "percent": 30, "report_date": date.today().isoformat()}, format="json")
    assert resp.status_code == 404
    assert not ProgressReport.objects.exists()


def test_supervision_api(lg, plan, api):
    m = measure(plan, 2)
    data = {"measure": m.pk, "unit": lg.b.pk, "kind": "talk", "reason": "约谈", "issued_on": "2026-07-01",
            "late_reason": "补录"}
    assert as_(api, lg.clerk_b).post(reverse("api:ledger:supervision_list"), data, format="json").status_code == 403
    resp = as_(api, lg.fzb).post(reverse("api:ledger:supervision_list"), data, format="json")
    assert resp.status_code == 201 and SupervisionAction.objects.count() == 1
    rows = as_(api, lg.clerk_b).get(reverse("api:ledger:supervision_list")).json()["results"]
    assert [r["kind_label"] for r in rows] == ["约谈"]
    assert as_(api, lg.clerk_a).get(reverse("api:ledger:supervision_list")).json()["results"] == []


def test_plans_api(lg, plan, api):
    rows = as_(api, lg.assessor).get(reverse("api:ledger:plan_list")).json()["results"]
    assert [r["title"] for r in rows] == [plan.title]


def test_a_year_python_cannot_hold_is_400_not_500(lg, plan, api):
    """Found by schemathesis: ``?year=-277`` reached ``date(-277, 1, 1)`` (ValueError, 500)."""
    resp = as_(api, lg.assessor).get(reverse("api:ledger:measure_list"), {"year": "-277"})
    assert resp.status_code == 400
    assert resp.json()["error"]["fields"] == {"year": ["年度应在 1949～2099 之间"]}


def test_a_supervision_deadline_in_year_9999_is_400(lg, plan, api):
    m = measure(plan, 2)
    data = {"measure": m.pk, "unit": lg.b.pk, "kind": "talk", "reason": "约谈", "issued_on": "2026-07-01", "late_reason": "补录",
            "deadline": "9999-12-31"}
    resp = as_(api, lg.fzb).post(reverse("api:ledger:supervision_list"), data, format="json")
    assert resp.status_code == 400 and "deadline" in resp.json()["error"]["fields"]
    assert not SupervisionAction.objects.exists()
