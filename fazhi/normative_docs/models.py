"""行政规范性文件: the document, its text versions and every procedure record.

One ``NormDoc`` is one document through one procedure: drafted, consulted,
reviewed, discussed, signed, registered, numbered, published, filed. An
amendment (修改) is a *new* NormDoc with ``amendment_of`` pointing at the
document it amends: it has its own procedure, numbers and filing (a 修改决定
is itself a normative document), and when it is published the amended one
becomes 已修改. Within one procedure the text may change (e.g. after a
legality review "修改后通过"): each change is a ``DocVersion``.

``status`` is the procedure state (workflow.DOC_WORKFLOW); ``filing_status``
runs in parallel once the document is published (workflow.FILING_WORKFLOW).
"施行" is not stored: a published document is in force from ``effective_on``
to ``valid_until`` (both inclusive) — see ``NormDoc.in_force_on``.

Every computed deadline is stored as three fields: ``<x>_due``,
``<x>_provisional`` (the workdays calendar of its years was not confirmed)
and ``<x>_rule`` (the rule ID and value used, e.g. "NDOC-12 15个自然日").
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from fazhi.consultations.models import Adoption, Comment, Consultation  # noqa: F401  (征求意见 lives there)
from fazhi.core.models import TimeStamped


class Status(models.TextChoices):
    DRAFTING = "drafting", "起草"
    CONSULTING = "consulting", "征求意见"
    FAIR_REVIEW = "fair_review", "公平竞争审查"
    LEGAL_REVIEW = "legal_review", "合法性审查"
    DISCUSSION = "discussion", "集体讨论"
    TO_SIGN = "to_sign", "待签发"
    SIGNED = "signed", "已签发"
    REGISTERED = "registered", "已登记编号"
    PUBLISHED = "published", "已公布"
    AMENDED = "amended", "已修改"
    REPEALED = "repealed", "废止"
    EXPIRED = "expired", "失效"
    ABANDONED = "abandoned", "终止制定"


# Before publication: the document is a draft and can never serve as a basis.
PROCEDURE_STATES = (
    Status.DRAFTING, Status.CONSULTING, Status.FAIR_REVIEW, Status.LEGAL_REVIEW,
    Status.DISCUSSION, Status.TO_SIGN, Status.SIGNED, Status.REGISTERED,
)
# Published at some time (the public library shows these).
PUBLIC_STATES = (Status.PUBLISHED, Status.AMENDED, Status.REPEALED, Status.EXPIRED)


class FilingStatus(models.TextChoices):
    NOT_FILED = "not_filed", "未报备"
    FILED = "filed", "已报备"
    RETURNED = "returned", "退回补正"
    ACCEPTED = "accepted", "审查中"
    REVIEWED = "reviewed", "审查完毕"
    CORRECTING = "correcting", "纠错中"
    CORRECTED = "corrected", "已纠正"


class IssuerLevel(models.TextChoices):
    """Who issues: decides which meeting may adopt it (NDOC-09)."""

    GOVERNMENT = "government", "人民政府"
    GOV_OFFICE = "gov_office", "人民政府办公室"
    DEPARTMENT = "department", "政府部门"
    TOWN = "town", "乡镇人民政府/街道办事处"


class MeetingType(models.TextChoices):
    STANDING = "standing", "常务会议"
    PLENARY = "plenary", "全体会议"
    OFFICE = "office", "办公会议"
    TOWN = "town", "乡镇长办公会议"


class IssuerCode(TimeStamped):
    """An issuing organ's 机关代字 for 文号 and its registration prefix.

    Example: 区人民政府 -> number_prefix "示范府发" (示范府发〔2026〕3号),
    registration_prefix "SFGS" (SFGS-2026-003). Both series are allocated by
    ``fazhi.core.models.allocate_number`` (gap-free, per prefix and year).
    """

    unit = models.OneToOneField("org.Unit", verbose_name="发文机关", on_delete=models.PROTECT,
                                related_name="normdoc_code")
    number_prefix = models.CharField("机关代字", max_length=50, unique=True)
    registration_prefix = models.CharField("登记号前缀", max_length=20, unique=True)

    class Meta:
        verbose_name = "发文机关代字"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(condition=~Q(number_prefix=""), name="nd_issuercode_prefix_not_empty"),
            models.CheckConstraint(condition=~Q(registration_prefix=""), name="nd_issuercode_reg_not_empty"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.number_prefix} · {self.registration_prefix}"


class NormDoc(TimeStamped):
    unit = models.ForeignKey("org.Unit", verbose_name="起草单位", on_delete=models.PROTECT,
                             related_name="normdocs_drafted")
    issuer = models.ForeignKey("org.Unit", verbose_name="制定机关", on_delete=models.PROTECT,
                               related_name="normdocs_issued")
    issuer_level = models.CharField("制定机关层级", max_length=20, choices=IssuerLevel.choices)
    title = models.CharField("文件名称", max_length=200)
    touches_market = models.BooleanField("涉及市场主体权利义务", default=False)
    drafter = models.ForeignKey("org.Person", verbose_name="起草人", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    drafter_name = models.CharField("起草人姓名", max_length=50, blank=True)
    explanation = models.TextField("起草说明", blank=True)
    legal_basis = models.TextField("制定依据", blank=True)
    status = models.CharField("程序状态", max_length=20, choices=Status.choices, default=Status.DRAFTING,
                              db_index=True)
    amendment_of = models.ForeignKey("self", verbose_name="所修改的文件", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="amendments")
    current_version = models.ForeignKey("DocVersion", verbose_name="当前文本", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")

    # 集体讨论 -> 公布 within 20 WD (NDOC-20)
    adopted_on = models.DateField("审议通过日期", null=True, blank=True)
    publication_due = models.DateField("公布期限", null=True, blank=True)
    publication_provisional = models.BooleanField("公布期限为暂定", default=False)
    publication_rule = models.CharField("公布期限规则", max_length=80, blank=True)

    # 签发
    signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="签发人账号", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    signer_name = models.CharField("签发人", max_length=50, blank=True)
    signer_post = models.CharField("签发人职务", max_length=100, blank=True)

    # 统一登记、统一编号 (NDOC-10)
    registration_no = models.CharField("登记号", max_length=60, blank=True)
    doc_number = models.CharField("文号", max_length=120, blank=True)
    registered_on = models.DateField("登记日期", null=True, blank=True)

    # 统一公布 and the legal life
    published_on = models.DateField("公布日期", null=True, blank=True)
    effective_on = models.DateField("施行日期", null=True, blank=True)
    urgent_reason = models.CharField("立即施行理由", max_length=500, blank=True,
                                     help_text="公布之日起不满30日施行时必须说明（NDOC-11）")
    is_trial = models.BooleanField("试行/暂行", default=False)
    valid_until = models.DateField("有效期至", null=True, blank=True, help_text="有效期最后一日（含）")
    validity_rule = models.CharField("有效期规则", max_length=80, blank=True)
    renewed_count = models.PositiveSmallIntegerField("延续次数", default=0)
    previous_numbers = models.JSONField("此前登记号/文号", default=list, blank=True)
    repealed_on = models.DateField("废止日期", null=True, blank=True)
    expired_on = models.DateField("失效日期", null=True, blank=True)
    end_reason = models.CharField("废止/失效原因", max_length=500, blank=True)

    # 报备 (parallel to the legal life)
    filing_status = models.CharField("报备状态", max_length=20, choices=FilingStatus.choices,
                                     default=FilingStatus.NOT_FILED, db_index=True)
    filing_due = models.DateField("报备期限", null=True, blank=True)
    filing_provisional = models.BooleanField("报备期限为暂定", default=False)
    filing_rule = models.CharField("报备期限规则", max_length=80, blank=True)

    class Meta:
        verbose_name = "行政规范性文件"
        verbose_name_plural = verbose_name
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["doc_number"], condition=~Q(doc_number=""),
                                    name="nd_doc_number_unique"),
            models.UniqueConstraint(fields=["registration_no"], condition=~Q(registration_no=""),
                                    name="nd_registration_no_unique"),
            # One amendment in procedure per document at a time.
            models.UniqueConstraint(fields=["amendment_of"], condition=Q(status__in=PROCEDURE_STATES),
                                    name="nd_one_open_amendment"),
            models.CheckConstraint(condition=~Q(title=""), name="nd_doc_title_not_empty"),
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True) | Q(published_on__isnull=True)
                | Q(effective_on__gte=models.F("published_on")),
                name="nd_effective_after_publication"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(effective_on__isnull=True)
                | Q(valid_until__gte=models.F("effective_on")),
                name="nd_valid_until_after_effective"),
            # A published document has its numbers and dates (NDOC-10).
            models.CheckConstraint(
                condition=~Q(status__in=PUBLIC_STATES)
                | (Q(published_on__isnull=False) & ~Q(doc_number="") & ~Q(registration_no="")),
                name="nd_published_has_numbers"),
        ]
        indexes = [
            models.Index(fields=["status", "valid_until"], name="nd_doc_status_valid"),
            models.Index(fields=["filing_status", "filing_due"], name="nd_doc_filing_due"),
            models.Index(fields=["issuer", "published_on"], name="nd_doc_issuer_pub"),
        ]

    def __str__(self):
        return f"{self.title}（{self.doc_number}）" if self.doc_number else self.title

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATES

    def in_force_on(self, day: date) -> bool:
        """Published, effective and not yet ended on ``day`` (NDOC-02, NDOC-17)."""
        return (
            self.status == Status.PUBLISHED
            and self.effective_on is not None
            and self.effective_on <= day
            and (self.valid_until is None or day <= self.valid_until)
        )

    def life_label(self, day: date) -> str:
        """The public badge: 有效 / 尚未施行 / 已修改 / 废止 / 失效, or the procedure state."""
        if self.status == Status.PUBLISHED:
            if self.effective_on and day < self.effective_on:
                return "尚未施行"
            if self.valid_until and day > self.valid_until:
                return "失效"
            return "有效"
        return self.get_status_display()


class DocVersion(models.Model):
    """One text of a document. ``articles``: [{"no": "第一条", "chapter": "", "text": "…"}]."""

    doc = models.ForeignKey(NormDoc, verbose_name="文件", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    text = models.TextField("全文")
    articles = models.JSONField("条文", default=list, blank=True)
    note = models.CharField("修改说明", max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_by_name = models.CharField("提交人姓名", max_length=50, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)

    class Meta:
        verbose_name = "文件文本版本"
        verbose_name_plural = verbose_name
        ordering = ["doc", "number"]
        constraints = [
            models.UniqueConstraint(fields=["doc", "number"], name="nd_version_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="nd_version_positive"),
        ]

    def __str__(self):
        return f"{self.doc.title} 第{self.number}版"


class FairCompetitionReview(TimeStamped):
    """公平竞争审查 (NDOC-06): a failed review blocks issuance."""

    doc = models.ForeignKey(NormDoc, verbose_name="文件", on_delete=models.CASCADE,
                            related_name="fair_reviews")
    reviewing_unit = models.ForeignKey("org.Unit", verbose_name="审查单位", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")
    reviewing_unit_name = models.CharField("审查单位名称", max_length=100)
    passed = models.BooleanField("审查通过")
    opinion = models.TextField("审查意见")
    reviewed_on = models.DateField("审查日期")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "公平竞争审查"
        verbose_name_plural = verbose_name
        ordering = ["doc", "-reviewed_on", "-pk"]

    def __str__(self):
        return f"{self.doc.title} 公平竞争审查：{'通过' if self.passed else '不通过'}"


class LegalOpinion(models.TextChoices):
    PASS = "pass", "通过"
    PASS_WITH_CHANGES = "pass_changes", "修改后通过"
    REJECT = "reject", "不予通过"


class LegalReview(TimeStamped):
    """合法性审核 by the legal-affairs office (NDOC-07, window NDOC-08)."""

    doc = models.ForeignKey(NormDoc, verbose_name="文件", on_delete=models.CASCADE, related_name="legal_reviews")
    version = models.ForeignKey(DocVersion, verbose_name="送审稿", on_delete=models.PROTECT, related_name="+")
    accepted_on = models.DateField("受理日期")
    due = models.DateField("审核期限")
    due_provisional = models.BooleanField("期限为暂定", default=False)
    due_rule = models.CharField("期限规则", max_length=80)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="送审人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审核人账号", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    reviewer_name = models.CharField("审核人", max_length=50, blank=True)
    reviewer_post = models.CharField("审核人职务", max_length=100, blank=True)
    reviewer_unit = models.CharField("审核人单位", max_length=100, blank=True)
    opinion = models.CharField("审核意见", max_length=20, choices=LegalOpinion.choices, blank=True)
    text = models.TextField("审核意见书", blank=True)
    decided_on = models.DateField("审核日期", null=True, blank=True)

    class Meta:
        verbose_name = "合法性审核"
        verbose_name_plural = verbose_name
        ordering = ["doc", "-accepted_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["doc"], condition=Q(opinion=""), name="nd_one_pending_legal_review"),
            models.CheckConstraint(condition=Q(due__gte=models.F("accepted_on")), name="nd_legal_review_due"),
        ]

    def __str__(self):
        return f"{self.doc.title} 合法性审核（{self.get_opinion_display() or '审核中'}）"

    @property
    def passed(self) -> bool:
        return self.opinion in (LegalOpinion.PASS, LegalOpinion.PASS_WITH_CHANGES)


class DiscussionOutcome(models.TextChoices):
    ADOPTED = "adopted", "通过"
    ADOPTED_WITH_CHANGES = "adopted_changes", "修改后通过"
    REJECTED = "rejected", "不通过"


class Discussion(TimeStamped):
    """集体讨论决定 (NDOC-09)."""

    doc = models.ForeignKey(NormDoc, verbose_name="文件", on_delete=models.CASCADE, related_name="discussions")
    meeting_type = models.CharField("会议类型", max_length=20, choices=MeetingType.choices)
    meeting_name = models.CharField("会议名称", max_length=200)
    held_on = models.DateField("会议日期")
    outcome = models.CharField("审议结果", max_length=20, choices=DiscussionOutcome.choices)
    # The head of the issuing organ who chaired the meeting (SYS-02, checked on ``held_on``).
    chair = models.ForeignKey("org.Person", verbose_name="会议主持人", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    chair_name = models.CharField("会议主持人姓名", max_length=50, blank=True)
    minutes = models.TextField("会议纪要", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "集体讨论"
        verbose_name_plural = verbose_name
        ordering = ["doc", "-held_on", "-pk"]

    def __str__(self):
        return f"{self.meeting_name}（{self.held_on}）：{self.get_outcome_display()}"


PACKAGE_ITEMS = {
    "report": "备案报告",
    "text": "正式文本",
    "explanation": "起草说明",
    "legal_opinion": "合法性审核意见",
    "basis": "制定依据",
}


class Filing(TimeStamped):
    """报备 to the higher government's legal-affairs office (NDOC-12, NDOC-14).

    One row per submission: a package returned for correction (退回补正)
    keeps its row and the corrected package is a new row.
    """

    class State(models.TextChoices):
        FILED = "filed", "已报备"
        RETURNED = "returned", "退回补正"
        ACCEPTED = "accepted", "已受理"
        REVIEWED = "reviewed", "审查完毕"

    doc = models.ForeignKey(NormDoc, verbose_name="文件", on_delete=models.CASCADE, related_name="filings")
    to_unit = models.ForeignKey("org.Unit", verbose_name="备案审查机关", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    to_name = models.CharField("备案审查机关名称", max_length=100)
    filed_on = models.DateField("报备日期")
    due = models.DateField("报备期限")
    on_time = models.BooleanField("按期报备")
    package = models.JSONField("报备材料", default=dict, help_text="{item: true} 见 PACKAGE_ITEMS")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报备人", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.FILED)
    return_reason = models.TextField("退回补正理由", blank=True)
    returned_on = models.DateField("退回补正日期", null=True, blank=True)
    receipt_no = models.CharField("受理回执号", max_length=60, blank=True)
    accepted_on = models.DateField("受理日期", null=True, blank=True)

    class Meta:
        verbose_name = "报备"
        verbose_name_plural = verbose_name
        ordering = ["doc", "-filed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["doc"], condition=Q(state__in=["filed", "accepted"]),
                                    name="nd_one_pending_filing"),
        ]

    def __str__(self):
        return f"{self.doc.title} 报备（{self.filed_on}）"


class ReviewFinding(models.TextChoices):
    LAWFUL = "lawful", "合法"
    UNLAWFUL = "unlawful", "不合法"
    INAPPROPRIATE = "inappropriate", "不适当"


class FilingReview(TimeStamped):
    """备案审查 (有备必审), due 30 days after acceptance (NDOC-15)."""

    filing = models.OneToOneField(Filing, verbose_name="报备", on_delete=models.CASCADE, related_name="review")
    due = models.DateField("审查期限")
    due_provisional = models.BooleanField("期限为暂定", default=False)
    due_rule = models.CharField("期限规则", max_length=80)
    finding = models.CharField("审查结论", max_length=20, choices=ReviewFinding.choices, blank=True)
    opinion = models.TextField("审查意见", blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="审查人账号", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    reviewer_name = models.CharField("审查人", max_length=50, blank=True)
    decided_on = models.DateField("审查完成日期", null=True, blank=True)

    class Meta:
        verbose_name = "备案审查"
        verbose_name_plural = verbose_name

    def __str__(self):
        return f"{self.filing.doc.title} 备案审查（{self.get_finding_display() or '审查中'}）"


class CorrectionOrder(TimeStamped):
    """有错必纠: the maker reports its handling within 30 days (NDOC-19)."""

    review = models.OneToOneField(FilingReview, verbose_name="备案审查", on_delete=models.CASCADE,
                                  related_name="correction")
    doc = models.ForeignKey(NormDoc, verbose_name="文件", on_delete=models.CASCADE, related_name="corrections")
    order_text = models.TextField("纠错意见")
    ordered_on = models.DateField("发出日期")
    due = models.DateField("报告期限")
    due_provisional = models.BooleanField("期限为暂定", default=False)
    due_rule = models.CharField("期限规则", max_length=80)
    report_text = models.TextField("处理情况报告", blank=True)
    reported_on = models.DateField("报告日期", null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="报告人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "纠错通知"
        verbose_name_plural = verbose_name
        ordering = ["-ordered_on", "-pk"]

    def __str__(self):
        return f"{self.doc.title} 纠错（期限 {self.due}）"


class CleanupCampaign(TimeStamped):
    """清理 (NDOC-18): periodic (every 2 years) or special (a higher law changed)."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", "定期清理"
        SPECIAL = "special", "专项清理"

    class State(models.TextChoices):
        RUNNING = "running", "进行中"
        PUBLISHED = "published", "已公布"

    unit = models.ForeignKey("org.Unit", verbose_name="组织单位", on_delete=models.PROTECT,
                             related_name="normdoc_cleanups")
    name = models.CharField("清理活动名称", max_length=200)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    trigger_law = models.CharField("所涉上位法", max_length=200, blank=True)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.RUNNING)
    started_on = models.DateField("开始日期")
    published_on = models.DateField("结果公布日期", null=True, blank=True)

    class Meta:
        verbose_name = "清理活动"
        verbose_name_plural = verbose_name
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="nd_cleanup_name_not_empty"),
            models.CheckConstraint(condition=Q(kind="periodic") | ~Q(trigger_law=""),
                                   name="nd_cleanup_special_names_law"),
        ]

    def __str__(self):
        return self.name


