"""API workflow steps beyond issuance (issue 3 item 8): consultation,
comment answers, fair review, discussion, filing and review, correction,
proposals and clean-up — each through the service the pages call."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fazhi.audit.models import AuditEntry
from fazhi.normative_docs import services
from fazhi.normative_docs.models import CleanupCampaign, Comment, Consultation, FilingStatus, Status
from fazhi.normative_docs.tests.factories import head_of, make_doc

pytestmark = pytest.mark.django_db

D = date(2026, 3, 2)


def server_today() -> date:
    """The server's date: the API takes no "today" from the client (SYS-03)."""
    return timezone.localdate()


def post(user, doc, action, data=None):
    api = APIClient()
    api.force_authenticate(user)
    return api.post(reverse("api:normdocs:doc_action", args=[doc.pk, action]), data or {}, format="json")


def audit_count() -> int:
    return AuditEntry.objects.filter(action__startswith="normative_docs.").count()


def test_start_consultation_through_the_api_is_audited(nd, actions):
    doc = make_doc(unit=nd.a)
    t = server_today()
    resp = post(nd.clerk_a, doc, "start_consultation", {"start_on": str(t), "end_on": str(t + timedelta(days=40))})
    assert resp.status_code == 200 and resp.json()["status"] == Status.CONSULTING
    assert actions()[-1] == "normative_docs.consultation.started"


def test_a_too_short_consultation_is_refused_with_its_rule_and_nothing_changes(nd):
    doc = make_doc(unit=nd.a, touches_market=True)
    before = audit_count()
    t = server_today()
    resp = post(nd.clerk_a, doc, "start_consultation", {"start_on": str(t), "end_on": str(t + timedelta(days=8))})
    assert resp.status_code in (400, 409) and resp.json()["error"]["rule"] == "NDOC-04"
    assert not Consultation.objects.filter(doc=doc).exists() and audit_count() == before


def test_closing_without_an_open_consultation_is_409(nd):
    doc = make_doc(unit=nd.a)
    resp = post(nd.clerk_a, doc, "close_consultation", {})
    assert resp.status_code == 409 and resp.json()["error"]["rule"] == "NDOC-04"


def test_answering_a_comment_and_publishing_the_summary(nd, actions):
    doc = make_doc("consulting", unit=nd.a, today=server_today() - timedelta(days=45))
    c = doc.consultations.get()
    assert post(nd.clerk_a, doc, "close_consultation", {}).status_code == 200
    comment = c.comments.get()
    resp = post(nd.clerk_a, doc, "answer_comment", {"comment": comment.pk, "adoption": "rejected", "reason": "上位法已规定"})
    assert resp.status_code == 200
    assert Comment.objects.get(pk=comment.pk).adoption == "rejected"
    resp = post(nd.clerk_a, doc, "publish_summary", {"summary": "共1条，未采纳1条。"})
    assert resp.status_code == 200
    assert actions()[-2:] == ["normative_docs.comment.answered", "normative_docs.consultation.summary_published"]


def test_a_bad_adoption_is_400_in_chinese(nd):
    doc = make_doc("consulting", unit=nd.a)
    comment = doc.consultations.get().comments.get()
    resp = post(nd.clerk_a, doc, "answer_comment", {"comment": comment.pk, "adoption": "maybe"})
    assert resp.status_code == 400 and "采纳情况应为" in str(resp.json()["error"])


def test_a_comment_of_another_document_is_404(nd):
    doc = make_doc("consulting", unit=nd.a)
    other = make_doc("consulting", unit=nd.a)
    comment = other.consultations.get().comments.get()
    resp = post(nd.clerk_a, doc, "answer_comment", {"comment": comment.pk, "adoption": "adopted"})
    assert resp.status_code == 404


def test_recording_a_discussion_before_legality_review_is_409_with_the_rule(nd):
    doc = make_doc("consulted", unit=nd.a)
    resp = post(nd.clerk_a, doc, "record_discussion", {
        "meeting_type": "office", "meeting_name": "局长办公会议", "held_on": str(server_today()), "outcome": "adopted",
        "chair": head_of(nd.a).pk})
    assert resp.status_code == 409 and resp.json()["error"]["rule"].startswith("NDOC-0")
    doc.refresh_from_db()
    assert not doc.discussions.exists()


