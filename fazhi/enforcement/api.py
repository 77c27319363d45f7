"""REST endpoints of enforcement, mounted under /api/v1/enforcement/.

Public, read-only (AllowAny) — exactly what the portal shows:

* ``decisions/``, ``decisions/<id>/`` — penalty decisions on display
  (ENF-19), natural persons masked (ENF-20); withdrawn (ENF-11), taken-down
  or not yet published decisions are absent / 404.
* ``certificates/verify/?no=`` — one certificate by its exact number: name,
  unit, field, status (ENF-01/19); unknown → 404 “未查询到该执法证”.
  Throttled per client; no list.

Signed-in staff (scoped by ``selectors``; another unit's record is 404):

* ``cases/``, ``cases/<id>/`` — penalty cases with the actions available now.
* ``cases/<id>/actions/<action>/`` (POST) — one step through the same service
  the pages call, dated by the server (SYS-03: a ``today`` sent by the client is
  refused; dates a person enters — 送达日期, 缴款日期 … — are checked against the
  server's date and take a ``late_reason``). Out of legal order → 409 with the rule
  (``{"error": {"code": "transition_refused", "rule": "ENF-06", …}}``), no
  permission → 403, bad input → 400 with Chinese field messages.
* ``officers/`` — officers with their certificates and today's status.
* ``benchmarks/`` — violation types with their legal basis and 裁量基准.
"""

from dataclasses import asdict, dataclass
from typing import Any

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from fazhi.core.errors import NotFound, TransitionRefused, ValidationError
from fazhi.core.rest import endpoint, params
from fazhi.core.rest.errors import ErrorSerializer
from fazhi.core.rest.pagination import Pagination
from fazhi.core.rest.schema import union_fields
from fazhi.enforcement import selectors, services
from fazhi.enforcement import serializers as s
from fazhi.enforcement.models import Benchmark, Officer, PublicationStatus, TransferStatus, ViolationType
from fazhi.enforcement.workflow import TRANSFER_RULE


class CertificateThrottle(AnonRateThrottle):
    """Certificate look-ups per client: enough for a citizen, too few to enumerate."""

    scope = "enforcement_certificate"
    rate = "30/min"


def _today():
    return timezone.localdate()


# ================================================================= public


DECISION_PARAMS = [
    OpenApiParameter("unit", int, description="执法机关（单位ID）"),
    OpenApiParameter("q", str, description="决定书文号或标题中的字词"),
]


