"""重大行政决策: the annual catalogue, each decision's procedure and its records.

* ``Catalogue`` — one per government and year (MDEC-02): approved with the
  same-level Party committee's consent, published, adjusted during the year
  (``CatalogueAdjustment``; every adjustment is republished as a new
  ``CataloguePublication`` version) and its completion published at year end.
* ``CatalogueEntry`` — one matter of the catalogue: category (MDEC-01),
  承办单位 (MDEC-03), basis, which optional procedures it requires.
* ``Decision`` — one matter through its procedure (workflow.DECISION_WORKFLOW):
  启动 → 草案拟订 → 公众参与 → 专家论证 → 风险评估 → 合法性审查 →
  集体讨论决定 → 公布 → 执行 → 决策后评估 → 调整/停止. Each step keeps its
  own records (Consultation/Comment, ExpertReview/ExpertOpinion,
  RiskAssessment, LegalReview, Discussion/DiscussionVote, ExecutionReport,
  PostEvaluation, DecisionChange).
* ``Responsibility`` — lifetime accountability (MDEC-17): who acted, in what
  capacity, with their name/post/unit *as they were then*.

``Decision.unit`` is the deciding government (the catalogue's unit);
``Decision.sponsor_unit`` the 承办单位.

Computed deadlines are stored as ``<x>_due``/``<x>_provisional``/``<x>_rule``
(e.g. "MDEC-09 7个工作日").
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from fazhi.consultations.models import Adoption, Comment, Consultation  # noqa: F401  (公众参与 lives there)
from fazhi.core.models import TimeStamped

# ------------------------------------------------------------------ choices


class Category(models.TextChoices):
    """The five categories of decision matters (MDEC-01)."""

    PUBLIC_POLICY = "public_policy", "重大公共政策和措施"
    PLAN = "plan", "重要规划"
    RESOURCES = "resources", "自然资源和文化资源开发利用保护政策措施"
    PROJECT = "project", "重大公共建设项目"
    OTHER = "other", "其他重大事项"


class CatalogueStatus(models.TextChoices):
    DRAFT = "draft", "草拟"
    APPROVED = "approved", "已批准"
    PUBLISHED = "published", "已公布"


class Completion(models.TextChoices):
    """Year-end completion status of a catalogue entry (MDEC-02)."""

    PENDING = "", "未填报"
    COMPLETED = "completed", "已完成"
    IN_PROGRESS = "in_progress", "推进中"
    NOT_STARTED = "not_started", "未启动"
    CARRIED_OVER = "carried_over", "结转下年度"
    REMOVED = "removed", "已调出目录"


class AdjustmentKind(models.TextChoices):
    ADD = "add", "增加事项"
    REMOVE = "remove", "调出事项"
    CHANGE = "change", "变更事项"


class PublicationKind(models.TextChoices):
    CATALOGUE = "catalogue", "目录公布"
    ADJUSTMENT = "adjustment", "目录调整公布"
    COMPLETION = "completion", "年度完成情况公布"


class Status(models.TextChoices):
    LAUNCHED = "launched", "启动"
    DRAFTING = "drafting", "草案拟订"
    PARTICIPATION = "participation", "公众参与"
    EXPERT_REVIEW = "expert_review", "专家论证"
    RISK_ASSESSMENT = "risk_assessment", "风险评估"
    LEGAL_REVIEW = "legal_review", "合法性审查"
    DISCUSSION = "discussion", "集体讨论决定"
    DECIDED = "decided", "已决定待公布"
    PUBLISHED = "published", "已公布"
    EXECUTING = "executing", "执行中"
    EVALUATING = "evaluating", "决策后评估"
    ADJUSTED = "adjusted", "已调整"
    STOPPED = "stopped", "已停止"
    ABANDONED = "abandoned", "终止决策程序"


# Before the decision is made (procedure may still change the draft).
PRE_DECISION_STATES = (
    Status.LAUNCHED, Status.DRAFTING, Status.PARTICIPATION, Status.EXPERT_REVIEW,
    Status.RISK_ASSESSMENT, Status.LEGAL_REVIEW, Status.DISCUSSION,
)
# Published at some time (the portal shows these).
PUBLIC_STATES = (Status.PUBLISHED, Status.EXECUTING, Status.EVALUATING, Status.ADJUSTED, Status.STOPPED)


class PoolKind(models.TextChoices):
    DECISION = "decision", "决策咨询专家库"
    STABILITY = "stability", "社会稳定风险评估专家库"


class SelectionMethod(models.TextChoices):
    CHOICE = "choice", "指定选取"
    RANDOM = "random", "随机抽取"


class ExpertStance(models.TextChoices):
    AGREE = "agree", "同意"
    AGREE_WITH_CHANGES = "agree_changes", "修改后同意"
    DISAGREE = "disagree", "不同意"


class RiskLevel(models.TextChoices):
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


class LegalOpinion(models.TextChoices):
    LAWFUL = "lawful", "合法"
    LAWFUL_AFTER_CHANGES = "lawful_changes", "修改后合法"
    UNLAWFUL = "unlawful", "不合法"


class MeetingType(models.TextChoices):
    STANDING = "standing", "常务会议"
    PLENARY = "plenary", "全体会议"


class View(models.TextChoices):
    """A member's view at the collective discussion (MDEC-11)."""

    AGREE = "agree", "同意"
    DISAGREE = "disagree", "不同意"
    RESERVE = "reserve", "保留意见"


