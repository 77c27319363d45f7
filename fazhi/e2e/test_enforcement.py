"""行政执法 in a real browser, as the demo roles (issue 13 §1–§2).

A general-procedure penalty case is clicked from 立案登记 to 结案 and 公示:
the officer registers it, the head approves 立案 (from 我的待办), the officer
uploads the inquiry record and serves the 事先告知书, the party waives, the
sifa_reviewer (not a handler) passes the 法制审核 from 我的待办, the head
records the collective discussion and decides, the officer serves, records
the payment and closes, the clerk publishes; the public page shows the
decision with the party's name masked. The generated 文书 are read as the
signer would (python-docx). Every page on the way is watched (conftest).
"""

import io
import re

import pytest

from fazhi.e2e.conftest import shot

pytestmark = pytest.mark.browser

CAUSE = "涉嫌经营假农药案（浏览器验收）"
PARTY = "欧阳建华"
PARTY_ID = "110101198003071234"
PARTY_ADDR = "示范区龙凤镇农资街18号"

# A one-page PDF: the upload checks the content, not the name.
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def _ok(page, text: str):
    """The page after a step shows its success message, not an error."""
    page.wait_for_load_state()
    errors = page.locator(".msg-error")
    assert errors.count() == 0, f"出现错误：{errors.all_inner_texts()}"
    assert text in page.content(), f"未看到“{text}”"


def do_step(page, label: str, fields: dict | None = None, *, checks=(), selects: dict | None = None):
    """Open the step's form in 当前可办理, fill it and submit it."""
    box = page.locator("details.enf-action").filter(
        has=page.locator("summary", has_text=re.compile(rf"^{re.escape(label)}$")))
    assert box.count() == 1, (f"“{label}”不在当前可办理中；尚不能办理："
                              f"{page.locator('.enf-waiting').all_inner_texts()}")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    form = box.locator("form")
    for name, value in (fields or {}).items():
        form.locator(f"[name$='-{name}']").fill(str(value))
    for name, value in (selects or {}).items():
        form.locator(f"select[name$='-{name}']").select_option(value)
    for text in checks:
        form.locator("label", has_text=text).locator("input").check()
    with page.expect_navigation():
        form.locator("button").last.click()


def upload(page, record_label: str, title: str, kind: str = "笔录"):
    box = page.locator("#evidence details.enf-action")
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    form = box.locator("form")
    form.locator("select[name='ev-record_type']").select_option(label=record_label)
    form.locator("select[name='ev-kind']").select_option(label=kind)
    form.locator("[name='ev-title']").fill(title)
    form.locator("input[type=file]").set_input_files(
        {"name": f"{title}.pdf", "mimeType": "application/pdf", "buffer": PDF})
    with page.expect_navigation():
        form.locator("button").click()
    _ok(page, "已上传")


def pick(select, text: str):
    """Choose the option whose label contains ``text``."""
    label = select.locator("option", has_text=text).first.inner_text()
    select.select_option(label=label)


def open_from_dashboard(page, text: str):
    """我的待办 on the home page lists the waiting step; follow it."""
    page.goto("/")
    link = page.locator("a", has_text=text).first
    assert link.count() == 1, f"我的待办中没有“{text}”：{page.locator('main').inner_text()[:1500]}"
    with page.expect_navigation():
        link.click()


