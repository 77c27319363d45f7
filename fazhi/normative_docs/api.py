"""REST endpoints of normative_docs, mounted under /api/v1/normdocs/.

* ``library/`` and ``library/<id>/`` — public, read-only (AllowAny): only
  published documents, searched as on the portal (``?q=&issuer=&year=&status=``).
* ``docs/``, ``docs/<id>/`` — signed-in staff: the documents their roles
  cover (selectors.docs_for); another unit's document is 404.
* ``docs/<id>/actions/<action>/`` (POST) — one workflow step through the
  same service the pages call. A step out of legal order is 409 with the
  rule in the error (``{"error": {"code": "transition_refused", "rule": "NDOC-07", …}}``),
  no permission 403, bad input 400 — the one error shape of fazhi/core/rest/errors.py.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from fazhi.core.errors import NotFound, TransitionRefused, ValidationError
from fazhi.core.rest import endpoint, params
from fazhi.core.rest.errors import ErrorSerializer
from fazhi.core.rest.pagination import Pagination
from fazhi.core.rest.schema import union_fields
from fazhi.normative_docs import search, selectors, services
from fazhi.normative_docs import serializers as s
from fazhi.normative_docs.models import LegalOpinion
from fazhi.org import selectors as org_selectors


class LibraryPagination(Pagination):
    page_size = search.PAGE_SIZE
    django_paginator_class = search.CappedPaginator  # "1000+": a common word is not counted to the end

    def get_paginated_response(self, data):
        return Response({"count": self.page.paginator.count, "count_capped": self.page.paginator.capped,
                         "next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        out = super().get_paginated_response_schema(schema)
        out["properties"]["count_capped"] = {"type": "boolean", "description": "为 true 时 count 只计到上限"}
        return out


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
        query = self.request.query_params
        return search.search_documents(params.query_text(query, "q", 200), filters=search.Filters.from_params(query),
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
    pagination_class = Pagination

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
        doc.actions = listed_actions(request.user, doc)
        return Response(s.StaffDocDetailSerializer(doc).data)


# ------------------------------------------------------------ actions

def _today(d: dict | None = None):
    """The server's date: the only "today" a service receives (SYS-03)."""
    return timezone.localdate()


def refuse_client_today(data) -> None:
    """A client may not choose "today" (SYS-03); refuse it outright rather than ignore it."""
    if hasattr(data, "keys") and "today" in data.keys():
        message = "“今天”由服务器日期确定，不接受客户端提供的 today"
        raise ValidationError(message, rule="SYS-03", fields={"today": [message]})


def _chair(d: dict):
    from fazhi.org.models import Person

    return Person.objects.filter(pk=d["chair"]).first()


def _decide_legal_review(doc, d, *, by, opinion):
    review = selectors.pending_legal_review(doc)
    if review is None:
        raise TransitionRefused("该文件没有待审核的合法性审核", rule="NDOC-07")
    return services.decide_legal_review(review, opinion=opinion, text=d.get("text", ""), by=by, today=_today(d))


def _need(obj, message: str, rule: str):
    """The record a step works on, or 409 with the rule (the step is not possible now)."""
    if obj is None:
        raise TransitionRefused(message, rule=rule)
    return obj


def _filing_review(doc, d, *, by):
    filing = _need(selectors.current_filing(doc), "当前没有报备记录", "NDOC-15")
    review = _need(getattr(filing, "review", None), "报备尚未受理，不能作出审查结论", "NDOC-15")
    return services.decide_filing_review(review, finding=d["finding"], opinion=d["opinion"], by=by,
                                         today=_today(d), order_text=d["order_text"])


def _reply_proposal(doc, d, *, by):
    proposal = selectors.get_proposal(by, d["proposal"])
    if proposal.doc_id != doc.pk:
        raise NotFound("该文件没有此审查建议")
    return services.reply_proposal(proposal, reply=d["reply"], by=by, today=_today(d))


