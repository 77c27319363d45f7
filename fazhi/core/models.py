from django.conf import settings
from django.db import models, transaction
from django.db.models import F

from fazhi.core.errors import ValidationError


class TimeStamped(models.Model):
    """Base for fazhi records: creation and change times."""

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        abstract = True


class NumberSequence(models.Model):
    """The counter behind one document-number series: prefix + year.

    A 机关代字 belongs to one issuer (the text 渝大渡口府发〔2024〕5号 must
    name one document only), so the series is keyed by prefix and year and
    records its issuer; another issuer asking for the same prefix is refused.

    Example: issuer "区人民政府", prefix "渝大渡口府发", year 2024 ->
    渝大渡口府发〔2024〕5号. The row is locked while a number is taken, so
    numbers are unique; the counter and the allocation are written in the
    caller's transaction, so a rolled-back caller leaves no gap.
    """

    issuer = models.CharField("发文机关", max_length=100)
    prefix = models.CharField("机关代字", max_length=50)
    year = models.PositiveIntegerField("年度")
    last = models.PositiveIntegerField("已用到", default=0)

    class Meta:
        verbose_name = "文号序列"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="core_numberseq_unique"),
        ]

    def __str__(self):
        return f"{self.prefix}〔{self.year}〕（已用到 {self.last} 号）"


class AllocatedNumber(models.Model):
    """Every number handed out, once. The unique constraints are the proof."""

    sequence = models.ForeignKey(NumberSequence, on_delete=models.PROTECT, related_name="numbers")
    seq = models.PositiveIntegerField("序号")
    text = models.CharField("文号", max_length=120, unique=True)
    purpose = models.CharField("用途", max_length=200, blank=True)
    allocated_at = models.DateTimeField("分配时间", auto_now_add=True)

    class Meta:
        verbose_name = "已分配文号"
        verbose_name_plural = verbose_name
        constraints = [
            models.UniqueConstraint(fields=["sequence", "seq"], name="core_allocnum_unique"),
            models.CheckConstraint(condition=models.Q(seq__gte=1), name="core_allocnum_positive"),
        ]

    def __str__(self):
        return self.text


def format_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}〔{year}〕{seq}号"


def allocate_number(*, issuer: str, prefix: str, year: int, purpose: str = "") -> AllocatedNumber:
    """Take the next number of a series, gap-free and unique under concurrency.

    Must run inside the caller's transaction (the change that uses the
    number), so the number and its use commit or roll back together.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("allocate_number must run inside the transaction that uses the number")
    if not issuer or not prefix:
        raise ValidationError("发文机关和机关代字不能为空")
    if not (1900 <= year <= 2999):
        raise ValidationError(f"年度“{year}”无效")
    # Create the series row if missing without racing: ignore_conflicts turns a
    # concurrent insert into a no-op, then everyone locks the single row.
    NumberSequence.objects.bulk_create(
        [NumberSequence(issuer=issuer, prefix=prefix, year=year)], ignore_conflicts=True
    )
    seq = NumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
    if seq.issuer != issuer:
        raise ValidationError(
            f"机关代字“{prefix}”（{year}年）已由“{seq.issuer}”使用，不能用于“{issuer}”",
            fields={"prefix": "机关代字已被其他发文机关使用"},
        )
    NumberSequence.objects.filter(pk=seq.pk).update(last=F("last") + 1)
    seq.refresh_from_db(fields=["last"])
    return AllocatedNumber.objects.create(
        sequence=seq, seq=seq.last, text=format_number(prefix, year, seq.last), purpose=purpose[:200]
    )


class PrivacyDecision(models.Model):
    """A person's decision on one piece of personal data found in text about to be
    published (``fazhi.core.privacy``): hide it, or keep it because it is not
    personal data (a hotline, an office number). Kept per published record and
    value, wherever and however the value is written (``masking.Hit.key``).

    The value itself is stored only when it is kept (it is then public anyway);
    a masked value is known by its key and a preview that cannot be used.
    """

    MASK, KEEP = "mask", "keep"
    DECISIONS = ((MASK, "隐去"), (KEEP, "非个人信息，照常公开"))

    subject_type = models.CharField("公开对象类型", max_length=100)
    subject_id = models.CharField("公开对象ID", max_length=40)
    kind = models.CharField("类别", max_length=10)
    key = models.CharField("值标识", max_length=64)
    value = models.CharField("值（仅“非个人信息”保存）", max_length=200, blank=True)
    preview = models.CharField("示意", max_length=60)
    decision = models.CharField("确认结果", max_length=4, choices=DECISIONS)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="确认人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_by_name = models.CharField("确认人姓名", max_length=50)
    decided_at = models.DateTimeField("确认时间")

    class Meta:
        verbose_name = "个人信息确认"
        verbose_name_plural = verbose_name
        ordering = ["subject_type", "subject_id", "decided_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["subject_type", "subject_id", "key"], name="core_privacy_once"),
            models.CheckConstraint(condition=models.Q(decision__in=["mask", "keep"]), name="core_privacy_decision"),
        ]

    def __str__(self):
        return f"{self.preview}：{self.get_decision_display()}"


class LocalRuleOverride(models.Model):
    """A place-dependent rule (``fazhi.core.local_rules``) set by a system
    administrator on the page 地方规则: in force over the environment and the
    default while the row exists. Written only by ``fazhi.core.rule_overrides``;
    every change is a ``LocalRuleChange`` and an audit entry."""

    setting = models.CharField("规则分组", max_length=40)  # FAZHI_NORMDOCS
    key = models.CharField("规则", max_length=60)  # as declared: filing_days, OFFICER_HOURS
    value = models.JSONField("取值")
    reason = models.CharField("理由", max_length=500)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="设置人", null=True,
                               on_delete=models.SET_NULL, related_name="+")
    set_by_name = models.CharField("设置人姓名", max_length=100)
    set_at = models.DateTimeField("设置时间")

    class Meta:
        verbose_name = "地方规则设置"
        verbose_name_plural = verbose_name
        ordering = ["setting", "key"]
        constraints = [
            models.UniqueConstraint(fields=["setting", "key"], name="core_local_rule_once"),
        ]

    def __str__(self):
        return f"{self.setting}__{self.key.upper()}"


class LocalRuleChange(models.Model):
    """One change of a rule on the page 地方规则, kept for good (the history shown
    on the page): the value set before (None: none was set there) and after
    (None: reset to the environment or default)."""

    SET, RESET = "set", "reset"
    ACTIONS = ((SET, "设置"), (RESET, "恢复"))

    setting = models.CharField("规则分组", max_length=40)
    key = models.CharField("规则", max_length=60)
    action = models.CharField("操作", max_length=5, choices=ACTIONS)
    old_value = models.JSONField("原取值（管理界面）", null=True, blank=True)
    new_value = models.JSONField("新取值", null=True, blank=True)
    reason = models.CharField("理由", max_length=500)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    changed_by_name = models.CharField("操作人姓名", max_length=100)
    changed_at = models.DateTimeField("操作时间")

    class Meta:
        verbose_name = "地方规则变更"
        verbose_name_plural = verbose_name
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(action__in=["set", "reset"]), name="core_local_rule_action"),
            models.CheckConstraint(
                condition=models.Q(action="reset", new_value__isnull=True)
                | models.Q(action="set", new_value__isnull=False),
                name="core_local_rule_reset_has_no_value"),
        ]
        indexes = [models.Index(fields=["setting", "key", "-changed_at"], name="core_localrule_hist")]

    def __str__(self):
        return f"{self.setting}__{self.key.upper()} {self.get_action_display()}"