def docx_text(page, case_url: str, kind: str) -> str:
    from docx import Document

    resp = page.request.get(f"{case_url}docx/{kind}/")
    assert resp.status == 200, f"{kind}: HTTP {resp.status}"
    doc = Document(io.BytesIO(resp.body()))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_general_procedure_case_from_registration_to_publication(as_user, open_page):
    # ---------------------------------------------------------- 登记 (officer)
    officer = as_user("zhifa_officer")
    officer.goto("/enforcement/cases/new/")
    officer.fill("#id_cause", CAUSE)
    officer.fill("#id_source", "投诉举报")
    pick(officer.locator("#id_violation_type"), "NY-NY-001")
    officer.select_option("#id_severity", "general")
    officer.check("#id_party_kind input[value=person]")
    officer.fill("#id_party_name", PARTY)
    officer.fill("#id_party_id_no", PARTY_ID)
    officer.fill("#id_party_address", PARTY_ADDR)
    officer.fill("#id_facts", "经查，当事人于2026年11月在其经营的农资店销售标称某公司生产的“草甘膦”农药10箱，"
                              "经检验有效成分含量为零，属假农药，货值金额3200元。")
    officer.locator("#id_officers label", has_text="何建军").locator("input").check()
    officer.locator("#id_officers label", has_text="罗鹏").locator("input").check()
    with officer.expect_navigation():
        officer.click("form.card button.btn-primary")
    _ok(officer, "已登记案件，待负责人审批立案")
    case_url = re.sub(r"#.*$", "", officer.url)
    assert re.search(r"/enforcement/cases/\d+/$", case_url), case_url
    shot(officer, "enf-01-registered")

    pk = int(case_url.rstrip("/").rsplit("/", 1)[1])
    officer.goto("/")
    mine = officer.locator("a", has_text=f"我承办的案件：登记#{pk} {CAUSE}")
    assert mine.count() == 1 and "待负责人审批立案" in mine.inner_text()

    # ------------------------------------------------- 立案 (head, from 我的待办)
    head = as_user("nongye_head")
    open_from_dashboard(head, f"待立案审批：登记#{pk} {CAUSE}")
    assert head.url.endswith(f"/enforcement/cases/{pk}/")
    do_step(head, "批准立案")
    _ok(head, "已批准立案")
    case_no = head.locator("dl.kv dd").first.inner_text().strip()
    assert "示范农罚立" in case_no, case_no
    filing = docx_text(head, case_url, "filing")
    shot(head, "enf-02-filed")

    # ---------------------------------------- 调查取证 and 告知 (officer)
    officer.goto(case_url)
    upload(officer, "调查（询问）笔录", "询问笔录（当事人）")
    upload(officer, "立案审批表", "立案审批表（签批）", kind="扫描件")
    do_step(officer, "送达行政处罚事先告知书",
            {"intended_penalty": "没收假农药10箱，罚款人民币20000元", "intended_fine": "20000",
             "notice_reasons": "当事人经营假农药，违反《农药管理条例》第二十八条第一款，依据第五十五条第一款第（二）项。"})
    _ok(officer, "已告知")
    upload(officer, "告知书送达回证", "告知书送达回证", kind="扫描件")
    notice = docx_text(officer, case_url, "notice")
    do_step(officer, "当事人书面放弃陈述申辩和听证")
    _ok(officer, "已记录当事人放弃权利")
    do_step(officer, "提交法制审核")
    _ok(officer, "已提交法制审核")
    shot(officer, "enf-03-submitted-review")

    # --------------------------------- 法制审核 (reviewer, from 我的待办, SYS-01)
    reviewer = as_user("sifa_reviewer")
    open_from_dashboard(reviewer, f"待法制审核：{case_no}")
    do_step(reviewer, "出具法制审核意见",
            {"opinion": "事实清楚，证据确凿，适用依据正确，程序合法，裁量适当，同意拟处罚意见。"},
            selects={"passed": "1"})
    _ok(reviewer, "已出具法制审核意见")
    shot(reviewer, "enf-04-reviewed")

    # -------------------------------- 集体讨论 (officer submits, head records)
    officer.goto(case_url)
    do_step(officer, "提请集体讨论")
    _ok(officer, "已提请集体讨论")
    open_from_dashboard(head, f"待集体讨论并决定：{case_no}")
    do_step(head, "记录集体讨论", {"conclusion": "同意法制审核意见，罚款人民币20000元，没收假农药。"},
            checks=("刘洪军", "黄志刚"))
    _ok(head, "已记录集体讨论")
    upload_as = officer
    upload_as.goto(case_url)
    upload(upload_as, "集体讨论记录", "集体讨论记录", kind="扫描件")
    upload(upload_as, "法制审核意见书", "法制审核意见书", kind="扫描件")

    # ------------------------------------------------------- 决定 (head)
    head.goto(case_url)
    do_step(head, "作出行政处罚决定",
            {"fine_amount": "20000", "other_penalties": "没收假农药10箱",
             "reasons": "当事人经营假农药，货值金额3200元，属一般情形，在裁量基准幅度内处罚。"})
    _ok(head, "已作出行政处罚决定")
    decision_no = head.locator("dt", has_text="决定书文号").locator("xpath=following-sibling::dd[1]").inner_text()
    assert "示范农罚决" in decision_no, decision_no
    assert "罚款人民币20000元；没收假农药10箱" in head.locator("main").inner_text()  # worded as in the 决定书
    shot(head, "enf-05-decided")

    # --------------------------------- 送达, 缴款, 执行, 结案 (officer)
    officer.goto(case_url)
    decision = docx_text(officer, case_url, "decision")
    do_step(officer, "送达决定书")
    _ok(officer, "已送达决定书")
    service = docx_text(officer, case_url, "service")
    upload(officer, "行政处罚决定书", "行政处罚决定书（盖章）", kind="扫描件")
    upload(officer, "决定书送达回证", "决定书送达回证", kind="扫描件")
    do_step(officer, "登记缴款", {"bank_receipt_no": f"NX20261207{pk:05d}"})
    _ok(officer, "已登记缴款")
    upload(officer, "缴款凭证", "缴款凭证", kind="扫描件")
    do_step(officer, "确认执行完毕")
    _ok(officer, "已确认执行完毕")
    do_step(officer, "结案", {"summary": "当事人已缴清罚款，假农药已没收，案件执行完毕，予以结案。"})
    _ok(officer, "已结案")
    shot(officer, "enf-06-closed")

    # ------------------------------------------------------- 公示 (clerk)
    clerk = as_user("nongye_clerk")
    clerk.goto(case_url)
    do_step(clerk, "公示处罚决定")
    _ok(clerk, "已在门户网站公示")

    public = open_page(viewport={"width": 390, "height": 844})
    public.goto("/portal/enforcement/")
    public.locator("a", has_text=decision_no.strip()).first.click()
    public.wait_for_load_state()
    body = public.locator("main").inner_text()
    assert decision_no.strip() in body
    assert PARTY not in body and PARTY_ID not in body and PARTY_ADDR not in body
    assert "欧阳" in body  # surname kept, given name masked (ENF-20)
    shot(public, "enf-07-portal-phone")

    # ------------------------------------- the 文书, read as the signer would
    for text in (filing, notice, decision, service):
        assert "示范区农业农村局" in text
        assert "执法大队" not in text.split("\n")[0]
    assert "示范区人民政府" in decision and "人民法院" in decision
    for name, text in (("立案审批表", filing), ("告知书", notice), ("决定书", decision), ("送达回证", service)):
        assert "None" not in text and "（未填写）" not in text, f"{name}有空白事实：\n{text}"
    assert case_no in decision and decision_no.strip() in service
    assert "书面表示放弃陈述、申辩和要求听证的权利" in decision and "未提出陈述" not in decision
    assert "经法制审核" in decision and "经本机关负责人集体讨论决定" in decision
    assert "经查明：经查" not in decision and "查明：经查" not in notice
    assert "罚款人民币20000元" in notice and "罚款人民币20000元" in decision  # the same figure throughout
    assert "刘洪军" in filing and "何建军" in filing and "99010120210015" in filing
    assert "直接送达" in service and PARTY in service


