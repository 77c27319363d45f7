"""双随机、一公开: the item list (一单), the object and inspector pools (两库),
plans and tasks, verifiable random draws, results and their publication.

Rules: ../shared/docs/rules.md §4 (RAND-01…09) and ENF-28. The draw algorithm
is in ``fazhi/core/draw.py`` (pure Python) and ``docs/draw-algorithm.md``;
every state change goes through ``services``.

Every record carries ``unit`` (the department that owns it: the inspecting
department of an item, the lead department of a plan, task and draw) so
``org.access.scope`` can restrict lists. The object pool (``Entity``) is
district-wide and has no owning department; ``Entity.org_unit`` is only the
unit an object belongs to for recusal (属地/主管单位), optional.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from fazhi.core.models import TimeStamped

USER = settings.AUTH_USER_MODEL


# ============================================================== item list (一单)


class ItemKind(models.TextChoices):
    GENERAL = "general", "一般检查事项"
    KEY = "key", "重点检查事项"


class ItemStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已公布"
    RETIRED = "retired", "已停用"


class InspectionItem(TimeStamped):
    """抽查事项 (RAND-02, RAND-04; ENF-28: an item that is not published cannot be inspected).

    Versioned: a published item is never edited in place. ``services.revise_item``
    makes a new draft version linked by ``supersedes``; publishing it retires
    the old one. Only the published current version is public and usable in tasks.
    """

    unit = models.ForeignKey("org.Unit", verbose_name="检查部门", on_delete=models.PROTECT,
                             related_name="inspection_items")
    number = models.CharField("事项编号", max_length=40)
    version = models.PositiveIntegerField("版本", default=1)
    supersedes = models.OneToOneField("self", verbose_name="替代版本", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="superseded_by")
    name = models.CharField("抽查事项", max_length=200)
    sub_item = models.CharField("抽查子项", max_length=200, blank=True)
    inspecting_body = models.CharField("检查主体", max_length=200)
    basis = models.TextField("检查依据")
    method = models.CharField("检查方式", max_length=200, blank=True, help_text="如：书面检查、实地核查、网络监测")
    content = models.TextField("检查内容", blank=True)
    object_scope = models.CharField("检查对象范围", max_length=300, blank=True)
    frequency = models.CharField("抽查比例和频次", max_length=200, blank=True)
    kind = models.CharField("事项类别", max_length=10, choices=ItemKind.choices, default=ItemKind.GENERAL)
    field = models.CharField("执法领域", max_length=100, blank=True,
                             help_text="检查人员的执法领域须与此一致；为空则不限")
    remarks = models.TextField("备注", blank=True)
    status = models.CharField("状态", max_length=10, choices=ItemStatus.choices, default=ItemStatus.DRAFT,
                              db_index=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    retired_at = models.DateTimeField("停用时间", null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "抽查事项"
        verbose_name_plural = verbose_name
        ordering = ["unit__path", "number", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number", "version"], name="ins_item_version_unique"),
            # One current published version per item number (RAND-04).
            models.UniqueConstraint(fields=["unit", "number"], condition=Q(status="published"),
                                    name="ins_item_one_published"),
            models.CheckConstraint(condition=~Q(number="") & ~Q(name=""), name="ins_item_number_name"),
            models.CheckConstraint(condition=Q(version__gte=1), name="ins_item_version_positive"),
            models.CheckConstraint(condition=~Q(status="published") | Q(published_at__isnull=False),
                                   name="ins_item_published_at"),
        ]

    def __str__(self):
        label = f"{self.number} {self.name}"
        return f"{label}（{self.sub_item}）" if self.sub_item else label

    @property
    def is_public(self) -> bool:
        return self.status == ItemStatus.PUBLISHED


# ============================================================ object pool (一库)


class RiskLevel(models.TextChoices):
    LOW = "low", "低"
    MEDIUM = "medium", "中"
    HIGH = "high", "高"


class Entity(TimeStamped):
    """检查对象 (RAND-03): a market entity or other object in the district-wide pool.

    ``credit_code`` is the 统一社会信用代码 with a valid GB 32100 check digit
    (checked by the services and the importer). Fields used to filter a task's
    pool are indexed.
    """

    name = models.CharField("名称", max_length=200)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    entity_type = models.CharField("主体类型", max_length=50, blank=True, help_text="如：有限责任公司、个体工商户")
    industry = models.CharField("行业", max_length=100, blank=True)
    region = models.CharField("区域", max_length=100, blank=True, help_text="如：龙凤镇")
    address = models.CharField("住所（经营场所）", max_length=300, blank=True)
    legal_rep = models.CharField("法定代表人（负责人）", max_length=100, blank=True)
    contact = models.CharField("联系人", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    risk_level = models.CharField("风险等级", max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW)
    credit_level = models.CharField("信用等级", max_length=20, blank=True)
    last_inspected_on = models.DateField("最近检查日期", null=True, blank=True)
    org_unit = models.ForeignKey("org.Unit", verbose_name="属地（主管）单位", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="inspection_entities",
                                 help_text="用于按单位回避")
    active = models.BooleanField("有效", default=True)
    # No database constraint: a COPY of a million rows would queue a million deferred checks of
    # the same batch row (see importer). SET_NULL is done by Django; batches are not deleted.
    import_batch = models.ForeignKey("EntityImport", verbose_name="导入批次", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="entities", db_constraint=False)

    class Meta:
        verbose_name = "检查对象"
        verbose_name_plural = verbose_name
        ordering = ["credit_code"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="ins_entity_name"),
            models.CheckConstraint(condition=Q(credit_code__regex=r"^[0-9A-HJ-NP-RTUW-Y]{18}$"),
                                   name="ins_entity_credit_code_charset"),
        ]
        indexes = [
            models.Index(fields=["industry"], name="ins_entity_industry"),
            models.Index(fields=["region"], name="ins_entity_region"),
            models.Index(fields=["risk_level"], name="ins_entity_risk"),
            models.Index(fields=["last_inspected_on"], name="ins_entity_last"),
            models.Index(fields=["name"], name="ins_entity_name_idx"),
            # the reveal looks for objects changed since the freeze (services/draw_pools.py, _live_changes)
            models.Index(fields=["updated_at"], name="ins_entity_updated"),
        ]

    def __str__(self):
        return f"{self.name}（{self.credit_code}）"


class ImportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "Excel（xlsx）"


class ImportStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "导入中"
    SUCCEEDED = "succeeded", "已完成"
    FAILED = "failed", "失败"


class EntityImport(TimeStamped):
    """导入批次: one upload of the object pool, all-or-nothing.

    ``errors`` holds the first ``importer.MAX_STORED_ERRORS`` rows of the
    report ({row, column, value, message}); ``error_count`` is the full count.
    While running, progress lives in the cache (``importer.progress``), so a
    concurrent request sees it outside the import's transaction.
    """

    unit = models.ForeignKey("org.Unit", verbose_name="导入单位", on_delete=models.PROTECT,
                             related_name="inspection_imports")
    file = models.CharField("文件路径", max_length=500, help_text="MEDIA_ROOT 下的相对路径")
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    format = models.CharField("格式", max_length=10, choices=ImportFormat.choices)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    size = models.BigIntegerField("大小（字节）", default=0)
    status = models.CharField("状态", max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING,
                              db_index=True)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    processed_rows = models.PositiveIntegerField("已处理行数", default=0)
    created_rows = models.PositiveIntegerField("新增对象数", default=0)
    error_count = models.PositiveIntegerField("错误数", default=0)
    errors = models.JSONField("错误报告", default=list, blank=True)
    message = models.CharField("结果说明", max_length=500, blank=True)
    created_by = models.ForeignKey(USER, verbose_name="导入人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    # Written every few seconds while an import runs (importer._Heartbeat); an
    # import "导入中" whose heartbeat stopped was interrupted (importer.fail_stale).
    heartbeat_at = models.DateTimeField("最近心跳", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(processed_rows__lte=F("total_rows")) | Q(total_rows=0),
                                   name="ins_import_progress"),
        ]

    def __str__(self):
        return f"导入批次 {self.pk}（{self.original_name or self.file}，{self.get_status_display()}）"

    @property
    def percent(self) -> int:
        return int(self.processed_rows * 100 / self.total_rows) if self.total_rows else 0


# ========================================================= inspector pool (一库)


class Inspector(TimeStamped):
    """检查人员 (RAND-03): an enforcement officer in the inspector pool.

    Eligible for a task only with a certificate valid over the task's planned
    window (ENF-01, read through ``enforcement.selectors``), ``active``, not
    absent in the window, field matching the item, not recused (RAND-05).
    ``fields`` is a list of 执法领域 separated by "、".
    """

    officer = models.OneToOneField("enforcement.Officer", verbose_name="执法人员", on_delete=models.PROTECT,
                                   related_name="inspector")
    unit = models.ForeignKey("org.Unit", verbose_name="所在单位", on_delete=models.PROTECT,
                             related_name="inspectors")
    fields = models.CharField("执法领域", max_length=300, blank=True, help_text="多个领域用“、”分隔")
    active = models.BooleanField("在库", default=True)
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = "检查人员"
        verbose_name_plural = verbose_name
        ordering = ["unit__path", "pk"]
        indexes = [models.Index(fields=["unit", "active"], name="ins_inspector_unit_active")]

    def __str__(self):
        return str(self.officer)

    @property
    def field_list(self) -> list[str]:
        return [f.strip() for f in self.fields.replace(",", "、").replace("，", "、").split("、") if f.strip()]

    def covers_field(self, field: str) -> bool:
        return not field or field in self.field_list


class InspectorAbsence(TimeStamped):
    """不可用时段 (leave, training, secondment): not drawn for a task whose
    planned window overlaps it."""

    inspector = models.ForeignKey(Inspector, verbose_name="检查人员", on_delete=models.CASCADE,
                                  related_name="absences")
    unit = models.ForeignKey("org.Unit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+")
    start = models.DateField("起始日期")
    end = models.DateField("结束日期", help_text="最后一日（含）")
    reason = models.CharField("原因", max_length=200)

    class Meta:
        verbose_name = "不可用时段"
        verbose_name_plural = verbose_name
        ordering = ["inspector", "start"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=F("start")), name="ins_absence_dates")]

    def __str__(self):
        return f"{self.inspector} {self.start}—{self.end} {self.reason}"


class Recusal(TimeStamped):
    """回避 (RAND-05): an inspector must not inspect an object, or any object
    whose ``org_unit`` is the given unit. Exactly one of the two is set."""

    inspector = models.ForeignKey(Inspector, verbose_name="检查人员", on_delete=models.CASCADE,
                                  related_name="recusals")
    unit = models.ForeignKey("org.Unit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+")
    entity = models.ForeignKey(Entity, verbose_name="回避对象", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="recusals")
    org_unit = models.ForeignKey("org.Unit", verbose_name="回避单位", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="inspection_recusals")
    reason = models.CharField("回避原因", max_length=300)

    class Meta:
        verbose_name = "回避关系"
        verbose_name_plural = verbose_name
        ordering = ["inspector", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(entity__isnull=False) & Q(org_unit__isnull=True))
                | (Q(entity__isnull=True) & Q(org_unit__isnull=False)),
                name="ins_recusal_one_target"),
            models.UniqueConstraint(fields=["inspector", "entity"], condition=Q(entity__isnull=False),
                                    name="ins_recusal_entity_unique"),
            models.UniqueConstraint(fields=["inspector", "org_unit"], condition=Q(org_unit__isnull=False),
                                    name="ins_recusal_unit_unique"),
        ]

    def __str__(self):
        return f"{self.inspector} 回避 {self.entity or self.org_unit}"


# ============================================================= plans and tasks


class PlanKind(models.TextChoices):
    ANNUAL = "annual", "年度抽查计划"
    JOINT = "joint", "部门联合抽查计划"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    APPROVED = "approved", "已批准"


class Plan(TimeStamped):
    """抽查计划 (RAND-09). A joint plan (综合查一次, RAND-01) is led by ``unit``
    and names its participating departments; its tasks may use items of all of them.
    ``random_target`` is the share of the lead department's inspections in the
    year to be done by double-random draw (RAND-01; default a setting, 0.3)."""

    unit = models.ForeignKey("org.Unit", verbose_name="牵头部门", on_delete=models.PROTECT,
                             related_name="inspection_plans")
    year = models.PositiveIntegerField("年度")
    title = models.CharField("计划名称", max_length=200)
    kind = models.CharField("计划类型", max_length=10, choices=PlanKind.choices, default=PlanKind.ANNUAL)
    participating_units = models.ManyToManyField("org.Unit", verbose_name="参与部门", blank=True,
                                                 related_name="joint_inspection_plans")
    random_target = models.DecimalField("双随机抽查占比目标", max_digits=4, decimal_places=3, default=Decimal("0.300"))
    description = models.TextField("计划说明", blank=True)
    status = models.CharField("状态", max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT,
                              db_index=True)
    created_by = models.ForeignKey(USER, verbose_name="编制人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    approved_by = models.ForeignKey(USER, verbose_name="批准人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField("批准时间", null=True, blank=True)

    class Meta:
        verbose_name = "抽查计划"
        verbose_name_plural = verbose_name
        ordering = ["-year", "unit__path", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(random_target__gte=0) & Q(random_target__lte=1),
                                   name="ins_plan_target_range"),
            models.CheckConstraint(condition=Q(year__gte=2000) & Q(year__lte=2999), name="ins_plan_year"),
            models.CheckConstraint(condition=~Q(title=""), name="ins_plan_title"),
        ]

    def __str__(self):
        return f"{self.year}年 {self.title}"


class TaskStatus(models.TextChoices):
    DRAFT = "draft", "待抽取"
    COMMITTED = "committed", "已冻结待揭示"
    DRAWN = "drawn", "已抽取"
    CLOSED = "closed", "已完成"


STRATIFY_DIMENSIONS = ("industry", "region", "risk_level")


class Task(TimeStamped):
    """抽查任务: what is inspected (items), in which objects (filter), how many
    (sample size or ratio, optionally per stratum), by teams of ``team_size``
    (≥ 2, RAND-05, a DB check), in which window.

    ``industries``/``regions``/``risk_levels``: lists; empty = no restriction.
    ``stratify_by``: a sublist of ``STRATIFY_DIMENSIONS``. ``quotas``: {stratum
    key: k} (explicit per-stratum quotas); empty = proportional allocation.
    ``exclude_recent_months``: objects inspected within N months before the
    planned start are excluded unless high risk (0 = no exclusion).
    """

    plan = models.ForeignKey(Plan, verbose_name="抽查计划", on_delete=models.PROTECT, related_name="tasks")
    unit = models.ForeignKey("org.Unit", verbose_name="牵头部门", on_delete=models.PROTECT,
                             related_name="inspection_tasks")
    title = models.CharField("任务名称", max_length=200)
    items = models.ManyToManyField(InspectionItem, verbose_name="抽查事项", related_name="tasks")
    industries = models.JSONField("行业", default=list, blank=True)
    regions = models.JSONField("区域", default=list, blank=True)
    risk_levels = models.JSONField("风险等级", default=list, blank=True)
    sample_size = models.PositiveIntegerField("抽取数量", null=True, blank=True)
    sample_ratio = models.DecimalField("抽取比例", max_digits=5, decimal_places=4, null=True, blank=True,
                                       help_text="0–1，如 0.05 表示 5%")
    stratify_by = models.JSONField("分层依据", default=list, blank=True)
    quotas = models.JSONField("各层抽取数量", default=dict, blank=True)
    team_size = models.PositiveSmallIntegerField("每组检查人员数", default=2)
    exclude_recent_months = models.PositiveSmallIntegerField("近期已检查排除月数", default=0,
                                                             help_text="0 表示不排除；高风险对象不排除")
    planned_start = models.DateField("计划开始日期")
    planned_end = models.DateField("计划结束日期")
    status = models.CharField("状态", max_length=10, choices=TaskStatus.choices, default=TaskStatus.DRAFT,
                              db_index=True)
    created_by = models.ForeignKey(USER, verbose_name="创建人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "抽查任务"
        verbose_name_plural = verbose_name
        ordering = ["-planned_start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(team_size__gte=2), name="ins_task_team_at_least_2"),
            models.CheckConstraint(condition=Q(planned_end__gte=F("planned_start")), name="ins_task_dates"),
            models.CheckConstraint(
                condition=(Q(sample_size__isnull=False) & Q(sample_ratio__isnull=True))
                | (Q(sample_size__isnull=True) & Q(sample_ratio__isnull=False)),
                name="ins_task_size_or_ratio"),
            models.CheckConstraint(condition=Q(sample_size__isnull=True) | Q(sample_size__gte=1),
                                   name="ins_task_size_positive"),
            models.CheckConstraint(condition=Q(sample_ratio__isnull=True)
                                   | (Q(sample_ratio__gt=0) & Q(sample_ratio__lte=1)),
                                   name="ins_task_ratio_range"),
            models.CheckConstraint(condition=~Q(title=""), name="ins_task_title"),
        ]

    def __str__(self):
        return self.title

    @property
    def closed(self) -> bool:
        """Done: its window's end no longer shows as a deadline."""
        return self.status == TaskStatus.CLOSED


