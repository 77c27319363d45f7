"""API serializers of major_decisions.

Public serializers expose only what the portal shows (published catalogue
versions, published decisions, consultation notices, adoption summaries with
masked names). Staff serializers carry the procedure; action inputs carry
Chinese messages so a 400 names the field in Chinese.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from fazhi.core import masking
from fazhi.core.rest import params
from fazhi.major_decisions.models import (
    Adoption,
    Catalogue,
    CatalogueAdjustment,
    CataloguePublication,
    Consultation,
    Decision,
    EvaluationConclusion,
    Expert,
    ExpertPool,
    ExpertStance,
    HeadDecision,
    LegalOpinion,
    MeetingType,
    Responsibility,
    RiskLevel,
    SelectionMethod,
    View,
)
from fazhi.org.models import Person, Unit

REQUIRED = {"required": "此项为必填项", "blank": "此项不能为空", "null": "此项不能为空"}
DATE = {**REQUIRED, "invalid": "日期格式错误，应为 YYYY-MM-DD"}
TEXT = {**REQUIRED, "max_length": "内容过长"}
REF = {**REQUIRED, "does_not_exist": "所选记录不存在", "incorrect_type": "应为记录ID（整数）"}


def _choice(choices, label: str, **kw):
    return serializers.ChoiceField(choices=choices, error_messages={
        **REQUIRED, "invalid_choice": f"{label}无效，可选：" + "、".join(str(v) for v, _ in choices)}, **kw)


def _date(**kw):
    return params.DateField(error_messages=DATE, **kw)


def _text(max_length=20000, **kw):
    return serializers.CharField(max_length=max_length, error_messages=TEXT, **kw)


# ================================================================== public

class MdPublicationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = CataloguePublication
        fields = ["version", "kind", "kind_display", "published_on"]
        read_only_fields = fields


class MdSnapshotRowSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.CharField()
    sponsor_unit = serializers.CharField()
    basis = serializers.CharField()
    procedures = serializers.ListField(child=serializers.CharField(), help_text="须履行的程序")
    planned_completion = serializers.CharField(help_text="YYYY-MM-DD 或空")
    completion = serializers.CharField(help_text="年度完成情况（公布后才有）")
    completion_note = serializers.CharField()


class MdPublicAdjustmentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")
    entry = serializers.CharField(source="entry.title")
    version = serializers.IntegerField(source="publication.version")

    class Meta:
        model = CatalogueAdjustment
        fields = ["adjusted_on", "kind", "kind_display", "entry", "reason", "version"]
        read_only_fields = fields


class PublicCatalogueSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    completion_published_on = serializers.DateField(allow_null=True)
    completion_summary = serializers.SerializerMethodField()

    class Meta:
        model = Catalogue
        fields = ["id", "year", "title", "unit", "published_on", "version", "completion_published_on",
                  "completion_summary"]
        read_only_fields = fields

    def get_completion_summary(self, c) -> str:
        return c.completion_summary if c.completion_published_on else ""


class PublicCatalogueDetailSerializer(PublicCatalogueSerializer):
    """The current published version's snapshot, every adjustment and the versions."""

    entries = serializers.SerializerMethodField()
    adjustments = serializers.SerializerMethodField()
    publications = serializers.SerializerMethodField()

    class Meta(PublicCatalogueSerializer.Meta):
        fields = [*PublicCatalogueSerializer.Meta.fields, "entries", "adjustments", "publications"]
        read_only_fields = fields

    def _pubs(self, c) -> list:
        return list(c.publications.all())

    def get_entries(self, c) -> list[dict]:
        pubs = self._pubs(c)
        keys = MdSnapshotRowSerializer().fields.keys()
        return [{k: row.get(k, [] if k == "procedures" else "") for k in keys} for row in
                (pubs[0].snapshot if pubs else [])]

    def get_adjustments(self, c) -> list[dict]:
        rows = c.adjustments.filter(publication__isnull=False).select_related("entry", "publication")
        return MdPublicAdjustmentSerializer(rows.order_by("adjusted_on", "pk"), many=True).data

    def get_publications(self, c) -> list[dict]:
        return MdPublicationSerializer(self._pubs(c), many=True).data


class PublicDecisionSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    sponsor_unit = serializers.CharField(source="sponsor_unit.name")
    category_display = serializers.CharField(source="get_category_display")
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Decision
        fields = ["id", "title", "category", "category_display", "unit", "sponsor_unit", "status",
                  "status_display", "decided_on", "published_on", "decision_no"]
        read_only_fields = fields


class MdPublicChangeSerializer(serializers.Serializer):
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    decided_on = serializers.DateField()
    reason = serializers.CharField()
    content = serializers.CharField()
    emergency = serializers.BooleanField()


class MdPublicEvaluationSerializer(serializers.Serializer):
    """A published post-evaluation (MDEC-15)."""

    evaluator = serializers.CharField()
    third_party = serializers.BooleanField()
    started_on = serializers.DateField()
    finished_on = serializers.DateField()
    conclusion = serializers.CharField()
    conclusion_display = serializers.CharField(source="get_conclusion_display")
    report = serializers.CharField()
    published_on = serializers.DateField()


class PublicDecisionDetailSerializer(PublicDecisionSerializer):
    basis = serializers.CharField(source="entry.basis")
    changes = MdPublicChangeSerializer(many=True, read_only=True, help_text="调整、停止执行（MDEC-16）")
    consultations = serializers.SerializerMethodField(help_text="公开征求意见（ID）")
    post_evaluations = serializers.SerializerMethodField(help_text="已公开的决策后评估（MDEC-15）")

    class Meta(PublicDecisionSerializer.Meta):
        fields = [*PublicDecisionSerializer.Meta.fields, "basis", "public_text", "adoption_explanation",
                  "changes", "consultations", "post_evaluations"]
        read_only_fields = fields

    def get_consultations(self, d) -> list[int]:
        return [c.pk for c in d.consultations.all()]

    @extend_schema_field(MdPublicEvaluationSerializer(many=True))
    def get_post_evaluations(self, d) -> list[dict]:
        from fazhi.major_decisions import selectors

        return MdPublicEvaluationSerializer(selectors.public_post_evaluations(d), many=True).data


class MdPublicCommentSerializer(serializers.Serializer):
    """A comment as published with the adoption summary: name masked, no contact."""

    name = serializers.CharField(source="public_name")
    content = serializers.CharField(source="public_content")
    adoption = serializers.CharField()
    adoption_display = serializers.CharField(source="get_adoption_display")
    reason = serializers.CharField(source="public_reason")


class PublicConsultationSerializer(serializers.ModelSerializer):
    decision_id = serializers.IntegerField(source="decision.pk")
    title = serializers.CharField(source="decision.title")
    sponsor_unit = serializers.CharField(source="decision.sponsor_unit.name")
    state_display = serializers.CharField(source="get_state_display")

    class Meta:
        model = Consultation
        fields = ["id", "decision_id", "title", "sponsor_unit", "start_on", "end_on", "state", "state_display",
                  "summary_published_on"]
        read_only_fields = fields


class PublicConsultationDetailSerializer(PublicConsultationSerializer):
    summary = serializers.SerializerMethodField()
    comments = serializers.SerializerMethodField(help_text="采纳情况公布后才有；姓名已隐去")

    class Meta(PublicConsultationSerializer.Meta):
        fields = [*PublicConsultationSerializer.Meta.fields, "draft_text", "explanation", "how_to_comment",
                  "exception_reason", "summary", "comments"]
        read_only_fields = fields

    def get_summary(self, c) -> str:
        return c.summary if c.summary_published_on else ""

    def get_comments(self, c) -> list[dict]:
        from fazhi.major_decisions import selectors

        return MdPublicCommentSerializer(selectors.published_comments(c), many=True).data


