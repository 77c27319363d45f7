from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from fazhi.training.models import Attendance
from fazhi.training.tests.factories import SessionFactory, attend


@pytest.fixture
def api():
    return APIClient()


def as_(api, person):
    api.force_authenticate(person.user)
    return api


def test_anonymous_is_401(db, api):
    assert api.get(reverse("api:training:session_list")).status_code == 401


def test_sessions_are_scoped(tr, api):
    SessionFactory(unit=tr.a, topic="甲")
    other = SessionFactory(unit=tr.b, topic="乙")
    rows = as_(api, tr.clerk_a).get(reverse("api:training:session_list")).json()["results"]
    assert [r["topic"] for r in rows] == ["甲"]
    resp = api.get(reverse("api:training:session_detail", args=[other.pk]))
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "not_found"


def test_session_list_rejects_a_bad_filter(tr, api):
    resp = as_(api, tr.clerk_a).get(reverse("api:training:session_list"), {"kind": "nope"})
    assert resp.status_code == 400 and "kind" in resp.json()["error"]["fields"]


def test_record_attendance_through_the_api(tr, api):
    s = SessionFactory(unit=tr.a, held=True)
    url = reverse("api:training:session_attendance", args=[s.pk])
    resp = as_(api, tr.clerk_a).post(url, {"rows": [{"name": "何一"}, {"name": "谁"}]}, format="json")
    body = resp.json()["error"]
    assert resp.status_code == 400 and body["rule"] == "LAW-05" and "第2行" in body["fields"]
    assert not Attendance.objects.exists()
    resp = api.post(url, {"rows": [{"name": "何一"}]}, format="json")
    assert resp.status_code == 200 and resp.json() == {"created": 1, "updated": 0}
    detail = api.get(reverse("api:training:session_detail", args=[s.pk])).json()
    assert detail["attendances"][0]["name"] == "何一"


def test_record_attendance_of_a_visible_unit_without_manage_is_403(tr, api):
    s = SessionFactory(unit=tr.a, held=True)
    resp = as_(api, tr.head_a).post(reverse("api:training:session_attendance", args=[s.pk]),
                                    {"rows": [{"name": "何一"}]}, format="json")
    assert resp.status_code == 403


def test_planned_session_attendance_is_409_with_rule(tr, api):
    s = SessionFactory(unit=tr.a)
    resp = as_(api, tr.clerk_a).post(reverse("api:training:session_attendance", args=[s.pk]),
                                     {"rows": [{"name": "何一"}]}, format="json")
    assert resp.status_code == 409 and resp.json()["error"]["rule"] == "LAW-05"


def test_hours_and_shortfall(tr, api):
    attend(tr.officer1, "61", on=date(2026, 2, 2))
    attend(tr.officer_b, "10", on=date(2026, 2, 2))
    rows = as_(api, tr.assessor).get(reverse("api:training:shortfall"), {"year": 2026}).json()["results"]
    assert {r["name"]: r["missing"] for r in rows} == {"何二": "60.0", "孙三": "50.0"}
    rows = as_(api, tr.clerk_b).get(reverse("api:training:shortfall"), {"year": 2026}).json()["results"]
    assert [r["name"] for r in rows] == ["孙三"]
    hours = as_(api, tr.assessor).get(reverse("api:training:hours"), {"year": 2026}).json()["results"]
    assert {r["name"]: r["hours"] for r in hours}["何一"] == "61.0"


def test_shortfall_is_403_without_permission(tr, api):
    assert as_(api, tr.officer1).get(reverse("api:training:shortfall")).status_code == 403


def test_bad_year_is_400(tr, api):
    resp = as_(api, tr.assessor).get(reverse("api:training:shortfall"), {"year": "abc"})
    assert resp.status_code == 400
