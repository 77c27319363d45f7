"""REST endpoints of workdays, mounted under /api/v1/workdays/ by fazhi/api/urls.py.

    GET add/?start=2025-09-25&n=20[&rule=WD|CAL][&roll_over=1]
    GET count/?a=2025-09-25&b=2025-10-29
    GET calendar/?year=2026

Bad input raises fazhi.core.errors.ValidationError, which the project's
exception handler turns into {"error": {...}} with status 400.
"""

from django.urls import path
from rest_framework.decorators import api_view
from rest_framework.response import Response

from fazhi.core.errors import ValidationError
from fazhi.workdays import selectors
from fazhi.workdays.calendar import CAL, WD, Calendar, parse_date, parse_days

TRUE = {"1", "true", "yes", "on"}


def _required(request, name: str, label: str) -> str:
    value = request.query_params.get(name, "").strip()
    if not value:
        raise ValidationError(f"缺少参数 {name}（{label}）", fields={name: "必填"})
    return value


@api_view(["GET"])
def add(request):
    """Deadline: ``n`` working days (or calendar days with rule=CAL) after ``start``."""
    start = parse_date(_required(request, "start", "起算日"), "start")
    n = parse_days(_required(request, "n", "天数"))
    rule = request.query_params.get("rule", WD).upper()
    if rule not in (WD, CAL):
        raise ValidationError(f"计算方式“{rule}”无效：应为 WD（工作日）或 CAL（自然日）", fields={"rule": "无效"})
    cal = Calendar()
    if rule == WD:
        deadline = cal.add_workdays(start, n)
    else:
        roll_over = request.query_params.get("roll_over", "").lower() in TRUE
        deadline = cal.add_calendar_days(start, n, roll_over)
    body = deadline.as_dict()
    body["warning"] = deadline.warning()
    return Response(body)


@api_view(["GET"])
def count(request):
    """Working days after ``a`` up to and including ``b``."""
    a = parse_date(_required(request, "a", "起算日"), "a")
    b = parse_date(_required(request, "b", "截止日"), "b")
    cal = Calendar(range(min(a, b).year, max(a, b).year + 1))
    unconfirmed = cal.unconfirmed_years(a, b)
    return Response({"a": a.isoformat(), "b": b.isoformat(), "count": cal.count_workdays(a, b),
                     "provisional": bool(unconfirmed), "unconfirmed_years": list(unconfirmed)})


@api_view(["GET"])
def calendar(request):
    """The days off and make-up working days of one year."""
    raw = _required(request, "year", "年份")
    if not raw.isdigit() or not 1949 <= int(raw) <= 2999:
        raise ValidationError(f"年份“{raw[:10]}”无效", fields={"year": "年份无效"})
    return Response(selectors.calendar_days_payload(int(raw)))


urlpatterns = [
    path("add/", add, name="add"),
    path("count/", count, name="count"),
    path("calendar/", calendar, name="calendar"),
]
