"""Publication of a post-evaluation (MDEC-15): only a finished one, only by
the deciding government, audited; until published its report and
conclusion are never on the portal or the public API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import Conflict, PermissionDenied, TransitionRefused
from fazhi.major_decisions import selectors, services
from fazhi.major_decisions.models import Status
from fazhi.major_decisions.tests.conftest import D, drive
from fazhi.major_decisions.tests.test_views import ESCAPED, body, client_for

REPORT = "评估报告：执行效果良好<script>alert(1)</script>"


@pytest.fixture
def evaluation(md):
    d = drive(md, Status.EVALUATING)
    return d.post_evaluations.get()


@pytest.fixture
def finished(md, evaluation):
    return services.finish_post_evaluation(evaluation, by=md.u.clerk_gov, report=REPORT, conclusion="continue",
                                           finished_on=D(2027, 3, 1))


def portal(d) -> str:
    return body(APIClient().get(reverse("major_decisions_portal:decision_detail", args=[d.pk])))


def public_api(d) -> dict:
    return APIClient().get(reverse("api:decisions:public_decision_detail", args=[d.pk])).json()


def test_the_office_publishes_a_finished_evaluation_and_it_is_audited(md, finished):
    ev = services.publish_post_evaluation(finished, by=md.u.clerk_gov, on=D(2027, 3, 5))
    ev.refresh_from_db()
    assert ev.published_on == D(2027, 3, 5)
    entry = AuditEntry.objects.get(action="major_decisions.post_evaluation.published")
    assert entry.data["conclusion"] == "continue"


def test_an_unfinished_evaluation_cannot_be_published(md, evaluation):
    with pytest.raises(TransitionRefused, match="尚未完成"):
        services.publish_post_evaluation(evaluation, by=md.u.clerk_gov, on=D(2027, 3, 5))
    evaluation.refresh_from_db()
    assert evaluation.published_on is None
    assert not AuditEntry.objects.filter(action="major_decisions.post_evaluation.published").exists()


def test_only_the_deciding_government_publishes(md, finished):
    with pytest.raises(PermissionDenied):
        services.publish_post_evaluation(finished, by=md.u.clerk_a, on=D(2027, 3, 5))
    finished.refresh_from_db()
    assert finished.published_on is None


def test_it_is_published_once(md, finished):
    services.publish_post_evaluation(finished, by=md.u.clerk_gov, on=D(2027, 3, 5))
    with pytest.raises(Conflict):
        services.publish_post_evaluation(finished, by=md.u.clerk_gov, on=D(2027, 3, 6))


def test_an_unpublished_conclusion_is_never_on_the_portal_or_the_public_api(md, finished):
    d = finished.decision
    assert list(selectors.public_post_evaluations(d)) == []
    page = portal(d)
    assert "执行效果良好" not in page and "决策后评估" not in page
    assert public_api(d)["post_evaluations"] == []


def test_a_published_evaluation_is_on_the_portal_escaped_and_in_the_public_api(md, finished):
    services.publish_post_evaluation(finished, by=md.u.clerk_gov, on=D(2027, 3, 5))
    d = finished.decision
    page = portal(d)
    assert "执行效果良好" in page and "继续执行" in page and ESCAPED in page and "<script>alert" not in page
    [row] = public_api(d)["post_evaluations"]
    assert (row["conclusion"], row["published_on"], row["report"]) == ("continue", "2027-03-05", REPORT)


def test_the_staff_page_offers_publication_after_the_evaluation_is_finished(md, evaluation):
    d = evaluation.decision
    c = client_for(md.u.clerk_gov)
    url = reverse("major_decisions:decision_action", args=[d.pk, "publish_post_evaluation"])
    assert url not in body(c.get(reverse("major_decisions:decision_detail", args=[d.pk])))
    services.finish_post_evaluation(evaluation, by=md.u.clerk_gov, report=REPORT, conclusion="continue",
                                    finished_on=D(2027, 3, 1))
    assert url in body(c.get(reverse("major_decisions:decision_detail", args=[d.pk])))
    assert client_for(md.u.clerk_a).post(url, {"publish_post_evaluation-on": "2027-03-05"}).status_code == 403
    assert c.post(url, {"publish_post_evaluation-on": "2027-03-05"}).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.published_on == D(2027, 3, 5)


def test_the_api_action_publishes(md, finished):
    api = APIClient()
    api.force_authenticate(md.u.clerk_gov)
    d = finished.decision
    resp = api.post(reverse("api:decisions:decision_action", args=[d.pk, "publish_post_evaluation"]),
                    {"published_on": "2027-03-05"}, format="json")
    assert resp.status_code == 200
    finished.refresh_from_db()
    assert finished.published_on == D(2027, 3, 5)
