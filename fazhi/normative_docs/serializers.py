"""API serializers of normative_docs. Public ones expose only what the portal shows."""

from django.utils import timezone
from rest_framework import serializers

from fazhi.core.rest import params
from fazhi.normative_docs.models import (
    PACKAGE_ITEMS,
    Adoption,
    CleanupCampaign,
    CleanupVerdict,
    DiscussionOutcome,
    LegalOpinion,
    MeetingType,
    NormDoc,
    ReviewFinding,
)

REQUIRED = {"required": "此项为必填项", "blank": "此项不能为空", "null": "此项不能为空"}
DATE = {**REQUIRED, "invalid": "日期格式错误，应为 YYYY-MM-DD"}


class ArticleSerializer(serializers.Serializer):
    no = serializers.CharField(help_text="条号，如“第三条”；序言为空")
    chapter = serializers.CharField(help_text="所在章，如“第二章 申报与发放”")
    text = serializers.CharField()


class PublicDocSerializer(serializers.ModelSerializer):
    """A published document as the public sees it (no internal fields)."""

    issuer = serializers.CharField(source="issuer.name")
    status_label = serializers.SerializerMethodField(help_text="效力状态：有效/尚未施行/已修改/废止/失效")

    class Meta:
        model = NormDoc
        fields = ["id", "title", "doc_number", "registration_no", "issuer", "status_label", "adopted_on",
                  "published_on", "effective_on", "valid_until", "repealed_on", "expired_on"]
        read_only_fields = fields

    def get_status_label(self, doc) -> str:
        return doc.life_label(self.context.get("today") or timezone.localdate())


class PublicDocDetailSerializer(PublicDocSerializer):
    articles = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()

    class Meta(PublicDocSerializer.Meta):
        fields = [*PublicDocSerializer.Meta.fields, "text", "articles"]
        read_only_fields = fields

    def get_text(self, doc) -> str:
        return doc.current_version.text if doc.current_version_id else ""

    def get_articles(self, doc) -> list[dict]:
        version = doc.current_version if doc.current_version_id else None
        return [{"no": a.get("no", ""), "chapter": a.get("chapter", ""), "text": a.get("text", "")}
                for a in (version.articles if version else [])]


class ActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()


class StaffDocSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    issuer = serializers.CharField(source="issuer.name")
    status_display = serializers.CharField(source="get_status_display")
    filing_status_display = serializers.CharField(source="get_filing_status_display")

    class Meta:
        model = NormDoc
        fields = ["id", "title", "unit", "issuer", "status", "status_display", "filing_status",
                  "filing_status_display", "doc_number", "registration_no", "published_on", "effective_on",
                  "valid_until", "publication_due", "filing_due", "updated_at"]
        read_only_fields = fields


class StaffDocDetailSerializer(StaffDocSerializer):
    actions = ActionSerializer(many=True, read_only=True, help_text="当前用户现在可以执行的操作")
    text = serializers.SerializerMethodField()

    class Meta(StaffDocSerializer.Meta):
        fields = [*StaffDocSerializer.Meta.fields, "touches_market", "explanation", "legal_basis", "text", "actions"]
        read_only_fields = fields

    def get_text(self, doc) -> str:
        return doc.current_version.text if doc.current_version_id else ""


# ------------------------------------------------------------ action input

class NoInput(serializers.Serializer):
    pass


class AmendInput(NoInput):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                  help_text="修改稿名称（默认沿用原名称）")


# The server's date is the only "today" (SYS-03): no action input carries one;
# a ``today`` sent by a client is refused by the action endpoints (api.py).
LATE_REASON_HELP = "补录理由：所填日期早于今天超过规定天数（FAZHI_BACKDATE_DAYS）时必填，记入办理记录"


def _late_reason():
    return serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                 error_messages={"max_length": "补录理由不能超过500个字"}, help_text=LATE_REASON_HELP)


class LegalReviewInput(NoInput):
    text = serializers.CharField(required=False, allow_blank=True, default="", help_text="审核意见书")
    opinion = serializers.ChoiceField(
        choices=[LegalOpinion.PASS, LegalOpinion.PASS_WITH_CHANGES], required=False, default=LegalOpinion.PASS,
        error_messages={"invalid_choice": "审核意见应为 pass 或 pass_changes"})


class RegisterInput(NoInput):
    number_prefix = serializers.CharField(required=False, allow_blank=True, max_length=50,
                                          error_messages={"max_length": "机关代字不能超过50个字"})


class PublishInput(NoInput):
    effective_on = params.DateField(error_messages=DATE, help_text="施行日期")
    published_on = params.DateField(required=False, error_messages=DATE,
                                    help_text="公布日期（默认今天；不得晚于今天、早于签发和登记日期）")
    urgent_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="",
                                          help_text="施行日期早于公布后30日的理由（NDOC-11）")
    late_reason = _late_reason()


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500, error_messages={**REQUIRED, "max_length": "理由不能超过500个字"})


class RepealInput(ReasonInput):
    repealed_on = params.DateField(error_messages=DATE)
    late_reason = _late_reason()


class RenewInput(NoInput):
    evaluation = serializers.CharField(error_messages=REQUIRED, help_text="评估意见")


def _choice(choices, label: str, **kwargs) -> serializers.ChoiceField:
    values = "、".join(f"{v}（{n}）" for v, n in choices)
    return serializers.ChoiceField(choices=choices, help_text=f"{label}：{values}", error_messages={
        **REQUIRED, "invalid_choice": f"{label}应为：{values}"}, **kwargs)