class HeadDecision(models.TextChoices):
    ADOPT = "adopt", "同意（通过）"
    ADOPT_WITH_CHANGES = "adopt_changes", "修改后通过"
    REJECT = "reject", "不同意（退回修改）"


class EvaluationConclusion(models.TextChoices):
    CONTINUE = "continue", "继续执行"
    ADJUST = "adjust", "调整"
    STOP = "stop", "停止执行"


class ChangeKind(models.TextChoices):
    ADJUST = "adjust", "调整"
    STOP = "stop", "停止执行"


class Step(models.TextChoices):
    """Procedure steps, in legal order (dossier and accountability order)."""

    LAUNCH = "launch", "启动"
    DRAFT = "draft", "草案拟订"
    PARTICIPATION = "participation", "公众参与"
    EXPERT_REVIEW = "expert_review", "专家论证"
    RISK_ASSESSMENT = "risk_assessment", "风险评估"
    LEGAL_REVIEW = "legal_review", "合法性审查"
    DISCUSSION = "discussion", "集体讨论决定"
    PUBLICATION = "publication", "公布"
    EXECUTION = "execution", "执行"
    POST_EVALUATION = "post_evaluation", "决策后评估"
    CHANGE = "change", "调整/停止"


STEP_ORDER = {s.value: i for i, s in enumerate(Step)}


class Capacity(models.TextChoices):
    """The capacity in which someone took part (MDEC-17)."""

    SPONSOR = "sponsor", "承办人"
    SPONSOR_HEAD = "sponsor_head", "承办单位负责人"
    DRAFTER = "drafter", "起草人"
    REVIEWER = "reviewer", "审核人"
    EXPERT = "expert", "专家"
    ASSESSOR = "assessor", "评估人"
    HOST = "host", "主持人"
    DECIDER = "decider", "决策人"
    ATTENDEE = "attendee", "参会人"
    PUBLISHER = "publisher", "公布经办人"
    IMPLEMENTER = "implementer", "执行人"
    EVALUATOR = "evaluator", "后评估组织人"
    RECORDER = "recorder", "经办人"


# ------------------------------------------------------------------ catalogue


class Catalogue(TimeStamped):
    """年度重大行政决策事项目录 of one government (MDEC-02)."""

    unit = models.ForeignKey("org.Unit", verbose_name="决策机关", on_delete=models.PROTECT,
                             related_name="decision_catalogues")
    year = models.PositiveIntegerField("年度")
    title = models.CharField("目录名称", max_length=200)
    status = models.CharField("状态", max_length=20, choices=CatalogueStatus.choices,
                              default=CatalogueStatus.DRAFT, db_index=True)
    party_consent_on = models.DateField("党委同意日期", null=True, blank=True)
    party_consent_note = models.CharField("党委同意情况", max_length=500, blank=True,
                                          help_text="如：经区委常委会会议同意（MDEC-02）")
    approved_on = models.DateField("批准日期", null=True, blank=True)
    approved_by_name = models.CharField("批准人", max_length=50, blank=True)
    published_on = models.DateField("公布日期", null=True, blank=True)
    version = models.PositiveIntegerField("当前公布版本", default=0)
    completion_published_on = models.DateField("年度完成情况公布日期", null=True, blank=True)
    completion_summary = models.TextField("年度完成情况说明", blank=True)

    class Meta:
        verbose_name = "重大行政决策事项目录"
        verbose_name_plural = verbose_name
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="md_catalogue_unit_year"),
            models.CheckConstraint(condition=~Q(title=""), name="md_catalogue_title_not_empty"),
            # Approval needs the Party committee's consent (MDEC-02).
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(approved_on__isnull=False) & Q(party_consent_on__isnull=False)),
                name="md_catalogue_approved_with_consent"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_on__isnull=False),
                name="md_catalogue_published_has_date"),
        ]

    def __str__(self):
        return self.title


