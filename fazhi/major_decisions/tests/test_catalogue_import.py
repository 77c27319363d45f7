"""导入目录 (issue 13 §2): a published catalogue notice (.docx / .xlsx / .txt)
read into rows, units matched against the district's units, the rows saved
to a draft catalogue all or none (MDEC-02), through an upload → preview →
confirm page where flagged rows are corrected before anything is saved."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import PermissionDenied, TransitionRefused, ValidationError
from fazhi.major_decisions import services
from fazhi.major_decisions.catalogue_import import parse_catalogue, parse_deadline
from fazhi.major_decisions.models import CatalogueEntry, Category
from fazhi.major_decisions.tests.test_views import body, client_for
from fazhi.org.matching import match_unit_names

# ------------------------------------------------------------------ samples

HEADER = ["序号", "决策事项", "承办单位", "完成时限", "备注"]
ROWS = [
    ["1", "示范区老旧小区改造专项规划（2027—2030年）", "区住建局（牵头），区市场监管局", "2027年6月底前", ""],
    ["2", "城区农贸市场管理办法", "示范区市场监督管理局", "2027年三季度", "修订"],
    ["3", "停车收费管理办法", "区发改局、区财政局", "长期坚持", ""],
]


def docx_bytes(header=HEADER, rows=ROWS, *, section: str = "") -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph("示范区人民政府办公室关于印发示范区2027年度重大行政决策事项目录的通知")
    d.add_paragraph("各镇人民政府，区政府各部门：现将目录印发给你们，请认真组织实施。")
    t = d.add_table(rows=1, cols=len(header))
    for cell, text in zip(t.rows[0].cells, header, strict=True):
        cell.text = text
    if section:
        cells = t.add_row().cells
        merged = cells[0].merge(cells[-1])
        merged.text = section
    for r in rows:
        for cell, text in zip(t.add_row().cells, r, strict=True):
            cell.text = text
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["示范区2027年度重大行政决策事项目录"])  # a title row above the header
    ws.append(["序号", "事项名称", "事项类别", "牵头单位", "责任单位", "计划完成时间"])
    ws.append([1, "全区综合交通专项规划", "重要规划", "区住建局", "区市场监管局、区司法局", date(2027, 9, 30)])
    ws.append([2, "公共停车场建设项目", "重大公共建设项目", "区住房和城乡建设局", "", "2027.10"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


TXT_TABLE = """示范区人民政府办公室关于印发2027年度重大行政决策事项目录的通知

序号\t决策事项\t承办单位\t完成时限
1\t城区停车收费管理办法\t区市场监管局\t2027-09-30
2  养老服务设施布局专项规划    区住建局、区司法局    年底前
示范区人民政府办公室        2027年2月1日
"""

TXT_NOTICE = """关于印发示范区2027年度重大行政决策事项目录的通知
各镇人民政府，区政府各部门：
  经区委同意，现将目录公布如下。
