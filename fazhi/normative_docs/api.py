"""REST endpoints of normative_docs, mounted under /api/v1/normdocs/.

* ``library/`` and ``library/<id>/`` — public, read-only (AllowAny): only
  published documents, searched as on the portal (``?q=&issuer=&year=&status=``).
* ``docs/``, ``docs/<id>/`` — signed-in staff: the documents their roles
  cover (selectors.docs_for); another unit's document is 404.
* ``docs/<id>/actions/<action>/`` (POST) — one workflow step through the
  same service the pages call. A step out of legal order is 409 with the
  rule in the error (``{"error": {"code": "transition_refused", "rule": "NDOC-07", …}}``),
  no permission 403, bad input 400 — the one error shape of fazhi/api/errors.py.
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.api.views import ErrorSerializer
from fazhi.core.errors import NotFound, TransitionRefused
from fazhi.normative_docs import search, selectors, services
from fazhi.normative_docs import serializers as s
from fazhi.normative_docs.models import LegalOpinion


class LibraryPagination(PageNumberPagination):
    page_size = search.PAGE_SIZE
    django_paginator_class = search.CappedPaginator  # "1000+": a common word is not counted to the end
    invalid_page_message = "页码无效"

    def get_paginated_response(self, data):
        return Response({"count": self.page.paginator.count, "count_capped": self.page.paginator.capped,
                         "next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count_capped"] = {"type": "boolean", "description": "为 true 时 count 只计到上限"}
        return out


class StaffPagination(PageNumberPagination):
    page_size = 30
    invalid_page_message = "页码无效"


LIBRARY_PARAMS = [
    OpenApiParameter("q", str, description="检索词：标题或正文中的字词，空格分隔多个词（均须出现）；支持1—2个汉字"),
    OpenApiParameter("issuer", int, description="制定机关（单位ID）"),
    OpenApiParameter("year", int, description="公布年度"),
    OpenApiParameter("status", str, enum=list(search.STATUS_CHOICES), description="效力状态"),
]


class LibraryList(generics.ListAPIView):
    """The public library: published documents only, newest publication first."""

    permission_classes = [AllowAny]
    serializer_class = s.PublicDocSerializer
    pagination_class = LibraryPagination

    def get_queryset(self):
        params = self.request.query_params
        return search.search_documents(params.get("q"), filters=search.Filters.from_params(params),
                                       public=True, today=timezone.localdate())

    @extend_schema(summary="规范性文件库检索（公开）", parameters=LIBRARY_PARAMS, auth=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class LibraryDetail(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.PublicDocDetailSerializer

    def get_object(self):
        return selectors.public_doc(self.kwargs["pk"])

    @extend_schema(summary="已公布文件全文（公开）", responses={200: s.PublicDocDetailSerializer, 404: ErrorSerializer},
                   auth=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DocList(generics.ListAPIView):
    serializer_class = s.StaffDocSerializer
    pagination_class = StaffPagination

    def get_queryset(self):
        return selectors.docs_for(self.request.user).order_by("-updated_at", "-pk")

    @extend_schema(summary="本人可见的规范性文件", responses={200: s.StaffDocSerializer(many=True), 401: ErrorSerializer})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DocDetail(APIView):
    @extend_schema(summary="规范性文件（办理信息与可执行操作）",
                   responses={200: s.StaffDocDetailSerializer, 401: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request, pk: int):
        doc = selectors.get_doc(request.user, pk)
        doc.actions = selectors.available_actions(request.user, doc)
        return Response(s.StaffDocDetailSerializer(doc).data)


# ------------------------------------------------------------ actions

def _today(d: dict):
    return d.get("today") or timezone.localdate()


def _decide_legal_review(doc, d, *, by, opinion):
    review = selectors.pending_legal_review(doc)
    if review is None:
        raise TransitionRefused("该文件没有待审核的合法性审核", rule="NDOC-07")
    return services.decide_legal_review(review, opinion=opinion, text=d.get("text", ""), by=by, today=_today(d))


@dataclass(frozen=True)
class ApiAction:
    input: type[serializers.Serializer]
    run: Any  # (doc, validated_data, *, by) -> object


ACTIONS: dict[str, ApiAction] = {
    "submit_fair_review": ApiAction(s.NoInput, lambda doc, d, by: services.submit_fair_review(doc, by=by)),
    "submit_legal_review": ApiAction(
        s.TodayInput, lambda doc, d, by: services.submit_legal_review(doc, by=by, today=_today(d))),
    "legal_review_pass": ApiAction(
        s.LegalReviewInput, lambda doc, d, by: _decide_legal_review(doc, d, by=by, opinion=d["opinion"])),
    "legal_review_reject": ApiAction(
        s.LegalReviewInput, lambda doc, d, by: _decide_legal_review(doc, d, by=by, opinion=LegalOpinion.REJECT)),
    "sign": ApiAction(s.NoInput, lambda doc, d, by: services.sign(doc, by=by)),
    "register": ApiAction(s.RegisterInput, lambda doc, d, by: services.register(
        doc, by=by, today=_today(d), number_prefix=d.get("number_prefix") or None)),
    "publish": ApiAction(s.PublishInput, lambda doc, d, by: services.publish(
        doc, by=by, today=_today(d), effective_on=d["effective_on"])),
    "repeal": ApiAction(s.RepealInput, lambda doc, d, by: services.repeal(
        doc, by=by, repealed_on=d["repealed_on"], reason=d["reason"])),
    "renew": ApiAction(s.RenewInput, lambda doc, d, by: services.renew(
        doc, by=by, today=_today(d), evaluation=d["evaluation"])),
    "abandon": ApiAction(s.ReasonInput, lambda doc, d, by: services.abandon(doc, by=by, reason=d["reason"])),
}


class DocAction(APIView):
    @extend_schema(
        summary="执行办理步骤（与页面调用同一服务）",
        description="action 取值：" + "、".join(ACTIONS) + "。各步骤的参数见请求体（today 默认今天）。"
                    "不符合法定顺序时返回 409，error.rule 为所依据的规则编号。",
        parameters=[OpenApiParameter("action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(ACTIONS))],
        request=inline_serializer("NormDocActionInput", {
            "today": serializers.DateField(required=False), "effective_on": serializers.DateField(required=False),
            "repealed_on": serializers.DateField(required=False), "reason": serializers.CharField(required=False),
            "evaluation": serializers.CharField(required=False), "text": serializers.CharField(required=False),
            "opinion": serializers.CharField(required=False), "number_prefix": serializers.CharField(required=False),
        }),
        responses={200: s.StaffDocDetailSerializer, 400: ErrorSerializer, 401: ErrorSerializer,
                   403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request, pk: int, action: str):
        doc = selectors.get_doc(request.user, pk)
        spec = ACTIONS.get(action)
        if spec is None:
            raise NotFound(f"不支持的操作：{action}")
        data = spec.input(data=request.data)
        data.is_valid(raise_exception=True)
        spec.run(doc, data.validated_data, by=request.user)
        doc = selectors.get_doc(request.user, pk)
        doc.actions = selectors.available_actions(request.user, doc)
        return Response(s.StaffDocDetailSerializer(doc).data)


def _api(view_class):
    # The API authenticates itself (session or token); no sign-in redirect.
    return login_not_required(view_class.as_view())


urlpatterns = [
    path("library/", _api(LibraryList), name="library"),
    path("library/<int:pk>/", _api(LibraryDetail), name="library_detail"),
    path("docs/", _api(DocList), name="doc_list"),
    path("docs/<int:pk>/", _api(DocDetail), name="doc_detail"),
    path("docs/<int:pk>/actions/<str:action>/", _api(DocAction), name="doc_action"),
]
