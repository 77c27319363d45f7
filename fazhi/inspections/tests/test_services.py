"""Services: items, pools, plans, tasks, results and publication — order,
permissions, refusals (nothing changed) and audit entries."""

from datetime import date, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import PermissionDenied, TransitionRefused, ValidationError
from fazhi.inspections import rules, services
from fazhi.inspections.models import (
    Entity,
    HandoverStatus,
    InspectionKind,
    InspectionStatus,
    ItemStatus,
    PlanStatus,
    TaskStatus,
)
from fazhi.inspections.tests.factories import (
    NOW,
    SCRIPT,
    EntityFactory,
    InspectionFactory,
    InspectionItemFactory,
    PlanFactory,
    TaskFactory,
    bad_check_digit,
    credit_code,
    make_draw,
)

T = date(2026, 4, 15)  # the server's date in the result tests (SYS-03)

ITEM = dict(name="食品经营检查", inspecting_body="区市场监管局", basis="《食品安全法》")


# ---------------------------------------------------------------- items


def test_item_lifecycle_with_versions(ins, actions):
    item = services.create_item(unit=ins.a, by=ins.clerk_a, number="SC-01", **ITEM)
    assert item.status == ItemStatus.DRAFT and item.version == 1
    item = services.publish_item(item, by=ins.clerk_a, now=NOW)
    assert item.status == ItemStatus.PUBLISHED
    v2 = services.revise_item(item, by=ins.clerk_a, basis="《食品安全法》（2021修正）")
    assert v2.version == 2 and v2.supersedes_id == item.pk and v2.status == ItemStatus.DRAFT
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED  # still public until v2 is published
    services.publish_item(v2, by=ins.clerk_a, now=NOW)
    item.refresh_from_db()
    assert item.status == ItemStatus.RETIRED and item.retired_at == NOW
    assert actions() == ["inspections.item.created", "inspections.item.published", "inspections.item.revised",
                         "inspections.item.retired", "inspections.item.published"]


def test_a_published_item_is_not_edited_in_place(ins):
    item = InspectionItemFactory(unit=ins.a, published=True)
    with pytest.raises(TransitionRefused) as exc:
        services.update_item(item, by=ins.clerk_a, name="改名")
    assert exc.value.rule == "RAND-04"


def test_a_second_pending_revision_is_refused(ins):
    item = InspectionItemFactory(unit=ins.a, published=True)
    services.revise_item(item, by=ins.clerk_a)
    with pytest.raises(TransitionRefused):
        services.revise_item(item, by=ins.clerk_a)


def test_duplicate_item_number_and_missing_fields_refused(ins):
    services.create_item(unit=ins.a, by=ins.clerk_a, number="SC-01", **ITEM)
    with pytest.raises(ValidationError):
        services.create_item(unit=ins.a, by=ins.clerk_a, number="SC-01", **ITEM)
    with pytest.raises(ValidationError) as exc:
        services.create_item(unit=ins.a, by=ins.clerk_a, number="SC-02", name="", inspecting_body="x", basis="y")
    assert "name" in exc.value.fields


def test_items_are_managed_only_in_own_unit(ins):
    with pytest.raises(PermissionDenied):
        services.create_item(unit=ins.a, by=ins.clerk_b, number="X", **ITEM)
    with pytest.raises(PermissionDenied):
        services.publish_item(InspectionItemFactory(unit=ins.a), by=ins.officer_a)


def test_retire_item_audited(ins, actions):
    item = InspectionItemFactory(unit=ins.a, published=True)
    services.retire_item(item, by=ins.clerk_a, reason="法律废止")
    item.refresh_from_db()
    assert item.status == ItemStatus.RETIRED and actions()[-1] == "inspections.item.retired"


# ---------------------------------------------------------------- entities


