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
from fazhi.enforcement.tests.factories import STATES, make_case
from fazhi.org.tests.factories import person_with_role

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 20)
# Editing the case information has no API action yet (services.update_case).
PAGE_ONLY = {"case_info"}
ROLES = ("officer", "head", "reviewer", "clerk")


@pytest.fixture(autouse=True)
def _same_day(monkeypatch):
    monkeypatch.setattr("fazhi.enforcement.views._today", lambda: TODAY)
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
        assert on_page - PAGE_ONLY == {views.ACTION_STEP[a] for a in listed}, (state, role)
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
