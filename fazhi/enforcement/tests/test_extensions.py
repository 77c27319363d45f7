"""The case period (ENF-08): extensions only before the period runs out, at
most the sector's maximum, a second only by collective discussion; the
periods the law excludes (听证, 检测检验检疫鉴定, 公告) stop the clock and move
the deadline, and the page shows how it was computed."""

from datetime import date, timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from fazhi.core.errors import TransitionRefused, ValidationError
from fazhi.enforcement import rules, selectors, services
from fazhi.enforcement.models import CaseStatus, ClockStop
from fazhi.enforcement.tests.factories import heads, make_case

D = date(2026, 3, 2)  # filed; the 90 days end on 2026-05-31


@pytest.fixture
def case(enf):
    return make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], today=D)


def extend(case, by, today, days=30, **kw):
    return services.extend_deadline(case, by=by, today=today, days=days, reason="案情复杂", basis="部门规章条款", **kw)


# ------------------------------------------------------------------ extensions

def test_an_extension_after_the_period_ran_out_is_refused(enf, case):
    """Main approved one 50 days after the period had expired."""
    assert case.decision_due == date(2026, 5, 31)
    with pytest.raises(ValidationError) as e:
        extend(case, enf.head_a, date(2026, 7, 20))
    assert e.value.rule == "ENF-08" and "届满" in e.value.message
    case.refresh_from_db()
    assert case.decision_due == date(2026, 5, 31) and not case.extensions.exists()


def test_an_extension_on_the_last_day_is_allowed(enf, case):
    ext = extend(case, enf.head_a, date(2026, 5, 31))
    case.refresh_from_db()
    assert ext.old_due == date(2026, 5, 31) and case.decision_due == date(2026, 6, 30)
    assert case.decision_rule == "ENF-08 90日，经批准延长30日"


def test_an_extension_longer_than_the_sector_allows_is_refused(enf, case):
    with pytest.raises(ValidationError) as e:
        extend(case, enf.head_a, D + timedelta(days=80), days=31)
    assert e.value.rule == "ENF-08" and "30日" in e.value.message
    with override_settings(FAZHI_ENFORCEMENT={"extension_max_days_by_field": {"种子": 45}}):
        extend(case, enf.head_a, D + timedelta(days=80), days=45)  # the factory's type is of the field 种子
    case.refresh_from_db()
    assert case.decision_due == date(2026, 7, 15)


def test_a_second_extension_needs_a_collective_discussion(enf, case):
    extend(case, enf.head_a, D + timedelta(days=80))
    with pytest.raises(ValidationError) as e:
        extend(case, enf.head_a, D + timedelta(days=110))
    assert e.value.rule == "ENF-08" and "集体讨论" in e.value.message
    met = D + timedelta(days=108)
    ext = extend(case, enf.head_a, D + timedelta(days=110), discussed_on=met, members=heads(enf.a),
                 conclusion="同意继续延长30日")
    assert ext.discussed_on == met and set(ext.discussion_members.all()) == set(heads(enf.a))
    case.refresh_from_db()
    assert case.decision_due == date(2026, 7, 30) and case.extensions.count() == 2


# ------------------------------------------------------------------ clock stops

def test_a_testing_period_moves_the_deadline(enf, case, actions):
    stop = services.start_clock_stop(case, by=None, today=D + timedelta(days=10), kind="testing",
                                     starts_on=D + timedelta(days=10), reason="送检", basis="程序规定")
    case.refresh_from_db()
    assert case.clock_stopped_on == D + timedelta(days=10) and case.decision_due == date(2026, 5, 31)
    # While it runs the deadline moves day by day and the case is not overdue.
    on = date(2026, 6, 10)
    deadline = services.case_deadline(case, on)
    assert deadline.due == date(2026, 5, 31) + timedelta(days=(on - stop.starts_on).days) and deadline.running_since
    assert not selectors.cases_overdue(on).filter(pk=case.pk).exists()
    services.end_clock_stop(stop, by=None, today=D + timedelta(days=38), ends_on=D + timedelta(days=38))
    case.refresh_from_db()
    assert case.clock_stopped_on is None and case.decision_due == date(2026, 6, 28)  # + 28 days
    assert "不计入28日" in case.decision_rule
    lines = services.case_deadline(case, date(2026, 6, 1)).lines
    assert any("检测、检验、检疫、鉴定" in x and "28日" in x for x in lines) and lines[-1] == "决定期限：2026-06-28"
    assert {"enforcement.case.clock_stopped", "enforcement.case.clock_resumed"} <= set(actions())


