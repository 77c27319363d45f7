"""The page and the API offer the same actions (issue 14): both render
``actions.available_actions``; an action offered is one the service accepts."""

import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fazhi.major_decisions import actions, api, views
from fazhi.major_decisions.models import RiskLevel, Status
from fazhi.major_decisions.tests.conftest import drive
from fazhi.major_decisions.tests.test_views import client_for

pytestmark = pytest.mark.django_db

STATES = [
    (Status.LAUNCHED, RiskLevel.LOW), (Status.DRAFTING, RiskLevel.LOW), (Status.PARTICIPATION, RiskLevel.LOW),
    (Status.EXPERT_REVIEW, RiskLevel.LOW), (Status.RISK_ASSESSMENT, RiskLevel.LOW),
    (Status.RISK_ASSESSMENT, RiskLevel.HIGH), (Status.LEGAL_REVIEW, RiskLevel.LOW),
    (Status.DISCUSSION, RiskLevel.LOW), (Status.DECIDED, RiskLevel.LOW), (Status.PUBLISHED, RiskLevel.LOW),
    (Status.EXECUTING, RiskLevel.LOW), (Status.EVALUATING, RiskLevel.LOW),
]
USERS = ("clerk_a", "reviewer", "head_gov", "clerk_gov", "clerk_b")


def page_actions(user, d) -> set[str] | None:
    """The actions the detail page renders as forms: step forms posting to
    ``.../actions/<name>/`` and the answer form under a comment."""
    response = client_for(user).get(reverse("major_decisions:decision_detail", args=[d.pk]))
    if response.status_code == 404:
        return None
    html = response.content.decode()
    prefix = re.escape(reverse("major_decisions:decision_action", args=[d.pk, "X"])[:-2])
    found = set(re.findall(prefix + r'([a-z_]+)/"', html))
    if re.search(r'action="[^"]*/comments/\d+/', html) or 'name="adoption"' in html:
        found.add("answer_comment")
    return found


def api_actions(user, d) -> set[str] | None:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(reverse("api:decisions:decision_detail", args=[d.pk]))
    if response.status_code == 404:
        return None  # not visible to this user: neither face shows it
    assert response.status_code == 200
    return {a["action"] for a in response.json()["actions"]}


def test_the_page_and_the_api_name_every_action_alike():
    assert set(api.ACTIONS) == set(actions.SPECS)
    assert set(views.STEPS) | {"answer_comment"} == set(actions.SPECS)


@pytest.mark.parametrize(("state", "risk"), STATES)
def test_the_page_offers_exactly_the_actions_the_api_lists(md, state, risk):
    d = drive(md, state, risk=risk)
    offered = set()
    for name in USERS:
        user = getattr(md.u, name)
        on_page = page_actions(user, d)
        assert on_page == api_actions(user, d), (state, name)
        offered |= on_page or set()
    assert offered  # someone may act in every state walked here


def test_a_step_the_catalogue_does_not_require_is_neither_offered_nor_blocked(md):
    md.entry.needs_participation = False
    md.entry.save(update_fields=["needs_participation"])
    d = drive(md, Status.DRAFTING)
    assert not d.needs_participation
    available = actions.available_actions(d, md.u.clerk_a, timezone.localdate())
    assert "start_consultation" not in available
    assert "start_consultation" not in {b.action for b in available.blocked}
    assert "start_expert_review" in available  # the next required step is open instead


def test_a_required_step_that_waits_is_blocked_with_its_rule_and_unlock(md):
    d = drive(md, Status.DRAFTING)
    d.draft_text = ""
    d.save(update_fields=["draft_text"])
    available = actions.available_actions(d, md.u.clerk_a, timezone.localdate())
    blocked = {b.action: b for b in available.blocked}
    assert "start_consultation" not in available
    assert blocked["start_consultation"].rule == "MDEC-03"
    assert blocked["start_consultation"].unlock == "保存决策草案"


def _post(user, d, name, data):
    client = APIClient()
    client.force_authenticate(user)
    return client.post(reverse("api:decisions:decision_action", args=[d.pk, name]), data, format="json")


def _inputs(md, today):
    return {
        "start_drafting": {},
        "save_draft": {"draft_text": "第一条 修改后的草案。"},
        "start_consultation": {"start_on": str(today), "end_on": str(today + timedelta(days=40))},
        "abandon": {"reason": "情况变化，不再决策"},
        "publish": {"party_reported_on": str(today), "adoption_explanation": "采纳情况说明"},
        "adjust": {"reason": "情况变化", "content": "调整内容"},
        "stop": {"reason": "情况变化"},
        "start_execution": {},
        "report_execution": {"content": "按计划推进"},
        "start_risk_assessment": {},
    }


@pytest.mark.parametrize(("state", "user"), [
    (Status.LAUNCHED, "clerk_a"), (Status.LAUNCHED, "head_gov"), (Status.DRAFTING, "clerk_a"),
    (Status.DECIDED, "head_gov"), (Status.PUBLISHED, "head_gov"), (Status.PUBLISHED, "clerk_a"),
])
def test_every_offered_action_is_accepted_by_the_service(md, state, user):
    today = timezone.localdate()
    inputs = _inputs(md, today)
    tried = 0
    d = drive(md, state)
    for name in sorted(api_actions(getattr(md.u, user), d)):
        if name not in inputs:
            continue
        with transaction.atomic():  # each action from the same state: roll back after it
            response = _post(getattr(md.u, user), d, name, inputs[name])
            assert response.status_code == 200, (state, name, response.json())
            transaction.set_rollback(True)
        tried += 1
    assert tried