def test_entity_with_a_bad_check_digit_is_refused(ins):
    with pytest.raises(ValidationError) as exc:
        services.create_entity(by=ins.clerk_a, name="甲", credit_code=bad_check_digit(credit_code(7)))
    assert "校验位" in exc.value.message and exc.value.rule == "RAND-03"
    assert not Entity.objects.exists()


def test_duplicate_entity_is_refused(ins, actions):
    services.create_entity(by=ins.clerk_a, name="甲", credit_code=credit_code(7).lower())
    assert Entity.objects.get().credit_code == credit_code(7)
    with pytest.raises(ValidationError) as exc:
        services.create_entity(by=ins.clerk_a, name="乙", credit_code=credit_code(7))
    assert "不能重复" in exc.value.message
    assert actions() == ["inspections.entity.created"]


def test_entity_update_checks_the_code(ins):
    e = EntityFactory()
    other = EntityFactory()
    with pytest.raises(ValidationError):
        services.update_entity(e, by=ins.clerk_a, credit_code=other.credit_code)
    services.update_entity(e, by=ins.clerk_a, risk_level="high")
    e.refresh_from_db()
    assert e.risk_level == "high"


def test_pool_management_needs_the_permission(ins):
    with pytest.raises(PermissionDenied):
        services.create_entity(by=ins.officer_a, name="甲", credit_code=credit_code(8))


# -------------------------------------------------------------- inspectors


def test_inspector_pool_absence_and_recusal(ins, actions):
    from fazhi.enforcement.tests.factories import make_officer

    officer = make_officer(ins.a)
    inspector = services.add_inspector(officer, by=ins.clerk_a, fields="市场监管、食品")
    assert inspector.field_list == ["市场监管", "食品"]
    with pytest.raises(ValidationError):
        services.add_inspector(officer, by=ins.clerk_a)
    with pytest.raises(ValidationError):
        services.add_absence(inspector, by=ins.clerk_a, start=date(2026, 5, 2), end=date(2026, 5, 1), reason="休假")
    services.add_absence(inspector, by=ins.clerk_a, start=date(2026, 5, 1), end=date(2026, 5, 9), reason="休假")
    with pytest.raises(ValidationError):
        services.add_recusal(inspector, by=ins.clerk_a, reason="亲属")
    r = services.add_recusal(inspector, by=ins.clerk_a, reason="亲属", entity=EntityFactory())
    services.remove_recusal(r, by=ins.clerk_a)
    assert actions() == ["inspections.inspector.added", "inspections.absence.added", "inspections.recusal.added",
                         "inspections.recusal.removed"]
    with pytest.raises(PermissionDenied):
        services.update_inspector(inspector, by=ins.clerk_b, active=False)


# ------------------------------------------------------------ plans, tasks


def _task(plan, by, **kw):
    args = dict(title="任务", items=[InspectionItemFactory(unit=plan.unit, published=True)],
                planned_start=date(2026, 4, 1), planned_end=date(2026, 6, 30), sample_size=3)
    args.update(kw)
    return services.create_task(plan, by=by, **args)


def test_plan_and_task_lifecycle(ins, actions):
    plan = services.create_plan(unit=ins.a, by=ins.clerk_a, year=2026, title="年度计划")
    assert plan.random_target == rules.random_share_target()
    with pytest.raises(TransitionRefused) as exc:
        services.approve_plan(plan, by=ins.head_a)
    assert exc.value.rule == "RAND-09"
    task = _task(plan, ins.clerk_a)
    with pytest.raises(PermissionDenied):
        services.approve_plan(plan, by=ins.clerk_a)
    plan = services.approve_plan(plan, by=ins.head_a)
    assert plan.status == PlanStatus.APPROVED
    task = services.update_task(task, by=ins.clerk_a, sample_ratio="5%")
    assert task.sample_size is None and str(task.sample_ratio) == "0.0500"
    assert actions() == ["inspections.plan.created", "inspections.task.created", "inspections.plan.approved",
                         "inspections.task.updated"]


