"""Read-only admin views: every change goes through the services (audited)."""

from django.contrib import admin

from fazhi.training.models import Attendance, Exam, ExamScore, TrainingSession


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TrainingSession)
class SessionAdmin(ReadOnly):
    list_display = ("date", "topic", "kind", "hours", "unit", "status")
    list_filter = ("kind", "status")


@admin.register(Attendance)
class AttendanceAdmin(ReadOnly):
    list_display = ("session", "person", "attended", "hours")


@admin.register(Exam)
class ExamAdmin(ReadOnly):
    list_display = ("date", "title", "unit", "pass_mark", "full_mark")


@admin.register(ExamScore)
class ExamScoreAdmin(ReadOnly):
    list_display = ("exam", "person", "score", "passed")
