"""Staff screens of plans, tasks, the draw ceremony, results and statistics."""

import hashlib
import json
import re
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from fazhi.audit.models import AuditEntry
from fazhi.enforcement.tests.factories import PDF
from fazhi.inspections.models import (
    Draw,
    DrawStatus,
    Inspection,
    InspectionStatus,
    Plan,
    PlanStatus,
    Task,
    TaskStatus,
)
from fazhi.inspections.tests.factories import (
    SCRIPT,
    EntityFactory,
    InspectionFactory,
    InspectionItemFactory,
    PlanFactory,
    TaskFactory,
    make_draw,
)
from fazhi.inspections.tests.test_views import ESCAPED, XLSX, body, client_for, drawn_task, url

TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _pin_today(monkeypatch):
    monkeypatch.setattr("fazhi.inspections.views.common.today", lambda: TODAY)


def draft_task(ins, *, approved=True, **kw) -> Task:
    for _ in range(6):
        EntityFactory()
    return TaskFactory(plan=PlanFactory(unit=ins.a, approved=approved), sample_size=3, **kw)


# ------------------------------------------------------------------- plans

def test_plan_list_is_scoped_and_escaped(ins):
    mine = PlanFactory(unit=ins.a)
    other = PlanFactory(unit=ins.b)
    text = body(client_for(ins.clerk_a).get(url("plan_list")))
    assert url("plan_detail", mine.pk) in text and url("plan_detail", other.pk) not in text
    assert ESCAPED in text and SCRIPT not in text


def test_a_participating_department_sees_the_joint_plan(ins):
    joint = PlanFactory(unit=ins.b, joint=True, participating_units=[ins.a])
    c = client_for(ins.clerk_a)
    assert url("plan_detail", joint.pk) in body(c.get(url("plan_list")))
    assert c.get(url("plan_detail", joint.pk)).status_code == 200


def test_plan_list_query_count_is_bounded(ins, django_assert_max_num_queries):
    for _ in range(6):
        TaskFactory(plan=PlanFactory(unit=ins.a))
    c = client_for(ins.clerk_a)
    with django_assert_max_num_queries(12):
        response = c.get(url("plan_list"))
    assert response.context["total"] == 6


def test_clerk_creates_a_joint_plan(ins):
    response = client_for(ins.clerk_a).post(url("plan_create"), {
        "unit": ins.a.pk, "year": 2026, "title": "2026年市场监管领域部门联合抽查计划", "kind": "joint",
        "participating_units": [ins.b.pk], "random_target": "50"})
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == url("plan_detail", plan.pk)
    assert list(plan.participating_units.all()) == [ins.b] and str(plan.random_target) == "0.500"


def test_joint_plan_without_participants_is_refused(ins):
    response = client_for(ins.clerk_a).post(url("plan_create"), {
        "unit": ins.a.pk, "year": 2026, "title": "联合计划", "kind": "joint", "random_target": "30"})
    assert response.status_code == 400 and "参与部门" in body(response) and not Plan.objects.exists()


def test_clerk_edits_a_draft_plan(ins):
    plan = PlanFactory(unit=ins.a)
    client_for(ins.clerk_a).post(url("plan_edit", plan.pk), {"year": 2026, "title": "改后的计划", "kind": "annual",
                                                             "random_target": "40"})
    plan.refresh_from_db()
    assert plan.title == "改后的计划" and str(plan.random_target) == "0.400"


def test_head_approves_a_plan_with_audit(ins):
    task = TaskFactory(plan=PlanFactory(unit=ins.a))
    response = client_for(ins.head_a).post(url("plan_approve", task.plan.pk))
    assert response.status_code == 302
    task.plan.refresh_from_db()
    assert task.plan.status == PlanStatus.APPROVED
    assert AuditEntry.objects.filter(action="inspections.plan.approved").exists()


def test_plan_without_tasks_cannot_be_approved_and_the_rule_is_shown(ins):
    plan = PlanFactory(unit=ins.a)
    response = client_for(ins.head_a).post(url("plan_approve", plan.pk), follow=True)
    assert "RAND-09" in body(response)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_clerk_may_not_approve(ins):
    task = TaskFactory(plan=PlanFactory(unit=ins.a))
    assert client_for(ins.clerk_a).post(url("plan_approve", task.plan.pk)).status_code == 403
    task.plan.refresh_from_db()
    assert task.plan.status == PlanStatus.DRAFT


