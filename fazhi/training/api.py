"""REST endpoints of training, mounted under /api/v1/training/.

* ``sessions/`` (``?year=&kind=&unit=&status=``), ``sessions/<id>/`` — the
  sessions of units where the user holds ``training.view`` (or
  ``training.view_all``); another unit's session is 404.
* ``sessions/<id>/attendance/`` (POST ``{"rows": [{"name", "unit", "attended",
  "hours"}]}``) — the same all-or-nothing service as the page; bad rows are
  400 with ``error.fields`` keyed "第N行".
* ``hours/?year=`` — hours per person in the user's ``training.view_all`` scope.
* ``shortfall/?year=&unit=`` — the people short of the yearly minimum (ENF-26).
Errors come out in the one shape of fazhi/core/rest/errors.py.
"""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.core.errors import PermissionDenied
from fazhi.core.rest import endpoint, params
from fazhi.core.rest.errors import ErrorSerializer
from fazhi.core.rest.pagination import LongPagination
from fazhi.org import access
from fazhi.training import selectors, services
from fazhi.training import serializers as s
from fazhi.training.importer import Row
from fazhi.training.models import Kind, Status


def _year(request) -> int:
    return params.query_year(request.query_params, default=timezone.localdate().year, min_value=1900,
                             max_value=2200)


SESSION_PARAMS = [
    OpenApiParameter("year", int, description="培训年度（自然年）"),
    OpenApiParameter("kind", str, enum=Kind.values, description="培训类别"),
    OpenApiParameter("unit", int, description="组织单位ID"),
    OpenApiParameter("status", str, enum=Status.values, description="状态"),
]
YEAR_PARAM = OpenApiParameter("year", int, description="年度（默认本年）")


class SessionList(generics.ListAPIView):
    serializer_class = s.SessionSerializer
    pagination_class = LongPagination

    def get_queryset(self):
        p = self.request.query_params
        return selectors.session_list(
            self.request.user, year=params.query_year(p, min_value=1900, max_value=2200),
            kind=params.query_choice(p, "kind", Kind.values, label="培训类别"),
            unit=params.query_id(p, "unit", "单位ID"),
            status=params.query_choice(p, "status", Status.values, label="状态")).order_by("-date", "-pk")

    @extend_schema(summary="培训列表（本人可见单位组织的）", parameters=SESSION_PARAMS,
                   responses={200: s.SessionSerializer(many=True), 400: ErrorSerializer, 401: ErrorSerializer})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SessionDetail(APIView):
    @extend_schema(summary="培训详情（含考勤）",
                   responses={200: s.SessionDetailSerializer, 401: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request, pk: int):
        session = selectors.get_session(request.user, pk)
        session.attendance_rows = selectors.attendance_rows(session)
        return Response(s.SessionDetailSerializer(session).data)


class SessionAttendance(APIView):
    @extend_schema(summary="登记考勤（全部无误才保存）", request=s.AttendanceInput,
                   responses={200: s.ReportSerializer, 400: ErrorSerializer, 401: ErrorSerializer,
                              403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer})
    def post(self, request, pk: int):
        session = selectors.get_session(request.user, pk)
        if not access.allowed(request.user, selectors.MANAGE, session.unit):
            raise PermissionDenied("您没有管理该单位培训的权限")
        data = s.AttendanceInput(data=request.data)
        data.is_valid(raise_exception=True)
        rows = [Row(line=i, name=r["name"], unit=r.get("unit", ""), attended=r.get("attended", True),
                    hours=r.get("hours")) for i, r in enumerate(data.validated_data["rows"], start=1)]
        report = services.record_attendance(session, by=request.user, rows=rows)
        return Response({"created": report.created, "updated": report.updated})


class Hours(generics.ListAPIView):
    serializer_class = s.PersonHoursSerializer
    pagination_class = LongPagination

    def get_queryset(self):
        if not access.allowed(self.request.user, selectors.VIEW_ALL):
            raise PermissionDenied("您没有查看人员学时的权限")
        return selectors.people_with_hours(self.request.user, _year(self.request)).order_by("unit__path", "name")

    @extend_schema(summary="人员年度学时（本人可查看的单位）", parameters=[YEAR_PARAM],
                   responses={200: s.PersonHoursSerializer(many=True), 401: ErrorSerializer, 403: ErrorSerializer})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class Shortfall(generics.ListAPIView):
    serializer_class = s.PersonHoursSerializer
    pagination_class = LongPagination

    def get_queryset(self):
        if not access.allowed(self.request.user, selectors.VIEW_ALL):
            raise PermissionDenied("您没有查看学时达标情况的权限")
        return selectors.shortfall(self.request.user, _year(self.request),
                                   unit=params.query_id(self.request.query_params, "unit", "单位ID"))

    @extend_schema(summary="学时未达标人员（ENF-26）",
                   parameters=[YEAR_PARAM, OpenApiParameter("unit", int, description="单位ID")],
                   responses={200: s.PersonHoursSerializer(many=True), 401: ErrorSerializer, 403: ErrorSerializer})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)



urlpatterns = [
    path("sessions/", endpoint(SessionList), name="session_list"),
    path("sessions/<id:pk>/", endpoint(SessionDetail), name="session_detail"),
    path("sessions/<id:pk>/attendance/", endpoint(SessionAttendance), name="session_attendance"),
    path("hours/", endpoint(Hours), name="hours"),
    path("shortfall/", endpoint(Shortfall), name="shortfall"),
]
