"""Separation of duties (SYS-01), capacity (SYS-02) and entered dates
(SYS-03) in the annual report (issues 11 §1 and 12 §0).

审核/退回 is the unit leadership's approval before the report is sent: not by
anyone who generated or edited the draft, and by a head of the unit on that
day. 报送/公开 dates are not in the future, not before the step they follow,
and late only with a reason that the trail keeps. The API takes no client
"today". Each test failed before the change."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from fazhi.annual_report import selectors, services
from fazhi.annual_report.models import Status
from fazhi.annual_report.tests.conftest import TODAY, fill
from fazhi.audit.models import AuditEntry
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.org.models import Role, RoleAssignment
from fazhi.org.tests.factories import PersonFactory

RECIPIENTS = [{"kind": "government", "name": "示范区人民政府"}, {"kind": "higher_dept", "name": "市农业农村局"}]


@pytest.fixture
def drafting_head(tree):
    """A deputy of a who also holds the 经办人 role there."""
    return PersonFactory(unit=tree.a, name="副局长丙", roles=[("clerk", tree.a, True), ("head", tree.a, True)]).user


@pytest.fixture
def reviewed(report, tree):
    fill(report, tree.clerk_a)
    return services.review(report, by=tree.head_a, today=TODAY)


# ------------------------------------------------------------------ SYS-01

def test_a_head_who_edited_the_draft_cannot_review_it(report, tree, drafting_head):
    fill(report, drafting_head)
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied) as e:
        services.review(report, by=drafting_head, today=TODAY)
    assert e.value.rule == "SYS-01" and "本人" in e.value.message
    report.refresh_from_db()
    assert report.status == Status.DRAFT and not report.reviewed_on
    assert AuditEntry.objects.count() == before


def test_a_head_who_generated_the_draft_cannot_review_it(records, tree, drafting_head):
    report = services.generate_report(tree.a, 2025, by=drafting_head, today=TODAY)
    fill(report, tree.clerk_a)
    with pytest.raises(PermissionDenied) as e:
        services.review(report, by=drafting_head, today=TODAY)
    assert e.value.rule == "SYS-01"
    services.review(report, by=tree.head_a, today=TODAY)  # another head may
    report.refresh_from_db()
    assert report.status == Status.REVIEWED


def test_a_head_who_drafted_cannot_return_it_either(report, tree, drafting_head):
    fill(report, drafting_head)
    services.review(report, by=tree.head_a, today=TODAY)
    with pytest.raises(PermissionDenied) as e:
        services.return_for_changes(report, by=drafting_head, reason="再改改", today=TODAY)
    assert e.value.rule == "SYS-01"
    report.refresh_from_db()
    assert report.status == Status.REVIEWED


def test_the_page_disables_review_for_the_drafter_and_refuses_a_post(report, tree, drafting_head, monkeypatch):
    monkeypatch.setattr("fazhi.annual_report.views._today", lambda: TODAY)
    fill(report, drafting_head)
    c = Client()
    c.force_login(drafting_head, backend="django.contrib.auth.backends.ModelBackend")
    page = c.get(reverse("annual_report:detail", args=[report.pk])).content.decode()
    assert "disabled>审核通过</button>" in page and selectors.OWN_DRAFT in page
    resp = c.post(reverse("annual_report:action", args=[report.pk, "review"]), follow=True)
    assert resp.status_code == 200 and "本人经办的事项须由他人审批或审核" in resp.content.decode()
    report.refresh_from_db()
    assert report.status == Status.DRAFT


# ------------------------------------------------------------------ SYS-02

def test_a_head_whose_role_starts_later_cannot_review(report, tree):
    fill(report, tree.clerk_a)
    new = PersonFactory(unit=tree.a, name="新任局长")
    RoleAssignment.objects.create(person=new, role=Role.HEAD, unit=tree.a, starts_on=TODAY + timedelta(days=1))
    with pytest.raises(ValidationError) as e:
        services.review(report, by=new.user, today=TODAY)
    assert e.value.rule == "SYS-02" and "新任局长" in e.value.message
    report.refresh_from_db()
    assert report.status == Status.DRAFT


# ------------------------------------------------------------------ SYS-03

def test_submission_before_the_review_is_refused(reviewed, tree):
    with pytest.raises(ValidationError) as e:
        services.submit(reviewed, by=tree.clerk_a, submitted_on=TODAY - timedelta(days=1), today=TODAY,
                        recipients=RECIPIENTS)
    assert e.value.rule == "SYS-03" and "审核日期" in e.value.message
    reviewed.refresh_from_db()
    assert reviewed.status == Status.REVIEWED and not reviewed.recipients.exists()


def test_submission_in_the_future_is_refused(reviewed, tree):
    with pytest.raises(ValidationError) as e:
        services.submit(reviewed, by=tree.clerk_a, submitted_on=TODAY + timedelta(days=1), today=TODAY,
                        recipients=RECIPIENTS)
    assert e.value.rule == "SYS-03"


def test_a_late_submission_entry_needs_a_reason_kept_in_the_trail(reviewed, tree):
    later = TODAY + timedelta(days=30)
    with pytest.raises(ValidationError, match="须说明理由"):
        services.submit(reviewed, by=tree.clerk_a, submitted_on=TODAY, today=later, recipients=RECIPIENTS)
    services.submit(reviewed, by=tree.clerk_a, submitted_on=TODAY, today=later, recipients=RECIPIENTS,
                    late_reason="纸质报送后补登")
    data = AuditEntry.objects.filter(action="annual_report.report.submitted").get().data
    assert data["backdated_days"] == 30 and data["backdate_reason"] == "纸质报送后补登"


def test_publication_before_submission_is_refused(reviewed, tree):
    sent_on = TODAY + timedelta(days=5)
    services.submit(reviewed, by=tree.clerk_a, submitted_on=sent_on, today=sent_on, recipients=RECIPIENTS)
    with pytest.raises(ValidationError) as e:
        services.publish(reviewed, by=tree.clerk_a, published_on=sent_on - timedelta(days=1), today=sent_on)
    assert e.value.rule == "SYS-03" and "报送日期" in e.value.message
    reviewed.refresh_from_db()
    assert reviewed.status == Status.SUBMITTED


def test_the_api_refuses_a_client_today(reviewed, tree, monkeypatch):
    monkeypatch.setattr("fazhi.annual_report.api._today", lambda: TODAY)
    api = APIClient()
    api.force_authenticate(tree.head_a)
    resp = api.post(f"/api/v1/reports/{reviewed.pk}/submit/", {"today": "2026-05-01", "recipients": RECIPIENTS},
                    format="json")
    assert resp.status_code == 400
    err = resp.json()["error"]
    assert err["rule"] == "SYS-03" and err["fields"]["today"]
    reviewed.refresh_from_db()
    assert reviewed.status == Status.REVIEWED


def test_the_api_review_by_the_drafter_is_403_with_the_rule(report, tree, drafting_head, monkeypatch):
    monkeypatch.setattr("fazhi.annual_report.api._today", lambda: TODAY)
    fill(report, drafting_head)
    api = APIClient()
    api.force_authenticate(drafting_head)
    resp = api.post(f"/api/v1/reports/{report.pk}/review/", {}, format="json")
    assert resp.status_code == 403 and resp.json()["error"]["rule"] == "SYS-01"


# ------------------------------------------------------------------ 我的待办

def _waiting(user):
    return [i.title for i in selectors.dashboard_items(user, TODAY) if i.title.endswith("待审核")]


def test_a_complete_draft_waits_on_the_heads_dashboard(report, tree):
    assert _waiting(tree.head_a) == []  # placeholders left: not ready for review
    fill(report, tree.clerk_a)
    assert _waiting(tree.head_a) == ["区农业农村局2025年度法治政府建设情况报告待审核"]
    assert _waiting(tree.clerk_a) == [] and _waiting(tree.clerk_b) == []
    services.review(report, by=tree.head_a, today=TODAY)
    assert _waiting(tree.head_a) == []


def test_the_drafting_head_is_not_asked_to_review_her_own_draft(report, tree, drafting_head):
    fill(report, drafting_head)
    assert _waiting(drafting_head) == []
    assert _waiting(tree.head_a) == ["区农业农村局2025年度法治政府建设情况报告待审核"]


def test_the_waiting_review_shows_on_the_home_page(report, tree):
    fill(report, tree.clerk_a)
    c = Client()
    c.force_login(tree.head_a, backend="django.contrib.auth.backends.ModelBackend")
    assert "2025年度法治政府建设情况报告待审核" in c.get("/").content.decode()


def _reports_ready_for_review(tree, n, *, drafted_by_head=0):
    """``n`` complete drafts (no sections, so no placeholder) in new sub-units of a;
    the first ``drafted_by_head`` of them edited by tree.head_a."""
    from django.utils import timezone

    from fazhi.annual_report.models import Report
    from fazhi.audit import services as audit
    from fazhi.org.models import UnitKind
    from fazhi.org.tests.factories import UnitFactory

    made = []
    for i in range(n):
        unit = UnitFactory(name=f"示范区农业农村局第{Report.objects.count() + 1}科", parent=tree.a,
                           kind=UnitKind.INTERNAL)
        r = Report.objects.create(unit=unit, year=2025, title="报告", submit_due=TODAY, publish_due=TODAY,
                                  generated_at=timezone.now(), data_as_of=TODAY)
        if i < drafted_by_head:
            audit.record(r, "annual_report.section.edited", by=tree.head_a)
        made.append(r)
    return made


def _review_queries(user) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as ctx:
        selectors._awaiting_review(user)
    return len(ctx.captured_queries)


def test_the_drafts_awaiting_review_cost_the_same_for_3_or_20_reports(tree):
    """Issue 14: the drafters are read for all drafts at once, not per report."""
    _reports_ready_for_review(tree, 3, drafted_by_head=1)
    few = _review_queries(tree.head_a)
    assert len(selectors._awaiting_review(tree.head_a)) == 2  # not her own draft
    _reports_ready_for_review(tree, 17, drafted_by_head=1)
    assert _review_queries(tree.head_a) == few
    assert len(selectors._awaiting_review(tree.head_a)) == 18