@dataclass(frozen=True)
class ApiAction:
    input: type[serializers.Serializer]
    run: Any  # (doc, validated_data, *, by) -> object


ACTIONS: dict[str, ApiAction] = {
    "submit_fair_review": ApiAction(s.NoInput, lambda doc, d, by: services.submit_fair_review(doc, by=by)),
    "submit_legal_review": ApiAction(
        s.NoInput, lambda doc, d, by: services.submit_legal_review(doc, by=by, today=_today(d))),
    "legal_review_pass": ApiAction(
        s.LegalReviewInput, lambda doc, d, by: _decide_legal_review(doc, d, by=by, opinion=d["opinion"])),
    "legal_review_reject": ApiAction(
        s.LegalReviewInput, lambda doc, d, by: _decide_legal_review(doc, d, by=by, opinion=LegalOpinion.REJECT)),
    "sign": ApiAction(s.NoInput, lambda doc, d, by: services.sign(doc, by=by)),
    "register": ApiAction(s.RegisterInput, lambda doc, d, by: services.register(
        doc, by=by, today=_today(d), number_prefix=d.get("number_prefix") or None)),
    "publish": ApiAction(s.PublishInput, lambda doc, d, by: services.publish(
        doc, by=by, today=_today(d), effective_on=d["effective_on"], published_on=d.get("published_on"),
        urgent_reason=d["urgent_reason"], late_reason=d["late_reason"])),
    "repeal": ApiAction(s.RepealInput, lambda doc, d, by: services.repeal(
        doc, by=by, repealed_on=d["repealed_on"], reason=d["reason"], today=_today(d),
        late_reason=d["late_reason"])),
    "renew": ApiAction(s.RenewInput, lambda doc, d, by: services.renew(
        doc, by=by, today=_today(d), evaluation=d["evaluation"])),
    "abandon": ApiAction(s.ReasonInput, lambda doc, d, by: services.abandon(doc, by=by, reason=d["reason"])),
    "amend": ApiAction(s.AmendInput, lambda doc, d, by: services.start_amendment(doc, by=by, title=d["title"] or None)),
    # 征求意见 (NDOC-04/05)
    "start_consultation": ApiAction(s.ConsultationStartInput, lambda doc, d, by: services.start_consultation(
        doc, by=by, start_on=d["start_on"], end_on=d["end_on"], exception_reason=d["exception_reason"],
        today=_today(d), late_reason=d["late_reason"])),
    "close_consultation": ApiAction(s.ConsultationCloseInput, lambda doc, d, by: services.close_consultation(
        _need(selectors.open_consultation(doc), "没有正在进行的征求意见", "NDOC-04"), by=by, today=_today(d),
        exception_reason=d["exception_reason"])),
    "answer_comment": ApiAction(s.CommentAnswerInput, lambda doc, d, by: services.answer_comment(
        selectors.get_comment(doc, d["comment"]), adoption=d["adoption"], reason=d["reason"], by=by)),
    "publish_summary": ApiAction(s.SummaryInput, lambda doc, d, by: services.publish_consultation_summary(
        _need(selectors.pending_summary(doc), "没有待公布采纳情况的征求意见", "NDOC-04"), summary=d["summary"], by=by,
        today=_today(d))),
    # 公平竞争审查 (NDOC-06), 集体讨论 (NDOC-09)
    "record_fair_review": ApiAction(s.FairReviewInput, lambda doc, d, by: services.record_fair_review(
        doc, passed=d["passed"], opinion=d["opinion"], reviewed_on=d["reviewed_on"], by=by,
        reviewing_unit_name=d["reviewing_unit_name"], today=_today(d), late_reason=d["late_reason"])),
    "record_discussion": ApiAction(s.DiscussionInput, lambda doc, d, by: services.record_discussion(
        doc, meeting_type=d["meeting_type"], meeting_name=d["meeting_name"], held_on=d["held_on"],
        outcome=d["outcome"], by=by, minutes=d["minutes"], chair=_chair(d), today=_today(d),
        late_reason=d["late_reason"])),
    # 报备与备案审查 (NDOC-12..16, 19)
    "file": ApiAction(s.FilingInput, lambda doc, d, by: services.file_doc(
        doc, by=by, filed_on=d["filed_on"], package={k: True for k in d["package"]}, to_name=d["to_name"],
        today=_today(d), late_reason=d["late_reason"])),
    "return_filing": ApiAction(s.ReturnFilingInput, lambda doc, d, by: services.return_filing(
        _need(selectors.current_filing(doc), "当前没有报备记录", "NDOC-14"), reason=d["reason"], by=by,
        today=_today(d))),
    "accept_filing": ApiAction(s.AcceptFilingInput, lambda doc, d, by: services.accept_filing(
        _need(selectors.current_filing(doc), "当前没有报备记录", "NDOC-15"), receipt_no=d["receipt_no"], by=by,
        today=_today(d))),
    "decide_filing_review": ApiAction(s.FilingReviewInput, lambda doc, d, by: _filing_review(doc, d, by=by)),
    "report_correction": ApiAction(s.CorrectionReportInput, lambda doc, d, by: services.report_correction(
        _need(selectors.open_correction(doc), "没有待报告的纠错通知", "NDOC-19"), report_text=d["report_text"],
        by=by, today=_today(d))),
    # 审查建议 (NDOC-16)
    "reply_proposal": ApiAction(s.ProposalReplyInput, lambda doc, d, by: _reply_proposal(doc, d, by=by)),
}