一、重大公共政策和措施
1．制定《示范区城区停车收费管理办法》（承办单位：区市场监管局；完成时限：2027年10月）
2．示范区养老服务补贴实施办法
承办单位：区住建局（牵头）、区司法局
完成时限：上半年
二、重要规划
3．示范区综合交通专项规划（牵头单位：区住建局；责任单位：区市场监管局；完成时限：第四季度）
"""


# ------------------------------------------------------------------ parser

@pytest.mark.parametrize("text,expected", [
    ("2027年6月底前", date(2027, 6, 30)), ("2027年三季度", date(2027, 9, 30)), ("年底前", date(2027, 12, 31)),
    ("2027.10", date(2027, 10, 31)), ("2027-09-30", date(2027, 9, 30)), ("6月底前", date(2027, 6, 30)),
    ("第一季度", date(2027, 3, 31)), ("上半年", date(2027, 6, 30)), ("2027年9月15日前", date(2027, 9, 15)),
    ("2028年", date(2028, 12, 31)), ("2027年2月", date(2027, 2, 28)),
])
def test_it_reads_each_form_of_deadline_within_the_catalogue_year(text, expected):
    assert parse_deadline(text, 2027) == expected


@pytest.mark.parametrize("text", ["长期坚持", "持续推进", "2027年13月", "2027-02-30"])
def test_it_does_not_guess_an_unreadable_deadline(text):
    assert parse_deadline(text, 2027) is None


def test_it_reads_the_word_table_of_a_notice():
    parsed = parse_catalogue(docx_bytes(), "通知.docx", year=2027)
    assert parsed.kind == "docx"
    assert [r.title for r in parsed.rows] == [r[1] for r in ROWS]
    first, second, third = parsed.rows
    assert (first.lead, first.partners, first.deadline) == ("区住建局", ["区市场监管局"], date(2027, 6, 30))
    assert (second.lead, second.note, second.deadline) == ("示范区市场监督管理局", "修订", date(2027, 9, 30))
    assert (third.lead, third.partners) == ("区发改局", ["区财政局"])
    assert first.line == "表格第2行" and not first.problems
    assert third.problems == ["无法识别完成时限“长期坚持”，请填写日期"]


def test_a_merged_section_row_gives_the_category_of_the_rows_below():
    parsed = parse_catalogue(docx_bytes(section="二、重要规划"), "通知.docx", year=2027)
    assert len(parsed.rows) == 3 and {r.category for r in parsed.rows} == {Category.PLAN}


def test_it_reads_a_sheet_with_a_title_row_and_lead_and_responsible_columns():
    parsed = parse_catalogue(xlsx_bytes(), "目录.xlsx", year=2027)
    assert parsed.kind == "xlsx" and not parsed.problems
    one, two = parsed.rows
    assert (one.title, one.category, one.lead, one.partners, one.deadline) == (
        "全区综合交通专项规划", Category.PLAN, "区住建局", ["区市场监管局", "区司法局"], date(2027, 9, 30))
    assert (two.category, two.deadline, two.line) == (Category.PROJECT, date(2027, 10, 31), "第4行")


def test_it_reads_a_text_table_split_by_tabs_or_spaces_in_gb18030():
    parsed = parse_catalogue(TXT_TABLE.encode("gb18030"), "目录.txt", year=2027)
    assert [(r.line, r.title, r.lead, r.partners, r.deadline) for r in parsed.rows] == [
        ("第4行", "城区停车收费管理办法", "区市场监管局", [], date(2027, 9, 30)),
        ("第5行", "养老服务设施布局专项规划", "区住建局", ["区司法局"], date(2027, 12, 31)),
    ]


def test_it_reads_the_numbered_matters_of_a_notice_text():
    parsed = parse_catalogue(TXT_NOTICE.encode(), "通知.txt", year=2027)
    assert [(r.title, r.lead, r.partners, r.deadline, r.category) for r in parsed.rows] == [
        ("制定《示范区城区停车收费管理办法》", "区市场监管局", [], date(2027, 10, 31), Category.PUBLIC_POLICY),
        ("示范区养老服务补贴实施办法", "区住建局", ["区司法局"], date(2027, 6, 30), Category.PUBLIC_POLICY),
        ("示范区综合交通专项规划", "区住建局", ["区市场监管局"], date(2027, 12, 31), Category.PLAN),
    ]


def test_a_row_without_unit_or_title_has_its_problem_named():
    rows = [["1", "城区停车收费管理办法", "", "2027年6月", ""], ["2", "", "区住建局", "年底前", ""]]
    parsed = parse_catalogue(docx_bytes(rows=rows), "a.docx", year=2027)
    assert [r.problems for r in parsed.rows] == [["缺少承办单位"], ["缺少决策事项名称"]]


def test_a_file_without_a_catalogue_reads_no_rows_and_says_so():
    parsed = parse_catalogue("这是一份普通的通知，没有目录。".encode(), "a.txt", year=2027)
    assert parsed.rows == [] and "没有读到决策事项" in parsed.problems[0]


@pytest.mark.parametrize("data", [b"%PDF-1.4 ...", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100])
def test_it_refuses_pdf_and_old_office_files(data):
    with pytest.raises(ValidationError):
        parse_catalogue(data, "a.doc", year=2027)


# ------------------------------------------------------------------ units

def test_units_match_by_full_short_and_usual_short_forms(md):
    found, unresolved = match_unit_names(
        ["区住建局", "示范区住房和城乡建设局", "县市场监督管理局", "市场监管局", "区发改局"], [md.a, md.b, md.s])
    assert found == {"区住建局": md.a, "示范区住房和城乡建设局": md.a, "县市场监督管理局": md.b, "市场监管局": md.b}
    assert unresolved == {"区发改局": []}


def test_a_name_that_fits_two_units_is_not_guessed(md):
    from fazhi.org.tests.factories import UnitFactory

    other = UnitFactory(name="另区住房和城乡建设局", short_name="住建局", parent=md.gov)
    found, unresolved = match_unit_names(["住建局"], [md.a, other])
    assert found == {} and set(unresolved["住建局"]) == {md.a, other}


# ------------------------------------------------------------------ service

@pytest.fixture
def draft(md):
    return services.create_catalogue(md.gov, by=None, year=2027)


def row(md, **kw):
    return {"title": "城区停车收费管理办法", "category": Category.PUBLIC_POLICY, "sponsor_unit": md.b,
            "planned_completion": date(2027, 9, 30), **kw}


def test_the_import_adds_every_row_audited_with_partners_in_the_description(md, draft):
    entries = services.import_catalogue_entries(draft, by=md.u.clerk_gov, source_name="通知.docx", rows=[
        row(md), row(md, title="老旧小区改造规划", category=Category.PLAN, sponsor_unit=md.a,
                     partner_units=[md.b, md.s], description="修订")])
    assert [(e.seq, e.title, e.sponsor_unit) for e in entries] == [(1, "城区停车收费管理办法", md.b),
                                                                    (2, "老旧小区改造规划", md.a)]
    assert entries[1].description == "配合单位：示范区市场监督管理局、示范区司法局\n修订"
    assert entries[0].needs_participation  # the legal default (MDEC-04)
    added = AuditEntry.objects.filter(action="major_decisions.entry.added", object_id__in=[e.pk for e in entries])
    assert added.count() == 2 and all(a.data["imported"] for a in added)
    summary = AuditEntry.objects.get(action="major_decisions.catalogue.entries_imported")
    assert summary.data["count"] == 2 and summary.data["source"] == "通知.docx"


def test_one_bad_row_saves_nothing_and_names_the_row(md, draft):
    with pytest.raises(ValidationError) as exc:
        services.import_catalogue_entries(draft, by=md.u.clerk_gov, rows=[
            row(md, line="表格第2行"), row(md, line="表格第3行", title="", sponsor_unit=md.a)])
    assert "表格第3行" in exc.value.fields and "未保存任何事项" in exc.value.message
    assert not draft.entries.exists()
    assert not AuditEntry.objects.filter(action__startswith="major_decisions.entry").filter(
        data__catalogue=draft.pk).exists()


def test_a_title_twice_in_the_file_is_refused(md, draft):
    with pytest.raises(ValidationError, match="目录中已有事项"):
        services.import_catalogue_entries(draft, by=md.u.clerk_gov, rows=[row(md), row(md)])
    assert not draft.entries.exists()


def test_a_sponsor_outside_the_government_is_refused(md, draft):
    from fazhi.org.tests.factories import UnitFactory

    stranger = UnitFactory(name="邻区住房和城乡建设局")
    with pytest.raises(ValidationError, match="不是示范区人民政府或其所属单位"):
        services.import_catalogue_entries(draft, by=md.u.clerk_gov, rows=[row(md, sponsor_unit=stranger)])


@pytest.mark.django_db(transaction=True)
def test_the_audit_entries_roll_back_with_a_failing_save(md, draft, monkeypatch):
    """The audit entry is written in the same transaction: a failure after
    the first entry leaves neither entry nor audit behind."""
    calls = {"n": 0}
    real = services._new_entry

    def failing(catalogue, fields):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(catalogue, fields)

    monkeypatch.setattr(services, "_new_entry", failing)
    with pytest.raises(RuntimeError):
        services.import_catalogue_entries(draft, by=md.u.clerk_gov, rows=[row(md), row(md, title="另一事项")])
    assert not CatalogueEntry.objects.filter(catalogue=draft).exists()
    assert not AuditEntry.objects.filter(action="major_decisions.entry.added", data__catalogue=draft.pk).exists()


def test_an_approved_catalogue_refuses_the_import_citing_mdec_02(md):
    with pytest.raises(TransitionRefused) as exc:
        services.import_catalogue_entries(md.cat, by=md.u.clerk_gov, rows=[row(md)])
    assert exc.value.rule == "MDEC-02"


def test_a_clerk_of_another_unit_may_not_import(md, draft):
    with pytest.raises(PermissionDenied):
        services.import_catalogue_entries(draft, by=md.u.clerk_b, rows=[row(md)])
    assert not draft.entries.exists()


# ------------------------------------------------------------------ pages

def import_url(cat) -> str:
    return reverse("major_decisions:catalogue_import", args=[cat.pk])


def confirm_url(cat) -> str:
    return reverse("major_decisions:catalogue_import_confirm", args=[cat.pk])


def upload(c, cat, data=None, name="通知.docx", category=Category.OTHER):
    f = SimpleUploadedFile(name, docx_bytes() if data is None else data)
    return c.post(import_url(cat), {"file": f, "category": category})


def corrected(response) -> dict:
    """The preview's fields as the browser would send them back."""
    rows = response.context["rows"]
    data = {}
    for r in rows:
        for name in r.form.fields:
            value = r.form[name].value()
            if name == "skip":
                if value:
                    data[f"r{r.index}-skip"] = "on"
                continue
            data[f"r{r.index}-{name}"] = "" if value is None else str(value)
    return data


