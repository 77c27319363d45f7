"""Separation of duties (SYS-01), capacity (SYS-02) and entered dates
(SYS-03) in the ledger (issues 11 §1 and 12 §0).

Nobody confirms or returns a progress report they filed, whatever roles
they hold; the confirmer is the reporting unit's head on that day; report
and supervision dates are not in the future, not before the plan was issued
or the unit's previous report, and late only with a reason that the trail
keeps; no API takes a client's "today". Each test failed before the change
(only the ``ledger.approve`` permission and "not after today" were checked).
"""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.ledger import selectors, services
from fazhi.ledger.models import ProgressReport, ReportStatus, SupervisionAction
from fazhi.ledger.tests.conftest import TODAY, measure
from fazhi.org.models import RoleAssignment
from fazhi.org.tests.factories import PersonFactory


@pytest.fixture
def clerk_head(lg):
    """A deputy of 农业农村局 who is both its 经办人 and a 负责人."""
    return PersonFactory(unit=lg.a, name="副局长丙", roles=[("clerk", lg.a, True), ("head", lg.a, True)])


def _report(lg, by, **kw):
    args = dict(unit=lg.a, text="完成", percent=100, report_date=TODAY, today=TODAY)
    args.update(kw)
    return services.report_progress(measure(lg.plan, 3), by=by, **args)


@pytest.fixture(autouse=True)
def _plan_on_lg(lg, plan):
    lg.plan = plan


# ------------------------------------------------------------------ SYS-01

def test_a_head_cannot_confirm_a_report_she_filed(lg, clerk_head):
    r = _report(lg, clerk_head.user)
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied) as e:
        services.review_report(r, by=clerk_head.user, confirm=True, today=TODAY)
    assert e.value.rule == "SYS-01" and "本人" in e.value.message
    r.refresh_from_db()
    assert r.status == ReportStatus.SUBMITTED and r.reviewed_by is None
    assert AuditEntry.objects.count() == before


def test_a_head_cannot_return_a_report_she_filed(lg, clerk_head):
    r = _report(lg, clerk_head.user)
    with pytest.raises(PermissionDenied) as e:
        services.review_report(r, by=clerk_head.user, confirm=False, note="重写", today=TODAY)
    assert e.value.rule == "SYS-01"


def test_another_head_confirms_it_and_the_trail_says_when(lg, clerk_head):
    r = _report(lg, clerk_head.user)
    services.review_report(r, by=lg.head_a.user, confirm=True, today=TODAY)
    r.refresh_from_db()
    assert r.status == ReportStatus.CONFIRMED and r.reviewed_by == lg.head_a.user
    entry = AuditEntry.objects.filter(action="ledger.report.confirmed").get()
    assert entry.data["on"] == TODAY.isoformat()


def test_the_page_shows_the_refusal_not_an_error(lg, clerk_head):
    r = _report(lg, clerk_head.user)
    c = Client()
    c.force_login(clerk_head.user)
    resp = c.post(reverse("ledger:report_review", args=[r.measure_id, r.pk]), {"action": "confirm"}, follow=True)
    assert resp.status_code in (200, 403)
    assert "本人经办的事项须由他人审批或审核" in resp.content.decode()
    r.refresh_from_db()
    assert r.status == ReportStatus.SUBMITTED


def test_the_pages_offer_no_confirm_button_on_ones_own_report(lg, clerk_head):
    r = _report(lg, clerk_head.user)
    c = Client()
    c.force_login(clerk_head.user)
    review_url = reverse("ledger:report_review", args=[r.measure_id, r.pk])
    assert review_url not in c.get(reverse("ledger:measure_detail", args=[r.measure_id])).content.decode()
    assert review_url not in c.get(reverse("ledger:my_measures")).content.decode()
    c.force_login(lg.head_a.user)
    assert review_url in c.get(reverse("ledger:measure_detail", args=[r.measure_id])).content.decode()
    assert review_url in c.get(reverse("ledger:my_measures")).content.decode()


# ------------------------------------------------------------------ SYS-02

def test_a_head_whose_role_starts_later_cannot_confirm(lg):
    new_head = PersonFactory(unit=lg.a, name="新任局长")
    RoleAssignment.objects.create(person=new_head, role="head", unit=lg.a, starts_on=TODAY + timedelta(days=1))
    r = _report(lg, lg.clerk_a.user)
    with pytest.raises(ValidationError) as e:
        services.review_report(r, by=new_head.user, confirm=True, today=TODAY)
    assert e.value.rule == "SYS-02" and "新任局长" in e.value.message
    r.refresh_from_db()
    assert r.status == ReportStatus.SUBMITTED


# ------------------------------------------------------------------ SYS-03

def test_a_report_dated_after_today_is_refused(lg):
    with pytest.raises(ValidationError) as e:
        _report(lg, lg.clerk_a.user, report_date=TODAY + timedelta(days=1))
    assert e.value.rule == "SYS-03" and "不能晚于今天" in e.value.message
    assert not ProgressReport.objects.exists()


def test_a_report_dated_before_the_plan_was_issued_is_refused(lg):
    with pytest.raises(ValidationError) as e:
        _report(lg, lg.clerk_a.user, report_date=date(2026, 1, 2), late_reason="补录")
    assert e.value.rule == "SYS-03" and "方案下达日期" in e.value.message
    assert not ProgressReport.objects.exists()


