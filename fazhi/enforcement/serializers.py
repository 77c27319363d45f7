"""API serializers of enforcement.

Public ones expose exactly what the portal shows (selectors.PublicDecision,
selectors.CertificateCheck): a natural person's name masked, no ID number,
address or phone. Staff ones are read through the scoped selectors.
Input serializers carry Chinese messages; the services validate again.
"""

from rest_framework import serializers

from fazhi.core.rest import params
from fazhi.enforcement.models import Benchmark, Certificate, Officer, PenaltyCase, ViolationType

REQUIRED = {"required": "此项为必填项", "blank": "此项不能为空", "null": "此项不能为空"}
DATE = {**REQUIRED, "invalid": "日期格式错误，应为 YYYY-MM-DD"}
MONEY = {**REQUIRED, "invalid": "请填写有效的金额（元）", "max_digits": "金额过大",
         "max_decimal_places": "金额最多保留两位小数", "max_whole_digits": "金额过大",
         "min_value": "金额不能为负数"}


def _text(max_length: int, *, required: bool = True, label: str = "", **kw):
    return serializers.CharField(
        max_length=max_length, required=required, allow_blank=not required, default=serializers.empty
        if required else "", error_messages={**REQUIRED, "max_length": f"{label or '内容'}不能超过{max_length}个字"},
        **kw)


def _date(help_text: str = "", *, required: bool = True):
    return params.DateField(required=required, error_messages=DATE, help_text=help_text)


def _money(help_text: str = "", *, required: bool = True):
    return serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0, required=required,
                                    allow_null=not required, error_messages=MONEY, help_text=help_text)


# ================================================================= public


class PublicPenaltyDecisionSerializer(serializers.Serializer):
    """A decision on display (ENF-19); natural persons masked (ENF-20)."""

    id = serializers.IntegerField()
    title = serializers.CharField()
    unit = serializers.CharField(help_text="执法机关")
    decision_no = serializers.CharField(help_text="决定书文号")
    party = serializers.CharField(help_text="当事人（自然人姓名部分隐去）")
    party_kind = serializers.CharField(help_text="自然人 / 法人或其他组织")
    decision_date = serializers.DateField()
    published_on = serializers.DateField()


class PublicPenaltyDecisionDetailSerializer(PublicPenaltyDecisionSerializer):
    cause = serializers.CharField(help_text="案由")
    facts = serializers.CharField(help_text="主要违法事实")
    basis = serializers.CharField(help_text="处罚依据")
    penalty_kinds = serializers.CharField(help_text="处罚种类")
    penalty = serializers.CharField(help_text="处罚内容")
    display_until = serializers.DateField(allow_null=True, help_text="公示期满日")
    content = serializers.CharField(help_text="公示全文")


class CertificateCheckSerializer(serializers.Serializer):
    """执法证查询: name, unit, field, status — nothing more (ENF-19)."""

    number = serializers.CharField(help_text="证件编号（即查询的编号）")
    name = serializers.CharField(help_text="持证人姓名")
    unit = serializers.CharField(help_text="所在单位")
    field = serializers.CharField(help_text="执法领域")
    status = serializers.CharField(help_text="有效 / 暂扣 / 注销 / 已过期 / 尚未生效")


# ================================================================== staff


class CaseActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()
    rule = serializers.CharField(allow_null=True)


class CaseOfficerSerializer(serializers.Serializer):
    name = serializers.CharField(source="officer.person.name")
    certificate_no = serializers.CharField()
    role = serializers.CharField()
    role_display = serializers.CharField(source="get_role_display")


class CaseSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    status_display = serializers.CharField(source="get_status_display")
    procedure_display = serializers.CharField(source="get_procedure_display")
    party_kind_display = serializers.CharField(source="get_party_kind_display")
    violation_type = serializers.CharField(source="violation_type.name", allow_null=True, default=None)

    class Meta:
        model = PenaltyCase
        fields = ["id", "unit", "procedure", "procedure_display", "status", "status_display", "case_no", "cause",
                  "violation_type", "severity", "party_kind", "party_kind_display", "party_name", "discovered_on",
                  "filed_on", "decision_due", "decision_rule", "decided_on", "decision_no", "fine_amount",
                  "service_due", "served_on", "payment_due", "closed_on", "updated_at"]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    officers = CaseOfficerSerializer(source="case_officers", many=True, read_only=True)
    actions = CaseActionSerializer(many=True, read_only=True, help_text="当前用户现在可以执行的操作")

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "facts", "intended_penalty", "intended_fine", "notice_served_on",
                  "statement_due", "hearing_offered", "hearing_requested_on", "hearing_date", "hearing_held_on",
                  "legal_review_required", "discussed_on", "penalty_kinds", "other_penalties", "service_method",
                  "executed_on", "archived_on", "terminated_on", "termination_reason", "decision_reasons",
                  "clock_stopped_on", "officers", "actions"]
        read_only_fields = fields


