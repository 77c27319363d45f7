"""公开征求意见, shared by every module that puts a draft to the public.

One ``Consultation`` is one period of public comment on one record of one
module (a normative document, a major decision, …); ``Comment`` is one
comment, on an article or on the whole text, with its adoption answer.

The record is named by one nullable foreign key per owning model and a
check that exactly one is set, rather than a GenericForeignKey: the database
then keeps the references valid (CASCADE with the owner), "one open
consultation per owner" stays a plain partial unique index, and unit scoping
joins through ``doc__unit`` / ``decision__unit`` like any other relation.
A new module adds its own nullable key, the check and the partial index here
(docs/new-module.md).

What each module's law requires (minimum periods, who may act, rule IDs in
refusals) is not here: the owning module's service checks it and passes a
``services.Policy``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from fazhi.core.models import TimeStamped

# The owning keys, one per module; exactly one is set on each consultation.
OWNER_FIELDS = ("doc", "decision")


class Adoption(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    REJECTED = "rejected", "不采纳"


class Consultation(TimeStamped):
    """公开征求意见 on the portal (NDOC-04/05, MDEC-04)."""

    class State(models.TextChoices):
        OPEN = "open", "征求意见中"
        CLOSED = "closed", "已结束"

    doc = models.ForeignKey("normative_docs.NormDoc", verbose_name="规范性文件", null=True, blank=True,
                            on_delete=models.CASCADE, related_name="consultations")
    decision = models.ForeignKey("major_decisions.Decision", verbose_name="重大行政决策", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="consultations")
    # The text put to the public: a normative document's version (its articles
    # are what per-article comments name), or a copy of the draft.
    version = models.ForeignKey("normative_docs.DocVersion", verbose_name="征求意见稿版本", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    draft_text = models.TextField("征求意见稿", blank=True)
    explanation = models.TextField("起草说明", blank=True)
    how_to_comment = models.CharField("意见提交方式", max_length=500, blank=True)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("截止日期")
    min_end_on = models.DateField("最短期限截止日")
    min_rule = models.CharField("最短期限规则", max_length=80)
    min_provisional = models.BooleanField("最短期限为暂定", default=False)
    exception_reason = models.CharField("缩短期限理由", max_length=500, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.OPEN)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    summary = models.TextField("意见采纳情况说明", blank=True)
    summary_published_on = models.DateField("采纳情况公布日期", null=True, blank=True)
    # "<app_label>.<model>:<pk>" of the record this one was copied from when
    # the modules' own tables were merged here (migration 0002); the audit
    # entries written before then name that old record.
    legacy_ref = models.CharField("原记录", max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = "公开征求意见"
        verbose_name_plural = verbose_name
        ordering = ["-start_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(doc__isnull=False, decision__isnull=True) | Q(doc__isnull=True, decision__isnull=False),
                name="consultation_one_owner"),
            models.UniqueConstraint(fields=["doc"], condition=Q(state="open"), name="consultation_one_open_doc"),
            models.UniqueConstraint(fields=["decision"], condition=Q(state="open"),
                                    name="consultation_one_open_decision"),
            models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")), name="consultation_dates"),
        ]

    def __str__(self):
        return f"{self.owner.title} 征求意见（{self.start_on}—{self.end_on}）"

    @property
    def owner(self):
        """The record put to the public (a NormDoc, a Decision, …)."""
        for name in OWNER_FIELDS:
            if getattr(self, f"{name}_id") is not None:
                return getattr(self, name)
        return None

    @property
    def unit_id(self):  # audit entries belong to the owner's unit
        return self.owner.unit_id


class Comment(models.Model):
    consultation = models.ForeignKey(Consultation, verbose_name="征求意见", on_delete=models.CASCADE,
                                     related_name="comments")
    article_no = models.CharField("条款", max_length=30, blank=True, help_text="如“第三条”；空为总体意见")
    content = models.TextField("意见内容")
    name = models.CharField("姓名/单位", max_length=100, blank=True)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    submitted_at = models.DateTimeField("提交时间")
    adoption = models.CharField("采纳情况", max_length=10, choices=Adoption.choices, blank=True)
    reason = models.TextField("理由", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_by_name = models.CharField("答复人姓名", max_length=50, blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    legacy_ref = models.CharField("原记录", max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = "公众意见"
        verbose_name_plural = verbose_name
        ordering = ["consultation", "submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(content=""), name="consultation_comment_not_empty"),
        ]

    def __str__(self):
        if self.article_no:
            return f"{self.article_no}：{self.content[:20]}"
        return self.content[:20]