def test_another_units_plan_is_404(ins):
    plan = PlanFactory(unit=ins.b)
    c = client_for(ins.head_a)
    assert c.get(url("plan_detail", plan.pk)).status_code == 404
    assert c.post(url("plan_approve", plan.pk)).status_code == 404
    assert c.get(url("task_create", plan.pk)).status_code == 404
    assert c.get(url("plan_detail", 999999)).status_code == 404
    assert c.get(url("plan_approve", plan.pk)).status_code == 405


# ------------------------------------------------------------------- tasks

def test_task_form_offers_only_published_items(ins):
    plan = PlanFactory(unit=ins.a)
    pub = InspectionItemFactory(unit=ins.a, published=True, name="已公布事项")
    InspectionItemFactory(unit=ins.a, name="草稿事项")
    text = body(client_for(ins.clerk_a).get(url("task_create", plan.pk)))
    assert "已公布事项" in text and "草稿事项" not in text and f'value="{pub.pk}"' in text


def test_clerk_adds_a_stratified_task(ins):
    plan = PlanFactory(unit=ins.a)
    item = InspectionItemFactory(unit=ins.a, published=True)
    response = client_for(ins.clerk_a).post(url("task_create", plan.pk), {
        "title": "餐饮服务抽查", "items": [item.pk], "industries": "餐饮、食品销售", "regions": "",
        "risk_levels": ["high", "medium"], "size_mode": "ratio", "sample_ratio": "5",
        "stratify_by": ["risk_level"], "quotas": "", "team_size": 3, "exclude_recent_months": 12,
        "planned_start": "2026-04-01", "planned_end": "2026-06-30"})
    task = Task.objects.get()
    assert response.status_code == 302 and response["Location"] == url("task_detail", task.pk)
    assert task.industries == ["餐饮", "食品销售"] and task.risk_levels == ["high", "medium"]
    assert str(task.sample_ratio) == "0.0500" and task.sample_size is None and task.team_size == 3
    assert task.stratify_by == ["risk_level"] and task.exclude_recent_months == 12


def test_team_of_one_is_refused(ins):
    plan = PlanFactory(unit=ins.a)
    item = InspectionItemFactory(unit=ins.a, published=True)
    response = client_for(ins.clerk_a).post(url("task_create", plan.pk), {
        "title": "一人检查", "items": [item.pk], "size_mode": "size", "sample_size": 3, "team_size": 1,
        "exclude_recent_months": 0, "planned_start": "2026-04-01", "planned_end": "2026-06-30"})
    assert response.status_code == 400 and not Task.objects.exists()


def test_task_detail_shows_the_eligible_pool_before_commit(ins):
    task = draft_task(ins)
    text = body(client_for(ins.clerk_a).get(url("task_detail", task.pk)))
    assert "名录预览" in text and "符合条件的检查对象" in text
    assert ESCAPED in text and SCRIPT not in text


def test_task_list_query_count_is_bounded(ins, django_assert_max_num_queries):
    plan = PlanFactory(unit=ins.a)
    for _ in range(6):
        TaskFactory(plan=plan)
    c = client_for(ins.clerk_a)
    with django_assert_max_num_queries(12):
        response = c.get(url("task_list"))
    assert response.context["total"] == 6


