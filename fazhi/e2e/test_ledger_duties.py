"""任务台账 in a real browser (issues 11 §1, 12 §0): the 农业农村局 clerk
reports progress on one of her unit's measures (dated today by default);
the 局长 finds the report in 我的待办, opens it and confirms it. Every page on
the way is watched (conftest)."""

import re

import pytest

from fazhi.e2e.conftest import shot

pytestmark = pytest.mark.browser

TEXT = "浏览器验收：已完成执法人员持证情况清理"


def test_clerk_reports_and_the_head_confirms_from_the_todo(as_user):
    clerk = as_user("nongye_clerk")
    clerk.goto("/ledger/measures/mine/")
    hrefs = clerk.eval_on_selector_all("a[href^='/ledger/measures/']", "els => els.map(e => e.getAttribute('href'))")
    measure = next(h for h in hrefs if re.fullmatch(r"/ledger/measures/\d+/", h))
    clerk.goto(measure)
    form = clerk.locator("form[action$='/report/']")
    form.locator("[name=percent]").fill("60")
    form.locator("[name=text]").fill(TEXT)
    form.locator("button").click()
    clerk.wait_for_load_state()
    assert "推进情况已报送" in clerk.content()

    head = as_user("nongye_head")
    todo = head.locator("section.todo a", has_text="推进情况报送待审核")
    assert todo.count() == 1, head.locator("section.todo").inner_text()
    shot(head, "ledger-head-todo")
    todo.click()
    head.wait_for_load_state()
    row = head.locator("tr", has_text=TEXT[:20])
    assert row.count() == 1
    row.locator("button", has_text="审核通过").click()
    head.wait_for_load_state()
    assert "审核意见已保存" in head.content()
    assert head.locator("tr", has_text=TEXT[:20]).count() == 0
    shot(head, "ledger-head-confirmed")
