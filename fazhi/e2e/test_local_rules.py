"""The page 地方规则 in a real browser: the system administrator changes a
rule without a deploy, sees it in force, and puts it back."""

import time

import pytest

from fazhi.e2e.conftest import shot

pytestmark = pytest.mark.browser
NAME = "FAZHI_NORMDOCS__FILING_DAYS"


def _row(page) -> str:
    return page.locator("tr", has_text=NAME).first.inner_text()


def _listed_until(page, text: str) -> str:
    """The list as any server process answers it: the other gunicorn worker's
    memory cache forgets the old value within a second (FAZHI_LOCAL_RULES_CACHE_SECONDS)."""
    row = ""
    for _ in range(10):
        page.goto("/local-rules/")
        row = _row(page)
        if text in row:
            return row
        time.sleep(0.5)
    return row


def test_the_administrator_changes_a_rule_sees_it_in_force_and_resets_it(as_user):
    page = as_user("admin")
    page.get_by_role("link", name="地方规则").first.click()
    assert page.locator("h1").inner_text() == "地方规则"
    assert "15" in _row(page) and "默认" in _row(page)

    page.get_by_role("link", name=f"修改 {NAME}").click()
    page.fill("input[name=value]", "三十")
    page.fill("textarea[name=reason]", "试填")
    page.get_by_role("button", name="保存").click()
    assert "应为非负整数" in page.locator(".msg-error").first.inner_text()

    page.fill("input[name=value]", "30")
    page.fill("textarea[name=reason]", "省政府规章规定30日内报备")
    page.get_by_role("button", name="保存").click()
    assert "现行取值：30（管理界面）" in page.locator(".msg-success, .msg").first.inner_text()
    row = _listed_until(page, "管理界面")
    assert "30" in row and "管理界面" in row
    shot(page, "local-rules-set")

    page.get_by_role("link", name=f"修改 {NAME}").click()
    page.fill("textarea[name=reset-reason]", "规定已废止")
    page.get_by_role("button", name="恢复默认").click()
    assert "现行取值：15（默认）" in page.locator(".msg-success, .msg").first.inner_text()
    row = _listed_until(page, "默认")
    assert "15" in row and "默认" in row