class CatalogueEntry(TimeStamped):
    """One decision matter of the catalogue."""

    catalogue = models.ForeignKey(Catalogue, verbose_name="目录", on_delete=models.CASCADE, related_name="entries")
    seq = models.PositiveIntegerField("序号")
    title = models.CharField("事项名称", max_length=200)
    category = models.CharField("事项类别", max_length=20, choices=Category.choices)
    sponsor_unit = models.ForeignKey("org.Unit", verbose_name="承办单位", on_delete=models.PROTECT,
                                     related_name="decision_entries")
    basis = models.TextField("法律政策依据", blank=True)
    description = models.TextField("事项概述", blank=True)
    needs_participation = models.BooleanField("需公众参与", default=True)
    needs_expert_review = models.BooleanField("需专家论证", default=False)
    needs_risk_assessment = models.BooleanField("需风险评估", default=False)
    no_participation_reason = models.CharField("不公开征求意见理由", max_length=500, blank=True,
                                               help_text="依法不予公开的事项方可免于公众参与（MDEC-04）")
    expert_field = models.CharField("论证专业领域", max_length=50, blank=True)
    planned_completion = models.DateField("计划完成时间", null=True, blank=True)
    completion = models.CharField("年度完成情况", max_length=20, choices=Completion.choices,
                                  default=Completion.PENDING, blank=True)
    completion_note = models.CharField("完成情况说明", max_length=500, blank=True)
    removed = models.BooleanField("已调出", default=False)

    class Meta:
        verbose_name = "目录事项"
        verbose_name_plural = verbose_name
        ordering = ["catalogue", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "seq"], name="md_entry_seq_unique"),
            models.CheckConstraint(condition=~Q(title=""), name="md_entry_title_not_empty"),
        ]

    def __str__(self):
        return f"{self.seq}. {self.title}"

    @property
    def unit(self):
        return self.catalogue.unit

    @property
    def unit_id(self):
        return self.catalogue.unit_id

    def required_steps(self) -> list[str]:
        """Which procedures this matter requires, in legal order."""
        steps = []
        if self.needs_participation:
            steps.append(Step.PARTICIPATION.label)
        if self.needs_expert_review:
            steps.append(Step.EXPERT_REVIEW.label)
        if self.needs_risk_assessment:
            steps.append(Step.RISK_ASSESSMENT.label)
        steps += [Step.LEGAL_REVIEW.label, Step.DISCUSSION.label]
        return steps


