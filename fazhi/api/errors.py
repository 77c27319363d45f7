"""One JSON error shape for the whole API:

    {"error": {"code": "...", "message": "中文说明", "rule": "NDOC-12" | null, "fields": {...}}}
"""

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from fazhi.core.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "message": exc.message, "rule": exc.rule, "fields": exc.fields}
        return Response({"error": body}, status=exc.status)
    response = drf_handler(exc, context)
    if response is None:
        return None
    return Response({"error": {"code": "error", "message": str(exc), "rule": None, "fields": {}}},
                    status=response.status_code)
