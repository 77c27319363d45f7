"""API /api/v1/decisions/: public read-only (published only) and the authenticated workflow."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fazhi.audit.models import AuditEntry
from fazhi.major_decisions import services
from fazhi.major_decisions.models import Comment, Consultation, Status
from fazhi.major_decisions.tests.conftest import D, drive
from fazhi.major_decisions.tests.factories import XSS, CommentFactory, ConsultationFactory, DecisionFactory

pytestmark = pytest.mark.django_db


def u(name, *args):
    return reverse(f"api:decisions:{name}", args=args)


@pytest.fixture
def api():
    return APIClient()


def as_user(api, user):
    api.force_authenticate(user)
    return api


# ------------------------------------------------------------------ public


def test_public_catalogue_list_and_detail(api, md):
    services.adjust_catalogue(md.cat, by=None, kind="add", reason="新增理由", adjusted_on=D(2026, 6, 1),
                              fields={"title": "新增事项", "category": "plan", "sponsor_unit": md.b})
    services.create_catalogue(md.b, by=None, year=2026, title="草拟目录")
    resp = api.get(u("public_catalogue_list"))
    assert resp.status_code == 200
    assert [r["title"] for r in resp.json()["results"]] == [md.cat.title]
    body = api.get(u("public_catalogue_detail", md.cat.pk)).json()
    assert [e["title"] for e in body["entries"]] == ["老旧小区改造三年行动计划", "新增事项"]
    assert body["adjustments"][0]["reason"] == "新增理由" and body["adjustments"][0]["adjusted_on"] == "2026-06-01"
    assert [p["version"] for p in body["publications"]] == [2, 1]
    assert body["completion_summary"] == "" and "party_consent_note" not in body


def test_public_catalogue_draft_is_404(api, md):
    draft = services.create_catalogue(md.b, by=None, year=2026)
    resp = api.get(u("public_catalogue_detail", draft.pk))
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "not_found"


def test_public_decisions_only_published(api):
    pub = DecisionFactory(published=True)
    hidden = DecisionFactory(decided=True)
    rows = api.get(u("public_decision_list")).json()["results"]
    assert [r["id"] for r in rows] == [pub.pk]
    body = api.get(u("public_decision_detail", pub.pk)).json()
    assert body["public_text"] == f"决策公布文本{XSS}" and body["basis"]
    assert "draft_text" not in body and "launch_note" not in body
    assert api.get(u("public_decision_detail", hidden.pk)).status_code == 404


def test_public_consultation_masks_names_and_hides_contacts(api):
    today = timezone.localdate()
    c = ConsultationFactory(state=Consultation.State.CLOSED, closed_on=today, summary="说明",
                            summary_published_on=today, start_on=today - timedelta(days=40),
                            end_on=today - timedelta(days=5))
    CommentFactory(consultation=c, adoption="adopted", reason="理由")
    body = api.get(u("public_consultation_detail", c.pk)).json()
    assert body["comments"] == [{"name": "张**", "content": f"意见内容{XSS}", "adoption": "adopted",
                                 "adoption_display": "采纳", "reason": "理由"}]
    assert "13812345678" not in str(body)


def test_public_consultation_hides_comments_before_summary(api):
    comment = CommentFactory()
    body = api.get(u("public_consultation_detail", comment.consultation.pk)).json()
    assert body["comments"] == [] and body["summary"] == ""


def test_public_open_consultations_filter(api):
    today = timezone.localdate()
    now = ConsultationFactory(start_on=today - timedelta(days=1), end_on=today + timedelta(days=30))
    ConsultationFactory(start_on=today - timedelta(days=60), end_on=today - timedelta(days=20))
    rows = api.get(u("public_consultation_list"), {"open": "1"}).json()["results"]
    assert [r["id"] for r in rows] == [now.pk]


def test_public_comment_after_the_period_is_409_and_nothing_saved(api):
    today = timezone.localdate()
    c = ConsultationFactory(start_on=today - timedelta(days=40), end_on=today - timedelta(days=1))
    resp = api.post(u("public_comment", c.pk), {"content": "迟到的意见"}, format="json")
    assert resp.status_code == 409
    err = resp.json()["error"]
    assert err["rule"] == "MDEC-04" and "截止" in err["message"]
    assert not Comment.objects.exists()


def test_public_comment_is_saved_and_empty_content_is_400(api):
    today = timezone.localdate()
    c = ConsultationFactory(start_on=today - timedelta(days=1), end_on=today + timedelta(days=30))
    resp = api.post(u("public_comment", c.pk), {"content": ""}, format="json")
    assert resp.status_code == 400 and resp.json()["error"]["fields"]["content"] == ["此项不能为空"]
    assert not Comment.objects.exists()
    resp = api.post(u("public_comment", c.pk), {"content": "建议", "name": "王五"}, format="json")
    assert resp.status_code == 201
    assert Comment.objects.get().name == "王五"


# ------------------------------------------------------------------ staff


def test_staff_endpoints_need_authentication(api, md):
    d = drive(md, Status.LAUNCHED)
    for resp in (api.get(u("decision_list")), api.get(u("decision_detail", d.pk)),
                 api.post(u("decision_action", d.pk, "start_drafting"), {}, format="json"),
                 api.get(u("catalogue_list")), api.get(u("expert_list")),
                 api.get(u("person_history", md.clerk_a.pk))):
        assert resp.status_code == 401
        assert resp.json()["error"]["code"] == "not_authenticated"


def test_list_and_detail_are_scoped_and_list_the_users_actions(api, md):
    d = drive(md, Status.LAUNCHED)
    as_user(api, md.u.clerk_a)
    assert [r["id"] for r in api.get(u("decision_list")).json()["results"]] == [d.pk]
    body = api.get(u("decision_detail", d.pk)).json()
    assert [a["action"] for a in body["actions"]] == ["start_drafting"]
    assert body["responsibilities"][0]["name"] == "承办人甲"
    as_user(api, md.u.clerk_b)
    assert api.get(u("decision_list")).json()["results"] == []
    assert api.get(u("decision_detail", d.pk)).status_code == 404


def test_discussion_before_legality_review_is_409_with_mdec_08(api, md):
    d = drive(md, Status.DRAFTING)
    as_user(api, md.u.head_gov)
    payload = {"meeting_type": "standing", "meeting_name": "常务会议", "held_on": "2026-06-20",
               "host": md.head_gov.pk, "head": md.head_gov.pk, "head_decision": "adopt",
               "votes": [{"person": md.vice1.pk, "view": "agree"}, {"person": md.vice2.pk, "view": "agree"}]}
    resp = api.post(u("decision_action", d.pk, "discuss"), payload, format="json")
    assert resp.status_code == 409
    err = resp.json()["error"]
    assert err["code"] == "transition_refused" and err["rule"] == "MDEC-08" and "合法性审查" in err["message"]
    d.refresh_from_db()
    assert d.status == Status.DRAFTING


def test_action_without_permission_is_403(api, md):
    d = drive(md, Status.LAUNCHED)
    as_user(api, md.u.reviewer)  # sees the decision (view) but is not the sponsor
    resp = api.post(u("decision_action", d.pk, "start_drafting"), {}, format="json")
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "forbidden"


def test_action_on_another_units_decision_is_404(api, md):
    d = drive(md, Status.LAUNCHED)
    as_user(api, md.u.clerk_b)
    resp = api.post(u("decision_action", d.pk, "start_drafting"), {}, format="json")
    assert resp.status_code == 404
    assert api.get(u("decision_detail", 999999)).status_code == 404


def test_unknown_action_is_404(api, md):
    d = drive(md, Status.LAUNCHED)
    as_user(api, md.u.clerk_a)
    resp = api.post(u("decision_action", d.pk, "fly"), {}, format="json")
    assert resp.status_code == 404 and "不支持的操作" in resp.json()["error"]["message"]


def test_bad_input_is_400_with_chinese_field_messages(api, md):
    d = drive(md, Status.DRAFTING)
    as_user(api, md.u.clerk_a)
    resp = api.post(u("decision_action", d.pk, "start_consultation"), {"start_on": "明天"}, format="json")
    assert resp.status_code == 400
    fields = resp.json()["error"]["fields"]
    assert fields["start_on"] == ["日期格式错误，应为 YYYY-MM-DD"] and fields["end_on"] == ["此项为必填项"]


def test_short_consultation_without_reason_is_refused_in_chinese(api, md):
    d = drive(md, Status.DRAFTING)
    as_user(api, md.u.clerk_a)
    t = timezone.localdate()
    resp = api.post(u("decision_action", d.pk, "start_consultation"),
                    {"start_on": str(t), "end_on": str(t + timedelta(days=10))}, format="json")
    assert resp.status_code == 400
    err = resp.json()["error"]
    assert err["rule"] == "MDEC-04" and "征求意见期限不足" in err["message"]
    assert not Consultation.objects.exists()


def test_action_calls_the_service_and_writes_the_audit_entry(api, md):
    d = drive(md, Status.LAUNCHED)
    as_user(api, md.u.clerk_a)
    before = AuditEntry.objects.count()
    resp = api.post(u("decision_action", d.pk, "start_drafting"), {"today": "2026-04-02"}, format="json")
    assert resp.status_code == 400 and resp.json()["error"]["rule"] == "SYS-03"  # the server's date only
    assert AuditEntry.objects.count() == before
    resp = api.post(u("decision_action", d.pk, "start_drafting"), {}, format="json")
    assert resp.status_code == 200 and resp.json()["status"] == Status.DRAFTING
    assert AuditEntry.objects.count() == before + 1
    assert AuditEntry.objects.order_by("-seq").first().action == "major_decisions.decision.drafting_started"


def test_discussion_through_the_api_after_legality_review(api, md):
    d = drive(md, Status.DISCUSSION)
    as_user(api, md.u.head_gov)
    payload = {"meeting_type": "standing", "meeting_name": "区政府第12次常务会议", "held_on": "2026-06-20",
               "late_reason": "会议纪要印发后补录",
               "host": md.head_gov.pk, "head": md.head_gov.pk, "head_decision": "adopt",
               "votes": [{"person": md.vice1.pk, "view": "agree"}, {"person": md.vice2.pk, "view": "agree"},
                         {"person": md.head_gov.pk, "view": "agree"}]}
    resp = api.post(u("decision_action", d.pk, "discuss"), payload, format="json")
    assert resp.status_code == 200, resp.json()
    body = resp.json()
    assert body["status"] == Status.DECIDED and {"action": "publish", "label": "公布决策"} in body["actions"]


def test_catalogues_experts_and_person_history(api, md):
    d = drive(md, Status.LAUNCHED)
    as_user(api, md.u.clerk_a)
    cats = api.get(u("catalogue_list")).json()["results"]
    assert [c["id"] for c in cats] == [md.cat.pk]
    detail = api.get(u("catalogue_detail", md.cat.pk)).json()
    assert detail["entries"][0]["title"] == "老旧小区改造三年行动计划"
    experts = api.get(u("expert_list"), {"field": "城市规划"}).json()["results"]
    assert {e["name"] for e in experts} >= {"专家1", "利害专家"}
    conflicted = next(e for e in experts if e["name"] == "利害专家")
    assert conflicted["conflict_units"] == [md.a.name]
    history = api.get(u("person_history", md.clerk_a.pk)).json()
    assert history[0]["decision_id"] == d.pk and history[0]["capacity"] == "sponsor"
    assert history[0]["unit_name"] == md.a.name


def test_person_history_keeps_post_and_unit_as_they_were(api, md):
    d = drive(md, Status.LAUNCHED)
    md.clerk_a.unit, md.clerk_a.post = md.b, "副局长"
    md.clerk_a.save()
    as_user(api, md.u.head_gov)
    rows = api.get(u("person_history", md.clerk_a.pk)).json()
    assert rows[0]["decision_id"] == d.pk
    assert (rows[0]["post"], rows[0]["unit_name"]) == ("科员", md.a.name)


def test_person_history_outside_scope_is_404(api, md):
    drive(md, Status.LAUNCHED)
    as_user(api, md.u.clerk_b)
    assert api.get(u("person_history", md.clerk_a.pk)).status_code == 404


def test_list_query_count_is_fixed(api, md, django_assert_max_num_queries):
    for _ in range(4):
        DecisionFactory(published=True)
    as_user(api, md.u.head_gov)
    with django_assert_max_num_queries(10):
        assert api.get(u("decision_list")).status_code == 200
    with django_assert_max_num_queries(6):
        assert api.get(u("public_decision_list")).status_code == 200


def test_endpoints_are_in_the_openapi_schema(api, django_user_model):
    api.force_authenticate(django_user_model.objects.create_user("schema-reader"))
    paths = api.get(reverse("api:schema"), {"format": "json"}).json()["paths"]
    for p in ("/api/v1/decisions/public/catalogues/", "/api/v1/decisions/public/decisions/{id}/",
              "/api/v1/decisions/public/consultations/{id}/comments/", "/api/v1/decisions/decisions/",
              "/api/v1/decisions/decisions/{id}/actions/{action}/", "/api/v1/decisions/experts/",
              "/api/v1/decisions/people/{person_id}/history/"):
        assert p in paths


def test_expert_phone_is_masked_except_for_the_pools_managers(api, md):
    from fazhi.major_decisions.tests.factories import ExpertFactory

    ExpertFactory(pool=md.pool, name="有电话的专家", phone="13900001111")
    for user, phone in ((md.u.clerk_a, "139****1111"), (md.u.clerk_gov, "13900001111")):
        rows = as_user(api, user).get(u("expert_list")).json()["results"]
        assert next(e for e in rows if e["name"] == "有电话的专家")["phone"] == phone


def test_public_endpoints_are_read_only(api, md):
    resp = api.post(u("public_catalogue_list"), {}, format="json")
    assert resp.status_code == 405 and resp.json()["error"]["code"] == "method_not_allowed"
    assert api.delete(u("public_catalogue_detail", md.cat.pk)).status_code == 405