class CatalogueAdjustment(TimeStamped):
    """An adjustment of the catalogue during the year (MDEC-02); republished."""

    catalogue = models.ForeignKey(Catalogue, verbose_name="目录", on_delete=models.CASCADE,
                                  related_name="adjustments")
    entry = models.ForeignKey(CatalogueEntry, verbose_name="事项", on_delete=models.PROTECT,
                              related_name="adjustments")
    kind = models.CharField("调整类型", max_length=10, choices=AdjustmentKind.choices)
    reason = models.TextField("调整理由")
    changes = models.JSONField("变更内容", default=dict, blank=True, help_text="{字段: [原值, 新值]}")
    adjusted_on = models.DateField("调整日期")
    party_consent_note = models.CharField("党委同意情况", max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_by_name = models.CharField("录入人姓名", max_length=50, blank=True)
    publication = models.ForeignKey("CataloguePublication", verbose_name="公布记录", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="adjustments")

    class Meta:
        verbose_name = "目录调整"
        verbose_name_plural = verbose_name
        ordering = ["catalogue", "adjusted_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="md_adjustment_reason_not_empty"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.entry.title}"

    @property
    def unit_id(self):
        return self.catalogue.unit_id


class CataloguePublication(models.Model):
    """A published version of the catalogue: the entries as published then."""

    catalogue = models.ForeignKey(Catalogue, verbose_name="目录", on_delete=models.CASCADE,
                                  related_name="publications")
    version = models.PositiveIntegerField("版本")
    kind = models.CharField("公布类型", max_length=20, choices=PublicationKind.choices)
    published_on = models.DateField("公布日期")
    note = models.TextField("公布说明", blank=True)
    snapshot = models.JSONField("公布内容", default=list, blank=True,
                                help_text="公布时的事项清单（序号、名称、类别、承办单位、依据、程序、计划完成时间、完成情况）")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "目录公布记录"
        verbose_name_plural = verbose_name
        ordering = ["catalogue", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["catalogue", "version"], name="md_publication_version_unique"),
        ]

    def __str__(self):
        return f"{self.catalogue.title} 第{self.version}版（{self.get_kind_display()}）"

    @property
    def unit_id(self):
        return self.catalogue.unit_id


# ------------------------------------------------------------------ decision


class Decision(TimeStamped):
    """One major administrative decision through its procedure."""

    unit = models.ForeignKey("org.Unit", verbose_name="决策机关", on_delete=models.PROTECT,
                             related_name="decisions")
    entry = models.ForeignKey(CatalogueEntry, verbose_name="目录事项", on_delete=models.PROTECT,
                              related_name="decisions")
    sponsor_unit = models.ForeignKey("org.Unit", verbose_name="承办单位", on_delete=models.PROTECT,
                                     related_name="decisions_sponsored")
    title = models.CharField("决策事项名称", max_length=200)
    category = models.CharField("事项类别", max_length=20, choices=Category.choices)
    status = models.CharField("程序状态", max_length=20, choices=Status.choices, default=Status.LAUNCHED,
                              db_index=True)
    # Required procedures, copied from the entry at launch (the entry may be adjusted later).
    needs_participation = models.BooleanField("需公众参与", default=True)
    needs_expert_review = models.BooleanField("需专家论证", default=False)
    needs_risk_assessment = models.BooleanField("需风险评估", default=False)
    expert_field = models.CharField("论证专业领域", max_length=50, blank=True)

    launched_on = models.DateField("启动日期")
    launch_note = models.TextField("决策启动说明", blank=True, help_text="决策事项建议的研究论证情况（MDEC-03）")
    draft_text = models.TextField("决策草案", blank=True)
    draft_explanation = models.TextField("起草说明", blank=True)
    draft_updated_on = models.DateField("草案修改日期", null=True, blank=True)
    touches_market = models.BooleanField("涉及市场主体经济活动", default=False)
    fair_competition_note = models.CharField("公平竞争审查情况", max_length=500, blank=True,
                                             help_text="涉及市场主体经济活动的，提交讨论时须说明（MDEC-10）")

    # 集体讨论决定 -> 公布
    decided_on = models.DateField("决定日期", null=True, blank=True)
    party_reported_on = models.DateField("向党委请示报告日期", null=True, blank=True,
                                         help_text="决策出台前向同级党委请示报告（MDEC-12）")
    published_on = models.DateField("公布日期", null=True, blank=True)
    decision_no = models.CharField("文号", max_length=120, blank=True)
    public_text = models.TextField("公布文本", blank=True)
    adoption_explanation = models.TextField("公众及专家意见采纳情况说明", blank=True)
    execution_unit = models.ForeignKey("org.Unit", verbose_name="执行单位", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="decisions_executed")
    execution_started_on = models.DateField("开始执行日期", null=True, blank=True)
    ended_on = models.DateField("停止/终止日期", null=True, blank=True)
    end_reason = models.TextField("停止/终止理由", blank=True)

    class Meta:
        verbose_name = "重大行政决策"
        verbose_name_plural = verbose_name
        ordering = ["-launched_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="md_decision_title_not_empty"),
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_STATES) | Q(published_on__isnull=False),
                name="md_decision_published_has_date"),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="md_decision_unit_status"),
            models.Index(fields=["sponsor_unit", "status"], name="md_decision_sponsor_status"),
        ]

    def __str__(self):
        return self.title

    def required_steps(self) -> list[str]:
        steps = []
        if self.needs_participation:
            steps.append(Step.PARTICIPATION)
        if self.needs_expert_review:
            steps.append(Step.EXPERT_REVIEW)
        if self.needs_risk_assessment:
            steps.append(Step.RISK_ASSESSMENT)
        return steps + [Step.LEGAL_REVIEW, Step.DISCUSSION]


# 公众参与 (MDEC-04)


# 专家论证 (MDEC-06)


class ExpertPool(TimeStamped):
    """决策咨询专家库 or 社会稳定风险评估专家库 of a government."""

    unit = models.ForeignKey("org.Unit", verbose_name="管理单位", on_delete=models.PROTECT,
                             related_name="expert_pools")
    kind = models.CharField("专家库类型", max_length=20, choices=PoolKind.choices)
    name = models.CharField("名称", max_length=100)

    class Meta:
        verbose_name = "专家库"
        verbose_name_plural = verbose_name
        ordering = ["unit__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind"], name="md_pool_unit_kind"),
        ]

    def __str__(self):
        return self.name


class Expert(TimeStamped):
    pool = models.ForeignKey(ExpertPool, verbose_name="专家库", on_delete=models.PROTECT, related_name="experts")
    name = models.CharField("姓名", max_length=50)
    fields = models.JSONField("专业领域", default=list, blank=True)
    affiliation = models.CharField("工作单位", max_length=200, blank=True)
    title = models.CharField("职称/职务", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    conflict_units = models.ManyToManyField("org.Unit", verbose_name="回避单位", blank=True,
                                            related_name="conflicted_experts",
                                            help_text="与专家有直接利害关系、专家不得参与论证其事项的单位（MDEC-06）")
    is_active = models.BooleanField("在库", default=True)

    class Meta:
        verbose_name = "专家"
        verbose_name_plural = verbose_name
        ordering = ["pool", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="md_expert_name_not_empty"),
        ]

    def __str__(self):
        return self.name

    @property
    def unit_id(self):
        return self.pool.unit_id

    @property
    def field_list(self) -> list[str]:
        return [f for f in (self.fields or []) if f]