def test_task_list_colours_the_end_of_each_open_window(ins, django_assert_max_num_queries):
    """Issue 13 §2: a task's planned end is its deadline — red 逾期N天, amber 剩余N个工作日, sortable."""
    plan = PlanFactory(unit=ins.a)
    TaskFactory(plan=plan, planned_start=date(2026, 2, 2), planned_end=TODAY - timedelta(days=3))
    for _ in range(4):
        TaskFactory(plan=plan, planned_start=date(2026, 2, 2), planned_end=TODAY + timedelta(days=2))  # Wednesday
    TaskFactory(plan=plan, planned_start=date(2026, 1, 5), planned_end=date(2026, 2, 20), status=TaskStatus.CLOSED)
    c = client_for(ins.clerk_a)
    with django_assert_max_num_queries(14):  # + the holiday calendar of the deadline colours, once
        text = body(c.get(url("task_list"), {"sort": "planned_end"}))
    assert 'class="due-cell due-overdue"' in text and "逾期3天" in text
    assert 'class="due-cell due-soon"' in text and "剩余2个工作日" in text
    assert "2026-02-20" in text and "逾期10天" not in text  # a closed task's end is shown plainly
    assert text.index("2026-02-20") < text.index("逾期3天") < text.index("剩余2个工作日")
    plan_page = body(c.get(url("plan_detail", plan.pk)))
    assert "逾期3天" in plan_page and "剩余2个工作日" in plan_page


def test_another_units_task_is_404(ins):
    task = TaskFactory(plan=PlanFactory(unit=ins.b))
    c = client_for(ins.clerk_a)
    for name in ("task_detail", "task_edit", "draw_page"):
        assert c.get(url(name, task.pk)).status_code == 404, name
    assert c.post(url("draw_commit", task.pk)).status_code == 404
    assert not Draw.objects.exists()


# -------------------------------------------------------------------- draw

def test_the_draw_ceremony_in_order(ins):
    """Add witnesses -> each commits -> freeze -> each reveals -> draw -> publish, all by clicking."""
    from fazhi.inspections.tests.factories import server_seed

    task = draft_task(ins, witnesses=False)
    c = client_for(ins.clerk_a)
    text = body(c.get(url("draw_page", task.pk)))
    assert "登记监督人" in text and url("draw_commit", task.pk) in text
    # without a witness the freeze is refused (RAND-05)
    assert "RAND-05" in body(c.post(url("draw_commit", task.pk), follow=True)) and not Draw.objects.exists()

    assert c.post(url("draw_witness_add", task.pk), {
        "witness-name": "纪检员甲", "witness-capacity": "区纪委监委派驻纪检监察组", "witness-kind": "secret"}
    ).status_code == 302
    assert c.post(url("draw_witness_add", task.pk), {
        "witness-name": "代表乙", "witness-capacity": "公众代表", "witness-kind": "public",
        "witness-source": "2026年3月2日福彩3D开奖号码"}).status_code == 302
    w1, w2 = task.witnesses.order_by("position")
    # a secret witness that has not committed blocks the freeze
    assert "尚未提交承诺值" in body(c.post(url("draw_commit", task.pk), follow=True))
    assert c.post(url("draw_witness_commit", task.pk, w1.pk), {f"w{w1.pk}-secret": "3-1-4-1-5-9-2-6"}
                  ).status_code == 302
    w1.refresh_from_db()
    assert w1.commitment == hashlib.sha256(b"3-1-4-1-5-9-2-6").hexdigest()
    assert "3-1-4-1-5-9-2-6" not in json.dumps(list(AuditEntry.objects.values_list("data", flat=True)),
                                               ensure_ascii=False)

    assert c.post(url("draw_commit", task.pk)).status_code == 302
    draw = Draw.objects.get(task=task)
    text = body(c.get(url("draw_page", task.pk)))
    assert draw.commitment in text and draw.objects_hash in text and draw.params_hash in text
    assert server_seed(draw) not in text  # the server's seed: not on the page before the reveal
    assert url("draw_witness_reveal", task.pk, w1.pk) in text
    # the draw button waits for every witness
    assert url("draw_reveal", task.pk) not in text

    response = c.post(url("draw_witness_reveal", task.pk, w1.pk), {f"w{w1.pk}-value": "3-1-4-1-5-9-2-7"})
    assert response.status_code == 400 and "与其冻结前提交的承诺值不符" in body(response)
    w1.refresh_from_db()
    assert w1.revealed_at is None and w1.value == ""
    assert c.post(url("draw_witness_reveal", task.pk, w1.pk), {f"w{w1.pk}-value": "3-1-4-1-5-9-2-6"}
                  ).status_code == 302
    assert c.post(url("draw_witness_reveal", task.pk, w2.pk), {f"w{w2.pk}-value": "4 7 1"}).status_code == 302
    assert url("draw_reveal", task.pk) in body(c.get(url("draw_page", task.pk)))

    assert c.post(url("draw_reveal", task.pk)).status_code == 302
    draw.refresh_from_db()
    assert draw.status == DrawStatus.DRAWN and draw.seed == server_seed(draw)
    text = body(c.get(url("draw_page", task.pk)))
    assert draw.seed in text and draw.final_seed in text and "分层及配额" in text and "4 7 1" in text
    for s in draw.selections.all():
        assert s.credit_code in text
    receipt = c.get(url("draw_receipt", task.pk))
    assert receipt["Content-Type"].startswith("application/json")
    assert json.loads(receipt.content)["commitment"] == draw.commitment
    text = body(c.get(url("draw_print", task.pk)))
    assert "抽取结果" in text and draw.final_seed in text and "data-print" in text

    assert c.post(url("draw_publish", task.pk)).status_code == 302
    draw.refresh_from_db()
    assert draw.status == DrawStatus.PUBLISHED