class CertificateSerializer(serializers.ModelSerializer):
    status_display = serializers.CharField(source="get_status_display")
    current_status = serializers.SerializerMethodField(help_text="按今天计：有效 / 暂扣 / 注销 / 已过期 / 尚未生效")

    class Meta:
        model = Certificate
        fields = ["id", "number", "kind", "issuing_authority", "field", "valid_from", "valid_to", "status",
                  "status_display", "current_status"]
        read_only_fields = fields

    def get_current_status(self, cert) -> str:
        return cert.display_status(self.context["today"])


class OfficerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name")
    unit = serializers.CharField(source="unit.name")
    certificates = CertificateSerializer(many=True, read_only=True)
    certified = serializers.SerializerMethodField(help_text="今天持有有效执法证件（ENF-01）")

    class Meta:
        model = Officer
        fields = ["id", "name", "unit", "category", "has_legal_qualification", "is_active", "certified",
                  "certificates"]
        read_only_fields = fields

    def get_certified(self, officer) -> bool:
        return officer.is_active and officer.valid_certificate(self.context["today"]) is not None


class BenchmarkSerializer(serializers.ModelSerializer):
    severity_display = serializers.CharField(source="get_severity_display")

    class Meta:
        model = Benchmark
        fields = ["id", "severity", "severity_display", "circumstances", "fine_min", "fine_max", "other_penalties"]
        read_only_fields = fields


class ViolationTypeSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    benchmarks = BenchmarkSerializer(many=True, read_only=True)

    class Meta:
        model = ViolationType
        fields = ["id", "unit", "code", "name", "field", "legal_basis", "penalty_basis", "is_active", "benchmarks"]
        read_only_fields = fields


# ========================================================== action input


class NoInput(serializers.Serializer):
    pass


class TodayInput(serializers.Serializer):
    """An act dated by the server (SYS-03): no date field; a ``today`` sent by
    the client is refused by the view."""


class EnteredDateInput(serializers.Serializer):
    """An input with a date a person enters (SYS-03)."""

    late_reason = _text(500, required=False, label="补录理由",
                        help_text="所填日期早于今天超过 FAZHI_BACKDATE_DAYS 天的，须说明理由")


def _ids(label: str, help_text: str, *, required: bool = True):
    return serializers.ListField(child=serializers.IntegerField(error_messages={"invalid": f"{label}ID应为整数"}),
                                 required=required, help_text=help_text,
                                 error_messages={**REQUIRED, "not_a_list": f"{label}应为ID列表"})


class ReasonInput(TodayInput):
    reason = _text(500, label="理由")


class FileCaseInput(TodayInput):
    late_filing_reason = _text(500, required=False, label="逾期立案说明")


class NotifyInput(TodayInput):
    """告知: dated the server's today (the day the notice is served)."""

    intended_penalty = _text(2000, label="拟处罚内容")
    notice_reasons = _text(20000, label="事实、理由及依据")
    intended_fine = _money("拟罚款金额（元）", required=False)


class StatementInput(EnteredDateInput):
    received_on = _date("陈述申辩日期")
    text = _text(20000, label="陈述申辩意见")
    answer = _text(20000, required=False, label="复核意见")


class WaiveInput(EnteredDateInput):
    on = _date("书面放弃日期")


class HearingRequestInput(EnteredDateInput):
    requested_on = _date("听证申请日期")


class ScheduleHearingInput(EnteredDateInput):
    notified_on = _date("听证通知日期")
    hearing_date = _date("听证日期")
    place = _text(200, label="听证地点")
    presider = _text(50, label="听证主持人")


class HoldHearingInput(EnteredDateInput):
    held_on = _date("听证举行日期")
    summary = _text(20000, label="听证笔录摘要")


class LegalReviewInput(TodayInput):
    opinion = _text(20000, label="审核意见")
    legal_basis = _text(5000, required=False, label="违法依据（审核认定）")
    penalty_basis = _text(5000, required=False, label="处罚依据（审核认定）")


class DiscussionInput(EnteredDateInput):
    discussed_on = _date("集体讨论日期")
    members = _ids("负责人", "参加讨论的本机关负责人（人员ID，不少于2人，当日担任负责人、非本案承办人）")
    attendees = _text(300, required=False, label="列席人员")
    conclusion = _text(20000, label="讨论结论")


class DecideInput(TodayInput):
    penalty_kinds = _text(200, label="处罚种类")
    fine_amount = _money("罚款金额（元）")
    reasons = _text(20000, label="处罚理由")
    other_penalties = _text(500, required=False, label="其他处罚内容")
    outside_range_reason = _text(5000, required=False, label="超出裁量基准的理由")
    benchmark = params.IdField(required=False, allow_null=True, help_text="适用的裁量基准ID", label_zh="裁量基准ID")
    on_spot_service = serializers.BooleanField(required=False, default=False, help_text="当场交付决定书")


class ServeInput(EnteredDateInput):
    served_on = _date("送达日期")
    method = serializers.CharField(max_length=20, error_messages=REQUIRED,
                                   help_text="送达方式：on_spot/direct/left/post/entrusted/electronic/notice")


