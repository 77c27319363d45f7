"""/api/v1/workdays/"""

import pytest

pytestmark = pytest.mark.django_db

BASE = "/api/v1/workdays/"


@pytest.fixture
def api(client, clerk):
    client.force_login(clerk.user)
    return client


def test_add_returns_the_deadline_and_its_steps(api):
    body = api.get(BASE + "add/", {"start": "2025-09-25", "n": "20"}).json()
    assert body["due"] == "2025-10-29"
    assert body["provisional"] is False
    assert body["unconfirmed_years"] == []
    assert body["rule"] == "WD"
    assert body["calendar_version"]
    assert sum(s["counted"] for s in body["steps"]) == 20
    assert {"date": "2025-09-28", "counted": True, "ordinal": 2, "action": "计入第2日",
            "reason": "调休上班日（国庆节）"} in body["steps"]


def test_add_calendar_days_with_roll_over(api):
    body = api.get(BASE + "add/", {"start": "2025-09-10", "n": "21", "rule": "CAL", "roll_over": "1"}).json()
    assert body["due"] == "2025-10-09"


def test_add_into_an_unconfirmed_year_is_provisional(api, no_2027):
    body = api.get(BASE + "add/", {"start": "2026-12-25", "n": "10"}).json()
    assert body["provisional"] is True
    assert body["unconfirmed_years"] == [2027]
    assert "未确认" in body["warning"]


@pytest.mark.parametrize("params, field", [
    ({"start": "2025-02-30", "n": "3"}, "start"),
    ({"start": "2025-09-25", "n": "-3"}, "n"),
    ({"start": "2025-09-25", "n": "abc"}, "n"),
    ({"n": "3"}, "start"),
    ({"start": "2025-09-25", "n": "3", "rule": "XX"}, "rule"),
])
def test_bad_input_is_400_with_the_json_error_shape(api, params, field):
    response = api.get(BASE + "add/", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in error["message"])


def test_count(api):
    body = api.get(BASE + "count/", {"a": "2025-09-25", "b": "2025-10-29"}).json()
    assert body["count"] == 20 and body["provisional"] is False


def test_calendar_lists_the_days_of_a_year(api):
    body = api.get(BASE + "calendar/", {"year": "2026"}).json()
    assert body["confirmed"] is True
    assert {"date": "2026-02-28", "kind": "work", "kind_display": "上班", "festival": "春节"} in body["days"]
    assert len(body["days"]) == 33 + 6


def test_calendar_bad_year_is_400(api):
    response = api.get(BASE + "calendar/", {"year": "二〇二六"})
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("年份")


def test_anonymous_is_refused_with_the_error_shape(client):
    response = client.get(BASE + "add/", {"start": "2025-09-25", "n": "20"})
    assert response.status_code in (401, 403)
    assert "error" in response.json()


def test_post_is_not_allowed(api):
    assert api.post(BASE + "add/").status_code == 405


def test_a_count_over_ten_thousand_years_is_refused_at_once(api):
    """A count from year 1 to 9999 tied a worker up for 46 s; the range is capped."""
    response = api.get(BASE + "count/", {"a": "0001-01-01", "b": "9999-12-31"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["a"] == ["起算日应在 1949-01-01 至 2099-12-31 之间"]


def test_a_count_over_more_than_fifty_years_is_400(api):
    response = api.get(BASE + "count/", {"a": "2000-01-01", "b": "2060-01-01"})
    assert response.status_code == 400
    assert response.json()["error"] == {"code": "invalid", "message": "日期范围不能超过 50 年", "rule": None,
                                        "fields": {"a": ["日期范围不能超过 50 年"], "b": ["日期范围不能超过 50 年"]}}