class ExpertReview(TimeStamped):
    """专家论证 of a decision: who was selected, how, and their signed opinions."""

    decision = models.ForeignKey(Decision, verbose_name="决策", on_delete=models.CASCADE,
                                 related_name="expert_reviews")
    pool = models.ForeignKey(ExpertPool, verbose_name="专家库", on_delete=models.PROTECT, related_name="reviews")
    field = models.CharField("专业领域", max_length=50)
    method = models.CharField("选取方式", max_length=10, choices=SelectionMethod.choices)
    choice_reason = models.CharField("指定理由", max_length=500, blank=True)
    # Random draws since fazhi-draw/2 live in ``ExpertDraw`` (commit, then reveal; verified by
    # draw_verify). ``seed`` is only kept for reviews drawn before (SHA-256("seed:id") order,
    # selectors.verify_draw); ``candidates`` and ``draw_count`` describe the current draw.
    seed = models.CharField("随机种子（旧版）", max_length=128, blank=True)
    candidates = models.JSONField("候选专家（ID，按序）", default=list, blank=True)
    excluded = models.JSONField("回避排除（ID与理由）", default=list, blank=True)
    draw_count = models.PositiveSmallIntegerField("抽取人数", default=0)
    selected_on = models.DateField("选取日期")
    held_on = models.DateField("论证日期", null=True, blank=True)
    summary = models.TextField("论证意见汇总及采纳情况", blank=True)
    completed_on = models.DateField("完成日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "专家论证"
        verbose_name_plural = verbose_name
        ordering = ["decision", "-selected_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision"], condition=Q(completed_on__isnull=True),
                                    name="md_one_open_expert_review"),
        ]

    def __str__(self):
        return f"{self.decision.title} 专家论证"

    @property
    def unit_id(self):
        return self.decision.unit_id


class ExpertDrawStatus(models.TextChoices):
    COMMITTED = "committed", "已承诺（待揭示）"
    DRAWN = "drawn", "已抽取"
    SUPERSEDED = "superseded", "已重新抽取"


class ExpertDraw(TimeStamped):
    """One verifiable random draw of a review's experts (MDEC-06): the same
    algorithm, commitment and verifier as the inspection draws
    (``fazhi-draw/2``, docs/draw-algorithm.md, ``manage.py draw_verify``).

    ``commit`` fixes the candidates (``objects.tsv``: one line per eligible
    expert id) and the parameters (``params``: review, pool, field, count,
    exclusions) and records ``commitment``; nobody chooses the seed — the
    server's seed is derived from ``SECRET_KEY`` and ``seed_salt`` and
    revealed by ``reveal``. A redraw before the review is complete supersedes
    the previous draw with a reason (``number`` counts them); after the
    review is complete no draw is possible.
    """

    review = models.ForeignKey(ExpertReview, verbose_name="专家论证", on_delete=models.CASCADE, related_name="draws")
    number = models.PositiveSmallIntegerField("第几次抽取")
    reason = models.CharField("重新抽取理由", max_length=500, blank=True)
    status = models.CharField("状态", max_length=12, choices=ExpertDrawStatus.choices,
                              default=ExpertDrawStatus.COMMITTED)
    algorithm_version = models.CharField("算法版本", max_length=40)
    seed_salt = models.CharField("服务器种子盐值", max_length=32, editable=False)
    server_commitment = models.CharField("服务器种子承诺值", max_length=64)
    commitment = models.CharField("承诺值", max_length=64)
    candidates = models.JSONField("候选专家（ID）", default=list)
    objects_hash = models.CharField("候选名单哈希", max_length=64)
    params = models.JSONField("冻结参数", default=dict)
    params_hash = models.CharField("冻结参数哈希", max_length=64)
    committed_at = models.DateTimeField("承诺时间")
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="承诺人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    seed = models.CharField("揭示的服务器种子", max_length=64, blank=True)
    final_seed = models.CharField("最终种子", max_length=64, blank=True)
    selected = models.JSONField("抽中专家（ID，按抽取顺序）", default=list, blank=True)
    receipt = models.JSONField("抽取凭证", null=True, blank=True)
    receipt_sha256 = models.CharField("凭证哈希", max_length=64, blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="抽取人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "专家随机抽取"
        verbose_name_plural = verbose_name
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="md_expert_draw_number"),
            models.CheckConstraint(condition=Q(commitment__regex=r"^[0-9a-f]{64}$"), name="md_expert_draw_commitment"),
            models.CheckConstraint(condition=Q(number=1) | ~Q(reason=""), name="md_expert_redraw_reason"),
            models.CheckConstraint(condition=Q(status="committed") | (~Q(seed="") & Q(drawn_at__isnull=False)),
                                   name="md_expert_draw_revealed"),
        ]

    def __str__(self):
        return f"{self.review} 第{self.number}次抽取"


