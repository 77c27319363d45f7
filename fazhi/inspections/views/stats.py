"""统计 (RAND-01 shares and the indicators) and the module's overview page."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fazhi.inspections import forms as f
from fazhi.inspections import selectors
from fazhi.inspections.models import (
    DrawStatus,
    TaskStatus,
)
from fazhi.inspections.views import common as vh
from fazhi.inspections.views.common import ITEMS, PLAN, POOLS, RECORD, VIEW
from fazhi.org import access
from fazhi.org.access import require_page as _require
from fazhi.org.models import Unit


def _stats_year(request) -> int:
    form = f.YearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return vh.today().year


def _pct(v) -> str:
    if v is None or v == "":
        return "—"
    try:
        return f"{float(v) * 100:.1f}%"
    except (TypeError, ValueError):
        return str(v)


def _name(v) -> str:
    if isinstance(v, Unit):
        return v.short_name or v.name
    return "" if v is None else str(v)


STAT_TABLES = {
    "department": ("按部门覆盖情况", ["部门", "检查对象数", "检查次数", "其中双随机", "双随机占比", "目标"],
                   lambda r: [_name(r.get("unit")), r.get("objects"), r.get("inspections"), r.get("random"),
                              _pct(r.get("share")), _pct(r.get("target"))]),
    "share": ("双随机抽查占比", ["部门", "双随机检查", "全部检查", "占比", "目标", "是否达标"],
              lambda r: [_name(r.get("unit")), r.get("random"), r.get("total"), _pct(r.get("share")),
                         _pct(r.get("target")), "达标" if r.get("met") else "未达标"]),
    "industry": ("按行业覆盖情况", ["行业", "名录库对象数", "已检查对象数", "覆盖率"],
                 lambda r: [r.get("industry") or "（未填）", r.get("pool"), r.get("inspected"),
                            _pct(r.get("coverage"))]),
    "region": ("按区域覆盖情况", ["区域", "名录库对象数", "已检查对象数", "覆盖率"],
               lambda r: [r.get("region") or "（未填）", r.get("pool"), r.get("inspected"),
                          _pct(r.get("coverage"))]),
    "results": ("检查结果分类", ["检查结果", "数量"], lambda r: [r.get("label") or r.get("result"), r.get("count")]),
}


def _stat_rows(user, year: int) -> dict:
    return {
        "department": selectors.coverage_by_department(user, year),
        "share": selectors.random_share(user, year),
        "industry": selectors.coverage_by_industry(user, year),
        "region": selectors.coverage_by_region(user, year),
        "results": selectors.results_by_type(user, year),
    }


@require_GET
def stats(request):
    user = request.user
    _require(user, VIEW)
    year = _stats_year(request)
    data = _stat_rows(user, year)
    export = request.GET.get("export", "")
    if export:
        wanted = [export] if export in STAT_TABLES else list(STAT_TABLES) if export == "all" else None
        if wanted is None:
            raise Http404()
        return _stats_xlsx(year, {k: data[k] for k in wanted})
    tables = []
    for key, (title, header, fn) in STAT_TABLES.items():
        rows = [fn(r) for r in data[key]]
        flags = [bool(key == "share" and not r.get("met")) for r in data[key]]
        tables.append({"key": key, "title": title, "header": header, "rows": list(zip(rows, flags, strict=True))})
    return render(request, "inspections/stats.html", {
        "year": year, "tables": tables, "years": list(range(vh.today().year, vh.today().year - 6, -1)),
        "year_form": f.YearForm(initial={"year": year})})


def _stats_xlsx(year: int, data: dict) -> HttpResponse:
    from fazhi.core.spreadsheets import Sheet, xlsx_bytes

    sheets = []
    for key, rows in data.items():
        title, header, fn = STAT_TABLES[key]
        sheets.append(Sheet(title, header, (fn(r) for r in rows), min_width=12))
    return vh.download(xlsx_bytes(*sheets), f"双随机抽查统计-{year}.xlsx", vh.XLSX)


# ==================================================================== overview

@require_GET
def index(request):
    user = request.user
    _require(user, VIEW)
    today = vh.today()
    overdue = list(selectors.overdue_publications(user, today).select_related("entity", "unit")[:11])
    awaiting = list(selectors.draws(user).filter(status=DrawStatus.COMMITTED).select_related("task", "unit")[:10])
    drafts = list(selectors.tasks(user).filter(status=TaskStatus.DRAFT).select_related("plan", "unit")
                  .order_by("planned_start")[:10])
    return render(request, "inspections/index.html", {
        "today": today, "overdue": overdue[:10], "more_overdue": len(overdue) > 10, "awaiting": awaiting,
        "drafts": drafts,
        "can": {k: access.allowed(user, p) for k, p in (("items", ITEMS), ("pools", POOLS), ("plan", PLAN),
                                                         ("record", RECORD))}})
