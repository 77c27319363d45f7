"""REST endpoints of 考核评价, mounted under /api/v1/assessment/.

* ``indicators/`` — the registered indicators (code, name, module, formula,
  rule, default target) and this year's weight/target (``?year=``).
* ``values/?year=&unit=`` — values per unit and indicator for the units the
  user may see (``assessment.view``); ``unit`` narrows to one (404 outside
  scope).
* ``values/<unit>/<code>/records/?year=`` — the drill-down: the records
  behind one figure, with why each counts or not.
* ``ranking/?year=`` — units by score; 无数据 units last, unranked.

Same scoping as the pages; errors in the one shape of fazhi/core/rest/errors.py.
"""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.assessment import registry, selectors
from fazhi.core.errors import PermissionDenied
from fazhi.core.rest import endpoint, params
from fazhi.core.rest.errors import ErrorSerializer
from fazhi.org import access

YEAR = OpenApiParameter("year", int, description="年度（默认本年）")


def _year(request) -> int:
    return params.query_year(request.query_params, default=timezone.localdate().year, min_value=2000,
                             max_value=2100)


def _require_view(user):
    if not access.allowed(user, selectors.VIEW):
        raise PermissionDenied("您没有查看考核指标的权限")


class ValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    module = serializers.CharField()
    rule = serializers.CharField()
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    value = serializers.FloatField(allow_null=True, help_text="0～1；null 表示无数据")
    target = serializers.FloatField()
    weight = serializers.FloatField()
    met = serializers.BooleanField(allow_null=True)
    url = serializers.CharField(help_text="钻取页面")


class UnitValuesSerializer(serializers.Serializer):
    unit_id = serializers.IntegerField(source="unit.pk")
    unit = serializers.CharField(source="unit.name")
    score = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    standing = serializers.CharField(help_text="名次，或不排名的原因：不参与排名（本级政府）/ 数据不足 / 无数据")
    values = ValueSerializer(many=True)


class RecordSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.CharField()
    counted = serializers.BooleanField()
    note = serializers.CharField()
    date = serializers.DateField(allow_null=True)


class Indicators(APIView):
    @extend_schema(summary="考核指标清单（含本年度权重与目标）", parameters=[YEAR], responses={
        200: inline_serializer("Indicator", {
            "code": serializers.CharField(), "name": serializers.CharField(), "module": serializers.CharField(),
            "description": serializers.CharField(), "rule": serializers.CharField(),
            "default_target": serializers.FloatField(), "target": serializers.FloatField(),
            "weight": serializers.FloatField()}, many=True),
        401: ErrorSerializer, 403: ErrorSerializer})
    def get(self, request):
        _require_view(request.user)
        w = selectors.weights(_year(request))
        return Response([{"code": i.code, "name": i.name, "module": i.module, "description": i.description,
                          "rule": i.rule, "default_target": i.default_target, "weight": float(w[i.code][0]),
                          "target": float(w[i.code][1])} for i in registry.indicators()])


class Values(APIView):
    @extend_schema(summary="各单位指标值（本人可查看的单位）",
                   parameters=[YEAR, OpenApiParameter("unit", int, description="单位ID")],
                   responses={200: UnitValuesSerializer(many=True), 400: ErrorSerializer, 401: ErrorSerializer,
                              403: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request):
        user = request.user
        _require_view(user)
        year = _year(request)
        unit = params.query_id(request.query_params, "unit", "单位ID")
        if unit is not None:
            units = [selectors.get_unit(user, unit)]
        else:
            units = list(selectors.assessable_units(user))
        table = selectors.all_units_values(year, units)
        return Response(UnitValuesSerializer(table.rows, many=True).data)


class Records(APIView):
    @extend_schema(summary="指标钻取：计入该数值的记录", parameters=[YEAR],
                   responses={200: RecordSerializer(many=True), 401: ErrorSerializer, 403: ErrorSerializer,
                              404: ErrorSerializer})
    def get(self, request, unit: int, code: str):
        user = request.user
        _require_view(user)
        d = selectors.drill_down(selectors.get_unit(user, unit), _year(request), code)
        return Response(RecordSerializer(d.records, many=True).data)


class Ranking(APIView):
    @extend_schema(summary="单位排名（按综合得分；无数据单位不排名）", parameters=[YEAR],
                   responses={200: UnitValuesSerializer(many=True), 401: ErrorSerializer, 403: ErrorSerializer})
    def get(self, request):
        _require_view(request.user)
        return Response(UnitValuesSerializer(selectors.ranking(_year(request), request.user), many=True).data)



urlpatterns = [
    path("indicators/", endpoint(Indicators), name="indicators"),
    path("values/", endpoint(Values), name="values"),
    path("values/<id:unit>/<slug:code>/records/", endpoint(Records), name="records"),
    path("ranking/", endpoint(Ranking), name="ranking"),
]