def test_witnesses_are_fixed_at_the_freeze(ins):
    task = draft_task(ins)
    make_draw("committed", task=task)
    w = task.witnesses.first()
    c = client_for(ins.clerk_a)
    response = c.post(url("draw_witness_add", task.pk), {
        "witness-name": "后来者", "witness-capacity": "公众代表", "witness-kind": "secret"}, follow=True)
    assert "名录已冻结" in body(response) and "RAND-05" in body(response)
    assert "名录已冻结" in body(c.post(url("draw_witness_remove", task.pk, w.pk), follow=True))
    response = c.post(url("draw_witness_commit", task.pk, w.pk), {f"w{w.pk}-secret": "换一个秘密"}, follow=True)
    assert "名录已冻结" in body(response)
    assert task.witnesses.count() == 2 and task.witnesses.get(pk=w.pk).commitment == w.commitment


def test_another_units_witness_is_404_and_an_officer_may_not_add_one(ins):
    task = draft_task(ins)
    w = task.witnesses.first()
    assert client_for(ins.clerk_b).post(url("draw_witness_commit", task.pk, w.pk),
                                        {f"w{w.pk}-secret": "x"}).status_code == 404
    assert client_for(ins.officer_a).post(url("draw_witness_add", task.pk), {
        "witness-name": "甲", "witness-capacity": "乙", "witness-kind": "secret"}).status_code == 403
    assert task.witnesses.count() == 2


def test_commit_refused_for_an_unapproved_plan_shows_the_rule(ins):
    task = draft_task(ins, approved=False)
    response = client_for(ins.clerk_a).post(url("draw_commit", task.pk), follow=True)
    assert "RAND-09" in body(response)
    assert not Draw.objects.exists()
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAFT


def test_commit_refused_when_the_sample_exceeds_the_pool(ins):
    task = draft_task(ins)
    Task.objects.filter(pk=task.pk).update(sample_size=500)
    response = client_for(ins.clerk_a).post(url("draw_commit", task.pk), follow=True)
    assert "未办理" in body(response) and not Draw.objects.exists()


def test_drawing_before_every_witness_revealed_is_refused_and_draws_nothing(ins):
    task = draft_task(ins)
    make_draw("committed", task=task)
    response = client_for(ins.clerk_a).post(url("draw_reveal", task.pk), follow=True)
    assert "未办理" in body(response) and "RAND-05" in body(response)
    assert Draw.objects.get(task=task).status == DrawStatus.COMMITTED


def test_a_published_draw_cannot_be_rerun(ins):
    task = drawn_task(ins, "published")
    c = client_for(ins.clerk_a)
    response = c.post(url("draw_commit", task.pk), follow=True)
    assert "RAND-05" in body(response)
    assert Draw.objects.filter(task=task).count() == 1


def test_officer_may_not_draw(ins):
    task = draft_task(ins)
    assert client_for(ins.officer_a).post(url("draw_commit", task.pk)).status_code == 403
    assert not Draw.objects.exists()