class ExpertOpinion(TimeStamped):
    """One selected expert and their signed written opinion (MDEC-06)."""

    review = models.ForeignKey(ExpertReview, verbose_name="专家论证", on_delete=models.CASCADE,
                               related_name="opinions")
    expert = models.ForeignKey(Expert, verbose_name="专家", on_delete=models.PROTECT, related_name="opinions")
    expert_name = models.CharField("专家姓名", max_length=50)
    expert_affiliation = models.CharField("工作单位", max_length=200, blank=True)
    expert_title = models.CharField("职称/职务", max_length=100, blank=True)
    stance = models.CharField("论证结论", max_length=20, choices=ExpertStance.choices, blank=True)
    opinion = models.TextField("书面论证意见", blank=True)
    signed = models.BooleanField("已签名", default=False)
    signed_on = models.DateField("签署日期", null=True, blank=True)
    handling = models.TextField("采纳情况", blank=True)

    class Meta:
        verbose_name = "专家论证意见"
        verbose_name_plural = verbose_name
        ordering = ["review", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "expert"], name="md_opinion_expert_unique"),
            models.CheckConstraint(condition=Q(signed=False) | (Q(signed_on__isnull=False) & ~Q(opinion="")),
                                   name="md_opinion_signed_has_text"),
        ]

    def __str__(self):
        return f"{self.expert_name}：{self.get_stance_display() or '待提交'}"


# 风险评估 (MDEC-07)


class RiskAssessment(TimeStamped):
    decision = models.ForeignKey(Decision, verbose_name="决策", on_delete=models.CASCADE,
                                 related_name="risk_assessments")
    assessor = models.CharField("评估主体", max_length=200)
    experts = models.ManyToManyField(Expert, verbose_name="参与评估专家", blank=True, related_name="risk_assessments")
    assessed_on = models.DateField("评估日期")
    level = models.CharField("风险等级", max_length=10, choices=RiskLevel.choices)
    risk_points = models.TextField("风险点")
    measures = models.TextField("防范化解措施")
    contingency_plan = models.TextField("应急处置预案", blank=True)
    report = models.TextField("评估报告", blank=True)
    mitigation = models.TextField("风险化解/草案调整情况", blank=True)
    mitigated_on = models.DateField("化解措施记录日期", null=True, blank=True)
    residual_level = models.CharField("化解后风险等级", max_length=10, choices=RiskLevel.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "风险评估"
        verbose_name_plural = verbose_name
        ordering = ["decision", "-assessed_on", "-pk"]

    def __str__(self):
        return f"{self.decision.title} 风险评估（{self.get_level_display()}）"

    @property
    def unit_id(self):
        return self.decision.unit_id

    @property
    def effective_level(self) -> str:
        return self.residual_level or self.level

    @property
    def blocking(self) -> bool:
        """高 risk blocks the decision until mitigated and reassessed below 高 (MDEC-07)."""
        return self.effective_level == RiskLevel.HIGH


# 合法性审查 (MDEC-08, MDEC-09)


class LegalReview(TimeStamped):
    decision = models.ForeignKey(Decision, verbose_name="决策", on_delete=models.CASCADE,
                                 related_name="legal_reviews")
    submitted_on = models.DateField("送审日期")
    materials = models.JSONField("送审材料", default=list, blank=True)
    procedures_account = models.TextField("履行决策程序情况说明", blank=True)
    due = models.DateField("审查期限（不早于）")
    due_provisional = models.BooleanField("期限为暂定", default=False)
    due_rule = models.CharField("期限规则", max_length=80)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="送审人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审查人账号", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    reviewer_name = models.CharField("审查人", max_length=50, blank=True)
    opinion = models.CharField("审查意见", max_length=20, choices=LegalOpinion.choices, blank=True)
    text = models.TextField("合法性审查意见书", blank=True)
    decided_on = models.DateField("审查日期", null=True, blank=True)

    class Meta:
        verbose_name = "合法性审查"
        verbose_name_plural = verbose_name
        ordering = ["decision", "-submitted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision"], condition=Q(opinion=""), name="md_one_pending_legal_review"),
            models.CheckConstraint(condition=Q(due__gte=models.F("submitted_on")), name="md_legal_review_due"),
        ]

    def __str__(self):
        return f"{self.decision.title} 合法性审查（{self.get_opinion_display() or '审查中'}）"

    @property
    def unit_id(self):
        return self.decision.unit_id

    @property
    def passed(self) -> bool:
        return self.opinion in (LegalOpinion.LAWFUL, LegalOpinion.LAWFUL_AFTER_CHANGES)


