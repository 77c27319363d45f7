"""Pages: the year calendar, the deadline explainer, the notice import.

Sign-in is required by LoginRequiredMiddleware for every page here. Today's
date is read here (``timezone.localdate``) and nowhere in the engine.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.core.errors import DomainError
from fazhi.workdays import selectors
from fazhi.workdays.calendar import WD, Calendar
from fazhi.workdays.forms import DeadlineForm, NoticeForm
from fazhi.workdays.services import can_manage_calendar, import_notice

WEEKDAYS = ["一", "二", "三", "四", "五", "六", "日"]


@require_GET
def calendar_view(request):
    today = timezone.localdate()
    year = today.year
    raw = request.GET.get("year", "").strip()
    if raw:
        if raw.isdigit() and 1949 <= int(raw) <= 2999:
            year = int(raw)
        else:
            messages.error(request, f"年份“{raw[:10]}”无效，已显示{year}年")
    cy = selectors.year_status(year)
    years = sorted(set(selectors.known_years()) | {today.year, today.year + 1, year})
    return render(request, "workdays/calendar.html", {
        "year": year,
        "status": cy,
        "confirmed": bool(cy and cy.confirmed),
        "months": selectors.month_grids(year),
        "rows": selectors.holidays_of(year),
        "years": years,
        "prev_year": year - 1,
        "next_year": year + 1,
        "today": today,
        "weekdays": WEEKDAYS,
        "can_manage": can_manage_calendar(request.user),
    })


@require_GET
def explain_view(request):
    form = DeadlineForm(request.GET or None)
    deadline = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        cal = Calendar()
        try:
            if data["rule"] == WD:
                deadline = cal.add_workdays(data["start"], data["n"])
            else:
                deadline = cal.add_calendar_days(data["start"], data["n"], data["roll_over"])
        except DomainError as exc:
            form.add_error(None, exc.message)
    return render(request, "workdays/explain.html", {"form": form, "deadline": deadline})


@require_http_methods(["GET", "POST"])
def import_view(request):
    """Paste -> preview -> confirm. One service call for both steps
    (``confirm=False`` parses only)."""
    if not can_manage_calendar(request.user):
        raise PermissionDenied("只有系统管理员可以导入节假日安排")
    form = NoticeForm(request.POST or None)
    preview = existing = None
    if request.method == "POST" and form.is_valid():
        confirm = request.POST.get("action") == "confirm"
        try:
            result = import_notice(form.cleaned_data["text"], by=request.user,
                                   year=form.cleaned_data["year"], confirm=confirm)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if result.saved:
                n = result.notice
                messages.success(request, f"已导入{n.year}年节假日安排（放假 {len(n.off_days)} 天，"
                                          f"调休上班 {len(n.work_days)} 天），该年度日历已确认。")
                url = f"{reverse('workdays:calendar')}?year={n.year}"
                if request.htmx:
                    response = render(request, "workdays/_import_done.html", {"url": url})
                    response["HX-Redirect"] = url
                    return response
                return redirect(url)
            preview = result.notice
            existing = selectors.year_status(preview.year)
    ctx = {"form": form, "preview": preview, "existing": existing}
    template = "workdays/_import_panel.html" if request.htmx else "workdays/import.html"
    return render(request, template, ctx)
