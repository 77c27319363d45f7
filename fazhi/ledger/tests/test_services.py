from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from fazhi.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from fazhi.ledger import parser, services
from fazhi.ledger.models import (
    MeasureAssignment,
    Plan,
    PlanStatus,
    ProgressReport,
    Reminder,
    SupervisionKind,
    SupervisionStatus,
)
from fazhi.ledger.tests.conftest import PLAN_TEXT, TODAY, confirmed, measure


def test_import_matches_units_and_deadlines(lg, actions):
    p = services.import_plan(parser.parse_plan(PLAN_TEXT), unit=lg.gov, by=lg.fzb.user, source_sha256="b" * 64)
    m1 = measure(p, 1)
    assert p.status == PlanStatus.DRAFT and p.measures.count() == 3 and (p.year_start, p.year_end) == (2026, 2026)
    assert m1.lead_unit == lg.s and m1.deadline == date(2026, 6, 30)
    assert set(m1.assignments.filter(role="partner").values_list("unit", flat=True)) == {lg.a.pk, lg.b.pk}
    assert actions() == ["ledger.plan.imported"]


def test_import_is_refused_for_a_department_clerk(lg):
    with pytest.raises(PermissionDenied):
        services.import_plan(parser.parse_plan(PLAN_TEXT), unit=lg.gov, by=lg.clerk_a.user, source_sha256="c" * 64)
    assert not Plan.objects.exists()


def test_the_same_file_twice_is_a_conflict(lg, plan):
    with pytest.raises(Conflict):
        services.import_plan(parser.parse_plan(PLAN_TEXT), unit=lg.gov, by=None, source_sha256="a" * 64)
    assert Plan.objects.count() == 1


def test_find_unit_by_full_or_short_name(lg):
    assert services.find_unit("司法局") == lg.s and services.find_unit("示范区司法局") == lg.s
    with pytest.raises(NotFound, match="找不到单位"):
        services.find_unit("不存在局")


def test_a_measure_without_lead_cannot_be_issued(lg, actions):
    text = "方案(2026年)\n一、任务\n1.甲事。\n2.乙事。\n牵头单位：示范区司法局\n完成时限：2026年5月\n"
    p = services.import_plan(parser.parse_plan(text), unit=lg.gov, by=None, source_sha256="d" * 64)
    with pytest.raises(ValidationError, match="尚未确定牵头单位，不能下达：第1项"):
        services.activate_plan(p, by=lg.fzb.user)
    p.refresh_from_db()
    assert p.status == PlanStatus.DRAFT
    services.assign_measures([measure(p, 1)], by=lg.fzb.user, lead=lg.a, deadline=date(2026, 4, 30))
    services.activate_plan(p, by=lg.fzb.user)
    assert actions()[-2:] == ["ledger.measure.assigned", "ledger.plan.activated"]


def test_assign_replaces_the_lead_and_keeps_one(lg, plan):
    m = measure(plan, 1)
    services.assign_measures([m], by=lg.fzb.user, lead=lg.a)
    m.refresh_from_db()
    assert m.lead_unit == lg.a
    assert list(m.assignments.filter(role="lead").values_list("unit", flat=True)) == [lg.a.pk]
    assert not m.assignments.filter(unit=lg.a, role="partner").exists()


def test_one_lead_is_a_database_constraint(lg, plan):
    with pytest.raises(IntegrityError), transaction.atomic():
        MeasureAssignment.objects.create(measure=measure(plan, 1), unit=lg.ad, role="lead")


def test_assign_by_a_department_clerk_is_refused(lg, plan):
    with pytest.raises(PermissionDenied):
        services.assign_measures([measure(plan, 1)], by=lg.clerk_a.user, lead=lg.a)


