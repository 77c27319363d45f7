"""API serializers of 双随机、一公开.

Public ones expose exactly what the portal shows (``portal_views.PublicResult``,
``PublicDraw``): an individual business's operator masked, no phone, no
address; a draw's seed only once published. Staff ones are read through the
scoped selectors. Input serializers carry Chinese messages; the services
validate again (and refuse with the rule).
"""

from rest_framework import serializers

from fazhi.inspections.models import (
    Draw,
    Entity,
    EntityImport,
    Inspection,
    InspectionItem,
    Inspector,
    Plan,
    Result,
    Task,
)

REQUIRED = {"required": "此项为必填项", "blank": "此项不能为空", "null": "此项不能为空"}
DATE = {**REQUIRED, "invalid": "日期格式错误，应为 YYYY-MM-DD"}


class InspectionUnitRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


# ================================================================= public


class PublicInspectionItemSerializer(serializers.ModelSerializer):
    """A published item (RAND-04): the current version only."""

    unit = InspectionUnitRef()
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = InspectionItem
        fields = ["id", "unit", "number", "version", "name", "sub_item", "inspecting_body", "basis", "method",
                  "content", "object_scope", "frequency", "kind", "kind_label", "remarks", "published_at"]


class DrawStratumSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="层键（如 行业/区域/风险等级 的组合；不分层为“全部”）")
    size = serializers.IntegerField(help_text="该层符合条件的对象数")
    quota = serializers.IntegerField(help_text="该层抽取数量")


class PublicInspectionDrawSerializer(serializers.Serializer):
    """A draw as the portal shows it: commitment and pool hashes from the
    commit; seed, witness input and receipt hash only once published."""

    id = serializers.IntegerField()
    title = serializers.CharField(help_text="抽查任务")
    unit = serializers.CharField(help_text="牵头部门")
    plan = serializers.CharField()
    status = serializers.CharField()
    revealed = serializers.BooleanField(help_text="种子是否已揭示")
    published = serializers.BooleanField(help_text="抽取结果是否已公开")
    algorithm_version = serializers.CharField()
    commitment = serializers.CharField(help_text="种子承诺值 sha256(seed)")
    committed_at = serializers.DateTimeField()
    objects_hash = serializers.CharField(help_text="检查对象名录（未压缩）SHA-256")
    inspectors_hash = serializers.CharField(help_text="检查人员名录 SHA-256")
    recusals_hash = serializers.CharField(help_text="回避关系 SHA-256")
    object_count = serializers.IntegerField()
    inspector_count = serializers.IntegerField()
    strata = DrawStratumSerializer(many=True)
    team_size = serializers.IntegerField()
    seed = serializers.CharField(help_text="揭示的种子（公开前为空）")
    witness_name = serializers.CharField()
    witness_input = serializers.CharField()
    final_seed = serializers.CharField()
    drawn_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    receipt_sha256 = serializers.CharField()
    receipt_url = serializers.CharField(allow_null=True, help_text="receipt.json 下载地址（公开后）")
    bundle_url = serializers.CharField(allow_null=True, help_text="凭证和名录文件 zip 下载地址（公开后）")


class PublicInspectionResultSerializer(serializers.Serializer):
    """A published result (RAND-07); an individual business's operator masked."""

    id = serializers.IntegerField()
    entity_name = serializers.CharField(help_text="企业（对象）名称")
    credit_code = serializers.CharField(help_text="统一社会信用代码")
    legal_rep = serializers.CharField(help_text="法定代表人（负责人）；个体工商户经营者姓名部分隐去")
    items = serializers.CharField(help_text="检查事项")
    result = serializers.CharField(help_text="检查结果")
    findings = serializers.CharField(help_text="公示的检查情况")
    inspected_on = serializers.DateField(allow_null=True)
    unit = serializers.CharField(help_text="检查部门")
    kind = serializers.CharField(help_text="双随机抽查 / 非随机检查")
    published_on = serializers.DateField(allow_null=True)


# ================================================================== staff


class InspectionItemSerializer(PublicInspectionItemSerializer):
    status_label = serializers.CharField(source="get_status_display")

    class Meta(PublicInspectionItemSerializer.Meta):
        fields = PublicInspectionItemSerializer.Meta.fields + ["field", "status", "status_label", "supersedes"]


class InspectionEntitySerializer(serializers.ModelSerializer):
    risk_label = serializers.CharField(source="get_risk_level_display")

    class Meta:
        model = Entity
        fields = ["id", "name", "credit_code", "entity_type", "industry", "region", "address", "legal_rep",
                  "contact", "phone", "risk_level", "risk_label", "credit_level", "last_inspected_on",
                  "org_unit", "active"]


class InspectionInspectorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="officer.person.name")
    unit = InspectionUnitRef()
    certificate_number = serializers.SerializerMethodField(help_text="现行有效的执法证号（如有）")

    class Meta:
        model = Inspector
        fields = ["id", "name", "unit", "fields", "active", "note", "certificate_number"]

    def get_certificate_number(self, obj) -> str:
        # Valid certificates first, then the one valid longest (ENF-01).
        certs = sorted(obj.officer.certificates.all(), key=lambda c: (c.status != "valid", -c.valid_to.toordinal()))
        return certs[0].number if certs else ""


class InspectionTaskRefSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Task
        fields = ["id", "title", "status", "status_label", "planned_start", "planned_end", "team_size"]


class InspectionPlanSerializer(serializers.ModelSerializer):
    unit = InspectionUnitRef()
    participating_units = InspectionUnitRef(many=True)
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    tasks = InspectionTaskRefSerializer(many=True)

    class Meta:
        model = Plan
        fields = ["id", "unit", "year", "title", "kind", "kind_label", "participating_units", "random_target",
                  "description", "status", "status_label", "approved_at", "tasks"]


class InspectionTaskSerializer(serializers.ModelSerializer):
    unit = InspectionUnitRef()
    status_label = serializers.CharField(source="get_status_display")
    items = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    draw = serializers.SerializerMethodField(help_text="随机抽取ID（未冻结为 null）")

    class Meta:
        model = Task
        fields = ["id", "plan", "unit", "title", "items", "industries", "regions", "risk_levels", "sample_size",
                  "sample_ratio", "stratify_by", "quotas", "team_size", "exclude_recent_months", "planned_start",
                  "planned_end", "status", "status_label", "draw"]

    def get_draw(self, obj) -> int | None:
        try:
            return obj.draw.pk
        except Draw.DoesNotExist:
            return None


class InspectionDrawSerializer(serializers.ModelSerializer):
    """Staff view of a draw: never the secret seed before the reveal."""

    unit = InspectionUnitRef()
    status_label = serializers.CharField(source="get_status_display")
    strata = DrawStratumSerializer(many=True)

    class Meta:
        model = Draw
        fields = ["id", "task", "unit", "algorithm_version", "status", "status_label", "commitment", "committed_at",
                  "objects_hash", "inspectors_hash", "recusals_hash", "object_count", "inspector_count", "strata",
                  "witness_name", "witness_input", "seed", "final_seed", "drawn_at", "live_pool_changed",
                  "live_pool_note", "receipt_sha256", "published_at"]


class InspectionSerializer(serializers.ModelSerializer):
    unit = InspectionUnitRef()
    entity = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    result_label = serializers.CharField(source="get_result_display")
    officers = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Inspection
        fields = ["id", "unit", "kind", "kind_label", "non_random_reason", "reason_note", "task", "entity", "year",
                  "status", "status_label", "result", "result_label", "findings", "inspected_on", "officers",
                  "publish_due", "publish_due_provisional", "publish_due_rule", "published_at", "public_result",
                  "public_findings", "handover_status", "handed_over_on"]

    def get_entity(self, obj) -> dict:
        return {"id": obj.entity_id, "name": obj.entity.name, "credit_code": obj.entity.credit_code}


class EntityImportSerializer(serializers.ModelSerializer):
    unit = InspectionUnitRef()
    status_label = serializers.CharField(source="get_status_display")
    percent = serializers.IntegerField()

    class Meta:
        model = EntityImport
        fields = ["id", "unit", "original_name", "format", "sha256", "size", "status", "status_label",
                  "total_rows", "processed_rows", "percent", "created_rows", "error_count", "errors", "message",
                  "started_at", "finished_at", "created_at"]


class EntityImportProgressSerializer(serializers.Serializer):
    status = serializers.CharField()
    processed = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    error_count = serializers.IntegerField()
    message = serializers.CharField(allow_blank=True)


class EntityImportStartInput(serializers.Serializer):
    file = serializers.FileField(error_messages={**REQUIRED, "invalid": "请上传文件", "empty": "上传的文件为空"},
                                 help_text=".csv（UTF-8）或 .xlsx")
    unit = serializers.IntegerField(required=False, help_text="导入单位ID（默认本人所在单位）")


class DrawRevealInput(serializers.Serializer):
    witness_input = serializers.CharField(max_length=200, error_messages={
        **REQUIRED, "max_length": "监督人输入不能超过200个字"}, help_text="监督人输入的公开随机数")
    witness_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class InspectionResultInput(serializers.Serializer):
    result = serializers.ChoiceField(choices=Result.choices, error_messages={
        **REQUIRED, "invalid_choice": "不是有效的检查结果"})
    inspected_on = serializers.DateField(error_messages=DATE)
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    officers = serializers.ListField(child=serializers.IntegerField(), required=False,
                                     help_text="检查人员ID（默认抽中的检查组）")


class ResultPublishInput(serializers.Serializer):
    content = serializers.CharField(required=False, allow_blank=True, help_text="公示内容（默认检查情况）")


class InspectionStatisticsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    coverage_by_department = serializers.ListField(child=serializers.DictField())
    coverage_by_industry = serializers.ListField(child=serializers.DictField())
    coverage_by_region = serializers.ListField(child=serializers.DictField())
    random_share = serializers.ListField(child=serializers.DictField())
    results_by_type = serializers.ListField(child=serializers.DictField())