# ======================================================================= draws


class DrawStatus(models.TextChoices):
    COMMITTED = "committed", "已冻结（待揭示）"
    DRAWN = "drawn", "已抽取"
    PUBLISHED = "published", "已公开"


class WitnessKind(models.TextChoices):
    SECRET = "secret", "秘密值（冻结前承诺，冻结后揭示）"
    PUBLIC = "public", "公开随机数（冻结前声明来源，冻结后录入）"


class DrawWitness(TimeStamped):
    """监督人 of a task's draw (RAND-05; docs/draw-algorithm.md §2).

    Added before the freeze, in order (``position``: the order in which their
    values enter the final seed). A ``secret`` witness commits ``sha256`` of a
    secret of their own before the freeze (only the hash is stored) and types
    the secret after it — refused unless it matches. A ``public`` witness
    names a public random source before the freeze (e.g. a lottery draw after
    it) and types its value after it. The list and the commitments are part
    of the draw's committed parameters: nothing changes after the freeze
    except each witness's reveal.
    """

    task = models.ForeignKey(Task, verbose_name="抽查任务", on_delete=models.CASCADE, related_name="witnesses")
    position = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("监督人", max_length=100)
    capacity = models.CharField("身份及单位", max_length=200, help_text="如：区纪委监委派驻纪检监察组、公众代表")
    kind = models.CharField("方式", max_length=10, choices=WitnessKind.choices)
    source = models.CharField("公开随机数来源", max_length=200, blank=True,
                              help_text="公开随机数方式：冻结前写明将采用的公开数据，如某日某期彩票开奖号码")
    commitment = models.CharField("承诺值（SHA-256）", max_length=64, blank=True)
    committed_at = models.DateTimeField("承诺时间", null=True, blank=True)
    value = models.CharField("揭示值", max_length=200, blank=True)
    revealed_at = models.DateTimeField("揭示时间", null=True, blank=True)
    added_by = models.ForeignKey(USER, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        verbose_name = "抽取监督人"
        verbose_name_plural = verbose_name
        ordering = ["task", "position"]
        constraints = [
            models.UniqueConstraint(fields=["task", "position"], name="ins_witness_position_unique"),
            models.CheckConstraint(condition=Q(commitment="") | Q(commitment__regex=r"^[0-9a-f]{64}$"),
                                   name="ins_witness_commitment_hex"),
            models.CheckConstraint(condition=Q(kind="secret") | (Q(commitment="") & ~Q(source="")),
                                   name="ins_witness_public_has_source"),
            models.CheckConstraint(condition=Q(revealed_at__isnull=True) | ~Q(value=""),
                                   name="ins_witness_revealed_value"),
        ]

    def __str__(self):
        return f"{self.position}. {self.name}（{self.capacity}）"


class Draw(TimeStamped):
    """The verifiable draw of one task (RAND-05; docs/draw-algorithm.md).

    1. ``commit`` freezes the pools and the parameters into canonical files
       under ``MEDIA_ROOT/<pool_dir>/`` (objects, inspectors, recusals,
       params.json) with their SHA-256 hashes and records ``commitment`` —
       binding the server's seed commitment, the file hashes and the
       parameters (with the witnesses' commitments); public from then on.
    2. Each witness reveals (``DrawWitness``); ``reveal`` then recovers the
       server's seed, computes ``final_seed`` from it and every witness's value,
       and draws from the frozen files only.

    The server's seed (``fazhi-draw/2``) is never stored: it is derived from
    ``SECRET_KEY``, the row id and ``seed_salt`` (``fazhi.core.draw_seed``);
    ``server_commitment`` is its SHA-256; ``seed`` is empty until the reveal.
    ``secret_seed`` only holds the seed of draws frozen under ``fazhi-draw/1``
    (a DB check keeps it empty for every later draw).
    """

    task = models.OneToOneField(Task, verbose_name="抽查任务", on_delete=models.PROTECT, related_name="draw")
    unit = models.ForeignKey("org.Unit", verbose_name="牵头部门", on_delete=models.PROTECT,
                             related_name="inspection_draws")
    algorithm_version = models.CharField("算法版本", max_length=40)
    status = models.CharField("状态", max_length=10, choices=DrawStatus.choices, default=DrawStatus.COMMITTED,
                              db_index=True)
    commitment = models.CharField("承诺值（SHA-256）", max_length=64)
    server_commitment = models.CharField("服务器种子承诺值", max_length=64, blank=True)
    seed_salt = models.CharField("服务器种子盐值", max_length=32, blank=True, editable=False,
                                 help_text="公开无妨：没有 SECRET_KEY 无法由此算出种子")
    secret_seed = models.CharField("秘密种子（仅 fazhi-draw/1）", max_length=64, blank=True, editable=False)
    committed_at = models.DateTimeField("承诺时间")
    committed_by = models.ForeignKey(USER, verbose_name="冻结人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    pool_dir = models.CharField("冻结名录目录", max_length=300, help_text="MEDIA_ROOT 下的相对路径")
    objects_hash = models.CharField("检查对象名录哈希", max_length=64)
    inspectors_hash = models.CharField("检查人员名录哈希", max_length=64)
    recusals_hash = models.CharField("回避关系哈希", max_length=64)
    params_hash = models.CharField("冻结参数哈希", max_length=64, blank=True)
    object_count = models.PositiveIntegerField("符合条件的对象数", default=0)
    inspector_count = models.PositiveIntegerField("符合条件的检查人员数", default=0)
    strata = models.JSONField("分层及配额", default=list, blank=True,
                              help_text="[{key, size, quota}]，按层键排序")
    witness_name = models.CharField("监督人（仅 fazhi-draw/1）", max_length=100, blank=True)
    witness_input = models.CharField("监督人输入（仅 fazhi-draw/1）", max_length=200, blank=True)
    seed = models.CharField("揭示的种子", max_length=64, blank=True)
    final_seed = models.CharField("最终种子", max_length=64, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    drawn_by = models.ForeignKey(USER, verbose_name="抽取人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    changes_since = models.DateTimeField(
        "变化检查起点", null=True, blank=True, editable=False,
        help_text="冻结时记录：此后更新（updated_at）的检查对象在揭示时与冻结名录逐一比对")
    strata_file_sha256 = models.CharField(
        "分层索引文件哈希", max_length=64, blank=True, editable=False,
        help_text="内部文件 objects.strata.idx（各层对象行的位置索引）的 SHA-256；不属于凭证")
    live_pool_changed = models.BooleanField("揭示时名录已变化", default=False)
    live_pool_note = models.TextField("名录变化说明", blank=True)
    receipt = models.JSONField("抽取凭证", null=True, blank=True)
    receipt_sha256 = models.CharField("凭证哈希", max_length=64, blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)

    class Meta:
        verbose_name = "随机抽取"
        verbose_name_plural = verbose_name
        ordering = ["-committed_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(commitment__regex=r"^[0-9a-f]{64}$"), name="ins_draw_commitment"),
            models.CheckConstraint(condition=Q(status="committed") | (~Q(seed="") & ~Q(final_seed="")
                                                                      & Q(drawn_at__isnull=False)),
                                   name="ins_draw_revealed_fields"),
            models.CheckConstraint(condition=~Q(status="published") | Q(published_at__isnull=False),
                                   name="ins_draw_published_at"),
            # Since fazhi-draw/2 the server's seed is derived when needed, never stored.
            models.CheckConstraint(condition=Q(algorithm_version="fazhi-draw/1") | Q(secret_seed=""),
                                   name="ins_draw_no_stored_seed"),
        ]

    def __str__(self):
        return f"{self.task}（{self.get_status_display()}）"

    @property
    def is_v1(self) -> bool:
        return self.algorithm_version == "fazhi-draw/1"


class DrawSelection(models.Model):
    """One object drawn, in the order of the draw (``position`` from 1)."""

    draw = models.ForeignKey(Draw, verbose_name="随机抽取", on_delete=models.CASCADE, related_name="selections")
    entity = models.ForeignKey(Entity, verbose_name="检查对象", on_delete=models.PROTECT,
                               related_name="selections")
    credit_code = models.CharField("统一社会信用代码", max_length=18)
    stratum = models.CharField("层", max_length=300, blank=True)
    position = models.PositiveIntegerField("序号")

    class Meta:
        verbose_name = "抽中对象"
        verbose_name_plural = verbose_name
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "position"], name="ins_sel_position_unique"),
            models.UniqueConstraint(fields=["draw", "entity"], name="ins_sel_entity_unique"),
        ]

    def __str__(self):
        return f"{self.position}. {self.credit_code}"


