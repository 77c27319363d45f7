"""Issue 12 §0 and issue 11 §1 in 双随机、一公开: dates a person enters (SYS-03),
people recorded in a capacity (SYS-02, ENF-01, RAND-05), separation of duties
(SYS-01), the server's clock as the only today. Each refusal names its rule
and changes nothing; a late entry is flagged in the trail."""

from datetime import date, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.inspections import services
from fazhi.inspections.models import Inspection, InspectionStatus, PlanStatus
from fazhi.inspections.tests.factories import (
    EntityFactory,
    InspectionFactory,
    InspectionItemFactory,
    PlanFactory,
    TaskFactory,
    make_draw,
)
from fazhi.org.models import RoleAssignment

T = date(2026, 4, 15)  # the server's date in these tests
TZ = timezone.get_default_timezone()


def _drawn(ins, *, drawn_at=None, **task):
    for _ in range(6):
        EntityFactory()
    task = TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=2, **task)
    kw = {"now": drawn_at} if drawn_at else {}
    draw = make_draw("drawn", task=task, **kw)
    return draw.task.inspections.select_related("selection").first()


def _record(i, by, on, today=T, **kw):
    return services.record_result(i, by=by, result="none_found", inspected_on=on, today=today, **kw)


def _unchanged(i):
    i.refresh_from_db()
    assert i.status == InspectionStatus.PENDING and i.inspected_on is None
    assert not AuditEntry.objects.filter(action="inspections.inspection.result_recorded").exists()


def _refused(exc, rule, text=""):
    assert exc.value.rule == rule, exc.value
    assert text in exc.value.message


# ------------------------------------------------------------ the check date


def test_a_check_dated_in_the_future_is_refused(ins):
    i = _drawn(ins)
    with pytest.raises(ValidationError) as exc:
        _record(i, ins.officer_a, date(2026, 4, 16))
    _refused(exc, "SYS-03", "不能晚于今天")
    _unchanged(i)


def test_a_check_before_the_draw_that_selected_the_object_is_refused(ins):
    i = _drawn(ins, drawn_at=datetime(2026, 4, 8, 10, tzinfo=TZ))
    with pytest.raises(ValidationError) as exc:
        _record(i, ins.officer_a, date(2026, 4, 7))
    _refused(exc, "SYS-03", "随机抽取日期")
    _unchanged(i)
    assert _record(i, ins.officer_a, date(2026, 4, 8)).status == InspectionStatus.RECORDED


def test_a_check_before_the_task_window_is_refused(ins):
    i = _drawn(ins)  # drawn 2 March, window 1 April – 30 June
    with pytest.raises(ValidationError) as exc:
        _record(i, ins.officer_a, date(2026, 3, 31))
    _refused(exc, "SYS-03", "计划开始日期")
    _unchanged(i)


def test_a_check_after_the_window_needs_a_reason_and_is_flagged(ins):
    i = _drawn(ins, planned_end=date(2026, 4, 10))
    with pytest.raises(ValidationError) as exc:
        _record(i, ins.officer_a, date(2026, 4, 13))
    _refused(exc, "SYS-03", "晚于抽查任务计划结束日期")
    assert "late_reason" in exc.value.fields
    _unchanged(i)
    i = _record(i, ins.officer_a, date(2026, 4, 13), late_reason="对象停业，复业后检查")
    assert i.inspected_on == date(2026, 4, 13)
    entry = AuditEntry.objects.get(action="inspections.inspection.result_recorded")
    assert entry.data["after_window_days"] == 3
    assert entry.data["backdate_reason"] == "对象停业，复业后检查"


def test_a_check_entered_long_after_needs_a_reason_and_is_flagged(ins):
    i = _drawn(ins)
    with pytest.raises(ValidationError) as exc:
        _record(i, ins.officer_a, date(2026, 4, 2), today=date(2026, 4, 30))
    _refused(exc, "SYS-03", "补录须说明理由")
    _unchanged(i)
    _record(i, ins.officer_a, date(2026, 4, 2), today=date(2026, 4, 30), late_reason="纸质笔录迟交")
    entry = AuditEntry.objects.get(action="inspections.inspection.result_recorded")
    assert entry.data["backdated_days"] == 28 and entry.data["backdate_reason"] == "纸质笔录迟交"
    assert "after_window_days" not in entry.data


