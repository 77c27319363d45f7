"""Staff pages of 考核评价: the indicator table, drill-down, ranking, weights
and settlement, and the leadership cockpit.

Every figure is computed by ``selectors`` from the modules' records. A unit
outside the user's ``assessment.view`` scope is a 404 (its existence is
private); the weights page is the 考核员's (403 for others).
"""


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
from fazhi.org.models import UnitKind


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
        "can_manage": access.district_wide(user, MANAGE), "live": data.settlement is None,
    })


def _xlsx(sheet, stem: str) -> HttpResponse:
    from fazhi.core.spreadsheets import xlsx_download

    return xlsx_download(sheet, stem=stem)


def _export(data) -> HttpResponse:
    from fazhi.core.spreadsheets import Percent, Sheet

    head = ["名次", "单位", "综合得分"]
    for ind in data.indicators:
        head += [ind["name"], f"{ind['name']}（分子/分母）", f"{ind['name']}（目标）"]
    rows = []
    for r in data.rows:
        line = [r.standing, r.unit.name, "无数据" if r.score is None else r.score]
        for v in r.values:
            line += [Percent(v["value"], flag=v["met"] is False), f"{v['numerator']}/{v['denominator']}",
                     Percent(v["target"])]
        rows.append(line)
    return _xlsx(Sheet(f"{data.year}年度考核指标", head, rows, width=16), f"考核指标-{data.year}")


def _export_ranking(year: int, rows) -> HttpResponse:
    from fazhi.core.spreadsheets import Sheet

    head = ["名次", "单位", "综合得分", "有数据指标", "指标总数", "低于目标的指标", "无数据的指标"]
    body = [[r.standing, r.unit.name, "无数据" if r.score is None else r.score, r.with_data, len(r.values),
             "、".join(f"{v['name']} {v['value'] * 100:.1f}%" for v in r.below),
             "、".join(v["name"] for v in r.gaps)] for r in rows]
    return _xlsx(Sheet(f"{year}年度单位排名", head, body, width=18), f"单位排名-{year}")


def _export_drill(d, year: int) -> HttpResponse:
    from fazhi.core.spreadsheets import Percent, Sheet

    v = d.value
    head = ["记录", "日期", "是否计入分子", "说明"]
    body = [[r.title, r.date, r.counted, r.note] for r in d.records]
    body += [[], ["指标值", Percent(v["value"], flag=v["met"] is False), f"{v['numerator']}/{v['denominator']}",
                  f"目标 {v['target'] * 100:.1f}%"]]
    return _xlsx(Sheet(f"{d.unit.name}-{d.indicator.name}"[:31], head, body, width=24),
                 f"指标钻取-{year}-{d.unit.short_name or d.unit.name}-{d.indicator.code}")


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
    if request.GET.get("export") == "xlsx":
        return _export_drill(d, year)
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
    if request.GET.get("export") == "xlsx":
        return _export_ranking(year, rows)
    return render(request, "assessment/ranking.html", {
        "year": year, "years": _years(today), "rows": rows, "indicators": registry.indicators(),
        "min_indicators": selectors.rank_min_indicators(),
    })


# --------------------------------------------------------- weights, settlement

@require_http_methods(["GET", "POST"])
def weights(request):
    user = request.user
    if not access.district_wide(user, MANAGE):
        raise HttpForbidden("只有全区范围的考核员可以设置考核权重")
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
    if not access.district_wide(user, MANAGE):
        raise HttpForbidden("只有全区范围的考核员可以结算")
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
    ranked = [r for r in selectors.rank_peers(list(data.rows)) if not r.outside]
    years = selectors.trend_years(today)
    trend = selectors.trends(top.unit, years) if top else None
    overdue = selectors.overdue_by_module(units, today) if units else []
    for o in overdue:
        o["cells"] = [o["by_unit"].get(u.pk, 0) for u in units]
    if trend:
        for s in trend["series"]:
            s["cells"] = [{"display": pct(v), "count": c} for v, c in zip(s["values"], s["counts"], strict=True)]
    # Overdue items by unit, one stacked series per source; the government's
    # column would repeat its departments' items, so it is left out of the chart
    # (its total is in the table).
    table_url = reverse("assessment:table") + f"?year={year}"
    chart_units = [u for u in units if u.kind != UnitKind.GOVERNMENT] or units
    chart = {
        "scores": [{"unit": r.unit.display_name, "score": r.score, "url": f"{table_url}#unit-{r.unit.pk}",
                    "ranked": bool(r.rank)} for r in ranked],
        "top": ({"unit": top.unit.display_name,
                 "indicators": [{"name": v["name"], "value": v["value"], "target": v["target"], "url": v["url"]}
                                for v in top.values]} if top else None),
        "overdue": {
            "units": [u.display_name for u in chart_units],
            "series": [{"name": f"{o['module_title']}：{o['title']}", "url": o["url"],
                        "values": [o["by_unit"].get(u.pk, 0) for u in chart_units]}
                       for o in overdue if o["total"]],
        },
        "trend": ({"years": trend["years"], "series": [{"name": s["name"], "values": s["values"]}
                                                        for s in trend["series"]]} if trend else None),
    }
    return render(request, "assessment/cockpit.html", {
        "year": year, "years": _years(today), "data": data, "top": top, "ranked": ranked, "trend": trend,
        "overdue": overdue, "units": units, "chart": chart, "today": today,
        "trend_scores": [("无数据" if s is None else s) for s in (trend["scores"] if trend else [])],
    })