def test_joint_plan_needs_participants_and_allows_their_items(ins):
    with pytest.raises(ValidationError):
        services.create_plan(unit=ins.a, by=ins.clerk_a, year=2026, title="联合", kind="joint")
    plan = services.create_plan(unit=ins.a, by=ins.clerk_a, year=2026, title="联合", kind="joint",
                                participating_units=[ins.b])
    task = _task(plan, ins.clerk_a, items=[InspectionItemFactory(unit=ins.a, published=True),
                                           InspectionItemFactory(unit=ins.b, published=True)])
    assert task.items.count() == 2
    with pytest.raises(ValidationError):
        _task(PlanFactory(unit=ins.a), ins.clerk_a, items=[InspectionItemFactory(unit=ins.b, published=True)])


def test_task_refusals(ins):
    plan = PlanFactory(unit=ins.a)
    with pytest.raises(ValidationError) as exc:
        _task(plan, ins.clerk_a, team_size=1)
    assert exc.value.rule == "RAND-05"
    with pytest.raises(ValidationError):
        _task(plan, ins.clerk_a, sample_ratio="0.1")  # both size and ratio
    with pytest.raises(ValidationError):
        _task(plan, ins.clerk_a, items=[])
    with pytest.raises(ValidationError):
        _task(plan, ins.clerk_a, planned_end=date(2026, 3, 1))
    with pytest.raises(ValidationError):
        _task(plan, ins.clerk_a, stratify_by=["color"])
    with pytest.raises(PermissionDenied):
        _task(plan, ins.clerk_b)
    assert not plan.tasks.exists()


def test_quotas_set_the_sample_size(ins):
    task = _task(PlanFactory(unit=ins.a), ins.clerk_a, sample_size=None, stratify_by=["industry"],
                 quotas={"行业=餐饮": 2, "行业=零售": 1})
    assert task.sample_size == 3


def test_task_cannot_change_after_freeze(ins):
    for _ in range(5):
        EntityFactory()
    draw = make_draw("committed", task=TaskFactory(plan=PlanFactory(unit=ins.a, approved=True)))
    with pytest.raises(TransitionRefused):
        services.update_task(draw.task, by=ins.clerk_a, title="改")


# ----------------------------------------------------------------- results


@pytest.fixture
def drawn(ins):
    for _ in range(6):
        EntityFactory()
    return make_draw("drawn", task=TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=2))


def test_record_and_publish_a_result(ins, drawn, actions):
    inspection = drawn.task.inspections.first()
    inspection = services.record_result(inspection, by=ins.officer_a, result="corrected",
                                        inspected_on=date(2026, 4, 10), today=T, findings=f"已整改{SCRIPT}")
    assert inspection.status == InspectionStatus.RECORDED and inspection.publish_due is not None
    assert inspection.publish_due_rule == "RAND-07 20个工作日"
    assert Entity.objects.get(pk=inspection.entity_id).last_inspected_on == date(2026, 4, 10)
    with pytest.raises(PermissionDenied):
        services.publish_result(inspection, by=ins.officer_a)
    inspection = services.publish_result(inspection, by=ins.head_a, now=NOW + timedelta(days=40))
    assert inspection.status == InspectionStatus.PUBLISHED and inspection.public_result == "发现问题已责令改正"
    assert actions()[-2:] == ["inspections.inspection.result_recorded", "inspections.inspection.published"]
    assert AuditEntry.objects.last().data["on_time"] is True


def test_a_result_needs_two_inspectors(ins, drawn):
    inspection = drawn.task.inspections.first()
    with pytest.raises(TransitionRefused) as exc:
        services.record_result(inspection, by=ins.officer_a, result="none_found", inspected_on=date(2026, 4, 10),
                               today=T, officers=ins.inspectors_a[:1])
    assert exc.value.rule == "RAND-05"


