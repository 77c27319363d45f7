"""Read-only admin views: every change goes through the services (audited)."""

from django.contrib import admin

from fazhi.core.admin import ReadOnlyAdmin
from fazhi.training.models import Attendance, Exam, ExamScore, TrainingSession


@admin.register(TrainingSession)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ("date", "topic", "kind", "hours", "unit", "status")
    list_filter = ("kind", "status")


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ("session", "person", "attended", "hours")


@admin.register(Exam)
class ExamAdmin(ReadOnlyAdmin):
    list_display = ("date", "title", "unit", "pass_mark", "full_mark")


@admin.register(ExamScore)
class ExamScoreAdmin(ReadOnlyAdmin):
    list_display = ("exam", "person", "score", "passed")