def _text(label: str, *, max_length: int = 20_000, required: bool = True, **kwargs) -> serializers.CharField:
    if not required:
        kwargs.setdefault("default", "")
    return serializers.CharField(max_length=max_length, required=required, allow_blank=not required,
                                 error_messages={**REQUIRED, "max_length": f"{label}不能超过{max_length}个字"},
                                 help_text=label, **kwargs)


class ConsultationStartInput(serializers.Serializer):
    start_on = params.DateField(error_messages=DATE, help_text="征求意见开始日期")
    end_on = params.DateField(error_messages=DATE, help_text="截止日期（不短于法定最短期限，NDOC-04/05）")
    exception_reason = _text("期限短于法定最短期限的理由", max_length=500, required=False)
    late_reason = _late_reason()


class ConsultationCloseInput(NoInput):
    exception_reason = _text("提前结束的理由", max_length=500, required=False)


class SummaryInput(NoInput):
    summary = _text("意见采纳情况说明")


class CommentAnswerInput(serializers.Serializer):
    comment = params.IdField(label_zh="意见编号", error_messages=REQUIRED, help_text="意见ID")
    adoption = _choice(Adoption.choices, "采纳情况")
    reason = _text("理由（部分采纳、不采纳时必填）", max_length=2000, required=False)


class FairReviewInput(serializers.Serializer):
    passed = serializers.BooleanField(error_messages={**REQUIRED, "invalid": "passed 应为 true 或 false"},
                                      help_text="是否通过公平竞争审查")
    opinion = _text("审查意见", required=False)
    reviewed_on = params.DateField(error_messages=DATE)
    reviewing_unit_name = _text("审查机构", max_length=100, required=False)
    late_reason = _late_reason()


class DiscussionInput(serializers.Serializer):
    meeting_type = _choice(MeetingType.choices, "会议类型")
    meeting_name = _text("会议名称", max_length=200)
    held_on = params.DateField(error_messages=DATE)
    chair = params.IdField(label_zh="会议主持人", error_messages=REQUIRED,
                           help_text="会议主持人（人员ID，须为会议当日制定机关负责人）")
    outcome = _choice(DiscussionOutcome.choices, "讨论结果")
    minutes = _text("会议纪要", required=False)
    late_reason = _late_reason()


class FilingInput(serializers.Serializer):
    filed_on = params.DateField(error_messages=DATE)
    package = serializers.ListField(
        child=_choice(list(PACKAGE_ITEMS.items()), "报备材料"), allow_empty=True, max_length=50,
        error_messages={**REQUIRED, "not_a_list": "package 应为报备材料代码的列表"},
        help_text="报备材料：" + "、".join(f"{k}（{v}）" for k, v in PACKAGE_ITEMS.items()) + "，须齐全（NDOC-14）")
    to_name = _text("备案审查机关（不填按制定机关确定）", max_length=100, required=False)
    late_reason = _late_reason()


class ReturnFilingInput(NoInput):
    reason = _text("退回补正理由", max_length=2000)


class AcceptFilingInput(NoInput):
    receipt_no = _text("受理回执号", max_length=60)


class FilingReviewInput(NoInput):
    finding = _choice(ReviewFinding.choices, "审查结论")
    opinion = _text("审查意见", required=False)
    order_text = _text("纠错通知内容（结论为不合法、不适当时必填）", required=False)


class CorrectionReportInput(NoInput):
    report_text = _text("纠正情况报告")


class ProposalReplyInput(NoInput):
    proposal = params.IdField(label_zh="审查建议编号", error_messages=REQUIRED, help_text="审查建议ID")
    reply = _text("答复内容")


class CleanupStartInput(serializers.Serializer):
    unit = params.IdField(label_zh="单位ID", error_messages=REQUIRED, help_text="组织清理的单位ID")
    name = _text("清理活动名称", max_length=200)
    kind = _choice(CleanupCampaign.Kind.choices, "清理类型")
    started_on = params.DateField(error_messages=DATE)
    trigger_law = _text("所涉上位法（专项清理）", max_length=200, required=False)
    include_in_force = serializers.BooleanField(default=True, help_text="是否纳入全部有效文件")


class CleanupAddInput(serializers.Serializer):
    docs = params.IdListField(label_zh="文件ID", allow_empty=False, error_messages={
        **REQUIRED, "empty": "请至少选择一件文件", "not_a_list": "docs 应为文件ID的列表"}, help_text="文件ID")


class CleanupDecideInput(serializers.Serializer):
    doc = params.IdField(label_zh="文件ID", error_messages=REQUIRED)
    decision = _choice(CleanupVerdict.choices, "清理结论")
    reason = _text("理由（修改、废止、宣布失效时必填）", max_length=2000, required=False)


class CampaignSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    kind_display = serializers.CharField(source="get_kind_display")
    state_display = serializers.CharField(source="get_state_display")
    n_docs = serializers.SerializerMethodField()
    n_open = serializers.SerializerMethodField()

    class Meta:
        model = CleanupCampaign
        fields = ["id", "name", "unit", "kind", "kind_display", "state", "state_display", "trigger_law",
                  "started_on", "published_on", "n_docs", "n_open"]
        read_only_fields = fields

    def get_n_docs(self, c) -> int:
        return c.decisions.count()

    def get_n_open(self, c) -> int:
        return c.decisions.filter(decision="").count()
