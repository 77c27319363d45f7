"""Staff pages of the annual report. Every change goes through ``services``.

A report outside what the user may see is a 404; a visible report the user
may not change is a 403. A refusal by the law (a placeholder left, a
recipient missing, the wrong state) is shown on the page with its rule, and
nothing is changed.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.annual_report import documents, rendering, selectors, services
from fazhi.annual_report import forms as f
from fazhi.annual_report.models import Section
from fazhi.annual_report.permissions import ACTION_PERMISSION, DRAFT, VIEW
from fazhi.core.errors import DomainError, NotFound, ValidationError
from fazhi.core.http import attachment, domain_errors
from fazhi.core.tables import Column, DueColumn, Table
from fazhi.org import access
from fazhi.org.access import require_page
from fazhi.workdays.calendar import Calendar


def _today():
    return timezone.localdate()


def _years(today):
    return range(today.year, today.year - 10, -1)


def _unit_choices(user, permission):
    units = selectors.reporting_units(user, permission).order_by("path")
    return [(u.pk, u.name) for u in units]


def _deadline_text(r, today, calendar):
    parts = []
    for d in selectors.deadlines(r, today, calendar=calendar):
        state = {"done": f"已{d.label}（{d.done_on}）", "overdue": "已逾期", "due_soon": "即将到期", "todo": ""}[d.kind]
        parts.append(f"{d.label} {d.due}{'　' + state if state else ''}")
    return "；".join(parts)


def report_table(today, cal: Calendar) -> Table:
    """Built per request: the deadline columns share one working-day calendar."""
    return Table("法治政府建设年度报告", [
        Column("年度", "year", sort="year"),
        Column("报告单位", "unit.name", sort="unit__path"),
        Column("标题", "title", link=lambda r: reverse("annual_report:detail", args=[r.pk])),
        Column("状态", lambda r: r.get_status_display(), sort="status"),
        DueColumn("报送期限", "submit_due", sort="submit_due", done=lambda r: bool(r.submitted_on)),  # issue 13 §2
        Column("报送日期", "submitted_on", sort="submitted_on"),
        DueColumn("公开期限", "publish_due", sort="publish_due", done=lambda r: bool(r.published_on)),
        Column("公开日期", "published_on", sort="published_on"),
        Column("期限情况", lambda r: _deadline_text(r, today, cal)),
        Column("最近生成", lambda r: timezone.localtime(r.generated_at).strftime("%Y-%m-%d %H:%M"),
               sort="generated_at"),
    ], default_sort="-year")


@require_GET
def report_list(request):
    user = request.user
    require_page(user, VIEW)
    today = _today()
    form = f.ReportFilterForm(request.GET or None, years=_years(today),
                              unit_choices=_unit_choices(user, VIEW))
    d = form.cleaned_data if form.is_valid() else {}
    qs = selectors.report_list(user, year=d.get("year"), unit=d.get("unit"), status=d.get("status", ""),
                               overdue=bool(d.get("overdue")), today=today)
    cal = Calendar(years=[today.year, today.year + 1])
    return report_table(today, cal).respond(request, qs, "annual_report/report_list.html", {
        "filters": form, "can_draft": access.allowed(user, DRAFT), "today": today, "calendar": cal,
    })


@require_http_methods(["GET", "POST"])
@domain_errors
def report_generate(request):
    user = request.user
    require_page(user, DRAFT)
    today = _today()
    form = f.GenerateForm(request.POST or None, years=_years(today), unit_choices=_unit_choices(user, DRAFT),
                          initial={"year": today.year - 1})
    if request.method == "POST" and form.is_valid():
        unit = selectors.reporting_units(user, DRAFT).filter(pk=form.cleaned_data["unit"]).first()
        if unit is None:
            raise HttpForbidden("您没有起草该单位报告的权限")
        try:
            report = services.generate_report(unit, form.cleaned_data["year"], by=user, today=today)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已根据平台记录生成报告草稿，请补充“【待补充】”部分并核对数据。")
            return redirect("annual_report:detail", pk=report.pk)
    return render(request, "annual_report/report_generate.html", {"form": form})


def _editor_context(user, report, today):
    sections = list(report.sections.all())
    figures = list(report.figures.all())
    by_key = {x.key: x for x in figures}
    facts = services.workflow_facts(report, sections)
    rows = []
    for s in sections:
        rows.append({
            "section": s,
            "generated_html": rendering.resolve_html(s.generated_text, by_key),
            "text_html": rendering.resolve_html(s.text, by_key),
            "form": f.SectionForm(initial={"text": s.text}, prefix=s.key),
            "figures": [x for x in figures if x.section_key == s.key],
        })
    return {
        "report": report, "rows": rows, "figures": figures,
        "deadlines": selectors.deadlines(report, today, calendar=Calendar(years=[today.year, today.year + 1])),
        "actions": selectors.actions(user, report, facts),
        "placeholders": facts["placeholders"],
        "can_edit": report.status == "draft" and access.allowed(user, DRAFT, report.unit),
        "recipients": list(report.recipients.all()),
        "submit_form": f.SubmitForm(unit=report.unit, initial={"submitted_on": today}),
        "publish_form": f.PublishForm(initial={"published_on": today}),
        "review_form": f.ReviewForm(), "return_form": f.ReturnForm(),
    }


@require_GET
@domain_errors
def report_detail(request, pk: int):
    report = selectors.get_report(request.user, pk)
    return render(request, "annual_report/report_detail.html", _editor_context(request.user, report, _today()))


@require_POST
@domain_errors
def section_edit(request, pk: int, key: str):
    user = request.user
    report = selectors.get_report(user, pk)
    section = Section.objects.filter(report=report, key=key).first()
    if section is None:
        raise NotFound()
    if not access.allowed(user, DRAFT, report.unit):
        raise HttpForbidden("您没有修改该报告的权限")
    form = f.SectionForm(request.POST, prefix=key)
    form.is_valid()
    text = "" if request.POST.get("restore") else form.cleaned_data.get("text", "")
    try:
        services.edit_section(section, by=user, text=text)
    except DomainError as exc:
        messages.error(request, format_html("{}：{}", section.heading or "导语", exc))
    else:
        messages.success(request, f"已保存：{section.heading or '导语'}")
    return redirect(reverse("annual_report:detail", args=[pk]) + f"#s-{key}")


@require_POST
@domain_errors
def report_regenerate(request, pk: int):
    user = request.user
    report = selectors.get_report(user, pk)
    if not access.allowed(user, DRAFT, report.unit):
        raise HttpForbidden("您没有起草该报告的权限")
    try:
        services.generate_report(report.unit, report.year, by=user, today=_today())
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已按最新记录重新生成：数据项已刷新，人工修改的内容已保留。")
    return redirect("annual_report:detail", pk=pk)


@require_POST
@domain_errors
def report_action(request, pk: int, action: str):
    user = request.user
    report = selectors.get_report(user, pk)
    if action not in ACTION_PERMISSION:
        raise NotFound()
    if not access.allowed(user, ACTION_PERMISSION[action], report.unit):
        raise HttpForbidden("您没有执行此操作的权限")
    today = _today()
    try:
        if action == "review":
            form = f.ReviewForm(request.POST)
            form.is_valid()
            services.review(report, by=user, today=today, note=form.cleaned_data.get("note", ""))
        elif action == "return":
            services.return_for_changes(report, by=user, reason=request.POST.get("reason", ""), today=today)
        elif action == "submit":
            form = f.SubmitForm(request.POST, unit=report.unit)
            if not form.is_valid():
                raise ValidationError("报送信息有误：" + "；".join(
                    f"{form.fields[k].label if k in form.fields else ''}{' '.join(v)}" for k, v in form.errors.items()))
            services.submit(report, by=user, submitted_on=form.cleaned_data["submitted_on"], today=today,
                            recipients=form.recipients(), late_reason=form.cleaned_data.get("late_reason", ""))
        elif action == "publish":
            form = f.PublishForm(request.POST)
            if not form.is_valid():
                raise ValidationError("请填写有效的公开日期")
            services.publish(report, by=user, published_on=form.cleaned_data["published_on"], today=today,
                             late_reason=form.cleaned_data.get("late_reason", ""))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, {"review": "已审核通过", "return": "已退回修改", "submit": "已登记报送",
                                   "publish": "已在门户网站公开"}[action])
    return redirect("annual_report:detail", pk=pk)


@require_GET
@domain_errors
def report_print(request, pk: int):
    report = selectors.get_report(request.user, pk)
    return render(request, "annual_report/report_print.html", {
        "report": report, "blocks": rendering.blocks(report),
        "signed_on": report.published_on or report.submitted_on or report.reviewed_on,
    })


def docx_response(report) -> HttpResponse:
    return attachment(documents.report_docx(report), documents.filename(report), documents.DOCX_TYPE)


@require_GET
@domain_errors
def report_docx(request, pk: int):
    return docx_response(selectors.get_report(request.user, pk))
