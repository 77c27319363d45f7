"""API serializers of 双随机、一公开.

Public ones expose exactly what the portal shows (``selectors.PublicResult``,
``PublicDraw``): an individual business's operator masked, no phone, no
address; a draw's seed only once published. Staff ones are read through the
scoped selectors. Input serializers carry Chinese messages; the services
validate again (and refuse with the rule).
"""

from rest_framework import serializers

from fazhi.core.rest import params
from fazhi.inspections.models import (
    Draw,
    DrawWitness,
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


class PublicDrawWitnessSerializer(serializers.Serializer):
    position = serializers.IntegerField(help_text="顺序（各监督人输入按此顺序进入最终种子）")
    name = serializers.CharField()
    capacity = serializers.CharField(help_text="身份及单位")
    kind = serializers.ChoiceField(choices=["secret", "public"], help_text="secret 秘密值 / public 公开随机数")
    kind_label = serializers.CharField()
    commitment = serializers.CharField(help_text="秘密值的 SHA-256（冻结前提交）")
    source = serializers.CharField(help_text="公开随机数来源（冻结前写明）")
    value = serializers.CharField(help_text="揭示值（揭示前为空）")


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
    server_commitment = serializers.CharField(help_text="服务器种子承诺值 sha256(seed)（fazhi-draw/2）")
    params_hash = serializers.CharField(help_text="冻结参数文件 params.json 的 SHA-256（fazhi-draw/2）")
    witnesses = PublicDrawWitnessSerializer(many=True)
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


class DrawWitnessSerializer(serializers.ModelSerializer):
    """A 监督人 of a task's draw (staff): the commitment, never a secret before its reveal."""

    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = DrawWitness
        fields = ["id", "task", "position", "name", "capacity", "kind", "kind_label", "source", "commitment",
                  "committed_at", "value", "revealed_at"]


class InspectionDrawSerializer(serializers.ModelSerializer):
    """Staff view of a draw: never the server's seed before the reveal (it is not stored)."""

    unit = InspectionUnitRef()
    status_label = serializers.CharField(source="get_status_display")
    strata = DrawStratumSerializer(many=True)
    witnesses = DrawWitnessSerializer(source="task.witnesses", many=True, read_only=True)

    class Meta:
        model = Draw
        fields = ["id", "task", "unit", "algorithm_version", "status", "status_label", "commitment",
                  "server_commitment", "committed_at", "objects_hash", "inspectors_hash", "recusals_hash",
                  "params_hash", "object_count", "inspector_count", "strata", "witnesses", "witness_name",
                  "witness_input", "seed", "final_seed", "drawn_at", "live_pool_changed", "live_pool_note",
                  "receipt_sha256", "published_at"]


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
    unit = params.IdField(required=False, help_text="导入单位ID（默认本人所在单位）", label_zh="导入单位ID")


class DrawRevealInput(serializers.Serializer):
    witness_input = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                          error_messages={"max_length": "监督人输入不能超过200个字"},
                                          help_text="仅 fazhi-draw/1 的抽取：监督人输入的公开随机数（此后的抽取由各监督人先揭示）")
    witness_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class WitnessAddInput(serializers.Serializer):
    name = serializers.CharField(max_length=100, error_messages={**REQUIRED, "max_length": "姓名不能超过100个字"})
    capacity = serializers.CharField(max_length=200, error_messages={**REQUIRED, "max_length": "不能超过200个字"},
                                     help_text="身份及单位，如：区纪委监委派驻纪检监察组、公众代表")
    kind = serializers.ChoiceField(choices=["secret", "public"], error_messages={
        **REQUIRED, "invalid_choice": "监督方式应为 secret（秘密值）或 public（公开随机数）"})
    source = serializers.CharField(max_length=200, required=False, allow_blank=True, default="",
                                   help_text="公开随机数方式：冻结后将采用的公开数据")


class WitnessCommitInput(serializers.Serializer):
    secret = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", trim_whitespace=False,
                                   help_text="秘密值（只保存其 SHA-256）；或填写 commitment")
    commitment = serializers.CharField(max_length=64, required=False, allow_blank=True, default="",
                                       help_text="秘密值的 SHA-256（64位十六进制，自行计算）")


class WitnessRevealInput(serializers.Serializer):
    value = serializers.CharField(max_length=200, trim_whitespace=False, error_messages={
        **REQUIRED, "max_length": "不能超过200个字"}, help_text="秘密值（须与承诺值相符）或公开随机数")


class InspectionResultInput(serializers.Serializer):
    result = serializers.ChoiceField(choices=Result.choices, error_messages={
        **REQUIRED, "invalid_choice": "不是有效的检查结果"})
    inspected_on = params.DateField(error_messages=DATE)
    findings = serializers.CharField(required=False, allow_blank=True, default="")
    officers = params.IdListField(label_zh="检查人员ID", required=False,
                                     help_text="检查人员ID（默认抽中的检查组）")
    late_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500,
                                        help_text="补录理由：检查日期早于今天15天以上或晚于任务计划结束日期时必填")


class ResultPublishInput(serializers.Serializer):
    content = serializers.CharField(required=False, allow_blank=True, help_text="公示内容（默认检查情况）")


class ResultBatchPublishInput(serializers.Serializer):
    ids = params.IdListField(label_zh="检查记录ID", allow_empty=False, help_text="要公示的检查记录ID（全部公示或全部不公示）")


class InspectionStatisticsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    coverage_by_department = serializers.ListField(child=serializers.DictField())
    coverage_by_industry = serializers.ListField(child=serializers.DictField())
    coverage_by_region = serializers.ListField(child=serializers.DictField())
    random_share = serializers.ListField(child=serializers.DictField())
    results_by_type = serializers.ListField(child=serializers.DictField())
