"""Page-number pagination shared by every module's API.

Every list endpoint pages the same way (``?page=N``, a Chinese message for a
page that does not exist); only the page size differs between two kinds of
list, so a module picks one of these instead of writing its own.
"""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """30 per page: case, decision and document lists."""

    page_size = 30
    invalid_page_message = "页码无效"


class LongPagination(Pagination):
    """50 per page: lists of short rows (ledger tasks, reports, training sessions)."""

    page_size = 50
