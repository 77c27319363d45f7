"""REST endpoints of workdays, mounted under /api/v1/workdays/ by fazhi/api/urls.py.

    GET add/?start=2025-09-25&n=20[&rule=WD|CAL][&roll_over=1]
    GET count/?a=2025-09-25&b=2025-10-29
    GET calendar/?year=2026

Bad input raises fazhi.core.errors.ValidationError, which the project's
exception handler turns into {"error": {...}} with status 400. Dates are
bounded (fazhi/core/rest/params.py) and a count runs over at most
``params.MAX_RANGE_YEARS`` years: a count over 10,000 years once tied a
worker up for 46 s.
"""

from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from fazhi.core.errors import ValidationError
from fazhi.core.rest import params
from fazhi.workdays import selectors
from fazhi.workdays.calendar import CAL, WD, Calendar, parse_date, parse_days

TRUE = {"1", "true", "yes", "on"}


def _required(request, name: str, label: str) -> str:
    value = request.query_params.get(name, "").strip()
    if not value:
        raise ValidationError(f"缺少参数 {name}（{label}）", fields={name: "必填"})
    if "\x00" in value:
        raise ValidationError(f"参数 {name} 含有不允许的字符", fields={name: "含有不允许的字符"})
    return value


def _date(request, name: str, label: str):
    return params.check_date(parse_date(_required(request, name, label), name), name, label)


_STEP_FIELDS: dict[str, serializers.Field] = {
    "date": serializers.DateField(), "counted": serializers.BooleanField(),
    "ordinal": serializers.IntegerField(allow_null=True), "action": serializers.CharField(),
    "reason": serializers.CharField()}


@extend_schema(
    summary="期限计算：起算日后第 n 个工作日（或自然日）",
    parameters=[
        OpenApiParameter("start", str, required=True, description="起算日 YYYY-MM-DD（不计入）"),
        OpenApiParameter("n", int, required=True, description="天数（0～10000）"),
        OpenApiParameter("rule", str, enum=[WD, CAL], description="WD 工作日（默认）或 CAL 自然日"),
        OpenApiParameter("roll_over", str, description="为 1 时自然日期限末日遇节假日顺延"),
    ],
    responses={200: inline_serializer("WorkdayDeadline", {
        "due": serializers.DateField(), "rule": serializers.CharField(), "start": serializers.DateField(),
        "n": serializers.IntegerField(), "roll_over": serializers.BooleanField(),
        "provisional": serializers.BooleanField(),
        "unconfirmed_years": serializers.ListField(child=serializers.IntegerField()),
        "calendar_version": serializers.CharField(), "steps": inline_serializer("WorkdayStep", _STEP_FIELDS, many=True),
        "warning": serializers.CharField()})},
)
@api_view(["GET"])
def add(request):
    """Deadline: ``n`` working days (or calendar days with rule=CAL) after ``start``."""
    start = _date(request, "start", "起算日")
    n = parse_days(_required(request, "n", "天数"))
    rule = params.query_text(request.query_params, "rule", 10).upper() or WD
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


@extend_schema(
    summary="两个日期之间的工作日数（不计 a，计入 b；b 早于 a 时为负数）",
    parameters=[OpenApiParameter("a", str, required=True, description="起算日 YYYY-MM-DD"),
                OpenApiParameter("b", str, required=True, description="截止日 YYYY-MM-DD（与 a 相距不超过50年）")],
    responses={200: inline_serializer("WorkdayCount", {
        "a": serializers.DateField(), "b": serializers.DateField(), "count": serializers.IntegerField(),
        "provisional": serializers.BooleanField(),
        "unconfirmed_years": serializers.ListField(child=serializers.IntegerField())})},
)
@api_view(["GET"])
def count(request):
    """Working days after ``a`` up to and including ``b``."""
    a = _date(request, "a", "起算日")
    b = _date(request, "b", "截止日")
    params.check_range(a, b, names=("a", "b"))
    cal = Calendar(range(min(a, b).year, max(a, b).year + 1))
    unconfirmed = cal.unconfirmed_years(a, b)
    return Response({"a": a.isoformat(), "b": b.isoformat(), "count": cal.count_workdays(a, b),
                     "provisional": bool(unconfirmed), "unconfirmed_years": list(unconfirmed)})


@extend_schema(
    summary="一年的法定节假日和调休上班日",
    parameters=[OpenApiParameter("year", int, required=True, description="年份（1949～2999）")],
    responses={200: inline_serializer("WorkdayCalendar", {
        "year": serializers.IntegerField(), "confirmed": serializers.BooleanField(),
        "source": serializers.CharField(), "notice_title": serializers.CharField(),
        "days": inline_serializer("WorkdayCalendarDay", {
            "date": serializers.DateField(), "kind": serializers.CharField(),
            "kind_display": serializers.CharField(), "festival": serializers.CharField()}, many=True)})},
)
@api_view(["GET"])
def calendar(request):
    """The days off and make-up working days of one year."""
    _required(request, "year", "年份")
    year = params.query_year(request.query_params, label="年份", min_value=1949, max_value=2999)
    assert year is not None  # _required refused a request without one
    return Response(selectors.calendar_days_payload(year))


urlpatterns = [
    path("add/", add, name="add"),
    path("count/", count, name="count"),
    path("calendar/", calendar, name="calendar"),
]