def test_filing_accepting_and_deciding_through_the_api(nd, actions):
    doc = make_doc("published", unit=nd.a, today=server_today() - timedelta(days=70))
    resp = post(nd.clerk_a, doc, "file", {"filed_on": str(doc.published_on + timedelta(days=3)),
                                          "package": ["report", "text", "explanation", "legal_opinion", "basis"]})
    assert resp.status_code == 200 and resp.json()["filing_status"] == FilingStatus.FILED
    resp = post(nd.reviewer, doc, "accept_filing", {"receipt_no": "BA-9"})
    assert resp.status_code == 200 and resp.json()["filing_status"] == FilingStatus.ACCEPTED
    resp = post(nd.reviewer, doc, "decide_filing_review", {
        "finding": "lawful"})
    assert resp.status_code == 200 and resp.json()["filing_status"] == FilingStatus.REVIEWED
    assert actions()[-3:] == ["normative_docs.filing.filed", "normative_docs.filing.accepted",
                              "normative_docs.filing_review.decided"]


def test_an_incomplete_filing_package_is_refused_with_ndoc_14(nd):
    doc = make_doc("published", unit=nd.a, today=server_today() - timedelta(days=70))
    resp = post(nd.clerk_a, doc, "file", {"filed_on": str(doc.published_on), "package": ["report"]})
    assert resp.status_code == 400 and resp.json()["error"]["rule"] == "NDOC-14"
    doc.refresh_from_db()
    assert doc.filing_status == FilingStatus.NOT_FILED and not doc.filings.exists()


def test_a_clerk_may_not_accept_a_filing(nd):
    doc = make_doc("filed", unit=nd.a)
    resp = post(nd.clerk_a, doc, "accept_filing", {"receipt_no": "BA-9"})
    assert resp.status_code == 403
    doc.refresh_from_db()
    assert doc.filing_status == FilingStatus.FILED


def test_reporting_a_correction(nd, actions):
    doc = make_doc("correcting", unit=nd.a, today=server_today() - timedelta(days=80))
    resp = post(nd.clerk_a, doc, "report_correction", {"report_text": "已修改第三条。"})
    assert resp.status_code == 200 and resp.json()["filing_status"] == FilingStatus.CORRECTED
    assert actions()[-1] == "normative_docs.correction.reported"


def test_another_units_document_is_404(nd):
    doc = make_doc(unit=nd.a)
    assert post(nd.clerk_b, doc, "start_consultation", {"start_on": "2026-03-02", "end_on": "2026-03-31"}
                ).status_code == 404


def test_replying_to_a_proposal(nd, actions):
    doc = make_doc("published", unit=nd.a)
    p = services.submit_proposal(doc, name="周先生", contact="137", content="建议审查第三条",
                                 today=server_today() - timedelta(days=5))
    resp = post(nd.reviewer, doc, "reply_proposal", {"proposal": p.pk, "reply": "经审查，第三条合法。"})
    assert resp.status_code == 200 and actions()[-1] == "normative_docs.proposal.replied"


def test_a_cleanup_campaign_through_the_api(nd, actions):
    doc = make_doc("published", unit=nd.a)
    api = APIClient()
    api.force_authenticate(nd.reviewer)
    resp = api.post(reverse("api:normdocs:campaign_list"), {
        "unit": nd.gov.pk, "name": "2026年清理", "kind": "periodic", "started_on": "2026-06-01",
        "include_in_force": False}, format="json")
    assert resp.status_code == 201, resp.json()
    pk = resp.json()["id"]

    def step(action, data):
        return api.post(reverse("api:normdocs:campaign_action", args=[pk, action]), data, format="json")

    assert step("publish", {}).status_code in (400, 409)  # nothing selected / decided yet
    assert step("add", {"docs": [doc.pk]}).json()["n_docs"] == 1
    assert step("decide", {"doc": doc.pk, "decision": "continue"}).json()["n_open"] == 0
    resp = step("publish", {})
    assert resp.status_code == 200 and resp.json()["state"] == CleanupCampaign.State.PUBLISHED
    assert actions()[-1] == "normative_docs.cleanup.published"


