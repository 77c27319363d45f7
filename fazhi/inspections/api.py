"""REST endpoints of 双随机、一公开, mounted under /api/v1/inspections/.

Public, read-only (AllowAny) — exactly what the portal shows:

* ``public/items/`` — the published item list (current versions; ENF-28).
* ``public/draws/``, ``public/draws/<id>/`` — draws from their commitment on
  (commitment and pool hashes); seed and witness input once published.
* ``public/draws/<id>/receipt/`` — the receipt of a published draw (404 before).
* ``public/results/`` — published results (``?q=`` name or credit code, ``?unit=``);
  an individual business's operator masked.

Signed-in staff (scoped by ``selectors``; another unit's record is 404, an
action the user's roles do not allow is 403, anonymous is 401):

* ``items/``, ``entities/`` (filters ``q``, ``industry``, ``region``, ``risk_level``),
  ``inspectors/``, ``plans/``, ``tasks/``, ``draws/``, ``inspections/`` — lists,
  each with ``<id>/``.
* ``tasks/<id>/witnesses/`` (GET, POST ``name``, ``capacity``, ``kind``, ``source``) — the 监督人
  of the draw, before the freeze; ``witnesses/<id>/commit/`` (POST ``secret`` or
  ``commitment``), ``witnesses/<id>/remove/`` (POST) before the freeze;
  ``witnesses/<id>/reveal/`` (POST ``value``) after it.
* ``tasks/<id>/commit/`` (POST) — freeze the pools and the parameters, commit.
* ``draws/<id>/reveal/`` (POST; ``witness_input`` only for a ``fazhi-draw/1`` draw),
  ``draws/<id>/publish/`` (POST), ``draws/<id>/receipt/`` (GET).
* ``inspections/<id>/result/`` (POST), ``inspections/<id>/publish/`` (POST);
  ``inspections/publish/`` (POST ``ids``) publishes several, all or none.
* ``imports/`` (GET list, POST multipart ``file`` starts an import: 202),
  ``imports/<id>/`` — status with live progress.
* ``statistics/?year=`` — coverage by department, industry and region, the
  share of random inspections against the target, results by type.

Every write calls the same service as the pages; refusals come out in the
one error shape (``fazhi/core/rest/errors.py``) with the rule (409 ``RAND-05`` …).
"""

from dataclasses import asdict
from datetime import date
from decimal import Decimal

from django.db import models as dj_models
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.core.errors import NotFound, ValidationError
from fazhi.core.rest import endpoint, params
from fazhi.core.rest.errors import ErrorSerializer
from fazhi.core.rest.pagination import Pagination as BasePagination
from fazhi.core.tables import CappedPaginator
from fazhi.inspections import selectors, services
from fazhi.inspections import serializers as s
from fazhi.inspections.views.common import COUNT_LIMIT
from fazhi.org.access import person_of
from fazhi.org.models import Unit


class Pagination(BasePagination):
    """The shared 30 per page, and a client may ask for up to 200."""

    page_size_query_param = "page_size"
    max_page_size = 200


class BoundedPagination(Pagination):
    """For the object pool (millions of rows): the count stops at COUNT_LIMIT
    (``count_truncated`` says so) instead of scanning the whole table."""

    def django_paginator_class(self, object_list, per_page, **kw):
        return CappedPaginator(object_list, per_page, limit=COUNT_LIMIT, **kw)

    def get_paginated_response(self, data):
        resp = super().get_paginated_response(data)
        resp.data["count_truncated"] = self.page.paginator.truncated
        return resp

    def get_paginated_response_schema(self, schema):
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count_truncated"] = {"type": "boolean"}
        return out


def _today() -> date:
    return timezone.localdate()


def _q(request, key: str, max_length: int = 100) -> str:
    return params.query_text(request.query_params, key, max_length)


def _unit(request) -> int | None:
    return params.query_id(request.query_params, "unit", "单位ID")


def _get(qs, pk: int):
    obj = qs.filter(pk=pk).first()
    if obj is None:
        raise NotFound("记录不存在或不在您的权限范围内")
    return obj