class TeamMember(models.Model):
    """An inspector drawn into the team for one selected object (RAND-05)."""

    selection = models.ForeignKey(DrawSelection, verbose_name="抽中对象", on_delete=models.CASCADE,
                                  related_name="team")
    inspector = models.ForeignKey(Inspector, verbose_name="检查人员", on_delete=models.PROTECT,
                                  related_name="team_memberships")
    certificate_number = models.CharField("执法证号", max_length=40)
    position = models.PositiveSmallIntegerField("序号")

    class Meta:
        verbose_name = "检查组成员"
        verbose_name_plural = verbose_name
        ordering = ["selection", "position"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "position"], name="ins_team_position_unique"),
            models.UniqueConstraint(fields=["selection", "inspector"], name="ins_team_inspector_unique"),
        ]

    def __str__(self):
        return f"{self.selection} · {self.certificate_number}"


# ===================================================================== results


class InspectionKind(models.TextChoices):
    RANDOM = "random", "双随机抽查"
    NON_RANDOM = "non_random", "非随机检查"


class NonRandomReason(models.TextChoices):
    COMPLAINT = "complaint", "投诉举报"
    REFERRAL = "referral", "转办交办"
    SPECIAL = "special", "专项检查"
    KEY_AREA = "key_area", "特殊重点领域检查"
    CLUE = "clue", "数据监测或线索核查"
    OTHER = "other", "其他"


