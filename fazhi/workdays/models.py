"""The legal working-day calendar: one row per day that differs from the
plain Saturday/Sunday week (CAL-01), and one row per year saying whether
that year's State Council arrangement has been loaded (CAL-05, CAL-06).

A day that has no ``Holiday`` row is a working day from Monday to Friday
and a rest day on Saturday and Sunday.
"""

from django.conf import settings
from django.db import models

from fazhi.core.models import TimeStamped


class DayKind(models.TextChoices):
    OFF = "off", "放假"
    WORK = "work", "上班"  # 调休上班日: a Saturday or Sunday that is a working day


FESTIVALS = ("元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")


class CalendarYear(TimeStamped):
    """One arrangement year. ``confirmed`` means its holiday table comes from
    the published notice; deadlines that run into an unconfirmed year are
    provisional (rules.md §0, design note 2)."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    confirmed = models.BooleanField("已确认", default=False)
    source = models.CharField("来源", max_length=200, blank=True)
    notice_title = models.CharField("通知标题", max_length=200, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = "年度节假日安排"
        verbose_name_plural = verbose_name
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(year__gte=1949, year__lte=2999), name="workdays_year_range"),
            models.CheckConstraint(
                condition=models.Q(confirmed=False) | models.Q(confirmed_at__isnull=False),
                name="workdays_year_confirmed_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.year}年节假日安排（{'已确认' if self.confirmed else '未确认'}）"


class Holiday(TimeStamped):
    """A day off (放假) or a make-up working day (调休上班) of one arrangement.

    ``year`` is the arrangement year, which can differ from ``date.year``:
    a notice for 2012 may move 2011-12-31 to a working day.
    """

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=8, choices=DayKind.choices)
    festival = models.CharField("节日", max_length=60)
    year = models.PositiveSmallIntegerField("所属年度", db_index=True)
    source = models.CharField("来源", max_length=200, blank=True)

    class Meta:
        verbose_name = "节假日"
        verbose_name_plural = verbose_name
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=DayKind.values), name="workdays_holiday_kind_valid"),
            models.CheckConstraint(condition=~models.Q(festival=""), name="workdays_holiday_festival_not_empty"),
            models.CheckConstraint(condition=models.Q(year__gte=1949, year__lte=2999), name="workdays_holiday_year_range"),
        ]

    def __str__(self):
        return f"{self.date.isoformat()} {self.get_kind_display()}（{self.festival}）"


class CalendarChange(TimeStamped):
    """One change of the calendar (a notice imported, the built-in calendar
    re-synced, a day corrected) and what it did to the stored deadlines of
    every module (``fazhi.workdays.deadlines``)."""

    cause = models.CharField("调整事由", max_length=200)  # e.g. "2027年放假安排调整"
    years = models.JSONField("涉及年度", default=list)
    changed_days = models.JSONField("工作日属性变化的日期", default=list)
    today = models.DateField("重新计算时的日期", null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    checked = models.PositiveIntegerField("核对期限数", default=0)
    moved = models.PositiveIntegerField("重新计算数", default=0)
    confirmed = models.PositiveIntegerField("由暂定转为确定数", default=0)
    flagged = models.PositiveIntegerField("待人工确认数", default=0)
    skipped = models.PositiveIntegerField("非按规则计算未改动数", default=0)

    class Meta:
        verbose_name = "日历调整"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.cause}（{self.created_at:%Y-%m-%d}）" if self.created_at else self.cause


class DeadlineChange(TimeStamped):
    """A stored deadline of a module that a calendar change moved, or would
    have moved although it had already passed (flagged for a person).

    ``object_type``/``object_id`` name the record (``app_label.model``, pk),
    ``kind`` the registered deadline kind (``deadlines.DeadlineKind.key``).
    ``unit`` and ``permission`` say who is responsible: holders of
    ``permission`` over ``unit`` see it on their dashboard.
    """

    class State(models.TextChoices):
        MOVED = "moved", "已重新计算"
        ACKNOWLEDGED = "acknowledged", "已知悉"
        FLAGGED = "flagged", "待人工确认"
        KEPT = "kept", "确认保留原期限"
        APPLIED = "applied", "确认按新日历调整"
        SUPERSEDED = "superseded", "已被后续调整取代"

    OPEN_STATES = (State.MOVED, State.FLAGGED)

    change = models.ForeignKey(CalendarChange, verbose_name="日历调整", on_delete=models.PROTECT,
                               related_name="deadlines")
    kind = models.CharField("期限类型", max_length=80)
    kind_label = models.CharField("期限名称", max_length=100)
    object_type = models.CharField("记录类型", max_length=100)
    object_id = models.PositiveBigIntegerField("记录编号")
    object_repr = models.CharField("记录", max_length=200)
    url = models.CharField("链接", max_length=300, blank=True)
    unit = models.ForeignKey("org.Unit", verbose_name="责任单位", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    permission = models.CharField("查看权限", max_length=80)
    decide_permission = models.CharField("处理权限", max_length=80)
    rule = models.CharField("期限规则", max_length=100, blank=True)
    start = models.DateField("起算日")
    old_due = models.DateField("原期限")
    new_due = models.DateField("按新日历计算的期限")
    old_provisional = models.BooleanField("原期限为暂定", default=False)
    new_provisional = models.BooleanField("新期限为暂定", default=False)
    state = models.CharField("状态", max_length=20, choices=State.choices, db_index=True)
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    resolved_by_name = models.CharField("处理人姓名", max_length=100, blank=True)
    note = models.CharField("处理说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "期限重新计算"
        verbose_name_plural = verbose_name
        ordering = ["-change", "new_due", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=["moved", "acknowledged", "flagged", "kept", "applied", "superseded"]),
                                   name="workdays_deadline_change_state_valid"),
            # One open flag per stored deadline: a later change supersedes it.
            models.UniqueConstraint(fields=["kind", "object_id"], condition=models.Q(state="flagged"),
                                    name="workdays_one_open_flag"),
        ]
        indexes = [models.Index(fields=["state", "unit"], name="workdays_dc_state_unit")]

    def __str__(self):
        return f"{self.object_repr} {self.kind_label}：{self.old_due} → {self.new_due}（{self.get_state_display()}）"

    @property
    def moved_later(self) -> bool:
        return self.new_due > self.old_due
