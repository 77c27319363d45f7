"""Citations, not codes (issue 13 §2), in a real browser on the demo district.

The public certificate check of a suspended certificate cites the law with
the rule ID only in the tooltip; on the demo cases the officer can open, every
step listed under 暂不能办理的步骤 says why (citing the law) and which step
unlocks it.
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
