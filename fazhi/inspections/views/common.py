"""Shared helpers of the 双随机 staff screens (no domain rules here): the
permission names, form and refusal glue, the server's day (``today``: tests patch it here,
once for every page), the lookups several areas share, and the presentation helpers.

``BoundedTable`` is ``core.tables.Table`` for lists that may hold millions of
rows (the object pool): instead of a full ``COUNT(*)`` on every page it counts
at most ``COUNT_LIMIT + 1`` rows (``SELECT COUNT(*) FROM (... LIMIT n)``), so
a page costs the same with a thousand rows or three million. Beyond the limit
the page says "超过 N 条" and asks for a narrower filter; the last reachable
page is the one that holds row ``COUNT_LIMIT``.
"""

from datetime import date

from django.contrib import messages
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html

from fazhi.core import spreadsheets
from fazhi.core.errors import DomainError
from fazhi.core.http import place_error  # noqa: F401 (used as vh.place_error)
from fazhi.core.spreadsheets import XLSX, csv_bytes, download  # noqa: F401 (used as vh.*)
from fazhi.core.tables import CappedPaginator, Table
from fazhi.inspections import selectors
from fazhi.inspections.models import Entity
from fazhi.org.models import Unit

COUNT_LIMIT = 10_000


class BoundedTable(Table):
    count_limit: int = COUNT_LIMIT

    def paginator(self, rows) -> CappedPaginator:
        return CappedPaginator(rows, self.per_page, limit=self.count_limit)

    def count_context(self, paginator) -> dict:
        return {"total": f"{self.count_limit}+" if paginator.truncated else paginator.count,
                "truncated": paginator.truncated, "count_limit": self.count_limit}


def xlsx_bytes(title: str, header: list[str], rows) -> bytes:
    return spreadsheets.xlsx_bytes(spreadsheets.Sheet(title, header, rows))


def suggestions(field: str, limit: int = 300) -> list[str]:
    """Values in use for an object-pool field (行业, 区域, 信用等级), for a <datalist>:
    the filters match exactly, so the page offers the spellings the pool uses.
    Cached for five minutes: on a pool of millions this is an index scan."""
    from django.core.cache import cache

    key = f"inspections:suggest:{field}"
    values = cache.get(key)
    if values is None:
        values = list(Entity.objects.filter(active=True).exclude(**{field: ""}).order_by(field)
                      .values_list(field, flat=True).distinct()[:limit])
        cache.set(key, values, 300)
    return values


def percent(part, whole) -> str:
    if not whole:
        return "—"
    return f"{100 * part / whole:.1f}%"


VIEW = "inspections.view"
ITEMS = "inspections.manage_items"
POOLS = "inspections.manage_pools"
PLAN = "inspections.plan"
APPROVE = "inspections.approve"
DRAW = "inspections.draw"
RECORD = "inspections.record_result"
PUBLISH = "inspections.publish"


def today() -> date:
    return timezone.localdate()


def refused(request, exc: DomainError) -> None:
    messages.error(request, format_html("未办理：{}", exc))


def unit_or_none(pk) -> Unit | None:
    return Unit.objects.filter(pk=pk).first() if pk else None


def one_or_404(qs, pk):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise Http404()
    return obj


def posted(request):
    """Bind a form on POST even when it is empty (an empty POST is a bad request, not a blank page)."""
    return request.POST if request.method == "POST" else None


def form_status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def short(unit) -> str:
    return (unit.short_name or unit.name) if unit else ""


def date_cell(attr: str, fmt: str = "%Y-%m-%d"):
    """A compact date (or local date-time) cell; the export gets the same text."""
    def get(obj):
        v = obj
        for part in attr.split("."):
            v = getattr(v, part, None)
            if v is None:
                return ""
        if hasattr(v, "tzinfo") and getattr(v, "tzinfo", None) is not None:
            v = timezone.localtime(v)
        return v.strftime(fmt)
    return get


def portal_url(name: str, *args) -> str:
    try:
        return reverse(f"inspections_portal:{name}", args=args)
    except NoReverseMatch:
        return ""


def all_units() -> list[tuple[int, str]]:
    """Any active unit (a recusal or handover may name a unit outside the user's own)."""
    return [(u.pk, u.name) for u in Unit.objects.filter(is_active=True).order_by("path")]


def task_or_404(user, pk):
    return one_or_404(selectors.tasks(user).select_related("plan__unit", "unit").prefetch_related("items__unit"), pk)


def pool_preview(task):
    try:
        return selectors.task_pool_preview(task, on=today()), ""
    except DomainError as exc:
        return None, str(exc)
