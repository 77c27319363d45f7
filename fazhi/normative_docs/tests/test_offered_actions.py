"""The page and the API offer the same workflow steps (issue 14): both render
``selectors.available_actions(user, doc, today)``; an action the API lists is
one the service accepts (``renew`` only inside its window, NDOC-17)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fazhi.normative_docs import api, selectors, views
from fazhi.normative_docs.tests.factories import make_doc

pytestmark = pytest.mark.django_db

# Saving a new version of the text has no API action.
PAGE_ONLY = {"add_version"}
USERS = ("clerk_a", "head_a", "clerk_b", "head_gov", "reviewer")


def page_steps(user, doc) -> set[str] | None:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = c.get(reverse("normative_docs:detail", args=[doc.pk]))
    if response.status_code == 404:
        return None
    assert response.status_code == 200
    prefix = re.escape(reverse("normative_docs:action", args=[doc.pk, "x"])[:-2])
    return set(re.findall(prefix + r'([a-z_]+)/"', response.content.decode()))


def api_actions(user, doc) -> set[str] | None:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(reverse("api:normdocs:doc_detail", args=[doc.pk]))
    if response.status_code == 404:
        return None
    assert response.status_code == 200
    return {a["action"] for a in response.json()["actions"]}


@pytest.mark.parametrize("state", ["drafting", "consulting", "consulted", "legal_review", "discussion", "to_sign", "signed",
                                   "registered", "published", "filed", "accepted"])
def test_the_page_offers_exactly_the_workflow_steps_the_api_lists(nd, state):
    doc = make_doc(state, unit=nd.a)
    offered = set()
    for name in USERS:
        user = getattr(nd, name)
        on_page, listed = page_steps(user, doc), api_actions(user, doc)
        assert (on_page is None) == (listed is None), (state, name)
        if on_page is None:
            continue
        assert listed <= set(api.ACTIONS), (state, name)  # every listed action can be run
        assert on_page - PAGE_ONLY == {views.ACTION_STEP.get(a, a) for a in listed}, (state, name)
        offered |= listed
    assert offered


def test_renew_is_not_offered_before_its_evaluation_window(nd):
    doc = make_doc("published", unit=nd.a)
    today = timezone.localdate()
    assert doc.valid_until and today < selectors.rules.evaluation_starts(doc.valid_until)
    assert "renew" not in api_actions(nd.reviewer, doc)
    assert "renew" not in page_steps(nd.reviewer, doc)
    assert "renew" not in {a.action for a in selectors.available_actions(nd.reviewer, doc, doc.valid_until
                                                                           + timedelta(days=1))}


def test_renew_is_offered_in_its_window_and_the_service_accepts_it(nd):
    doc = make_doc("published", unit=nd.a)
    today = timezone.localdate()
    doc.valid_until = today + timedelta(days=30)
    doc.save(update_fields=["valid_until"])
    assert "renew" in api_actions(nd.reviewer, doc)
    assert "renew" in page_steps(nd.reviewer, doc)
    client = APIClient()
    client.force_authenticate(nd.reviewer)
    response = client.post(reverse("api:normdocs:doc_action", args=[doc.pk, "renew"]),
                        {"evaluation": "评估认为需继续施行"}, format="json")
    assert response.status_code == 200, response.json()
    doc.refresh_from_db()
    assert doc.renewed_count == 1


def test_amend_is_not_offered_while_an_amendment_is_in_procedure(nd):
    from fazhi.normative_docs import services

    doc = make_doc("published", unit=nd.a)
    assert "amend" in api_actions(nd.clerk_a, doc)
    services.start_amendment(doc, by=nd.clerk_a)
    assert "amend" not in api_actions(nd.clerk_a, doc)
    assert "amend" not in page_steps(nd.clerk_a, doc)


@pytest.mark.parametrize(("state", "user", "action", "data"), [
    ("published", "clerk_a", "amend", {}),
    ("registered", "reviewer", "publish", "publish"),
    ("legal_review", "reviewer", "legal_review_reject", {"text": "与上位法抵触"}),
])
def test_an_action_the_api_lists_is_accepted_by_the_service(nd, state, user, action, data):
    doc = make_doc(state, unit=nd.a)
    user = getattr(nd, user)
    assert action in api_actions(user, doc)
    if data == "publish":
        today = timezone.localdate()
        data = {"effective_on": str(today + timedelta(days=30)), "late_reason": "补录"}
    client = APIClient()
    client.force_authenticate(user)
    response = client.post(reverse("api:normdocs:doc_action", args=[doc.pk, action]), data, format="json")
    assert response.status_code == 200, response.json()


def test_the_consultation_steps_are_listed_when_open_and_accepted_by_the_service(nd):
    from fazhi.normative_docs import services
    from fazhi.normative_docs.models import Adoption

    doc = make_doc("consulting", unit=nd.a)
    client = APIClient()
    client.force_authenticate(nd.clerk_a)
    assert "close_consultation" in api_actions(nd.clerk_a, doc)
    assert "publish_summary" not in api_actions(nd.clerk_a, doc)
    response = client.post(reverse("api:normdocs:doc_action", args=[doc.pk, "close_consultation"]), {},
                           format="json")
    assert response.status_code == 200, response.json()
    assert "close_consultation" not in api_actions(nd.clerk_a, doc)
    assert "publish_summary" not in api_actions(nd.clerk_a, doc)  # a comment is still unanswered
    for cm in doc.consultations.get().comments.all():
        services.answer_comment(cm, adoption=Adoption.ADOPTED, reason="采纳", by=None)
    assert "publish_summary" in api_actions(nd.clerk_a, doc)
    assert "publish_summary" in page_steps(nd.clerk_a, doc)
    response = client.post(reverse("api:normdocs:doc_action", args=[doc.pk, "publish_summary"]),
                           {"summary": "共收到1条意见，已采纳。"}, format="json")
    assert response.status_code == 200, response.json()
    assert "publish_summary" not in api_actions(nd.clerk_a, doc)
