"""List pages: filters, sorting, pagination and Excel export, one way.

A list view declares a ``Table`` — its columns (label, how to get the value,
which DB field sorts it) — and calls ``table.respond(request, queryset,
template, context)``. With ``?export=xlsx`` the same filtered, sorted rows go
to an .xlsx file instead of the page, so what you see is what you export.

    table = Table("units", [
        Column("名称", "name", sort="name"),
        Column("类型", lambda u: u.get_kind_display(), sort="kind"),
    ], default_sort="name")
"""

from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any
from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

EXPORT_LIMIT = 50_000  # rows; larger exports belong in a background job


@dataclass(frozen=True)
class Column:
    label: str
    value: str | Callable[[Any], Any]  # attribute path ("unit.name") or a function
    sort: str | None = None  # ORM field to order by; None = not sortable
    link: Callable[[Any], str] | None = None  # URL for the cell, if any

    def get(self, row) -> Any:
        if callable(self.value):
            return self.value(row)
        obj = row
        for part in self.value.split("."):
            obj = getattr(obj, part, None)
            if obj is None:
                return ""
            if callable(obj) and not hasattr(obj, "all"):
                obj = obj()
        return obj


@dataclass
class Table:
    name: str  # used for the export file name
    columns: list[Column]
    default_sort: str = "-pk"
    per_page: int = 30

    def sort_key(self, request) -> str:
        """The sort asked for, if it names a sortable column; never raw input."""
        asked = request.GET.get("sort", "")
        allowed = {c.sort for c in self.columns if c.sort}
        if asked.lstrip("-") in allowed:
            return asked
        return self.default_sort

    def rows(self, request, queryset):
        key = self.sort_key(request)
        return queryset.order_by(key, "pk") if key else queryset

    def header(self, request) -> list[dict]:
        current = self.sort_key(request)
        params = request.GET.copy()
        params.pop("page", None)
        out = []
        for c in self.columns:
            if not c.sort:
                out.append({"label": c.label, "url": None, "dir": ""})
                continue
            direction = "asc" if current == c.sort else "desc" if current == f"-{c.sort}" else ""
            params["sort"] = f"-{c.sort}" if current == c.sort else c.sort
            out.append({"label": c.label, "url": f"?{params.urlencode()}", "dir": direction})
        return out

    def respond(self, request, queryset, template: str, context: dict | None = None) -> HttpResponse:
        rows = self.rows(request, queryset)
        if request.GET.get("export") == "xlsx":
            return self.export(rows)
        page = Paginator(rows, self.per_page).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        export = request.GET.copy()
        export.pop("page", None)
        export["export"] = "xlsx"
        ctx = {
            "table": self,
            "page": page,
            "header": self.header(request),
            "cells": [(obj, [(c.get(obj), c.link(obj) if c.link else None) for c in self.columns])
                      for obj in page.object_list],
            "query_no_page": params.urlencode(),
            "export_url": f"?{export.urlencode()}",
            "total": page.paginator.count,
        }
        ctx.update(context or {})
        return render(request, template, ctx)

    def export(self, rows) -> HttpResponse:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        wb = Workbook(write_only=False)
        ws = wb.active
        ws.title = self.name[:31]
        ws.append([c.label for c in self.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for obj in rows[:EXPORT_LIMIT]:
            ws.append([_xlsx_value(c.get(obj)) for c in self.columns])
        for i, c in enumerate(self.columns, start=1):
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = max(10, len(c.label) * 2 + 4)
        buf = BytesIO()
        wb.save(buf)
        stamp = timezone.localtime().strftime("%Y%m%d%H%M")
        filename = f"{self.name}-{stamp}.xlsx"
        resp = HttpResponse(
            buf.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
        return resp


def _xlsx_value(v):
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if hasattr(v, "tzinfo") and getattr(v, "tzinfo", None) is not None:
        return timezone.localtime(v).replace(tzinfo=None)
    if isinstance(v, (int, float, str)) or hasattr(v, "isoformat"):
        # Formula injection: a cell starting with = + - @ is text, not a formula.
        if isinstance(v, str) and v[:1] in ("=", "+", "-", "@"):
            return "'" + v
        return v
    return str(v)
