"""Staff screens of 行政规范性文件: each page for the right user, 404 for
another unit's record, 403 for a forbidden step, sign-in and CSRF required,
transitions through POST (state and audit), refusals naming their rule,
escaping, Excel export, bounded query counts, upload checks."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fazhi.audit.models import AuditEntry
from fazhi.normative_docs import services
from fazhi.normative_docs.models import CleanupCampaign, NormDoc, ReviewProposal, Status
from fazhi.normative_docs.tests.factories import SCRIPT, TEXT, issuer_code, make_doc

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ESCAPED = "&lt;script&gt;"


def client_for(user, **kw) -> Client:
    c = Client(**kw)
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def body(response) -> str:
    return response.content.decode()


def detail_url(doc) -> str:
    return reverse("normative_docs:detail", args=[doc.pk])


def action_url(doc, step) -> str:
    return reverse("normative_docs:action", args=[doc.pk, step])


# ---------------------------------------------------------------- sign-in

@pytest.mark.parametrize("name", ["normative_docs:list", "normative_docs:create", "normative_docs:check",
                                  "normative_docs:import", "normative_docs:cleanup_list",
                                  "normative_docs:proposal_list"])
def test_anonymous_is_sent_to_sign_in(nd, name):
    response = Client().get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_anonymous_cannot_see_a_document(nd):
    doc = make_doc(unit=nd.a)
    response = Client().get(detail_url(doc))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ------------------------------------------------------------------- list

def test_list_shows_the_units_documents(nd):
    mine = make_doc(unit=nd.a, title="农业补贴办法")
    make_doc(unit=nd.b, title="市场监管办法")
    response = client_for(nd.clerk_a).get(reverse("normative_docs:list"))
    assert response.status_code == 200
    text = body(response)
    assert "农业补贴办法" in text and "市场监管办法" not in text
    assert detail_url(mine) in text


def test_list_filters_by_status_and_title(nd):
    make_doc("published", unit=nd.a, title="已公布的办法")
    make_doc(unit=nd.a, title="起草中的办法")
    c = client_for(nd.reviewer)
    text = body(c.get(reverse("normative_docs:list"), {"status": Status.PUBLISHED}))
    assert "已公布的办法" in text and "起草中的办法" not in text
    text = body(c.get(reverse("normative_docs:list"), {"q": "起草中"}))
    assert "起草中的办法" in text and "已公布的办法" not in text


def test_list_overdue_filter_shows_overdue_filings(nd):
    make_doc("published", unit=nd.a, title="逾期未报备的办法", today=date(2025, 1, 6))  # filing due in 2025
    make_doc(unit=nd.a, title="起草中的办法")
    text = body(client_for(nd.reviewer).get(reverse("normative_docs:list"), {"overdue": "on"}))
    assert "逾期未报备的办法" in text and "起草中的办法" not in text


def test_list_exports_xlsx(nd):
    make_doc("published", unit=nd.a, title="导出测试办法")
    response = client_for(nd.reviewer).get(reverse("normative_docs:list"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    ws = load_workbook(BytesIO(response.content)).active
    assert ws.cell(1, 1).value == "文件名称" and ws.cell(2, 1).value == "导出测试办法"
    assert ws.max_row == 2


def test_list_query_count_is_bounded(nd, django_assert_max_num_queries):
    for i in range(20):
        services.create_draft(unit=nd.a, issuer=nd.a, title=f"文件{i}", text=TEXT, by=None)
    c = client_for(nd.reviewer)
    with django_assert_max_num_queries(15):
        response = c.get(reverse("normative_docs:list"))
    assert response.status_code == 200 and response.context["total"] == 20


def test_list_sorts_by_a_column(nd):
    for t in ("乙办法", "甲办法", "丙办法"):
        services.create_draft(unit=nd.a, issuer=nd.a, title=t, text=TEXT, by=None)
    response = client_for(nd.clerk_a).get(reverse("normative_docs:list"), {"sort": "title"})
    titles = [obj.title for obj, _ in response.context["cells"]]
    assert titles == sorted(titles)


# ----------------------------------------------------------------- create

def test_clerk_creates_a_draft(nd):
    response = client_for(nd.clerk_a).post(reverse("normative_docs:create"), {
        "title": "关于农机补贴的管理办法", "unit": nd.a.pk, "issuer": nd.a.pk, "text": TEXT,
        "explanation": "说明", "legal_basis": "《中华人民共和国农业法》",
    })
    doc = NormDoc.objects.get(title="关于农机补贴的管理办法")
    assert response.status_code == 302 and response["Location"] == detail_url(doc)
    assert doc.status == Status.DRAFTING and doc.current_version.number == 1
    assert AuditEntry.objects.filter(action="normative_docs.doc.created", object_id=str(doc.pk)).exists()


def test_create_from_an_uploaded_txt(nd):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("办法.txt", TEXT.encode("utf-8"), content_type="text/plain")
    client_for(nd.clerk_a).post(reverse("normative_docs:create"), {
        "title": "上传的办法", "unit": nd.a.pk, "issuer": nd.a.pk, "upload": upload})
    doc = NormDoc.objects.get(title="上传的办法")
    assert "第一条" in doc.current_version.text


def test_upload_of_a_fake_docx_is_refused_in_chinese_and_saves_nothing(nd):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("办法.docx", b"this is not a word file", content_type="application/octet-stream")
    response = client_for(nd.clerk_a).post(reverse("normative_docs:create"), {
        "title": "伪装的文件", "unit": nd.a.pk, "issuer": nd.a.pk, "upload": upload})
    assert response.status_code == 400
    assert "不是有效的 .docx 文档" in body(response)
    assert not NormDoc.objects.exists()


def test_create_with_empty_text_is_refused(nd):
    response = client_for(nd.clerk_a).post(reverse("normative_docs:create"), {
        "title": "无正文", "unit": nd.a.pk, "issuer": nd.a.pk, "text": "  "})
    assert response.status_code == 400 and "正文不能为空" in body(response)
    assert not NormDoc.objects.exists()


def test_clerk_cannot_draft_for_another_unit(nd):
    response = client_for(nd.clerk_a).post(reverse("normative_docs:create"), {
        "title": "越权", "unit": nd.b.pk, "issuer": nd.b.pk, "text": TEXT})
    assert response.status_code == 400  # not a choice for this clerk
    assert not NormDoc.objects.exists()


def test_reviewer_may_not_open_the_create_page(nd):
    assert client_for(nd.reviewer).get(reverse("normative_docs:create")).status_code == 403


# ----------------------------------------------------------------- detail

def test_detail_shows_the_record(nd):
    doc = make_doc("published", unit=nd.a)
    response = client_for(nd.clerk_a).get(detail_url(doc))
    assert response.status_code == 200
    text = body(response)
    assert doc.doc_number in text and doc.registration_no in text
    assert "NDOC-12" in text  # the filing deadline's rule
    assert "nd-progress" in text and "第三条" in text
    assert f"/audit/trail/normative_docs.normdoc/{doc.pk}/" in text


def test_detail_of_another_units_document_is_404(nd):
    doc = make_doc(unit=nd.a)
    assert client_for(nd.clerk_b).get(detail_url(doc)).status_code == 404


def test_detail_of_a_missing_document_is_404(nd):
    assert client_for(nd.clerk_a).get(reverse("normative_docs:detail", args=[999999])).status_code == 404


def test_detail_escapes_title_and_comments(nd):
    doc = make_doc("consulting", unit=nd.a)  # title, text and the comment carry <script>
    text = body(client_for(nd.clerk_a).get(detail_url(doc)))
    assert SCRIPT not in text
    assert ESCAPED in text
    assert f"建议修改{ESCAPED}" in text


def test_detail_offers_exactly_the_available_steps(nd):
    doc = make_doc(unit=nd.a)
    keys = [s["step"].key for s in client_for(nd.clerk_a).get(detail_url(doc)).context["steps"]]
    assert "start_consultation" in keys and "add_version" in keys
    assert "sign" not in keys and "publish" not in keys and "decide_legal_review" not in keys


def test_reviewer_sees_the_checker_next_to_the_text(nd):
    text = TEXT + "第五条 违反本办法的，处以五千元罚款。\n"
    doc = make_doc("legal_review", unit=nd.a, text=text)
    response = client_for(nd.reviewer).get(detail_url(doc))
    page = body(response)
    assert "nd-cols" in page and "预审检查" in page and "行政处罚" in page
    assert "decide_legal_review" in [s["step"].key for s in response.context["steps"]]


def test_assessor_sees_no_action_forms(nd):
    doc = make_doc("legal_review", unit=nd.a)
    response = client_for(nd.assessor).get(detail_url(doc))
    assert response.status_code == 200 and response.context["steps"] == []


# ------------------------------------------------------------ transitions

def test_submitting_to_legal_review_through_the_page(nd):
    doc = make_doc("consulted", unit=nd.a)
    response = client_for(nd.clerk_a).post(action_url(doc, "submit_legal_review"), {})
    assert response.status_code == 302 and response["Location"] == detail_url(doc)
    doc.refresh_from_db()
    assert doc.status == Status.LEGAL_REVIEW
    assert AuditEntry.objects.filter(action="normative_docs.legal_review.submitted").exists()


def test_reviewer_passes_the_legal_review(nd):
    doc = make_doc("legal_review", unit=nd.a)
    response = client_for(nd.reviewer).post(action_url(doc, "decide_legal_review"), {
        "decide_legal_review-opinion": "pass", "decide_legal_review-text": "同意"})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.status == Status.DISCUSSION
    entry = AuditEntry.objects.filter(action="normative_docs.legal_review.decided").get()
    assert entry.actor_name == "审核员"


def test_a_refused_step_names_its_rule_and_changes_nothing(nd):
    doc = make_doc(unit=nd.a, touches_market=True)  # no consultation yet
    before = AuditEntry.objects.count()
    response = client_for(nd.clerk_a).post(action_url(doc, "submit_legal_review"), {})
    assert response.status_code == 409
    assert "NDOC-04" in body(response)
    doc.refresh_from_db()
    assert doc.status == Status.DRAFTING and AuditEntry.objects.count() == before


def test_the_page_says_why_a_step_is_not_yet_possible_and_what_unlocks_it(nd):
    doc = make_doc(unit=nd.a, touches_market=True)  # no consultation yet
    response = client_for(nd.clerk_a).get(detail_url(doc))
    waiting = {w["label"]: w for w in response.context["waiting"]}
    assert waiting["送合法性审核"]["unlock"] == "公开征求意见，期满后结束征求意见、逐条答复并公布意见采纳情况"
    text = body(response)
    assert "暂不能办理的步骤" in text and "需先：公开征求意见，期满后结束征求意见" in text
    assert '（依据<abbr class="rule" title="NDOC-04">《优化营商环境条例》第六十二条</abbr>）' in text


def test_steps_that_do_not_apply_are_not_listed_as_waiting(nd):
    doc = make_doc(unit=nd.a, touches_market=False)
    waiting = client_for(nd.clerk_a).get(detail_url(doc)).context["waiting"]
    assert "送公平竞争审查" not in {w["label"] for w in waiting}


def test_a_user_without_the_permission_sees_no_waiting_steps(nd):
    doc = make_doc(unit=nd.a, touches_market=True)
    response = client_for(nd.reviewer).get(detail_url(doc))  # 司法局 reads, does not draft
    assert response.status_code == 200 and response.context["waiting"] == []
    assert client_for(nd.clerk_b).get(detail_url(doc)).status_code == 404


def test_a_too_short_consultation_shows_the_rule_on_the_form(nd):
    doc = make_doc(unit=nd.a, touches_market=True)
    today = timezone.localdate()
    response = client_for(nd.clerk_a).post(action_url(doc, "start_consultation"), {
        "start_consultation-start_on": today.isoformat(),
        "start_consultation-end_on": (today + timedelta(days=5)).isoformat()})
    assert response.status_code == 400
    text = body(response)
    assert "NDOC-04" in text and "征求意见期限不足" in text
    assert not doc.consultations.exists()


def test_clerk_may_not_decide_a_legal_review(nd):
    doc = make_doc("legal_review", unit=nd.a)
    response = client_for(nd.clerk_a).post(action_url(doc, "decide_legal_review"), {
        "decide_legal_review-opinion": "pass", "decide_legal_review-text": ""})
    assert response.status_code == 403
    doc.refresh_from_db()
    assert doc.status == Status.LEGAL_REVIEW


def test_clerk_of_another_unit_gets_404_on_an_action(nd):
    doc = make_doc("consulted", unit=nd.a)
    assert client_for(nd.clerk_b).post(action_url(doc, "submit_legal_review"), {}).status_code == 404


def test_action_needs_post(nd):
    doc = make_doc(unit=nd.a)
    assert client_for(nd.clerk_a).get(action_url(doc, "abandon")).status_code == 405


def test_unknown_step_is_404(nd):
    doc = make_doc(unit=nd.a)
    assert client_for(nd.clerk_a).post(action_url(doc, "nonsense"), {}).status_code == 404


def test_csrf_is_enforced(nd):
    doc = make_doc("consulted", unit=nd.a)
    c = client_for(nd.clerk_a, enforce_csrf_checks=True)
    response = c.post(action_url(doc, "submit_legal_review"), {})
    assert response.status_code == 403
    doc.refresh_from_db()
    assert doc.status == Status.CONSULTING


def test_answering_a_comment(nd):
    doc = make_doc("consulting", unit=nd.a)
    c = doc.consultations.get()
    services.close_consultation(c, by=None, today=c.end_on + timedelta(days=1))
    comment = c.comments.get()
    response = client_for(nd.clerk_a).post(
        reverse("normative_docs:comment_answer", args=[doc.pk, comment.pk]),
        {"adoption": "rejected", "reason": "与上位法不符"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.adoption == "rejected" and comment.reason == "与上位法不符"


def test_filing_with_an_incomplete_package_names_ndoc_14(nd):
    doc = make_doc("published", unit=nd.a)
    response = client_for(nd.clerk_a).post(action_url(doc, "file"), {
        "file-filed_on": doc.published_on.isoformat(), "file-package": ["report", "text"]})
    assert response.status_code == 400 and "NDOC-14" in body(response)
    assert not doc.filings.exists()


def test_filing_with_the_full_package(nd):
    doc = make_doc("published", unit=nd.a)
    data = {"file-filed_on": doc.published_on.isoformat(),
            "file-package": ["report", "text", "explanation", "legal_opinion", "basis"]}
    # The filing date lies months back (SYS-03): refused without a reason, shown next to the field.
    response = client_for(nd.clerk_a).post(action_url(doc, "file"), data)
    assert response.status_code in (200, 400) and "须说明理由" in response.content.decode()
    assert not doc.filings.exists()
    response = client_for(nd.clerk_a).post(action_url(doc, "file"), {**data, "file-late_reason": "补录纸质报备"})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.filing_status == "filed" and doc.filings.count() == 1
    entry = AuditEntry.objects.filter(action="normative_docs.filing.filed").latest("pk")
    assert entry.data["backdate_reason"] == "补录纸质报备" and entry.data["backdated_days"] > 15


def test_register_and_publish_through_the_page(nd):
    doc = make_doc("signed", unit=nd.a)
    issuer_code(nd.a)
    c = client_for(nd.reviewer)
    assert c.post(action_url(doc, "register"), {"register-number_prefix": ""}).status_code == 302
    today = timezone.localdate()
    response = c.post(action_url(doc, "publish"), {
        "publish-published_on": today.isoformat(),
        "publish-effective_on": (today + timedelta(days=30)).isoformat()})
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.status == Status.PUBLISHED and doc.doc_number and doc.filing_due


# ------------------------------------------------------ diff, print, docx

def test_diff_between_two_versions(nd):
    doc = make_doc(unit=nd.a)
    services.add_version(doc, text=TEXT.replace("如实提交材料", "如实提交申请材料") + "第五条 新增<b>条款</b>。\n",
                         by=None, note="修改")
    response = client_for(nd.clerk_a).get(reverse("normative_docs:diff", args=[doc.pk]))
    assert response.status_code == 200
    text = body(response)
    assert "<ins>申请</ins>" in text
    assert "&lt;b&gt;条款&lt;/b&gt;" in text and "<b>条款</b>" not in text
    assert SCRIPT not in text


def test_diff_crosses_an_amendment(nd):
    old = make_doc("published", unit=nd.a)
    new = services.start_amendment(old, by=None, text=TEXT.replace("第四条 本办法自印发之日起施行。",
                                                                   "第四条 本办法自2027年1月1日起施行。"))
    for doc in (old, new):  # from either side, the default compares the two documents
        response = client_for(nd.clerk_a).get(reverse("normative_docs:diff", args=[doc.pk]))
        assert response.status_code == 200
        assert response.context["old"].doc_id == old.pk and response.context["new"].doc_id == new.pk
        assert "<del>印发之</del><ins>2027年1月1</ins>" in body(response)


def test_print_page_has_no_navigation(nd):
    doc = make_doc("published", unit=nd.a)
    response = client_for(nd.clerk_a).get(reverse("normative_docs:print", args=[doc.pk]))
    assert response.status_code == 200
    text = body(response)
    assert 'class="side"' not in text and doc.doc_number in text


def test_docx_download(nd):
    import docx

    doc = make_doc("published", unit=nd.a)
    response = client_for(nd.clerk_a).get(reverse("normative_docs:docx", args=[doc.pk]))
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    paragraphs = [p.text for p in docx.Document(BytesIO(response.content)).paragraphs]
    assert doc.doc_number in paragraphs and any("第一条" in p for p in paragraphs)


def test_another_unit_cannot_download(nd):
    doc = make_doc(unit=nd.a)
    assert client_for(nd.clerk_b).get(reverse("normative_docs:docx", args=[doc.pk])).status_code == 404


# ---------------------------------------------------------------- checker

def test_checker_page_reports_findings(nd):
    text = "第一条 为了管理，制定本办法。\n第二条 经营者应当缴纳管理费每年一千元。\n第三条 依据《中华人民共和国食品卫生法》执行。\n"
    response = client_for(nd.clerk_a).post(reverse("normative_docs:check"), {"text": text})
    assert response.status_code == 200
    page = body(response)
    assert "收费" in page and "第二条" in page and "食品卫生法" in page


def test_checker_refuses_an_empty_text(nd):
    response = client_for(nd.clerk_a).post(reverse("normative_docs:check"), {"text": ""})
    assert response.status_code == 400 and "正文" in body(response)


# ----------------------------------------------------------------- import

IMPORT_TEXT = (
    "示范区农业农村局关于印发农村集体资产管理办法的通知\n示范农发〔2024〕3号\n"
    "第一条 为了规范管理，制定本办法。\n第二条 本办法自2024年5月1日起施行。\n"
    "示范区农业农村局\n2024年4月1日\n"
)


def _upload(name, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_import_previews_then_saves(nd):
    c = client_for(nd.reviewer)
    response = c.post(reverse("normative_docs:import"), {
        "unit": nd.gov.pk, "files": [_upload("a.txt", IMPORT_TEXT.encode())]})
    assert response.status_code == 200
    items = response.context["items"]
    assert items[0]["doc_number"] == "示范农发〔2024〕3号" and response.context["ready"]
    assert not NormDoc.objects.exists()
    response = c.post(reverse("normative_docs:import"), {"confirm": "1"})
    assert response.status_code == 302
    doc = NormDoc.objects.get()
    assert doc.doc_number == "示范农发〔2024〕3号" and doc.issuer == nd.a  # the issuer named in the file
    assert doc.status == Status.PUBLISHED


def test_import_of_a_bad_file_saves_nothing(nd):
    c = client_for(nd.reviewer)
    response = c.post(reverse("normative_docs:import"), {
        "unit": nd.a.pk, "files": [_upload("a.txt", IMPORT_TEXT.encode()), _upload("b.docx", b"not a docx")]})
    assert "不是有效的 .docx 文档" in body(response) and not response.context["ready"]
    c.post(reverse("normative_docs:import"), {"confirm": "1"})
    assert not NormDoc.objects.exists()


def test_clerk_may_not_import(nd):
    assert client_for(nd.clerk_a).get(reverse("normative_docs:import")).status_code == 403


# --------------------------------------------------------------- clean-up

def test_cleanup_start_decide_publish(nd):
    doc = make_doc("published", unit=nd.a, issuer=nd.a)
    c = client_for(nd.reviewer)
    response = c.post(reverse("normative_docs:cleanup_list"), {
        "name": "2026年定期清理", "kind": "periodic", "unit": nd.gov.pk,
        "started_on": timezone.localdate().isoformat(), "include_in_force": "on"})
    campaign = CleanupCampaign.objects.get()
    assert response.status_code == 302
    assert c.get(reverse("normative_docs:cleanup_detail", args=[campaign.pk])).status_code == 200
    c.post(reverse("normative_docs:cleanup_decide", args=[campaign.pk, doc.pk]),
           {f"d{doc.pk}-decision": "repeal", f"d{doc.pk}-reason": "上位法已废止"})
    response = c.post(reverse("normative_docs:cleanup_publish", args=[campaign.pk]))
    assert response.status_code == 302
    campaign.refresh_from_db()
    doc.refresh_from_db()
    assert campaign.state == "published" and doc.status == Status.REPEALED
    page = body(c.get(reverse("normative_docs:cleanup_detail", args=[campaign.pk])))
    assert "废止目录" in page and "上位法已废止" in page


def test_cleanup_decision_without_reason_is_refused(nd):
    doc = make_doc("published", unit=nd.a)
    campaign = services.start_cleanup(unit=nd.gov, name="清理", kind="periodic", started_on=date(2026, 6, 1),
                                      by=None)
    response = client_for(nd.reviewer).post(reverse("normative_docs:cleanup_decide", args=[campaign.pk, doc.pk]),
                                            {f"d{doc.pk}-decision": "repeal", f"d{doc.pk}-reason": ""})
    assert response.status_code == 400 and "理由" in body(response)


def test_clerk_may_not_see_cleanups(nd):
    assert client_for(nd.clerk_a).get(reverse("normative_docs:cleanup_list")).status_code == 403


# -------------------------------------------------------------- proposals

def _proposal(nd, today):
    doc = make_doc("published", unit=nd.a)
    return services.submit_proposal(doc, name=f"张三{SCRIPT}", contact="13800000000",
                                    content=f"第三条增设义务{SCRIPT}", today=today)


def test_proposal_list_highlights_overdue(nd):
    _proposal(nd, date(2025, 1, 2))
    response = client_for(nd.reviewer).get(reverse("normative_docs:proposal_list"))
    assert response.status_code == 200
    page = body(response)
    assert 'class="overdue"' in page and 'class="due-cell due-overdue"' in page and SCRIPT not in page


def test_proposal_list_colours_reply_deadlines_and_sorts_by_them(nd, monkeypatch, django_assert_max_num_queries):
    """Issue 13 §2: the reply deadline (NDOC-16) red 逾期N天 / amber 剩余N个工作日; a replied one plainly."""
    monkeypatch.setattr("fazhi.normative_docs.views._today", lambda: date(2026, 3, 2))
    late, soon, done = (_proposal(nd, date(2026, 2, 2)) for _ in range(3))
    ReviewProposal.objects.filter(pk=late.pk).update(reply_due=date(2026, 2, 27))
    ReviewProposal.objects.filter(pk=soon.pk).update(reply_due=date(2026, 3, 4))
    ReviewProposal.objects.filter(pk=done.pk).update(reply_due=date(2026, 2, 20), state=ReviewProposal.State.REPLIED,
                                                     reply="已答复", replied_on=date(2026, 2, 19))
    c = client_for(nd.reviewer)
    with django_assert_max_num_queries(12):
        page = body(c.get(reverse("normative_docs:proposal_list"), {"sort": "reply_due"}))
    assert 'class="due-cell due-overdue"' in page and "逾期3天" in page
    assert 'class="due-cell due-soon"' in page and "剩余2个工作日" in page
    assert "2026-02-20" in page and "逾期10天" not in page
    assert page.index("2026-02-20") < page.index("逾期3天") < page.index("剩余2个工作日")
    detail = body(c.get(detail_url(late.doc)))
    assert "逾期3天" in detail


def test_answering_a_proposal(nd):
    p = _proposal(nd, timezone.localdate())
    c = client_for(nd.reviewer)
    url = reverse("normative_docs:proposal_detail", args=[p.pk])
    page = body(c.get(url))
    assert ESCAPED in page and SCRIPT not in page
    assert c.post(url, {"reply": "经审查，第三条有上位法依据。"}).status_code == 302
    p.refresh_from_db()
    assert p.state == ReviewProposal.State.REPLIED
    assert AuditEntry.objects.filter(action="normative_docs.proposal.replied").exists()


def test_clerk_cannot_see_proposals(nd):
    p = _proposal(nd, timezone.localdate())
    assert client_for(nd.clerk_a).get(reverse("normative_docs:proposal_detail", args=[p.pk])).status_code == 404


def test_import_is_all_or_nothing_with_a_per_file_report(nd):
    make_doc("published", unit=nd.a)  # takes a 文号 of its own
    other = IMPORT_TEXT.replace("〔2024〕3号", "〔2024〕4号").replace("农村集体资产", "农村土地")
    services.import_document(unit=nd.a, issuer=nd.a, title="已有文件", text=TEXT, doc_number="示范农发〔2024〕4号",
                             published_on=date(2024, 4, 1), by=None)
    before = NormDoc.objects.count()
    c = client_for(nd.reviewer)
    c.post(reverse("normative_docs:import"), {
        "unit": nd.a.pk, "files": [_upload("a.txt", IMPORT_TEXT.encode()), _upload("b.txt", other.encode())]})
    response = c.post(reverse("normative_docs:import"), {"confirm": "1"})
    assert response.status_code == 400
    rows = {r["name"]: r for r in response.context["results"]["rows"]}
    assert rows["a.txt"]["ok"] is None and "本批全部未保存" in rows["a.txt"]["message"]
    assert rows["b.txt"]["ok"] is False and "已存在" in rows["b.txt"]["message"]
    assert "（依据《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》" in rows["b.txt"]["message"]  # NDOC-10
    assert NormDoc.objects.count() == before


# ---------------------------------------------------------- more steps

def test_a_new_version_from_a_fake_docx_is_refused(nd):
    doc = make_doc(unit=nd.a)
    response = client_for(nd.clerk_a).post(action_url(doc, "add_version"), {
        "add_version-upload": _upload("新稿.docx", b"plain bytes"), "add_version-note": "修改"})
    assert response.status_code == 400 and "不是有效的 .docx 文档" in body(response)
    assert doc.versions.count() == 1


def test_starting_an_amendment_opens_the_new_draft(nd):
    doc = make_doc("published", unit=nd.a)
    response = client_for(nd.clerk_a).post(action_url(doc, "amend"), {"amend-title": ""})
    new = NormDoc.objects.get(amendment_of=doc)
    assert response.status_code == 302 and response["Location"] == detail_url(new)
    assert new.status == Status.DRAFTING


def test_head_of_the_issuer_signs(nd):
    doc = make_doc("to_sign", unit=nd.a)
    assert client_for(nd.clerk_a).post(action_url(doc, "sign"), {}).status_code == 403
    assert client_for(nd.head_a).post(action_url(doc, "sign"), {}).status_code == 302
    doc.refresh_from_db()
    assert doc.status == Status.SIGNED and doc.signer_name == "局长甲"


def test_date_fields_are_prefilled_in_the_format_a_date_input_reads(nd):
    """A date input shows only YYYY-MM-DD; the zh-hans format (2026/12/07) left it
    empty and the browser refused to submit the required field."""
    doc = make_doc(unit=nd.a)
    page = body(client_for(nd.clerk_a).get(detail_url(doc)))
    today = timezone.localdate().isoformat()
    assert f'type="date" name="start_consultation-start_on" value="{today}"' in page


@pytest.mark.parametrize("market", [True, False])
def test_the_consultation_form_opens_with_the_earliest_lawful_end_date(nd, market):
    """NDOC-04 (30 days) / NDOC-05 (7 working days) prefill the end date (issue 13 §2 "Dates")."""
    from fazhi.normative_docs import rules

    doc = make_doc(unit=nd.a, touches_market=market)
    today = timezone.localdate()
    html = body(client_for(nd.clerk_a).get(detail_url(doc)))
    due = rules.comment_min_end(today, touches_market=market).due
    assert f'name="start_consultation-end_on" value="{due:%Y-%m-%d}"' in html
    assert f'name="start_consultation-start_on" value="{today:%Y-%m-%d}"' in html


def test_the_document_list_colours_an_overdue_filing_and_sorts_by_it(nd):
    """NDOC-12 filing deadline in the shared colours (issue 13 §2 "Deadlines in colour")."""
    today = timezone.localdate()
    late, soon = make_doc("published", unit=nd.a), make_doc("published", unit=nd.a)
    NormDoc.objects.filter(pk=late.pk).update(filing_due=today - timedelta(days=4), filing_status="not_filed")
    NormDoc.objects.filter(pk=soon.pk).update(filing_due=today, filing_status="not_filed")
    html = body(client_for(nd.clerk_a).get(reverse("normative_docs:list"), {"sort": "filing_due"}))
    assert "due-overdue" in html and "逾期4天" in html
    assert "due-soon" in html and "今日到期" in html
    assert html.index("逾期4天") < html.index("今日到期")