def test_lead_unit_reports_and_completes_on_time(lg, plan, actions):
    m = measure(plan, 1)
    confirmed(services.report_progress(m, by=None, unit=lg.s, text="推进", percent=40, report_date=date(2026, 5, 1),
                                       today=TODAY, late_reason="补录"))
    services.report_progress(m, by=None, unit=lg.s, text="完成", percent=100, report_date=date(2026, 6, 30),
                             today=TODAY, late_reason="补录")
    assert actions()[-1] == "ledger.report.submitted"
    confirmed(ProgressReport.objects.get(percent=100))
    m.refresh_from_db()
    assert m.progress == 100 and m.completed_on == date(2026, 6, 30) and m.report_count == 2


def test_partner_clerk_may_report(lg, plan):
    r = services.report_progress(measure(plan, 1), by=lg.clerk_a.user, unit=lg.a, text="配合", percent=30,
                                 report_date=TODAY, today=TODAY)
    assert r.unit == lg.a


def test_another_units_clerk_cannot_report(lg, plan):
    m2 = measure(plan, 2)  # lead b, no partners
    with pytest.raises(PermissionDenied, match="不是该措施的牵头或配合单位"):
        services.report_progress(m2, by=lg.clerk_a.user, unit=lg.a, text="x", percent=10, report_date=TODAY,
                                 today=TODAY)
    with pytest.raises(PermissionDenied, match="没有代表"):
        services.report_progress(m2, by=lg.clerk_a.user, unit=lg.b, text="x", percent=10, report_date=TODAY,
                                 today=TODAY)
    assert not ProgressReport.objects.exists()


def test_report_refuses_bad_input(lg, plan):
    m = measure(plan, 1)
    with pytest.raises(ValidationError) as e:
        services.report_progress(m, by=None, unit=lg.s, text=" ", percent=120, report_date=date(2026, 8, 1),
                                 today=TODAY)
    assert set(e.value.fields) == {"text", "percent", "report_date"}
    assert not ProgressReport.objects.exists()


def test_report_on_a_plan_not_issued_is_refused(lg):
    p = services.import_plan(parser.parse_plan(PLAN_TEXT), unit=lg.gov, by=None, source_sha256="e" * 64)
    with pytest.raises(Conflict, match="尚未下达"):
        services.report_progress(measure(p, 1), by=None, unit=lg.s, text="x", percent=10, report_date=TODAY,
                                 today=TODAY)


def test_attachment_is_checked_by_content(lg, plan):
    m = measure(plan, 1)
    bad = SimpleUploadedFile("a.pdf", b"MZ not a pdf")
    with pytest.raises(ValidationError, match="文件类型不符"):
        services.report_progress(m, by=None, unit=lg.s, text="x", percent=10, report_date=TODAY, today=TODAY,
                                 files=[bad])
    assert not ProgressReport.objects.exists()
    ok = SimpleUploadedFile("证明.pdf", b"%PDF-1.4 test")
    r = services.report_progress(m, by=None, unit=lg.s, text="x", percent=10, report_date=TODAY, today=TODAY,
                                 files=[ok])
    assert r.attachments.get().original_name == "证明.pdf"


def test_head_returns_a_report_and_completion_is_undone(lg, plan, actions):
    m = measure(plan, 3)  # lead a
    r = services.report_progress(m, by=lg.clerk_a.user, unit=lg.a, text="完成", percent=100, report_date=TODAY,
                                 today=TODAY)
    with pytest.raises(PermissionDenied):
        services.review_report(r, by=lg.clerk_a.user, confirm=True, today=TODAY)
    with pytest.raises(ValidationError, match="退回须写明理由"):
        services.review_report(r, by=lg.head_a.user, confirm=False, today=TODAY)
    services.review_report(r, by=lg.head_a.user, confirm=False, note="佐证不足", today=TODAY)
    m.refresh_from_db()
    assert m.completed_on is None and m.progress == 0
    assert actions()[-1] == "ledger.report.returned"


