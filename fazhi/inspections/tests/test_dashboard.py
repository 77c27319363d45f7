"""我的待办: every step of 双随机、一公开 that waits for a person is on that
person's dashboard (issue 13 §2), scoped to their units, and never asks a
person to approve or publish what they drafted or recorded (SYS-01)."""

from datetime import date

from django.test import Client

from fazhi.inspections import selectors, services
from fazhi.inspections.tests.factories import (
    EntityFactory,
    InspectionFactory,
    PlanFactory,
    TaskFactory,
    make_draw,
)

D = date(2026, 4, 15)


def _titles(user, today=D):
    return [i.title for i in selectors.dashboard_items(user, today)]


def _has(user, text):
    return any(text in t for t in _titles(user))


def test_a_draft_plan_waits_for_a_head_who_did_not_draft_it(ins):
    plan = PlanFactory(unit=ins.a, title="年度抽查计划甲", created_by=ins.clerk_a)
    TaskFactory(plan=plan, created_by=ins.clerk_a)
    assert _has(ins.head_a, "抽查计划待批准：年度抽查计划甲")
    assert not _has(ins.clerk_a, "抽查计划待批准")  # a clerk does not approve
    assert not _has(ins.head_b, "抽查计划待批准")  # another unit's head
    plan.created_by = ins.head_a
    plan.save()
    assert not _has(ins.head_a, "抽查计划待批准")  # SYS-01: not to its drafter


def test_a_plan_without_tasks_is_not_waiting(ins):
    PlanFactory(unit=ins.a, title="空计划")
    assert not _has(ins.head_a, "空计划")


def test_a_task_of_an_approved_plan_waits_for_its_draw(ins):
    TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), title="待抽取任务甲")
    assert _has(ins.clerk_a, "抽查任务待随机抽取：待抽取任务甲")
    assert not _has(ins.clerk_b, "待抽取任务甲")


def test_drawn_objects_wait_for_results_then_the_draw_and_results_for_publication(ins):
    for _ in range(6):
        EntityFactory()
    draw = make_draw("drawn", task=TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), title="抽查任务乙",
                                               sample_size=2))
    assert _has(ins.officer_a, "抽查结果待录入：抽查任务乙（2户）")
    assert _has(ins.head_a, "抽取结果待公开：抽查任务乙")
    assert not _has(ins.clerk_b, "抽查任务乙")
    first, second = draw.task.inspections.order_by("pk")
    services.record_result(first, by=ins.clerk_a, result="none_found", inspected_on=date(2026, 4, 10), today=D)
    assert _has(ins.officer_a, "抽查结果待录入：抽查任务乙（1户）")
    assert _has(ins.head_a, "抽查结果待公示：抽查任务乙")
    assert not _has(ins.clerk_a, "抽查结果待公示")  # SYS-01: not to the person who recorded it
    services.record_result(second, by=ins.officer_a, result="none_found", inspected_on=date(2026, 4, 10), today=D)
    assert not _has(ins.officer_a, "抽查结果待录入")
    assert _has(ins.clerk_a, "检查结果已全部录入，待完成任务：抽查任务乙")


def test_the_home_page_lists_the_waiting_step(ins, client):
    plan = PlanFactory(unit=ins.a, title="首页待批准计划", created_by=ins.clerk_a)
    TaskFactory(plan=plan, created_by=ins.clerk_a)
    InspectionFactory(unit=ins.a)
    c = Client()
    c.force_login(ins.head_a, backend="django.contrib.auth.backends.ModelBackend")
    text = c.get("/").content.decode()
    assert "我的待办" in text and "抽查计划待批准：首页待批准计划" in text
    c.force_login(ins.head_b, backend="django.contrib.auth.backends.ModelBackend")
    assert "首页待批准计划" not in c.get("/").content.decode()