def test_results_are_recorded_only_in_own_unit(ins, drawn):
    with pytest.raises(PermissionDenied):
        services.record_result(drawn.task.inspections.first(), by=ins.clerk_b, result="none_found",
                               inspected_on=date(2026, 4, 10), today=T)


def test_a_published_result_cannot_be_changed(ins):
    inspection = InspectionFactory(unit=ins.a, published=True, officers=ins.inspectors_a[:2])
    with pytest.raises(TransitionRefused):
        services.record_result(inspection, by=ins.officer_a, result="none_found", inspected_on=date(2026, 4, 10),
                               today=T)


def test_publication_deadline_spans_national_day_and_make_up_days(ins):
    """2026 (CAL-06): 25–27 Sep and 1–7 Oct off; Sun 20 Sep and Sat 10 Oct are working days.
    20 WD after Fri 18 Sep: 20 Sep (1), 21–24 Sep (2–5), 28–30 Sep (6–8), 8–9 Oct (9–10),
    Sat 10 Oct (11), 12–16 Oct (12–16), 19–22 Oct (17–20) -> Thu 22 Oct 2026."""
    assert rules.publish_due(date(2026, 9, 18)).due == date(2026, 10, 22)
    inspection = InspectionFactory(unit=ins.a, officers=ins.inspectors_a[:2])
    inspection = services.record_result(inspection, by=ins.officer_a, result="none_found",
                                        inspected_on=date(2026, 9, 18), today=date(2026, 9, 18))
    assert inspection.publish_due == date(2026, 10, 22) and not inspection.publish_due_provisional


def test_the_publication_limit_is_a_setting(ins, settings):
    settings.FAZHI_INSPECTIONS = {"publish_within_workdays": 5}
    assert rules.publish_due(date(2026, 9, 30)).due == date(2026, 10, 13)  # 8, 9, Sat 10, 12, 13 Oct
    assert rules.publish_rule_text() == "RAND-07 5个工作日"


def test_close_task_needs_all_results(ins, drawn, actions):
    with pytest.raises(TransitionRefused):
        services.close_task(drawn.task, by=ins.clerk_a)
    for i in drawn.task.inspections.all():
        services.record_result(i, by=ins.officer_a, result="none_found", inspected_on=date(2026, 4, 10), today=T)
    task = services.close_task(drawn.task, by=ins.clerk_a)
    assert task.status == TaskStatus.CLOSED and actions()[-1] == "inspections.task.closed"


def test_hand_over_records_the_handover(ins, actions):
    inspection = InspectionFactory(unit=ins.a, recorded=True)
    inspection = services.hand_over(inspection, by=ins.officer_a, receiving_unit=ins.a,
                                    handed_over_on=date(2026, 3, 4), today=date(2026, 3, 5), note="移交执法大队")
    assert inspection.handover_status == HandoverStatus.HANDED_OVER
    assert actions()[-1] == "inspections.inspection.handed_over"
    with pytest.raises(TransitionRefused):
        services.hand_over(inspection, by=ins.officer_a, receiving_unit=ins.a, handed_over_on=date(2026, 3, 4),
                           today=date(2026, 3, 5))


def test_hand_over_can_register_an_enforcement_case(ins):
    from fazhi.enforcement.models import PenaltyCase
    from fazhi.enforcement.tests.factories import enforcement_code

    enforcement_code(ins.a)
    inspection = InspectionFactory(unit=ins.a, recorded=True)
    inspection = services.hand_over(inspection, by=ins.officer_a, receiving_unit=ins.a,
                                    handed_over_on=date(2026, 3, 4), today=date(2026, 3, 5), register_case=True)
    case = PenaltyCase.objects.get(pk=inspection.enforcement_case_id)
    assert case.party_name == inspection.entity.name and case.source == "双随机抽查"