def test_an_entry_on_time_is_not_flagged(ins):
    _record(_drawn(ins), ins.officer_a, date(2026, 4, 10), late_reason="无须理由")
    entry = AuditEntry.objects.get(action="inspections.inspection.result_recorded")
    assert "backdate_reason" not in entry.data and "after_window_days" not in entry.data


# ------------------------------------------------------------ the inspectors


def test_inspectors_outside_the_drawn_team_are_refused(ins):
    i = _drawn(ins)
    team = [m.inspector for m in i.selection.team.all()]
    outsider = next(x for x in ins.inspectors_a if x not in team)
    with pytest.raises(ValidationError) as exc:
        _record(i, ins.officer_a, date(2026, 4, 10), officers=[team[0], outsider])
    _refused(exc, "RAND-05", "不是抽取的检查组成员")
    _unchanged(i)
    assert list(i.officers.order_by("pk")) == sorted(team, key=lambda x: x.pk)


def test_an_inspector_without_a_valid_certificate_on_the_day_is_refused(ins):
    i = _drawn(ins)
    member = i.selection.team.first().inspector
    member.officer.certificates.update(valid_to=date(2026, 4, 5))  # expired before the check
    with pytest.raises(ValidationError) as exc:
        _record(i, ins.officer_a, date(2026, 4, 10))
    _refused(exc, "ENF-01", "没有有效的行政执法证件")
    _unchanged(i)
    # the same team could be recorded for a check on a day the certificate was valid
    assert _record(i, ins.officer_a, date(2026, 4, 5)).status == InspectionStatus.RECORDED


def test_a_non_random_check_in_the_future_creates_nothing(ins):
    with pytest.raises(ValidationError) as exc:
        services.record_non_random(unit=ins.a, by=ins.officer_a, entity=EntityFactory(), reason="complaint",
                                   inspected_on=date(2026, 5, 8), result="none_found", today=date(2026, 5, 7),
                                   officers=ins.inspectors_a[:2])
    _refused(exc, "SYS-03")
    assert not Inspection.objects.exists()


def test_a_non_random_check_by_an_inspector_without_a_certificate_creates_nothing(ins):
    ins.inspectors_a[1].officer.certificates.update(status="suspended")
    with pytest.raises(ValidationError) as exc:
        services.record_non_random(unit=ins.a, by=ins.officer_a, entity=EntityFactory(), reason="complaint",
                                   inspected_on=date(2026, 5, 6), result="none_found", today=date(2026, 5, 7),
                                   officers=ins.inspectors_a[:2])
    _refused(exc, "ENF-01")
    assert not Inspection.objects.exists()


# ------------------------------------------------------------ publication, handover


def test_the_recorder_does_not_publish_the_result(ins):
    i = _drawn(ins)
    _record(i, ins.clerk_a, date(2026, 4, 10))  # the clerk may record and publish, but not both
    with pytest.raises(PermissionDenied) as exc:
        services.publish_result(i, by=ins.clerk_a, now=datetime(2026, 4, 15, 9, tzinfo=TZ))
    _refused(exc, "SYS-01", "职责分离")
    i.refresh_from_db()
    assert i.status == InspectionStatus.RECORDED
    assert not AuditEntry.objects.filter(action="inspections.inspection.published").exists()
    i = services.publish_result(i, by=ins.head_a, now=datetime(2026, 4, 15, 9, tzinfo=TZ))
    assert i.status == InspectionStatus.PUBLISHED