# Transitions one API action takes (the recorded outcome picks the transition).
TAKEN_BY = {
    "fair_review_pass": "record_fair_review", "fair_review_fail": "record_fair_review",
    "discussion_adopt": "record_discussion", "discussion_reject": "record_discussion",
    "review_lawful": "decide_filing_review", "review_correct": "decide_filing_review",
}


def listed_actions(user, doc) -> list[selectors.Action]:
    """``selectors.available_actions`` (what the page renders too), under the
    names this API runs them by."""
    out: dict[str, selectors.Action] = {}
    for a in selectors.available_actions(user, doc, _today()):
        name = TAKEN_BY.get(a.action, a.action)
        out.setdefault(name, selectors.Action(name, a.label))
    return list(out.values())


def _action_help() -> str:
    lines = []
    for name, spec in ACTIONS.items():
        fields = [n + ("" if f.required else "?") for n, f in spec.input().fields.items()]
        lines.append(f"- `{name}`: {', '.join(fields) or '—'}")
    return "\n".join(lines)


class DocAction(APIView):
    @extend_schema(
        summary="执行办理步骤（与页面调用同一服务）",
        description="各步骤及其参数（? 为可选；办理日期一律取服务器日期，不接受 today）：\n\n" + _action_help()
                    + "\n\n不符合法定顺序时返回 409，error.rule 为所依据的规则编号；无权限 403；参数错误 400。",
        parameters=[OpenApiParameter("action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(ACTIONS))],
        request=inline_serializer("NormDocActionInput", union_fields(a.input for a in ACTIONS.values())),
        responses={200: s.StaffDocDetailSerializer, 400: ErrorSerializer, 401: ErrorSerializer,
                   403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request, pk: int, action: str):
        doc = selectors.get_doc(request.user, pk)
        spec = ACTIONS.get(action)
        if spec is None:
            raise NotFound(f"不支持的操作：{action}")
        refuse_client_today(request.data)
        data = spec.input(data=request.data)
        data.is_valid(raise_exception=True)
        spec.run(doc, data.validated_data, by=request.user)
        doc = selectors.get_doc(request.user, pk)
        doc.actions = listed_actions(request.user, doc)
        return Response(s.StaffDocDetailSerializer(doc).data)


# ------------------------------------------------------------ clean-up

def _campaign_add(campaign, d, *, by):
    candidates = {doc.pk: doc for doc in selectors.cleanup_candidates(campaign).filter(pk__in=d["docs"])}
    missing = [pk for pk in d["docs"] if pk not in candidates]
    if missing:
        raise ValidationError("以下文件不是本次清理可纳入的有效文件：" + "、".join(map(str, missing)),
                              fields={"docs": "不可纳入"})
    return services.add_to_cleanup(campaign, list(candidates.values()), by=by)


def _campaign_decide(campaign, d, *, by):
    decision = campaign.decisions.select_related("doc").filter(doc_id=d["doc"]).first()
    if decision is None:
        raise NotFound("该文件未纳入本次清理")
    return services.decide_cleanup(campaign, decision.doc, decision=d["decision"], reason=d["reason"], by=by)


CAMPAIGN_ACTIONS: dict[str, ApiAction] = {
    "add": ApiAction(s.CleanupAddInput, _campaign_add),
    "decide": ApiAction(s.CleanupDecideInput, _campaign_decide),
    "publish": ApiAction(s.NoInput, lambda c, d, by: services.publish_cleanup(c, by=by, today=_today(d))),
}


class CampaignList(APIView):
    @extend_schema(summary="清理活动（本人可组织的）", responses={200: s.CampaignSerializer(many=True), 401: ErrorSerializer})
    def get(self, request):
        return Response(s.CampaignSerializer(selectors.campaigns_for(request.user).select_related("unit"),
                                             many=True).data)

    @extend_schema(summary="启动清理活动（NDOC-18）", request=s.CleanupStartInput,
                   responses={201: s.CampaignSerializer, 400: ErrorSerializer, 401: ErrorSerializer,
                              403: ErrorSerializer})
    def post(self, request):
        data = s.CleanupStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        unit = org_selectors.units_for(request.user, "normative_docs.cleanup").filter(pk=d["unit"]).first()
        if unit is None:
            raise NotFound("单位不存在")
        campaign = services.start_cleanup(unit=unit, name=d["name"], kind=d["kind"], started_on=d["started_on"],
                                          by=request.user, trigger_law=d["trigger_law"],
                                          include_in_force=d["include_in_force"])
        return Response(s.CampaignSerializer(campaign).data, status=201)


class CampaignAction(APIView):
    @extend_schema(
        summary="清理活动的步骤：纳入文件、作出结论、公布结果",
        description="- `add`: docs（文件ID列表）\n- `decide`: doc, decision（continue/amend/repeal/expire）, reason?\n"
                    "- `publish`: —（全部文件有结论后公布三类目录，公布日期为服务器日期）",
        parameters=[OpenApiParameter("action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(CAMPAIGN_ACTIONS))],
        request=inline_serializer("NormDocCampaignActionInput", union_fields(a.input for a in CAMPAIGN_ACTIONS.values())),
        responses={200: s.CampaignSerializer, 400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer,
                   404: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request, pk: int, action: str):
        campaign = selectors.get_campaign(request.user, pk)
        spec = CAMPAIGN_ACTIONS.get(action)
        if spec is None:
            raise NotFound(f"不支持的操作：{action}")
        refuse_client_today(request.data)
        data = spec.input(data=request.data)
        data.is_valid(raise_exception=True)
        spec.run(campaign, data.validated_data, by=request.user)
        return Response(s.CampaignSerializer(selectors.get_campaign(request.user, pk)).data)



urlpatterns = [
    path("library/", endpoint(LibraryList), name="library"),
    path("library/<id:pk>/", endpoint(LibraryDetail), name="library_detail"),
    path("docs/", endpoint(DocList), name="doc_list"),
    path("docs/<id:pk>/", endpoint(DocDetail), name="doc_detail"),
    path("docs/<id:pk>/actions/<str:action>/", endpoint(DocAction), name="doc_action"),
    path("cleanup/", endpoint(CampaignList), name="campaign_list"),
    path("cleanup/<id:pk>/actions/<str:action>/", endpoint(CampaignAction), name="campaign_action"),
]
