"""Staff screens of 重大行政决策: each page for the right user, 404 for
another unit's record, 403 for a forbidden step, sign-in and CSRF required,
transitions through POST (state and audit), refusals naming their rule,
escaping, Excel export, bounded query counts, accountability after a move."""

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.audit.models import AuditEntry
from fazhi.major_decisions import services
from fazhi.major_decisions.models import Catalogue, CatalogueStatus, Decision, Expert, RiskLevel, Status
from fazhi.major_decisions.tests.conftest import drive

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ESCAPED = "&lt;script&gt;"


def client_for(user, **kw) -> Client:
    c = Client(**kw)
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def body(response) -> str:
    return response.content.decode()


def detail(d) -> str:
    return reverse("major_decisions:decision_detail", args=[d.pk])


def action(d, step) -> str:
    return reverse("major_decisions:decision_action", args=[d.pk, step])


# ---------------------------------------------------------------- sign-in

@pytest.mark.parametrize("name", ["major_decisions:decision_list", "major_decisions:catalogue_list",
                                  "major_decisions:expert_list", "major_decisions:person_history",
                                  "major_decisions:expert_create"])
def test_anonymous_is_sent_to_sign_in(md, name):
    response = Client().get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_anonymous_cannot_see_a_decision_or_its_dossier(md):
    d = drive(md, Status.DRAFTING)
    for url in (detail(d), reverse("major_decisions:dossier_docx", args=[d.pk])):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ------------------------------------------------------------------ lists

def test_the_list_shows_the_sponsors_decisions_and_hides_them_from_another_unit(md):
    d = drive(md, Status.DRAFTING)
    text = body(client_for(md.u.clerk_a).get(reverse("major_decisions:decision_list")))
    assert detail(d) in text
    text = body(client_for(md.u.clerk_b).get(reverse("major_decisions:decision_list")))
    assert detail(d) not in text


def test_the_list_filters_by_state_year_and_overdue(md):
    drafting = drive(md, Status.DRAFTING)
    c = client_for(md.u.reviewer)
    assert detail(drafting) in body(c.get(reverse("major_decisions:decision_list"), {"status": "drafting"}))
    assert detail(drafting) not in body(c.get(reverse("major_decisions:decision_list"), {"status": "published"}))
    assert detail(drafting) in body(c.get(reverse("major_decisions:decision_list"), {"year": 2026}))
    # Planned for 2026-11-30, still drafting: overdue once that date passed (the real clock is later).
    overdue = body(c.get(reverse("major_decisions:decision_list"), {"overdue": "on"}))
    assert (detail(drafting) in overdue) == (date.today() > date(2026, 11, 30))


