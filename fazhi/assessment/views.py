"""Staff pages of 考核评价: the indicator table, drill-down, ranking, weights
and settlement, and the leadership cockpit.

Every figure is computed by ``selectors`` from the modules' records. A unit
outside the user's ``assessment.view`` scope is a 404 (its existence is
private); the weights page is the 考核员's (403 for others).
"""

from io import BytesIO
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from fazhi.assessment import registry, selectors, services
from fazhi.assessment.selectors import MANAGE, VIEW
from fazhi.core.errors import DomainError
from fazhi.core.http import domain_errors
from fazhi.org import access


def _today():
    return timezone.localdate()


def _year(request, today) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    try:
        y = int(raw)
    except ValueError:
        return today.year
    return y if services.MIN_YEAR <= y <= services.MAX_YEAR else today.year


def _years(today):
    return list(range(today.year, today.year - 6, -1))


def _require_view(user):
    if not access.allowed(user, VIEW):
        raise HttpForbidden("您没有查看考核指标的权限")


def pct(value) -> str:
    return "无数据" if value is None else f"{value * 100:.1f}%"


def _decorate(rows):
    for r in rows:
        for v in r.values:
            v["display"] = pct(v["value"])
    return rows


# ------------------------------------------------------------- indicator table

@require_http_methods(["GET"])
def table(request):
    user = request.user
    _require_view(user)
    today = _today()
    year = _year(request, today)
    data = selectors.all_units_values(year, selectors.assessable_units(user))
    _decorate(data.rows)
    if request.GET.get("export") == "xlsx":
        return _export(data)
    gaps = [(r.unit, r.gaps) for r in data.rows if r.gaps]
    return render(request, "assessment/table.html", {
        "year": year, "years": _years(today), "data": data, "gaps": gaps,
        "can_manage": access.allowed(user, MANAGE), "live": data.settlement is None,
    })


def _export(data) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = f"{data.year}年度考核指标"
    head = ["排名", "单位", "综合得分"]
    for ind in data.indicators:
        head += [ind["name"], f"{ind['name']}（分子/分母）", f"{ind['name']}（目标）"]
    ws.append(head)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    red = PatternFill("solid", fgColor="FBEAEA")
    for r in data.rows:
        line = [r.rank or "", r.unit.name, "无数据" if r.score is None else r.score]
        for v in r.values:
            line += ["无数据" if v["value"] is None else round(v["value"], 4),
                     f"{v['numerator']}/{v['denominator']}", v["target"]]
        ws.append(line)
        for i, v in enumerate(r.values):
            if v["met"] is False:
                ws.cell(row=ws.max_row, column=4 + i * 3).fill = red
    for col in ws.columns:
        ws.column_dimensions[col[0].column_letter].width = 16
    buf = BytesIO()
    wb.save(buf)
    name = f"考核指标-{data.year}-{timezone.localtime():%Y%m%d%H%M}.xlsx"
    resp = HttpResponse(buf.getvalue(),
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return resp


# ------------------------------------------------------------------ drill-down

@require_http_methods(["GET"])
@domain_errors
def drill(request, year: int, unit: int, code: str):
    user = request.user
    _require_view(user)
    u = selectors.get_unit(user, unit)
    if not services.MIN_YEAR <= year <= services.MAX_YEAR:
        from django.http import Http404

        raise Http404()
    d = selectors.drill_down(u, year, code)
    d.value["display"] = pct(d.value["value"])
    return render(request, "assessment/drill.html", {
        "d": d, "year": year, "unit": u, "live_display": pct(d.live.ratio),
        "differs": (d.live.numerator, d.live.denominator) != (d.value["numerator"], d.value["denominator"]),
    })


# --------------------------------------------------------------------- ranking

@require_http_methods(["GET"])
def ranking(request):
    user = request.user
    _require_view(user)
    today = _today()
    year = _year(request, today)
    rows = _decorate(selectors.ranking(year, user))
    return render(request, "assessment/ranking.html", {
        "year": year, "years": _years(today), "rows": rows, "indicators": registry.indicators(),
        "min_indicators": selectors.rank_min_indicators(),
    })


# --------------------------------------------------------- weights, settlement

@require_http_methods(["GET", "POST"])
def weights(request):
    user = request.user
    access.require_page(user, MANAGE)
    today = _today()
    year = _year(request, today)
    w = selectors.weights(year)
    inds = registry.indicators()
    values = {i.code: {"weight": w[i.code][0], "target_percent": w[i.code][1] * 100} for i in inds}
    if request.method == "POST":
        rows = {i.code: {"weight": request.POST.get(f"weight_{i.code}", ""),
                         "target_percent": request.POST.get(f"target_{i.code}", "")}
                for i in inds if f"weight_{i.code}" in request.POST or f"target_{i.code}" in request.POST}
        try:
            services.set_weights(year, rows, by=user)
        except DomainError as exc:
            messages.error(request, str(exc))
            values.update(rows)
        else:
            messages.success(request, f"{year}年度的权重与目标已保存")
            return redirect(reverse("assessment:weights") + f"?year={year}")
    settlements = list(selectors.Settlement.objects.filter(year=year).order_by("-settled_at", "-pk")[:10])
    titles = registry.module_titles()
    rows = [{"ind": i, "weight": values[i.code]["weight"], "target": values[i.code]["target_percent"],
             "module_title": titles.get(i.module, i.module)} for i in inds]
    return render(request, "assessment/weights.html", {
        "year": year, "years": _years(today), "rows": rows, "settlements": settlements,
        "can_settle": year < today.year,
    })


@require_POST
def settle(request):
    user = request.user
    access.require_page(user, MANAGE)
    today = _today()
    year = _year(request, today)
    try:
        s = services.settle_year(year, by=user, today=today, note=request.POST.get("note", ""))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{year}年度已结算：{s.value_count} 条数值，摘要 {s.sha256[:16]}…")
    return redirect(reverse("assessment:weights") + f"?year={year}")


# --------------------------------------------------------------------- cockpit

@require_http_methods(["GET"])
def cockpit(request):
    user = request.user
    _require_view(user)
    today = _today()
    year = _year(request, today)
    units = list(selectors.assessable_units(user))
    data = selectors.compute(year, units)
    _decorate(data.rows)
    top = data.rows[0] if data.rows else None
    ranked = selectors.rank(selectors.peers(list(data.rows)))
    years = selectors.trend_years(today)
    trend = selectors.trends(top.unit, years) if top else None
    overdue = selectors.overdue_by_module(units, today) if units else []
    for o in overdue:
        o["cells"] = [o["by_unit"].get(u.pk, 0) for u in units]
    if trend:
        for s in trend["series"]:
            s["cells"] = [{"display": pct(v), "count": c} for v, c in zip(s["values"], s["counts"], strict=True)]
    chart = {
        "scores": [{"unit": r.unit.display_name, "score": r.score} for r in ranked],
        "top": ({"unit": top.unit.display_name,
                 "indicators": [{"name": v["name"], "value": v["value"], "target": v["target"]}
                                for v in top.values]} if top else None),
        "overdue": [{"title": o["title"], "module": o["module_title"], "total": o["total"]} for o in overdue],
        "trend": ({"years": trend["years"], "series": [{"name": s["name"], "values": s["values"]}
                                                        for s in trend["series"]]} if trend else None),
    }
    return render(request, "assessment/cockpit.html", {
        "year": year, "years": _years(today), "data": data, "top": top, "ranked": ranked, "trend": trend,
        "overdue": overdue, "units": units, "chart": chart, "today": today,
        "trend_scores": [("无数据" if s is None else s) for s in (trend["scores"] if trend else [])],
    })
