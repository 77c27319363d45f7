"""任务清单与推进台账: a plan's measures, who carries them out, by when,
how far they have got, and the supervision of laggards.

Status (未开始 / 推进中 / 已完成 / 逾期) is never typed in: it follows from the
deadline, the date asked about and the progress reports (``status.py``). The
services keep a few denormalised fields on each measure and task (latest
percentage, completion date, last report date) so lists can filter and count
by status in the database.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from fazhi.core.models import TimeStamped

USER = settings.AUTH_USER_MODEL


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "待下达"
    ACTIVE = "active", "已下达"


class Plan(TimeStamped):
    """An implementation plan (实施方案) of a government, imported from its text."""

    unit = models.ForeignKey("org.Unit", verbose_name="制定单位", on_delete=models.PROTECT,
                             related_name="ledger_plans")
    title = models.CharField("方案名称", max_length=200)
    year_start = models.PositiveSmallIntegerField("起始年度")
    year_end = models.PositiveSmallIntegerField("截止年度")
    source_name = models.CharField("来源文件名", max_length=255, blank=True)
    source_sha256 = models.CharField("来源文件SHA-256", max_length=64)
    source_text = models.TextField("来源文本（所选篇）", blank=True)
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    activated_at = models.DateTimeField("下达时间", null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name="导入人", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = "实施方案"
        verbose_name_plural = verbose_name
        ordering = ["-year_start", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "source_sha256"], name="ledger_plan_source_once"),
            models.CheckConstraint(condition=Q(year_end__gte=models.F("year_start")), name="ledger_plan_years"),
            models.CheckConstraint(condition=~Q(title=""), name="ledger_plan_title_not_empty"),
        ]

    def __str__(self):
        return self.title


class Area(models.Model):
    """A task area of a plan: "（一）依法全面履行政府职能" or a part holding
    measures directly ("三、组织保障和落实机制")."""

    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="areas")
    seq = models.PositiveSmallIntegerField("顺序")
    code = models.CharField("编号", max_length=10, blank=True)
    title = models.CharField("领域", max_length=200)
    part = models.CharField("所属部分", max_length=200, blank=True)
    goal = models.TextField("目标", blank=True)

    class Meta:
        verbose_name = "任务领域"
        verbose_name_plural = verbose_name
        ordering = ["plan", "seq"]
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="ledger_area_seq_once")]

    def __str__(self):
        return f"{self.code}{self.title}"


class Tracked(TimeStamped):
    """What a measure and a task share: a deadline and the progress so far.

    ``deadline`` is the date set; ``due_on`` the date completion is judged
    against — the deadline, or the first working day after it when it falls
    on a day off (``status.effective_due``, through fazhi.workdays)."""

    deadline = models.DateField("完成时限", null=True, blank=True)
    due_on = models.DateField("考核截止日", null=True, blank=True)
    due_provisional = models.BooleanField("截止日暂定", default=False)
    progress = models.PositiveSmallIntegerField("完成进度（%）", default=0)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    last_reported_on = models.DateField("最近报送日期", null=True, blank=True)
    report_count = models.PositiveIntegerField("报送次数", default=0)

    class Meta:
        abstract = True


class Measure(Tracked):
    plan = models.ForeignKey(Plan, verbose_name="方案", on_delete=models.CASCADE, related_name="measures")
    area = models.ForeignKey(Area, verbose_name="领域", on_delete=models.PROTECT, related_name="measures")
    number = models.PositiveSmallIntegerField("序号")
    label = models.CharField("原编号", max_length=10, blank=True)
    title = models.CharField("措施", max_length=300)
    text = models.TextField("措施内容")
    deadline_text = models.CharField("方案所列时限", max_length=100, blank=True)
    parsed_units = models.CharField("方案所列单位", max_length=500, blank=True)
    lead_unit = models.ForeignKey("org.Unit", verbose_name="牵头单位", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "措施"
        verbose_name_plural = verbose_name
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="ledger_measure_number_once"),
            models.CheckConstraint(condition=Q(progress__gte=0) & Q(progress__lte=100),
                                   name="ledger_measure_progress_range"),
            models.CheckConstraint(condition=Q(completed_on__isnull=True) | Q(progress=100),
                                   name="ledger_measure_completed_at_100"),
        ]
        indexes = [models.Index(fields=["plan", "due_on"]), models.Index(fields=["lead_unit", "due_on"])]

    def __str__(self):
        return f"{self.number}. {self.title}"


class AssignmentRole(models.TextChoices):
    LEAD = "lead", "牵头单位"
    PARTNER = "partner", "配合单位"


class MeasureAssignment(TimeStamped):
    """A unit carrying out a measure: exactly one lead (a measure cannot be
    issued without one; at most one is a DB constraint), any number of
    partners. ``Measure.lead_unit`` mirrors the lead for cheap lists."""

    measure = models.ForeignKey(Measure, verbose_name="措施", on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT,
                             related_name="ledger_assignments")
    role = models.CharField("角色", max_length=10, choices=AssignmentRole.choices)

    class Meta:
        verbose_name = "责任分工"
        verbose_name_plural = verbose_name
        ordering = ["measure", "-role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "unit"], name="ledger_assignment_unit_once"),
            models.UniqueConstraint(fields=["measure"], condition=Q(role="lead"), name="ledger_assignment_one_lead"),
        ]

    def __str__(self):
        return f"{self.measure} · {self.unit} · {self.get_role_display()}"


class Task(Tracked):
    """A part of a measure given to one unit with its own deadline."""

    measure = models.ForeignKey(Measure, verbose_name="措施", on_delete=models.CASCADE, related_name="tasks")
    seq = models.PositiveSmallIntegerField("序号")
    unit = models.ForeignKey("org.Unit", verbose_name="责任单位", on_delete=models.PROTECT, related_name="ledger_tasks")
    title = models.CharField("任务", max_length=300)

    class Meta:
        verbose_name = "分解任务"
        verbose_name_plural = verbose_name
        ordering = ["measure", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "seq"], name="ledger_task_seq_once"),
            models.CheckConstraint(condition=Q(progress__gte=0) & Q(progress__lte=100),
                                   name="ledger_task_progress_range"),
            models.CheckConstraint(condition=~Q(title=""), name="ledger_task_title_not_empty"),
            models.CheckConstraint(condition=Q(deadline__isnull=False), name="ledger_task_has_deadline"),
        ]

    def __str__(self):
        return f"{self.measure.number}-{self.seq} {self.title}"


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "待确认"
    CONFIRMED = "confirmed", "已审核"
    RETURNED = "returned", "已退回"


# The reports that count toward a measure's or task's progress.
COUNTED_REPORTS = (ReportStatus.CONFIRMED,)


class ProgressReport(TimeStamped):
    """A unit's report on a measure (or one of its tasks): what was done, how
    far (0–100 %, a DB check), on which date. Only a report the reporting
    unit's head confirmed counts toward progress and completion (and so
    toward the assessment and the annual report); until then it is 待确认,
    and a returned one never counts."""

    measure = models.ForeignKey(Measure, verbose_name="措施", on_delete=models.CASCADE, related_name="reports")
    task = models.ForeignKey(Task, verbose_name="分解任务", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="reports")
    unit = models.ForeignKey("org.Unit", verbose_name="报送单位", on_delete=models.PROTECT,
                             related_name="ledger_reports")
    text = models.TextField("推进情况")
    percent = models.PositiveSmallIntegerField("完成进度（%）")
    report_date = models.DateField("报送日期")
    status = models.CharField("审核状态", max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.SUBMITTED)
    reviewed_by = models.ForeignKey(USER, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    review_note = models.CharField("审核意见", max_length=500, blank=True)
    created_by = models.ForeignKey(USER, verbose_name="报送人", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = "推进情况报送"
        verbose_name_plural = verbose_name
        ordering = ["-report_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=0) & Q(percent__lte=100), name="ledger_report_percent"),
            models.CheckConstraint(condition=~Q(text=""), name="ledger_report_text_not_empty"),
        ]
        indexes = [models.Index(fields=["measure", "report_date"]), models.Index(fields=["unit", "report_date"])]

    def __str__(self):
        return f"{self.report_date} {self.unit} {self.percent}%"


def attachment_upload_to(instance, filename):
    # The stored name never contains the user's file name.
    return f"ledger/{instance.report_id}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(ProgressReport, verbose_name="报送", on_delete=models.CASCADE,
                               related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_upload_to, max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    extension = models.CharField("扩展名", max_length=10)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "佐证材料"
        verbose_name_plural = verbose_name
        ordering = ["report", "pk"]

    def __str__(self):
        return self.original_name


class SupervisionKind(models.TextChoices):
    URGE = "urge", "督办"
    TALK = "talk", "约谈"
    RECTIFY = "rectify", "责令整改"
    CRITICISE = "criticise", "通报批评"


class SupervisionStatus(models.TextChoices):
    OPEN = "open", "待回复"
    RESPONDED = "responded", "已回复"
    CLOSED = "closed", "已办结"


class SupervisionAction(TimeStamped):
    """督办 / 约谈 / 责令整改 / 通报批评 against a unit over a measure
    (document 5, measure 41), with its own deadline for the unit's answer."""

    measure = models.ForeignKey(Measure, verbose_name="措施", on_delete=models.PROTECT, related_name="supervisions")
    unit = models.ForeignKey("org.Unit", verbose_name="被督办单位", on_delete=models.PROTECT,
                             related_name="ledger_supervisions")
    kind = models.CharField("方式", max_length=10, choices=SupervisionKind.choices)
    issued_on = models.DateField("作出日期")
    reason = models.TextField("事由及要求")
    deadline = models.DateField("回复/整改期限")
    status = models.CharField("状态", max_length=10, choices=SupervisionStatus.choices,
                              default=SupervisionStatus.OPEN)
    response = models.TextField("回复/整改情况", blank=True)
    responded_on = models.DateField("回复日期", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    closing_note = models.CharField("办结意见", max_length=500, blank=True)
    issued_by = models.ForeignKey(USER, verbose_name="作出人", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")

    class Meta:
        verbose_name = "督办问责"
        verbose_name_plural = verbose_name
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(deadline__gte=models.F("issued_on")), name="ledger_supervision_deadline"),
            models.CheckConstraint(condition=~Q(reason=""), name="ledger_supervision_reason"),
            models.CheckConstraint(condition=~Q(status="closed") | Q(closed_on__isnull=False),
                                   name="ledger_supervision_closed_date"),
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.unit}（{self.measure.number}）"


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", "即将到期"
    OVERDUE = "overdue", "已逾期"


class Reminder(models.Model):
    """One reminder sent (logged) for a measure or task: at most one per
    target, kind and due date (``key`` is unique), so the job is idempotent."""

    key = models.CharField(max_length=80, unique=True)
    measure = models.ForeignKey(Measure, verbose_name="措施", on_delete=models.CASCADE, related_name="reminders")
    task = models.ForeignKey(Task, verbose_name="分解任务", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="reminders")
    unit = models.ForeignKey("org.Unit", verbose_name="提醒单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("类型", max_length=10, choices=ReminderKind.choices)
    due_on = models.DateField("截止日")
    sent_on = models.DateField("提醒日期")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "提醒记录"
        verbose_name_plural = verbose_name
        ordering = ["-sent_on", "-pk"]

    def __str__(self):
        return f"{self.sent_on} {self.get_kind_display()} {self.measure}"