class DecisionList(generics.ListAPIView):
    """Penalty decisions on display, newest publication first."""

    permission_classes = [AllowAny]
    serializer_class = s.PublicPenaltyDecisionSerializer
    pagination_class = Pagination

    def get_queryset(self):
        query = self.request.query_params
        return selectors.public_decisions(_today(), unit_id=params.query_id(query, "unit", "执法机关"),
                                          q=params.query_text(query, "q", 50))

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        rows = [asdict(d) for d in selectors.PublicDecision.many(page)]
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    @extend_schema(summary="行政处罚决定公示（公开）", parameters=DECISION_PARAMS, auth=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DecisionDetail(APIView):
    permission_classes = [AllowAny]

    @extend_schema(summary="公示中的行政处罚决定（公开）",
                   responses={200: s.PublicPenaltyDecisionDetailSerializer, 404: ErrorSerializer}, auth=[])
    def get(self, request, pk: int):
        p = selectors.public_decision(pk, _today())
        if p is None:
            raise NotFound("该执法决定不存在或已不在公示期内")
        return Response(s.PublicPenaltyDecisionDetailSerializer(asdict(selectors.PublicDecision.of(p))).data)


class CertificateVerify(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [CertificateThrottle]

    @extend_schema(
        summary="执法证件查询（公开）",
        description="按完整证件编号核验：姓名、所在单位、执法领域、证件状态。不支持模糊查询或列表；查询频率受限（ENF-01、ENF-19）。",
        parameters=[OpenApiParameter("no", str, required=True, description="执法证件编号")],
        responses={200: s.CertificateCheckSerializer, 400: ErrorSerializer, 404: ErrorSerializer,
                   429: ErrorSerializer},
        auth=[],
    )
    def get(self, request):
        number = params.query_text(request.query_params, "no", 1000)
        if not number:
            raise ValidationError("请输入执法证件编号", fields={"no": ["请输入执法证件编号"]})
        if len(number) > selectors.CERT_NO_MAX:
            raise ValidationError(f"执法证件编号不能超过{selectors.CERT_NO_MAX}个字符",
                                  fields={"no": ["编号过长"]})
        found = selectors.verify_certificate(number, today=_today())
        if found is None:
            raise NotFound("未查询到该执法证，请核对证件编号")
        return Response(s.CertificateCheckSerializer({"number": number, **asdict(found)}).data)


class MatterList(generics.ListAPIView):
    """事前公示: the enforcement matters of every unit (active violation types
    with legal basis and discretion benchmarks), as on the portal."""

    permission_classes = [AllowAny]
    serializer_class = s.ViolationTypeSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.public_matters()

    @extend_schema(summary="执法事项与裁量基准公示（公开）",
                   responses={200: s.ViolationTypeSerializer(many=True)}, auth=[])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


# ================================================================== staff


def _case(user, pk: int):
    case = selectors.case_detail(user, pk)
    if case is None:
        raise NotFound()
    return case


def _detail(user, pk: int) -> dict:
    case = _case(user, pk)
    case.actions = [{"action": t.action, "label": t.label, "rule": t.rule}
                    for t in services.available_actions(case, user, _today()).offered]
    return s.CaseDetailSerializer(case).data


class CaseList(generics.ListAPIView):
    serializer_class = s.CaseSerializer
    pagination_class = Pagination

    def get_queryset(self):
        qs = selectors.cases(self.request.user)
        status = params.query_text(self.request.query_params, "status", 30)
        if status:
            qs = qs.filter(status=status)
        return qs.order_by("-updated_at", "-pk")

    @extend_schema(summary="本人可见的行政处罚案件",
                   parameters=[OpenApiParameter("status", str, description="案件状态代码，如 investigating")],
                   responses={200: s.CaseSerializer(many=True), 401: ErrorSerializer})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CaseDetail(APIView):
    @extend_schema(summary="行政处罚案件（办理信息与可执行操作）",
                   responses={200: s.CaseDetailSerializer, 401: ErrorSerializer, 404: ErrorSerializer})
    def get(self, request, pk: int):
        return Response(_detail(request.user, pk))


# ------------------------------------------------------------ actions

# SYS-03: the act's own date is the server's; a client may not choose it.
SERVER_DATED = {"today": "办理日期由服务器确定，不接受客户端指定", "served_on": "告知日期为服务器当日，不接受客户端指定"}


def _refuse_client_dates(action: str, data) -> None:
    keys = ["today"] + (["served_on"] if action == "notify" else [])
    given = [k for k in keys if hasattr(data, "keys") and k in data]
    if given:
        raise ValidationError(SERVER_DATED[given[0]], rule="SYS-03", fields={k: [SERVER_DATED[k]] for k in given})


def _people(ids):
    from fazhi.org.models import Person

    return list(Person.objects.filter(pk__in=ids or []))


def _benchmark(case, d):
    pk = d.get("benchmark")
    if pk is None:
        return None
    bm = Benchmark.objects.select_related("violation_type").filter(pk=pk).first()
    if bm is None or bm.violation_type.unit_id != case.unit_id:
        raise ValidationError("裁量基准不存在或不属于本单位", fields={"benchmark": ["请重新选择"]})
    return bm


def _pending_transfer(case):
    t = case.transfers.filter(status=TransferStatus.PENDING).first()
    if t is None:
        raise TransitionRefused("该案件没有待回复的移送", rule=TRANSFER_RULE)
    return t


def _reply(case, d, *, by, accepted: bool):
    return services.record_transfer_reply(_pending_transfer(case), by=by, today=_today(), reply_on=d["reply_on"],
                                          accepted=accepted, reply=d["reply"], outcome=d.get("outcome", ""),
                                          late_reason=d.get("late_reason", ""))


def _end_stop(case, d, *, by):
    stop = case.clock_stops.filter(pk=d["stop"], ends_on__isnull=True).first()
    if stop is None:
        raise TransitionRefused("没有可结束的不计入期间", rule="ENF-08")
    return services.end_clock_stop(stop, by=by, today=_today(), ends_on=d["ends_on"],
                                   late_reason=d.get("late_reason", ""))


def _assign(case, d, *, by):
    ids = list(dict.fromkeys(d["officers"]))
    found = {o.pk: o for o in Officer.objects.filter(pk__in=ids)}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ValidationError("执法人员不存在：" + "、".join(missing), fields={"officers": ["请重新选择执法人员"]})
    lead = found.get(d.get("lead")) if d.get("lead") is not None else None
    if d.get("lead") is not None and lead is None:
        raise ValidationError("主办人员须在所选执法人员之中", fields={"lead": ["请重新选择主办人员"]})
    return services.assign_officers(case, by=by, officers=[found[i] for i in ids], today=_today(), lead=lead)


def _update_info(case, d, *, by):
    d = dict(d)
    if "violation_type" in d and d["violation_type"] is not None:
        vt = ViolationType.objects.filter(pk=d["violation_type"], unit=case.unit).first()
        if vt is None:
            raise ValidationError("违法行为类型不存在或不属于本单位", fields={"violation_type": ["请重新选择"]})
        d["violation_type"] = vt
    return services.update_case_info(case, by=by, **d)


def _publication(case, status: str, message: str, rule: str):
    pub = case.publications.filter(status=status).order_by("-pk").first()
    if pub is None:
        raise TransitionRefused(message, rule=rule)
    return pub


def _publish(case, d, *, by):
    pub = _publication(case, PublicationStatus.PENDING, "该案件没有待公示的执法决定", "ENF-19")
    return services.publish(pub, by=by, today=_today(), content=d.get("content") or None,
                            title=d.get("title") or None)


def _withdraw(case, d, *, by):
    pub = _publication(case, PublicationStatus.PUBLISHED, "该案件没有正在公示的执法决定", "ENF-11")
    return services.withdraw_publication(pub, by=by, today=_today(), reason=d["reason"])


@dataclass(frozen=True)
class ApiAction:
    input: type[serializers.Serializer]
    run: Any  # (case, validated_data, *, by) -> object


def _late(d) -> str:
    return d.get("late_reason", "")


ACTIONS: dict[str, ApiAction] = {
    "file_case": ApiAction(s.FileCaseInput, lambda c, d, by: services.file_case(
        c, by=by, today=_today(), late_filing_reason=d.get("late_filing_reason", ""))),
    "reject_filing": ApiAction(s.ReasonInput, lambda c, d, by: services.reject_filing(
        c, by=by, today=_today(), reason=d["reason"])),
    "notify": ApiAction(s.NotifyInput, lambda c, d, by: services.notify(
        c, by=by, today=_today(), intended_penalty=d["intended_penalty"],
        notice_reasons=d["notice_reasons"], intended_fine=d.get("intended_fine"))),
    "record_statement": ApiAction(s.StatementInput, lambda c, d, by: services.record_statement(
        c, by=by, today=_today(), received_on=d["received_on"], text=d["text"], answer=d.get("answer", ""),
        late_reason=_late(d))),
    "waive_rights": ApiAction(s.WaiveInput, lambda c, d, by: services.waive_rights(
        c, by=by, today=_today(), on=d["on"], late_reason=_late(d))),
    "request_hearing": ApiAction(s.HearingRequestInput, lambda c, d, by: services.request_hearing(
        c, by=by, today=_today(), requested_on=d["requested_on"], late_reason=_late(d))),
    "schedule_hearing": ApiAction(s.ScheduleHearingInput, lambda c, d, by: services.schedule_hearing(
        c, by=by, today=_today(), notified_on=d["notified_on"], hearing_date=d["hearing_date"], place=d["place"],
        presider=d["presider"], late_reason=_late(d))),
    "hold_hearing": ApiAction(s.HoldHearingInput, lambda c, d, by: services.hold_hearing(
        c, by=by, today=_today(), held_on=d["held_on"], summary=d["summary"], late_reason=_late(d))),
    "submit_legal_review": ApiAction(s.TodayInput, lambda c, d, by: services.submit_legal_review(
        c, by=by, today=_today())),
    "legal_review_pass": ApiAction(s.LegalReviewInput, lambda c, d, by: services.legal_review(
        c, by=by, today=_today(), passed=True, opinion=d["opinion"], legal_basis=d.get("legal_basis", ""),
        penalty_basis=d.get("penalty_basis", ""))),
    "legal_review_fail": ApiAction(s.LegalReviewInput, lambda c, d, by: services.legal_review(
        c, by=by, today=_today(), passed=False, opinion=d["opinion"])),
    "submit_discussion": ApiAction(s.TodayInput, lambda c, d, by: services.submit_discussion(
        c, by=by, today=_today())),
    "record_discussion": ApiAction(s.DiscussionInput, lambda c, d, by: services.record_discussion(
        c, by=by, today=_today(), discussed_on=d["discussed_on"], members=_people(d["members"]),
        attendees=d.get("attendees", ""), conclusion=d["conclusion"], late_reason=_late(d))),
    "decide": ApiAction(s.DecideInput, lambda c, d, by: services.decide(
        c, by=by, today=_today(), penalty_kinds=d["penalty_kinds"], fine_amount=d["fine_amount"],
        reasons=d["reasons"], other_penalties=d.get("other_penalties", ""),
        outside_range_reason=d.get("outside_range_reason", ""), benchmark=_benchmark(c, d),
        on_spot_service=d.get("on_spot_service", False))),
    "serve": ApiAction(s.ServeInput, lambda c, d, by: services.serve(
        c, by=by, today=_today(), served_on=d["served_on"], method=d["method"], late_reason=_late(d))),
    "record_payment": ApiAction(s.PaymentInput, lambda c, d, by: services.record_payment(
        c, by=by, today=_today(), paid_on=d["paid_on"], amount=d["amount"], bank_receipt_no=d["bank_receipt_no"],
        surcharge=d.get("surcharge"), method=d.get("method") or "bank", handed_over_on=d.get("handed_over_on"),
        late_reason=_late(d))),
    "complete_execution": ApiAction(s.TodayInput, lambda c, d, by: services.complete_execution(
        c, by=by, today=_today())),
    "close": ApiAction(s.CloseInput, lambda c, d, by: services.close_case(
        c, by=by, today=_today(), summary=d["summary"])),
    "archive": ApiAction(s.ArchiveInput, lambda c, d, by: services.archive_case(
        c, by=by, today=_today(), archive_no=d["archive_no"])),
    "transfer": ApiAction(s.TransferInput, lambda c, d, by: services.transfer_to_police(
        c, by=by, today=_today(), transferred_on=d["transferred_on"], receiving_organ=d["receiving_organ"],
        suspected_crime=d["suspected_crime"], reason=d["reason"], materials=d.get("materials", ""),
        late_reason=_late(d))),
    "resume": ApiAction(s.TransferReplyInput, lambda c, d, by: _reply(c, d, by=by, accepted=False)),
    "end_by_transfer": ApiAction(s.TransferReplyInput, lambda c, d, by: _reply(c, d, by=by, accepted=True)),
    "terminate": ApiAction(s.ReasonInput, lambda c, d, by: services.terminate_case(
        c, by=by, today=_today(), reason=d["reason"])),
    "request_extension": ApiAction(s.ExtensionRequestInput, lambda c, d, by: services.request_extension(
        c, by=by, today=_today(), days=d["days"], reason=d["reason"])),
    "extend_deadline": ApiAction(s.ExtendInput, lambda c, d, by: services.extend_deadline(
        c, by=by, today=_today(), days=d["days"], reason=d["reason"], basis=d["basis"],
        discussed_on=d.get("discussed_on"), members=_people(d.get("members")), attendees=d.get("attendees", ""),
        conclusion=d.get("conclusion", ""), late_reason=_late(d))),
    "start_clock_stop": ApiAction(s.StopStartInput, lambda c, d, by: services.start_clock_stop(
        c, by=by, today=_today(), kind=d["kind"], starts_on=d["starts_on"], reason=d["reason"], basis=d["basis"],
        late_reason=_late(d))),
    "end_clock_stop": ApiAction(s.StopEndInput, _end_stop),
    # Not workflow steps, but part of handling the case:
    "update_case": ApiAction(s.CaseInfoInput, _update_info),
    "assign_officers": ApiAction(s.AssignOfficersInput, _assign),
    "publish": ApiAction(s.PublishInput, _publish),
    "withdraw_publication": ApiAction(s.ReasonInput, _withdraw),
    "record_decision_change": ApiAction(s.DecisionChangeInput, lambda c, d, by: services.record_decision_change(
        c, by=by, today=_today(), changed_on=d["changed_on"], reason=d["reason"], late_reason=_late(d))),
}


class CaseAction(APIView):
    @extend_schema(
        summary="执行办案步骤（与页面调用同一服务）",
        description="action 取值：" + "、".join(ACTIONS) + "。各步骤的参数见请求体。办理日期为服务器当日，"
                    "不接受 today（SYS-03）；人员填写的日期（送达、缴款、听证等）不得晚于今天，超过补录期限的须填 late_reason。"
                    "不符合法定顺序时返回 409，error.rule 为所依据的规则编号（ENF-*）。",
        parameters=[OpenApiParameter("action", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(ACTIONS))],
        request=inline_serializer("EnforcementActionInput", union_fields(a.input for a in ACTIONS.values())),
        responses={200: s.CaseDetailSerializer, 400: ErrorSerializer, 401: ErrorSerializer,
                   403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request, pk: int, action: str):
        case = _case(request.user, pk)
        spec = ACTIONS.get(action)
        if spec is None:
            raise NotFound(f"不支持的操作：{action}")
        _refuse_client_dates(action, request.data)
        data = spec.input(data=request.data)
        data.is_valid(raise_exception=True)
        spec.run(case, data.validated_data, by=request.user)
        return Response(_detail(request.user, pk))


# ------------------------------------------------------------ registers


class OfficerList(generics.ListAPIView):
    serializer_class = s.OfficerSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.officers(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": _today()}

    @extend_schema(summary="执法人员及证件状态", responses={200: s.OfficerSerializer(many=True), 401: ErrorSerializer})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class BenchmarkList(generics.ListAPIView):
    serializer_class = s.ViolationTypeSerializer
    pagination_class = Pagination

    def get_queryset(self):
        return selectors.violation_types(self.request.user).filter(is_active=True)

    @extend_schema(summary="违法行为与裁量基准",
                   responses={200: s.ViolationTypeSerializer(many=True), 401: ErrorSerializer})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)



urlpatterns = [
    path("decisions/", endpoint(DecisionList), name="decision_list"),
    path("decisions/<id:pk>/", endpoint(DecisionDetail), name="decision_detail"),
    path("certificates/verify/", endpoint(CertificateVerify), name="certificate_verify"),
    path("matters/", endpoint(MatterList), name="matter_list"),
    path("cases/", endpoint(CaseList), name="case_list"),
    path("cases/<id:pk>/", endpoint(CaseDetail), name="case_detail"),
    path("cases/<id:pk>/actions/<str:action>/", endpoint(CaseAction), name="case_action"),
    path("officers/", endpoint(OfficerList), name="officer_list"),
    path("benchmarks/", endpoint(BenchmarkList), name="benchmark_list"),
]