def test_split_into_tasks(lg, plan, actions):
    m = measure(plan, 3)  # lead a: its clerk may split
    t = services.add_task(m, by=lg.clerk_a.user, unit=lg.ad, title="执法大队清理", deadline=date(2026, 10, 31))
    assert t.seq == 1 and actions()[-1] == "ledger.task.created"
    with pytest.raises(ValidationError, match="不能晚于措施时限"):
        services.add_task(m, by=lg.clerk_a.user, unit=lg.ad, title="晚", deadline=date(2027, 1, 31))
    with pytest.raises(PermissionDenied):
        services.add_task(m, by=lg.clerk_b.user, unit=lg.b, title="x", deadline=date(2026, 10, 1))
    r = confirmed(services.report_progress(m, by=None, unit=lg.ad, text="完成", percent=100, report_date=TODAY,
                                           today=TODAY, task=t))
    t.refresh_from_db()
    m.refresh_from_db()
    assert r.task == t and t.completed_on == TODAY and m.completed_on is None


def test_supervision_lifecycle_with_workday_deadline(lg, plan, actions):
    m = measure(plan, 2)
    # issued Thu 24 Sep 2026; 15 working days (CAL-06): 25–27 Sep and 1–7 Oct off, Sat 10 Oct works:
    # 28,29,30 Sep; 8,9,10,12,13,14,15,16,19,20,21,22 Oct -> 22 Oct
    a = services.create_supervision(m, by=lg.fzb.user, unit=lg.b, kind=SupervisionKind.RECTIFY,
                                    reason="逾期未完成", issued_on=date(2026, 9, 24), today=date(2026, 9, 24))
    assert a.deadline == date(2026, 10, 22)
    with pytest.raises(Conflict, match="尚未回复"):
        services.close_supervision(a, by=lg.fzb.user, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.respond_supervision(a, by=lg.clerk_a.user, response="x", today=TODAY)
    services.respond_supervision(a, by=lg.clerk_b.user, response="已整改", today=TODAY)
    with pytest.raises(PermissionDenied):
        services.close_supervision(a, by=lg.clerk_b.user, today=TODAY)
    a = services.close_supervision(a, by=lg.fzb.user, note="核实", today=TODAY)
    assert a.status == SupervisionStatus.CLOSED
    assert actions()[-3:] == ["ledger.supervision.created", "ledger.supervision.responded",
                              "ledger.supervision.closed"]


def test_supervision_only_against_a_responsible_unit(lg, plan):
    with pytest.raises(ValidationError, match="不是该措施的责任单位"):
        services.create_supervision(measure(plan, 2), by=None, unit=lg.a, kind="talk", reason="x",
                                    issued_on=TODAY, today=TODAY)


def test_reminders_are_logged_once(lg, plan, actions):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    now = datetime(2026, 7, 15, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    n = services.send_reminders(now)
    # measure 1 (30 Jun) overdue; 2 (30 Sep) and 3 (31 Dec) not yet within 10 working days
    assert n == 1 and Reminder.objects.get().kind == "overdue"
    assert services.send_reminders(now) == 0 and Reminder.objects.count() == 1
    assert actions().count("ledger.reminders.logged") == 1


# ------------------------------------------- only confirmed reports count (issue 14)

def test_an_unconfirmed_report_does_not_count_toward_progress(lg, plan):
    m = measure(plan, 3)  # lead a
    r = services.report_progress(m, by=lg.clerk_a.user, unit=lg.a, text="完成", percent=100, report_date=TODAY,
                                 today=TODAY)
    m.refresh_from_db()
    assert r.get_status_display() == "待确认"
    assert m.progress == 0 and m.completed_on is None and m.report_count == 0 and m.last_reported_on is None
    services.review_report(r, by=lg.head_a.user, confirm=True, today=TODAY)
    m.refresh_from_db()
    assert m.progress == 100 and m.completed_on == TODAY and m.report_count == 1


def test_an_unconfirmed_later_report_leaves_the_confirmed_progress(lg, plan):
    m = measure(plan, 3)
    confirmed(services.report_progress(m, by=None, unit=lg.a, text="过半", percent=60, report_date=date(2026, 7, 1),
                                       today=TODAY, late_reason="补录"))
    services.report_progress(m, by=None, unit=lg.a, text="完成", percent=100, report_date=TODAY, today=TODAY)
    m.refresh_from_db()
    assert m.progress == 60 and m.completed_on is None and m.last_reported_on == date(2026, 7, 1)