class CleanupVerdict(models.TextChoices):
    CONTINUE = "continue", "继续有效"
    AMEND = "amend", "修改"
    REPEAL = "repeal", "废止"
    DECLARE_EXPIRED = "expire", "宣布失效"


class CleanupDecision(TimeStamped):
    campaign = models.ForeignKey(CleanupCampaign, verbose_name="清理活动", on_delete=models.CASCADE,
                                 related_name="decisions")
    doc = models.ForeignKey(NormDoc, verbose_name="文件", on_delete=models.PROTECT, related_name="cleanup_decisions")
    decision = models.CharField("清理结论", max_length=10, choices=CleanupVerdict.choices, blank=True)
    reason = models.TextField("理由", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="决定人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "清理结论"
        verbose_name_plural = verbose_name
        ordering = ["campaign", "doc__published_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "doc"], name="nd_cleanup_decision_unique"),
        ]

    def __str__(self):
        return f"{self.doc.title}：{self.get_decision_display() or '待定'}"


class ReviewProposal(TimeStamped):
    """公民、法人或者其他组织的审查建议 (NDOC-16: a working channel)."""

    class State(models.TextChoices):
        PENDING = "pending", "待答复"
        REPLIED = "replied", "已答复"

    doc = models.ForeignKey(NormDoc, verbose_name="文件", on_delete=models.PROTECT, related_name="proposals")
    name = models.CharField("建议人", max_length=100)
    contact = models.CharField("联系方式", max_length=100)
    content = models.TextField("审查建议")
    submitted_on = models.DateField("提出日期")
    reply_due = models.DateField("答复期限")
    reply_provisional = models.BooleanField("期限为暂定", default=False)
    reply_rule = models.CharField("期限规则", max_length=80)
    state = models.CharField("状态", max_length=10, choices=State.choices, default=State.PENDING)
    reply = models.TextField("答复内容", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="答复人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "审查建议"
        verbose_name_plural = verbose_name
        ordering = ["-submitted_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(content=""), name="nd_proposal_not_empty"),
            models.CheckConstraint(condition=Q(reply_due__gte=models.F("submitted_on")), name="nd_proposal_due"),
        ]

    def __str__(self):
        return f"关于《{self.doc.title}》的审查建议（{self.submitted_on}）"

    @property
    def unit_id(self):
        return self.doc.unit_id
