"""法治政府建设年度报告 in a real browser (issue 13 §1, §2).

The 农业农村局's clerk generates last year's report from the records, writes
every “【待补充】” part in the editor, the head finds it in 我的待办 and
approves it, then sends it to the recipients RPT-03 names and publishes it;
the public reads it on the portal. The .docx is read as the recipient would
(python-docx): real heading styles, every rate agreeing with the counts beside
it and with the figure table of the editor, nothing of the next year among
this year's shortcomings, no placeholder or blank fact, the right unit, and
odd/even page numbers as GB/T 9704 puts them.
"""

import io
import re

import pytest

from fazhi.e2e.conftest import shot

pytestmark = pytest.mark.browser

UNIT = "示范区农业农村局"
STAFF = "（浏览器验收补充）本局按照区委、区政府部署推进相关工作，具体情况如下：已完成。"


def _ok(page, text: str):
    page.wait_for_load_state()
    errors = page.locator(".msg-error")
    assert errors.count() == 0, f"出现错误：{errors.all_inner_texts()}"
    assert text in page.content(), f"未看到“{text}”"


def _next_open_section(page):
    """The key of the first section whose text still holds a placeholder."""
    return page.evaluate("""() => {
        for (const t of document.querySelectorAll('.ar-section textarea')) {
            if (t.value.includes('【待补充')) { return t.name.replace(/-text$/, ''); }
        }
        return null;
    }""")


def _figure_table(page) -> dict:
    """key -> (label, value, indicator code, listed titles) from the editor's 数据项 table."""
    rows = page.evaluate("""() => Array.from(document.querySelectorAll('#figures tbody tr')).map(tr =>
        Array.from(tr.querySelectorAll('td')).map(td => td.innerText.trim()))""")
    out = {}
    for r in rows:
        if len(r) == 6:
            key = r[0].strip("{} ")
            out[key] = {"label": r[1], "value": r[2], "code": r[4], "items": r[5]}
    return out


def _docx(page, url: str):
    from docx import Document

    resp = page.request.get(url)
    assert resp.status == 200, f"{url}: HTTP {resp.status}"
    assert "wordprocessingml" in resp.headers["content-type"]
    return Document(io.BytesIO(resp.body()))


def _part(lines: list[str], start: str, end: str) -> str:
    i = next(n for n, t in enumerate(lines) if t.startswith(start))
    j = next(n for n, t in enumerate(lines) if t.startswith(end) and n > i)
    return "\n".join(lines[i:j])