def test_receipt_and_print_are_404_before_the_reveal(ins):
    task = draft_task(ins)
    make_draw("committed", task=task)
    c = client_for(ins.clerk_a)
    assert c.get(url("draw_receipt", task.pk)).status_code == 404
    assert c.get(url("draw_print", task.pk)).status_code == 404


def test_draw_list_and_dashboard_link(ins, django_assert_max_num_queries):
    task = drawn_task(ins)
    c = client_for(ins.clerk_a)
    with django_assert_max_num_queries(12):
        response = c.get(url("draw_list"))
    assert url("draw_page", task.pk) in body(response)
    response = c.get(url("draw_detail", task.draw.pk))
    assert response.status_code == 302 and response["Location"] == url("draw_page", task.pk)


def test_draw_post_steps_refuse_get(ins):
    task = draft_task(ins)
    c = client_for(ins.clerk_a)
    for name in ("draw_commit", "draw_reveal", "draw_publish"):
        assert c.get(url(name, task.pk)).status_code == 405, name


# ----------------------------------------------------------------- results

def test_results_list_highlights_overdue_publications(ins):
    late = InspectionFactory(unit=ins.a, recorded=True, publish_due=TODAY - timedelta(days=3))
    InspectionFactory(unit=ins.a, recorded=True, publish_due=TODAY + timedelta(days=10))
    InspectionFactory(unit=ins.a, recorded=True, publish_due=TODAY + timedelta(days=2))  # Wednesday
    text = body(client_for(ins.clerk_a).get(url("inspection_list")))
    assert 'class="overdue"' in text and late.publish_due.isoformat() in text
    assert "due-overdue" in text and "逾期3天" in text  # issue 13 §2: the dashboard's red and amber
    assert "due-soon" in text and "剩余2个工作日" in text
    text = body(client_for(ins.clerk_a).get(url("inspection_list"), {"due": "overdue"}))
    assert text.count('name="ids"') == 1


def test_result_page_colours_its_publication_deadline(ins):
    """Issue 13 §2: the 公示期限 on a result's own page, as on the list."""
    late = InspectionFactory(unit=ins.a, recorded=True, publish_due=TODAY - timedelta(days=3))
    line = re.search(r"<dt>公示期限</dt><dd>(.*?)</dd>",
                     body(client_for(ins.clerk_a).get(url("inspection_detail", late.pk))), re.S)[1]
    assert "due-overdue" in line and "逾期3天" in line


def test_results_list_is_scoped_and_bounded(ins, django_assert_max_num_queries):
    for _ in range(6):
        InspectionFactory(unit=ins.a, recorded=True)
    other = InspectionFactory(unit=ins.b, recorded=True)
    c = client_for(ins.clerk_a)
    with django_assert_max_num_queries(16):  # + the holiday calendar of the deadline colours, once
        response = c.get(url("inspection_list"))
    assert response.context["total"] == 6 and url("inspection_detail", other.pk) not in body(response)


def test_results_export(ins):
    InspectionFactory(unit=ins.a, recorded=True)
    response = client_for(ins.clerk_a).get(url("inspection_list"), {"export": "xlsx"})
    ws = load_workbook(BytesIO(response.content)).active
    assert response["Content-Type"] == XLSX and ws.cell(1, 1).value == "检查对象" and ws.max_row == 2


def test_record_a_result_for_a_drawn_object(ins, monkeypatch):
    monkeypatch.setattr("fazhi.inspections.views.common.today", lambda: date(2026, 4, 15))  # inside the task window
    task = drawn_task(ins)
    i = Inspection.objects.filter(task=task).first()
    c = client_for(ins.clerk_a)
    text = body(c.get(url("inspection_detail", i.pk)))
    assert "录入检查结果" in text
    team = [m.inspector_id for m in i.selection.team.all()]
    response = c.post(url("inspection_action", i.pk, "record"), {
        "record-result": "corrected", "record-inspected_on": "2026-04-10", "record-findings": "未按规定亮证经营",
        "record-officers": team})
    assert response.status_code == 302
    i.refresh_from_db()
    assert i.status == InspectionStatus.RECORDED and i.publish_due is not None
    assert AuditEntry.objects.filter(action="inspections.inspection.result_recorded").exists()


