from rest_framework import serializers

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


class ReportSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")

    class Meta:
        model = ProgressReport
        fields = ["id", "measure_id", "task_id", "unit_id", "unit", "text", "percent", "report_date", "status"]


class ReportInput(serializers.Serializer):
    unit = serializers.IntegerField(help_text="报送单位ID")
    task = serializers.IntegerField(required=False, allow_null=True, default=None)
    text = serializers.CharField()
    percent = serializers.IntegerField(min_value=0, max_value=100)
    report_date = serializers.DateField()


class SupervisionSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = SupervisionAction
        fields = ["id", "measure_id", "unit_id", "unit", "kind", "kind_label", "issued_on", "deadline", "reason",
                  "status", "status_label", "response", "responded_on", "closed_on"]


class SupervisionInput(serializers.Serializer):
    measure = serializers.IntegerField()
    unit = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=SupervisionKind.choices)
    reason = serializers.CharField()
    issued_on = serializers.DateField()
    deadline = serializers.DateField(required=False, allow_null=True, default=None)
