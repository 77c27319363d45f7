"""双随机、一公开 in a real browser, as the demo roles (issue 13 §1–§2).

The 区农业农村局 clerk draws up an annual plan with one task (published
items, 农资经营 in 龙凤镇, 3 objects, teams of 2); the head finds the plan in
我的待办 and approves it (RAND-09); the clerk registers a witness, who
commits a secret, and freezes the pools and parameters; the head finds the
draw in 我的待办, the witness reveals, the server seed is revealed and the
objects and teams are drawn (RAND-05); the clerk publishes the draw, finds
the drawn objects in 我的待办 and records each result; the head, not the
recorder (SYS-01), finds them in 我的待办 and publishes them
(RAND-07). The public sees the draw and the results on the portal, an
individual business's operator masked; the bundle downloaded from the
portal is verified with the reference draw.py from 如何验证 (no database).
Every page on the way is watched (conftest).
"""

import importlib.util
import io
import re
import sys
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from fazhi.e2e.conftest import shot, tmpdir

pytestmark = pytest.mark.browser

PLAN = "2026年度农资经营专项双随机抽查计划（浏览器验收）"
TASK = "龙凤镇农资经营户抽查（浏览器验收）"
SECRET = "48213597-纪检监察组-0612"
WITNESS = "周丽萍"


def _ok(page, text: str):
    page.wait_for_load_state()
    errors = page.locator(".msg-error")
    assert errors.count() == 0, f"出现错误：{errors.all_inner_texts()}"
    assert text in page.locator("main").inner_text(), f"未看到“{text}”：{page.locator('main').inner_text()[:800]}"


def _todo(page, text: str):
    """我的待办 on the home page lists ``text``; follow its link."""
    page.goto("/")
    link = page.locator("a", has_text=text).first
    assert link.count() == 1, f"我的待办中没有“{text}”：{page.locator('main').inner_text()[:1500]}"
    with page.expect_navigation():
        link.click()


def _submit(page, button):
    with page.expect_navigation():
        button.click()
    page.wait_for_load_state()


def _check(form, label: str):
    form.locator("label", has_text=label).locator("input").first.check()