def test_recording_with_one_officer_is_refused_and_changes_nothing(ins, monkeypatch):
    monkeypatch.setattr("fazhi.inspections.views.common.today", lambda: date(2026, 4, 15))
    task = drawn_task(ins)
    i = Inspection.objects.filter(task=task).first()
    team = [m.inspector_id for m in i.selection.team.all()]
    response = client_for(ins.clerk_a).post(url("inspection_action", i.pk, "record"), {
        "record-result": "none_found", "record-inspected_on": "2026-04-10", "record-officers": team[:1]})
    assert response.status_code == 400 and "RAND-05" in body(response)
    i.refresh_from_db()
    assert i.status == InspectionStatus.PENDING


def test_publish_a_result_and_batch(ins):
    a = InspectionFactory(unit=ins.a, recorded=True)
    b = InspectionFactory(unit=ins.a, recorded=True)
    c = InspectionFactory(unit=ins.a, recorded=True)
    client = client_for(ins.clerk_a)
    assert client.post(url("inspection_action", a.pk, "publish"), {"publish-content": ""}).status_code == 302
    a.refresh_from_db()
    assert a.status == InspectionStatus.PUBLISHED
    response = client.post(url("inspection_publish_batch"), {"ids": [b.pk, c.pk]}, follow=True)
    assert "已公示 2 条" in body(response)
    assert Inspection.objects.filter(status=InspectionStatus.PUBLISHED).count() == 3


def test_batch_publication_is_all_or_nothing(ins):
    ok = InspectionFactory(unit=ins.a, recorded=True)
    pending = InspectionFactory(unit=ins.a)
    response = client_for(ins.clerk_a).post(url("inspection_publish_batch"), {"ids": [ok.pk, pending.pk]},
                                            follow=True)
    assert "未公示任何结果" in body(response)
    ok.refresh_from_db()
    assert ok.status == InspectionStatus.RECORDED


def test_batch_publication_ignores_other_units(ins):
    other = InspectionFactory(unit=ins.b, recorded=True)
    client_for(ins.clerk_a).post(url("inspection_publish_batch"), {"ids": [other.pk]})
    other.refresh_from_db()
    assert other.status == InspectionStatus.RECORDED


def test_officer_may_not_publish(ins):
    i = InspectionFactory(unit=ins.a, recorded=True)
    c = client_for(ins.officer_a)
    assert c.post(url("inspection_action", i.pk, "publish")).status_code == 403
    assert c.post(url("inspection_publish_batch"), {"ids": [i.pk]}).status_code == 403
    i.refresh_from_db()
    assert i.status == InspectionStatus.RECORDED


def test_hand_over_to_enforcement(ins):
    i = InspectionFactory(unit=ins.a, recorded=True)
    response = client_for(ins.clerk_a).post(url("inspection_action", i.pk, "handover"), {
        "handover-receiving_unit": ins.a.pk, "handover-handed_over_on": "2026-03-02", "handover-note": "立案查处"})
    assert response.status_code == 302
    i.refresh_from_db()
    assert i.handover_status == "handed_over" and i.handover_unit == ins.a


