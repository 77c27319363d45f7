"""行政规范性文件 in a real browser, as the demo roles (issue 13 §1–§2).

A market-related document is clicked from 起草 to the portal library: the
clerk of 农业农村局 drafts it and opens the public consultation, a member of
the public comments on the portal, the consultation period runs out (the one
step the test cannot wait for: the consultation's dates are moved back by the
legal minimum, as if the days had passed), the clerk closes it, answers the
comment and publishes the 采纳情况, records the 公平竞争审查 and sends it to
合法性审核; sifa_reviewer reviews it from 我的待办; the head records the
collective discussion and signs from 我的待办; sifa_reviewer registers
(登记号, 文号) and publishes it; the public finds it in the library as 有效.
Each waiting step is checked in the waiting person's 我的待办 (listed, and
counted in the heading). The Word file is read as the signer would.
"""

import io
import re

import pytest

from fazhi.e2e.conftest import shot

pytestmark = pytest.mark.browser

TITLE = "区农业社会化服务项目补助资金管理办法（浏览器验收）"
TEXT = (
    "第一章 总则\n"
    "第一条 为了规范农业社会化服务项目补助资金管理，根据《中华人民共和国预算法》等法律法规，结合本区实际，制定本办法。\n"
    "第二条 本办法适用于本区行政区域内农业社会化服务项目补助资金的申报、审核和发放。\n"
    "第二章 补助标准\n"
    "第三条 补助资金按照服务面积核定，实行先服务后补助。\n"
    "第四条 服务组织应当如实申报服务面积，接受乡镇人民政府核查。\n"
    "第三章 附则\n"
    "第五条 本办法由区农业农村局负责解释。\n"
)
COMMENT = "建议明确核查完成后补助资金的发放时限。"


def _ok(page, text: str):
    page.wait_for_load_state()
    errors = page.locator(".msg-error")
    assert errors.count() == 0, f"出现错误：{errors.all_inner_texts()}"
    assert text in page.content(), f"未看到“{text}”"


