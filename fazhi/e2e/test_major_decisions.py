"""重大行政决策 in a real browser, as the demo roles (issue 13 §1–§2).

A matter is added to the published catalogue (目录调整, gov_clerk) and the
承办单位's clerk (nongye_clerk) launches it and drafts it, opens the public
consultation, a member of the public comments on the portal, the 30 days
run out (the one step the test cannot wait for: the consultation's dates are
moved back, as if the days had passed), the clerk closes it, answers the
comment and publishes the 采纳情况, draws the experts (the verifiable random
draw: commit, then reveal), records their signed opinions, records the risk
assessment and submits the legality review; sifa_reviewer reviews it from
我的待办; the 行政首长 (gov_head) records the collective discussion and
publishes the decision — the 公布 form carries the Party-report date itself
(MDEC-12, issue 13 §2) — and the public sees it on the portal.
"""

import io
import re

import pytest

from fazhi.e2e.conftest import shot

pytestmark = pytest.mark.browser

TITLE = "区农村公路养护管理体制改革方案（浏览器验收）"
DRAFT = ("《区农村公路养护管理体制改革方案》（征求意见稿）\n"
         "一、实行区级统筹、乡镇负责、村级参与的养护管理体制。\n"
         "二、养护资金纳入区级财政预算，按里程核定。\n")
FINAL = ("一、实行区级统筹、乡镇负责、村级参与的养护管理体制，村级养护员由村民委员会选聘。\n"
         "二、养护资金纳入区级财政预算，按里程核定，实行绩效考核。\n")
COMMENT = "建议明确村级养护员的选聘条件和补贴标准。"


def _ok(page, text: str):
    page.wait_for_load_state()
    errors = page.locator(".msg-error")
    assert errors.count() == 0, f"出现错误：{errors.all_inner_texts()}"
    assert text in page.content(), f"未看到“{text}”"


def do_step(page, label: str, fields: dict | None = None, *, selects: dict | None = None, checks=(),
            box_class: str = "md-action"):
    """Open the step's form in 当前可办理, fill it and submit it."""
    box = page.locator(f"details.{box_class}").filter(
        has=page.locator("summary", has_text=re.compile(rf"^{re.escape(label)}$")))
    assert box.count() == 1, (f"“{label}”不在当前可办理中：{page.locator('details summary').all_inner_texts()}；"
                              f"尚不能办理：{page.locator('.md-blocked').all_inner_texts()}")
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
    for text in checks:
        form.locator("label", has_text=text).locator("input").check()
    with page.expect_navigation():
        form.locator("button.btn").last.click()


def pick(select, text: str):
    """Choose the option whose label contains ``text``."""
    select.select_option(label=select.locator("option", has_text=text).first.inner_text())


def from_todo(page, text: str):
    """The waiting step is in 我的待办 (and counted); follow it."""
    page.goto("/")
    box = page.locator("section.todo")
    count = int(box.locator("h2 .count").inner_text())
    titles = box.locator("li a").all_inner_texts()
    assert count == len(titles) and count >= 1, (count, titles)
    assert text in titles, f"我的待办中没有“{text}”：{titles}"
    with page.expect_navigation():
        box.locator("li a", has_text=text).first.click()