class PaymentInput(EnteredDateInput):
    paid_on = _date("缴款日期")
    amount = _money("缴款金额（元）")
    bank_receipt_no = _text(60, label="银行缴款凭证号")
    surcharge = _money("加处罚款（元），默认按逾期天数计算", required=False)
    method = serializers.CharField(required=False, default="bank", max_length=20,
                                   help_text="bank 银行缴款（默认）/ on_spot_cash 当场收缴")
    handed_over_on = _date("当场收缴的罚款交至行政机关日期", required=False)


class CloseInput(TodayInput):
    summary = _text(20000, label="结案报告")


class ArchiveInput(TodayInput):
    archive_no = _text(60, label="档案号")


class TransferInput(EnteredDateInput):
    transferred_on = _date("移送日期")
    receiving_organ = _text(200, label="接收公安机关")
    suspected_crime = _text(200, label="涉嫌罪名")
    reason = _text(20000, label="移送理由")
    materials = _text(5000, required=False, label="移送材料清单")


class TransferReplyInput(EnteredDateInput):
    reply_on = _date("回复日期")
    reply = _text(5000, label="公安机关回复")
    outcome = _text(5000, required=False, label="处理结果")


class ExtensionRequestInput(serializers.Serializer):
    days = serializers.IntegerField(min_value=1, max_value=365, help_text="申请延长天数",
                                    error_messages={**REQUIRED, "invalid": "天数应为整数",
                                                    "min_value": "延长天数至少为1天",
                                                    "max_value": "延长天数不能超过365天"})
    reason = _text(5000, label="延长理由")


class ExtendInput(EnteredDateInput):
    days = serializers.IntegerField(min_value=1, max_value=365, help_text="延长天数（每次不超过本领域的上限，默认30日）",
                                    error_messages={**REQUIRED, "invalid": "天数应为整数",
                                                    "min_value": "延长天数至少为1天",
                                                    "max_value": "延长天数不能超过365天"})
    reason = _text(5000, label="延长理由")
    basis = _text(300, label="延长依据")
    discussed_on = _date("再次延长：集体讨论日期", required=False)
    members = _ids("负责人", "再次延长：参加集体讨论的负责人ID", required=False)
    attendees = _text(300, required=False, label="列席人员")
    conclusion = _text(5000, required=False, label="集体讨论结论")


class StopStartInput(EnteredDateInput):
    kind = serializers.ChoiceField(choices=["testing", "notice"], error_messages={
        **REQUIRED, "invalid_choice": "期间类别应为 testing（检测、检验、检疫、鉴定）或 notice（公告）"})
    starts_on = _date("起始日期")
    reason = _text(500, label="事由")
    basis = _text(300, label="依据")


class StopEndInput(EnteredDateInput):
    stop = serializers.IntegerField(help_text="不计入期间ID", error_messages={**REQUIRED, "invalid": "期间ID应为整数"})
    ends_on = _date("结束日期")


def _optional_text(max_length: int, label: str, **kw):
    # No default: a field left out is left unchanged (services.update_case_info).
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True,
                                 error_messages={**REQUIRED, "max_length": f"{label}不能超过{max_length}个字"}, **kw)


class CaseInfoInput(TodayInput):
    """The case information (ENF-10); only the fields sent are changed. After
    the notice (ENF-06) the facts and the violation can no longer change."""

    cause = _optional_text(200, "案由")
    facts = _optional_text(20000, "违法事实")
    violation_type = params.IdField(required=False, allow_null=True, label_zh="违法行为类型ID",
                                    help_text="违法行为类型ID（本单位的裁量基准），null 为不选")
    severity = serializers.CharField(max_length=20, required=False, allow_blank=True,
                                     help_text="违法程度：minor/general/serious/grave，空为未定")
    is_complex = serializers.BooleanField(required=False, help_text="案情复杂或涉及多个法律关系")
    major_public_interest = serializers.BooleanField(required=False, help_text="涉及重大公共利益")
    revoke_licence = serializers.BooleanField(required=False, help_text="拟吊销许可证件/降低资质等级")
    order_stop_business = serializers.BooleanField(required=False, help_text="拟责令停产停业/关闭/限制从业")


class AssignOfficersInput(TodayInput):
    officers = params.IdListField(label_zh="执法人员ID", help_text="执法人员ID（至少2名持有效执法证件的本单位人员，ENF-01）",
                                  error_messages={**REQUIRED, "not_a_list": "执法人员应为ID列表"})
    lead = params.IdField(required=False, allow_null=True, help_text="主办人员ID，默认第一位", label_zh="主办人员ID")


class PublishInput(TodayInput):
    title = _text(300, required=False, label="公示标题")
    content = _text(50000, required=False, label="公示内容")


class DecisionChangeInput(EnteredDateInput):
    changed_on = _date("决定变更/撤销日期")
    reason = _text(500, label="变更/撤销原因")
