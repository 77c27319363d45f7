"""Pages: the year calendar, the deadline explainer, the notice import.

Sign-in is required by LoginRequiredMiddleware for every page here. Today's
date is read here (``timezone.localdate``) and nowhere in the engine.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.core.errors import DomainError
from fazhi.workdays import deadlines, selectors
from fazhi.workdays.calendar import WD, Calendar
from fazhi.workdays.forms import CorrectDayForm, DeadlineForm, NoticeForm, ResolveForm
from fazhi.workdays.models import DeadlineChange
from fazhi.workdays.services import can_manage_calendar, correct_day, import_notice

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
                                   year=form.cleaned_data["year"], confirm=confirm, today=timezone.localdate())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if result.saved:
                assert result.recomputed is not None  # a saved import always recomputes
                n = result.notice
                messages.success(request, f"已导入{n.year}年节假日安排（放假 {len(n.off_days)} 天，"
                                          f"调休上班 {len(n.work_days)} 天），该年度日历已确认。"
                                          f"{result.recomputed.summary()}。")
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


def _recomputed_message(request, result) -> None:
    messages.success(request, result.summary() + "。")
    if result.flagged:
        messages.warning(request, f"有 {result.flagged} 项期限在调整前已届满，未自动改动，已提示责任人员确认。")


@require_http_methods(["GET", "POST"])
def correct_view(request):
    """更正某一天 (administrators): the deadlines it touches are recomputed at once."""
    if not can_manage_calendar(request.user):
        raise PermissionDenied("只有系统管理员可以更正节假日安排")
    form = CorrectDayForm(request.POST or None, initial={"day": request.GET.get("day", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = correct_day(data["day"], kind=data["kind"], festival=data["festival"], reason=data["reason"],
                                 by=request.user, today=timezone.localdate())
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已更正 {result.day:%Y-%m-%d}。")
            _recomputed_message(request, result.recomputed)
            return redirect(f"{reverse('workdays:calendar')}?year={result.day.year}")
    return render(request, "workdays/correct.html", {"form": form})


@require_GET
def changes_view(request):
    """期限重新计算: the stored deadlines a calendar change moved or flagged that
    the user is responsible for, with 知悉 / 保留原期限 / 按新日历调整."""
    show_all = request.GET.get("all") == "1"
    states = [s for s, _ in DeadlineChange.State.choices] if show_all else DeadlineChange.OPEN_STATES
    rows = selectors.visible_changes(request.user, states)
    raw = request.GET.get("change", "").strip()
    change = None
    if raw.isdigit():
        rows = rows.filter(change_id=int(raw))
        change = selectors.calendar_change(int(raw))
    rows = list(rows.order_by("-change_id", "state", "new_due", "pk")[:500])
    for r in rows:
        r.may_decide = deadlines.can_decide(request.user, r)
    return render(request, "workdays/changes.html", {
        "rows": rows, "change": change, "show_all": show_all, "decisions": list(deadlines.DECISIONS.items()),
        "State": DeadlineChange.State,
    })


def _change_for(request, pk):
    return get_object_or_404(selectors.visible_changes(request.user, [s for s, _ in DeadlineChange.State.choices]),
                             pk=pk)


@require_POST
def change_acknowledge(request, pk):
    row = _change_for(request, pk)
    try:
        deadlines.acknowledge(row, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已确认知悉：{row.object_repr} {row.kind_label}")
    return redirect(reverse("workdays:changes"))


@require_POST
def change_resolve(request, pk):
    row = _change_for(request, pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(f"{reverse('workdays:changes')}#change-{row.pk}")
    try:
        deadlines.resolve(row, by=request.user, decision=form.cleaned_data["decision"], note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已处理：{row.object_repr} {row.kind_label}"
                                  f"（{deadlines.DECISIONS[form.cleaned_data['decision']]}）")
    return redirect(reverse("workdays:changes"))
