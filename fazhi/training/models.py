"""Training sessions, attendance, exams and scores (学法用法, rules.md §11).

Hours are decimals (one place: 0.5 学时 is common). A person's hours in a
year are the sum of the credited hours of sessions held that year (LAW-05),
so nothing is stored per person and year: the selectors aggregate in the DB.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from fazhi.core.models import TimeStamped


class Kind(models.TextChoices):
    LAW = "law", "法律知识"
    NEW_LAW = "new_law", "新法"
    BUSINESS = "business", "业务"


class Status(models.TextChoices):
    PLANNED = "planned", "计划"
    HELD = "held", "已举办"


class TrainingSession(TimeStamped):
    """One training or study session, organised by a unit.

    A 新法施行前培训 (``pre_implementation``) names the law and its effective
    date, and must be dated before it (LAW-02; also a DB check)."""

    unit = models.ForeignKey("org.Unit", verbose_name="组织单位", on_delete=models.PROTECT,
                             related_name="training_sessions")
    topic = models.CharField("培训主题", max_length=200)
    date = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)
    kind = models.CharField("培训类别", max_length=20, choices=Kind.choices)
    pre_implementation = models.BooleanField("新法施行前培训", default=False)
    law_name = models.CharField("法律法规名称", max_length=200, blank=True)
    law_effective_on = models.DateField("法律法规施行日期", null=True, blank=True)
    location = models.CharField("地点", max_length=200, blank=True)
    lecturer = models.CharField("主讲人", max_length=100, blank=True)
    note = models.TextField("备注", blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.PLANNED)
    held_at = models.DateTimeField("确认举办时间", null=True, blank=True)

    class Meta:
        verbose_name = "培训"
        verbose_name_plural = verbose_name
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["unit", "date"]), models.Index(fields=["date", "kind"])]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="training_session_hours_positive"),
            models.CheckConstraint(condition=~Q(topic=""), name="training_session_topic_not_empty"),
            models.CheckConstraint(
                condition=Q(pre_implementation=False)
                | (~Q(law_name="") & Q(law_effective_on__isnull=False) & Q(date__lt=F("law_effective_on"))),
                name="training_session_pre_implementation_before_effective",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.topic}"


class Attendance(TimeStamped):
    """A person's attendance of a session and the hours credited.

    ``session_hours`` is a copy of the session's hours kept by the services so
    that "credited ≤ session hours" is a database check (LAW-05)."""

    session = models.ForeignKey(TrainingSession, verbose_name="培训", on_delete=models.CASCADE,
                                related_name="attendances")
    person = models.ForeignKey("org.Person", verbose_name="人员", on_delete=models.PROTECT,
                               related_name="training_attendances")
    attended = models.BooleanField("出勤", default=True)
    hours = models.DecimalField("认定学时", max_digits=5, decimal_places=1)
    session_hours = models.DecimalField("培训学时", max_digits=5, decimal_places=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "培训考勤"
        verbose_name_plural = verbose_name
        ordering = ["person__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="training_attendance_once"),
            models.CheckConstraint(condition=Q(hours__gte=0) & Q(hours__lte=F("session_hours")),
                                   name="training_attendance_hours_within_session"),
            models.CheckConstraint(condition=Q(attended=True) | Q(hours=0),
                                   name="training_attendance_absent_no_hours"),
        ]

    def __str__(self):
        return f"{self.person} · {self.session}"


class Exam(TimeStamped):
    """A 学法考试, after a session or standalone (e.g. the annual 年度学法考试)."""

    unit = models.ForeignKey("org.Unit", verbose_name="组织单位", on_delete=models.PROTECT,
                             related_name="training_exams")
    session = models.ForeignKey(TrainingSession, verbose_name="所属培训", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="exams")
    title = models.CharField("考试名称", max_length=200)
    date = models.DateField("考试日期")
    full_mark = models.DecimalField("满分", max_digits=5, decimal_places=1, default=Decimal("100"))
    pass_mark = models.DecimalField("及格分", max_digits=5, decimal_places=1, default=Decimal("60"))

    class Meta:
        verbose_name = "学法考试"
        verbose_name_plural = verbose_name
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(full_mark__gt=0) & Q(pass_mark__gt=0)
                                   & Q(pass_mark__lte=F("full_mark")), name="training_exam_marks_valid"),
            models.CheckConstraint(condition=~Q(title=""), name="training_exam_title_not_empty"),
        ]

    def __str__(self):
        return f"{self.date} {self.title}"


class ExamScore(TimeStamped):
    exam = models.ForeignKey(Exam, verbose_name="考试", on_delete=models.CASCADE, related_name="scores")
    person = models.ForeignKey("org.Person", verbose_name="人员", on_delete=models.PROTECT,
                               related_name="training_scores")
    score = models.DecimalField("成绩", max_digits=5, decimal_places=1)
    passed = models.BooleanField("合格")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "考试成绩"
        verbose_name_plural = verbose_name
        ordering = ["person__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["exam", "person"], name="training_score_once"),
            models.CheckConstraint(condition=Q(score__gte=0), name="training_score_not_negative"),
        ]

    def __str__(self):
        return f"{self.person} · {self.exam}: {self.score}"