def _plain(value):
    """Statistics rows -> JSON: units as {id, name}, decimals as strings."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Unit):
        return {"id": value.pk, "name": value.name}
    if isinstance(value, dj_models.Model):
        return {"id": value.pk, "name": str(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


# ================================================================= public


class PublicItemList(generics.ListAPIView):
    """The published item list (RAND-02/04): current versions, per department."""

    permission_classes = [AllowAny]
    serializer_class = s.PublicInspectionItemSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.public_items(unit_id=_unit(self.request))

    @extend_schema(summary="随机抽查事项清单（公开）",
                   parameters=[OpenApiParameter("unit", int, description="检查部门（单位ID）")], auth=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _public_draw(d, request=None) -> dict:
    pd = asdict(selectors.PublicDraw.of(d))
    published = pd["published"]
    pd["receipt_url"] = reverse("inspections_portal:draw_receipt", args=[d.pk]) if published else None
    pd["bundle_url"] = reverse("inspections_portal:draw_bundle", args=[d.pk]) if published else None
    return s.PublicInspectionDrawSerializer(pd).data


class PublicDrawList(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.PublicInspectionDrawSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.public_draws(unit_id=_unit(self.request))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([_public_draw(d) for d in page])

    @extend_schema(summary="随机抽取（公开：承诺值、名录哈希；公开后含种子）",
                   parameters=[OpenApiParameter("unit", int, description="牵头部门（单位ID）")], auth=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _draw_or_404(pk: int):
    d = selectors.public_draw(pk)
    if d is None:
        raise Http404
    return d


class PublicDrawDetail(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="一次随机抽取（公开）", responses={200: s.PublicInspectionDrawSerializer, 404: ErrorSerializer},
                   auth=[])
    def get(self, request, pk: int):
        return Response(_public_draw(_draw_or_404(pk)))


class PublicDrawReceipt(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="抽取凭证 receipt.json（公开后）",
                   description="与 draw_export 写出的 receipt.json 内容相同；抽取结果公开前返回 404。",
                   responses={200: OpenApiTypes.OBJECT, 404: ErrorSerializer}, auth=[])
    def get(self, request, pk: int):
        d = _draw_or_404(pk)
        if not selectors.is_published(d) or not d.receipt:
            raise NotFound("抽取凭证尚未公开")
        return Response(d.receipt)


class PublicResultList(generics.ListAPIView):
    """Published results (RAND-07), newest publication first."""

    permission_classes = [AllowAny]
    serializer_class = s.PublicInspectionResultSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.public_results(q=_q(self.request, "q", selectors.Q_MAX),
                                           unit_id=_unit(self.request))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = [asdict(r) for r in selectors.PublicResult.many(page)]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(summary="抽查结果公示（公开）", parameters=[
        OpenApiParameter("q", str, description="企业名称中的字词或统一社会信用代码（前缀）"),
        OpenApiParameter("unit", int, description="检查部门（单位ID）")], auth=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# ================================================================== staff

STAFF_ERRORS = {401: ErrorSerializer, 404: ErrorSerializer}
ACTION_ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer,
                 409: ErrorSerializer}


def _list_view(name: str, serializer, selector, summary: str, *, params=(), filters=None, pagination=Pagination,
               context=None):
    """A scoped list endpoint: ``selector(user)`` (+ optional query filters)."""

    def get_queryset(self):
        qs = selector(self.request.user, self.request) if filters else selector(self.request.user)
        return qs

    def get_serializer_context(self):
        ctx = generics.ListAPIView.get_serializer_context(self)
        return {**ctx, **(context or {})}

    @extend_schema(summary=summary, parameters=list(params), responses={200: serializer(many=True), **STAFF_ERRORS})
    def get(self, request, *args, **kwargs):
        return generics.ListAPIView.get(self, request, *args, **kwargs)

    return type(name, (generics.ListAPIView,), {
        "serializer_class": serializer, "pagination_class": pagination, "get_queryset": get_queryset,
        "get_serializer_context": get_serializer_context, "get": get, "__doc__": summary,
    })


def _detail_view(name: str, serializer, selector, summary: str):
    @extend_schema(summary=summary, responses={200: serializer, **STAFF_ERRORS})
    def get(self, request, pk: int):
        return Response(serializer(_get(selector(request.user), pk), context={"today": _today()}).data)

    return type(name, (APIView,), {"get": get, "__doc__": summary})


def _items(user, request):
    qs = selectors.current_items(user).select_related("unit")
    unit = _unit(request)
    st = _q(request, "status", 20)
    if unit:
        qs = qs.filter(unit_id=unit)
    if st:
        qs = qs.filter(status=st)
    return qs


def _entities(user, request):
    return selectors.entities(user, q=_q(request, "q"), industry=_q(request, "industry"),
                              region=_q(request, "region"), risk_level=_q(request, "risk_level", 10))


def _inspections(user, request):
    qs = selectors.inspections(user).select_related("unit", "entity").prefetch_related("officers")
    for key in ("status", "kind", "result"):
        v = _q(request, key, 20)
        if v:
            qs = qs.filter(**{key: v})
    year = params.query_year(request.query_params)
    if year:
        qs = qs.filter(year=year)
    task = params.query_id(request.query_params, "task", "任务ID")
    if task:
        qs = qs.filter(task_id=task)
    return qs


def _plans(user):
    return (selectors.plans(user).select_related("unit").prefetch_related("participating_units", "tasks")
            .order_by("-year", "unit__path", "pk"))


def _tasks(user):
    return selectors.tasks(user).select_related("unit", "draw").prefetch_related("items")


def _draws(user):
    return selectors.draws(user).select_related("unit").prefetch_related("task__witnesses")


def _inspectors(user):
    return selectors.inspectors(user)


def _imports(user):
    return selectors.imports(user).select_related("unit")


STATUS_PARAM = OpenApiParameter("status", str, description="状态代码")
UNIT_PARAM = OpenApiParameter("unit", int, description="单位ID")

ItemList = _list_view("ItemList", s.InspectionItemSerializer, _items, "抽查事项（现行版本，含草稿）",
                      params=[UNIT_PARAM, STATUS_PARAM], filters=True)
ItemDetail = _detail_view("ItemDetail", s.InspectionItemSerializer, selectors.items, "抽查事项")
EntityList = _list_view("EntityList", s.InspectionEntitySerializer, _entities, "检查对象名录库（筛选、分页）", params=[
    OpenApiParameter("q", str, description="名称或统一社会信用代码"), OpenApiParameter("industry", str),
    OpenApiParameter("region", str), OpenApiParameter("risk_level", str, enum=["low", "medium", "high"])],
    filters=True, pagination=BoundedPagination)
EntityDetail = _detail_view("EntityDetail", s.InspectionEntitySerializer, lambda u: selectors.entities(u), "检查对象")
InspectorList = _list_view("InspectorList", s.InspectionInspectorSerializer, _inspectors, "执法检查人员名录库")
InspectorDetail = _detail_view("InspectorDetail", s.InspectionInspectorSerializer, _inspectors, "检查人员")
PlanList = _list_view("PlanList", s.InspectionPlanSerializer, _plans, "抽查计划")
PlanDetail = _detail_view("PlanDetail", s.InspectionPlanSerializer, _plans, "抽查计划")
TaskList = _list_view("TaskList", s.InspectionTaskSerializer, _tasks, "抽查任务")
TaskDetail = _detail_view("TaskDetail", s.InspectionTaskSerializer, _tasks, "抽查任务")
DrawList = _list_view("DrawList", s.InspectionDrawSerializer, _draws, "随机抽取")
DrawDetail = _detail_view("DrawDetail", s.InspectionDrawSerializer, _draws, "随机抽取")
InspectionList = _list_view("InspectionList", s.InspectionSerializer, _inspections, "检查记录与结果", params=[
    STATUS_PARAM, OpenApiParameter("kind", str, enum=["random", "non_random"]), OpenApiParameter("result", str),
    OpenApiParameter("year", int), OpenApiParameter("task", int)], filters=True)
InspectionDetail = _detail_view("InspectionDetail", s.InspectionSerializer,
                                lambda u: selectors.inspections(u).select_related("unit", "entity"), "检查记录")


# ------------------------------------------------------------ actions


def refuse_client_clock(data) -> None:
    """The server's clock is the only today (SYS-03): a client-sent ``today``
    or ``now`` is refused outright (nothing changes), not silently ignored."""
    sent = [k for k in ("today", "now") if hasattr(data, "keys") and k in data.keys()]
    if sent:
        message = "“今天”由服务器日期确定，不接受客户端提供的 " + "、".join(sent)
        raise ValidationError(message, rule="SYS-03", fields={k: [message] for k in sent})



class TaskCommit(APIView):
    @extend_schema(summary="冻结名录并承诺种子（RAND-05）", request=None,
                   description="冻结符合条件的检查对象、检查人员和回避关系，记录种子承诺值。计划未批准或事项未公布时 409。",
                   responses={201: s.InspectionDrawSerializer, **ACTION_ERRORS})
    def post(self, request, pk: int):
        refuse_client_clock(request.data)
        task = _get(selectors.tasks(request.user), pk)
        d = services.commit_draw(task, by=request.user)
        return Response(s.InspectionDrawSerializer(d).data, status=status.HTTP_201_CREATED)


class TaskWitnesses(APIView):
    @extend_schema(summary="抽取监督人", responses={200: s.DrawWitnessSerializer(many=True), **STAFF_ERRORS})
    def get(self, request, pk: int):
        task = _get(selectors.tasks(request.user), pk)
        return Response(s.DrawWitnessSerializer(task.witnesses.order_by("position"), many=True).data)

    @extend_schema(summary="登记抽取监督人（冻结前）", request=s.WitnessAddInput,
                   responses={201: s.DrawWitnessSerializer, **ACTION_ERRORS})
    def post(self, request, pk: int):
        refuse_client_clock(request.data)
        task = _get(selectors.tasks(request.user), pk)
        data = s.WitnessAddInput(data=request.data)
        data.is_valid(raise_exception=True)
        w = services.add_witness(task, by=request.user, **data.validated_data)
        return Response(s.DrawWitnessSerializer(w).data, status=status.HTTP_201_CREATED)


class WitnessCommit(APIView):
    @extend_schema(summary="监督人提交承诺值（冻结前）", request=s.WitnessCommitInput,
                   description="secret：秘密值，服务器只保存其 SHA-256；或 commitment：自行计算的 SHA-256。",
                   responses={200: s.DrawWitnessSerializer, **ACTION_ERRORS})
    def post(self, request, pk: int):
        refuse_client_clock(request.data)
        w = _get(selectors.witnesses(request.user), pk)
        data = s.WitnessCommitInput(data=request.data)
        data.is_valid(raise_exception=True)
        w = services.commit_witness(w, by=request.user, **data.validated_data)
        return Response(s.DrawWitnessSerializer(w).data)


class WitnessReveal(APIView):
    @extend_schema(summary="监督人揭示（冻结后）", request=s.WitnessRevealInput,
                   description="秘密值须与冻结前的承诺值相符，否则 400、不作记录。",
                   responses={200: s.DrawWitnessSerializer, **ACTION_ERRORS})
    def post(self, request, pk: int):
        refuse_client_clock(request.data)
        w = _get(selectors.witnesses(request.user), pk)
        data = s.WitnessRevealInput(data=request.data)
        data.is_valid(raise_exception=True)
        w = services.reveal_witness(w, by=request.user, value=data.validated_data["value"])
        return Response(s.DrawWitnessSerializer(w).data)


class WitnessRemove(APIView):
    @extend_schema(summary="删除抽取监督人（冻结前）", request=None, responses={204: None, **ACTION_ERRORS})
    def post(self, request, pk: int):
        refuse_client_clock(request.data)
        services.remove_witness(_get(selectors.witnesses(request.user), pk), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DrawReveal(APIView):
    @extend_schema(summary="揭示服务器种子并抽取", request=s.DrawRevealInput,
                   description="各监督人揭示后抽取；fazhi-draw/1 的抽取须提供 witness_input。",
                   responses={200: s.InspectionDrawSerializer, **ACTION_ERRORS})
    def post(self, request, pk: int):
        refuse_client_clock(request.data)
        d = _get(selectors.draws(request.user), pk)
        data = s.DrawRevealInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = services.reveal_draw(d, by=request.user, witness_input=data.validated_data["witness_input"],
                                 witness_name=data.validated_data.get("witness_name", ""))
        return Response(s.InspectionDrawSerializer(d).data)


class DrawPublish(APIView):
    @extend_schema(summary="公开抽取结果（凭证上门户）", request=None, responses={200: s.InspectionDrawSerializer, **ACTION_ERRORS})
    def post(self, request, pk: int):
        refuse_client_clock(request.data)
        d = services.publish_draw(_get(selectors.draws(request.user), pk), by=request.user)
        return Response(s.InspectionDrawSerializer(d).data)


class DrawReceipt(APIView):
    @extend_schema(summary="抽取凭证（揭示后）", responses={200: OpenApiTypes.OBJECT, **STAFF_ERRORS})
    def get(self, request, pk: int):
        receipt = selectors.draw_receipt(_get(selectors.draws(request.user), pk))
        if receipt is None:
            raise NotFound("该抽取尚未揭示种子，没有抽取凭证")
        return Response(receipt)


class InspectionResult(APIView):
    @extend_schema(summary="录入检查结果", request=s.InspectionResultInput,
                   responses={200: s.InspectionSerializer, **ACTION_ERRORS})
    def post(self, request, pk: int):
        i = _get(selectors.inspections(request.user), pk)
        refuse_client_clock(request.data)
        data = s.InspectionResultInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        officers = None
        if d.get("officers") is not None:
            found = {o.pk: o for o in selectors.inspectors(request.user).filter(pk__in=d["officers"])}
            missing = [str(x) for x in d["officers"] if x not in found]
            if missing:
                raise ValidationError("检查人员不存在：" + "、".join(missing), fields={"officers": ["请重新选择检查人员"]})
            officers = [found[x] for x in d["officers"]]
        i = services.record_result(i, by=request.user, result=d["result"], inspected_on=d["inspected_on"],
                                   today=timezone.localdate(), findings=d.get("findings", ""), officers=officers,
                                   late_reason=d.get("late_reason", ""))
        return Response(s.InspectionSerializer(i).data)


class InspectionPublish(APIView):
    @extend_schema(summary="公示检查结果（RAND-07）", request=s.ResultPublishInput,
                   responses={200: s.InspectionSerializer, **ACTION_ERRORS})
    def post(self, request, pk: int):
        i = _get(selectors.inspections(request.user), pk)
        refuse_client_clock(request.data)
        data = s.ResultPublishInput(data=request.data)
        data.is_valid(raise_exception=True)
        i = services.publish_result(i, by=request.user, now=timezone.now(),
                                    content=data.validated_data.get("content") or None)
        return Response(s.InspectionSerializer(i).data)


class InspectionPublishBatch(APIView):
    @extend_schema(summary="批量公示检查结果（RAND-07）", request=s.ResultBatchPublishInput,
                   operation_id="inspections_inspections_publish_batch",
                   description="全部公示或全部不公示：其中一条被拒绝时，一条也不公示，错误说明指出是哪个检查对象。",
                   responses={200: s.InspectionSerializer(many=True), **ACTION_ERRORS})
    def post(self, request):
        refuse_client_clock(request.data)
        data = s.ResultBatchPublishInput(data=request.data)
        data.is_valid(raise_exception=True)
        ids = list(dict.fromkeys(data.validated_data["ids"]))
        found = {i.pk: i for i in selectors.inspections(request.user).filter(pk__in=ids).select_related("entity")}
        missing = [str(pk) for pk in ids if pk not in found]
        if missing:
            raise NotFound("检查记录不存在：" + "、".join(missing))
        published = services.publish_results([found[pk] for pk in ids], by=request.user, now=timezone.now())
        return Response(s.InspectionSerializer(published, many=True).data)


# ------------------------------------------------------------ imports


class ImportList(generics.ListAPIView):
    serializer_class = s.EntityImportSerializer
    pagination_class = Pagination
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        return _imports(self.request.user)

    @extend_schema(summary="检查对象导入批次", responses={200: s.EntityImportSerializer(many=True), **STAFF_ERRORS})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(summary="上传并开始导入检查对象（CSV/xlsx，全部成功才入库）", request={
        "multipart/form-data": s.EntityImportStartInput}, responses={202: s.EntityImportSerializer, **ACTION_ERRORS})
    def post(self, request):
        data = s.EntityImportStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        unit_id = data.validated_data.get("unit")
        if unit_id is not None:
            unit = Unit.objects.filter(pk=unit_id).first()
            if unit is None:
                raise ValidationError("单位不存在", fields={"unit": ["请重新选择单位"]})
        else:
            person = person_of(request.user)
            if person is None:
                raise ValidationError("请指定导入单位", fields={"unit": ["请指定导入单位"]})
            unit = person.unit
        batch = services.start_import(data.validated_data["file"], by=request.user, unit=unit)
        return Response(s.EntityImportSerializer(batch).data, status=status.HTTP_202_ACCEPTED)


class ImportDetail(APIView):
    @extend_schema(summary="导入批次状态与进度", description="运行中时 progress 为实时进度（processed/total/percent）。",
                   responses={200: OpenApiResponse(s.EntityImportSerializer), **STAFF_ERRORS})
    def get(self, request, pk: int):
        batch = _get(_imports(request.user), pk)
        body = dict(s.EntityImportSerializer(batch).data)
        body["progress"] = s.EntityImportProgressSerializer(selectors.import_progress(batch.pk)).data
        return Response(body)


# ------------------------------------------------------------ statistics


class Statistics(APIView):
    @extend_schema(summary="统计：覆盖率、双随机占比、结果分类", parameters=[
        OpenApiParameter("year", int, description="年度（默认今年）")],
        responses={200: s.InspectionStatisticsSerializer, **STAFF_ERRORS})
    def get(self, request):
        year = params.query_year(request.query_params, default=_today().year, min_value=2000, max_value=2999)
        user = request.user
        return Response(_plain({
            "year": year,
            "coverage_by_department": selectors.coverage_by_department(user, year),
            "coverage_by_industry": selectors.coverage_by_industry(user, year),
            "coverage_by_region": selectors.coverage_by_region(user, year),
            "random_share": selectors.random_share(user, year),
            "results_by_type": selectors.results_by_type(user, year),
        }))



urlpatterns = [
    path("public/items/", endpoint(PublicItemList), name="public_item_list"),
    path("public/draws/", endpoint(PublicDrawList), name="public_draw_list"),
    path("public/draws/<id:pk>/", endpoint(PublicDrawDetail), name="public_draw_detail"),
    path("public/draws/<id:pk>/receipt/", endpoint(PublicDrawReceipt), name="public_draw_receipt"),
    path("public/results/", endpoint(PublicResultList), name="public_result_list"),
    path("items/", endpoint(ItemList), name="item_list"),
    path("items/<id:pk>/", endpoint(ItemDetail), name="item_detail"),
    path("entities/", endpoint(EntityList), name="entity_list"),
    path("entities/<id:pk>/", endpoint(EntityDetail), name="entity_detail"),
    path("inspectors/", endpoint(InspectorList), name="inspector_list"),
    path("inspectors/<id:pk>/", endpoint(InspectorDetail), name="inspector_detail"),
    path("plans/", endpoint(PlanList), name="plan_list"),
    path("plans/<id:pk>/", endpoint(PlanDetail), name="plan_detail"),
    path("tasks/", endpoint(TaskList), name="task_list"),
    path("tasks/<id:pk>/", endpoint(TaskDetail), name="task_detail"),
    path("tasks/<id:pk>/commit/", endpoint(TaskCommit), name="task_commit"),
    path("tasks/<id:pk>/witnesses/", endpoint(TaskWitnesses), name="task_witnesses"),
    path("witnesses/<id:pk>/commit/", endpoint(WitnessCommit), name="witness_commit"),
    path("witnesses/<id:pk>/reveal/", endpoint(WitnessReveal), name="witness_reveal"),
    path("witnesses/<id:pk>/remove/", endpoint(WitnessRemove), name="witness_remove"),
    path("draws/", endpoint(DrawList), name="draw_list"),
    path("draws/<id:pk>/", endpoint(DrawDetail), name="draw_detail"),
    path("draws/<id:pk>/reveal/", endpoint(DrawReveal), name="draw_reveal"),
    path("draws/<id:pk>/publish/", endpoint(DrawPublish), name="draw_publish"),
    path("draws/<id:pk>/receipt/", endpoint(DrawReceipt), name="draw_receipt"),
    path("inspections/", endpoint(InspectionList), name="inspection_list"),
    path("inspections/publish/", endpoint(InspectionPublishBatch), name="inspection_publish_batch"),
    path("inspections/<id:pk>/", endpoint(InspectionDetail), name="inspection_detail"),
    path("inspections/<id:pk>/result/", endpoint(InspectionResult), name="inspection_result"),
    path("inspections/<id:pk>/publish/", endpoint(InspectionPublish), name="inspection_publish"),
    path("imports/", endpoint(ImportList), name="import_list"),
    path("imports/<id:pk>/", endpoint(ImportDetail), name="import_detail"),
    path("statistics/", endpoint(Statistics), name="statistics"),
]
