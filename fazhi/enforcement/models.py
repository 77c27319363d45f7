"""行政执法: officers and certificates, discretion benchmarks, penalty cases
through the statutory procedure, the full-process record (evidence files),
publication of decisions and transfers to the police (两法衔接).

Rules: docs/rules.md §3 (ENF-*). The case procedure is the table in
``workflow.CASE_WORKFLOW``; every state change goes through ``services``.

Every computed deadline is stored as ``<x>_due`` + ``<x>_provisional`` (the
workdays calendar of its years was not confirmed) + ``<x>_rule`` (the rule
ID and value used, e.g. "ENF-09 7个工作日"), so a later change of a setting
never silently rewrites an old deadline.

Every record carries ``unit`` (the enforcing unit) so ``org.access.scope``
can restrict lists; child records copy the case's unit.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q

from fazhi.core.models import TimeStamped

USER = settings.AUTH_USER_MODEL


# =================================================================== officers


class Officer(TimeStamped):
    """An enforcement officer (执法人员): a person of an enforcing unit.

    ``unit`` is the person's unit, copied by ``services.register_officer``
    and kept in step when the person moves (ENF-01, ENF-19: name, certificate
    number and category are published).
    """

    person = models.OneToOneField("org.Person", verbose_name="人员", on_delete=models.PROTECT,
                                  related_name="enforcement_officer")
    unit = models.ForeignKey("org.Unit", verbose_name="所在执法单位", on_delete=models.PROTECT,
                             related_name="enforcement_officers")
    category = models.CharField("执法类别", max_length=100, blank=True, help_text="如：农业综合执法、市场监管执法")
    has_legal_qualification = models.BooleanField(
        "具有法律职业资格", default=False, help_text="首次从事法制审核须具有国家统一法律职业资格（ENF-04）")
    is_active = models.BooleanField("在岗", default=True)
    note = models.CharField("备注", max_length=500, blank=True)

    class Meta:
        verbose_name = "执法人员"
        verbose_name_plural = verbose_name
        ordering = ["unit__path", "person__name"]
        indexes = [models.Index(fields=["unit", "is_active"], name="enf_officer_unit_active")]

    def __str__(self):
        return self.person.name

    @property
    def name(self) -> str:
        return self.person.name

    def valid_certificate(self, on: date):
        """The certificate valid on ``on`` (uses a prefetched ``certificates`` when present)."""
        for cert in self.certificates.all():
            if cert.is_valid(on):
                return cert
        return None


class CertificateStatus(models.TextChoices):
    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "注销"


class Certificate(TimeStamped):
    """行政执法证 (ENF-01, ENF-24, ENF-25): issued by the province, valid for a
    period, checked every year; 暂扣 or 注销 ends the right to enforce."""

    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.PROTECT,
                                related_name="certificates")
    unit = models.ForeignKey("org.Unit", verbose_name="所在执法单位", on_delete=models.PROTECT,
                             related_name="enforcement_certificates")
    number = models.CharField("证件编号", max_length=40, unique=True)
    kind = models.CharField("证件种类", max_length=50, default="行政执法证")
    issuing_authority = models.CharField("发证机关", max_length=100)
    field = models.CharField("执法领域", max_length=100)
    valid_from = models.DateField("有效期起")
    valid_to = models.DateField("有效期至", help_text="最后一日（含）")
    status = models.CharField("证件状态", max_length=10, choices=CertificateStatus.choices,
                              default=CertificateStatus.VALID, db_index=True)
    status_reason = models.CharField("状态变更原因", max_length=500, blank=True)
    status_changed_on = models.DateField("状态变更日期", null=True, blank=True)

    class Meta:
        verbose_name = "执法证件"
        verbose_name_plural = verbose_name
        ordering = ["valid_to", "number"]
        constraints = [
            models.CheckConstraint(condition=~Q(number=""), name="enf_cert_number_not_empty"),
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="enf_cert_dates"),
        ]
        indexes = [models.Index(fields=["status", "valid_to"], name="enf_cert_status_valid_to")]

    def __str__(self):
        return f"{self.number}（{self.get_status_display()}）"

    def is_valid(self, on: date) -> bool:
        """有效 status and ``on`` within the validity period (ENF-01, ENF-25)."""
        return self.status == CertificateStatus.VALID and self.valid_from <= on <= self.valid_to

    def display_status(self, on: date) -> str:
        """The public status: 有效 / 暂扣 / 注销 / 已过期 / 尚未生效."""
        if self.status != CertificateStatus.VALID:
            return self.get_status_display()
        if on > self.valid_to:
            return "已过期"
        if on < self.valid_from:
            return "尚未生效"
        return "有效"


class AnnualCheck(models.Model):
    """年度审验 of a certificate (ENF-25: checked every year)."""

    class Result(models.TextChoices):
        PASSED = "passed", "合格"
        FAILED = "failed", "不合格"

    certificate = models.ForeignKey(Certificate, verbose_name="执法证件", on_delete=models.CASCADE,
                                    related_name="annual_checks")
    year = models.PositiveIntegerField("年度")
    result = models.CharField("审验结果", max_length=10, choices=Result.choices)
    checked_on = models.DateField("审验日期")
    note = models.CharField("说明", max_length=500, blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "年度审验"
        verbose_name_plural = verbose_name
        ordering = ["certificate", "-year"]
        constraints = [models.UniqueConstraint(fields=["certificate", "year"], name="enf_annualcheck_unique")]

    def __str__(self):
        return f"{self.certificate.number} {self.year}年 {self.get_result_display()}"


class EnforcementCode(TimeStamped):
    """A unit's 机关代字 for case and decision numbers.

    Example: 区农业农村局 -> case_prefix "示范农罚立" (示范农罚立〔2026〕3号),
    decision_prefix "示范农罚决". Allocated by ``core.models.allocate_number``.
    """

    unit = models.OneToOneField("org.Unit", verbose_name="执法单位", on_delete=models.PROTECT,
                                related_name="enforcement_code")
    case_prefix = models.CharField("立案号代字", max_length=40, unique=True)
    decision_prefix = models.CharField("决定书文号代字", max_length=40, unique=True)

    class Meta:
        verbose_name = "执法文书代字"
        verbose_name_plural = verbose_name
        constraints = [
            models.CheckConstraint(condition=~Q(case_prefix=""), name="enf_code_case_not_empty"),
            models.CheckConstraint(condition=~Q(decision_prefix=""), name="enf_code_decision_not_empty"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.case_prefix} · {self.decision_prefix}"


# ============================================================ benchmarks


class Severity(models.TextChoices):
    MINOR = "minor", "轻微"
    GENERAL = "general", "一般"
    SERIOUS = "serious", "较重"
    GRAVE = "grave", "严重"


class ViolationType(TimeStamped):
    """A violation with its legal basis and penalty basis (裁量基准, ENF-24)."""

    unit = models.ForeignKey("org.Unit", verbose_name="制定单位", on_delete=models.PROTECT,
                             related_name="violation_types")
    code = models.CharField("编码", max_length=40)
    name = models.CharField("违法行为", max_length=200)
    field = models.CharField("执法领域", max_length=100, blank=True)
    legal_basis = models.TextField("违法依据")
    penalty_basis = models.TextField("处罚依据")
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "违法行为类型"
        verbose_name_plural = verbose_name
        ordering = ["unit__path", "code"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "code"], name="enf_violationtype_unique"),
            models.CheckConstraint(condition=~Q(name=""), name="enf_violationtype_name"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Benchmark(models.Model):
    """The fine range and other penalties for one severity of a violation."""

    violation_type = models.ForeignKey(ViolationType, verbose_name="违法行为", on_delete=models.CASCADE,
                                       related_name="benchmarks")
    severity = models.CharField("违法程度", max_length=10, choices=Severity.choices)
    circumstances = models.TextField("适用情形", blank=True)
    fine_min = models.DecimalField("罚款下限（元）", max_digits=14, decimal_places=2, default=0)
    fine_max = models.DecimalField("罚款上限（元）", max_digits=14, decimal_places=2, default=0)
    other_penalties = models.CharField("其他处罚", max_length=500, blank=True,
                                       help_text="如：警告、没收违法所得、吊销许可证")

    class Meta:
        verbose_name = "裁量基准"
        verbose_name_plural = verbose_name
        ordering = ["violation_type", "fine_min"]
        constraints = [
            models.UniqueConstraint(fields=["violation_type", "severity"], name="enf_benchmark_unique"),
            models.CheckConstraint(condition=Q(fine_min__gte=0) & Q(fine_max__gte=models.F("fine_min")),
                                   name="enf_benchmark_range"),
        ]

    def __str__(self):
        return f"{self.violation_type.name} · {self.get_severity_display()} · {self.fine_min}–{self.fine_max}元"

    @property
    def unit_id(self):
        return self.violation_type.unit_id

    def contains(self, amount) -> bool:
        return self.fine_min <= amount <= self.fine_max


# ================================================================= cases


class Procedure(models.TextChoices):
    GENERAL = "general", "普通程序"
    SUMMARY = "summary", "简易程序（当场处罚）"


class CaseStatus(models.TextChoices):
    PENDING = "pending", "待立案审批"
    INVESTIGATING = "investigating", "调查取证"
    NOTIFIED = "notified", "已告知"
    HEARING = "hearing", "听证"
    LEGAL_REVIEW = "legal_review", "法制审核"
    REVIEWED = "reviewed", "法制审核通过"
    DISCUSSION = "discussion", "集体讨论"
    DECIDED = "decided", "已决定"
    SERVED = "served", "已送达（执行中）"
    EXECUTED = "executed", "执行完毕"
    CLOSED = "closed", "已结案"
    ARCHIVED = "archived", "已归档"
    TRANSFERRED = "transferred", "已移送公安（中止）"
    TERMINATED = "terminated", "已终止"


OPEN_STATES = (
    CaseStatus.PENDING, CaseStatus.INVESTIGATING, CaseStatus.NOTIFIED, CaseStatus.HEARING,
    CaseStatus.LEGAL_REVIEW, CaseStatus.REVIEWED, CaseStatus.DISCUSSION,
)
# Filed and not yet decided: the 90-day clock of ENF-08 runs.
UNDECIDED_STATES = OPEN_STATES[1:]


class PartyKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORG = "org", "法人或其他组织"


class ServiceMethod(models.TextChoices):
    ON_SPOT = "on_spot", "当场交付"
    DIRECT = "direct", "直接送达"
    LEFT = "left", "留置送达"
    POST = "post", "邮寄送达"
    ENTRUSTED = "entrusted", "委托送达"
    ELECTRONIC = "electronic", "电子送达（经书面同意）"
    NOTICE = "notice", "公告送达"


class PenaltyCase(TimeStamped):
    """One 行政处罚 case through the general or the summary procedure."""

    unit = models.ForeignKey("org.Unit", verbose_name="执法单位", on_delete=models.PROTECT,
                             related_name="penalty_cases")
    procedure = models.CharField("程序", max_length=10, choices=Procedure.choices, default=Procedure.GENERAL)
    status = models.CharField("状态", max_length=20, choices=CaseStatus.choices, default=CaseStatus.PENDING,
                              db_index=True)
    suspended_from = models.CharField("移送前状态", max_length=20, blank=True)
    case_no = models.CharField("立案号", max_length=120, blank=True)
    cause = models.CharField("案由", max_length=200)
    source = models.CharField("案件来源", max_length=50, blank=True, help_text="如：日常检查、投诉举报、上级交办、移送")
    violation_type = models.ForeignKey(ViolationType, verbose_name="违法行为", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="cases")
    severity = models.CharField("违法程度", max_length=10, choices=Severity.choices, blank=True)

    # The party (当事人). Personal data of natural persons is masked when published.
    party_kind = models.CharField("当事人类型", max_length=10, choices=PartyKind.choices)
    party_name = models.CharField("当事人", max_length=200)
    party_id_no = models.CharField("身份证件号码/统一社会信用代码", max_length=30, blank=True)
    party_address = models.CharField("住所/地址", max_length=300, blank=True)
    party_phone = models.CharField("联系电话", max_length=30, blank=True)
    party_legal_rep = models.CharField("法定代表人/负责人", max_length=50, blank=True)

    # Discovery and filing (ENF-15 limitation; local filing period, see rules.py)
    violation_ended_on = models.DateField("违法行为终了日期", null=True, blank=True)
    harm_to_life_or_finance = models.BooleanField("涉及生命健康安全、金融安全且有危害后果", default=False,
                                                  help_text="追责期限5年（ENF-15）")
    discovered_on = models.DateField("发现日期")
    filing_due = models.DateField("立案期限", null=True, blank=True)
    filing_provisional = models.BooleanField("立案期限为暂定", default=False)
    filing_rule = models.CharField("立案期限规则", max_length=80, blank=True)
    late_filing_reason = models.CharField("逾期立案说明", max_length=500, blank=True)
    filed_on = models.DateField("立案日期", null=True, blank=True)
    filing_approved_by = models.CharField("立案批准人", max_length=50, blank=True)
    facts = models.TextField("违法事实", blank=True)

    # Facts that make the case 重大 (ENF-04/05/07)
    revoke_licence = models.BooleanField("吊销许可证件/降低资质等级", default=False)
    order_stop_business = models.BooleanField("责令停产停业/关闭/限制从业", default=False)
    confiscation_amount = models.DecimalField("没收违法所得/非法财物价值（元）", max_digits=14, decimal_places=2,
                                              default=0)
    is_complex = models.BooleanField("案情复杂或涉及多个法律关系", default=False)
    major_public_interest = models.BooleanField("涉及重大公共利益", default=False)

    # 90-day limit (ENF-08)
    decision_due = models.DateField("决定期限", null=True, blank=True,
                                    help_text="90日加经批准的延长和已结束的不计入期间（ClockStop）")
    decision_rule = models.CharField("决定期限规则", max_length=80, blank=True)
    # The start of the earliest clock stop still running (None: the clock runs);
    # while it runs the effective deadline moves day by day (rules.decision_deadline).
    clock_stopped_on = models.DateField("办案期限暂停计算日", null=True, blank=True)
    # An officer's request to extend the period, waiting for the head (ENF-08);
    # cleared when the head approves an extension.
    extension_requested_on = models.DateField("延期申请日期", null=True, blank=True)
    extension_request_days = models.PositiveSmallIntegerField("申请延长天数", null=True, blank=True)
    extension_request_reason = models.TextField("延期申请理由", blank=True)
    extension_requested_by = models.CharField("延期申请人", max_length=50, blank=True)

    # 告知 (ENF-06, ENF-07)
    intended_penalty = models.TextField("拟处罚内容", blank=True)
    intended_fine = models.DecimalField("拟罚款金额（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    notice_reasons = models.TextField("告知的事实、理由及依据", blank=True)
    hearing_offered = models.BooleanField("告知听证权利", default=False)
    notice_served_on = models.DateField("告知书送达日期", null=True, blank=True)
    statement_due = models.DateField("陈述申辩/听证申请期限", null=True, blank=True)
    statement_provisional = models.BooleanField("陈述申辩期限为暂定", default=False)
    statement_rule = models.CharField("陈述申辩期限规则", max_length=80, blank=True)
    statement_received_on = models.DateField("陈述申辩日期", null=True, blank=True)
    statement_text = models.TextField("陈述申辩意见", blank=True)
    statement_answer = models.TextField("复核意见", blank=True)
    rights_waived_on = models.DateField("放弃陈述申辩/听证日期", null=True, blank=True)

    # 听证 (ENF-07)
    hearing_requested_on = models.DateField("听证申请日期", null=True, blank=True)
    hearing_notified_on = models.DateField("听证通知日期", null=True, blank=True)
    hearing_date = models.DateField("听证日期", null=True, blank=True)
    hearing_place = models.CharField("听证地点", max_length=200, blank=True)
    hearing_presider = models.CharField("听证主持人", max_length=50, blank=True)
    hearing_held_on = models.DateField("听证举行日期", null=True, blank=True)
    hearing_summary = models.TextField("听证笔录摘要", blank=True)

    # 法制审核 (ENF-04): see LegalReview; the flag is fixed when the case goes to review
    legal_review_required = models.BooleanField("须经法制审核", default=False)

    # 集体讨论 (ENF-05)
    discussed_on = models.DateField("集体讨论日期", null=True, blank=True)
    discussion_participants = models.CharField("参加人员", max_length=500, blank=True)
    discussion_conclusion = models.TextField("讨论结论", blank=True)
    discussion_members = models.ManyToManyField("org.Person", verbose_name="参加讨论的负责人", blank=True,
                                                related_name="+")

    # 决定 (ENF-08, ENF-10)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_no = models.CharField("决定书文号", max_length=120, blank=True)
    penalty_kinds = models.CharField("处罚种类", max_length=200, blank=True, help_text="如：警告、罚款、没收违法所得")
    fine_amount = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, default=0)
    other_penalties = models.CharField("其他处罚内容", max_length=500, blank=True)
    benchmark = models.ForeignKey(Benchmark, verbose_name="适用裁量基准", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="cases")
    outside_range_reason = models.TextField("超出裁量基准的理由", blank=True)
    decision_reasons = models.TextField("处罚理由", blank=True, help_text="认定违法、适用依据和裁量的理由（ENF-10）")
    decided_by = models.CharField("决定人", max_length=50, blank=True)
    spot_place = models.CharField("当场处罚地点", max_length=200, blank=True,
                                  help_text="当场处罚决定书须载明时间、地点（处罚法第五十二条）")

    # 送达 (ENF-09)
    service_due = models.DateField("送达期限", null=True, blank=True)
    service_provisional = models.BooleanField("送达期限为暂定", default=False)
    service_rule = models.CharField("送达期限规则", max_length=80, blank=True)
    service_method = models.CharField("送达方式", max_length=20, choices=ServiceMethod.choices, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)

    # 执行 (ENF-14)
    payment_due = models.DateField("缴款期限", null=True, blank=True)
    payment_provisional = models.BooleanField("缴款期限为暂定", default=False)
    payment_rule = models.CharField("缴款期限规则", max_length=80, blank=True)
    executed_on = models.DateField("执行完毕日期", null=True, blank=True)

    # 结案 / 归档 / 终止
    closed_on = models.DateField("结案日期", null=True, blank=True)
    close_summary = models.TextField("结案报告", blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    archive_no = models.CharField("档案号", max_length=60, blank=True)
    terminated_on = models.DateField("终止日期", null=True, blank=True)
    termination_reason = models.CharField("终止原因", max_length=500, blank=True)

    # 决定被变更、撤销、确认违法或无效 (ENF-11)
    decision_changed_on = models.DateField("决定变更/撤销日期", null=True, blank=True)
    decision_change_reason = models.CharField("变更/撤销原因", max_length=500, blank=True)

    created_by = models.ForeignKey(USER, verbose_name="登记人", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "行政处罚案件"
        verbose_name_plural = verbose_name
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case_no"], condition=~Q(case_no=""), name="enf_case_no_unique"),
            models.UniqueConstraint(fields=["decision_no"], condition=~Q(decision_no=""),
                                    name="enf_decision_no_unique"),
            models.CheckConstraint(condition=~Q(cause=""), name="enf_case_cause_not_empty"),
            models.CheckConstraint(condition=~Q(party_name=""), name="enf_case_party_not_empty"),
            models.CheckConstraint(condition=Q(fine_amount__gte=0) & Q(confiscation_amount__gte=0),
                                   name="enf_case_amounts"),
            # A decided case has its number and date (ENF-10).
            models.CheckConstraint(
                condition=~Q(status__in=["decided", "served", "executed", "closed", "archived"])
                | (Q(decided_on__isnull=False) & ~Q(decision_no="")),
                name="enf_case_decided_has_number"),
        ]
        indexes = [
            models.Index(fields=["unit", "status"], name="enf_case_unit_status"),
            models.Index(fields=["status", "decision_due"], name="enf_case_decision_due"),
            models.Index(fields=["status", "service_due"], name="enf_case_service_due"),
            models.Index(fields=["status", "payment_due"], name="enf_case_payment_due"),
        ]

    def __str__(self):
        return f"{self.case_no or '（未立案）'} {self.cause}"

    @property
    def display_no(self) -> str:
        return self.case_no or self.decision_no or f"登记#{self.pk}"


class CaseOfficer(models.Model):
    """An officer assigned to a case, with the certificate valid on the day (ENF-01)."""

    class Role(models.TextChoices):
        LEAD = "lead", "主办"
        ASSIST = "assist", "协办"

    case = models.ForeignKey(PenaltyCase, verbose_name="案件", on_delete=models.CASCADE,
                             related_name="case_officers")
    officer = models.ForeignKey(Officer, verbose_name="执法人员", on_delete=models.PROTECT,
                                related_name="case_assignments")
    certificate = models.ForeignKey(Certificate, verbose_name="执法证件", on_delete=models.PROTECT,
                                    related_name="+")
    certificate_no = models.CharField("证件编号", max_length=40)
    role = models.CharField("承办角色", max_length=10, choices=Role.choices, default=Role.ASSIST)
    assigned_on = models.DateField("指派日期")

    class Meta:
        verbose_name = "承办人员"
        verbose_name_plural = verbose_name
        ordering = ["case", "role", "pk"]
        constraints = [models.UniqueConstraint(fields=["case", "officer"], name="enf_caseofficer_unique")]

    def __str__(self):
        return f"{self.officer}（{self.certificate_no}）"


class CaseExtension(models.Model):
    """An approved extension of the 90-day limit (ENF-08), recorded with its basis."""

    case = models.ForeignKey(PenaltyCase, verbose_name="案件", on_delete=models.CASCADE, related_name="extensions")
    days = models.PositiveIntegerField("延长天数")
    reason = models.TextField("延长理由")
    basis = models.CharField("延长依据", max_length=300, help_text="法律、法规或规章的条款")
    approved_on = models.DateField("批准日期")
    approved_by = models.ForeignKey(USER, verbose_name="批准人账号", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_by_name = models.CharField("批准人", max_length=50)
    old_due = models.DateField("原期限")
    new_due = models.DateField("延长后期限")
    # A second or later extension is decided by the leaders collectively (ENF-08).
    discussed_on = models.DateField("集体讨论日期", null=True, blank=True)
    discussion_participants = models.CharField("参加人员", max_length=500, blank=True)
    discussion_conclusion = models.TextField("讨论结论", blank=True)
    discussion_members = models.ManyToManyField("org.Person", verbose_name="参加讨论的负责人", blank=True,
                                                related_name="+")

    class Meta:
        verbose_name = "办案期限延长"
        verbose_name_plural = verbose_name
        ordering = ["case", "approved_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="enf_extension_days"),
            models.CheckConstraint(condition=Q(new_due__gt=models.F("old_due")), name="enf_extension_later"),
        ]

    def __str__(self):
        return f"{self.case} 延长{self.days}日至{self.new_due}"


class LegalReview(models.Model):
    """法制审核 of a case before the decision (ENF-04)."""

    class Result(models.TextChoices):
        PASSED = "passed", "同意"
        FAILED = "failed", "不同意（退回补充调查/重新处理）"

    case = models.ForeignKey(PenaltyCase, verbose_name="案件", on_delete=models.CASCADE, related_name="legal_reviews")
    result = models.CharField("审核结论", max_length=10, choices=Result.choices)
    opinion = models.TextField("审核意见")
    reviewed_on = models.DateField("审核日期")
    reviewer = models.ForeignKey(USER, verbose_name="审核人账号", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    reviewer_name = models.CharField("审核人", max_length=50)
    reviewer_qualified = models.BooleanField("审核人具有法律职业资格", default=False)
    # Where the case has no catalogued violation type with a benchmark, the
    # reviewer states the basis the decision rests on (ENF-10, ENF-24).
    legal_basis = models.TextField("违法依据（审核认定）", blank=True)
    penalty_basis = models.TextField("处罚依据（审核认定）", blank=True)

    class Meta:
        verbose_name = "法制审核"
        verbose_name_plural = verbose_name
        ordering = ["case", "reviewed_on", "pk"]

    def __str__(self):
        return f"{self.case} 法制审核 {self.get_result_display()}"


class ClockStop(models.Model):
    """A period the law excludes from the case period (ENF-08): 听证, 检测、检验、
    检疫、鉴定, 公告 (市场监督管理行政处罚程序规定、农业行政处罚程序规定 on the
    办案期限; rules.md §0 design note 5: suspension intervals).

    The excluded days are those after ``starts_on`` up to and including
    ``ends_on`` (the start day itself is not counted, as for any period);
    overlapping stops count once. A stop still running has no ``ends_on``.
    """

    class Kind(models.TextChoices):
        HEARING = "hearing", "听证"
        TESTING = "testing", "检测、检验、检疫、鉴定"
        NOTICE = "notice", "公告"

    case = models.ForeignKey(PenaltyCase, verbose_name="案件", on_delete=models.CASCADE, related_name="clock_stops")
    kind = models.CharField("不计入期间类别", max_length=10, choices=Kind.choices)
    starts_on = models.DateField("起始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    reason = models.CharField("事由", max_length=500)
    basis = models.CharField("依据", max_length=300)
    recorded_by = models.ForeignKey(USER, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "不计入办案期限的期间"
        verbose_name_plural = verbose_name
        ordering = ["case", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="enf_clockstop_dates"),
            models.CheckConstraint(condition=~Q(reason="") & ~Q(basis=""), name="enf_clockstop_reason_basis"),
        ]

    def __str__(self):
        end = self.ends_on.isoformat() if self.ends_on else "至今"
        return f"{self.get_kind_display()} {self.starts_on.isoformat()}—{end}"

    @property
    def days(self) -> int | None:
        """Days excluded once ended: after the start day up to and including the end day."""
        return (self.ends_on - self.starts_on).days if self.ends_on else None


class PaymentMethod(models.TextChoices):
    BANK = "bank", "银行缴款（罚缴分离）"
    ON_SPOT_CASH = "on_spot_cash", "当场收缴"


class Payment(models.Model):
    """A payment of the fine (ENF-12, ENF-14). Bank payments need the bank's
    receipt number; cash only under the summary procedure within ENF-12."""

    case = models.ForeignKey(PenaltyCase, verbose_name="案件", on_delete=models.CASCADE, related_name="payments")
    method = models.CharField("缴款方式", max_length=20, choices=PaymentMethod.choices, default=PaymentMethod.BANK)
    amount = models.DecimalField("罚款（元）", max_digits=14, decimal_places=2)
    surcharge = models.DecimalField("加处罚款（元）", max_digits=14, decimal_places=2, default=0)
    paid_on = models.DateField("缴款日期")
    bank_receipt_no = models.CharField("银行缴款凭证号/收据号", max_length=60)
    handed_over_on = models.DateField("交至行政机关日期", null=True, blank=True, help_text="当场收缴的罚款（ENF-12）")
    recorded_by = models.ForeignKey(USER, verbose_name="登记人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = "罚没款缴纳"
        verbose_name_plural = verbose_name
        ordering = ["case", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(surcharge__gte=0), name="enf_payment_amounts"),
            models.CheckConstraint(condition=~Q(bank_receipt_no=""), name="enf_payment_receipt"),
            models.UniqueConstraint(fields=["bank_receipt_no"], name="enf_payment_receipt_unique"),
        ]

    def __str__(self):
        return f"{self.case} 缴款 {self.amount}元（{self.bank_receipt_no}）"


# ======================================================= 全过程记录 (ENF-03)


class RecordType(models.TextChoices):
    FILING_FORM = "filing_form", "立案审批表"
    INSPECTION = "inspection", "现场检查（勘验）笔录"
    INQUIRY = "inquiry", "调查（询问）笔录"
    EVIDENCE = "evidence", "证据材料"
    NOTICE_SERVICE = "notice_service", "告知书送达回证"
    STATEMENT = "statement", "陈述申辩笔录"
    HEARING_RECORD = "hearing_record", "听证笔录"
    LEGAL_REVIEW = "legal_review", "法制审核意见书"
    DISCUSSION = "discussion", "集体讨论记录"
    DECISION = "decision", "行政处罚决定书"
    SPOT_DECISION = "spot_decision", "当场处罚决定书"
    DECISION_SERVICE = "decision_service", "决定书送达回证"
    PAYMENT = "payment", "缴款凭证"
    CLOSING = "closing", "结案报告"
    TRANSFER = "transfer", "涉嫌犯罪案件移送书"
    OTHER = "other", "其他"


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", "照片"
    AUDIO = "audio", "录音"
    VIDEO = "video", "录像"
    SCAN = "scan", "扫描件"
    MINUTES = "minutes", "笔录"


def evidence_upload_to(instance, filename):
    # The stored name never contains the user's file name: it is shown from original_name.
    return f"enforcement/{instance.case_id}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class EvidenceFile(models.Model):
    """A file of the full-process record attached to a case step (ENF-03)."""

    case = models.ForeignKey(PenaltyCase, verbose_name="案件", on_delete=models.PROTECT, related_name="evidence")
    unit = models.ForeignKey("org.Unit", verbose_name="执法单位", on_delete=models.PROTECT, related_name="+")
    record_type = models.CharField("文书/记录类型", max_length=20, choices=RecordType.choices)
    kind = models.CharField("载体", max_length=10, choices=EvidenceKind.choices)
    title = models.CharField("名称", max_length=200, blank=True)
    file = models.FileField("文件", upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField("原文件名", max_length=255)
    extension = models.CharField("扩展名", max_length=10)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    captured_by = models.ForeignKey("org.Person", verbose_name="采集人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    captured_by_name = models.CharField("采集人姓名", max_length=50)
    captured_at = models.DateTimeField("采集时间")
    uploaded_by = models.ForeignKey(USER, verbose_name="上传人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "执法全过程记录"
        verbose_name_plural = verbose_name
        ordering = ["case", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="enf_evidence_sha256"),
        ]
        indexes = [models.Index(fields=["case", "record_type"], name="enf_evidence_case_type")]

    def __str__(self):
        return f"{self.get_record_type_display()}：{self.title or self.original_name}"


# ================================================================== 公示


class PublicationStatus(models.TextChoices):
    PENDING = "pending", "待公示"
    PUBLISHED = "published", "已公示"
    WITHDRAWN = "withdrawn", "已撤回"
    TAKEN_DOWN = "taken_down", "期满撤下"


class PublicationRecord(TimeStamped):
    """事后公示 of an enforcement decision (ENF-11, ENF-19, ENF-20/21).

    Created when the decision is made, with its due date (7 WD for penalty
    and licensing decisions, 20 WD for others). ``content`` is the public
    text, masked (``fazhi.core.masking``), each remaining hit decided by a person
    (``fazhi.core.privacy``) and fixed at publication.
    """

    class Kind(models.TextChoices):
        PENALTY = "penalty", "行政处罚决定"
        OTHER = "other", "其他行政执法决定"

    case = models.ForeignKey(PenaltyCase, verbose_name="案件", on_delete=models.PROTECT,
                             related_name="publications")
    unit = models.ForeignKey("org.Unit", verbose_name="执法单位", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("决定类别", max_length=10, choices=Kind.choices, default=Kind.PENALTY)
    status = models.CharField("公示状态", max_length=12, choices=PublicationStatus.choices,
                              default=PublicationStatus.PENDING, db_index=True)
    decision_date = models.DateField("决定日期")
    due = models.DateField("公示期限")
    due_provisional = models.BooleanField("公示期限为暂定", default=False)
    due_rule = models.CharField("公示期限规则", max_length=80)
    title = models.CharField("公示标题", max_length=300, blank=True)
    content = models.TextField("公示内容", blank=True)
    published_on = models.DateField("公示日期", null=True, blank=True)
    published_by = models.ForeignKey(USER, verbose_name="公示人", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    display_until = models.DateField("公示期满日", null=True, blank=True)
    display_rule = models.CharField("公示期限规则", max_length=80, blank=True)
    changed_on = models.DateField("决定变更/撤销日期", null=True, blank=True)
    withdrawal_due = models.DateField("撤回期限", null=True, blank=True)
    withdrawal_provisional = models.BooleanField("撤回期限为暂定", default=False)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdraw_reason = models.CharField("撤回说明", max_length=500, blank=True)
    taken_down_on = models.DateField("撤下日期", null=True, blank=True)

    class Meta:
        verbose_name = "执法决定公示"
        verbose_name_plural = verbose_name
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status__in=["pending", "published"]),
                                    name="enf_one_live_publication"),
            models.CheckConstraint(
                condition=~Q(status="published") | (Q(published_on__isnull=False) & ~Q(content="")),
                name="enf_published_has_content"),
        ]
        indexes = [
            models.Index(fields=["status", "due"], name="enf_pub_status_due"),
            models.Index(fields=["status", "display_until"], name="enf_pub_status_until"),
        ]

    def __str__(self):
        return self.title or f"{self.case} 公示"


# ============================================================== 两法衔接


class TransferStatus(models.TextChoices):
    PENDING = "pending", "已移送待回复"
    ACCEPTED = "accepted", "公安已立案"
    DECLINED = "declined", "公安不予立案（退回）"


class PoliceTransfer(TimeStamped):
    """涉嫌犯罪案件移送公安机关 (两法衔接): the transfer, the reply and the outcome.

    While pending the administrative case is suspended (``CaseStatus.TRANSFERRED``);
    a declined transfer resumes it, an accepted one ends it.
    """

    case = models.ForeignKey(PenaltyCase, verbose_name="案件", on_delete=models.PROTECT, related_name="transfers")
    unit = models.ForeignKey("org.Unit", verbose_name="移送单位", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING,
                              db_index=True)
    transferred_on = models.DateField("移送日期")
    receiving_organ = models.CharField("接收公安机关", max_length=200)
    suspected_crime = models.CharField("涉嫌罪名", max_length=200)
    reason = models.TextField("移送理由及涉案情况")
    materials = models.TextField("移送材料清单", blank=True)
    reply_on = models.DateField("回复日期", null=True, blank=True)
    reply = models.TextField("公安机关回复", blank=True)
    outcome = models.TextField("处理结果", blank=True)
    transferred_by = models.ForeignKey(USER, verbose_name="移送经办人", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "涉嫌犯罪案件移送"
        verbose_name_plural = verbose_name
        ordering = ["-transferred_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status="pending"), name="enf_one_pending_transfer"),
        ]

    def __str__(self):
        return f"{self.case} 移送{self.receiving_organ}"