class Result(models.TextChoices):
    """抽查结果 (the standard set of the 国家企业信用信息公示系统 + practice)."""

    NONE_FOUND = "none_found", "未发现问题"
    NOT_DISCLOSED = "not_disclosed", "未按规定公示应当公示的信息"
    FALSE_DISCLOSURE = "false_disclosure", "公示信息隐瞒真实情况弄虚作假"
    UNREACHABLE = "unreachable", "通过登记的住所（经营场所）无法联系"
    CORRECTED = "corrected", "发现问题已责令改正"
    REFUSED = "refused", "不配合检查情节严重"
    NO_ACTIVITY = "no_activity", "未发现开展本次抽查涉及的经营活动"
    FOLLOW_UP = "follow_up", "发现问题待后续处理"
    CASE_FILED = "case_filed", "发现问题已立案查处"
    CLOSED_DOWN = "closed_down", "已注销或被吊销营业执照"
    MOVED_OUT = "moved_out", "已迁出本辖区"
    OTHER = "other", "其他"


# Results that require a follow-up (handover to enforcement, ENF).
FOLLOW_UP_RESULTS = (Result.FALSE_DISCLOSURE, Result.REFUSED, Result.FOLLOW_UP, Result.CASE_FILED)


class InspectionStatus(models.TextChoices):
    PENDING = "pending", "待检查"
    RECORDED = "recorded", "已录入结果"
    PUBLISHED = "published", "已公示"