def test_a_decision_after_the_90_days_is_allowed_only_within_the_moved_deadline(enf):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    services.waive_rights(case, by=None, today=case.notice_served_on, on=case.notice_served_on)
    stop = services.start_clock_stop(case, by=None, today=D + timedelta(days=5), kind="notice",
                                     starts_on=D + timedelta(days=5), reason="公告送达", basis="程序规定")
    services.end_clock_stop(stop, by=None, today=D + timedelta(days=65), ends_on=D + timedelta(days=65))
    with pytest.raises(TransitionRefused) as e:
        services.decide(case, by=None, today=date(2026, 8, 1), penalty_kinds="罚款", fine_amount="150",
                        reasons="理由")
    assert e.value.rule == "ENF-08"
    services.decide(case, by=None, today=date(2026, 7, 30), penalty_kinds="罚款", fine_amount="150", reasons="理由")
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED


def test_a_stop_starting_after_the_deadline_cannot_revive_it(enf, case):
    with pytest.raises(ValidationError) as e:
        services.start_clock_stop(case, by=None, today=date(2026, 6, 2), kind="testing", starts_on=date(2026, 6, 1),
                                  reason="送检", basis="程序规定")
    assert e.value.rule == "ENF-08"
    assert not case.clock_stops.exists()


def test_the_hearing_period_is_excluded_automatically(enf):
    case = make_case("archived", unit=enf.a, officers=[enf.o1, enf.o2], today=D, hearing=True)
    stop = case.clock_stops.get()
    assert stop.kind == ClockStop.Kind.HEARING and stop.starts_on == case.hearing_requested_on
    assert stop.ends_on == case.hearing_held_on
    assert case.decision_due == date(2026, 5, 31) + timedelta(days=stop.days)


def test_the_hearing_period_is_not_entered_by_hand(enf, case):
    with pytest.raises(ValidationError):
        services.start_clock_stop(case, by=None, today=D, kind="hearing", starts_on=D, reason="x", basis="y")


def test_overlapping_stops_count_once():
    stops = [(date(2026, 3, 10), date(2026, 3, 20)), (date(2026, 3, 15), date(2026, 3, 25)),
             (date(2026, 4, 1), None)]
    assert rules.excluded_days(stops, on=date(2026, 4, 3)) == 15 + 2


def test_the_case_page_shows_the_calculation(enf, case):
    stop = services.start_clock_stop(case, by=None, today=D + timedelta(days=3), kind="testing",
                                     starts_on=D + timedelta(days=3), reason="送检", basis="程序规定")
    services.end_clock_stop(stop, by=None, today=D + timedelta(days=13), ends_on=D + timedelta(days=13))
    extend(case, enf.head_a, D + timedelta(days=95))
    c = Client()
    c.force_login(enf.officer_a, backend="django.contrib.auth.backends.ModelBackend")
    text = c.get(reverse("enforcement:case_detail", args=[case.pk])).content.decode()
    assert "期限计算" in text and "自立案之日（2026-03-02）起90日：2026-05-31" in text
    assert "经批准延长30日" in text and "不计入期间" in text and "决定期限：2026-07-10" in text
    assert "登记不计入办案期限的期间" in text  # the step has its form on the page