def test_a_publication_dated_before_the_check_is_refused(ins):
    i = InspectionFactory(unit=ins.a, recorded=True)  # checked 2 March
    with pytest.raises(ValidationError) as exc:
        services.publish_result(i, by=ins.head_a, now=datetime(2026, 3, 1, 9, tzinfo=TZ))
    _refused(exc, "SYS-03", "不能早于检查日期")
    i.refresh_from_db()
    assert i.status == InspectionStatus.RECORDED and i.published_at is None


def test_handover_dates_are_checked(ins):
    i = InspectionFactory(unit=ins.a, recorded=True)  # checked 2 March
    for handed, today, text in ((date(2026, 3, 6), date(2026, 3, 5), "不能晚于今天"),
                                (date(2026, 3, 1), date(2026, 3, 5), "不能早于检查日期"),
                                (date(2026, 3, 3), date(2026, 4, 30), "补录须说明理由")):
        with pytest.raises(ValidationError) as exc:
            services.hand_over(i, by=ins.officer_a, receiving_unit=ins.a, handed_over_on=handed, today=today)
        _refused(exc, "SYS-03", text)
    i.refresh_from_db()
    assert i.handover_status == "none" and i.handed_over_on is None
    services.hand_over(i, by=ins.officer_a, receiving_unit=ins.a, handed_over_on=date(2026, 3, 3),
                       today=date(2026, 4, 30), late_reason="移交函补登")
    entry = AuditEntry.objects.get(action="inspections.inspection.handed_over")
    assert entry.data["backdate_reason"] == "移交函补登"


# ------------------------------------------------------------ plans and tasks


def _plan_with_task(ins, created_by):
    plan = PlanFactory(unit=ins.a, year=2026, created_by=created_by)
    TaskFactory(plan=plan, created_by=created_by)
    return plan


def test_the_head_who_drafted_the_plan_does_not_approve_it(ins):
    plan = _plan_with_task(ins, ins.head_a)
    with pytest.raises(PermissionDenied) as exc:
        services.approve_plan(plan, by=ins.head_a, now=datetime(2026, 3, 2, 9, tzinfo=TZ))
    _refused(exc, "SYS-01", "职责分离")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.approved_by is None


def test_the_head_who_drafted_a_task_does_not_approve_the_plan(ins):
    plan = PlanFactory(unit=ins.a, year=2026, created_by=ins.clerk_a)
    TaskFactory(plan=plan, created_by=ins.head_a)
    with pytest.raises(PermissionDenied) as exc:
        services.approve_plan(plan, by=ins.head_a, now=datetime(2026, 3, 2, 9, tzinfo=TZ))
    _refused(exc, "SYS-01")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_the_approver_holds_the_head_role_on_the_day(ins):
    plan = _plan_with_task(ins, ins.clerk_a)
    RoleAssignment.objects.filter(person__user=ins.head_a, role="head").update(starts_on=date(2026, 3, 10))
    with pytest.raises(ValidationError) as exc:
        services.approve_plan(plan, by=ins.head_a, now=datetime(2026, 3, 2, 9, tzinfo=TZ))
    _refused(exc, "SYS-02", "不是")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    plan = services.approve_plan(plan, by=ins.head_a, now=datetime(2026, 3, 10, 9, tzinfo=TZ))
    assert plan.status == PlanStatus.APPROVED
    assert AuditEntry.objects.filter(action="inspections.plan.approved").count() == 1


def test_a_task_window_outside_the_plan_year_is_refused(ins):
    plan = PlanFactory(unit=ins.a, year=2026)
    item = InspectionItemFactory(unit=ins.a, published=True)
    with pytest.raises(ValidationError) as exc:
        services.create_task(plan, by=ins.clerk_a, title="跨年", items=[item], planned_start=date(2026, 12, 1),
                             planned_end=date(2027, 1, 31), sample_size=2)
    _refused(exc, "SYS-03", "不在计划年度")
    assert "planned_end" in exc.value.fields and not plan.tasks.exists()


# ------------------------------------------------------------ pages and API