def test_attach_an_officers_record(ins):
    i = InspectionFactory(unit=ins.a, recorded=True)
    c = client_for(ins.clerk_a)
    response = c.post(url("inspection_action", i.pk, "attach"), {
        "attach-title": "现场检查笔录", "attach-file": SimpleUploadedFile("笔录.pdf", PDF)})
    assert response.status_code == 302
    att = i.attachments.get()
    download = c.get(url("attachment_download", i.pk, att.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_program_renamed_pdf_is_refused(ins):
    i = InspectionFactory(unit=ins.a, recorded=True)
    response = client_for(ins.clerk_a).post(url("inspection_action", i.pk, "attach"), {
        "attach-file": SimpleUploadedFile("笔录.pdf", b"MZ\x90\x00program")})
    assert response.status_code == 400 and not i.attachments.exists()


def test_another_units_result_is_404(ins):
    i = InspectionFactory(unit=ins.b, recorded=True)
    c = client_for(ins.clerk_a)
    assert c.get(url("inspection_detail", i.pk)).status_code == 404
    assert c.post(url("inspection_action", i.pk, "publish")).status_code == 404
    assert c.get(url("inspection_detail", 999999)).status_code == 404
    assert c.get(url("inspection_action", i.pk, "publish")).status_code == 405


def test_result_detail_escapes(ins):
    i = InspectionFactory(unit=ins.a, recorded=True)
    text = body(client_for(ins.officer_a).get(url("inspection_detail", i.pk)))
    assert ESCAPED in text and SCRIPT not in text


def test_record_a_non_random_inspection(ins):
    e = EntityFactory()
    c = client_for(ins.clerk_a)
    response = c.post(url("non_random_create"), {
        "unit": ins.a.pk, "credit_code": e.credit_code, "reason": "complaint", "inspected_on": "2026-03-01",
        "result": "none_found", "officers": [x.pk for x in ins.inspectors_a[:2]]})
    i = Inspection.objects.get()
    assert response.status_code == 302 and i.kind == "non_random" and i.status == InspectionStatus.RECORDED


# -------------------------------------------------------------------- stats

def test_stats_page_and_export(ins):
    InspectionFactory(unit=ins.a, recorded=True, year=2026)
    InspectionFactory(unit=ins.a, recorded=True, year=2026, non_random=True)
    c = client_for(ins.clerk_a)
    text = body(c.get(url("stats"), {"year": 2026}))
    assert "双随机抽查占比" in text and "50.0%" in text
    response = c.get(url("stats"), {"year": 2026, "export": "all"})
    wb = load_workbook(BytesIO(response.content))
    assert response["Content-Type"] == XLSX and "双随机抽查占比" in wb.sheetnames
    assert c.get(url("stats"), {"export": "nonsense"}).status_code == 404


def test_stats_are_scoped(ins):
    InspectionFactory(unit=ins.b, recorded=True, year=2026)
    response = client_for(ins.clerk_a).get(url("stats"), {"year": 2026})
    share = next(t for t in response.context["tables"] if t["key"] == "share")
    assert share["rows"] == []


# ------------------------------------------------------------ query counts

def test_draw_page_query_count_does_not_grow_with_the_selection(ins, django_assert_max_num_queries):
    task = draft_task(ins)
    Task.objects.filter(pk=task.pk).update(sample_size=6)
    make_draw("drawn", task=task)
    c = client_for(ins.clerk_a)
    with django_assert_max_num_queries(25):
        response = c.get(url("draw_page", task.pk))
    assert response.status_code == 200 and response.context["selection_count"] == 6
    with django_assert_max_num_queries(25):
        assert c.get(url("draw_print", task.pk)).status_code == 200


def test_overview_query_count_is_bounded(ins, django_assert_max_num_queries):
    for _ in range(6):
        InspectionFactory(unit=ins.a, recorded=True, publish_due=TODAY - timedelta(days=1))
    c = client_for(ins.clerk_a)
    with django_assert_max_num_queries(15):
        response = c.get(url("index"))
    assert len(response.context["overdue"]) == 6


def test_stats_query_count_is_bounded(ins, django_assert_max_num_queries):
    for _ in range(6):
        InspectionFactory(unit=ins.a, recorded=True, year=2026, entity=EntityFactory())
    c = client_for(ins.clerk_a)
    with django_assert_max_num_queries(20):
        assert c.get(url("stats"), {"year": 2026}).status_code == 200


def test_joint_plan_edit_keeps_year_and_kind(ins):
    plan = PlanFactory(unit=ins.a, joint=True, participating_units=[ins.b])
    response = client_for(ins.clerk_a).post(url("plan_edit", plan.pk), {
        "year": 2030, "kind": "annual", "title": "改名的联合计划", "random_target": "30",
        "participating_units": [ins.b.pk, ins.town.pk]})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.year == 2026 and plan.kind == "joint" and plan.title == "改名的联合计划"
    assert set(plan.participating_units.all()) == {ins.b, ins.town}


def _task_post(item, **over):
    data = {"title": "预览任务", "items": [item.pk], "industries": "", "regions": "", "size_mode": "size",
            "sample_size": 3, "team_size": 2, "exclude_recent_months": 0, "planned_start": "2026-04-01",
            "planned_end": "2026-06-30"}
    data.update(over)
    return data


def test_task_form_preview_counts_the_pool_and_saves_nothing(ins):
    plan = PlanFactory(unit=ins.a, approved=True)
    item = InspectionItemFactory(unit=ins.a, published=True)
    for _ in range(5):
        EntityFactory(industry="餐饮")
    EntityFactory(industry="建材")
    audits = AuditEntry.objects.count()
    response = client_for(ins.clerk_a).post(url("task_preview_new", plan.pk), _task_post(item, industries="餐饮"),
                                            HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["preview"].objects == 5 and response.context["preview"].total == 3
    assert not Task.objects.exists() and AuditEntry.objects.count() == audits
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_task_form_preview_shows_the_refusal(ins):
    plan = PlanFactory(unit=ins.a)
    item = InspectionItemFactory(unit=ins.a, published=True)
    EntityFactory(industry="餐饮")
    response = client_for(ins.clerk_a).post(url("task_preview_new", plan.pk),
                                            _task_post(item, industries="餐饮", sample_size=5))
    assert "超过" in body(response) and not Task.objects.exists()


def test_task_preview_needs_the_plan_right(ins):
    plan = PlanFactory(unit=ins.a)
    item = InspectionItemFactory(unit=ins.a, published=True)
    assert client_for(ins.officer_a).post(url("task_preview_new", plan.pk), _task_post(item)).status_code == 403
    assert client_for(ins.clerk_b).post(url("task_preview_new", plan.pk), _task_post(item)).status_code == 404
    assert client_for(ins.clerk_a).get(url("task_preview_new", plan.pk)).status_code == 405


def test_batch_publication_does_not_redirect_elsewhere(ins):
    i = InspectionFactory(unit=ins.a, recorded=True)
    c = client_for(ins.clerk_a)
    response = c.post(url("inspection_publish_batch"), {"ids": [i.pk], "next": "//evil.example/x"})
    assert response["Location"] == url("inspection_list")
    response = c.post(url("inspection_publish_batch"), {"ids": [i.pk], "next": url("inspection_list") + "?due=overdue"})
    assert response["Location"] == url("inspection_list") + "?due=overdue"


def test_task_detail_after_the_draw_shows_progress(ins):
    task = drawn_task(ins)
    response = client_for(ins.clerk_a).get(url("task_detail", task.pk))
    assert response.status_code == 200 and "检查进度" in body(response)
    assert response.context["counts"]["pending"] == 3 and response.context["recorded"] == 0


def test_closing_a_task_with_pending_results_is_refused(ins):
    task = drawn_task(ins)
    response = client_for(ins.clerk_a).post(url("task_close", task.pk), follow=True)
    assert "RAND-07" in body(response)
    task.refresh_from_db()
    assert task.status == TaskStatus.DRAWN


def test_a_draw_frozen_under_version_1_is_revealed_with_its_public_input(ins, settings):
    import os

    from fazhi.core import draw as algo

    task = draft_task(ins)
    draw = make_draw("committed", task=task)
    os.remove(os.path.join(settings.MEDIA_ROOT, draw.pool_dir, algo.PARAMS_FILE))
    Draw.objects.filter(pk=draw.pk).update(algorithm_version=algo.ALGORITHM_V1, secret_seed="5f" * 32,
                                           commitment=algo.commitment("5f" * 32), server_commitment="",
                                           params_hash="", seed_salt="")
    task.witnesses.all().delete()
    c = client_for(ins.clerk_a)
    assert "reveal-witness_input" in body(c.get(url("draw_page", task.pk)))
    assert c.post(url("draw_reveal", task.pk), {"reveal-witness_name": "甲"}).status_code == 400
    response = c.post(url("draw_reveal", task.pk), {"reveal-witness_name": "区司法局 杨帆",
                                                    "reveal-witness_input": "20260302-见证"})
    assert response.status_code == 302
    draw.refresh_from_db()
    assert draw.status == DrawStatus.DRAWN and draw.witness_input == "20260302-见证"
    assert "20260302-见证" in body(c.get(url("draw_page", task.pk)))