class MdCommentInput(serializers.Serializer):
    content = _text(5000)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                 error_messages={"max_length": "姓名不能超过100个字"})
    contact = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                    error_messages={"max_length": "联系方式不能超过100个字"})


# ================================================================== staff

class MdActionSerializer(serializers.Serializer):
    action = serializers.CharField()
    label = serializers.CharField()


class MdResponsibilitySerializer(serializers.ModelSerializer):
    step_display = serializers.CharField(source="get_step_display")
    capacity_display = serializers.CharField(source="get_capacity_display")
    person_id = serializers.IntegerField(allow_null=True)
    expert_id = serializers.IntegerField(allow_null=True)
    decision_id = serializers.IntegerField()
    decision_title = serializers.CharField(source="decision.title")

    class Meta:
        model = Responsibility
        fields = ["decision_id", "decision_title", "step", "step_display", "capacity", "capacity_display",
                  "person_id", "expert_id", "name", "post", "unit_name", "acted_on", "dissent", "note"]
        read_only_fields = fields


class StaffDecisionSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    sponsor_unit = serializers.CharField(source="sponsor_unit.name")
    status_display = serializers.CharField(source="get_status_display")
    catalogue_id = serializers.IntegerField(source="entry.catalogue_id")

    class Meta:
        model = Decision
        fields = ["id", "title", "category", "unit", "sponsor_unit", "catalogue_id", "status", "status_display",
                  "needs_participation", "needs_expert_review", "needs_risk_assessment", "launched_on",
                  "decided_on", "published_on", "updated_at"]
        read_only_fields = fields


class StaffDecisionDetailSerializer(StaffDecisionSerializer):
    required_steps = serializers.SerializerMethodField()
    actions = MdActionSerializer(many=True, read_only=True, help_text="当前用户现在可以执行的操作")
    responsibilities = serializers.SerializerMethodField(help_text="全部责任人（按法定程序顺序）")

    class Meta(StaffDecisionSerializer.Meta):
        fields = [*StaffDecisionSerializer.Meta.fields, "expert_field", "launch_note", "draft_text",
                  "draft_explanation", "touches_market", "fair_competition_note", "party_reported_on",
                  "decision_no", "public_text", "adoption_explanation", "execution_started_on", "ended_on",
                  "end_reason", "required_steps", "actions", "responsibilities"]
        read_only_fields = fields

    def get_required_steps(self, d) -> list[str]:
        return [str(s.label) for s in d.required_steps()]

    def get_responsibilities(self, d) -> list[dict]:
        from fazhi.major_decisions import selectors

        return MdResponsibilitySerializer(selectors.responsible_for(d), many=True).data


class MdCatalogueEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seq = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.CharField()
    sponsor_unit = serializers.CharField(source="sponsor_unit.name")
    basis = serializers.CharField()
    needs_participation = serializers.BooleanField()
    needs_expert_review = serializers.BooleanField()
    needs_risk_assessment = serializers.BooleanField()
    expert_field = serializers.CharField()
    planned_completion = serializers.DateField(allow_null=True)
    completion = serializers.CharField()
    completion_note = serializers.CharField()
    removed = serializers.BooleanField()


class StaffCatalogueSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Catalogue
        fields = ["id", "year", "title", "unit", "status", "status_display", "party_consent_on",
                  "party_consent_note", "approved_on", "published_on", "version", "completion_published_on"]
        read_only_fields = fields


class StaffCatalogueDetailSerializer(StaffCatalogueSerializer):
    entries = serializers.SerializerMethodField()
    adjustments = serializers.SerializerMethodField()
    publications = MdPublicationSerializer(many=True, read_only=True)

    class Meta(StaffCatalogueSerializer.Meta):
        fields = [*StaffCatalogueSerializer.Meta.fields, "completion_summary", "entries", "adjustments",
                  "publications"]
        read_only_fields = fields

    def get_entries(self, c) -> list[dict]:
        from fazhi.major_decisions import selectors

        return MdCatalogueEntrySerializer(selectors.catalogue_entries(c), many=True).data

    def get_adjustments(self, c) -> list[dict]:
        rows = c.adjustments.select_related("entry", "publication").order_by("adjusted_on", "pk")
        return MdPublicAdjustmentSerializer(rows, many=True).data