PHONE = {"width": 390, "height": 844}


def _no_sideways_scroll(page, what: str):
    wide = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert wide[0] <= wide[1], f"{what}在390px手机上横向滚动（内容宽{wide[0]}px）"


def test_officer_on_a_phone_sees_the_next_step_first(as_user):
    """Issue 13 §2 "Phone layouts": the case list and the case page at 390 px."""
    page = as_user("zhifa_officer", viewport=PHONE)
    page.goto("/enforcement/cases/")
    _no_sideways_scroll(page, "案件列表")
    shot(page, "enf-phone-case-list")
    first = page.locator("table.grid tbody tr").first
    assert "下一步" in page.locator("table.grid thead").inner_text()
    with page.expect_navigation():
        first.locator("a").first.click()
    _no_sideways_scroll(page, "案件页")
    action = page.locator("aside.enf-aside").first.bounding_box()
    info = page.locator("h2", has_text="案件信息").first.bounding_box()
    assert action["y"] < info["y"], "手机上“当前可办理”应在案件信息之前"
    shot(page, "enf-phone-case")


def test_summary_procedure_on_the_spot_to_closing(as_user):
    """简易程序 (ENF-12): the officer decides on the spot, the fine is paid, the case is closed."""
    officer = as_user("zonghe_officer")
    officer.goto("/enforcement/cases/new/")
    officer.select_option("#id_procedure", "summary")
    officer.fill("#id_cause", "韩某在人行道乱堆乱放杂物案（浏览器验收）")
    pick(officer.locator("#id_violation_type"), "ZH-SR-002")
    officer.select_option("#id_severity", "minor")
    officer.check("#id_party_kind input[value=person]")
    officer.fill("#id_party_name", "韩立新")
    officer.fill("#id_party_address", "示范区白沙镇东风路6号")
    officer.fill("#id_facts", "当事人在东风路人行道堆放木料约3平方米，影响行人通行，经责令已当场清理。")
    officer.fill("#id_spot_place", "示范区白沙镇东风路6号门前人行道")
    officer.fill("#id_fine_amount", "100")
    officer.locator("#id_officers label", has_text="唐刚").locator("input").check()
    officer.locator("#id_officers label", has_text="韦国栋").locator("input").check()
    with officer.expect_navigation():
        officer.click("form.card button.btn-primary")
    _ok(officer, "已当场作出处罚决定")
    case_url = re.sub(r"#.*$", "", officer.url)
    pk = int(case_url.rstrip("/").rsplit("/", 1)[1])
    spot = docx_text(officer, case_url, "decision")
    assert "当场行政处罚决定书" in spot and "示范区综合行政执法局" in spot
    assert "示范区白沙镇东风路6号门前人行道" in spot and "100元" in spot
    assert "示范区人民政府申请行政复议" in spot and "人民法院" in spot
    upload(officer, "当场处罚决定书", "当场处罚决定书", kind="扫描件")
    do_step(officer, "登记缴款", {"bank_receipt_no": f"ZH20261207{pk:05d}"})
    _ok(officer, "已登记缴款")
    upload(officer, "缴款凭证", "缴款凭证", kind="扫描件")
    do_step(officer, "确认执行完毕")
    _ok(officer, "已确认执行完毕")
    do_step(officer, "结案", {"summary": "当事人已当场清理并缴纳罚款，予以结案。"})
    _ok(officer, "已结案")
    shot(officer, "enf-summary-closed")


