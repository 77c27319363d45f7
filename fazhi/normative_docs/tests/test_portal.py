"""The public library and consultations: only what was published, escaped, masked."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.normative_docs import services
from fazhi.normative_docs.models import Comment, ReviewProposal
from fazhi.normative_docs.tests.factories import SCRIPT, make_doc

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"normative_docs_portal:{name}", args=args)


def open_consultation(**kw):
    doc = make_doc("drafting", **kw)
    today = timezone.localdate()
    return services.start_consultation(doc, by=None, start_on=today - timedelta(days=1),
                                       end_on=today + timedelta(days=40), today=today - timedelta(days=1))


def assert_escaped(html: str):
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_library_is_public_and_lists_published_documents_escaped(client):
    doc = make_doc("published")
    resp = client.get(url("library"))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert url("detail", doc.pk) in html and doc.doc_number in html
    assert_escaped(html)


def test_drafts_are_not_in_the_library_and_their_page_is_404(client):
    draft = make_doc("registered", title="未公布的草案文件")
    html = client.get(url("library")).content.decode()
    assert "未公布的草案文件" not in html
    assert client.get(url("detail", draft.pk)).status_code == 404
    assert client.get(url("download", draft.pk)).status_code == 404
    assert client.get(url("detail", 999999)).status_code == 404


def test_document_page_shows_badge_numbers_dates_articles_escaped(client):
    doc = make_doc("published")
    resp = client.get(url("detail", doc.pk))
    assert resp.status_code == 200
    html = resp.content.decode()
    for text in (doc.doc_number, doc.registration_no, doc.issuer.name, "第三条", "公布日期", "施行日期",
                 "有效期至", "提出审查建议", "csrfmiddlewaretoken"):
        assert text in html
    assert ("有效" in html) or ("尚未施行" in html)
    assert_escaped(html)
    assert "起草说明" not in html  # internal fields stay internal


@pytest.mark.parametrize("state,badge", [("repealed", "废止"), ("expired", "失效")])
def test_document_page_badge_for_ended_documents(client, state, badge):
    doc = make_doc(state)
    assert f'badge-danger">{badge}' in client.get(url("detail", doc.pk)).content.decode()


def test_amended_document_shows_its_published_versions(client):
    old = make_doc("amended")
    html = client.get(url("detail", old.pk)).content.decode()
    assert "已修改" in html
    new = old.amendments.get()
    assert url("detail", new.pk) in html


def test_download_is_a_docx(client):
    doc = make_doc("published")
    resp = client.get(url("download", doc.pk))
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    assert resp.content[:2] == b"PK"


def test_library_filters_by_status_issuer_and_year(client):
    in_force = make_doc("published", title="有效的文件甲")
    repealed = make_doc("repealed", title="废止的文件乙")
    html = client.get(url("library"), {"status": "废止"}).content.decode()
    assert "废止的文件乙" in html and "有效的文件甲" not in html
    html = client.get(url("library"), {"issuer": in_force.issuer_id}).content.decode()
    assert "有效的文件甲" in html and "废止的文件乙" not in html
    html = client.get(url("library"), {"year": in_force.published_on.year + 1}).content.decode()
    assert "有效的文件甲" not in html
    html = client.get(url("library"), {"year": "abc", "status": "<b>"}).content.decode()
    assert "有效的文件甲" in html and repealed.title in html


def test_library_search_by_one_and_two_characters(client):
    make_doc("published", title="关于渔船安全的规定")
    make_doc("published", title="关于殡葬管理的办法")
    html = client.get(url("library"), {"q": "渔"}).content.decode()
    assert "关于渔船安全的规定" in html and "殡葬" not in html.split("nd-results")[-1]
    html = client.get(url("library"), {"q": "殡葬"}).content.decode()
    assert "关于殡葬管理的办法" in html and "关于渔船安全的规定" not in html


def test_home_section_lists_latest_published_documents(client):
    doc = make_doc("published", title="门户首页展示的文件")
    make_doc("signed", title="尚未公布的文件")
    html = client.get(reverse("portal:home")).content.decode()
    assert "门户首页展示的文件" in html and "尚未公布的文件" not in html
    assert url("detail", doc.pk) in html


# ------------------------------------------------------------ review proposals

def test_review_proposal_is_saved_and_acknowledged_with_tracking_number(client):
    doc = make_doc("published")
    resp = client.post(url("propose", doc.pk), {"name": "张三", "contact": "13812345678",
                                                "content": f"第三条增加了义务{SCRIPT}"})
    assert resp.status_code == 200
    p = ReviewProposal.objects.get()
    html = resp.content.decode()
    assert "SCJY-" in html and f"{p.pk:06d}" in html and "答复期限" in html
    assert "13812345678" not in html
    assert_escaped(html)


def test_review_proposal_bad_input_gets_chinese_message_and_saves_nothing(client):
    doc = make_doc("published")
    resp = client.post(url("propose", doc.pk), {"name": "", "contact": "", "content": ""})
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "请填写审查建议内容" in html and "请填写联系方式" in html
    assert not ReviewProposal.objects.exists()


def test_review_proposal_needs_csrf_token():
    doc = make_doc("published")
    client = Client(enforce_csrf_checks=True)
    resp = client.post(url("propose", doc.pk), {"name": "张三", "contact": "1", "content": "建议"})
    assert resp.status_code == 403
    assert not ReviewProposal.objects.exists()


def test_review_proposal_on_a_draft_is_404(client):
    draft = make_doc("signed")
    assert client.post(url("propose", draft.pk), {"name": "a", "contact": "b", "content": "c"}).status_code == 404
    assert not ReviewProposal.objects.exists()


# ------------------------------------------------------------ consultations

def test_open_consultation_is_listed_and_shown_article_by_article(client):
    c = open_consultation()
    html = client.get(url("consultations")).content.decode()
    assert url("consultation", c.pk) in html
    resp = client.get(url("consultation", c.pk))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert html.count('name="article_no"') == len(c.version.articles)
    assert "第三条" in html and "提交意见" in html
    assert_escaped(html)


def test_comment_on_an_article_is_saved(client):
    c = open_consultation()
    resp = client.post(url("consultation", c.pk), {"article_no": "第二条", "content": "建议明确范围",
                                                   "name": "李四", "contact": "13912345678"})
    assert resp.status_code == 200
    assert "您的意见已提交" in resp.content.decode()
    comment = Comment.objects.get()
    assert (comment.article_no, comment.name) == ("第二条", "李四")


def test_comment_without_content_is_refused_in_chinese(client):
    c = open_consultation()
    resp = client.post(url("consultation", c.pk), {"article_no": "第二条", "content": ""})
    assert resp.status_code == 400
    assert "请填写意见内容" in resp.content.decode()
    assert not Comment.objects.exists()


def test_comment_on_a_closed_consultation_is_refused_and_nothing_saved(client):
    c = open_consultation()
    services.close_consultation(c, by=None, today=timezone.localdate() + timedelta(days=41))
    resp = client.post(url("consultation", c.pk), {"article_no": "第二条", "content": "迟到的意见"})
    assert resp.status_code == 400
    assert "征求意见已结束" in resp.content.decode()
    assert not Comment.objects.exists()


def test_comment_needs_csrf_token():
    c = open_consultation()
    resp = Client(enforce_csrf_checks=True).post(url("consultation", c.pk), {"content": "意见"})
    assert resp.status_code == 403
    assert not Comment.objects.exists()


def test_adoption_summary_shows_masked_names_and_escaped_comments(client):
    doc = make_doc("published")  # its consultation: comment by 王五 / 13812345678, answered, summary published
    c = doc.consultations.get()
    html = client.get(url("consultation", c.pk)).content.decode()
    assert "意见采纳情况" in html and "部分采纳" in html
    assert "王*" in html and "王五" not in html
    assert "13812345678" not in html and "138" not in html.split("意见采纳情况")[-1]
    assert_escaped(html)
    assert url("consultation", c.pk) in client.get(url("consultations")).content.decode()


def test_portal_pages_refuse_other_methods(client):
    doc = make_doc("published")
    assert client.post(url("library")).status_code == 405
    assert client.get(url("propose", doc.pk)).status_code == 405


# ------------------------------------------------------------ anonymous post limits

def test_public_comments_are_rate_limited_per_address(client, settings):
    settings.FAZHI_ANON_POSTS_PER_HOUR = 2
    c = open_consultation()
    for _ in range(2):
        assert client.post(url("consultation", c.pk), {"article_no": "第二条", "content": "意见"}).status_code == 200
    resp = client.post(url("consultation", c.pk), {"article_no": "第二条", "content": "第三条意见"})
    assert resp.status_code == 429 and "提交过于频繁" in resp.content.decode() and resp["Retry-After"]
    assert Comment.objects.count() == 2
    # another address is not affected; reading is never limited
    assert client.post(url("consultation", c.pk), {"article_no": "第二条", "content": "意见"},
                       REMOTE_ADDR="10.0.0.9").status_code == 200
    assert client.get(url("consultation", c.pk)).status_code == 200


def test_review_proposals_are_rate_limited_per_address(client, settings):
    settings.FAZHI_ANON_POSTS_PER_HOUR = 1
    doc = make_doc("published")
    data = {"name": "张三", "contact": "13812345678", "content": "建议审查第三条"}
    client.post(url("propose", doc.pk), data)
    resp = client.post(url("propose", doc.pk), data)
    assert resp.status_code == 429