class HandoverStatus(models.TextChoices):
    NONE = "none", "无需移交"
    HANDED_OVER = "handed_over", "已移交执法"


class Inspection(TimeStamped):
    """检查记录: one check of one object.

    Random (from a draw selection) or non-random with a reason (投诉举报、转办交办、
    专项检查…), so the share of random inspections per department and year can
    be computed (RAND-01). Results are published within
    ``FAZHI_INSPECTIONS["publish_within_workdays"]`` (default 20) working days
    after ``inspected_on`` (RAND-07): ``publish_due`` is computed through
    ``workdays`` and stored with its rule and provisional flag.
    Public fields are copied at publication (``public_*``).
    """

    unit = models.ForeignKey("org.Unit", verbose_name="检查部门", on_delete=models.PROTECT,
                             related_name="inspections")
    kind = models.CharField("检查方式", max_length=12, choices=InspectionKind.choices, default=InspectionKind.RANDOM)
    non_random_reason = models.CharField("非随机检查事由", max_length=12, choices=NonRandomReason.choices,
                                         blank=True)
    reason_note = models.CharField("事由说明", max_length=300, blank=True)
    task = models.ForeignKey(Task, verbose_name="抽查任务", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="inspections")
    selection = models.OneToOneField(DrawSelection, verbose_name="抽中对象", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="inspection")
    entity = models.ForeignKey(Entity, verbose_name="检查对象", on_delete=models.PROTECT,
                               related_name="inspections")
    year = models.PositiveIntegerField("年度", help_text="计入统计的年度（检查日期或计划开始日期所在年）")
    status = models.CharField("状态", max_length=10, choices=InspectionStatus.choices,
                              default=InspectionStatus.PENDING, db_index=True)
    result = models.CharField("检查结果", max_length=20, choices=Result.choices, blank=True)
    findings = models.TextField("检查情况", blank=True)
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    officers = models.ManyToManyField(Inspector, verbose_name="检查人员", blank=True, related_name="inspections")
    result_recorded_at = models.DateTimeField("结果录入时间", null=True, blank=True)
    result_recorded_by = models.ForeignKey(USER, verbose_name="录入人", null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    publish_due = models.DateField("公示期限", null=True, blank=True)
    publish_due_provisional = models.BooleanField("公示期限为暂定", default=False)
    publish_due_rule = models.CharField("公示期限依据", max_length=100, blank=True)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)
    published_by = models.ForeignKey(USER, verbose_name="公示人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    public_result = models.CharField("公示结果", max_length=100, blank=True)
    public_findings = models.TextField("公示内容", blank=True)
    handover_status = models.CharField("后续处理", max_length=12, choices=HandoverStatus.choices,
                                       default=HandoverStatus.NONE)
    handed_over_on = models.DateField("移交日期", null=True, blank=True)
    handover_unit = models.ForeignKey("org.Unit", verbose_name="接收单位", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    handover_note = models.CharField("移交说明", max_length=500, blank=True)
    enforcement_case_id = models.PositiveIntegerField("执法案件编号（内部）", null=True, blank=True)

    class Meta:
        verbose_name = "检查记录"
        verbose_name_plural = verbose_name
        ordering = ["-year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="random") & Q(non_random_reason=""))
                | (Q(kind="non_random") & ~Q(non_random_reason="") & Q(selection__isnull=True)),
                name="ins_inspection_kind_reason"),
            models.CheckConstraint(condition=Q(status="pending") | (~Q(result="") & Q(inspected_on__isnull=False)
                                                                    & Q(publish_due__isnull=False)),
                                   name="ins_inspection_result_fields"),
            models.CheckConstraint(condition=~Q(status="published") | Q(published_at__isnull=False),
                                   name="ins_inspection_published_at"),
            models.CheckConstraint(condition=~Q(handover_status="handed_over")
                                   | (Q(handed_over_on__isnull=False) & Q(handover_unit__isnull=False)),
                                   name="ins_inspection_handover_fields"),
        ]
        indexes = [
            models.Index(fields=["unit", "year", "kind"], name="ins_inspection_unit_year"),
            models.Index(fields=["status", "publish_due"], name="ins_inspection_due"),
        ]

    def __str__(self):
        return f"{self.entity.name} {self.get_result_display() or self.get_status_display()}"


class InspectionAttachment(TimeStamped):
    """检查记录附件 (现场检查笔录, photos…), checked by content through
    ``fazhi.core.uploads.read_checked``; stored under MEDIA_ROOT/inspections/records/."""

    inspection = models.ForeignKey(Inspection, verbose_name="检查记录", on_delete=models.CASCADE,
                                   related_name="attachments")
    unit = models.ForeignKey("org.Unit", verbose_name="检查部门", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("名称", max_length=200)
    file = models.CharField("文件路径", max_length=500)
    original_name = models.CharField("原文件名", max_length=255, blank=True)
    content_type = models.CharField("类型", max_length=100)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(USER, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "检查记录附件"
        verbose_name_plural = verbose_name
        ordering = ["inspection", "pk"]

    def __str__(self):
        return self.title
