from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from fazhi.annual_report.models import Figure, Recipient, Report, Section
from fazhi.core.rest import params


@extend_schema_serializer(component_name="AnnualReport")  # "Report" alone is ambiguous in the API schema
class ReportSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Report
        fields = ["id", "unit", "unit_name", "year", "title", "status", "status_label", "submit_due", "publish_due",
                  "submitted_on", "published_on", "reviewed_on", "reviewed_by_name", "generated_at",
                  "generation_count", "data_as_of"]


class SectionSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True)
    resolved_text = serializers.SerializerMethodField()

    class Meta:
        model = Section
        fields = ["key", "seq", "level", "heading", "generated_text", "edited_text", "text", "resolved_text",
                  "generated_changed", "needs_staff", "edited_by_name", "edited_at"]

    def get_resolved_text(self, obj) -> str:
        from fazhi.annual_report.rendering import resolve

        return resolve(obj.text, self.context.get("figures", {}))


class FigureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Figure
        fields = ["key", "section_key", "label", "value", "number", "source", "source_url", "indicator_code", "items"]


class RecipientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recipient
        fields = ["kind", "kind_label", "name", "sent_on", "note"]


@extend_schema_serializer(component_name="AnnualReportDetail")
class ReportDetailSerializer(ReportSerializer):
    sections = serializers.SerializerMethodField()
    figures = FigureSerializer(many=True, read_only=True)
    recipients = RecipientSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = ReportSerializer.Meta.fields + ["sections", "figures", "recipients", "actions"]

    def get_sections(self, obj) -> list[dict]:
        figures = {f.key: f for f in obj.figures.all()}
        return SectionSerializer(obj.sections.all(), many=True, context={"figures": figures}).data

    def get_actions(self, obj) -> list[dict]:
        return [{"action": a.action, "label": a.label, "allowed": a.allowed, "refusal": a.refusal, "rule": a.rule}
                for a in self.context.get("actions", [])]


class GenerateInput(serializers.Serializer):
    unit = params.IdField(label_zh="单位ID")
    year = params.YearField()


class SectionInput(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)


class RecipientInput(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField(max_length=100)
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ActionInput(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)
    submitted_on = params.DateField(required=False)
    published_on = params.DateField(required=False)
    late_reason = serializers.CharField(required=False, allow_blank=True, max_length=500,
                                        help_text="报送/公开日期早于今天15天以上时必填（SYS-03）")
    recipients = RecipientInput(many=True, required=False, max_length=100)
