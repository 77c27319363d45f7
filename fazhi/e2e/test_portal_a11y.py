"""Accessibility of the public portal (WCAG 2.1 AA; GB/T 37668 builds on it) and
its phone layout, proven in a real browser on the demo district.

For every kind of portal page — the home, each section's page, a detail page
of each kind, search results, the certificate check, the draw's 如何验证 page
and a consultation's comment page, and every other portal page a visitor can
reach by following links from the home page — an axe-core run (vendored,
static/vendor/axe-core) finds no serious or critical violation, the page has
exactly one h1, a skip link to the main content and at most one
``aria-current``, and at 390 px width nothing scrolls sideways and nothing is
cut off (content wider than the screen only inside a box that scrolls).
Lists of records (inspection results, enforcement decisions, inspection
items) become one card per record on a phone; field labels stack above their
values.
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

# Links that download a file rather than open a page.
DOWNLOAD = re.compile(r"\.(docx|zip|json|py|md|xlsx|pdf)$|/files/|/docx/|download")


def kind_of(url: str) -> str:
    path, _, query = url.partition("?")
    return re.sub(r"/\d+/", "/<id>/", path) + ("?" + "&".join(sorted(k.split("=")[0] for k in query.split("&"))) if query else "")


def reachable(page, start: str = "/portal/", limit: int = 120) -> list[str]:
    """One URL of every kind of portal page reachable by links from ``start`` (pagination aside)."""
    queue, kinds, urls = [start], set(), []
    while queue and len(urls) < limit:
        url = queue.pop(0)
        if kind_of(url) in kinds:
            continue
        kinds.add(kind_of(url))
        urls.append(url)
        page.goto(url)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            if (href and href.startswith(("/portal/", "/c/")) and "page=" not in href
                    and not DOWNLOAD.search(href.split("?")[0])):
                queue.append(href.split("#")[0])
    return urls


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
    listed = {kind_of(u) for u in urls}
    urls += [u for u in reachable(page) if kind_of(u) not in listed]
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


# Content past the right edge of the screen that no box lets you scroll to: cut off.
CUT_OFF = """() => [...document.querySelectorAll('main *')].filter(e => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.right <= innerWidth + 1) return false;
    for (let a = e.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') return false;  // scrolls (or is clipped on purpose) in its box
    }
    return true;
  }).slice(0, 3).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


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
        cut = page.evaluate(CUT_OFF)
        if cut:
            wide.append(f"{url}: 内容超出屏幕 {cut}")
    for url, name in (("/portal/", "portal-phone-home"), ("/portal/normdocs/", "portal-phone-library")):
        page.goto(url)
        shot(page, name)
    assert len(portal_urls) >= 25, portal_urls  # every kind of page, not just a few
    assert not wide, "390px 宽度下出现横向滚动：\n" + "\n".join(wide)


CARD_CELLS = """() => [...document.querySelectorAll('main table.grid.cards td')].map(td => {
    const r = td.getBoundingClientRect();
    return [td.dataset.label || '', Math.round(r.left), Math.round(r.right), getComputedStyle(td, '::before').content];
  })"""


@pytest.mark.parametrize("url", ["/portal/inspections/results/", "/portal/enforcement/decisions/",
                                 "/portal/inspections/items/"])
def test_lists_of_records_become_cards_on_a_phone_with_every_field_labelled(open_page, url):
    """The results table had its last column (公示日期) cut off at 390 px: each record is now a card."""
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto(url)
    cells = page.evaluate(CARD_CELLS)
    assert cells, f"{url} 没有记录"
    assert all(0 <= left and right <= PHONE["width"] for _, left, right, _ in cells), cells[:5]
    labelled = [(label, before) for label, _, _, before in cells if label]
    assert labelled and all(before.startswith(f'"{label}') for label, before in labelled), labelled[:5]
    if url == "/portal/inspections/results/":
        assert {"公示日期", "检查部门", "检查结果"} <= {label for label, _ in labelled}
    shot(page, "portal-phone-" + url.strip("/").replace("/", "-"))
    desktop = open_page(viewport=DESKTOP)
    desktop.goto(url)
    assert desktop.evaluate("getComputedStyle(document.querySelector('main table.grid.cards td')).display") == "table-cell"
    shot(desktop, "portal-desktop-" + url.strip("/").replace("/", "-"))


def test_field_labels_stack_above_their_values_on_a_phone(open_page):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    page.goto("/portal/normdocs/")
    href = first_link(page, r"^/portal/normdocs/\d+/$")
    page.goto(href)
    pairs = page.evaluate("""() => [...document.querySelectorAll('main dl.kv dt')].map(dt => {
        const dd = dt.nextElementSibling, a = dt.getBoundingClientRect(), b = dd.getBoundingClientRect();
        return [dt.innerText, getComputedStyle(dt).textAlign, Math.round(a.left), Math.round(b.left),
                Math.round(a.bottom), Math.round(b.top)];
      })""")
    assert len(pairs) >= 4, pairs
    for label, align, dt_left, dd_left, dt_bottom, dd_top in pairs:
        assert align in ("left", "start") and dt_left == dd_left and dt_bottom <= dd_top + 1, (label, pairs)
    shot(page, "portal-phone-normdoc-detail")
    desktop = open_page(viewport=DESKTOP)
    desktop.goto(href)
    shot(desktop, "portal-desktop-normdoc-detail")


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