def test_the_list_exports_xlsx(md):
    drive(md, Status.DRAFTING)
    response = client_for(md.u.reviewer).get(reverse("major_decisions:decision_list"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(1, 1).value == "决策事项" and ws.cell(2, 1).value == "老旧小区改造三年行动计划"
    assert ws.max_row == 2


def test_the_list_query_count_is_bounded(md, django_assert_max_num_queries):
    for i in range(12):
        entry = services.adjust_catalogue(md.cat, by=None, kind="add", reason="新增", adjusted_on=date(2026, 4, 1),
                                          fields=dict(title=f"事项{i}", category="other", sponsor_unit=md.a)).entry
        services.launch_decision(entry, by=None, launched_on=date(2026, 4, 1))
    c = client_for(md.u.reviewer)
    with django_assert_max_num_queries(15):
        response = c.get(reverse("major_decisions:decision_list"))
    assert response.status_code == 200 and response.context["total"] == 12


def test_the_list_sorts_by_a_column(md):
    for t in ("乙事项", "甲事项", "丙事项"):
        entry = services.adjust_catalogue(md.cat, by=None, kind="add", reason="新增", adjusted_on=date(2026, 4, 1),
                                          fields=dict(title=t, category="other", sponsor_unit=md.a)).entry
        services.launch_decision(entry, by=None, launched_on=date(2026, 4, 1))
    response = client_for(md.u.clerk_a).get(reverse("major_decisions:decision_list"), {"sort": "title"})
    titles = [obj.title for obj, _ in response.context["cells"]]
    assert titles == sorted(titles)


# ----------------------------------------------------------------- detail

def test_the_detail_page_shows_the_progress_strip_of_required_steps(md):
    d = drive(md, Status.LEGAL_REVIEW)
    response = client_for(md.u.clerk_a).get(detail(d))
    assert response.status_code == 200
    strip = {s["label"]: s["state"] for s in response.context["progress"]}
    assert strip["公众参与"] == "done" and strip["专家论证"] == "done" and strip["合法性审查"] == "current"
    assert strip["集体讨论决定"] == "pending"
    # the strip names the step; the citation and the rule IDs are its tooltip (issue 13 §2 "Citations, not codes")
    assert re.search(r'<li class="current" title="《重大行政决策程序暂行条例》第[^"]+（MDEC-08、MDEC-09）">合法性审查',
                     body(response))
    assert "MDEC-08/09" not in body(response)


def test_the_strip_leaves_out_steps_the_catalogue_does_not_require(md):
    entry = services.adjust_catalogue(md.cat, by=None, kind="add", reason="新增", adjusted_on=date(2026, 4, 1),
                                      fields=dict(title="简易事项", category="other", sponsor_unit=md.a)).entry
    d = drive(md, Status.DRAFTING, entry=entry)
    labels = [s["label"] for s in client_for(md.u.clerk_a).get(detail(d)).context["progress"]]
    assert "专家论证" not in labels and "风险评估" not in labels and "合法性审查" in labels


def test_another_units_clerk_gets_404_for_the_decision_and_its_dossier(md):
    d = drive(md, Status.DRAFTING)
    c = client_for(md.u.clerk_b)
    assert c.get(detail(d)).status_code == 404
    assert c.get(reverse("major_decisions:dossier_zip", args=[d.pk])).status_code == 404
    assert c.post(action(d, "save_draft"), {"save_draft-draft_text": "x"}).status_code == 404


def test_a_missing_decision_is_404(md):
    assert client_for(md.u.clerk_a).get(reverse("major_decisions:decision_detail", args=[999999])).status_code == 404


def test_only_the_steps_the_user_may_take_are_offered(md):
    d = drive(md, Status.LEGAL_REVIEW)
    sponsor = [s["step"].key for s in client_for(md.u.clerk_a).get(detail(d)).context["steps"]]
    reviewer = [s["step"].key for s in client_for(md.u.reviewer).get(detail(d)).context["steps"]]
    assert "legal_review" not in sponsor
    assert reviewer == ["legal_review"]


def test_a_forbidden_step_is_403_and_changes_nothing(md):
    d = drive(md, Status.LEGAL_REVIEW)
    response = client_for(md.u.clerk_a).post(action(d, "legal_review"), {
        "legal_review-opinion": "lawful", "legal_review-text": "合法",
        "legal_review-decided_on": "2026-06-10"})
    assert response.status_code == 403
    d.refresh_from_db()
    assert d.status == Status.LEGAL_REVIEW


def test_a_transition_through_post_changes_state_and_writes_audit(md):
    d = drive(md, Status.LAUNCHED)
    response = client_for(md.u.clerk_a).post(action(d, "start_drafting"))
    assert response.status_code == 302 and response["Location"] == detail(d)
    d.refresh_from_db()
    assert d.status == Status.DRAFTING
    assert AuditEntry.objects.filter(action="major_decisions.decision.drafting_started",
                                     object_id=str(d.pk)).exists()


def test_the_legality_review_through_post_passes_to_discussion(md):
    d = drive(md, Status.LEGAL_REVIEW)
    response = client_for(md.u.reviewer).post(action(d, "legal_review"), {
        "legal_review-opinion": "lawful", "legal_review-text": "经审查合法。",
        "legal_review-decided_on": "2026-06-12", "legal_review-late_reason": "审查意见书补录"})
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.DISCUSSION
    assert AuditEntry.objects.filter(action="major_decisions.legal_review.decided").exists()


def _discussion_post(md, **extra):
    data = {"discuss-meeting_type": "standing", "discuss-meeting_name": "第12次常务会议",
            "discuss-held_on": "2026-06-20", "discuss-host": md.head_gov.pk,
            "discuss-head": md.head_gov.pk, "discuss-head_decision": "adopt",
            f"discuss-view_{md.vice1.pk}": "agree", f"discuss-view_{md.vice2.pk}": "agree",
            f"discuss-view_{md.head_gov.pk}": "agree", "discuss-late_reason": "会议纪要补录"}
    data.update(extra)
    return data


def test_discussion_before_legality_review_is_refused_with_the_rule_and_nothing_changes(md):
    d = drive(md, Status.RISK_ASSESSMENT)
    before = AuditEntry.objects.count()
    response = client_for(md.u.head_gov).post(action(d, "discuss"), _discussion_post(md))
    assert response.status_code == 409
    assert "MDEC-08" in body(response) and "不得提交集体讨论" in body(response)
    d.refresh_from_db()
    assert d.status == Status.RISK_ASSESSMENT and not d.discussions.exists()
    assert AuditEntry.objects.count() == before


def test_a_head_deciding_against_the_majority_without_reasons_is_refused(md):
    d = drive(md, Status.DISCUSSION)
    data = _discussion_post(md, **{f"discuss-view_{md.vice1.pk}": "disagree",
                                   f"discuss-view_{md.vice2.pk}": "disagree",
                                   f"discuss-view_{md.vice3.pk}": "disagree"})
    response = client_for(md.u.head_gov).post(action(d, "discuss"), data)
    assert response.status_code == 400 and "MDEC-11" in body(response)
    data["discuss-head_reasons"] = "事关民生，须尽快实施"
    response = client_for(md.u.head_gov).post(action(d, "discuss"), data)
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == Status.DECIDED and d.discussions.get().against_majority


def test_a_short_consultation_without_a_reason_is_refused_naming_the_rule(md):
    d = drive(md, Status.DRAFTING)
    t = timezone.localdate()
    response = client_for(md.u.clerk_a).post(action(d, "start_consultation"), {
        "start_consultation-start_on": str(t), "start_consultation-end_on": str(t + timedelta(days=10))})
    assert response.status_code == 400 and "征求意见期限不足" in body(response) and "MDEC-04" in body(response)
    d.refresh_from_db()
    assert d.status == Status.DRAFTING and not d.consultations.exists()


def test_choosing_a_conflicted_expert_is_refused(md):
    d = drive(md, Status.EXPERT_REVIEW)
    ids = [md.experts[0].pk, md.experts[1].pk, md.conflicted.pk]
    response = client_for(md.u.clerk_a).post(action(d, "select_experts"), {
        "select_experts-pool": md.pool.pk, "select_experts-method": "choice", "select_experts-experts": ids,
        "select_experts-choice_reason": "熟悉情况", "select_experts-selected_on": "2026-05-20"})
    assert response.status_code == 400 and "MDEC-06" in body(response) and "回避" in body(response)
    assert not d.expert_reviews.exists()


def test_a_random_draw_is_committed_then_revealed_and_verifies(md):
    """The clerk cannot choose the seed (a posted one is ignored): commit, reveal, verify, redraw with a reason."""
    d = drive(md, Status.EXPERT_REVIEW)
    c = client_for(md.u.clerk_a)
    response = c.post(action(d, "select_experts"), {
        "select_experts-pool": md.pool.pk, "select_experts-method": "random", "select_experts-count": 3,
        "select_experts-seed": "seed-2026", "select_experts-selected_on": "2026-05-20"})
    assert response.status_code == 302
    review = d.expert_reviews.get()
    draw = review.draws.get()
    text = body(c.get(detail(d)))
    assert draw.commitment in text and "待揭示" in text and action(d, "reveal_experts") in text
    assert action(d, "record_expert_opinion") not in text and not review.opinions.exists()
    assert c.post(action(d, "reveal_experts")).status_code == 302
    draw.refresh_from_db()
    assert draw.seed and "seed-2026" not in (draw.seed, draw.final_seed)
    text = body(c.get(detail(d)))
    assert draw.final_seed in text and "复核一致" in text and "利害专家" in text  # excluded, with reason
    bundle = c.get(reverse("major_decisions:expert_draw_bundle", args=[d.pk, draw.pk]))
    assert bundle.status_code == 200 and bundle["Content-Type"] == "application/zip"
    assert action(d, "redraw_experts") in text
    assert c.post(action(d, "redraw_experts"), {"redraw_experts-reason": ""}).status_code == 400
    assert c.post(action(d, "redraw_experts"), {"redraw_experts-reason": "专家一临时出差"}).status_code == 302
    text = body(c.get(detail(d)))
    assert "1 次" in text and "专家一临时出差" in text and review.draws.count() == 2


def test_a_high_risk_blocks_the_strip_and_names_the_rule(md):
    d = drive(md, Status.RISK_ASSESSMENT, risk=RiskLevel.HIGH)
    response = client_for(md.u.clerk_a).get(detail(d))
    strip = {s["label"]: s["state"] for s in response.context["progress"]}
    assert strip["风险评估"] == "blocked"
    assert "MDEC-07" in body(response)
    assert any("送合法性审查" == b.label for b in response.context["blocked_steps"])


def test_a_blocked_step_says_which_step_unlocks_it(md):
    d = drive(md, Status.RISK_ASSESSMENT, risk=RiskLevel.HIGH)
    response = client_for(md.u.clerk_a).get(detail(d))
    blocked = {b.label: b for b in response.context["blocked_steps"]}
    assert blocked["送合法性审查"].unlock == "登记风险防范措施并重新评估为中、低风险"
    text = body(response)
    assert "需先：登记风险防范措施并重新评估为中、低风险" in text
    assert '<abbr class="rule" title="MDEC-07">《重大行政决策程序暂行条例》第二十二条至第二十四条</abbr>' in text
    assert "尚不能办理" not in text


def test_csrf_is_enforced_on_actions(md):
    d = drive(md, Status.LAUNCHED)
    c = client_for(md.u.clerk_a, enforce_csrf_checks=True)
    assert c.post(action(d, "start_drafting")).status_code == 403
    d.refresh_from_db()
    assert d.status == Status.LAUNCHED


def test_get_on_an_action_is_405(md):
    d = drive(md, Status.LAUNCHED)
    assert client_for(md.u.clerk_a).get(action(d, "start_drafting")).status_code == 405


def test_user_text_is_escaped(md):
    d = drive(md, Status.LAUNCHED)
    services.start_drafting(d, by=md.u.clerk_a, today=date(2026, 4, 2))
    services.save_draft(d, by=md.u.clerk_a, draft_text="<script>alert(1)</script>", today=date(2026, 4, 3))
    text = body(client_for(md.u.clerk_a).get(detail(d)))
    assert "<script>alert(1)</script>" not in text and ESCAPED in text


def test_comments_are_answered_from_the_page(md):
    d = drive(md, Status.PARTICIPATION)
    c = d.consultations.get()
    from django.utils import timezone

    comment = services.submit_comment(c, content="<script>x</script>建议", now=timezone.make_aware(
        timezone.datetime(2026, 4, 20, 10, 0)))
    services.close_consultation(c, by=md.u.clerk_a, today=date(2026, 5, 16))
    cl = client_for(md.u.clerk_a)
    assert ESCAPED in body(cl.get(detail(d)))
    response = cl.post(reverse("major_decisions:comment_answer", args=[d.pk, comment.pk]),
                       {"adoption": "adopted", "reason": "已采纳"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.adoption == "adopted"


def test_the_dossier_downloads(md):
    d = drive(md, Status.PUBLISHED)
    c = client_for(md.u.clerk_a)
    response = c.get(reverse("major_decisions:dossier_docx", args=[d.pk]))
    assert response.status_code == 200 and "wordprocessingml" in response["Content-Type"]
    response = c.get(reverse("major_decisions:dossier_zip", args=[d.pk]))
    assert response.status_code == 200
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(response.content)).namelist()


def test_the_responsible_persons_of_a_decision_are_listed(md):
    d = drive(md, Status.DECIDED)
    text = body(client_for(md.u.clerk_a).get(detail(d)))
    assert "决策责任人" in text and "副区长一" in text and "审核员" in text


# -------------------------------------------------------------- catalogue

def test_the_catalogue_list_and_detail_show_entries(md):
    c = client_for(md.u.clerk_a)
    assert reverse("major_decisions:catalogue_detail", args=[md.cat.pk]) in body(
        c.get(reverse("major_decisions:catalogue_list")))
    text = body(c.get(reverse("major_decisions:catalogue_detail", args=[md.cat.pk])))
    assert "老旧小区改造三年行动计划" in text and "《城市更新条例》" in text and "启动决策" in text


def test_the_catalogue_colours_the_planned_completion_of_open_entries(md, monkeypatch):
    """Issue 13 §2: an entry not yet decided is red 逾期N天 past its 计划完成, amber just before."""
    c = client_for(md.u.clerk_a)
    url = reverse("major_decisions:catalogue_detail", args=[md.cat.pk])
    monkeypatch.setattr("fazhi.major_decisions.views._today", lambda: date(2026, 12, 3))
    text = body(c.get(url))
    assert 'class="due-cell due-overdue"' in text and "逾期3天" in text
    monkeypatch.setattr("fazhi.major_decisions.views._today", lambda: date(2026, 11, 26))  # Thursday
    text = body(c.get(url))
    assert 'class="due-cell due-soon"' in text and "剩余2个工作日" in text


def test_the_catalogue_is_404_for_a_unit_with_no_entry_in_it(md):
    assert client_for(md.u.clerk_b).get(
        reverse("major_decisions:catalogue_detail", args=[md.cat.pk])).status_code == 404


def test_the_government_office_creates_approves_and_publishes_a_catalogue(md):
    office, head = client_for(md.u.clerk_gov), client_for(md.u.head_gov)
    response = office.post(reverse("major_decisions:catalogue_list"), {"unit": md.gov.pk, "year": 2027})
    cat = Catalogue.objects.get(year=2027)
    assert response.status_code == 302
    url = lambda step: reverse("major_decisions:catalogue_action", args=[cat.pk, step])  # noqa: E731
    assert office.post(url("add_entry"), {
        "add_entry-title": "公交线网优化", "add_entry-category": "public_policy", "add_entry-sponsor_unit": md.a.pk,
        "add_entry-needs_participation": "on"}).status_code == 302
    assert office.post(url("approve"), {
        "approve-party_consent_on": "2027-03-01", "approve-party_consent_note": "经区委同意",
        "approve-approved_on": "2027-03-05"}).status_code == 403  # only the head approves
    assert head.post(url("approve"), {
        "approve-party_consent_on": "2027-03-01", "approve-party_consent_note": "经区委同意",
        "approve-approved_on": "2027-03-05"}).status_code == 302
    assert office.post(url("publish"), {"publish-published_on": "2027-03-10"}).status_code == 302
    cat.refresh_from_db()
    assert cat.status == CatalogueStatus.PUBLISHED and cat.version == 1
    assert AuditEntry.objects.filter(action="major_decisions.catalogue.published").exists()


def test_approval_before_party_consent_is_refused_with_the_rule(md):
    cat = services.create_catalogue(md.gov, by=None, year=2028)
    services.add_entry(cat, by=None, title="事项", category="other", sponsor_unit=md.a)
    response = client_for(md.u.head_gov).post(
        reverse("major_decisions:catalogue_action", args=[cat.pk, "approve"]), {
            "approve-party_consent_on": "2028-03-09", "approve-party_consent_note": "经区委同意",
            "approve-approved_on": "2028-03-05"})
    assert response.status_code == 400 and "MDEC-02" in body(response)
    cat.refresh_from_db()
    assert cat.status == CatalogueStatus.DRAFT


def test_an_adjustment_needs_a_reason_and_is_republished(md):
    c = client_for(md.u.clerk_gov)
    url = reverse("major_decisions:catalogue_action", args=[md.cat.pk, "adjust"])
    data = {"adjust-kind": "change", "adjust-entry": md.entry.pk, "adjust-adjusted_on": "2026-06-01",
            "adjust-planned_completion": "2026-12-20"}
    assert c.post(url, data).status_code == 400  # no reason
    data["adjust-reason"] = "征求意见时间延长"
    assert c.post(url, data).status_code == 302
    md.cat.refresh_from_db()
    md.entry.refresh_from_db()
    assert md.cat.version == 2 and md.entry.planned_completion == date(2026, 12, 20)
    assert "征求意见时间延长" in body(c.get(reverse("major_decisions:catalogue_detail", args=[md.cat.pk])))


def test_the_catalogue_exports_xlsx(md):
    response = client_for(md.u.clerk_gov).get(reverse("major_decisions:catalogue_detail", args=[md.cat.pk]),
                                              {"export": "xlsx"})
    assert response["Content-Type"] == XLSX
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(2, 2).value == "老旧小区改造三年行动计划"


def test_the_sponsor_launches_a_decision_from_the_catalogue(md):
    response = client_for(md.u.clerk_a).post(reverse("major_decisions:decision_launch", args=[md.entry.pk]), {
        "launched_on": "2026-04-01", "launch_note": "经研究论证"})
    d = Decision.objects.get(entry=md.entry)
    assert response.status_code == 302 and response["Location"] == detail(d)
    assert client_for(md.u.clerk_b).get(
        reverse("major_decisions:decision_launch", args=[md.entry.pk])).status_code == 404


# ----------------------------------------------------------------- experts

def test_the_expert_pool_lists_fields_affiliations_and_conflicts(md):
    response = client_for(md.u.clerk_a).get(reverse("major_decisions:expert_list"))
    text = body(response)
    assert response.status_code == 200 and "利害专家" in text and "住建设计院" in text and "住建局" in text


def test_an_expert_is_added_and_edited(md):
    c = client_for(md.u.clerk_gov)
    response = c.post(reverse("major_decisions:expert_create"), {
        "pool": md.pool.pk, "name": "新专家<script>", "fields_text": "城市规划、交通", "affiliation": "研究院",
        "conflict_units": [md.b.pk]})
    e = Expert.objects.get(affiliation="研究院")
    assert response.status_code == 302 and e.field_list == ["城市规划", "交通"]
    assert ESCAPED in body(c.get(reverse("major_decisions:expert_detail", args=[e.pk])))
    response = c.post(reverse("major_decisions:expert_edit", args=[e.pk]), {
        "name": "新专家", "fields_text": "交通", "affiliation": "研究院", "is_active": ""})
    e.refresh_from_db()
    assert response.status_code == 302 and not e.is_active and e.field_list == ["交通"]


def test_a_sponsor_clerk_may_not_add_experts(md):
    assert client_for(md.u.clerk_a).get(reverse("major_decisions:expert_create")).status_code == 403


def test_an_experts_history_lists_the_decisions_reviewed(md):
    d = drive(md, Status.RISK_ASSESSMENT)
    expert = d.expert_reviews.get().opinions.first().expert
    text = body(client_for(md.u.reviewer).get(reverse("major_decisions:expert_detail", args=[expert.pk])))
    assert d.title in text and "专家论证" in text


# ---------------------------------------------------------- accountability

def test_person_history_keeps_the_post_held_then_after_a_move(md):
    d = drive(md, Status.DECIDED)
    vice = md.vice1
    vice.post, vice.unit, vice.is_active = "退休", md.b, False
    vice.save()
    c = client_for(md.u.reviewer)
    found = body(c.get(reverse("major_decisions:person_history"), {"q": "副区长一"}))
    assert f"person={vice.pk}" in found
    response = c.get(reverse("major_decisions:person_history"), {"person": vice.pk})
    rows = response.context["rows"]
    assert [r.decision_id for r in rows] == [d.pk]
    assert rows[0].post == "副区长" and rows[0].unit_name == md.gov.name and rows[0].get_capacity_display() == "参会人"
    assert "已离职/停用" in body(response)


def test_person_history_exports_xlsx(md):
    drive(md, Status.DECIDED)
    response = client_for(md.u.reviewer).get(reverse("major_decisions:person_history"),
                                             {"person": md.head_gov.pk, "export": "xlsx"})
    assert response["Content-Type"] == XLSX
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws.cell(2, 2).value == "老旧小区改造三年行动计划"


def test_person_history_hides_decisions_of_other_units(md):
    drive(md, Status.DECIDED)
    response = client_for(md.u.clerk_b).get(reverse("major_decisions:person_history"), {"person": md.head_gov.pk})
    assert response.status_code == 404


def test_a_draft_catalogue_entry_is_deleted_and_a_published_one_is_not(md):
    cat = services.create_catalogue(md.gov, by=None, year=2029)
    entry = services.add_entry(cat, by=None, title="待删事项", category="other", sponsor_unit=md.a)
    c = client_for(md.u.clerk_gov)
    assert c.post(reverse("major_decisions:entry_delete", args=[cat.pk, entry.pk])).status_code == 302
    assert not cat.entries.exists()
    response = c.post(reverse("major_decisions:entry_delete", args=[md.cat.pk, md.entry.pk]), follow=True)
    assert "MDEC-02" in body(response)
    assert md.cat.entries.filter(pk=md.entry.pk).exists()


def test_person_history_covers_experts(md):
    d = drive(md, Status.RISK_ASSESSMENT)
    expert = d.expert_reviews.get().opinions.first().expert
    response = client_for(md.u.reviewer).get(reverse("major_decisions:person_history"), {"expert": expert.pk})
    assert [r.decision_id for r in response.context["rows"]] == [d.pk]
    assert response.context["rows"][0].get_capacity_display() == "专家"


def test_person_history_without_a_name_lists_everyone_who_took_part(md):
    drive(md, Status.DECIDED)
    response = client_for(md.u.reviewer).get(reverse("major_decisions:person_history"))
    names = {m["name"] for m in response.context["matches"]}
    assert {"副区长一", "区长", "审核员", "承办人甲"} <= names


def test_the_detail_page_query_count_is_bounded(md, django_assert_max_num_queries):
    d = drive(md, Status.EVALUATING)
    c = client_for(md.u.head_gov)
    with django_assert_max_num_queries(40):
        assert c.get(detail(d)).status_code == 200


def test_an_expert_pool_is_set_up_once(md):
    from fazhi.major_decisions.models import ExpertPool

    ExpertPool.objects.filter(kind="stability").delete()
    c = client_for(md.u.clerk_gov)
    assert "建立区政府社会稳定风险评估专家库" in body(c.get(reverse("major_decisions:expert_list")))
    response = c.post(reverse("major_decisions:pool_create"), {"unit": md.gov.pk, "kind": "stability"})
    assert response.status_code == 302 and ExpertPool.objects.filter(unit=md.gov, kind="stability").count() == 1
    assert client_for(md.u.clerk_a).post(reverse("major_decisions:pool_create"),
                                         {"unit": md.gov.pk, "kind": "decision"}).status_code == 403


def test_the_consultation_form_opens_with_the_earliest_lawful_end_date(md):
    """MDEC-04: at least 30 days; the form offers that day (issue 13 §2 "Dates")."""
    from fazhi.major_decisions import rules

    d = drive(md, Status.DRAFTING)
    t = timezone.localdate()
    html = body(client_for(md.u.clerk_a).get(detail(d)))
    assert f'name="start_consultation-end_on" value="{rules.consultation_min_end(t).due:%Y-%m-%d}"' in html


def test_the_planned_completion_is_coloured_until_the_decision_is_made(md):
    """Issue 13 §2 "deadlines in colour": the catalogue's 计划完成 (2026-11-30 here) on the detail page."""
    d = drive(md, Status.DRAFTING)
    today = timezone.localdate()
    d.entry.planned_completion = today - timedelta(days=3)
    d.entry.save(update_fields=["planned_completion"])
    line = re.search(r"<dt>计划完成</dt><dd>(.*?)</dd>", body(client_for(md.u.clerk_a).get(detail(d))), re.S)[1]
    assert 'class="due-cell due-overdue"' in line and "逾期3天" in line


def test_the_planned_completion_of_a_decided_matter_is_shown_plainly(md):
    today = timezone.localdate()
    decided = drive(md, Status.EXECUTING)
    decided.entry.planned_completion = today - timedelta(days=3)
    decided.entry.save(update_fields=["planned_completion"])
    line = re.search(r"<dt>计划完成</dt><dd>(.*?)</dd>",
                     body(client_for(md.u.clerk_a).get(detail(decided))), re.S)[1]
    assert "due-overdue" not in line and (today - timedelta(days=3)).isoformat() in line
