"""The public pages /portal/decisions/: only what was published, escaped, masked."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.major_decisions import services
from fazhi.major_decisions.models import CataloguePublication, Comment, Consultation, Status
from fazhi.major_decisions.tests.conftest import D, drive
from fazhi.major_decisions.tests.factories import (
    XSS,
    CatalogueFactory,
    CommentFactory,
    ConsultationFactory,
    DecisionFactory,
    EntryFactory,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"major_decisions_portal:{name}", args=args)


def assert_escaped(html: str):
    assert XSS not in html
    assert "&lt;script&gt;" in html


def open_consultation(**kw):
    today = timezone.localdate()
    return ConsultationFactory(start_on=today - timedelta(days=1), end_on=today + timedelta(days=30), **kw)


# ------------------------------------------------------------------ catalogue


def test_index_is_public_and_shows_the_published_catalogue_escaped(client, md):
    resp = client.get(url("index"))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "老旧小区改造三年行动计划" in html and md.a.name in html and "《城市更新条例》" in html
    assert "公众参与、专家论证、风险评估、合法性审查、集体讨论决定" in html
    assert url("catalogue_detail", md.cat.pk) in html


def test_catalogue_pages_escape_user_text(client):
    entry = EntryFactory()  # the factory's catalogue is published; give it its published version
    CataloguePublication.objects.create(catalogue=entry.catalogue, version=1, kind="catalogue",
                                        published_on=date(2026, 3, 10),
                                        snapshot=[{"seq": 1, "title": entry.title, "procedures": []}])
    for page in (url("index"), url("catalogue_detail", entry.catalogue.pk)):
        html = client.get(page).content.decode()
        assert "决策事项" in html
        assert_escaped(html)


def test_draft_catalogue_is_404_and_absent_from_index(client, md):
    draft = services.create_catalogue(md.b, by=None, year=2026, title="未公布的目录")
    html = client.get(url("index")).content.decode()
    assert "未公布的目录" not in html
    assert client.get(url("catalogue_detail", draft.pk)).status_code == 404
    assert client.get(url("catalogue_detail", 999999)).status_code == 404


def test_adjustment_is_listed_with_date_and_reason_and_republished(client, md):
    services.adjust_catalogue(md.cat, by=None, kind="add", reason="根据区委部署新增", adjusted_on=D(2026, 6, 1),
                              fields={"title": "新增的决策事项", "category": "plan", "sponsor_unit": md.b})
    html = client.get(url("catalogue_detail", md.cat.pk)).content.decode()
    assert "新增的决策事项" in html and "根据区委部署新增" in html and "2026-06-01" in html
    assert "第2版" in html
    # The first version stays readable as published then.
    old = client.get(url("catalogue_detail", md.cat.pk), {"version": 1}).content.decode()
    assert "历史版本" in old
    row = "<td>新增的决策事项</td><td>重要规划</td>"
    assert row in html and row not in old


def test_completion_status_shows_only_once_published(client, md):
    services.set_completion(md.entry, by=None, completion="completed", note="已印发实施")
    html = client.get(url("catalogue_detail", md.cat.pk)).content.decode()
    assert "年度完成情况" not in html and "已印发实施" not in html
    services.publish_completion(md.cat, by=None, published_on=D(2026, 12, 31), summary="全年完成1项。")
    html = client.get(url("catalogue_detail", md.cat.pk)).content.decode()
    assert "年度完成情况" in html and "已印发实施" in html and "全年完成1项。" in html
    assert "年度完成情况" in client.get(url("index")).content.decode()


def test_year_parameter_is_tolerant(client, md):
    assert client.get(url("index"), {"year": "abc"}).status_code == 200
    assert client.get(url("index"), {"year": "1999"}).status_code == 200
    assert client.get(url("catalogue_detail", md.cat.pk), {"version": "x"}).status_code == 200


# ------------------------------------------------------------------ decisions


def test_published_decision_page_shows_public_fields_escaped(client):
    d = DecisionFactory(published=True, decision_no="示政发〔2026〕1号")
    resp = client.get(url("decision_detail", d.pk))
    assert resp.status_code == 200
    html = resp.content.decode()
    for text in ("决策公布文本", "采纳情况", d.sponsor_unit.name, d.unit.name, "《重大行政决策程序暂行条例》",
                 "2026-07-01", "2026-07-05", "示政发〔2026〕1号"):
        assert text in html
    assert "决策草案正文" not in html  # the internal draft is never public
    assert_escaped(html)


def test_unpublished_decision_is_404_and_absent_from_lists(client):
    d = DecisionFactory(decided=True, title="已决定但未公布的决策")
    for page in (url("index"), url("catalogue_detail", d.entry.catalogue.pk)):
        assert "已决定但未公布的决策" not in client.get(page).content.decode()
    assert client.get(url("decision_detail", d.pk)).status_code == 404
    assert client.get(url("decision_detail", 999999)).status_code == 404


def test_decision_page_never_shows_internal_records(client, md):
    d = drive(md, Status.PUBLISHED)
    html = client.get(url("decision_detail", d.pk)).content.decode()
    for internal in ("专家1", "群众意见分歧", "区委政法委", "合法。", "区政府第12次常务会议", "副区长一"):
        assert internal not in html
    assert "采纳情况说明" in html


def test_stopped_decision_shows_the_stop_and_its_reason(client, md):
    d = drive(md, Status.EXECUTING)
    services.stop_decision(d, by=md.u.head_gov, reason="上位法修改", decided_on=D(2026, 9, 1))
    html = client.get(url("decision_detail", d.pk)).content.decode()
    assert "已停止执行" in html and "上位法修改" in html


def test_home_section_links_to_portal_pages(client, md):
    d = drive(md, Status.PUBLISHED)
    html = client.get(reverse("portal:home")).content.decode()
    assert url("decision_detail", d.pk) in html and url("catalogue_detail", md.cat.pk) in html


def test_index_query_count_is_fixed(client, md, django_assert_max_num_queries):
    for _ in range(3):
        DecisionFactory(published=True, entry=EntryFactory(catalogue=md.cat, sponsor_unit=md.a))
        open_consultation()
    with django_assert_max_num_queries(12):
        assert client.get(url("index")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(url("consultations")).status_code == 200


# ------------------------------------------------------------------ consultations


def test_open_consultation_is_listed_and_shows_draft_explanation_and_period(client):
    c = open_consultation()
    html = client.get(url("consultations")).content.decode()
    assert url("consultation_detail", c.pk) in html
    resp = client.get(url("consultation_detail", c.pk))
    assert resp.status_code == 200
    html = resp.content.decode()
    for text in ("征求意见稿", "起草说明", c.start_on.isoformat(), c.end_on.isoformat(), "提交意见",
                 "csrfmiddlewaretoken"):
        assert text in html
    assert "草案&lt;script" not in html  # the decision's internal draft is not shown; the notice's text is
    assert_escaped(html)


def test_comment_is_saved_through_the_service(client):
    c = open_consultation()
    resp = client.post(url("consultation_detail", c.pk), {"name": "李四", "contact": "13912345678",
                                                          "content": f"建议扩大范围{XSS}"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "您的意见已提交" in html
    comment = Comment.objects.get()
    assert (comment.name, comment.contact, comment.content) == ("李四", "13912345678", f"建议扩大范围{XSS}")


def test_comment_without_content_is_refused_in_chinese(client):
    c = open_consultation()
    resp = client.post(url("consultation_detail", c.pk), {"name": "李四", "content": ""})
    assert resp.status_code == 400
    assert "请填写意见内容" in resp.content.decode()
    assert not Comment.objects.exists()


def test_comment_after_the_period_is_refused_with_the_rule_and_nothing_saved(client):
    today = timezone.localdate()
    c = ConsultationFactory(start_on=today - timedelta(days=40), end_on=today - timedelta(days=1))
    resp = client.post(url("consultation_detail", c.pk), {"content": "迟到的意见"})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "截止，不再接收意见" in html and "MDEC-04" in html
    assert not Comment.objects.exists()


def test_comment_on_a_closed_consultation_is_refused(client):
    c = open_consultation(state=Consultation.State.CLOSED, closed_on=timezone.localdate())
    resp = client.post(url("consultation_detail", c.pk), {"content": "意见"})
    assert resp.status_code == 400
    assert "征求意见已结束" in resp.content.decode()
    assert not Comment.objects.exists()


def test_comment_needs_csrf_token():
    c = open_consultation()
    resp = Client(enforce_csrf_checks=True).post(url("consultation_detail", c.pk), {"content": "意见"})
    assert resp.status_code == 403
    assert not Comment.objects.exists()


def test_comments_are_not_public_before_the_summary(client):
    comment = CommentFactory(consultation=open_consultation(), content="尚未公布的意见")
    html = client.get(url("consultation_detail", comment.consultation.pk)).content.decode()
    assert "尚未公布的意见" not in html and "张三丰" not in html


def test_published_summary_masks_names_and_hides_contacts(client):
    today = timezone.localdate()
    c = ConsultationFactory(state=Consultation.State.CLOSED, closed_on=today, summary=f"采纳说明{XSS}",
                            summary_published_on=today, start_on=today - timedelta(days=40),
                            end_on=today - timedelta(days=5))
    CommentFactory(consultation=c, adoption="partly", reason=f"部分采纳理由{XSS}")
    html = client.get(url("consultation_detail", c.pk)).content.decode()
    assert "张**" in html and "张三丰" not in html
    assert "13812345678" not in html and "138" not in html.split("意见采纳情况（")[-1]
    assert "部分采纳" in html and "部分采纳理由" in html and "采纳说明" in html
    assert_escaped(html)
    assert url("consultation_detail", c.pk) in client.get(url("consultations")).content.decode()


def test_missing_consultation_is_404(client):
    assert client.get(url("consultation_detail", 999999)).status_code == 404
    assert client.post(url("consultation_detail", 999999), {"content": "x"}).status_code == 404


def test_wrong_method_is_405(client, md):
    assert client.post(url("index")).status_code == 405
    assert client.post(url("catalogue_detail", md.cat.pk)).status_code == 405


def test_unpublished_catalogue_factory_is_not_public(client):
    cat = CatalogueFactory(draft=True, title="草拟中的目录")
    assert "草拟中的目录" not in client.get(url("index")).content.decode()
    assert client.get(url("catalogue_detail", cat.pk)).status_code == 404


def test_comment_before_the_period_is_refused(client):
    today = timezone.localdate()
    c = ConsultationFactory(start_on=today + timedelta(days=3), end_on=today + timedelta(days=40))
    html = client.get(url("consultation_detail", c.pk)).content.decode()
    assert "尚未开始" in html and 'name="content"' not in html
    assert url("consultation_detail", c.pk) in client.get(url("consultations")).content.decode()
    resp = client.post(url("consultation_detail", c.pk), {"content": "提前的意见"})
    assert resp.status_code == 400 and "MDEC-04" in resp.content.decode()
    assert not Comment.objects.exists()


def test_public_comments_are_rate_limited_per_address(client, settings):
    settings.FAZHI_ANON_POSTS_PER_HOUR = 2
    c = open_consultation()
    for _ in range(2):
        client.post(url("consultation_detail", c.pk), {"name": "李四", "contact": "", "content": "意见"})
    resp = client.post(url("consultation_detail", c.pk), {"name": "李四", "contact": "", "content": "又一条"})
    assert resp.status_code == 429 and "提交过于频繁" in resp.content.decode()
    assert Comment.objects.count() == 2
