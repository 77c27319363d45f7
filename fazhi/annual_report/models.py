"""The annual 法治政府建设情况报告 (rules.md §12, RPT-01…05).

A ``Report`` is one unit's report on one year. Its text is a list of
``Section`` rows in the order of RPT-02 (part 一 in the eight areas of the
纲要, then parts 二–五). Every figure the draft states is a ``Figure`` row
(key, label, value, where it comes from, the link to the records behind it).

How staff edits and refreshed figures are kept apart:

* ``Section.generated_text`` is what the drafting service wrote; it is
  replaced on every regeneration. ``Section.edited_text`` is the staff's
  version; regeneration never touches it. The text shown, printed and
  exported is ``edited_text`` when there is one, else ``generated_text``.
* Both texts refer to figures by key, ``{{nd_published}}``, never by value.
  The value is looked up at display time, so a regenerated draft shows
  refreshed figures in the staff's own wording too. A section whose generated
  text changed after the staff edited it is flagged (``generated_changed``)
  so the editor can compare.
* At publication the resolved text (figures filled in) is copied to
  ``Report.public_sections``; the portal reads only that copy.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from fazhi.core.models import TimeStamped


class Status(models.TextChoices):
    DRAFT = "draft", "起草"
    REVIEWED = "reviewed", "已审核"
    SUBMITTED = "submitted", "已报送"
    PUBLISHED = "published", "已公开"


class Report(TimeStamped):
    unit = models.ForeignKey("org.Unit", verbose_name="报告单位", on_delete=models.PROTECT,
                             related_name="annual_reports")
    year = models.PositiveIntegerField("报告年度")
    title = models.CharField("标题", max_length=200)
    status = models.CharField("状态", max_length=12, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    # Deadlines (calendar dates fixed by the instrument; rules.py).
    submit_due = models.DateField("报送期限")
    publish_due = models.DateField("公开期限")
    # Drafting.
    generated_at = models.DateTimeField("生成时间")
    generated_by_name = models.CharField("生成人", max_length=50, blank=True)
    generation_count = models.PositiveIntegerField("生成次数", default=1)
    data_as_of = models.DateField("数据截至")
    # 审核.
    reviewed_on = models.DateField("审核日期", null=True, blank=True)
    reviewed_by_name = models.CharField("审核人", max_length=50, blank=True)
    review_note = models.CharField("审核意见", max_length=500, blank=True)
    # 报送 (RPT-03/04).
    submitted_on = models.DateField("报送日期", null=True, blank=True)
    # 公开 (RPT-01).
    published_on = models.DateField("公开日期", null=True, blank=True)
    public_title = models.CharField("公开标题", max_length=200, blank=True)
    public_sections = models.JSONField("公开文本", default=list, blank=True,
                                       help_text="[{level, heading, text}]，公开时固定")

    class Meta:
        verbose_name = "法治政府建设年度报告"
        verbose_name_plural = verbose_name
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="ar_report_unit_year"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2200), name="ar_report_year_range"),
            models.CheckConstraint(condition=~Q(status="published") | Q(published_on__isnull=False),
                                   name="ar_report_published_has_date"),
            models.CheckConstraint(condition=Q(status__in=["draft", "reviewed"]) | Q(submitted_on__isnull=False),
                                   name="ar_report_submitted_has_date"),
        ]
        indexes = [models.Index(fields=["year", "status"], name="ar_report_year_status")]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class Section(models.Model):
    """One heading of the report and its text (see the module docstring)."""

    report = models.ForeignKey(Report, verbose_name="报告", on_delete=models.CASCADE, related_name="sections")
    key = models.CharField("标识", max_length=20)
    seq = models.PositiveSmallIntegerField("顺序")
    level = models.PositiveSmallIntegerField("标题层级", default=1, help_text="0 导语，1 一、，2 （一）")
    heading = models.CharField("标题", max_length=100, blank=True)
    generated_text = models.TextField("自动生成内容", blank=True)
    edited_text = models.TextField("人工修改内容", blank=True)
    edited_at = models.DateTimeField("修改时间", null=True, blank=True)
    edited_by_name = models.CharField("修改人", max_length=50, blank=True)
    generated_changed = models.BooleanField("修改后自动生成内容已更新", default=False)
    needs_staff = models.BooleanField("需人工补充", default=False)

    class Meta:
        verbose_name = "报告章节"
        verbose_name_plural = verbose_name
        ordering = ["report", "seq"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="ar_section_report_key")]

    def __str__(self):
        return self.heading or self.key

    @property
    def text(self) -> str:
        return self.edited_text if self.edited_text.strip() else self.generated_text

    @property
    def is_edited(self) -> bool:
        return bool(self.edited_text.strip())


class Figure(models.Model):
    """A figure the draft states, with its source (never typed in)."""

    report = models.ForeignKey(Report, verbose_name="报告", on_delete=models.CASCADE, related_name="figures")
    key = models.CharField("标识", max_length=60)
    seq = models.PositiveSmallIntegerField("顺序", default=0)
    section_key = models.CharField("所在章节", max_length=20)
    label = models.CharField("数据项", max_length=100)
    value = models.CharField("显示值", max_length=2000, help_text="空 = 无数据")
    number = models.DecimalField("数值", max_digits=16, decimal_places=2, null=True, blank=True)
    source = models.CharField("来源模块", max_length=50)
    source_url = models.CharField("来源/穿透链接", max_length=500, blank=True)
    indicator_code = models.CharField("考核指标代码", max_length=40, blank=True)
    items = models.JSONField("所列记录", default=list, blank=True, help_text="[{title, url}]")

    class Meta:
        verbose_name = "报告数据项"
        verbose_name_plural = verbose_name
        ordering = ["report", "seq", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "key"], name="ar_figure_report_key")]

    def __str__(self):
        return f"{self.label}：{self.display}"

    @property
    def display(self) -> str:
        return self.value or "无数据"


class Recipient(models.Model):
    """Where the report was sent and when (报送, RPT-03/04)."""

    report = models.ForeignKey(Report, verbose_name="报告", on_delete=models.CASCADE, related_name="recipients")
    kind = models.CharField("报送对象类别", max_length=20, help_text="rules.required_recipients 的标识；other = 其他/抄送")
    kind_label = models.CharField("类别", max_length=50)
    name = models.CharField("报送对象", max_length=100)
    sent_on = models.DateField("报送日期")
    note = models.CharField("报送方式/文号", max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "报送记录"
        verbose_name_plural = verbose_name
        ordering = ["report", "pk"]

    def __str__(self):
        return f"{self.name}（{self.sent_on}）"