def do_step(page, label: str, fields: dict | None = None, *, selects: dict | None = None):
    """Open the step's form in 当前可办理, fill it and submit it."""
    box = page.locator("details.nd-action").filter(
        has=page.locator("summary", has_text=re.compile(rf"^{re.escape(label)}$")))
    assert box.count() == 1, (f"“{label}”不在当前可办理中："
                              f"{page.locator('details.nd-action summary').all_inner_texts()}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    form = box.locator("form")
    for name, value in (fields or {}).items():
        form.locator(f"[name$='-{name}']").fill(str(value))
    for name, value in (selects or {}).items():
        sel = form.locator(f"select[name$='-{name}']")
        if isinstance(value, dict):
            sel.select_option(**value)
        else:
            sel.select_option(value)
    with page.expect_navigation():
        form.locator("button.btn").last.click()


def todo(page) -> tuple[int, list[str]]:
    """我的待办 on the home page: (the count in the heading, the titles listed)."""
    page.goto("/")
    box = page.locator("section.todo")
    count = int(box.locator("h2 .count").inner_text())
    titles = box.locator("li a").all_inner_texts()
    return count, titles


def from_todo(page, text: str):
    """The waiting step is in 我的待办 (and counted); follow it."""
    count, titles = todo(page)
    assert count == len(titles) and count >= 1, (count, titles)
    assert text in titles, f"我的待办中没有“{text}”：{titles}"
    with page.expect_navigation():
        page.locator("section.todo li a", has_text=text).first.click()


def test_document_from_drafting_to_the_portal_library(as_user, open_page, live):
    # ------------------------------------------------------------ 起草 (clerk)
    clerk = as_user("nongye_clerk")
    clerk.goto("/normdocs/new/")
    clerk.fill("#id_title", TITLE)
    clerk.locator("#id_unit").select_option(label="示范区农业农村局")
    clerk.locator("#id_issuer").select_option(label="示范区农业农村局")
    clerk.check("#id_touches_market")
    clerk.fill("#id_explanation", "为规范农业社会化服务项目补助资金管理，起草本办法。")
    clerk.fill("#id_legal_basis", "《中华人民共和国预算法》")
    clerk.fill("#id_text", TEXT)
    with clerk.expect_navigation():
        clerk.locator("form button.btn-primary").last.click()
    _ok(clerk, "已创建文件草稿")
    doc_url = re.sub(r"#.*$", "", clerk.url)
    assert re.search(r"/normdocs/\d+/$", doc_url), doc_url
    pk = int(doc_url.rstrip("/").rsplit("/", 1)[1])

    # ------------------------------------------- 公开征求意见 (clerk, 30 days)
    do_step(clerk, "公开征求意见")
    _ok(clerk, "已发布征求意见")
    shot(clerk, "nd-01-consulting")

    public = open_page(viewport={"width": 390, "height": 844})
    public.goto("/portal/normdocs/consultations/")
    with public.expect_navigation():
        public.locator("a", has_text=TITLE).first.click()
    box = public.locator("details.nd-comment-box").filter(has=public.locator("summary", has_text="第三条"))
    box.locator("summary").click()
    box.locator("textarea").fill(COMMENT)
    box.locator("input[name=name]").fill("王建设")
    with public.expect_navigation():
        box.locator("button").click()
    assert "您的意见已提交" in public.content()
    shot(public, "nd-02-portal-comment-phone")

    # The legal minimum (NDOC-04, 30 days) passes: the one step a test cannot wait for.
    live.manage("shell", "-c", (
        "from datetime import timedelta as T\n"
        "from fazhi.normative_docs.models import Consultation\n"
        f"c = Consultation.objects.get(doc_id={pk})\n"
        "d = T(days=(c.end_on - c.start_on).days + 1)\n"
        "Consultation.objects.filter(pk=c.pk).update(start_on=c.start_on - d, end_on=c.end_on - d,"
        " min_end_on=c.min_end_on - d)\n"
        "c.comments.update(submitted_at=c.comments.get().submitted_at - d)\n"))

    # ------------- 结束, 答复, 公布采纳情况 (clerk, from 我的待办)
    from_todo(clerk, f"征求意见待答复、公布采纳情况：{TITLE}")
    do_step(clerk, "结束征求意见")
    _ok(clerk, "征求意见已结束")
    row = clerk.locator("tr", has_text=COMMENT)
    row.locator("select[name=adoption]").select_option(label="采纳")
    with clerk.expect_navigation():
        row.locator("button").click()
    _ok(clerk, "已答复该条意见")
    do_step(clerk, "公布意见采纳情况", {"summary": "共收到意见1条，采纳1条：第三条增加补助资金发放时限。"})
    _ok(clerk, "意见采纳情况已公布")
    public.goto("/portal/normdocs/consultations/")
    with public.expect_navigation():
        public.locator("a", has_text=TITLE).first.click()
    body = public.locator("main").inner_text()
    assert "意见采纳情况" in body and COMMENT in body and "本次征求意见已结束" in body

    # ------------------------------------- 公平竞争审查, 送合法性审核 (clerk)
    from_todo(clerk, f"待送公平竞争审查：{TITLE}")
    do_step(clerk, "送公平竞争审查")
    _ok(clerk, "已送公平竞争审查")
    from_todo(clerk, f"待录入公平竞争审查结论：{TITLE}")
    do_step(clerk, "录入公平竞争审查结论",
            {"reviewing_unit_name": "示范区市场监督管理局", "opinion": "经审查，未发现排除、限制竞争的内容。"},
            selects={"passed": "1"})
    _ok(clerk, "已录入公平竞争审查结论")
    from_todo(clerk, f"待送合法性审核：{TITLE}")
    do_step(clerk, "送合法性审核")
    _ok(clerk, "已送法制机构合法性审核")
    shot(clerk, "nd-03-legal-review-submitted")

    # ---------------------------------- 合法性审核 (sifa_reviewer, 我的待办)
    reviewer = as_user("sifa_reviewer")
    from_todo(reviewer, f"合法性审核：{TITLE}")
    assert reviewer.url.startswith(doc_url)
    shot(reviewer, "nd-04-legal-review")
    do_step(reviewer, "出具合法性审核意见", selects={"opinion": "pass"})
    _ok(reviewer, "已出具合法性审核意见")

    # ------------------------ 集体讨论 and 签发 (the head, from 我的待办)
    head = as_user("nongye_head")
    from_todo(head, f"待集体讨论：{TITLE}")
    do_step(head, "录入集体讨论决定", {"meeting_name": "区农业农村局2026年第12次局长办公会议",
                                     "minutes": "会议审议通过，同意印发。"},
            selects={"meeting_type": "office", "chair": {"label": "刘洪军"}, "outcome": "adopted"})
    _ok(head, "已录入集体讨论决定")
    from_todo(head, f"待签发：{TITLE}")
    do_step(head, "签发")
    _ok(head, "文件已签发")
    shot(head, "nd-05-signed")

    # --------------------------- 统一登记、编号, 统一公布 (sifa_reviewer)
    from_todo(reviewer, f"待统一登记编号：{TITLE}")
    do_step(reviewer, "统一登记、编号")
    _ok(reviewer, "已统一登记、编号")
    kv = reviewer.locator("dl.kv")
    reg_no = kv.locator("dt", has_text="登记号").locator("xpath=following-sibling::dd[1]").first.inner_text()
    doc_no = kv.locator("dt", has_text="文号").locator("xpath=following-sibling::dd[1]").first.inner_text()
    assert re.fullmatch(r"SFNY-\d{4}-\d{3}", reg_no), reg_no
    assert re.fullmatch(r"示范农发〔\d{4}〕\d+号", doc_no), doc_no
    from_todo(reviewer, f"待统一公布：{TITLE}")
    today = reviewer.locator("[name='publish-published_on']").input_value()
    do_step(reviewer, "统一公布", {"effective_on": today,
                                 "urgent_reason": "补助资金须在本年度内发放，自公布之日起施行。"})
    _ok(reviewer, "文件已统一公布")
    shot(reviewer, "nd-06-published")
    count, titles = todo(reviewer)
    assert not any(TITLE in t for t in titles if not t.startswith("报备")), titles

    # --------------------------------- the public finds it, 有效
    public.goto("/portal/normdocs/?q=农业社会化服务")
    hit = public.locator("li").filter(has=public.locator("a", has_text=TITLE)).first
    assert "有效" in hit.inner_text(), hit.inner_text()
    with public.expect_navigation():
        public.locator("a", has_text=TITLE).first.click()
    body = public.locator("main").inner_text()
    assert doc_no in body and reg_no in body and "有效" in body and "第五条" in body
    shot(public, "nd-07-portal-library-phone")

    # ------------------------------------- the Word file, as the signer reads it
    from docx import Document

    resp = reviewer.request.get(f"{doc_url}docx/")
    assert resp.status == 200
    doc = Document(io.BytesIO(resp.body()))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "示范区农业农村局" in text and doc_no in text and TITLE in text
    assert "第五条\u3000本办法由区农业农村局负责解释。" in text  # the article number set off by a full-width space
    assert "None" not in text and "（未填写）" not in text, text
