"""The staff page inventory (issue 13 §1) and the staff layout on a phone (§2).

For each demo role the test signs in, collects every link of the staff menu
(the side navigation and the top bar) and of the dashboard's lists (我的待办,
即将到期, 已逾期), and opens each once: the page answers 200, nothing goes
wrong in the browser (``PageWatch``: console errors, responses ≥ 400, outside
requests), axe-core (vendored) finds no serious or critical WCAG 2.1 AA
violation, the page has one h1 and unique ids, and at 390 px nothing scrolls
sideways (wide tables scroll inside their own box).

On a phone the side menu is folded away behind a 菜单 button so the page's
own content comes first; the test opens and closes it.
"""

import re

import pytest

from fazhi.e2e.axe import axe_violations, structure_problems
from fazhi.e2e.conftest import shot, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# Every role of the demo district that signs in to the back office; ``admin`` is the system administrator.
ROLES = ["nongye_clerk", "nongye_head", "nongye_admin", "zhifa_officer", "sifa_reviewer", "sifa_head",
         "shichang_clerk", "longfeng_clerk", "kaohe", "admin"]

LINKS = "nav.side a[href], header.topbar a[href], main .dash-list a[href]"

SIDEWAYS = """() => {
  const el = document.scrollingElement;
  if (el.scrollWidth <= window.innerWidth + 1) return null;
  const culprits = [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(e => ![...e.querySelectorAll('*')].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
    .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' '
                      + Math.round(e.getBoundingClientRect().right));
  return el.scrollWidth + 'px: ' + culprits.join(' | ');
}"""


def kind_of(url: str) -> str:
    """Pages of one kind share a template: ``/enforcement/cases/4/`` and ``/enforcement/cases/14/``."""
    return re.sub(r"/\d+/", "/<id>/", url.split("?")[0])


@pytest.fixture(scope="module")
def examined():
    """Kinds of page already run through axe and the phone check by an earlier role of this run."""
    return set()


def inventory(page) -> list[str]:
    """The pages one signed-in user reaches from the menus and the dashboard, deduplicated."""
    page.goto("/")
    hrefs = page.eval_on_selector_all(LINKS, "els => els.map(e => e.getAttribute('href'))")
    urls = []
    for href in hrefs:
        url = href.split("#")[0]
        # The Django admin (后台管理) is Django's own; the inventory covers fazhi's pages.
        if url.startswith("/") and not url.startswith("/admin/") and url not in urls:
            urls.append(url)
    return urls


@pytest.mark.parametrize("username", ROLES)
def test_every_page_in_a_roles_menus_opens_clean_passes_axe_and_fits_a_phone(open_page, examined, username):
    """Every role opens every page of its menus and to-do lists (200, no browser error); axe and the
    390 px check run once per kind of page (the first role that reaches it), which keeps the run short."""
    page = open_page(viewport=DESKTOP, bypass_csp=True)  # axe is injected as a script tag
    sign_in(page, username)
    urls = inventory(page)
    assert "/" in urls and len(urls) >= 4, f"{username} 的菜单链接过少：{urls}"
    problems, wide = [], []
    for url in urls:
        response = page.goto(url)
        if response is None or response.status != 200:
            problems.append(f"{url}: HTTP {response.status if response else '无响应'}")
            continue
        problems += structure_problems(page, url)
        if url != "/" and kind_of(url) in examined:  # the dashboard differs by role: every time
            continue
        examined.add(kind_of(url))
        problems += [f"{url}: {v}" for v in axe_violations(page)]
        page.set_viewport_size(PHONE)
        sideways = page.evaluate(SIDEWAYS)
        if sideways:
            wide.append(f"{url}: {sideways}")
        page.set_viewport_size(DESKTOP)
    assert not problems, f"{username} 的页面问题：\n" + "\n".join(problems)
    assert not wide, f"{username}：390px 宽度下出现横向滚动：\n" + "\n".join(wide)


def first_case_url(page) -> str:
    page.goto("/enforcement/cases/")
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    url = next((h for h in hrefs if re.match(r"^/enforcement/cases/\d+/$", h)), None)
    assert url, "演示数据中没有可打开的执法案件"
    return url


def test_on_a_phone_the_menu_folds_away_and_the_page_comes_first(open_page):
    page = open_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    sign_in(page, "nongye_head")
    nav, toggle = page.locator("nav.side"), page.locator("button.menu-toggle")

    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not nav.is_visible()
    h1 = page.locator("main h1").bounding_box()
    assert h1 is not None and h1["y"] < 150, f"手机上工作台标题不在页面顶部：{h1}"
    shot(page, "staff-phone-home")

    toggle.click()
    assert nav.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert nav.locator("a", has_text="行政处罚案件").first.is_visible()
    shot(page, "staff-phone-menu-open")
    toggle.click()
    assert not nav.is_visible() and toggle.get_attribute("aria-expanded") == "false"

    toggle.click()
    with page.expect_navigation():
        nav.locator("a", has_text="行政处罚案件").first.click()
    assert "/enforcement/cases/" in page.url
    assert not nav.is_visible(), "打开菜单中的链接后，新页面的菜单应重新收起"

    page.goto(first_case_url(page))
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"] + 1
    assert page.locator("main h1").bounding_box()["y"] < 150
    shot(page, "staff-phone-case")


def test_on_a_desktop_the_menu_is_always_open(open_page):
    page = open_page(viewport=DESKTOP)
    sign_in(page, "nongye_head")
    assert page.locator("nav.side").is_visible()
    assert not page.locator("button.menu-toggle").is_visible()
    shot(page, "staff-desktop-home")
    page.goto(first_case_url(page))
    assert page.locator("nav.side").is_visible()
    shot(page, "staff-desktop-case")
