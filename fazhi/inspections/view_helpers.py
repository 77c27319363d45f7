"""Presentation helpers of the 双随机 staff screens (no domain rules here).

``BoundedTable`` is ``core.tables.Table`` for lists that may hold millions of
rows (the object pool): instead of a full ``COUNT(*)`` on every page it counts
at most ``COUNT_LIMIT + 1`` rows (``SELECT COUNT(*) FROM (... LIMIT n)``), so
a page costs the same with a thousand rows or three million. Beyond the limit
the page says "超过 N 条" and asks for a narrower filter; the last reachable
page is the one that holds row ``COUNT_LIMIT``.
"""



from fazhi.core import spreadsheets
from fazhi.core.spreadsheets import XLSX, csv_bytes, download  # noqa: F401 (used as vh.*)
from fazhi.core.tables import CappedPaginator, Table

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

    from fazhi.inspections.models import Entity

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