def test_a_clerk_may_not_start_a_cleanup(nd):
    api = APIClient()
    api.force_authenticate(nd.clerk_a)
    resp = api.post(reverse("api:normdocs:campaign_list"), {
        "unit": nd.a.pk, "name": "清理", "kind": "periodic", "started_on": "2026-06-01"}, format="json")
    assert resp.status_code in (403, 404)
    assert not CleanupCampaign.objects.exists()


def test_the_schema_lists_every_step(nd):
    api = APIClient()
    api.force_authenticate(nd.reviewer)
    schema = api.get("/api/schema/", {"format": "json"}).content.decode()
    for action in ("start_consultation", "answer_comment", "decide_filing_review", "report_correction",
                   "reply_proposal"):
        assert action in schema


def test_a_document_id_the_database_cannot_hold_is_a_400_not_a_500(nd):
    """Found by schemathesis: ``docs: [2**70]`` overflowed the ``pk__in`` query (500)."""
    api = APIClient()
    api.force_authenticate(nd.reviewer)
    resp = api.post(reverse("api:normdocs:campaign_list"), {
        "unit": nd.gov.pk, "name": "2026年清理", "kind": "periodic", "started_on": "2026-06-01",
        "include_in_force": False}, format="json")
    pk = resp.json()["id"]
    resp = api.post(reverse("api:normdocs:campaign_action", args=[pk, "add"]), {"docs": [2**70]}, format="json")
    assert resp.status_code == 400
    assert resp.json()["error"]["fields"] == {"docs.0": ["文件ID无效"]}


# ------------------------------------------- the server's clock (SYS-03, issue 12 §0)

def test_a_client_today_two_months_ahead_cannot_close_a_30_day_consultation_early(nd):
    """A clerk sending a date two months ahead once closed a 30-day consultation
    on its first day (NDOC-04). The server's date is the only today."""
    t = server_today()
    doc = make_doc("consulting", unit=nd.a, touches_market=True, today=t)
    before = audit_count()
    resp = post(nd.clerk_a, doc, "close_consultation", {"today": str(t + timedelta(days=60))})
    assert resp.status_code == 400 and resp.json()["error"]["rule"] == "SYS-03"
    resp = post(nd.clerk_a, doc, "close_consultation", {})
    assert resp.status_code == 409 and resp.json()["error"]["rule"] == "NDOC-04"
    assert doc.consultations.get().state == Consultation.State.OPEN and audit_count() == before


def test_publication_cannot_be_recorded_before_signing(nd):
    t = server_today()
    doc = make_doc("registered", unit=nd.a, today=t - timedelta(days=60))  # signed t-8, registered t-5
    before = audit_count()
    resp = post(nd.clerk_a, doc, "publish", {"effective_on": str(t + timedelta(days=30)),
                                             "published_on": str(t - timedelta(days=9))})
    assert resp.status_code in (400, 403)
    resp = post(nd.reviewer, doc, "publish", {"effective_on": str(t + timedelta(days=30)),
                                              "published_on": str(t - timedelta(days=9))})
    assert resp.status_code == 400 and resp.json()["error"]["rule"] == "SYS-03"
    assert "签发日期" in resp.json()["error"]["message"]
    resp = post(nd.reviewer, doc, "publish", {"effective_on": str(t + timedelta(days=30)), "today": str(t)})
    assert resp.status_code == 400 and resp.json()["error"]["rule"] == "SYS-03"
    doc.refresh_from_db()
    assert doc.status == Status.REGISTERED and doc.published_on is None and audit_count() == before
    resp = post(nd.reviewer, doc, "publish", {"effective_on": str(t + timedelta(days=30))})
    assert resp.status_code == 200 and resp.json()["status"] == Status.PUBLISHED
    doc.refresh_from_db()
    assert doc.published_on == t
