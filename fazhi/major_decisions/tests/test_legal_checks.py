"""Issue 12 §0 / issue 13 §2 for major decisions: the server's date is the
only today, entered dates (SYS-03), people recorded in a legal capacity
(SYS-02), separation of duties (SYS-01) and a 公布 form that is offered before
its own Party-report date is entered."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.major_decisions import services
from fazhi.major_decisions.models import Consultation, Status
from fazhi.major_decisions.tests.conftest import D, drive, votes
from fazhi.org.models import PastRoleAssignment
from fazhi.org.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

LATE = "会议纪要印发后补录"
MEETING = D(2026, 6, 20)


def T() -> date:
    return timezone.localdate()


def audit_count() -> int:
    return AuditEntry.objects.filter(action__startswith="major_decisions.").count()


def discuss(md, d, *, host=None, head=None, vote_rows=None, held_on=MEETING, **kw):
    return services.record_discussion(
        d, by=md.u.head_gov, meeting_type="standing", meeting_name="区政府第12次常务会议", held_on=held_on,
        host=host or md.head_gov, head=head or md.head_gov, votes=vote_rows or votes(md), head_decision="adopt",
        today=T(), late_reason=kw.pop("late_reason", LATE), **kw)


# ------------------------------------------------------------ the server's clock

def test_a_client_today_two_months_ahead_cannot_close_a_30_day_consultation_early(md):
    d = drive(md, Status.DRAFTING)
    c = services.start_consultation(d, by=md.u.clerk_a, start_on=T(), end_on=T() + timedelta(days=30), today=T())
    api = APIClient()
    api.force_authenticate(md.u.clerk_a)
    url = reverse("api:decisions:decision_action", args=[d.pk, "close_consultation"])
    before = audit_count()
    resp = api.post(url, {"today": str(T() + timedelta(days=60))}, format="json")
    assert resp.status_code == 400 and resp.json()["error"]["rule"] == "SYS-03"
    resp = api.post(url, {}, format="json")
    assert resp.status_code == 409 and resp.json()["error"]["rule"] == "MDEC-04"
    c.refresh_from_db()
    assert c.state == Consultation.State.OPEN and audit_count() == before


def test_publication_cannot_be_recorded_before_the_decision_or_in_the_future(md):
    d = drive(md, Status.DECIDED)  # decided on 2026-06-20
    kw = dict(party_reported_on=D(2026, 6, 22), adoption_explanation="采纳情况说明", today=T(), late_reason=LATE)
    e = pytest.raises(ValidationError, services.publish_decision, d, by=md.u.head_gov,
                      published_on=D(2026, 6, 19), **kw).value
    assert e.rule == "SYS-03" and "集体讨论决定日期" in e.message
    e = pytest.raises(ValidationError, services.publish_decision, d, by=md.u.head_gov,
                      published_on=T() + timedelta(days=1), **kw).value
    assert e.rule == "SYS-03" and "不能晚于今天" in e.message
    e = pytest.raises(ValidationError, services.publish_decision, d, by=md.u.head_gov, published_on=D(2026, 6, 25),
                      **{**kw, "late_reason": ""}).value
    assert e.rule == "SYS-03" and "须说明理由" in e.message
    d.refresh_from_db()
    assert d.status == Status.DECIDED and d.published_on is None
    services.publish_decision(d, by=md.u.head_gov, published_on=D(2026, 6, 25), **kw)
    entry = AuditEntry.objects.filter(action="major_decisions.decision.published").get()
    assert entry.data["backdate_reason"] == LATE and entry.data["party_report_backdate_reason"] == LATE


# ------------------------------------------------------------ SYS-02 capacity

def test_a_clerk_cannot_be_recorded_as_the_head_who_decided(md):
    d = drive(md, Status.DISCUSSION)
    before = audit_count()
    e = pytest.raises(ValidationError, discuss, md, d, head=md.clerk_gov).value
    assert e.rule == "SYS-02" and "决定的行政首长" in e.message and "政府办科员" in e.message
    d.refresh_from_db()
    assert d.status == Status.DISCUSSION and not d.discussions.exists() and audit_count() == before


def test_a_member_without_the_head_role_cannot_be_recorded_at_the_meeting(md):
    d = drive(md, Status.DISCUSSION)
    rows = [*votes(md), {"person": md.clerk_gov, "view": "agree"}]
    e = pytest.raises(ValidationError, discuss, md, d, vote_rows=rows).value
    assert e.rule == "SYS-02" and "会议组成人员" in e.message


def test_a_head_who_had_left_before_the_meeting_cannot_decide(md):
    d = drive(md, Status.DISCUSSION)
    former = PersonFactory(unit=md.gov, name="原区长", post="原区长")
    PastRoleAssignment.objects.create(person=former, role="head", unit=md.gov, ended_on=D(2026, 6, 15))
    e = pytest.raises(ValidationError, discuss, md, d, head=former).value
    assert e.rule == "SYS-02" and "原区长" in e.message
    discuss(md, d, head=md.head_gov)  # the sitting head may


def test_the_meeting_page_offers_only_heads_not_clerks(md):
    d = drive(md, Status.DISCUSSION)
    c = Client()
    c.force_login(md.u.head_gov, backend="django.contrib.auth.backends.ModelBackend")
    page = c.get(reverse("major_decisions:decision_detail", args=[d.pk])).content.decode()
    assert "副区长一" in page and "政府办科员（" not in page


# ------------------------------------------------------------ SYS-03 entered dates

def test_a_meeting_before_the_legality_opinion_is_refused(md):
    d = drive(md, Status.DISCUSSION)  # legality opinion on 2026-06-10
    e = pytest.raises(ValidationError, discuss, md, d, held_on=D(2026, 6, 9)).value
    assert e.rule == "SYS-03" and "合法性审查日期" in e.message


# ------------------------------------------------------ SYS-01 separation of duties

def test_nobody_reviews_a_draft_they_submitted(md):
    both = PersonFactory(unit=md.a, name="兼职审核员", roles=[("clerk", md.a, False), ("reviewer", md.gov, True)])
    d = drive(md, Status.DRAFTING)
    # A decision without participation/experts/risk goes straight to legality review.
    d.needs_participation = d.needs_expert_review = d.needs_risk_assessment = False
    d.save(update_fields=["needs_participation", "needs_expert_review", "needs_risk_assessment"])
    lr = services.submit_legal_review(d, by=both.user, submitted_on=T(), procedures_account="已履行。", today=T())
    before = audit_count()
    e = pytest.raises(PermissionDenied, services.record_legal_review, lr, by=both.user, opinion="lawful",
                      text="合法。", decided_on=T(), today=T()).value
    assert e.rule == "SYS-01"
    d.refresh_from_db()
    assert d.status == Status.LEGAL_REVIEW and audit_count() == before
    services.record_legal_review(lr, by=md.u.reviewer, opinion="lawful", text="合法。", decided_on=T(), today=T())


# ------------------------------------------------- issue 13 §2: every step has its form

def test_the_publish_form_is_offered_before_the_party_report_date_is_stored(md):
    d = drive(md, Status.DECIDED)
    assert d.party_reported_on is None
    c = Client()
    c.force_login(md.u.head_gov, backend="django.contrib.auth.backends.ModelBackend")
    page = c.get(reverse("major_decisions:decision_detail", args=[d.pk])).content.decode()
    assert 'name="publish-party_reported_on"' in page and 'name="publish-published_on"' in page
    resp = c.post(reverse("major_decisions:decision_action", args=[d.pk, "publish"]), {
        "publish-party_reported_on": "2026-06-22", "publish-published_on": "2026-06-25",
        "publish-adoption_explanation": "公众意见已部分采纳。", "publish-late_reason": LATE})
    assert resp.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.PUBLISHED and d.party_reported_on == D(2026, 6, 22)