def test_nothing_found_is_not_handed_over(ins):
    inspection = InspectionFactory(unit=ins.a, recorded=True, result="none_found")
    with pytest.raises(ValidationError):
        services.hand_over(inspection, by=ins.officer_a, receiving_unit=ins.a, handed_over_on=date(2026, 3, 4),
                           today=date(2026, 3, 5))


def test_record_non_random_inspection(ins, actions):
    entity = EntityFactory()
    i = services.record_non_random(unit=ins.a, by=ins.officer_a, entity=entity, reason="complaint",
                                   inspected_on=date(2026, 5, 6), result="corrected", today=date(2026, 5, 7),
                                   officers=ins.inspectors_a[:2])
    assert i.kind == InspectionKind.NON_RANDOM and i.status == InspectionStatus.RECORDED and i.year == 2026
    assert actions()[-2:] == ["inspections.inspection.created", "inspections.inspection.result_recorded"]
    with pytest.raises(ValidationError):
        services.record_non_random(unit=ins.a, by=ins.officer_a, entity=entity, reason="other",
                                   inspected_on=date(2026, 5, 6), result="corrected", today=date(2026, 5, 7),
                                   officers=ins.inspectors_a[:2])


def test_attach_record_checks_the_content(ins):
    inspection = InspectionFactory(unit=ins.a)
    att = services.attach_record(inspection, by=ins.officer_a, title="现场检查笔录",
                                 upload=SimpleUploadedFile("r.pdf", b"%PDF-1.4\n" + b"0" * 64))
    assert att.sha256 and att.content_type == "application/pdf"
    with pytest.raises(ValidationError):
        services.attach_record(inspection, by=ins.officer_a, upload=SimpleUploadedFile("r.pdf", b"MZ\x90\x00"))


def test_publish_on_time_is_judged_by_local_date(ins):
    inspection = InspectionFactory(unit=ins.a, recorded=True)
    late = timezone.make_aware(datetime(2026, 3, 31, 0, 30))
    services.publish_result(inspection, by=ins.head_a, now=late)
    assert AuditEntry.objects.last().data["on_time"] is False


def test_several_results_are_published_all_or_none_and_the_refusal_names_the_object(ins, actions):
    ok = InspectionFactory(unit=ins.a, recorded=True)
    pending = InspectionFactory(unit=ins.a)
    with pytest.raises(TransitionRefused) as refused:
        services.publish_results([ok, pending], by=ins.clerk_a)
    assert str(refused.value).startswith(f"{pending.entity.name}：")
    ok.refresh_from_db()
    assert ok.status == InspectionStatus.RECORDED and actions() == []
    other = InspectionFactory(unit=ins.a, recorded=True)
    published = services.publish_results([ok, other], by=ins.clerk_a)
    assert [i.status for i in published] == [InspectionStatus.PUBLISHED] * 2
    assert actions() == ["inspections.inspection.published"] * 2


def test_a_task_preview_gives_the_pool_saving_would_give_and_stores_nothing(ins, actions):
    plan = PlanFactory(unit=ins.a)
    for _ in range(4):
        EntityFactory(industry="餐饮")
    fields = dict(title="任务", items=[InspectionItemFactory(unit=ins.a, published=True)],
                  planned_start=date(2026, 4, 1), planned_end=date(2026, 6, 30), sample_size=3, industries=["餐饮"])
    before = actions()
    preview = services.preview_task(plan, by=ins.clerk_a, on=date(2026, 3, 2), **fields)
    assert preview.objects == 4 and preview.total == 3 and not preview.problem
    assert not plan.tasks.exists() and actions() == before
    task = _task(plan, ins.clerk_a)
    fields["sample_size"] = 9
    assert "超过" in services.preview_task(plan, by=ins.clerk_a, on=date(2026, 3, 2), task=task, **fields).problem
    task.refresh_from_db()
    assert task.sample_size == 3 and task.industries == []
    with pytest.raises(PermissionDenied):
        services.preview_task(plan, by=ins.clerk_b, on=date(2026, 3, 2), **fields)