class MdExpertSerializer(serializers.ModelSerializer):
    pool = serializers.CharField(source="pool.name")
    pool_kind = serializers.CharField(source="pool.kind")
    phone = serializers.SerializerMethodField(help_text="专家库管理人员可见完整号码，其他人员隐去")
    conflict_units = serializers.SerializerMethodField(help_text="回避单位（MDEC-06）")

    class Meta:
        model = Expert
        fields = ["id", "name", "pool", "pool_kind", "fields", "affiliation", "title", "phone", "conflict_units",
                  "is_active"]
        read_only_fields = fields

    def get_phone(self, e) -> str:
        managed = self.context.get("managed_pools", set())
        return e.phone if e.pool_id in managed else masking.mask_contact(e.phone)

    def get_conflict_units(self, e) -> list[str]:
        return [u.name for u in e.conflict_units.all()]


# ================================================================== action input

class NoInput(serializers.Serializer):
    pass


class TodayInput(serializers.Serializer):
    """A step dated by the server: the server's date is the only "today" (SYS-03);
    a client-sent ``today`` is refused by the action endpoint (api.py)."""


LATE_HELP = "补录理由：所填日期早于今天超过规定天数（FAZHI_BACKDATE_DAYS）时必填，记入办理记录（SYS-03）"


def _late():
    return _text(500, required=False, allow_blank=True, default="", help_text=LATE_HELP)


class DraftInput(TodayInput):
    draft_text = _text(200_000)
    draft_explanation = _text(200_000, required=False, allow_blank=True, default="")
    touches_market = serializers.BooleanField(required=False)
    fair_competition_note = _text(500, required=False, allow_blank=True)


class ConsultationInput(serializers.Serializer):
    start_on = _date()
    end_on = _date()
    exception_reason = _text(500, required=False, allow_blank=True, default="",
                             help_text="征求意见期少于30日的理由（MDEC-04）")
    how_to_comment = _text(500, required=False, allow_blank=True, default="")
    late_reason = _late()


class SummaryInput(serializers.Serializer):
    summary = _text()
    published_on = _date(required=False, help_text="默认今天")


class AnswerInput(serializers.Serializer):
    comment = params.IdField(label_zh="意见ID", error_messages=REQUIRED)
    adoption = _choice(Adoption.choices, "采纳情况")
    reason = _text(5000)


class SelectExpertsInput(serializers.Serializer):
    pool = params.RecordField(queryset=ExpertPool.objects.all(), error_messages=REF)
    method = _choice(SelectionMethod.choices, "选取方式")
    selected_on = _date(required=False, help_text="默认今天")
    field = _text(50, required=False, allow_blank=True, default="")
    experts = params.RecordField(queryset=Expert.objects.all(), many=True, required=False,
                                                 error_messages=REF, help_text="指定选取时的专家ID")
    count = serializers.IntegerField(required=False, min_value=1, max_value=1000, error_messages={
        "invalid": "抽取人数应为整数", "min_value": "抽取人数至少为1", "max_value": "抽取人数过多"})
    choice_reason = _text(500, required=False, allow_blank=True, default="")


class RedrawExpertsInput(serializers.Serializer):
    reason = _text(500, help_text="重新抽取理由（记录在案，次数计入）")


class OpinionInput(serializers.Serializer):
    opinion = params.IdField(label_zh="专家意见ID", error_messages=REQUIRED)
    stance = _choice(ExpertStance.choices, "论证结论")
    text = _text()
    signed_on = _date()
    handling = _text(5000, required=False, allow_blank=True, default="")
    late_reason = _late()


class CompleteReviewInput(serializers.Serializer):
    summary = _text()
    held_on = _date()
    late_reason = _late()


