"""REST endpoints of the annual report, mounted under /api/v1/reports/.

* ``GET  /`` (``?year=&unit=&status=``) — reports of units the user may see.
* ``GET  <id>/`` — one report with its sections (generated, edited and
  resolved text), figures (value, source, drill-down link) and recipients.
* ``POST generate/`` ``{"unit", "year"}`` — draft or re-draft (keeps edits).
* ``PATCH <id>/sections/<key>/`` ``{"text"}`` — the staff's text of a section.
* ``POST <id>/review/ | return/ | submit/ | publish/`` — the transitions
  (``note``; ``reason``; ``submitted_on`` + ``recipients``; ``published_on``).
* ``GET  <id>/docx/`` — the .docx.

The same services and selectors as the pages; errors in the one shape of
fazhi/core/rest/errors.py (400 bad input, 403, 404 outside scope, 409 wrong state).
"""

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.annual_report import selectors, services
from fazhi.annual_report import serializers as s
from fazhi.annual_report.models import Report, Section, Status
from fazhi.annual_report.permissions import ACTION_PERMISSION, DRAFT
from fazhi.annual_report.views import docx_response
from fazhi.core.errors import NotFound, PermissionDenied, ValidationError
from fazhi.core.rest import endpoint, params
from fazhi.core.rest.errors import ErrorSerializer
from fazhi.core.rest.pagination import LongPagination
from fazhi.org import access

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer,
          409: ErrorSerializer}


def _today():
    return timezone.localdate()


def refuse_client_today(data) -> None:
    """No client may choose "today" (SYS-03): refused outright rather than ignored."""
    if hasattr(data, "keys") and "today" in data.keys():
        message = "“今天”由服务器日期确定，不接受客户端提供的 today"
        raise ValidationError(message, rule="SYS-03", fields={"today": [message]})


def _detail(request, report: Report) -> Response:
    report = Report.objects.select_related("unit").prefetch_related("figures", "recipients").get(pk=report.pk)
    return Response(s.ReportDetailSerializer(report, context={
        "actions": selectors.actions(request.user, report, services.workflow_facts(report))}).data)


class ReportList(generics.ListAPIView):
    serializer_class = s.ReportSerializer
    pagination_class = LongPagination

    def get_queryset(self):
        p = self.request.query_params
        return selectors.report_list(
            self.request.user, year=params.query_year(p), unit=params.query_id(p, "unit", "单位ID"),
            status=params.query_choice(p, "status", Status.values, label="状态")).order_by("-year", "unit__path", "pk")

    @extend_schema(summary="年度报告列表", responses={200: s.ReportSerializer(many=True), **ERRORS},
                   parameters=[OpenApiParameter("year", int), OpenApiParameter("unit", int),
                               OpenApiParameter("status", str, enum=Status.values)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ReportDetail(APIView):
    @extend_schema(summary="年度报告详情（章节、数据项及来源）", responses={200: s.ReportDetailSerializer, **ERRORS})
    def get(self, request, pk: int):
        return _detail(request, selectors.get_report(request.user, pk))


class Generate(APIView):
    @extend_schema(summary="生成/重新生成报告草稿（保留人工修改）", request=s.GenerateInput,
                   responses={201: s.ReportDetailSerializer, 200: s.ReportDetailSerializer, **ERRORS})
    def post(self, request):
        data = s.GenerateInput(data=request.data)
        data.is_valid(raise_exception=True)
        unit = selectors.reporting_units(request.user, DRAFT).filter(pk=data.validated_data["unit"]).first()
        if unit is None:
            if not access.visible_units(request.user, DRAFT).filter(pk=data.validated_data["unit"]).exists():
                raise PermissionDenied("您没有起草该单位报告的权限")
            raise ValidationError("该单位不单独报告（内设机构、事业单位或已停用）", fields={"unit": "该单位不单独报告"})
        existed = Report.objects.filter(unit=unit, year=data.validated_data["year"]).exists()
        report = services.generate_report(unit, data.validated_data["year"], by=request.user,
                                          today=_today())
        resp = _detail(request, report)
        resp.status_code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return resp


class SectionEdit(APIView):
    @extend_schema(summary="修改章节正文（以 {{数据项}} 引用数据）", request=s.SectionInput,
                   responses={200: s.SectionSerializer, **ERRORS})
    def patch(self, request, pk: int, key: str):
        report = selectors.get_report(request.user, pk)
        section = Section.objects.filter(report=report, key=key).first()
        if section is None:
            raise NotFound("章节不存在")
        data = s.SectionInput(data=request.data)
        data.is_valid(raise_exception=True)
        section = services.edit_section(section, by=request.user, text=data.validated_data["text"])
        figures = {f.key: f for f in report.figures.all()}
        return Response(s.SectionSerializer(section, context={"figures": figures}).data)


class Transition(APIView):
    action = ""

    @extend_schema(summary="流转：审核 / 退回修改 / 报送 / 公开", request=s.ActionInput,
                   responses={200: s.ReportDetailSerializer, **ERRORS})
    def post(self, request, pk: int):
        report = selectors.get_report(request.user, pk)
        if not access.allowed(request.user, ACTION_PERMISSION[self.action], report.unit):
            raise PermissionDenied()
        refuse_client_today(request.data)
        data = s.ActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        d, today = data.validated_data, _today()
        if self.action == "review":
            services.review(report, by=request.user, today=today, note=d.get("note", ""))
        elif self.action == "return":
            services.return_for_changes(report, by=request.user, reason=d.get("reason", ""), today=today)
        elif self.action == "submit":
            services.submit(report, by=request.user, submitted_on=d.get("submitted_on") or today, today=today,
                            recipients=d.get("recipients", []), late_reason=d.get("late_reason", ""))
        elif self.action == "publish":
            services.publish(report, by=request.user, published_on=d.get("published_on") or today, today=today,
                             late_reason=d.get("late_reason", ""))
        return _detail(request, report)


class Docx(APIView):
    @extend_schema(summary="下载 Word 文档", responses={
        (200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"): OpenApiResponse(
            OpenApiTypes.BINARY, description=".docx"), **ERRORS})
    def get(self, request, pk: int):
        return docx_response(selectors.get_report(request.user, pk))



urlpatterns = [
    path("", endpoint(ReportList.as_view()), name="list"),
    path("generate/", endpoint(Generate.as_view()), name="generate"),
    path("<id:pk>/", endpoint(ReportDetail.as_view()), name="detail"),
    path("<id:pk>/sections/<slug:key>/", endpoint(SectionEdit.as_view()), name="section"),
    path("<id:pk>/docx/", endpoint(Docx.as_view()), name="docx"),
] + [
    path(f"<id:pk>/{a}/", endpoint(Transition.as_view(action=a)), name=a) for a in ("review", "return", "submit", "publish")
]
