"""Accessibility of the public portal (WCAG 2.1 AA; GB/T 37668 builds on it) and
its phone layout, proven in a real browser on the demo district.

For every kind of portal page — the home, each section's page, a detail page
of each kind, search results, the certificate check, the draw's 如何验证 page
and a consultation's comment page — an axe-core run (vendored,
static/vendor/axe-core) finds no serious or critical violation, the page has
exactly one h1, a skip link to the main content and at most one
``aria-current``, and at 390 px width nothing scrolls sideways.
"""

import re

import pytest

from fazhi.e2e.axe import axe_violations, structure_problems
from fazhi.e2e.conftest import shot

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

SECTION_PAGES = ["/portal/", "/portal/normdocs/", "/portal/normdocs/consultations/", "/portal/decisions/",
                 "/portal/decisions/consultations/", "/portal/enforcement/", "/portal/enforcement/decisions/",
                 "/portal/enforcement/certificates/", "/portal/inspections/", "/portal/inspections/items/",
                 "/portal/inspections/plans/", "/portal/inspections/draws/", "/portal/inspections/results/",
                 "/portal/inspections/verify/", "/portal/reports/", "/portal/disclosure/",
                 "/portal/search/?q=%E7%AE%A1%E7%90%86"]

# A detail page of each kind: found by following the first link of that shape on a list page.
DETAIL_KINDS = [
    ("/portal/normdocs/", r"^/portal/normdocs/\d+/$"),
    ("/portal/normdocs/consultations/", r"^/portal/normdocs/consultations/\d+/$"),
    ("/portal/decisions/", r"^/portal/decisions/\d+/$"),
    ("/portal/decisions/", r"^/portal/decisions/catalogues/\d+/$"),
    ("/portal/decisions/consultations/", r"^/portal/decisions/consultations/\d+/$"),
    ("/portal/enforcement/decisions/", r"^/portal/enforcement/decisions/\d+/$"),
    ("/portal/inspections/draws/", r"^/portal/inspections/draws/\d+/$"),
    ("/portal/reports/", r"^/portal/reports/\d+/$"),
]

def first_link(page, pattern: str) -> str | None:
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    return next((h for h in hrefs if re.match(pattern, h.split("?")[0])), None)


def certificate_number(page) -> str:
    page.goto("/portal/enforcement/")
    text = page.locator("main").inner_text()
    m = re.search(r"\b[A-Z]{1,6}[A-Z0-9]*-\d{4}-\d{2,6}\b", text) or re.search(r"\b\d{6,}\b", text)
    assert m, "事前公示中没有执法证件编号"
    return m.group(0)


@pytest.fixture(scope="module")
def portal_urls(browser, live):
    """Every portal page to check (lists, one detail of each kind, the certificate check and short URL)."""
    from fazhi.e2e.conftest import PageWatch, _new_page

    context, page = _new_page(browser, live, PageWatch(live.url), viewport=DESKTOP)
    urls = list(SECTION_PAGES)
    missing = []
    for list_url, pattern in DETAIL_KINDS:
        page.goto(list_url)
        href = first_link(page, pattern)
        if href:
            urls.append(href)
        else:
            missing.append(pattern)
    number = certificate_number(page)
    urls += [f"/portal/enforcement/certificates/?no={number}", f"/c/{number}/"]
    context.close()
    assert not missing, f"演示数据中没有这些详情页：{missing}"
    return urls


def check_structure(page, url: str) -> list[str]:
    problems = structure_problems(page, url)
    if page.locator("a.skip-link[href='#main']").count() != 1 or page.locator("#main").count() != 1:
        problems.append(f"{url}: 缺少“跳到正文”链接")
    return problems


def test_every_portal_page_passes_axe_with_one_h1_and_a_skip_link(open_page, portal_urls):
    page = open_page(viewport=DESKTOP, bypass_csp=True)  # axe is injected as a script tag
    problems = []
    for url in portal_urls:
        page.goto(url)
        problems += check_structure(page, url)
        problems += [f"{url}: {v}" for v in axe_violations(page)]
    assert not problems, "无障碍问题：\n" + "\n".join(problems)


def test_no_portal_page_scrolls_sideways_on_a_phone(open_page, portal_urls):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    wide = []
    for url in portal_urls:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            culprits = page.evaluate("""() => [...document.querySelectorAll('main *')]
                .filter(e => e.getBoundingClientRect().right > 391 && getComputedStyle(e).position !== 'absolute')
                .slice(-3).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
            wide.append(f"{url}: {width}px {culprits}")
    for url, name in (("/portal/", "portal-phone-home"), ("/portal/normdocs/", "portal-phone-library")):
        page.goto(url)
        shot(page, name)
    assert not wide, "390px 宽度下出现横向滚动：\n" + "\n".join(wide)


def test_focus_is_visible_on_the_search_box(open_page):
    page = open_page(viewport=DESKTOP)
    page.goto("/portal/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.focus("#portal-q")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    width = page.evaluate("parseFloat(getComputedStyle(document.activeElement).outlineWidth)")
    assert outline != "none" and width >= 2
