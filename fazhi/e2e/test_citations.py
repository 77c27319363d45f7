"""Citations, not codes (issue 13 §2), in a real browser on the demo district.

The public certificate check of a suspended certificate cites the law with
the rule ID only in the tooltip; on the demo cases the officer can open, every
step listed under 暂不能办理的步骤 says why (citing the law) and which step
unlocks it; and on the main list and detail pages of every module, as the
people who work on them, no rule ID such as ``MDEC-04`` is visible text — card
headings, progress strips, notes and help texts show the citation, the ID is
only a tooltip (a ``title`` attribute).
"""

import re

import pytest

from fazhi.e2e.conftest import shot

pytestmark = pytest.mark.browser

SUSPENDED = "99010120230088"  # 钱伟, 2026 annual check failed (enforcement/demo.py)


def test_the_certificate_check_cites_the_law(page):
    page.goto(f"/portal/enforcement/certificates/?no={SUSPENDED}")
    warning = page.locator(".msg-warning")
    assert "《中华人民共和国行政处罚法》第四十二条" in warning.inner_text()
    assert "ENF-01" not in warning.inner_text()
    assert warning.locator("abbr.rule").get_attribute("title") == "ENF-01"
    shot(page, "citations-certificate-check")


def test_waiting_steps_say_why_and_what_unlocks_them(as_user):
    officer = as_user("zhifa_officer")
    officer.goto("/enforcement/cases/")
    links = [a.get_attribute("href") for a in officer.locator("table.grid a[href*='/enforcement/cases/']").all()]
    seen = 0
    for href in dict.fromkeys(h for h in links if re.search(r"/enforcement/cases/\d+/$", h or "")):
        officer.goto(href)
        items = officer.locator(".enf-waiting li")
        for i in range(items.count()):
            text = items.nth(i).inner_text()
            assert ("需先：" in text or "本案不适用此步骤" in text) and "依据" in text, text
            assert re.fullmatch(r"[A-Z]{2,5}-\d{2}|处罚法第27条", items.nth(i).locator("abbr.rule").first.get_attribute("title"))
            seen += 1
        if seen and not officer.locator(".enf-waiting li").count() == 0:
            shot(officer, "citations-case-waiting")
            break
    assert seen, "演示案件中没有暂不能办理的步骤"
    assert "尚不能办理" not in officer.content()


RULE_ID = re.compile(r"\b[A-Z]{2,5}-\d{2}\b")

# (demo account, list page, the shape of its detail pages or None): the main pages of each module.
MODULE_PAGES = [
    ("zhifa_officer", "/", None),
    ("zhifa_officer", "/enforcement/cases/", r"/enforcement/cases/\d+/$"),
    ("zhifa_officer", "/enforcement/officers/", r"/enforcement/officers/\d+/$"),
    ("sifa_reviewer", "/decisions/", r"/decisions/\d+/$"),
    ("sifa_reviewer", "/decisions/catalogues/", r"/decisions/catalogues/\d+/$"),
    ("sifa_reviewer", "/normdocs/", r"/normdocs/\d+/$"),
    ("sifa_reviewer", "/normdocs/proposals/", None),
    ("sifa_reviewer", "/normdocs/cleanup/", r"/normdocs/cleanup/\d+/$"),
    ("nongye_clerk", "/", None),
    ("nongye_clerk", "/inspections/", None),
    ("nongye_clerk", "/inspections/items/", r"/inspections/items/\d+/$"),
    ("nongye_clerk", "/inspections/inspectors/", r"/inspections/inspectors/\d+/$"),
    ("nongye_clerk", "/inspections/plans/", r"/inspections/plans/\d+/$"),
    ("nongye_clerk", "/inspections/tasks/", r"/inspections/tasks/\d+/$"),
    ("nongye_clerk", "/inspections/results/", r"/inspections/results/\d+/$"),
    ("nongye_clerk", "/ledger/measures/", r"/ledger/measures/\d+/$"),
    ("nongye_clerk", "/training/", r"/training/\d+/$"),
    ("kaohe", "/training/shortfall/", None),
    ("kaohe", "/assessment/", r"/assessment/\d+/\d+/\w+/$"),
    ("kaohe", "/reports/", r"/reports/\d+/$"),
    ("kaohe", "/workdays/explain/", None),
]


def test_no_module_page_shows_a_bare_rule_id(as_user):
    pages, bare, missing, cited = {}, [], [], {}
    for username, list_url, detail in MODULE_PAGES:
        page = pages.get(username) or pages.setdefault(username, as_user(username))
        urls = [list_url]
        if detail:
            page.goto(list_url)
            hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
            href = next((h for h in hrefs if re.search(detail, h.split("?")[0])), None)
            if href is None:
                missing.append(f"{username} {list_url}")
            else:
                urls.append(href)
        for url in urls:
            if url != list_url or not detail:
                page.goto(url)
            text = page.evaluate("document.querySelector('main').textContent")  # attributes (tooltips) excluded
            bare += [f"{username} {url}: …{text[max(0, m.start() - 30):m.end()].strip()}"
                     for m in RULE_ID.finditer(text)]
            # A citation is an <abbr> with the ID as its tooltip; a progress strip's
            # step carries "《…》第X条（ID）" as its tooltip (cite_text).
            titles = page.eval_on_selector_all("main abbr.rule[title], main li[title]", "els => els.map(e => e.title)")
            cited[url] = [t for t in titles if RULE_ID.fullmatch(t) or re.search(r"《[^》]+》.*（" + RULE_ID.pattern, t)]
    assert not missing, f"演示数据中没有这些详情页：{missing}"
    assert not bare, "页面上出现了规则编号（应显示法律依据，编号只作提示）：\n" + "\n".join(bare)
    # The rules are still there, as tooltips on the citations (the scan would pass on empty pages otherwise).
    for shape in (r"/enforcement/cases/\d+/$", r"/decisions/\d+/$", r"/normdocs/\d+/$", r"/inspections/plans/\d+/$"):
        assert any(re.search(shape, url) and ids for url, ids in cited.items()), f"{shape} 没有带规则编号提示的法律依据"
