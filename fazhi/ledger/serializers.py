from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from fazhi.core.rest import params
from fazhi.ledger import status as st
from fazhi.ledger.models import Plan, ProgressReport, SupervisionAction, SupervisionKind


class PlanSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Plan
        fields = ["id", "title", "unit_id", "unit", "year_start", "year_end", "status", "status_label",
                  "source_name", "source_sha256"]


class MeasureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    plan_id = serializers.IntegerField()
    number = serializers.IntegerField()
    title = serializers.CharField()
    area_id = serializers.IntegerField()
    area = serializers.CharField(source="area.title")
    lead_unit_id = serializers.IntegerField(allow_null=True)
    lead_unit = serializers.CharField(source="lead_unit.name", allow_null=True, default=None)
    partner_units = serializers.SerializerMethodField()
    deadline = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    status = serializers.CharField(source="state")
    status_label = serializers.SerializerMethodField()
    progress = serializers.IntegerField()
    completed_on = serializers.DateField(allow_null=True)

    def get_partner_units(self, m) -> list[str]:
        return [a.unit.name for a in getattr(m, "partner_rows", [])]

    def get_status_label(self, m) -> str:
        return st.label(m.state)


@extend_schema_serializer(component_name="ProgressReport")  # "Report" alone is ambiguous in the API schema
class ReportSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")

    class Meta:
        model = ProgressReport
        fields = ["id", "measure_id", "task_id", "unit_id", "unit", "text", "percent", "report_date", "status"]


class ReportInput(serializers.Serializer):
    unit = params.IdField(help_text="报送单位ID", label_zh="报送单位ID")
    task = params.IdField(required=False, allow_null=True, default=None, label_zh="分解任务ID")
    text = serializers.CharField(max_length=20000)
    percent = serializers.IntegerField(min_value=0, max_value=100)
    report_date = params.DateField()
    late_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class SupervisionSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = SupervisionAction
        fields = ["id", "measure_id", "unit_id", "unit", "kind", "kind_label", "issued_on", "deadline", "reason",
                  "status", "status_label", "response", "responded_on", "closed_on"]


class SupervisionInput(serializers.Serializer):
    measure = params.IdField(label_zh="措施ID")
    unit = params.IdField(label_zh="单位ID")
    kind = serializers.ChoiceField(choices=SupervisionKind.choices)
    reason = serializers.CharField(max_length=5000)
    issued_on = params.DateField()
    deadline = params.DateField(required=False, allow_null=True, default=None)
    late_reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
