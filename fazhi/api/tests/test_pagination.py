"""The shared API pagination: the two page sizes the modules use, and the
Chinese refusal for a page that does not exist."""

import pytest
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from fazhi.core.rest.pagination import LongPagination, Pagination


@pytest.mark.parametrize(("paginator_class", "size"), [(Pagination, 30), (LongPagination, 50)])
def test_pages_hold_the_module_page_size(paginator_class, size):
    request = Request(APIRequestFactory().get("/", {"page": "2"}))
    page = paginator_class().paginate_queryset(list(range(size * 2 + 1)), request)
    assert page == list(range(size, size * 2))


def test_a_page_past_the_end_is_refused_in_chinese():
    request = Request(APIRequestFactory().get("/", {"page": "9"}))
    with pytest.raises(NotFound, match="页码无效"):
        Pagination().paginate_queryset(list(range(5)), request)
