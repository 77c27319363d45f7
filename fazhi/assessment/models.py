"""考核评价: weights and targets per indicator and year, and year-end settlements.

Indicator *values* are never stored as input: they are computed from the
modules' records (``fazhi.assessment.selectors``). What is stored here:

* ``IndicatorWeight`` — the weight and target of one indicator for one year,
  set by the 考核员 (audited). An indicator without a row for the year uses
  weight 1 and its module's default target.
* ``Settlement`` + ``SettledValue`` — 结算: a year's computed values frozen at
  a moment, with a SHA-256 of their canonical form, so that past years' trends
  and rankings stay stable when records are corrected later. A later
  settlement of the same year supersedes the earlier one (both kept).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from fazhi.core.models import TimeStamped


class IndicatorWeight(TimeStamped):
    year = models.PositiveIntegerField("年度")
    code = models.CharField("指标代码", max_length=40)
    weight = models.DecimalField("权重", max_digits=6, decimal_places=2, default=Decimal("1"))
    target = models.DecimalField("目标值", max_digits=5, decimal_places=4, help_text="0～1，如 0.95 = 95%")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设置人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "指标权重与目标"
        verbose_name_plural = verbose_name
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="assess_weight_year_code"),
            models.CheckConstraint(condition=Q(weight__gte=0) & Q(weight__lte=100), name="assess_weight_range"),
            models.CheckConstraint(condition=Q(target__gte=0) & Q(target__lte=1), name="assess_target_range"),
        ]

    def __str__(self):
        return f"{self.year} {self.code} 权重{self.weight} 目标{self.target}"


class Settlement(models.Model):
    """结算: one year's indicator values for every unit, frozen."""

    year = models.PositiveIntegerField("年度", db_index=True)
    settled_at = models.DateTimeField("结算时间")
    as_of = models.DateField("统计日")
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="结算人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    settled_by_name = models.CharField("结算人姓名", max_length=50, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    sha256 = models.CharField("数据摘要（SHA-256）", max_length=64)
    value_count = models.PositiveIntegerField("数值条数", default=0)

    class Meta:
        verbose_name = "年度结算"
        verbose_name_plural = verbose_name
        ordering = ["-year", "-settled_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="assess_settlement_sha256"),
        ]

    def __str__(self):
        return f"{self.year}年度结算（{self.settled_at:%Y-%m-%d %H:%M}）"


class SettledValue(models.Model):
    settlement = models.ForeignKey(Settlement, verbose_name="结算", on_delete=models.PROTECT, related_name="values")
    unit = models.ForeignKey("org.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    code = models.CharField("指标代码", max_length=40)
    name = models.CharField("指标名称", max_length=100)
    module = models.CharField("所属模块", max_length=40)
    numerator = models.PositiveIntegerField("分子")
    denominator = models.PositiveIntegerField("分母")
    target = models.DecimalField("目标值", max_digits=5, decimal_places=4)
    weight = models.DecimalField("权重", max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = "结算数值"
        verbose_name_plural = verbose_name
        ordering = ["settlement", "unit__path", "code"]
        constraints = [
            models.UniqueConstraint(fields=["settlement", "unit", "code"], name="assess_settled_unique"),
            models.CheckConstraint(condition=Q(numerator__lte=models.F("denominator")), name="assess_settled_ratio"),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.code} {self.numerator}/{self.denominator}"
