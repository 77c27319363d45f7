"""检查对象批量导入 in a real browser: the upload starts the import at once (the
one-off job ``inspections.import`` in the web process, no worker running here),
the page follows its progress and shows the result — or, for a file with an
error, that nothing was imported and where the error is."""

import random

import pytest

from fazhi.e2e.conftest import shot, tmpdir

pytestmark = pytest.mark.browser

HEADER = "名称,统一社会信用代码,主体类型,行业,区域,住所,法定代表人,联系电话,风险等级,最近检查日期\n"


def _csv(rows: int, *, bad_row: int | None = None) -> str:
    from fazhi.inspections.tests.factories import bad_check_digit, credit_code

    base = random.randrange(10_000_000, 90_000_000)  # codes no earlier run or demo object uses
    lines = []
    for n in range(1, rows + 1):
        code = credit_code(base + n, prefix="91500199")
        if n == bad_row:
            code = bad_check_digit(code)
        lines.append(f"浏览器导入测试企业{base + n},{code},有限责任公司,餐饮,龙凤镇,人民路{n}号,张三,13800000000,中,\n")
    return HEADER + "".join(lines)


def _upload(page, text: str, name: str):
    path = tmpdir() / name
    path.write_text(text, encoding="utf-8")
    page.goto("/inspections/entities/import/")
    page.set_input_files('input[type="file"]', str(path))
    page.locator("button", has_text="上传并导入").click()
    page.wait_for_url("**/inspections/entities/import/*/")
    assert "正在导入" in page.locator("body").inner_text()


def test_an_upload_is_imported_at_once_and_the_page_shows_the_result(as_user):
    page = as_user("shichang_clerk")
    _upload(page, _csv(3), "objects.csv")
    page.locator(".ins-result.ok").wait_for(timeout=60_000)  # the page polls, then reloads when done
    assert "导入成功 3 条" in page.locator(".ins-result.ok").inner_text()
    shot(page, "inspections-import-done")
    page.goto("/inspections/entities/?q=浏览器导入测试企业")
    assert page.locator("table.grid tbody tr").count() >= 3


def test_a_file_with_an_error_imports_nothing_and_says_where(as_user):
    page = as_user("shichang_clerk")
    _upload(page, _csv(3, bad_row=2), "objects-bad.csv")
    page.locator(".ins-result.bad").wait_for(timeout=60_000)
    result = page.locator(".ins-result.bad").inner_text()
    assert "未导入任何数据" in result and "1 处错误" in result, result
    assert "统一社会信用代码" in page.locator("body").inner_text()
    shot(page, "inspections-import-errors")
