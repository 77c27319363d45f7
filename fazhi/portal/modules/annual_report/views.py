"""法治政府建设年度报告 on the public portal (/portal/reports/, namespace annual_report_portal).

No sign-in; only published reports (``annual_report.selectors.public_*``),
read from their fixed public copy (``Report.public_sections``), never from
the working draft. Everything is
escaped by the templates (no ``|safe``); figures appear as plain values, not
as links to staff pages.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fazhi.annual_report import documents, selectors
from fazhi.core.errors import NotFound
from fazhi.core.http import attachment

SECTION_KEY = "reports"


def _ctx(**extra) -> dict:
    return {"active": SECTION_KEY, **extra}  # the navigation: fazhi.portal.context


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _public(pk):
    try:
        return selectors.public_report(pk)
    except NotFound:
        raise Http404("报告不存在或未公开")


@login_not_required
@require_GET
def index(request):
    unit, year = _int(request.GET.get("unit")), _int(request.GET.get("year"))
    reports = list(selectors.public_reports(unit=unit, year=year)[:500])
    return render(request, "portal/annual_report/index.html", _ctx(
        reports=reports, units=selectors.public_units(), years=selectors.public_years(), unit=unit, year=year))


@login_not_required
@require_GET
def detail(request, pk: int):
    report = _public(pk)
    return render(request, "portal/annual_report/detail.html", _ctx(report=report, blocks=report.public_sections))


@login_not_required
@require_GET
def docx(request, pk: int):
    report = _public(pk)
    return attachment(documents.report_docx(report), documents.filename(report), documents.DOCX_TYPE)