# 集体讨论决定 (MDEC-10, MDEC-11)


class Discussion(TimeStamped):
    decision = models.ForeignKey(Decision, verbose_name="决策", on_delete=models.CASCADE, related_name="discussions")
    meeting_type = models.CharField("会议类型", max_length=20, choices=MeetingType.choices)
    meeting_name = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("会议日期")
    host = models.ForeignKey("org.Person", verbose_name="主持人", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    head = models.ForeignKey("org.Person", verbose_name="行政首长", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    head_decision = models.CharField("行政首长决定", max_length=20, choices=HeadDecision.choices)
    against_majority = models.BooleanField("与多数意见不一致", default=False)
    head_reasons = models.TextField("不一致的理由", blank=True)
    minutes = models.TextField("会议纪要", blank=True)
    package = models.JSONField("提交审议材料", default=list, blank=True, help_text="MDEC-10 清单")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "集体讨论决定"
        verbose_name_plural = verbose_name
        ordering = ["decision", "-held_on", "-pk"]
        constraints = [
            # MDEC-11: a head's decision against the majority states its reasons.
            models.CheckConstraint(condition=Q(against_majority=False) | ~Q(head_reasons=""),
                                   name="md_discussion_reasons_against_majority"),
        ]

    def __str__(self):
        return f"{self.meeting_name}（{self.held_on}）：{self.get_head_decision_display()}"

    @property
    def unit_id(self):
        return self.decision.unit_id


class DiscussionVote(models.Model):
    """One member's view at the meeting, faithfully recorded (MDEC-11)."""

    discussion = models.ForeignKey(Discussion, verbose_name="集体讨论", on_delete=models.CASCADE,
                                   related_name="votes")
    person = models.ForeignKey("org.Person", verbose_name="人员", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=100, blank=True)
    view = models.CharField("意见", max_length=10, choices=View.choices)
    remarks = models.TextField("发表意见", blank=True)

    class Meta:
        verbose_name = "参会人员意见"
        verbose_name_plural = verbose_name
        ordering = ["discussion", "pk"]

    def __str__(self):
        return f"{self.name}：{self.get_view_display()}"


# 执行、后评估、调整/停止 (MDEC-15, MDEC-16)


class ExecutionReport(TimeStamped):
    decision = models.ForeignKey(Decision, verbose_name="决策", on_delete=models.CASCADE,
                                 related_name="execution_reports")
    reported_on = models.DateField("报告日期")
    reporting_unit = models.ForeignKey("org.Unit", verbose_name="报告单位", on_delete=models.PROTECT,
                                       related_name="+")
    content = models.TextField("执行情况")
    problems = models.TextField("存在问题及建议", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "执行情况报告"
        verbose_name_plural = verbose_name
        ordering = ["decision", "reported_on", "pk"]

    def __str__(self):
        return f"{self.decision.title} 执行情况（{self.reported_on}）"

    @property
    def unit_id(self):
        return self.decision.unit_id


class PostEvaluation(TimeStamped):
    decision = models.ForeignKey(Decision, verbose_name="决策", on_delete=models.CASCADE,
                                 related_name="post_evaluations")
    reason = models.TextField("启动评估原因")
    started_on = models.DateField("启动日期")
    due_on = models.DateField("计划完成日期", null=True, blank=True)
    third_party = models.BooleanField("委托第三方", default=False)
    evaluator = models.CharField("评估主体", max_length=200)
    participants = models.TextField("人大代表、政协委员等参与情况", blank=True)
    report = models.TextField("评估报告", blank=True)
    conclusion = models.CharField("评估结论", max_length=20, choices=EvaluationConclusion.choices, blank=True)
    finished_on = models.DateField("完成日期", null=True, blank=True)
    # Only a published evaluation (report and conclusion) is shown on the portal.
    published_on = models.DateField("公开日期", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "决策后评估"
        verbose_name_plural = verbose_name
        ordering = ["decision", "-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision"], condition=Q(finished_on__isnull=True),
                                    name="md_one_open_post_evaluation"),
            # Only a finished evaluation can be published.
            models.CheckConstraint(condition=Q(published_on__isnull=True) | Q(finished_on__isnull=False),
                                   name="md_post_evaluation_published_finished"),
        ]

    def __str__(self):
        return f"{self.decision.title} 决策后评估"

    @property
    def unit_id(self):
        return self.decision.unit_id


class DecisionChange(TimeStamped):
    """调整 or 停止执行 of a published decision, with its reasons (MDEC-16)."""

    decision = models.ForeignKey(Decision, verbose_name="决策", on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField("类型", max_length=10, choices=ChangeKind.choices)
    reason = models.TextField("理由")
    content = models.TextField("调整内容", blank=True)
    decided_on = models.DateField("决定日期")
    emergency = models.BooleanField("紧急情况先行暂停", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "决策调整/停止"
        verbose_name_plural = verbose_name
        ordering = ["decision", "decided_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="md_change_reason_not_empty"),
        ]

    def __str__(self):
        return f"{self.decision.title} {self.get_kind_display()}"

    @property
    def unit_id(self):
        return self.decision.unit_id


# ------------------------------------------------------------------ attachments (MDEC-14)


class AttachmentStep(models.TextChoices):
    """The procedure step an attachment belongs to. Values are those of
    ``Step`` (and of the dossier's sections) where the step exists there."""

    DRAFT = "draft", "草案"
    PARTICIPATION = "participation", "征求意见"
    EXPERT_REVIEW = "expert_review", "专家论证"
    RISK_ASSESSMENT = "risk_assessment", "风险评估"
    LEGAL_REVIEW = "legal_review", "合法性审查"
    DISCUSSION = "discussion", "集体讨论"
    PUBLICATION = "publication", "公布"
    EXECUTION = "execution", "执行"
    POST_EVALUATION = "post_evaluation", "后评估"
    OTHER = "other", "其他"


def attachment_upload_to(instance, filename):
    # The stored name never contains the user's file name (shown from original_name).
    return f"major_decisions/{instance.decision_id}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class Attachment(models.Model):
    """A file of the decision's record (scan of a signed opinion, minutes,
    the published document…), filed under its step; packed into the
    dossier zip with its SHA-256 (MDEC-14)."""

    decision = models.ForeignKey(Decision, verbose_name="决策", on_delete=models.PROTECT,
                                 related_name="attachments")
    step = models.CharField("程序环节", max_length=20, choices=AttachmentStep.choices)
    title = models.CharField("材料名称", max_length=200)
    file = models.FileField("文件", upload_to=attachment_upload_to, max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    extension = models.CharField("扩展名", max_length=10)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_by_name = models.CharField("上传人姓名", max_length=50)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "决策附件"
        verbose_name_plural = verbose_name
        ordering = ["decision", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="md_attachment_sha256"),
            models.CheckConstraint(condition=~Q(title=""), name="md_attachment_title_not_empty"),
            models.UniqueConstraint(fields=["decision", "step", "sha256"], name="md_attachment_once_per_step"),
        ]

    def __str__(self):
        return f"{self.get_step_display()}：{self.title}"

    @property
    def unit_id(self):
        return self.decision.unit_id


# ------------------------------------------------------------------ accountability


class Responsibility(models.Model):
    """Who took part in which step, in what capacity, as they were then (MDEC-17).

    ``person`` links to the staff record (or ``expert`` to the pool); name,
    post and unit are snapshots that never change when the person moves.
    """

    decision = models.ForeignKey(Decision, verbose_name="决策", on_delete=models.CASCADE,
                                 related_name="responsibilities")
    step = models.CharField("程序环节", max_length=20, choices=Step.choices)
    capacity = models.CharField("角色", max_length=20, choices=Capacity.choices)
    person = models.ForeignKey("org.Person", verbose_name="人员", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="decision_responsibilities")
    expert = models.ForeignKey(Expert, verbose_name="专家", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="responsibilities")
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("时任职务", max_length=100, blank=True)
    unit_name = models.CharField("时任单位", max_length=200, blank=True)
    unit_at_time = models.ForeignKey("org.Unit", verbose_name="时任单位（记录）", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    acted_on = models.DateField("日期")
    dissent = models.BooleanField("持不同意见", default=False,
                                  help_text="发表并记录不同意见的，可依法减轻或免除责任（MDEC-17）")
    note = models.CharField("说明", max_length=500, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        verbose_name = "决策责任人"
        verbose_name_plural = verbose_name
        ordering = ["decision", "acted_on", "pk"]
        indexes = [
            models.Index(fields=["person", "acted_on"], name="md_resp_person"),
            models.Index(fields=["expert"], name="md_resp_expert"),
        ]

    def __str__(self):
        return f"{self.name}（{self.get_capacity_display()}，{self.get_step_display()}）"

    @property
    def unit_id(self):
        return self.decision.unit_id