def test_officer_requests_an_extension_and_the_head_approves_it(as_user):
    """ENF-08: the officer asks, the request waits in the head's 我的待办, the
    head approves it (pre-filled from the request) before the 90 days run out."""
    officer = as_user("zhifa_officer")
    officer.goto("/enforcement/cases/?q=丰收农资店")
    with officer.expect_navigation():
        officer.locator("table.grid tbody tr", has_text="丰收农资店").first.locator("a").first.click()
    case_url = re.sub(r"#.*$", "", officer.url)
    case_no = officer.locator("dl.kv dd").first.inner_text().strip()
    due_before = officer.locator("dt", has_text="决定期限").locator("xpath=following-sibling::dd[1]").inner_text()
    do_step(officer, "申请延长办案期限", {"days": "30", "reason": "需对涉案种子进行真实性检测，检测周期较长。"})
    _ok(officer, "已申请延长办案期限，待负责人审批")

    head = as_user("nongye_head")
    open_from_dashboard(head, f"待审批延期：{case_no}")
    assert head.url.startswith(case_url)
    do_step(head, "批准延长办案期限", {"basis": "《农业行政处罚程序规定》第六十四条"})
    _ok(head, "已批准延长办案期限")
    card = head.locator(".card", has=head.locator("h2", has_text="办案期限延长"))
    assert "30日" in card.inner_text() and "刘洪军" in card.inner_text() and "检测周期较长" in card.inner_text()
    due_after = head.locator("dt", has_text="决定期限").locator("xpath=following-sibling::dd[1]").inner_text()
    assert due_after != due_before
    head.goto("/")
    assert f"待审批延期：{case_no}" not in head.locator("main").inner_text()
    shot(head, "enf-extended")