class RiskInput(serializers.Serializer):
    assessor = _text(200)
    assessed_on = _date()
    level = _choice(RiskLevel.choices, "风险等级")
    risk_points = _text()
    measures = _text()
    contingency_plan = _text()
    report = _text(200_000, required=False, allow_blank=True, default="")
    experts = params.RecordField(queryset=Expert.objects.select_related("pool"), many=True,
                                                 required=False, error_messages=REF)
    late_reason = _late()


class MitigationInput(serializers.Serializer):
    mitigation = _text()
    residual_level = _choice(RiskLevel.choices, "化解后风险等级")
    mitigated_on = _date()


class LegalSubmitInput(serializers.Serializer):
    submitted_on = _date(required=False, help_text="默认今天")
    procedures_account = _text()
    materials = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=50,
                                      help_text="默认三项法定材料（MDEC-09）")
    late_reason = _late()


class LegalReviewInput(serializers.Serializer):
    opinion = _choice(LegalOpinion.choices, "审查意见")
    text = _text(200_000)
    decided_on = _date(required=False, help_text="默认今天")
    late_reason = _late()


class VoteInput(serializers.Serializer):
    person = params.RecordField(queryset=Person.objects.all(), error_messages=REF)
    view = _choice(View.choices, "参会人员意见")
    remarks = _text(5000, required=False, allow_blank=True, default="")


class DiscussionInput(serializers.Serializer):
    meeting_type = _choice(MeetingType.choices, "会议类型")
    meeting_name = _text(200)
    held_on = _date()
    host = params.RecordField(queryset=Person.objects.all(), error_messages=REF)
    head = params.RecordField(queryset=Person.objects.all(), error_messages=REF)
    votes = VoteInput(many=True, max_length=200)
    head_decision = _choice(HeadDecision.choices, "行政首长决定")
    head_reasons = _text(5000, required=False, allow_blank=True, default="")
    minutes = _text(200_000, required=False, allow_blank=True, default="")
    late_reason = _late()


class PublishInput(serializers.Serializer):
    published_on = _date(required=False, help_text="默认今天")
    party_reported_on = _date(required=False, allow_null=True, help_text="向同级党委请示报告日期（MDEC-12）")
    public_text = _text(200_000, required=False, allow_blank=True, default="")
    adoption_explanation = _text(required=False, allow_blank=True, default="")
    decision_no = _text(120, required=False, allow_blank=True, default="")
    late_reason = _late()


class ExecutionInput(serializers.Serializer):
    started_on = _date(required=False, help_text="默认今天")
    execution_unit = params.RecordField(queryset=Unit.objects.filter(is_active=True),
                                                        required=False, allow_null=True, error_messages=REF)


class ReportInput(serializers.Serializer):
    reported_on = _date(required=False, help_text="默认今天")
    content = _text()
    problems = _text(required=False, allow_blank=True, default="")


class PostEvaluationInput(serializers.Serializer):
    reason = _text(5000)
    started_on = _date(required=False, help_text="默认今天")
    evaluator = _text(200)
    third_party = serializers.BooleanField(required=False, default=False)
    participants = _text(5000, required=False, allow_blank=True, default="")
    due_on = _date(required=False, allow_null=True)


class FinishEvaluationInput(serializers.Serializer):
    report = _text(200_000)
    conclusion = _choice(EvaluationConclusion.choices, "评估结论")
    finished_on = _date(required=False, help_text="默认今天")


class PublishEvaluationInput(serializers.Serializer):
    published_on = _date(required=False, help_text="公开日期，默认今天")


class ChangeInput(serializers.Serializer):
    reason = _text(5000)
    content = _text()
    decided_on = _date(required=False, help_text="默认今天")


class StopInput(serializers.Serializer):
    reason = _text(5000)
    decided_on = _date(required=False, help_text="默认今天")
    emergency = serializers.BooleanField(required=False, default=False)


class ReasonInput(TodayInput):
    reason = _text(5000)