def _client(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def _url(name, *args):
    return reverse(f"inspections:{name}", args=args)


def test_the_page_shows_a_refused_date_and_keeps_the_record(ins):
    i = _drawn(ins)
    tomorrow = timezone.localdate().toordinal() + 1
    response = _client(ins.clerk_a).post(_url("inspection_action", i.pk, "record"), {
        "record-result": "none_found", "record-inspected_on": date.fromordinal(tomorrow).isoformat()})
    text = response.content.decode()
    assert response.status_code == 400 and "不能晚于今天" in text
    _unchanged(i)


def test_the_page_records_a_late_entry_with_its_reason_in_the_trail(ins):
    i = _drawn(ins)
    c = _client(ins.clerk_a)
    data = {"record-result": "none_found", "record-inspected_on": "2026-04-10"}
    response = c.post(_url("inspection_action", i.pk, "record"), data)
    assert response.status_code == 400 and "补录须说明理由" in response.content.decode()
    _unchanged(i)
    response = c.post(_url("inspection_action", i.pk, "record"), {**data, "record-late_reason": "笔录迟交"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="inspections.inspection.result_recorded")
    assert entry.data["backdate_reason"] == "笔录迟交"


def test_the_page_shows_the_separation_of_duties_refusal(ins):
    i = _drawn(ins)
    _record(i, ins.clerk_a, date(2026, 4, 10))
    c = _client(ins.clerk_a)
    response = c.post(_url("inspection_action", i.pk, "publish"), {"publish-content": ""})
    assert response.status_code == 400 and "职责分离" in response.content.decode()
    response = c.post(_url("inspection_publish_batch"), {"ids": [i.pk]}, follow=True)
    assert response.status_code == 200 and "职责分离" in response.content.decode()
    i.refresh_from_db()
    assert i.status == InspectionStatus.RECORDED


def test_the_plan_page_shows_the_separation_of_duties_refusal(ins):
    plan = _plan_with_task(ins, ins.head_a)
    response = _client(ins.head_a).post(_url("plan_approve", plan.pk), follow=True)
    assert response.status_code == 200 and "职责分离" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


@pytest.mark.parametrize("key", ["today", "now"])
def test_the_api_refuses_a_client_today_and_changes_nothing(ins, key):
    i = InspectionFactory(unit=ins.a, officers=ins.inspectors_a[:2])
    api = APIClient()
    api.force_authenticate(ins.clerk_a)
    resp = api.post(reverse("api:inspections:inspection_result", args=[i.pk]),
                    {"result": "none_found", "inspected_on": "2026-04-07", "late_reason": "补录", key: "2026-04-08"},
                    format="json")
    assert resp.status_code == 400 and resp.json()["error"]["rule"] == "SYS-03"
    assert key in resp.json()["error"]["fields"]
    i.refresh_from_db()
    assert i.status == InspectionStatus.PENDING and not AuditEntry.objects.filter(
        action__startswith="inspections.inspection.").exists()
    recorded = InspectionFactory(unit=ins.a, recorded=True)
    api.force_authenticate(ins.head_a)
    resp = api.post(reverse("api:inspections:inspection_publish", args=[recorded.pk]), {key: "2026-03-03"},
                    format="json")
    assert resp.status_code == 400 and resp.json()["error"]["rule"] == "SYS-03"
    recorded.refresh_from_db()
    assert recorded.status == InspectionStatus.RECORDED


def test_the_api_dates_a_result_by_the_server_clock(ins):
    i = InspectionFactory(unit=ins.a, officers=ins.inspectors_a[:2])
    api = APIClient()
    api.force_authenticate(ins.clerk_a)
    tomorrow = date.fromordinal(timezone.localdate().toordinal() + 1).isoformat()
    resp = api.post(reverse("api:inspections:inspection_result", args=[i.pk]),
                    {"result": "none_found", "inspected_on": tomorrow}, format="json")
    assert resp.status_code == 400 and resp.json()["error"]["rule"] == "SYS-03"
    i.refresh_from_db()
    assert i.status == InspectionStatus.PENDING