def test_plan_to_draw_to_published_results(as_user, open_page):
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()

    # ----------------------------------------------- 计划 and 任务 (clerk)
    clerk = as_user("nongye_clerk")
    clerk.on("dialog", lambda d: d.accept())
    clerk.goto("/inspections/plans/new/")
    form = clerk.locator("main form")
    form.locator("[name=unit]").select_option(label=form.locator("[name=unit] option", has_text="示范区农业农村局")
                                              .first.inner_text())
    form.locator("[name=year]").fill("2026")
    form.locator("[name=title]").fill(PLAN)
    form.locator("[name=kind]").select_option("annual")
    form.locator("[name=description]").fill("对龙凤镇农资经营户开展农药、种子经营专项抽查。")
    _submit(clerk, form.locator("button.btn-primary"))
    _ok(clerk, PLAN)
    plan_url = clerk.url
    assert re.search(r"/inspections/plans/\d+/$", plan_url), plan_url

    _submit(clerk, clerk.locator("a", has_text="添加抽查任务"))
    form = clerk.locator("main form")
    form.locator("[name=title]").fill(TASK)
    _check(form, "NY-001")
    _check(form, "NY-002")
    form.locator("[name=industries]").fill("农资经营")
    form.locator("[name=regions]").fill("龙凤镇")
    form.locator("input[name=size_mode][value=size]").check()
    form.locator("[name=sample_size]").fill("3")
    form.locator("[name=team_size]").fill("2")
    form.locator("[name=planned_start]").fill(f"{today.year}-12-01")
    form.locator("[name=planned_end]").fill(f"{today.year}-12-31")
    form.locator("button", has_text="按当前设置计算").click()
    clerk.wait_for_selector("#pool-preview table, #pool-preview .msg")
    shot(clerk, "ins-01-task-preview")
    _submit(clerk, form.locator("button.btn-primary", has_text="保存"))
    _ok(clerk, TASK)
    task_url = re.sub(r"[?#].*$", "", clerk.url)

    # ----------------------------------- 批准 (head, from 我的待办; RAND-09)
    head = as_user("nongye_head")
    head.on("dialog", lambda d: d.accept())
    _todo(head, f"抽查计划待批准：{PLAN}")
    assert head.url == plan_url, head.url
    _submit(head, head.locator("button", has_text="批准计划"))
    _ok(head, "已批准")
    shot(head, "ins-02-plan-approved")

    # ------------------- 监督人 and 冻结 (clerk; the witness commits a secret)
    clerk.goto(task_url)
    _submit(clerk, clerk.locator("main a[href$='/draw/']").first)
    draw_url = clerk.url
    form = clerk.locator("form[action$='/draw/witnesses/add/']")
    form.locator("[name=witness-name]").fill(WITNESS)
    form.locator("[name=witness-capacity]").fill("区纪委监委派驻纪检监察组")
    form.locator("[name=witness-kind]").select_option("secret")
    _submit(clerk, form.locator("button"))
    _ok(clerk, WITNESS)
    form = clerk.locator("form[action*='/commit/']").filter(has=clerk.locator("input[type=password]"))
    form.locator("input[type=password]").fill(SECRET)
    _submit(clerk, form.locator("button"))
    assert clerk.locator(".msg-error").count() == 0, clerk.locator(".msg-error").all_inner_texts()
    _submit(clerk, clerk.locator("button", has_text="冻结名录和参数并生成承诺"))
    _ok(clerk, "总承诺值")
    commitment = clerk.locator("dt", has_text="总承诺值").locator("xpath=following-sibling::dd[1]//strong").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", commitment.strip()), commitment
    shot(clerk, "ins-03-frozen")

    # ------------- 揭示 (head, from 我的待办; the witness reveals on the spot)
    _todo(head, f"随机抽取待揭示种子：{TASK}")
    assert head.url == draw_url, head.url
    form = head.locator("form[action*='/reveal/']").filter(has=head.locator("input[name$='-value']"))
    form.locator("input[name$='-value']").fill(SECRET)
    _submit(head, form.locator("button"))
    assert head.locator(".msg-error").count() == 0, head.locator(".msg-error").all_inner_texts()
    _submit(head, head.locator("button", has_text="揭示服务器种子并抽取"))
    _ok(head, "抽中对象及检查组")
    rows = head.locator(".card", has=head.locator("h2", has_text="抽中对象及检查组")).locator("tbody tr")
    assert rows.count() == 3, rows.all_inner_texts()
    for text in rows.all_inner_texts():
        assert len(re.findall(r"（\d{14}）", text)) == 2, f"检查组应为2人：{text}"
    drawn = [r.locator("td").nth(1).inner_text().strip() for r in rows.all()]
    shot(head, "ins-04-drawn")

    # ------------------------------------------------ 公开抽取结果 (clerk)
    clerk.goto(draw_url)
    _submit(clerk, clerk.locator("button", has_text="在门户网站公开抽取结果"))
    _ok(clerk, "已公开")

    # ------------------ 录入结果 (clerk, from 我的待办) and 公示 (RAND-07)
    _todo(clerk, f"抽查结果待录入：{TASK}（3户）")
    results_url = clerk.url
    assert "status=pending" in results_url, results_url
    operators, result_urls = {}, []
    for n, name in enumerate(drawn):
        clerk.goto(results_url)
        _submit(clerk, clerk.locator("table.grid a", has_text=name).first)
        result_url = clerk.url
        # the operator of an individual business, as the staff see it
        entity = clerk.locator("dt", has_text="检查对象").locator("xpath=following-sibling::dd[1]/a")
        entity_href = entity.get_attribute("href")
        form = clerk.locator("form[action$='/do/record/']")
        form.locator("select[name='record-result']").select_option(
            label="未发现问题" if n else "发现问题已责令改正")
        form.locator("[name='record-inspected_on']").fill(today.isoformat())
        form.locator("[name='record-findings']").fill(
            "经营台账齐全，未发现违规经营行为。" if n else "农药经营台账记录不全，已当场责令限期改正。")
        _submit(clerk, form.locator("button"))
        _ok(clerk, "公示期限")
        if n == 0:
            shot(clerk, "ins-05-recorded")
        clerk.goto(entity_href)
        kv = clerk.locator("dl.kv").first.inner_text()
        if "个体工商户" in kv:
            m = re.search(r"法定代表人\s+(\S+)", kv)
            phone = re.search(r"1\d{10}", kv)
            code = re.search(r"统一社会信用代码\s+(\S+)", kv)
            assert m and code, kv
            operators[name] = (m[1], phone[0] if phone else m[1], code[1])
        result_urls.append(result_url)

    # ------------- 公示 (the head, from 我的待办: not the clerk who recorded them, SYS-01)
    _todo(head, f"抽查结果待公示：{TASK}")
    for url in result_urls:
        head.goto(url)
        box = head.locator("details", has=head.locator("summary", has_text="公示"))
        if box.get_attribute("open") is None:
            box.locator("summary").click()
        _submit(head, box.locator("form button"))
        _ok(head, "已公示")
    shot(head, "ins-06-published")

    # ---------------------------------------------------------- the public
    public = open_page(viewport={"width": 390, "height": 844})
    public.goto("/portal/inspections/results/?q=")
    body = public.locator("main").inner_text()
    shot(public, "ins-07-portal-results")
    for name, (operator, phone, code) in operators.items():
        # Its own row: another (incorporated) business on the page may have a
        # legal representative of the same name, and that name is public.
        row = public.locator("table.grid tbody tr", has_text=code)
        assert row.count() == 1, f"{name}（{code}）的检查结果不在门户网站第一页"
        text = row.inner_text()
        assert operator not in text and phone not in text, f"个体工商户经营者“{operator}”的信息出现在门户网站"
        if operator in name:  # the shop is named after its operator: the given name is masked
            assert name.replace(operator[1:], "*" * len(operator[1:])) in text, name
    assert "农药经营台账记录不全" in body
    public.goto("/portal/inspections/draws/")
    _submit(public, public.locator("a", has_text=TASK).first)
    draw_page = public.locator("main").inner_text()
    assert commitment.strip() in draw_page
    for operator, phone, _code in operators.values():
        assert operator not in draw_page and phone not in draw_page
    shot(public, "ins-08-portal-draw")

    # ----------------------- 如何验证: the reference draw.py on the bundle
    bundle_href = public.locator("a[href$='bundle.zip']").first.get_attribute("href")
    bundle = public.request.get(bundle_href)
    assert bundle.status == 200
    public.goto("/portal/inspections/verify/")
    _ok(public, "如何验证随机抽取结果")
    script = public.request.get(public.locator("a", has_text="draw.py").first.get_attribute("href"))
    assert script.status == 200
    work = tmpdir()
    (work / "draw.py").write_bytes(script.body())
    zipfile.ZipFile(io.BytesIO(bundle.body())).extractall(work / "bundle")
    folders = [p.parent for p in (work / "bundle").rglob("receipt.json")]
    assert len(folders) == 1, folders
    spec = importlib.util.spec_from_file_location("draw_reference", work / "draw.py")
    draw = importlib.util.module_from_spec(spec)
    sys.modules["draw_reference"] = draw
    spec.loader.exec_module(draw)
    assert draw.verify_folder(str(folders[0]), commitment.strip()) is None
    assert draw.verify_folder(str(folders[0]), "0" * 64) is not None  # a wrong commitment is caught