def test_decision_from_the_catalogue_to_the_portal(as_user, open_page, live):
    # ------------------------------------------ 目录调整：增加事项 (gov_clerk)
    gov = as_user("gov_clerk")
    gov.goto("/decisions/catalogues/")
    with gov.expect_navigation():
        # This year's (published) catalogue: other walkthroughs may have drafted next year's.
        gov.locator("table tbody tr", has_text="已公布").locator("a", has_text="目录").first.click()
    cat_url = gov.url
    do_step(gov, "调整目录", {"reason": "根据区委全面深化改革工作部署新增。", "title": TITLE,
                              "basis": "《公路法》《农村公路养护管理办法》", "expert_field": "城乡规划"},
            selects={"kind": "add", "category": "public_policy", "sponsor_unit": {"label": "示范区农业农村局"},
                     "needs_participation": "1", "needs_expert_review": "1", "needs_risk_assessment": "1"})
    _ok(gov, "目录已调整并重新公布")

    # ------------------------------------------------ 启动 (nongye_clerk)
    clerk = as_user("nongye_clerk")
    clerk.goto(cat_url)
    row = clerk.locator("tr", has_text=TITLE)
    with clerk.expect_navigation():
        row.locator("a", has_text="启动决策").click()
    with clerk.expect_navigation():
        clerk.locator("form button.btn-primary").click()
    _ok(clerk, "已启动决策")
    d_url = re.sub(r"#.*$", "", clerk.url)
    pk = int(d_url.rstrip("/").rsplit("/", 1)[1])
    do_step(clerk, "开始拟订草案")
    _ok(clerk, "已进入草案拟订")
    do_step(clerk, "提交/修改决策草案", {"draft_text": DRAFT, "draft_explanation": "根据交通运输部部署起草。"})
    _ok(clerk, "决策草案已保存")

    # --------------------------------------------- 公众参与 (30 days, MDEC-04)
    do_step(clerk, "公开征求意见")
    _ok(clerk, "已在门户网站公开征求意见")
    public = open_page(viewport={"width": 390, "height": 844})
    public.goto("/portal/decisions/consultations/")
    with public.expect_navigation():
        public.locator("a", has_text=TITLE).first.click()
    public.locator("textarea").fill(COMMENT)
    public.locator("input[name=name]").fill("李村民")
    with public.expect_navigation():
        public.locator("form.md-form button").click()
    assert "已提交" in public.locator("main").inner_text(), public.locator("main").inner_text()[:800]
    shot(public, "md-01-portal-comment-phone")

    live.manage("shell", "-c", (
        "from datetime import timedelta as T\n"
        "from fazhi.major_decisions.models import Consultation\n"
        f"c = Consultation.objects.get(decision_id={pk})\n"
        "d = T(days=(c.end_on - c.start_on).days + 1)\n"
        "Consultation.objects.filter(pk=c.pk).update(start_on=c.start_on - d, end_on=c.end_on - d,"
        " min_end_on=c.min_end_on - d)\n"
        "c.comments.update(submitted_at=c.comments.get().submitted_at - d)\n"))

    from_todo(clerk, f"征求意见待结束、答复并公布采纳情况：{TITLE}")
    do_step(clerk, "结束征求意见")
    _ok(clerk, "征求意见已结束")
    row = clerk.locator("tr", has_text=COMMENT)
    row.locator("select[name=adoption]").select_option(label="采纳")
    row.locator("textarea[name=reason]").fill("已在方案第一条中增加村级养护员选聘条件。")
    with clerk.expect_navigation():
        row.locator("button").click()
    _ok(clerk, "已答复该条意见")
    do_step(clerk, "公布意见采纳情况", {"summary": "共收到意见1条，采纳1条。"})
    _ok(clerk, "意见采纳情况已公布")

    # ------------------------------------------------ 专家论证 (the draw)
    from_todo(clerk, f"重大决策待开展专家论证：{TITLE}")
    do_step(clerk, "开展专家论证")
    _ok(clerk, "已进入专家论证")
    do_step(clerk, "选取论证专家", {"count": "3"}, selects={"method": "random"})
    _ok(clerk, "已选取论证专家")
    do_step(clerk, "揭示并抽取专家")
    _ok(clerk, "已揭示种子并抽取专家")
    shot(clerk, "md-02-experts-drawn")
    for _ in range(3):
        box = clerk.locator("details.md-action").filter(
            has=clerk.locator("summary", has_text=re.compile(r"^录入专家书面意见$")))
        if box.get_attribute("open") is None:
            box.locator("summary").click()
        sel = box.locator("select[name$='-opinion']")
        todo_experts = [o for o in sel.locator("option").all_inner_texts() if o != "请选择" and "已录入" not in o]
        assert todo_experts, sel.locator("option").all_inner_texts()
        sel.select_option(label=todo_experts[0])
        box.locator("select[name$='-stance']").select_option("agree")
        box.locator("[name$='-text']").fill("方案可行，建议明确养护资金的绩效考核办法。")
        with clerk.expect_navigation():
            box.locator("button.btn").click()
        _ok(clerk, "已录入专家签名的书面意见")
    do_step(clerk, "完成专家论证", {"summary": "三名专家均同意，绩效考核建议已采纳。"})
    _ok(clerk, "专家论证已完成")

    # ------------------------------------------------------- 风险评估
    do_step(clerk, "开展风险评估")
    _ok(clerk, "已进入风险评估")
    do_step(clerk, "录入风险评估", {"assessor": "区委政法委", "risk_points": "养护员选聘可能引发村民争议。",
                                  "measures": "选聘条件和结果在村务公开栏公示。", "contingency_plan": "由乡镇负责化解矛盾。"},
            selects={"level": "low"})
    _ok(clerk, "已录入风险评估")
    from_todo(clerk, f"重大决策待送合法性审查：{TITLE}")
    do_step(clerk, "送合法性审查", {"procedures_account": "已依法履行公众参与、专家论证、风险评估程序。"})
    _ok(clerk, "已送司法局（法制机构）合法性审查")

    # ------------------------------- 合法性审查 (sifa_reviewer, 我的待办)
    reviewer = as_user("sifa_reviewer")
    from_todo(reviewer, f"重大决策合法性审查：{TITLE}")
    do_step(reviewer, "出具合法性审查意见", {"text": "经审查，决策草案符合《公路法》等规定，合法。"},
            selects={"opinion": "lawful"})
    _ok(reviewer, "已出具合法性审查意见")

    # ------------------------- 集体讨论决定 and 公布 (the 行政首长, 我的待办)
    head = as_user("gov_head")
    from_todo(head, f"重大决策待集体讨论决定：{TITLE}")
    shot(head, "md-03-discussion")
    box = head.locator("details.md-action").filter(has=head.locator("summary", has_text="记录集体讨论决定"))
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    form = box.locator("form")
    form.locator("[name$='-meeting_name']").fill("区人民政府第30次常务会议")
    pick(form.locator("select[name$='-host']"), "陈建国")
    for name in ("张卫东", "李秀兰", "王海涛"):
        form.get_by_label(f"{name}意见").select_option("agree")
    pick(form.locator("select[name$='-head']"), "陈建国")
    form.locator("select[name$='-head_decision']").select_option("adopt")
    with head.expect_navigation():
        form.locator("button.btn").last.click()
    _ok(head, "已记录集体讨论决定")

    # Issue 13 §2: the 公布 form is offered before the Party-report date is stored, and stores it.
    from_todo(head, f"重大决策待公布：{TITLE}")
    assert "—" in head.locator("dt", has_text="党委请示报告").locator("xpath=following-sibling::dd[1]").inner_text()
    publish_form = head.locator("details.md-action", has=head.locator("summary", has_text="公布决策"))
    assert publish_form.locator("input[name='publish-party_reported_on']").count() == 1
    do_step(head, "公布决策", {"adoption_explanation": "公众意见1条已采纳；专家论证意见已采纳。",
                               "decision_no": "示范府发〔2026〕30号", "public_text": FINAL})
    _ok(head, "决策已公布")
    kv = head.locator("dt", has_text="党委请示报告").locator("xpath=following-sibling::dd[1]").inner_text()
    assert re.match(r"\d{4}-\d{2}-\d{2}", kv), kv
    shot(head, "md-04-published")

    # ------------------------------------------------------- the public
    public.goto("/portal/decisions/")
    with public.expect_navigation():
        public.locator("a", has_text=TITLE).first.click()
    body = public.locator("main").inner_text()
    assert TITLE in body and "区级统筹" in body and "公众意见1条已采纳" in body
    assert "征求意见稿" not in body.split("公众意见、专家论证意见采纳情况说明")[0]  # the text as decided
    shot(public, "md-05-portal-decision-phone")

    # ------------------------------------- the dossier, read as the signer would
    from docx import Document

    resp = head.request.get(f"{d_url}dossier.docx")
    assert resp.status == 200
    doc = Document(io.BytesIO(resp.body()))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for r in t.rows:
            parts += [c.text for c in r.cells]
    text = "\n".join(parts)
    assert "示范区人民政府" in text and "示范区农业农村局" in text and TITLE in text
    assert "None" not in text and "（未填写）" not in text, text
    assert "陈建国" in text and "杨帆" in text
