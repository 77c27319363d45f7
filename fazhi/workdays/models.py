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
