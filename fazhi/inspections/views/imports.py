"""The bulk import of the object pool: upload, progress (polled by the page), error
report, templates. The work runs as a job (``services.start_import``)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.core.http import domain_errors, refused_onto
from fazhi.core.tables import Column, Table
from fazhi.inspections import forms as f
from fazhi.inspections import rules, selectors, services
from fazhi.inspections.models import (
    ImportStatus,
)
from fazhi.inspections.views import common as vh
from fazhi.inspections.views.common import POOLS, VIEW
from fazhi.org import selectors as org_selectors
from fazhi.org.access import require_page as _require

# -------------------------------------------------------------------- import

IMPORT_HELP = {
    "name": "必填", "credit_code": "必填，18位，校验码须正确（GB 32100-2015），不得重复",
    "risk_level": "低/中/高，空为低", "last_inspected_on": "YYYY-MM-DD",
    "region": "乡镇（街道）", "industry": "如：食品销售、餐饮服务",
}


def import_columns() -> list[tuple[str, str]]:
    """(header, help) of the import file, in the importer's column order."""
    from fazhi.inspections import importer

    return [(importer.LABELS[c], IMPORT_HELP.get(c, "")) for c in importer.COLUMNS]


IMPORT_TABLE = Table("导入批次", [
    Column("批次", "pk", sort="pk", link=lambda i: reverse("inspections:import_detail", args=[i.pk])),
    Column("文件", "original_name"),
    Column("导入单位", lambda i: vh.short(i.unit)),
    Column("状态", lambda i: i.get_status_display(), sort="status"),
    Column("总行数", "total_rows"),
    Column("新增对象", "created_rows"),
    Column("错误数", "error_count"),
    Column("上传时间", vh.date_cell("created_at", "%Y-%m-%d %H:%M"), sort="created_at"),
], default_sort="-created_at", per_page=20)


@require_http_methods(["GET", "POST"])
@domain_errors
def import_start(request):
    user = request.user
    _require(user, POOLS)
    unit_choices = org_selectors.unit_choices(user, POOLS)
    form = f.ImportForm(vh.posted(request), request.FILES or None, unit_choices=unit_choices,
                        initial={"unit": unit_choices[0][0] if unit_choices else None})
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        with refused_onto(form) as outcome:
            batch = services.start_import(c["file"], by=user, unit=vh.unit_or_none(c["unit"]))
        if outcome.ok:
            messages.info(request, f"已上传“{batch.original_name}”，正在导入")
            return redirect("inspections:import_detail", pk=batch.pk)
    qs = selectors.imports(user).select_related("unit")
    resp = IMPORT_TABLE.respond(request, qs, "inspections/import_start.html", {
        "form": form, "columns": import_columns(), "max_mb": _import_max_mb()})
    if form.errors:
        resp.status_code = 400
    return resp


def _import_max_mb() -> int:

    return int(rules.get("import_max_mb"))


def _import(user, pk):
    return vh.one_or_404(selectors.imports(user).select_related("unit", "created_by"), pk)


def _progress_ctx(batch) -> dict:
    p = selectors.import_progress(batch.pk) or {}
    status = p.get("status", batch.status)
    done = status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)
    return {"batch": batch, "p": p, "status": status, "done": done, "jobs_interval": settings.JOBS_INTERVAL_SECONDS,
            "status_label": ImportStatus(status).label if status in ImportStatus.values else status,
            "percent": p.get("percent", batch.percent)}


@require_GET
@domain_errors
def import_detail(request, pk):
    batch = _import(request.user, pk)
    ctx = _progress_ctx(batch)
    if ctx["done"]:
        batch.refresh_from_db()
        ctx["errors"] = (batch.errors or [])[:500]
    return render(request, "inspections/import_detail.html", ctx)


@require_GET
@domain_errors
def import_progress(request, pk):
    """The progress fragment polled by htmx every second; when the import has
    ended it answers ``HX-Refresh`` so the page shows the result or report."""
    batch = _import(request.user, pk)
    ctx = _progress_ctx(batch)
    resp = render(request, "inspections/_import_progress.html", ctx)
    if ctx["done"] and request.headers.get("HX-Request"):
        resp["HX-Refresh"] = "true"
    return resp


ERROR_HEADER = ["行号", "列", "内容", "错误说明"]


@require_GET
@domain_errors
def import_errors(request, pk, fmt):
    batch = _import(request.user, pk)
    rows = [(e.get("row"), e.get("column"), e.get("value"), e.get("message")) for e in (batch.errors or [])]
    name = f"导入错误报告-{batch.pk}"
    if fmt == "csv":
        return vh.download(vh.csv_bytes(ERROR_HEADER, rows), f"{name}.csv", "text/csv; charset=utf-8")
    if fmt == "xlsx":
        return vh.download(vh.xlsx_bytes("错误报告", ERROR_HEADER, rows), f"{name}.xlsx", vh.XLSX)
    raise Http404()


@require_GET
def import_template(request, fmt):
    _require(request.user, VIEW)
    header = [h for h, _ in import_columns()]
    if fmt == "csv":
        return vh.download(vh.csv_bytes(header, []), "检查对象导入模板.csv", "text/csv; charset=utf-8")
    if fmt == "xlsx":
        return vh.download(vh.xlsx_bytes("检查对象", header, []), "检查对象导入模板.xlsx", vh.XLSX)
    raise Http404()


# ====================================================== inspector pool (一库)
