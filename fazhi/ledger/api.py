"""REST endpoints of the ledger, mounted under /api/v1/ledger/.

* ``plans/`` — plans the user manages or sees.
* ``measures/`` (``?plan=&unit=&status=&area=&year=``) — visible measures with status.
* ``measures/<id>/reports/`` GET the history, POST a progress report
  (``{"unit", "task", "text", "percent", "report_date", "late_reason"}``) —
  the same service as the page: a unit not assigned to the measure is 403.
  The server's date is "today"; a body naming ``today`` is refused (SYS-03).
* ``supervision/`` GET (``?kind=&status=``), POST (``{"measure", "unit", "kind",
  "reason", "issued_on", "deadline"}``) — plan managers only.
"""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.core.errors import NotFound, PermissionDenied, ValidationError
from fazhi.core.rest import endpoint, params
from fazhi.core.rest.errors import ErrorSerializer
from fazhi.core.rest.pagination import LongPagination
from fazhi.ledger import selectors, services
from fazhi.ledger import serializers as s
from fazhi.ledger import status as st
from fazhi.ledger.models import SupervisionKind, SupervisionStatus
from fazhi.ledger.permissions import VIEW
from fazhi.org import access
from fazhi.org.models import Unit


def refuse_client_today(data) -> None:
    """No client may choose "today" (SYS-03): refused outright rather than ignored."""
    if hasattr(data, "keys") and "today" in data.keys():
        message = "“今天”由服务器日期确定，不接受客户端提供的 today"
        raise ValidationError(message, rule="SYS-03", fields={"today": [message]})


def _require_view(user):
    if not access.allowed(user, VIEW):
        raise PermissionDenied("您没有查看任务台账的权限")


class PlanList(generics.ListAPIView):
    serializer_class = s.PlanSerializer
    pagination_class = LongPagination

    def get_queryset(self):
        _require_view(self.request.user)
        return selectors.plans_for(self.request.user).order_by("-year_start", "-pk")

    @extend_schema(summary="实施方案列表", responses={200: s.PlanSerializer(many=True), 401: ErrorSerializer})
    def get(self, request, *a, **kw):
        return super().get(request, *a, **kw)


class MeasureList(generics.ListAPIView):
    serializer_class = s.MeasureSerializer
    pagination_class = LongPagination

    def get_queryset(self):
        _require_view(self.request.user)
        p = self.request.query_params
        return selectors.measure_list(
            self.request.user, timezone.localdate(), plan=params.query_id(p, "plan", "实施方案ID"),
            unit=params.query_id(p, "unit", "单位ID"), status=params.query_choice(p, "status", st.LABELS, label="状态"),
            area=params.query_id(p, "area", "领域ID"), year=params.query_year(p)).order_by("plan_id", "number")

    @extend_schema(summary="措施列表（含状态）", parameters=[
        OpenApiParameter("plan", int), OpenApiParameter("unit", int, description="牵头/配合/任务单位ID"),
        OpenApiParameter("status", str, enum=list(st.LABELS)), OpenApiParameter("area", int),
        OpenApiParameter("year", int, description="完成时限所在年度")],
        responses={200: s.MeasureSerializer(many=True), 400: ErrorSerializer, 401: ErrorSerializer})
    def get(self, request, *a, **kw):
        return super().get(request, *a, **kw)


class MeasureReports(APIView):
    @extend_schema(summary="措施的推进情况", responses={200: s.ReportSerializer(many=True), 404: ErrorSerializer})
    def get(self, request, pk):
        m = selectors.get_measure(request.user, pk)
        rows = m.reports.select_related("unit").order_by("-report_date", "-pk")
        return Response(s.ReportSerializer(rows, many=True).data)

    @extend_schema(summary="报送推进情况", request=s.ReportInput,
                   responses={201: s.ReportSerializer, 400: ErrorSerializer, 401: ErrorSerializer,
                              403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer})
    def post(self, request, pk):
        m = selectors.get_measure(request.user, pk)
        refuse_client_today(request.data)
        data = s.ReportInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        unit = Unit.objects.filter(pk=d["unit"]).first()
        if unit is None:
            raise ValidationError("报送单位不存在", fields={"unit": "单位不存在"})
        task = None
        if d.get("task"):
            task = m.tasks.filter(pk=d["task"]).first()
            if task is None:
                raise NotFound("分解任务不存在")
        r = services.report_progress(m, by=request.user, unit=unit, text=d["text"], percent=d["percent"],
                                     report_date=d["report_date"], today=timezone.localdate(), task=task,
                                     late_reason=d["late_reason"])
        return Response(s.ReportSerializer(r).data, status=201)


class SupervisionList(APIView):
    pagination_class = LongPagination  # the GET list is paginated (and its schema says so)

    @extend_schema(summary="督办问责列表", parameters=[
        OpenApiParameter("kind", str, enum=SupervisionKind.values),
        OpenApiParameter("status", str, enum=SupervisionStatus.values)],
        responses={200: s.SupervisionSerializer(many=True), 401: ErrorSerializer})
    def get(self, request):
        _require_view(request.user)
        p = request.query_params
        qs = selectors.supervision_list(request.user,
                                        kind=params.query_choice(p, "kind", SupervisionKind.values, label="督办方式"),
                                        status=params.query_text(p, "status", 30))
        pager = self.pagination_class()
        page = pager.paginate_queryset(qs.order_by("-issued_on", "-pk"), request, view=self)
        return pager.get_paginated_response(s.SupervisionSerializer(page, many=True).data)

    @extend_schema(summary="作出督办/约谈/责令整改/通报批评", request=s.SupervisionInput,
                   responses={201: s.SupervisionSerializer, 400: ErrorSerializer, 403: ErrorSerializer,
                              404: ErrorSerializer})
    def post(self, request):
        refuse_client_today(request.data)
        data = s.SupervisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        m = selectors.get_measure(request.user, d["measure"])
        unit = Unit.objects.filter(pk=d["unit"]).first()
        if unit is None:
            raise ValidationError("被督办单位不存在", fields={"unit": "单位不存在"})
        a = services.create_supervision(m, by=request.user, unit=unit, kind=d["kind"], reason=d["reason"],
                                        issued_on=d["issued_on"], deadline=d["deadline"], today=timezone.localdate(),
                                        late_reason=d["late_reason"])
        return Response(s.SupervisionSerializer(a).data, status=201)



urlpatterns = [
    path("plans/", endpoint(PlanList), name="plan_list"),
    path("measures/", endpoint(MeasureList), name="measure_list"),
    path("measures/<id:pk>/reports/", endpoint(MeasureReports), name="measure_reports"),
    path("supervision/", endpoint(SupervisionList), name="supervision_list"),
]
