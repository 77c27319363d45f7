from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from fazhi.training.models import Attendance, TrainingSession


class SessionSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    unit_id = serializers.IntegerField()
    kind_label = serializers.CharField(source="get_kind_display")
    status_label = serializers.CharField(source="get_status_display")
    attendee_count = serializers.IntegerField()

    class Meta:
        model = TrainingSession
        fields = ["id", "topic", "date", "hours", "kind", "kind_label", "pre_implementation", "law_name",
                  "law_effective_on", "unit_id", "unit", "location", "lecturer", "status", "status_label",
                  "attendee_count"]


class AttendanceSerializer(serializers.ModelSerializer):
    person_id = serializers.IntegerField()
    name = serializers.CharField(source="person.name")
    unit = serializers.CharField(source="person.unit.name")

    class Meta:
        model = Attendance
        fields = ["person_id", "name", "unit", "attended", "hours"]


class SessionDetailSerializer(SessionSerializer):
    attendances = AttendanceSerializer(many=True, source="attendance_rows")

    class Meta(SessionSerializer.Meta):
        fields = SessionSerializer.Meta.fields + ["note", "attendances"]


class PersonHoursSerializer(serializers.Serializer):
    person_id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    unit_id = serializers.IntegerField()
    unit = serializers.CharField(source="unit.name")
    is_officer = serializers.BooleanField()
    hours = serializers.DecimalField(max_digits=7, decimal_places=1)
    required = serializers.DecimalField(max_digits=7, decimal_places=1)
    missing = serializers.DecimalField(max_digits=7, decimal_places=1)


class AttendanceRowInput(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    unit = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    attended = serializers.BooleanField(required=False, default=True)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, required=False, allow_null=True,
                                     default=None)


class AttendanceInput(serializers.Serializer):
    rows = AttendanceRowInput(many=True, allow_empty=False, max_length=2000,
                              error_messages={"max_length": "一次最多登记 2000 行"})


@extend_schema_serializer(component_name="AttendanceReport")  # "Report" alone is ambiguous in the API schema
class ReportSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