def test_the_draft_catalogue_page_offers_the_import_to_the_office(md, draft):
    page = body(client_for(md.u.clerk_gov).get(reverse("major_decisions:catalogue_detail", args=[draft.pk])))
    assert import_url(draft) in page
    published = body(client_for(md.u.clerk_gov).get(reverse("major_decisions:catalogue_detail", args=[md.cat.pk])))
    assert import_url(md.cat) not in published


def test_the_preview_reports_every_row_and_its_problems_and_saves_nothing(md, draft):
    response = upload(client_for(md.u.clerk_gov), draft)
    page = body(response)
    assert response.status_code == 200
    assert page.count('class="overdue has-problem"') == 1  # the third row only
    assert "表格第4行" in page and "承办单位“区发改局”不是本级政府或其所属单位的名称，请选择" in page
    assert "配合单位“区财政局”找不到，请改正或删去" in page and "无法识别完成时限“长期坚持”，请填写日期" in page
    assert not draft.entries.exists()


def test_confirm_with_a_problem_left_saves_nothing(md, draft):
    c = client_for(md.u.clerk_gov)
    data = corrected(upload(c, draft))
    response = c.post(confirm_url(draft), {**data, "action": "save"})
    assert response.status_code == 400 and "仍有1行存在问题，未保存任何事项" in body(response)
    assert not draft.entries.exists()