def test_a_report_dated_before_the_units_previous_report_is_refused(lg):
    _report(lg, lg.clerk_a.user, percent=50)
    with pytest.raises(ValidationError) as e:
        _report(lg, lg.clerk_a.user, report_date=TODAY - timedelta(days=3))
    assert e.value.rule == "SYS-03" and "上次报送日期" in e.value.message
    assert ProgressReport.objects.count() == 1


def test_a_late_report_needs_a_reason_which_the_trail_keeps(lg):
    old = TODAY - timedelta(days=40)
    with pytest.raises(ValidationError) as e:
        _report(lg, lg.clerk_a.user, report_date=old)
    assert e.value.rule == "SYS-03" and "须说明理由" in e.value.message
    r = _report(lg, lg.clerk_a.user, report_date=old, late_reason="系统故障未能及时报送")
    assert r.report_date == old
    data = AuditEntry.objects.filter(action="ledger.report.submitted").get().data
    assert data["backdated_days"] == 40 and data["backdate_reason"] == "系统故障未能及时报送"


def test_a_supervision_dated_after_today_is_refused(lg):
    with pytest.raises(ValidationError) as e:
        services.create_supervision(measure(lg.plan, 2), by=lg.fzb.user, unit=lg.b, kind="urge", reason="督办",
                                    issued_on=TODAY + timedelta(days=1), today=TODAY)
    assert e.value.rule == "SYS-03"
    assert not SupervisionAction.objects.exists()


def test_a_late_supervision_is_flagged_in_the_trail(lg):
    with pytest.raises(ValidationError, match="须说明理由"):
        services.create_supervision(measure(lg.plan, 2), by=lg.fzb.user, unit=lg.b, kind="urge", reason="督办",
                                    issued_on=TODAY - timedelta(days=30), today=TODAY)
    services.create_supervision(measure(lg.plan, 2), by=lg.fzb.user, unit=lg.b, kind="urge", reason="督办",
                                issued_on=TODAY - timedelta(days=30), today=TODAY, late_reason="会议纪要补录")
    data = AuditEntry.objects.filter(action="ledger.supervision.created").get().data
    assert data["backdated_days"] == 30 and data["backdate_reason"] == "会议纪要补录"


def test_the_report_form_shows_a_date_refusal(lg):
    c = Client()
    c.force_login(lg.clerk_a.user)
    m3 = measure(lg.plan, 3)
    future = (date.today() + timedelta(days=3)).isoformat()
    resp = c.post(reverse("ledger:measure_report", args=[m3.pk]),
                  {"unit": lg.a.pk, "percent": 50, "report_date": future, "text": "过半"})
    assert resp.status_code == 400 and "不能晚于今天" in resp.content.decode()
    assert not ProgressReport.objects.exists()


# ------------------------------------------------------------------ API: the server's today

def _api(person) -> APIClient:
    api = APIClient()
    api.force_authenticate(person.user)
    return api


def test_the_report_api_refuses_a_client_today(lg):
    m3 = measure(lg.plan, 3)
    resp = _api(lg.clerk_a).post(reverse("api:ledger:measure_reports", args=[m3.pk]), {
        "unit": lg.a.pk, "text": "推进", "percent": 30, "report_date": "2027-01-01", "today": "2027-01-01"},
        format="json")
    assert resp.status_code == 400
    err = resp.json()["error"]
    assert err["rule"] == "SYS-03" and err["fields"]["today"]
    assert not ProgressReport.objects.exists()


def test_the_supervision_api_refuses_a_client_today_and_a_future_date(lg):
    url = reverse("api:ledger:supervision_list")
    data = {"measure": measure(lg.plan, 2).pk, "unit": lg.b.pk, "kind": "talk", "reason": "约谈",
            "issued_on": date.today().isoformat()}
    resp = _api(lg.fzb).post(url, {**data, "today": "2030-01-01"}, format="json")
    assert resp.status_code == 400 and resp.json()["error"]["rule"] == "SYS-03"
    future = (date.today() + timedelta(days=2)).isoformat()
    resp = _api(lg.fzb).post(url, {**data, "issued_on": future}, format="json")
    assert resp.status_code == 400 and resp.json()["error"]["rule"] == "SYS-03"
    assert not SupervisionAction.objects.exists()


# ------------------------------------------------------------------ 我的待办

def _todo(person, today=TODAY):
    return [i.title for i in selectors.dashboard_items(person.user, today) if "待审核" in i.title]


def test_a_report_waiting_for_confirmation_is_on_the_heads_dashboard(lg):
    _report(lg, lg.clerk_a.user)
    assert _todo(lg.head_a) == ["有 1 条推进情况报送待审核"]
    assert _todo(lg.clerk_a) == [] and _todo(lg.clerk_b) == []
    c = Client()
    c.force_login(lg.head_a.user)
    assert "推进情况报送待审核" in c.get("/").content.decode()


def test_a_head_is_not_asked_to_confirm_her_own_report(lg, clerk_head):
    _report(lg, clerk_head.user)
    assert _todo(clerk_head) == []
    assert _todo(lg.head_a) == ["有 1 条推进情况报送待审核"]
