"""The case page and the API offer the same actions (issue 14): both render
``services.available_actions(case, user, today)``; an action the API lists is
one it can run and the service accepts."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from fazhi.enforcement import api, views
from fazhi.enforcement.tests.factories import STATES, make_case, make_officer
from fazhi.org.tests.factories import person_with_role

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)
ROLES = ("officer", "head", "reviewer", "clerk")


@pytest.fixture(autouse=True)
def _same_day(monkeypatch):
    monkeypatch.setattr("fazhi.enforcement.views.common.today", lambda: TODAY)
    monkeypatch.setattr("fazhi.enforcement.api._today", lambda: TODAY)


def page_steps(user, case) -> set[str] | None:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = c.get(reverse("enforcement:case_detail", args=[case.pk]))
    if response.status_code in (403, 404):
        return None
    assert response.status_code == 200
    prefix = re.escape(reverse("enforcement:case_action", args=[case.pk, "x"])[:-2])
    return set(re.findall(prefix + r'([a-z_]+)/"', response.content.decode()))


def api_actions(user, case) -> set[str] | None:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(reverse("api:enforcement:case_detail", args=[case.pk]))
    if response.status_code in (403, 404):
        return None
    assert response.status_code == 200
    return {a["action"] for a in response.json()["actions"]}


@pytest.mark.parametrize("state", STATES)
def test_the_page_offers_exactly_the_actions_the_api_lists(state):
    case = make_case(state, hearing=state == "hearing")
    offered = set()
    for role in ROLES:
        user = person_with_role(role, case.unit).user
        on_page, listed = page_steps(user, case), api_actions(user, case)
        assert (on_page is None) == (listed is None), (state, role)
        if on_page is None:
            continue
        assert listed <= set(api.ACTIONS), (state, role)  # every listed action can be run
        assert on_page == {views.ACTION_STEP[a] for a in listed}, (state, role)
        offered |= listed
    if state != "archived":
        assert offered


def test_summary_decide_is_never_listed_on_a_pending_case():
    case = make_case("pending")
    for role in ROLES:
        assert "summary_decide" not in (api_actions(person_with_role(role, case.unit).user, case) or set())


@pytest.mark.parametrize(("state", "role", "action", "data"), [
    ("pending", "head", "file_case", {}),
    ("investigating", "head", "terminate", {"reason": "违法事实不能成立"}),
])
def test_an_action_the_api_lists_is_accepted_by_the_service(state, role, action, data):
    case = make_case(state)
    user = person_with_role(role, case.unit).user
    assert action in api_actions(user, case)
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(reverse("api:enforcement:case_action", args=[case.pk, action]), data, format="json")
    assert response.status_code == 200, response.json()


@pytest.mark.parametrize("state", ["pending", "investigating", "notified"])
def test_the_case_information_is_listed_and_accepted_while_the_officers_may_change(state):
    case = make_case(state)
    user = person_with_role("officer", case.unit).user
    assert "update_case" in api_actions(user, case)
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(reverse("api:enforcement:case_action", args=[case.pk, "update_case"]),
                           {"is_complex": True}, format="json")
    assert response.status_code == 200, response.json()
    case.refresh_from_db()
    assert case.is_complex


@pytest.mark.parametrize("state", ["pending", "investigating"])
def test_assigning_officers_is_listed_and_accepted_while_the_officers_may_change(state):
    case = make_case(state)
    user = person_with_role("officer", case.unit).user
    assert "assign_officers" in api_actions(user, case)
    officers = [make_officer(case.unit), make_officer(case.unit)]
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(reverse("api:enforcement:case_action", args=[case.pk, "assign_officers"]),
                           {"officers": [o.pk for o in officers], "lead": officers[1].pk}, format="json")
    assert response.status_code == 200, response.json()
    assert {co.officer_id for co in case.case_officers.all()} == {o.pk for o in officers}


@pytest.mark.parametrize("action", ["update_case", "assign_officers"])
def test_a_decided_case_no_longer_lists_its_information_or_officers(action):
    case = make_case("decided")
    for role in ROLES:
        assert action not in (api_actions(person_with_role(role, case.unit).user, case) or set())


def test_the_case_page_changes_the_officers_through_the_listed_action():
    case = make_case("investigating")
    user = person_with_role("officer", case.unit).user
    officers = [make_officer(case.unit), make_officer(case.unit)]
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = c.post(reverse("enforcement:case_action", args=[case.pk, "assign_officers"]),
                      {"assign_officers-officers": [o.pk for o in officers]})
    assert response.status_code == 302
    assert {co.officer_id for co in case.case_officers.all()} == {o.pk for o in officers}


@pytest.mark.parametrize("state", STATES)
def test_the_steps_the_page_shows_as_waiting_are_those_available_actions_blocks(state):
    from fazhi.enforcement import services

    case = make_case(state, hearing=state == "hearing")
    for role in ROLES:
        user = person_with_role(role, case.unit).user
        available = services.available_actions(case, user, TODAY)
        c = Client()
        c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        response = c.get(reverse("enforcement:case_detail", args=[case.pk]))
        if response.status_code != 200:
            continue
        page = response.content.decode()
        for b in available.blocked:
            assert b.rule and b.reason
            assert f"<b>{b.label}</b>" in page or views.ACTION_STEP[b.action] in {
                views.ACTION_STEP[o.action] for o in available.offered}, (state, role, b)

