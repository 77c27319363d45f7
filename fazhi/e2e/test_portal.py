"""The public on the portal, in a real browser, without signing in: searching the
library by title and by 文号 from the header search box and opening a
document; commenting on a draft open for consultation; verifying an
enforcement certificate through its short URL (/c/<证件号>/, as printed in a
QR code). Every page is watched for console errors, 4xx/5xx and requests to
other hosts (``page`` fixture)."""

import re

import pytest

from fazhi.e2e.conftest import shot

pytestmark = pytest.mark.browser


def header_search(page, q: str) -> None:
    page.fill("#portal-q", q)
    page.press("#portal-q", "Enter")
    page.wait_for_load_state()
    assert "/portal/search/" in page.url


def test_the_public_searches_the_library_by_title_and_by_number_and_opens_a_document(page):
    page.goto("/portal/normdocs/")
    links = page.eval_on_selector_all("main a[href]", "els => els.map(e => [e.getAttribute('href'), e.innerText])")
    href, title = next((h, t.strip()) for h, t in links if re.match(r"^/portal/normdocs/\d+/$", h))
    page.goto(href)
    number = re.search(r"[\u4e00-\u9fff]+〔\d{4}〕\d+号", page.locator("main").inner_text()).group(0)

    page.goto("/portal/")
    header_search(page, title[:6])
    group = page.locator("section.search-group", has_text="规范性文件库")
    assert group.locator(f"a[href='{href}']").count() == 1
    shot(page, "portal-search-title")

    header_search(page, number)
    group = page.locator("section.search-group", has_text="规范性文件库")
    link = group.locator(f"a[href='{href}']")
    assert link.count() == 1, f"按文号 {number} 未找到文件"
    assert group.locator(".badge").first.inner_text() in ("有效", "失效", "废止", "已修改", "尚未施行")
    link.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().strip() == title
    assert number in page.locator("main").inner_text()
    shot(page, "portal-document")


def test_the_public_comments_on_a_draft_open_for_consultation(page, live, as_user):
    page.goto("/portal/")
    drafts = page.locator("section.portal-drafts")
    link = drafts.locator("a[href^='/portal/decisions/consultations/']").first
    assert link.count() == 1, "首页没有正在征求意见的决策草案"
    link.click()
    page.wait_for_load_state()
    pk = re.search(r"/consultations/(\d+)/", page.url).group(1)
    text = "建议在草案第三条中明确补助资金的申请期限。（浏览器测试）"
    page.fill("textarea[name=content]", text)
    page.fill("input[name=name]", "王小明")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "您的意见已提交" in page.locator("[role=status]").inner_text()
    shot(page, "portal-comment-done")
    stored = live.manage("shell", "-c", (
        "from fazhi.major_decisions.models import Comment;"
        f"print(Comment.objects.filter(consultation_id={pk}, content={text!r}, name='王小明').count())"))
    assert stored.strip().splitlines()[-1] == "1"
    # The staff sees it on the decision's page (法制审核员 over the whole district).
    decision = live.manage("shell", "-c", (
        "from fazhi.major_decisions.models import Consultation;"
        f"print(Consultation.objects.get(pk={pk}).decision_id)")).strip().splitlines()[-1]
    staff = as_user("sifa_reviewer")
    staff.goto(f"/decisions/{decision}/")
    assert text in staff.locator("main").inner_text()


def test_the_public_verifies_a_certificate_through_its_short_url(page):
    page.goto("/portal/enforcement/")
    row = page.locator("#before details table tbody tr").first
    cells = row.locator("td")
    name, number = cells.nth(0).inner_text().strip(), cells.nth(1).inner_text().strip()
    page.goto(f"/c/{number}/")
    main = page.locator("main").inner_text()
    assert number in main and "有效" in main
    assert name[0] + "*" in main and name not in main  # the holder's name masked
    assert page.locator(".portal-nav a[aria-current=page]").inner_text() == "执法证件查询"
    shot(page, "portal-certificate-short-url")
