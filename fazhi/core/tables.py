"""List pages: filters, sorting, pagination and Excel export, one way.

A list view declares a ``Table`` — its columns (label, how to get the value,
which DB field sorts it) — and calls ``table.respond(request, queryset,
template, context)``. With ``?export=xlsx`` the same filtered, sorted rows go
to an .xlsx file instead of the page, so what you see is what you export
(written by ``fazhi.core.spreadsheets``: no cell is ever a formula).

    table = Table("units", [
        Column("名称", "name", sort="name"),
        Column("类型", lambda u: u.get_kind_display(), sort="kind"),
    ], default_sort="name")
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property

from fazhi.core.spreadsheets import Sheet, xlsx_download

EXPORT_LIMIT = 50_000  # rows; larger exports belong in a background job



class CappedPaginator(Paginator):
    """A paginator whose count never scans more than ``limit + 1`` rows, for a
    list that may hold millions (the object pool) or a search on a common word:
    ``truncated`` says the count stopped at the limit, and ``count`` is then
    the limit (the last reachable page holds row ``limit``)."""

    def __init__(self, object_list, per_page, *, limit: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit

    def probe(self, rows) -> int:
        """How many of ``rows`` there are, counting at most ``limit + 1``."""
        return rows[: self.limit + 1].count()

    @cached_property
    def raw_count(self) -> int:
        return self.probe(self.object_list)

    @property
    def truncated(self) -> bool:
        return self.raw_count > self.limit

    @cached_property
    def count(self) -> int:
        return min(self.raw_count, self.limit)

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


@dataclass(frozen=True)
class DueColumn(Column):
    """A deadline: on the page red 逾期N天 / amber 剩余N个工作日 (``fazhi.core.due``),
    in the export the date. ``done(row)`` true shows the date plainly. Sort by
    the deadline's field, so the most urgent come first."""

    done: Callable[[Any], bool] | None = None
    judged: Callable[[Any], Any] | None = None  # the date lateness is judged on, if not the one shown
    provisional: Callable[[Any], bool] | None = None  # computed on an unpublished holiday calendar

    def state(self, row, today, calendar):
        """The cell: a DueState for a date; any other value (a note) as it is."""
        from datetime import date

        from fazhi.core.due import due_state

        value = self.get(row)
        if not isinstance(value, date):
            return value
        return due_state(value, today, done=bool(self.done and self.done(row)),
                         judged_on=self.judged(row) if self.judged else None,
                         provisional=bool(self.provisional and self.provisional(row)), calendar=calendar)


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
        paginator = self.paginator(rows)
        page = paginator.get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        export = request.GET.copy()
        export.pop("page", None)
        export["export"] = "xlsx"
        ctx = {
            "table": self,
            "page": page,
            "header": self.header(request),
            "cells": self.cells(page.object_list, (context or {}).get("today"), (context or {}).get("calendar")),
            "query_no_page": params.urlencode(),
            "export_url": f"?{export.urlencode()}",
            **self.count_context(paginator),
        }
        ctx.update(context or {})
        return render(request, template, ctx)

    def paginator(self, rows) -> Paginator:
        """The paginator of the page (a list of millions of rows caps its count)."""
        return Paginator(rows, self.per_page)

    def count_context(self, paginator) -> dict:
        """What the page says about the number of rows."""
        return {"total": paginator.count}

    def cells(self, rows, today=None, calendar=None) -> list:
        """(row, [(value, link)]) for the page; a deadline column's value is its DueState,
        coloured on ``today`` — the server's date the view passes in its context — with
        the view's working-day ``calendar`` when it has one already (one per page)."""
        if any(isinstance(c, DueColumn) for c in self.columns):
            from fazhi.workdays.calendar import Calendar

            calendar, today = calendar or Calendar(), today or timezone.localdate()
        return [(obj, [(c.state(obj, today, calendar) if isinstance(c, DueColumn) else c.get(obj),
                        c.link(obj) if c.link else None) for c in self.columns])
                for obj in rows]

    def export(self, rows) -> HttpResponse:
        sheet = Sheet(self.name, [c.label for c in self.columns],
                      ([c.get(obj) for c in self.columns] for obj in rows[:EXPORT_LIMIT]))
        return xlsx_download(sheet, stem=self.name)
