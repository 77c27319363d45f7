"""REST endpoints of 重大行政决策, mounted under /api/v1/decisions/.

Public, read-only (AllowAny) — only what the portal shows:

* ``public/catalogues/`` and ``public/catalogues/<id>/`` — published
  catalogues (MDEC-02): the current published version, every adjustment with
  its date and reason, the year-end completion once published;
* ``public/decisions/`` and ``public/decisions/<id>/`` — published decisions (MDEC-13);
* ``public/consultations/`` (``?open=1`` for those open today),
  ``public/consultations/<id>/`` — notices with the draft and explanation,
  and once published the adoption summary with masked names;
  ``public/consultations/<id>/comments/`` (POST) — a public comment through
  ``services.submit_comment`` (refused after the period, MDEC-04 → 409).

Signed-in staff (session or token):

* ``decisions/``, ``decisions/<id>/`` — the decisions the user may see
  (``selectors.decisions``), with required steps, responsible persons
  (MDEC-17) and the actions the user may take now; another unit's is 404;
* ``decisions/<id>/actions/<action>/`` (POST) — one step through the same
  service the pages call. Out of legal order → 409 with the rule
  (``{"error": {"code": "transition_refused", "rule": "MDEC-08", …}}``), no
  permission → 403, bad input → 400 with Chinese field messages;
* ``catalogues/``, ``catalogues/<id>/``; ``experts/`` (``?pool=&field=``);
  ``people/<person_id>/history/`` — every decision a person took part in, in
  what capacity, as recorded then (MDEC-17).
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

from fazhi.core.errors import NotFound, PermissionDenied, TransitionRefused, ValidationError
from fazhi.core.rest import endpoint, params
from fazhi.core.rest.errors import ErrorSerializer
from fazhi.core.rest.pagination import Pagination
from fazhi.core.rest.schema import union_fields
from fazhi.major_decisions import actions, selectors, services
from fazhi.major_decisions import serializers as s
from fazhi.major_decisions.models import (
    Comment,
    Consultation,
    Decision,
    ExpertOpinion,
    ExpertPool,
    Status,
)
from fazhi.org import access
from fazhi.org.models import Person

P_VIEW = "major_decisions.view"
SPONSOR, LEGAL, DECIDE, MANAGE = ("major_decisions.sponsor", "major_decisions.legal_review",
                                  "major_decisions.decide", "major_decisions.manage_catalogue")


def _get(qs, pk):
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound()


# ================================================================== public


class PublicCatalogueList(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.PublicCatalogueSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.public_catalogues().prefetch_related(None)

    @extend_schema(summary="已公布的重大行政决策事项目录（公开）", auth=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PublicCatalogueDetail(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="目录现行公布版本、调整及年度完成情况（公开）",
                   responses={200: s.PublicCatalogueDetailSerializer, 404: ErrorSerializer}, auth=[])
    def get(self, request, pk: int):
        return Response(s.PublicCatalogueDetailSerializer(_get(selectors.public_catalogues(), pk)).data)


class PublicDecisionList(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.PublicDecisionSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.public_decisions()

    @extend_schema(summary="已公布的重大行政决策（公开）", auth=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PublicDecisionDetail(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="已公布的决策：公布文本、依据、意见采纳情况、调整/停止（公开）",
                   responses={200: s.PublicDecisionDetailSerializer, 404: ErrorSerializer}, auth=[])
    def get(self, request, pk: int):
        qs = selectors.public_decisions().select_related("entry").prefetch_related("changes", "consultations")
        return Response(s.PublicDecisionDetailSerializer(_get(qs, pk)).data)


class PublicConsultationList(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = s.PublicConsultationSerializer
    pagination_class = Pagination

    def get_queryset(self):
        if params.query_text(self.request.query_params, "open", 10) in ("1", "true"):
            return selectors.open_consultations(timezone.localdate())
        return selectors.public_consultations().prefetch_related(None)

    @extend_schema(summary="决策草案公开征求意见（公开）", auth=[], parameters=[
        OpenApiParameter("open", bool, description="为 1 时只列出今天可以提交意见的")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PublicConsultationDetail(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="征求意见稿、起草说明、期限及采纳情况（公开，意见人姓名已隐去）",
                   responses={200: s.PublicConsultationDetailSerializer, 404: ErrorSerializer}, auth=[])
    def get(self, request, pk: int):
        return Response(s.PublicConsultationDetailSerializer(_get(selectors.public_consultations(), pk)).data)


class PublicComment(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="提交公众意见（公开；征求意见期外返回 409，依据 MDEC-04）", request=s.MdCommentInput,
                   responses={201: None, 400: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}, auth=[])
    def post(self, request, pk: int):
        c = _get(selectors.public_consultations().prefetch_related(None), pk)
        data = s.MdCommentInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.submit_comment(c, **data.validated_data)
        return Response({"message": "意见已提交，采纳情况将在征求意见结束后公布"}, status=201)


# ================================================================== staff: decisions


def _today(d: dict, key: str = "today"):
    """The server's date (SYS-03); for an entered date of the act (``key``
    other than "today") the value entered, defaulting to the server's date.
    Entered dates are checked by the services (fazhi.core.dates)."""
    if key == "today":
        return timezone.localdate()
    return d.get(key) or timezone.localdate()


def _server_today():
    return timezone.localdate()


def refuse_client_today(data) -> None:
    """No client may choose "today" (SYS-03): refused outright rather than ignored."""
    if hasattr(data, "keys") and "today" in data.keys():
        message = "“今天”由服务器日期确定，不接受客户端提供的 today"
        raise ValidationError(message, rule="SYS-03", fields={"today": [message]})


def _open_consultation(d: Decision) -> Consultation:
    c = d.consultations.filter(state=Consultation.State.OPEN).first()
    if c is None:
        raise TransitionRefused("该决策没有正在进行的公开征求意见", rule="MDEC-04")
    return c


def _summary_pending(d: Decision) -> Consultation:
    c = d.consultations.filter(state=Consultation.State.CLOSED, summary_published_on__isnull=True).first()
    if c is None:
        raise TransitionRefused("没有待公布意见采纳情况的征求意见（须先结束征求意见）", rule="MDEC-04")
    return c


def _open_review(d: Decision):
    r = d.expert_reviews.filter(completed_on__isnull=True).first()
    if r is None:
        raise TransitionRefused("该决策没有进行中的专家论证，请先选取专家", rule="MDEC-06")
    return r


def _pending_legal(d: Decision):
    r = d.legal_reviews.filter(opinion="").first()
    if r is None:
        raise TransitionRefused("该决策没有待审查的合法性审查", rule="MDEC-09")
    return r


def _open_evaluation(d: Decision):
    ev = d.post_evaluations.filter(finished_on__isnull=True).first()
    if ev is None:
        raise TransitionRefused("该决策没有进行中的决策后评估", rule="MDEC-15")
    return ev


def _unpublished_evaluation(d: Decision):
    ev = d.post_evaluations.filter(finished_on__isnull=False, published_on__isnull=True).order_by(
        "finished_on", "pk").first()
    if ev is None:
        raise TransitionRefused("该决策没有已完成待公开的决策后评估", rule="MDEC-15")
    return ev


def _answer(d: Decision, v: dict, by):
    comment = Comment.objects.filter(pk=v["comment"], consultation__decision=d).first()
    if comment is None:
        raise NotFound("意见不存在")
    return services.answer_comment(comment, by=by, adoption=v["adoption"], reason=v["reason"])


def _opinion(d: Decision, v: dict, by):
    op = ExpertOpinion.objects.filter(pk=v["opinion"], review__decision=d).first()
    if op is None:
        raise NotFound("专家意见不存在")
    return services.record_expert_opinion(op, by=by, stance=v["stance"], text=v["text"], signed_on=v["signed_on"],
                                          handling=v["handling"], today=_server_today(),
                                          late_reason=v["late_reason"])


def _mitigate(d: Decision, v: dict, by):
    ra = selectors.latest_risk(d)
    if ra is None:
        raise TransitionRefused("尚未录入风险评估", rule="MDEC-07")
    return services.record_mitigation(ra, by=by, mitigation=v["mitigation"], residual_level=v["residual_level"],
                                      mitigated_on=v["mitigated_on"])


def _submit_legal(d: Decision, v: dict, by):
    kw = {"materials": v["materials"]} if "materials" in v else {}
    return services.submit_legal_review(d, by=by, submitted_on=_today(v, "submitted_on"),
                                        procedures_account=v["procedures_account"], today=_server_today(),
                                        late_reason=v["late_reason"], **kw)


def _discuss(d: Decision, v: dict, by):
    return services.record_discussion(
        d, by=by, meeting_type=v["meeting_type"], meeting_name=v["meeting_name"], held_on=v["held_on"],
        host=v["host"], head=v["head"], votes=[dict(x) for x in v["votes"]], head_decision=v["head_decision"],
        head_reasons=v["head_reasons"], minutes=v["minutes"], today=_server_today(), late_reason=v["late_reason"])


def _draft(d: Decision, v: dict, by):
    extra = {k: v[k] for k in ("touches_market", "fair_competition_note") if k in v}
    return services.save_draft(d, by=by, draft_text=v["draft_text"], draft_explanation=v["draft_explanation"],
                               today=_today(v), **extra)


@dataclass(frozen=True)
class ApiAction:
    """How the API runs one action; its name, label, permission and whether it
    is offered now come from ``actions`` (the same answer the page renders)."""

    input: type[serializers.Serializer]
    run: Any  # (decision, validated_data, by) -> object


ACTIONS: dict[str, ApiAction] = {
    "start_drafting": ApiAction(s.TodayInput, lambda d, v, by: services.start_drafting(d, by=by, today=_today(v))),
    "save_draft": ApiAction(s.DraftInput, _draft),
    "start_consultation": ApiAction(s.ConsultationInput, lambda d, v, by: services.start_consultation(
        d, by=by, today=_server_today(), **v)),
    "close_consultation": ApiAction(s.TodayInput, lambda d, v, by: services.close_consultation(
        _open_consultation(d), by=by, today=_today(v))),
    "answer_comment": ApiAction(s.AnswerInput, _answer),
    "publish_consultation_summary": ApiAction(s.SummaryInput, lambda d, v, by: services.publish_consultation_summary(
        _summary_pending(d), by=by, summary=v["summary"], published_on=_today(v, "published_on"))),
    "start_expert_review": ApiAction(s.TodayInput, lambda d, v, by: services.start_expert_review(
        d, by=by, today=_today(v))),
    "select_experts": ApiAction(s.SelectExpertsInput, lambda d, v, by: services.select_experts(
        d, by=by, pool=v["pool"], method=v["method"], selected_on=_today(v, "selected_on"), field=v["field"],
        experts=v.get("experts", ()), count=v.get("count"), choice_reason=v["choice_reason"], now=timezone.now())),
    "reveal_experts": ApiAction(s.NoInput, lambda d, v, by: services.reveal_expert_draw(
        _open_review(d), by=by, now=timezone.now())),
    "redraw_experts": ApiAction(s.RedrawExpertsInput, lambda d, v, by: services.redraw_experts(
        _open_review(d), by=by, reason=v["reason"], now=timezone.now())),
    "record_expert_opinion": ApiAction(s.OpinionInput, _opinion),
    "complete_expert_review": ApiAction(s.CompleteReviewInput, lambda d, v, by: services.complete_expert_review(
        _open_review(d), by=by, summary=v["summary"], held_on=v["held_on"], today=_server_today(),
        late_reason=v["late_reason"])),
    "start_risk_assessment": ApiAction(s.TodayInput, lambda d, v, by: services.start_risk_assessment(
        d, by=by, today=_today(v))),
    "record_risk_assessment": ApiAction(s.RiskInput, lambda d, v, by: services.record_risk_assessment(
        d, by=by, today=_server_today(), **v)),
    "record_mitigation": ApiAction(s.MitigationInput, _mitigate),
    "submit_legal_review": ApiAction(s.LegalSubmitInput, _submit_legal),
    "legal_review": ApiAction(s.LegalReviewInput, lambda d, v, by: services.record_legal_review(
        _pending_legal(d), by=by, opinion=v["opinion"], text=v["text"], decided_on=_today(v, "decided_on"),
        today=_server_today(), late_reason=v["late_reason"])),
    "discuss": ApiAction(s.DiscussionInput, _discuss),
    "publish": ApiAction(s.PublishInput, lambda d, v, by: services.publish_decision(
        d, by=by, published_on=_today(v, "published_on"), party_reported_on=v.get("party_reported_on"),
        public_text=v["public_text"], adoption_explanation=v["adoption_explanation"], decision_no=v["decision_no"],
        today=_server_today(), late_reason=v["late_reason"])),
    "start_execution": ApiAction(s.ExecutionInput, lambda d, v, by: services.start_execution(
        d, by=by, started_on=_today(v, "started_on"), execution_unit=v.get("execution_unit"))),
    "report_execution": ApiAction(s.ReportInput, lambda d, v, by: services.report_execution(
        d, by=by, reported_on=_today(v, "reported_on"), content=v["content"], problems=v["problems"])),
    "start_post_evaluation": ApiAction(s.PostEvaluationInput, lambda d, v, by: services.start_post_evaluation(
        d, by=by, reason=v["reason"], started_on=_today(v, "started_on"), evaluator=v["evaluator"],
        third_party=v["third_party"], participants=v["participants"], due_on=v.get("due_on"))),
    "finish_post_evaluation": ApiAction(s.FinishEvaluationInput, lambda d, v, by: services.finish_post_evaluation(
        _open_evaluation(d), by=by, report=v["report"], conclusion=v["conclusion"],
        finished_on=_today(v, "finished_on"))),
    "publish_post_evaluation": ApiAction(s.PublishEvaluationInput, lambda d, v, by: services.publish_post_evaluation(
        _unpublished_evaluation(d), by=by, on=_today(v, "published_on"))),
    "adjust": ApiAction(s.ChangeInput, lambda d, v, by: services.adjust_decision(
        d, by=by, reason=v["reason"], content=v["content"], decided_on=_today(v, "decided_on"))),
    "stop": ApiAction(s.StopInput, lambda d, v, by: services.stop_decision(
        d, by=by, reason=v["reason"], decided_on=_today(v, "decided_on"), emergency=v["emergency"])),
    "abandon": ApiAction(s.ReasonInput, lambda d, v, by: services.abandon_decision(
        d, by=by, reason=v["reason"], today=_today(v))),
}


def available_actions(user, d: Decision) -> list[dict]:
    """The actions ``user`` may take on ``d`` now: ``actions.available_actions``,
    the answer the page renders (the services check again)."""
    return [{"action": name, "label": actions.SPECS[name].label}
            for name in actions.available_actions(d, user, _server_today()).offered]


def _decision(user, pk) -> Decision:
    try:
        return selectors.decision_for(user, pk)
    except (Decision.DoesNotExist, ValueError, TypeError):
        raise NotFound()


def _detail(user, pk) -> dict:
    d = _decision(user, pk)
    d.actions = available_actions(user, d)
    return s.StaffDecisionDetailSerializer(d).data


class DecisionList(generics.ListAPIView):
    serializer_class = s.StaffDecisionSerializer
    pagination_class = Pagination

    def get_queryset(self):
        qs = selectors.decisions(self.request.user)
        status = params.query_text(self.request.query_params, "status", 30)
        if status in Status.values:
            qs = qs.filter(status=status)
        return qs

    @extend_schema(summary="本人可见的重大行政决策", parameters=[
        OpenApiParameter("status", str, enum=list(Status.values), description="程序状态")],
        responses={200: s.StaffDecisionSerializer(many=True), 401: ErrorSerializer})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DecisionDetail(APIView):
    @extend_schema(summary="重大行政决策（程序信息、责任人与可执行操作）",
                   responses={200: s.StaffDecisionDetailSerializer, 401: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request, pk: int):
        return Response(_detail(request.user, pk))


class DecisionAction(APIView):
    @extend_schema(
        summary="执行决策程序步骤（与页面调用同一服务）",
        description="不符合法定程序顺序时返回 409，error.rule 为所依据的规则编号（MDEC-*）；无权限 403；"
                    "参数错误 400（error.fields 为中文字段提示）。日期参数省略时为今天。各操作及其参数：\n\n"
                    + "\n".join(f"* `{k}`（{actions.SPECS[k].label}）：{', '.join(a.input().fields) or '无参数'}"
                                for k, a in ACTIONS.items()),
        parameters=[OpenApiParameter("action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(ACTIONS))],
        request=inline_serializer("DecisionActionInput", union_fields(a.input for a in ACTIONS.values())),
        responses={200: s.StaffDecisionDetailSerializer, 400: ErrorSerializer, 401: ErrorSerializer,
                   403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request, pk: int, action: str):
        d = _decision(request.user, pk)
        spec = ACTIONS.get(action)
        if spec is None:
            raise NotFound(f"不支持的操作：{action}")
        refuse_client_today(request.data)
        data = spec.input(data=request.data)
        data.is_valid(raise_exception=True)
        spec.run(d, dict(data.validated_data), request.user)
        return Response(_detail(request.user, pk))


# ================================================================== staff: catalogues, experts, people


class CatalogueList(generics.ListAPIView):
    serializer_class = s.StaffCatalogueSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.catalogues(self.request.user)

    @extend_schema(summary="本人可见的决策事项目录", responses={200: s.StaffCatalogueSerializer(many=True),
                                                     401: ErrorSerializer})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CatalogueDetail(APIView):
    @extend_schema(summary="决策事项目录（事项、调整、公布版本）",
                   responses={200: s.StaffCatalogueDetailSerializer, 401: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request, pk: int):
        c = _get(selectors.catalogues(request.user).prefetch_related("publications"), pk)
        return Response(s.StaffCatalogueDetailSerializer(c).data)


def visible_pools(user) -> list[ExpertPool]:
    """Pools of the governments the user works under: those of the units the
    user may view and of the units above them (a department uses its
    government's pool, MDEC-06)."""
    if access.is_admin(user):
        return list(ExpertPool.objects.select_related("unit"))
    ids: set[int] = set()
    for u in access.visible_units(user, P_VIEW).only("path"):
        ids.update(int(p) for p in u.path.split("/") if p)
    return list(ExpertPool.objects.filter(unit_id__in=ids).select_related("unit"))


class ExpertList(generics.ListAPIView):
    serializer_class = s.MdExpertSerializer
    pagination_class = Pagination

    def get_queryset(self):
        self.pools = visible_pools(self.request.user)
        qs = selectors.experts().filter(pool__in=self.pools)
        query = self.request.query_params
        pool = params.query_id(query, "pool", "专家库ID")
        if pool is not None:
            qs = qs.filter(pool_id=pool)
        field = params.query_text(query, "field", 50)
        if field:
            # Exact field, as the selection does (services.eligible_experts). JSON
            # lookups on Chinese text differ between SQLite and PostgreSQL: match in Python.
            ids = [e.pk for e in qs.select_related(None).prefetch_related(None).only("pk", "fields") if field in e.field_list]
            qs = qs.filter(pk__in=ids)
        return qs

    def get_serializer_context(self):
        ctx = super().get_serializer_context()
        user = self.request.user
        ctx["managed_pools"] = {p.pk for p in getattr(self, "pools", [])
                                if access.allowed(user, "major_decisions.manage_experts", p.unit)}
        return ctx

    @extend_schema(summary="专家库专家（领域、单位、回避单位）", parameters=[
        OpenApiParameter("pool", int, description="专家库ID"), OpenApiParameter("field", str, description="专业领域")],
        responses={200: s.MdExpertSerializer(many=True), 401: ErrorSerializer})
    def get(self, request, *args, **kwargs):
        if not access.allowed(request.user, P_VIEW):
            raise PermissionDenied()
        return super().get(request, *args, **kwargs)


class PersonHistory(APIView):
    @extend_schema(
        summary="决策责任查询：某人参与的全部决策及其角色（按当时的职务、单位，MDEC-17）",
        responses={200: s.MdResponsibilitySerializer(many=True), 401: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request, person_id: int):
        """Only participation in decisions the user may see is listed; a person
        neither in the user's units nor in any visible decision is 404."""
        user = request.user
        if not access.allowed(user, P_VIEW):
            raise PermissionDenied()
        person = _get(Person.objects.select_related("unit"), person_id)
        rows = list(selectors.decisions_of_person(person).filter(selectors.visible_q(user, "decision__")))
        if not rows and not access.allowed(user, P_VIEW, person.unit):
            raise NotFound()
        return Response(s.MdResponsibilitySerializer(rows, many=True).data)



urlpatterns = [
    path("public/catalogues/", endpoint(PublicCatalogueList), name="public_catalogue_list"),
    path("public/catalogues/<id:pk>/", endpoint(PublicCatalogueDetail), name="public_catalogue_detail"),
    path("public/decisions/", endpoint(PublicDecisionList), name="public_decision_list"),
    path("public/decisions/<id:pk>/", endpoint(PublicDecisionDetail), name="public_decision_detail"),
    path("public/consultations/", endpoint(PublicConsultationList), name="public_consultation_list"),
    path("public/consultations/<id:pk>/", endpoint(PublicConsultationDetail), name="public_consultation_detail"),
    path("public/consultations/<id:pk>/comments/", endpoint(PublicComment), name="public_comment"),
    path("decisions/", endpoint(DecisionList), name="decision_list"),
    path("decisions/<id:pk>/", endpoint(DecisionDetail), name="decision_detail"),
    path("decisions/<id:pk>/actions/<str:action>/", endpoint(DecisionAction), name="decision_action"),
    path("catalogues/", endpoint(CatalogueList), name="catalogue_list"),
    path("catalogues/<id:pk>/", endpoint(CatalogueDetail), name="catalogue_detail"),
    path("experts/", endpoint(ExpertList), name="expert_list"),
    path("people/<id:person_id>/history/", endpoint(PersonHistory), name="person_history"),
]