def test_the_api_records_clock_stops_and_a_discussed_extension(enf, case, monkeypatch):
    from rest_framework.test import APIClient

    monkeypatch.setattr("fazhi.enforcement.api._today", lambda: D + timedelta(days=10))
    api = APIClient()
    api.force_authenticate(enf.officer_a)
    url = lambda a: reverse("api:enforcement:case_action", args=[case.pk, a])  # noqa: E731
    resp = api.post(url("start_clock_stop"), {"kind": "testing", "starts_on": (D + timedelta(days=9)).isoformat(),
                                              "reason": "送检", "basis": "程序规定"}, format="json")
    assert resp.status_code == 200, resp.json()
    assert resp.json()["clock_stopped_on"] == (D + timedelta(days=9)).isoformat()
    stop = case.clock_stops.get()
    resp = api.post(url("end_clock_stop"), {"stop": stop.pk, "ends_on": (D + timedelta(days=10)).isoformat()},
                    format="json")
    assert resp.status_code == 200, resp.json()
    case.refresh_from_db()
    assert case.decision_due == date(2026, 6, 1) and case.clock_stopped_on is None
    api.force_authenticate(enf.head_a)
    assert api.post(url("extend_deadline"), {"days": 10, "reason": "复杂", "basis": "规章"},
                    format="json").status_code == 200
    leaders = [p.pk for p in heads(enf.a)]
    resp = api.post(url("extend_deadline"), {"days": 10, "reason": "复杂", "basis": "规章",
                                             "discussed_on": (D + timedelta(days=10)).isoformat(),
                                             "members": leaders, "conclusion": "同意"}, format="json")
    assert resp.status_code == 200, resp.json()
    assert case.extensions.count() == 2 and case.extensions.last().discussion_members.count() == 2


# ------------------------------------------------ the officer's request (ENF-08)

def test_an_officer_requests_an_extension_and_the_head_sees_it_waiting(enf, case, actions):
    services.request_extension(case, by=enf.officer_a, today=date(2026, 5, 20), days=30, reason="需送检鉴定")
    case.refresh_from_db()
    assert case.extension_requested_on == date(2026, 5, 20) and case.extension_request_days == 30
    assert actions()[-1] == "enforcement.case.extension_requested"  # audited with the change
    titles = [i.title for i in selectors.dashboard_items(enf.head_a, date(2026, 5, 20))]
    assert any(t.startswith(f"待审批延期：{case.display_no}") for t in titles)
    assert not [i for i in selectors.dashboard_items(enf.clerk_b, date(2026, 5, 20)) if "待审批延期" in i.title]
    extend(case, enf.head_a, date(2026, 5, 21))
    case.refresh_from_db()
    assert case.extension_requested_on is None and case.decision_due == date(2026, 6, 30)
    titles = [i.title for i in selectors.dashboard_items(enf.head_a, date(2026, 5, 21))]
    assert not any(t.startswith("待审批延期") for t in titles)


def test_a_request_after_the_period_ran_out_or_twice_is_refused(enf, case):
    with pytest.raises(ValidationError) as e:
        services.request_extension(case, by=enf.officer_a, today=date(2026, 6, 1), days=30, reason="迟了")
    assert e.value.rule == "ENF-08"
    services.request_extension(case, by=enf.officer_a, today=date(2026, 5, 1), days=30, reason="送检")
    from fazhi.core.errors import Conflict

    with pytest.raises(Conflict) as e:
        services.request_extension(case, by=enf.officer_a, today=date(2026, 5, 2), days=10, reason="再次")
    assert e.value.rule == "ENF-08"
    case.refresh_from_db()
    assert case.extension_request_days == 30


def test_the_head_cannot_request_for_the_officers(enf, case):
    from fazhi.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.request_extension(case, by=enf.head_a, today=date(2026, 5, 1), days=30, reason="送检")


def test_the_api_takes_an_extension_request_like_the_page(enf, case, monkeypatch):
    from rest_framework.test import APIClient

    monkeypatch.setattr("fazhi.enforcement.api._today", lambda: D + timedelta(days=10))
    api = APIClient()
    api.force_authenticate(enf.officer_a)
    url = reverse("api:enforcement:case_action", args=[case.pk, "request_extension"])
    resp = api.post(url, {"days": 20, "reason": "送检"}, format="json")
    assert resp.status_code == 200, resp.json()
    case.refresh_from_db()
    assert case.extension_requested_on == D + timedelta(days=10) and case.extension_request_days == 20
    assert api.post(url, {"days": 20, "reason": "再次"}, format="json").status_code == 409