def test_a_corrected_row_is_saved_with_every_other_row(md, draft):
    c = client_for(md.u.clerk_gov)
    data = corrected(upload(c, draft))
    data.update({"r2-sponsor_unit": str(md.a.pk), "r2-partners": "", "r2-planned_completion": "2027-12-31",
                 "r2-category": Category.PUBLIC_POLICY})
    checked = c.post(confirm_url(draft), {**data, "action": "check"})
    assert checked.status_code == 200 and "各行均无问题" in body(checked) and not draft.entries.exists()
    response = c.post(confirm_url(draft), {**data, "action": "save"})
    assert response.status_code == 302
    entries = list(draft.entries.order_by("seq"))
    assert [(e.title, e.sponsor_unit, e.planned_completion) for e in entries] == [
        (ROWS[0][1], md.a, date(2027, 6, 30)), (ROWS[1][1], md.b, date(2027, 9, 30)),
        (ROWS[2][1], md.a, date(2027, 12, 31))]
    assert entries[0].description == "配合单位：示范区市场监督管理局" and entries[1].description == "修订"
    assert entries[2].category == Category.PUBLIC_POLICY and entries[0].category == Category.OTHER


def test_a_flagged_row_may_be_left_out(md, draft):
    c = client_for(md.u.clerk_gov)
    data = corrected(upload(c, draft))
    response = c.post(confirm_url(draft), {**data, "r2-skip": "on", "action": "save"})
    assert response.status_code == 302 and draft.entries.count() == 2


def test_an_unreadable_upload_is_refused_in_chinese(md, draft):
    response = upload(client_for(md.u.clerk_gov), draft, b"%PDF-1.4 x", name="目录.pdf")
    assert response.status_code == 400 and "只接受 .docx、.xlsx 或 .txt 文件" in body(response)


def test_confirm_without_a_preview_sends_back_to_upload(md, draft):
    response = client_for(md.u.clerk_gov).post(confirm_url(draft), {"action": "save"})
    assert response.status_code == 302 and response.url == import_url(draft)


def test_the_sponsor_clerk_gets_403_and_another_unit_404(md, draft):
    services.add_entry(draft, by=None, title="已有事项", category=Category.PLAN, sponsor_unit=md.a)
    assert client_for(md.u.clerk_a).get(import_url(draft)).status_code == 403  # sees it, may not compile
    assert client_for(md.u.clerk_b).get(import_url(draft)).status_code == 404
    assert client_for(md.u.clerk_b).post(confirm_url(draft), {"action": "save"}).status_code == 404


def test_a_published_catalogue_sends_back_with_the_rule(md):
    response = client_for(md.u.clerk_gov).get(import_url(md.cat), follow=True)
    assert "MDEC-02" in body(response)


def test_the_import_page_refuses_other_methods(md, draft):
    assert client_for(md.u.clerk_gov).put(import_url(draft)).status_code == 405
    assert client_for(md.u.clerk_gov).get(confirm_url(draft)).status_code == 405



def test_an_entity_expansion_sheet_is_refused_before_openpyxl_reads_it():
    from fazhi.core.testing import xlsx_laughs

    with pytest.raises(ValidationError, match="DOCTYPE"):
        parse_catalogue(xlsx_laughs(), "目录.xlsx", year=2027)


def test_a_docx_bomb_is_refused_before_python_docx_reads_it(settings):
    from fazhi.core.testing import docx_bomb

    settings.UPLOAD_UNZIPPED_MAX_MB = 5
    buf = io.BytesIO()
    docx_bomb(buf, 8 * 1024 * 1024)
    with pytest.raises(ValidationError, match="压缩"):
        parse_catalogue(buf.getvalue(), "通知.docx", year=2027)