def test_unit_drafts_reviews_sends_and_publishes_its_annual_report(as_user, open_page):
    # ------------------------------------------------------- 生成 (clerk)
    clerk = as_user("nongye_clerk")
    clerk.goto("/reports/new/")
    clerk.locator("select[name=unit]").select_option(label=UNIT)
    year = int(clerk.locator("select[name=year]").input_value())
    with clerk.expect_navigation():
        clerk.locator("form button.btn-primary").click()
    _ok(clerk, "已根据平台记录生成报告草稿")
    report_url = re.sub(r"#.*$", "", clerk.url)
    assert re.search(r"/reports/\d+/$", report_url), report_url
    pk = int(report_url.rstrip("/").rsplit("/", 1)[1])
    assert f"{UNIT}{year}年度法治政府建设情况报告" in clerk.locator("h1").inner_text()
    assert "尚待补充" in clerk.locator(".ar-actions").inner_text()
    shot(clerk, "ar-01-generated")

    # --------------------------- the clerk writes every 【待补充】 part (editor)
    edited = []
    for _ in range(20):
        key = _next_open_section(clerk)
        if key is None:
            break
        area = clerk.locator(f"textarea[name='{key}-text']")
        text = re.sub(r"【待补充[^】]*】", STAFF, area.input_value())
        area.fill(text)
        with clerk.expect_navigation():
            clerk.locator(f"#s-{key} form button", has_text="保存").click()
        _ok(clerk, "已保存")
        edited.append(key)
    assert {"p2", "p3", "p4", "p5"} <= set(edited), edited
    assert "尚待补充" not in clerk.locator(".ar-actions").inner_text()
    assert "已人工修改" in clerk.locator("#s-p5").inner_text()
    figures = _figure_table(clerk)
    shot(clerk, "ar-02-edited")

    # another unit's clerk cannot open it, nor its .docx
    other = as_user("shichang_clerk")
    assert other.request.get(report_url).status == 404
    assert other.request.get(f"{report_url}docx/").status == 404

    # ------------------------------------ 审核 (head, from 我的待办)
    head = as_user("nongye_head")
    head.goto("/")
    link = head.locator("a", has_text=f"{year}年度法治政府建设情况报告待审核")
    assert link.count() == 1, f"我的待办中没有待审核的报告：{head.locator('main').inner_text()[:1500]}"
    with head.expect_navigation():
        link.click()
    assert head.url.startswith(report_url)
    head.locator("input[name=note]").fill("同意报送。")
    with head.expect_navigation():
        head.locator("button", has_text="审核通过").click()
    _ok(head, "已审核通过")
    shot(head, "ar-03-reviewed")

    # ---------------------------------------------- 报送 and 公开 (head)
    form = head.locator("form[action$='/do/submit/']")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", form.locator("input[name=submitted_on]").input_value())
    names = form.locator("input[name^=to_]")
    assert names.count() >= 2  # 本级人民政府 and 上级主管部门 (RPT-03)
    for i in range(names.count()):
        assert names.nth(i).input_value().strip(), "报送对象应预填"
    with head.expect_navigation():
        form.locator("button", has_text="登记报送").click()
    _ok(head, "已登记报送")
    published_on = head.locator("input[name=published_on]")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", published_on.input_value()), "公开日期应预填为今天"
    with head.expect_navigation():
        head.locator("button", has_text="在门户网站公开").click()
    _ok(head, "已在门户网站公开")
    assert "已公开" in head.locator(".card").first.inner_text()
    shot(head, "ar-04-published")

    # ------------------------------------------------ the public (phone)
    public = open_page(viewport={"width": 390, "height": 844})
    public.goto("/portal/reports/")
    title = f"{UNIT}{year}年度法治政府建设情况报告"
    with public.expect_navigation():
        public.locator("a", has_text=title).first.click()
    body = public.locator("main").inner_text()
    assert title in body and "一、" in body and "五、其他需要报告的事项" in body
    assert "【待补充" not in body and "{{" not in body and STAFF in body
    shot(public, "ar-05-portal-phone")

    # ----------------------------------------- the .docx, read as the recipient would
    doc = _docx(public, f"/portal/reports/{pk}/docx/")
    lines = [p.text.strip() for p in doc.paragraphs if p.text.strip()]
    text = "\n".join(lines)
    assert lines[0] == title
    assert lines[-2] == UNIT and re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", lines[-1])
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert [t[:2] for t in h1] == ["一、", "二、", "三、", "四、", "五、"], h1
    assert [t[:3] for t in h2] == [f"（{n}）" for n in "一二三四五六七八"], h2
    for bad in ("【待补充", "{{", "〔未知数据项", "None", "（未填写）", "示范区人民政府" + str(year)):
        assert bad not in text, f"报告中出现“{bad}”"

    # every rate agrees with its own counts, and with the editor's figure table
    for pct, num, den in re.findall(r"([\d.]+)%（(\d+)/(\d+)）", text):
        assert abs(float(pct) - int(num) * 100 / int(den)) < 0.05, (pct, num, den)
    for fig in figures.values():
        if fig["code"] and fig["value"] not in ("", "无数据"):
            assert fig["value"] in text, f"{fig['label']}：表中为{fig['value']}，正文中没有"
    cert = figures.get("ind_ENF_CERTIFIED")
    if cert and "/" in cert["value"]:
        num, den = re.search(r"（(\d+)/(\d+)）", cert["value"]).groups()
        assert f"在岗行政执法人员{den}人，持有效行政执法证件{num}人" in text
        assert figures["enf_officers"]["value"] == den and figures["enf_certified"]["value"] == num

    # nothing of the next year among this year's shortcomings
    shortcomings = _part(lines, "二、", "三、")
    assert f"{year + 1}年" not in shortcomings
    nxt = figures.get("lg_next")
    for item in (nxt["items"].split("；") if nxt else []):
        assert item.strip() not in shortcomings, f"{year + 1}年度到期的“{item}”被列为{year}年度的不足"
    assert f"四、{year + 1}年度" in text

    # odd/even page numbers (GB/T 9704 §7.5)
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    assert doc.settings.odd_and_even_pages_header_footer
    sec = doc.sections[0]
    odd, even = sec.footer.paragraphs[0], sec.even_page_footer.paragraphs[0]
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert re.fullmatch(r"— \d+ —", odd.text) and re.fullmatch(r"— \d+ —", even.text)

    # the staff .docx of the published report is the same public copy
    staff = _docx(head, f"{report_url}docx/")
    assert [p.text for p in staff.paragraphs] == [p.text for p in doc.paragraphs]
