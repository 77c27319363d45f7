"""Selectors: scoping, statistics, dashboard (query-count guarded), public reads."""

from datetime import date

from fazhi.inspections import selectors, services
from fazhi.inspections.models import InspectionStatus
from fazhi.inspections.tests.factories import (
    EntityFactory,
    InspectionFactory,
    InspectionItemFactory,
    PlanFactory,
    TaskFactory,
    make_draw,
)


def test_lists_are_scoped_to_the_users_units(ins):
    InspectionItemFactory(unit=ins.a)
    InspectionItemFactory(unit=ins.b)
    InspectionFactory(unit=ins.a)
    assert selectors.items(ins.clerk_a).count() == 1
    assert selectors.items(ins.viewer_gov).count() == 2
    assert selectors.inspections(ins.clerk_b).count() == 0
    assert selectors.inspectors(ins.clerk_a).count() == 4


def test_public_reads_show_only_published(ins):
    InspectionItemFactory(unit=ins.a)
    pub = InspectionItemFactory(unit=ins.a, published=True)
    InspectionItemFactory(unit=ins.a, retired=True)
    assert list(selectors.public_items()) == [pub]
    InspectionFactory(unit=ins.a, recorded=True)
    p = InspectionFactory(unit=ins.a, published=True)
    assert list(selectors.public_results()) == [p]


def test_random_share_and_results_by_type(ins):
    PlanFactory(unit=ins.a, year=2026, random_target="0.5")
    for _ in range(3):
        InspectionFactory(unit=ins.a, recorded=True)
    InspectionFactory(unit=ins.a, recorded=True, non_random=True)
    rows = selectors.random_share(ins.viewer_gov, 2026)
    assert [(r["unit"], r["random"], r["total"], r["share"], r["target"], r["met"]) for r in rows] == [
        (ins.a, 3, 4, 0.75, 0.5, True)]
    by_type = {r["result"]: r["count"] for r in selectors.results_by_type(ins.clerk_a, 2026)}
    assert by_type["corrected"] == 4 and by_type["none_found"] == 0


def test_coverage_by_industry_and_region(ins):
    e = EntityFactory(industry="餐饮", region="龙凤镇")
    EntityFactory(industry="餐饮", region="白沙镇")
    InspectionFactory(unit=ins.a, entity=e, recorded=True)
    rows = {r["industry"]: r for r in selectors.coverage_by_industry(ins.clerk_a, 2026)}
    assert rows["餐饮"]["pool"] == 2 and rows["餐饮"]["inspected"] == 1 and rows["餐饮"]["coverage"] == 0.5
    regions = {r["region"]: r["inspected"] for r in selectors.coverage_by_region(ins.clerk_a, 2026)}
    assert regions == {"白沙镇": 0, "龙凤镇": 1}
    dept = selectors.coverage_by_department(ins.clerk_a, 2026)
    assert dept[0]["objects"] == 1


def test_task_pool_preview(ins):
    for _ in range(4):
        EntityFactory(industry="餐饮")
    EntityFactory(industry="零售")
    task = TaskFactory(plan=PlanFactory(unit=ins.a), sample_size=3, stratify_by=["industry"])
    p = selectors.task_pool_preview(task)
    assert p.objects == 5 and p.inspectors == 4 and p.total == 3 and not p.problem
    assert p.strata == [{"key": "行业=零售", "size": 1, "quota": 1}, {"key": "行业=餐饮", "size": 4, "quota": 2}]
    task.sample_size = 9
    assert "超过" in selectors.task_pool_preview(task).problem


def test_dashboard_shows_overdue_publications_and_pending_reveals(ins, django_assert_max_num_queries):
    for _ in range(5):
        EntityFactory()
    draw = make_draw("committed", task=TaskFactory(plan=PlanFactory(unit=ins.a, approved=True)))
    drawn = make_draw("drawn", task=TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=2,
                                                planned_start=date(2026, 3, 2)))
    for i in drawn.task.inspections.all():
        services.record_result(i, by=None, result="none_found", inspected_on=date(2026, 3, 2),
                               today=date(2026, 3, 3))
    for _ in range(5):
        InspectionFactory(unit=ins.a, recorded=True)  # non-task, due 2026-03-30
    with django_assert_max_num_queries(8):
        items = selectors.dashboard_items(ins.clerk_a, date(2026, 4, 15))
    kinds = sorted((i.kind, i.title.split("：")[0]) for i in items)
    assert ("overdue", "抽查结果逾期未公示") in kinds and ("todo", "随机抽取待揭示种子") in kinds
    assert any(draw.task.title in i.title for i in items)
    assert selectors.dashboard_items(ins.clerk_b, date(2026, 4, 15)) == []
    assert selectors.overdue_publications(ins.clerk_a, date(2026, 4, 15)).count() == 7
    assert selectors.overdue_publications(ins.clerk_b, date(2026, 4, 15)).count() == 0
    assert InspectionStatus.RECORDED


def test_draw_selections_fixed_queries(ins, django_assert_max_num_queries):
    for _ in range(8):
        EntityFactory()
    draw = make_draw("drawn", task=TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=6))
    with django_assert_max_num_queries(3):
        sels = selectors.draw_selections(draw)
        names = [m.inspector.officer.person.name for s in sels for m in s.team.all()]
    assert len(sels) == 6 and len(names) == 12


def test_dashboard_shows_plans_awaiting_approval_and_results_awaiting_entry(ins, django_assert_max_num_queries):
    """Issue 13 §1: each waiting step is in the waiting person's 我的待办 —
    the head approves a plan with tasks, the clerk records drawn objects' results."""
    for _ in range(5):
        EntityFactory()
    draft = PlanFactory(unit=ins.a, title="待批准的抽查计划")
    TaskFactory(plan=draft)
    PlanFactory(unit=ins.a, title="没有任务的计划")  # cannot be approved yet: not shown
    drawn = make_draw("drawn", task=TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=2,
                                                title="待录入的抽查任务"))
    with django_assert_max_num_queries(8):
        head_items = [i.title for i in selectors.dashboard_items(ins.head_a, date(2026, 4, 15))]
    assert "抽查计划待批准：待批准的抽查计划（市场监管局）" in head_items
    assert not any("没有任务的计划" in t for t in head_items)
    with django_assert_max_num_queries(8):
        clerk_items = selectors.dashboard_items(ins.clerk_a, date(2026, 4, 15))
    entry = [i for i in clerk_items if i.title.startswith("抽查结果待录入")]
    assert [i.title for i in entry] == ["抽查结果待录入：待录入的抽查任务（2户）"]
    assert entry[0].url.endswith(f"?task={drawn.task.pk}&status=pending")
    assert not any("待批准" in i.title for i in clerk_items)  # the clerk does not approve
    for i in drawn.task.inspections.all():
        services.record_result(i, by=None, result="none_found", inspected_on=date(2026, 4, 15),
                               today=date(2026, 4, 15), late_reason="检查记录补录（测试）")
    assert not any(i.title.startswith("抽查结果待录入") for i in selectors.dashboard_items(ins.clerk_a, date(2026, 4, 15)))
    assert selectors.dashboard_items(ins.head_b, date(2026, 4, 15)) == []  # another unit's head
