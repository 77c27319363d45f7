"""Forms of the 行政执法 staff screens.

They only parse input: every rule (certified officers, deadlines, legal
order, benchmark ranges, upload type and size) is checked by ``services``;
a view copies a service's refusal back onto the form, with its rule ID.
"""

from django import forms

from fazhi.core.dates import backdate_days
from fazhi.core.widgets import DateInput
from fazhi.enforcement.models import (
    AnnualCheck,
    CaseStatus,
    CertificateStatus,
    ClockStop,
    EvidenceKind,
    PartyKind,
    PaymentMethod,
    Procedure,
    RecordType,
    ServiceMethod,
    Severity,
)
from fazhi.org.forms import UnitChoiceField

DATE = DateInput  # the one date widget: ISO values (fazhi.core.widgets)
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
SMALL_TEXT = forms.Textarea(attrs={"rows": 3})
TEXT = forms.Textarea(attrs={"rows": 6})
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


def _blank(label: str, choices) -> list:
    return [("", label), *choices]


class EnteredDateForm(forms.Form):
    """A form with a date a person enters (SYS-03): the act's own date is the
    server's; a date more than FAZHI_BACKDATE_DAYS back needs a reason."""

    late_reason = forms.CharField(label="补录理由", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["late_reason"].help_text = f"所填日期早于今天{backdate_days()}天以上的，须说明补录理由（留痕）"
        self.order_fields([n for n in self.fields if n != "late_reason"] + ["late_reason"])


def _member_field(label="参加讨论的负责人", required=True):
    return forms.TypedMultipleChoiceField(
        label=label, coerce=int, required=required, widget=forms.CheckboxSelectMultiple,
        help_text="当日担任本机关负责人的人员（承办人不得参加），不少于两人")


# ==================================================================== lists

DEADLINE_CHOICES = [("", "全部"), ("overdue", "已超过90日办案期限"), ("near", "临近90日期限（15日内）"),
                    ("service", "决定书送达逾期")]


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="案号/案由/当事人", required=False)
    unit = UnitChoiceField(label="执法单位", required=False)
    status = forms.ChoiceField(label="状态", choices=_blank("全部", CaseStatus.choices), required=False)
    procedure = forms.ChoiceField(label="程序", choices=_blank("全部", Procedure.choices), required=False)
    deadline = forms.ChoiceField(label="期限", choices=DEADLINE_CHOICES, required=False)
    officer = forms.TypedChoiceField(label="承办人", coerce=int, empty_value=None, required=False)

    def __init__(self, *args, unit_choices, officer_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部"), *unit_choices]
        self.fields["officer"].choices = [("", "全部"), *officer_choices]


CERT_FILTER = [("", "全部"), ("valid", "有效"), ("expiring", "即将到期"), ("expired", "已过期"),
               ("suspended", "暂扣"), ("revoked", "注销"), ("none", "无证件")]


class OfficerFilterForm(forms.Form):
    q = forms.CharField(label="姓名/证号", required=False)
    unit = UnitChoiceField(label="单位", required=False)
    field = forms.CharField(label="执法领域", required=False)
    cert = forms.ChoiceField(label="证件状态", choices=CERT_FILTER, required=False)

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部"), *unit_choices]


class TransferFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[
        ("", "全部"), ("pending", "已移送待回复"), ("accepted", "公安已立案"), ("declined", "公安不予立案")])


# ================================================================= officers

class OfficerCreateForm(forms.Form):
    person = forms.TypedChoiceField(label="人员", coerce=int, help_text="本单位在职人员")
    category = forms.CharField(label="执法类别", max_length=100, required=False, help_text="如：农业综合执法")
    has_legal_qualification = forms.BooleanField(label="具有国家统一法律职业资格", required=False,
                                                 help_text="首次从事法制审核须具备（ENF-04）")
    note = forms.CharField(label="备注", max_length=500, required=False)

    def __init__(self, *args, person_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "请选择"), *person_choices]


class CertificateForm(forms.Form):
    number = forms.CharField(label="证件编号", max_length=40)
    kind = forms.CharField(label="证件种类", max_length=50, initial="行政执法证")
    issuing_authority = forms.CharField(label="发证机关", max_length=100, initial="省人民政府")
    field = forms.CharField(label="执法领域", max_length=100)
    valid_from = forms.DateField(label="有效期起", widget=DATE)
    valid_to = forms.DateField(label="有效期至", widget=DATE)


class CertificateStatusForm(EnteredDateForm):
    certificate = forms.TypedChoiceField(label="证件", coerce=int)
    status = forms.ChoiceField(label="变更为", choices=CertificateStatus.choices)
    on = forms.DateField(label="变更日期", widget=DATE)
    reason = forms.CharField(label="原因", max_length=500, widget=SMALL_TEXT)

    def __init__(self, *args, cert_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].choices = cert_choices


class AnnualCheckForm(EnteredDateForm):
    certificate = forms.TypedChoiceField(label="证件", coerce=int)
    year = forms.IntegerField(label="审验年度", min_value=2000, max_value=2100)
    result = forms.ChoiceField(label="审验结果", choices=AnnualCheck.Result.choices)
    checked_on = forms.DateField(label="审验日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=500, required=False, help_text="审验不合格的，证件自动暂扣")

    def __init__(self, *args, cert_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certificate"].choices = cert_choices


class OfficerPostForm(forms.Form):
    is_active = forms.BooleanField(label="在岗", required=False, help_text="不在执法岗位的不得承办案件")
    category = forms.CharField(label="执法类别", max_length=100, required=False)
    has_legal_qualification = forms.BooleanField(label="具有国家统一法律职业资格", required=False)


# =============================================================== benchmarks

class EnforcementCodeForm(forms.Form):
    case_prefix = forms.CharField(label="立案号代字", max_length=40,
                                  help_text="如“示范农罚立”，立案号形如 示范农罚立〔2026〕3号")
    decision_prefix = forms.CharField(label="决定书文号代字", max_length=40,
                                      help_text="如“示范农罚决”，与立案号代字不同，且不得与其他单位重复")


class ViolationTypeForm(forms.Form):
    unit = UnitChoiceField(label="制定单位")
    code = forms.CharField(label="编码", max_length=40)
    name = forms.CharField(label="违法行为", max_length=200)
    field = forms.CharField(label="执法领域", max_length=100, required=False)
    legal_basis = forms.CharField(label="违法依据", widget=SMALL_TEXT, help_text="违反的法律、法规、规章条款")
    penalty_basis = forms.CharField(label="处罚依据", widget=SMALL_TEXT)

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "请选择"), *unit_choices]


class ViolationTypeEditForm(forms.Form):
    """An existing type: its unit and code are fixed."""

    name = forms.CharField(label="违法行为", max_length=200)
    field = forms.CharField(label="执法领域", max_length=100, required=False)
    legal_basis = forms.CharField(label="违法依据", widget=SMALL_TEXT, help_text="违反的法律、法规、规章条款")
    penalty_basis = forms.CharField(label="处罚依据", widget=SMALL_TEXT,
                                    help_text="已有案件依此告知或决定的，依据不能修改；法律修改后请新增违法行为并停用本条")
    is_active = forms.BooleanField(label="启用（停用后不再用于新案件，已有案件不受影响）", required=False)


class BenchmarkRowForm(forms.Form):
    """One severity's range; all blank = no row for this severity."""

    fine_min = forms.DecimalField(label="罚款下限（元）", required=False, **MONEY)
    fine_max = forms.DecimalField(label="罚款上限（元）", required=False, **MONEY)
    circumstances = forms.CharField(label="适用情形", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    other_penalties = forms.CharField(label="其他处罚", max_length=500, required=False)

    def is_blank(self) -> bool:
        c = self.cleaned_data
        return c.get("fine_min") is None and c.get("fine_max") is None and not c.get("circumstances") \
            and not c.get("other_penalties")

    def clean(self):
        c = super().clean()
        if (c.get("fine_min") is None) != (c.get("fine_max") is None):
            raise forms.ValidationError("请同时填写罚款下限和上限")
        return c


# ==================================================================== cases

class CaseCreateForm(EnteredDateForm):
    unit = UnitChoiceField(label="执法单位")
    procedure = forms.ChoiceField(label="程序", choices=Procedure.choices, initial=Procedure.GENERAL)
    cause = forms.CharField(label="案由", max_length=200, help_text="如：涉嫌经营假农药案")
    source = forms.CharField(label="案件来源", max_length=50, required=False, help_text="日常检查、投诉举报、上级交办、移送等")
    discovered_on = forms.DateField(label="发现日期", widget=DATE)
    violation_ended_on = forms.DateField(label="违法行为终了日期", widget=DATE, required=False,
                                         help_text="用于计算追责期限（ENF-15）")
    harm_to_life_or_finance = forms.BooleanField(label="涉及公民生命健康安全、金融安全且有危害后果", required=False)
    violation_type = forms.TypedChoiceField(label="违法行为（裁量基准）", coerce=int, empty_value=None,
                                            required=False)
    severity = forms.ChoiceField(label="违法程度", choices=_blank("未定", Severity.choices), required=False)
    party_kind = forms.ChoiceField(label="当事人类型", choices=PartyKind.choices, widget=forms.RadioSelect,
                                   initial=PartyKind.PERSON)
    party_name = forms.CharField(label="当事人名称/姓名", max_length=200)
    party_id_no = forms.CharField(label="身份证号/统一社会信用代码", max_length=30, required=False)
    party_legal_rep = forms.CharField(label="法定代表人/负责人", max_length=50, required=False, help_text="单位当事人填写")
    party_address = forms.CharField(label="住所/地址", max_length=300, required=False)
    party_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    facts = forms.CharField(label="简要案情", widget=TEXT, required=False)
    officers = forms.TypedMultipleChoiceField(label="承办执法人员", coerce=int, widget=forms.CheckboxSelectMultiple,
                                              help_text="至少两名持有效执法证件的执法人员（ENF-01）")
    lead = forms.TypedChoiceField(label="主办人", coerce=int, empty_value=None, required=False)
    # Summary procedure only (当场处罚, ENF-12).
    spot_place = forms.CharField(label="当场处罚地点", max_length=200, required=False,
                                 help_text="简易程序必填：当场处罚决定书须载明时间、地点（处罚法第五十二条）")
    penalty_kinds = forms.CharField(label="处罚种类（当场处罚）", max_length=200, required=False, initial="罚款")
    fine_amount = forms.DecimalField(label="罚款金额（元，当场处罚）", required=False,
                                     help_text="公民200元以下、法人或其他组织3000元以下（ENF-12）", **MONEY)
    outside_range_reason = forms.CharField(label="超出裁量基准的理由", widget=SMALL_TEXT, required=False)

    def __init__(self, *args, unit_choices, officer_choices, type_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "请选择"), *unit_choices]
        self.fields["officers"].choices = officer_choices
        self.fields["lead"].choices = [("", "（第一位）"), *officer_choices]
        self.fields["violation_type"].choices = [("", "（暂不选择）"), *type_choices]

    def clean_officers(self):
        chosen = self.cleaned_data["officers"]
        if len(chosen) < 2:
            raise forms.ValidationError("执法人员不得少于两人（ENF-01）")
        return chosen


class AssignOfficersForm(forms.Form):
    """The officers of a case, replacing the list (ENF-01)."""

    officers = forms.TypedMultipleChoiceField(label="承办执法人员", coerce=int, widget=forms.CheckboxSelectMultiple,
                                              help_text="至少两名本单位持有效执法证件的执法人员（ENF-01）")
    lead = forms.TypedChoiceField(label="主办人", coerce=int, empty_value=None, required=False)

    def __init__(self, *args, officer_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].choices = officer_choices
        self.fields["lead"].choices = [("", "（第一位）"), *officer_choices]


# ---------------------------------------------------------- step forms

class NoFieldsForm(forms.Form):
    pass


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500, widget=SMALL_TEXT)


class FileCaseForm(forms.Form):
    late_filing_reason = forms.CharField(label="逾期立案说明", max_length=500, required=False,
                                         help_text="超过立案期限的须说明理由")


class CaseInfoForm(forms.Form):
    """The facts of the case that later steps rest on (ENF-10): editable until the
    party is notified; the flags that make a case major at any time before the decision."""

    cause = forms.CharField(label="案由", max_length=200)
    facts = forms.CharField(label="违法事实", widget=TEXT, required=False)
    violation_type = forms.TypedChoiceField(label="违法行为（裁量基准）", coerce=int, empty_value=None, required=False)
    severity = forms.ChoiceField(label="违法程度", choices=_blank("未定", Severity.choices), required=False)
    is_complex = forms.BooleanField(label="案情复杂或涉及多个法律关系", required=False)
    major_public_interest = forms.BooleanField(label="涉及重大公共利益", required=False)
    revoke_licence = forms.BooleanField(label="拟吊销许可证件/降低资质等级", required=False)
    order_stop_business = forms.BooleanField(label="拟责令停产停业/关闭/限制从业", required=False)

    def __init__(self, *args, type_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["violation_type"].choices = [("", "（暂不选择）"), *type_choices]


class NotifyForm(forms.Form):
    intended_penalty = forms.CharField(label="拟处罚内容", widget=SMALL_TEXT, help_text="如：罚款人民币5000元")
    intended_fine = forms.DecimalField(label="拟罚款金额（元）", required=False, **MONEY)
    notice_reasons = forms.CharField(label="告知的事实、理由及依据", widget=TEXT)


class StatementForm(EnteredDateForm):
    received_on = forms.DateField(label="陈述申辩日期", widget=DATE)
    text = forms.CharField(label="陈述申辩意见", widget=SMALL_TEXT)
    answer = forms.CharField(label="复核意见", widget=SMALL_TEXT, required=False)


class DateOnlyForm(EnteredDateForm):
    on = forms.DateField(label="日期", widget=DATE)


class HearingRequestForm(EnteredDateForm):
    requested_on = forms.DateField(label="申请日期", widget=DATE)


class HearingScheduleForm(EnteredDateForm):
    notified_on = forms.DateField(label="通知日期", widget=DATE)
    hearing_date = forms.DateField(label="听证日期", widget=DATE, help_text="须在通知后7个工作日以后（ENF-07）")
    place = forms.CharField(label="听证地点", max_length=200)
    presider = forms.CharField(label="听证主持人", max_length=50, help_text="非本案调查人员")


class HearingHeldForm(EnteredDateForm):
    held_on = forms.DateField(label="举行日期", widget=DATE)
    summary = forms.CharField(label="听证笔录摘要", widget=TEXT)


class LegalReviewForm(forms.Form):
    passed = forms.TypedChoiceField(label="审核结论", coerce=lambda v: v == "1",
                                    choices=[("1", "同意"), ("0", "不同意（退回补充调查）")])
    opinion = forms.CharField(label="审核意见", widget=TEXT)
    legal_basis = forms.CharField(label="违法依据（审核认定）", widget=SMALL_TEXT, required=False,
                                  help_text="案件未选择违法行为或无对应裁量基准的，审核同意时须载明（ENF-10）")
    penalty_basis = forms.CharField(label="处罚依据（审核认定）", widget=SMALL_TEXT, required=False)


class DiscussionForm(EnteredDateForm):
    discussed_on = forms.DateField(label="讨论日期", widget=DATE)
    members = _member_field()
    attendees = forms.CharField(label="列席人员", max_length=300, required=False, help_text="如：执法大队大队长、法规科科长")
    conclusion = forms.CharField(label="讨论结论", widget=SMALL_TEXT)

    def __init__(self, *args, member_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = member_choices


class DecideForm(forms.Form):
    penalty_kinds = forms.CharField(label="处罚种类", max_length=200, initial="罚款")
    fine_amount = forms.DecimalField(label="罚款金额（元）", **MONEY)
    reasons = forms.CharField(label="处罚理由", widget=SMALL_TEXT,
                              help_text="认定违法、适用依据和裁量（从轻、减轻、从重）的理由，写入决定书（ENF-10）")
    other_penalties = forms.CharField(label="其他处罚内容", max_length=500, required=False)
    benchmark = forms.TypedChoiceField(label="适用裁量基准", coerce=int, empty_value=None, required=False)
    outside_range_reason = forms.CharField(label="超出裁量基准的理由", widget=SMALL_TEXT, required=False,
                                           help_text="罚款超出裁量基准幅度的必须填写（ENF-24）")
    on_spot_service = forms.BooleanField(label="当场交付决定书", required=False)

    def __init__(self, *args, benchmark_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["benchmark"].choices = [("", "（按违法行为和程度自动选择）"), *benchmark_choices]


class ExtensionForm(EnteredDateForm):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=365)
    basis = forms.CharField(label="延长依据", max_length=300, help_text="法律、法规或规章的条款（ENF-08）")
    reason = forms.CharField(label="延长理由", widget=SMALL_TEXT)
    discussed_on = forms.DateField(label="集体讨论日期", widget=DATE, required=False,
                                   help_text="再次延长须经负责人集体讨论决定；首次延长无需填写")
    members = _member_field(required=False)
    attendees = forms.CharField(label="列席人员", max_length=300, required=False)
    conclusion = forms.CharField(label="集体讨论结论", widget=SMALL_TEXT, required=False)

    def __init__(self, *args, member_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = member_choices


class ExtensionRequestForm(forms.Form):
    days = forms.IntegerField(label="申请延长天数", min_value=1, max_value=365)
    reason = forms.CharField(label="延长理由", widget=SMALL_TEXT, help_text="如：需检测、鉴定，案情复杂等（ENF-08）")


class StopStartForm(EnteredDateForm):
    kind = forms.ChoiceField(label="期间类别", choices=[
        (k, label) for k, label in ClockStop.Kind.choices if k != ClockStop.Kind.HEARING])
    starts_on = forms.DateField(label="起始日期", widget=DATE, help_text="如送检日期、公告发布日期")
    reason = forms.CharField(label="事由", max_length=500, widget=SMALL_TEXT)
    basis = forms.CharField(label="依据", max_length=300,
                            help_text="规定该期间不计入办案期限的条款，如部门行政处罚程序规定关于办案期限的条款")


class StopEndForm(EnteredDateForm):
    stop = forms.TypedChoiceField(label="期间", coerce=int)
    ends_on = forms.DateField(label="结束日期", widget=DATE, help_text="如收到检测报告日期、公告期满日期")

    def __init__(self, *args, stop_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stop"].choices = stop_choices


class ServeForm(EnteredDateForm):
    served_on = forms.DateField(label="送达日期", widget=DATE)
    method = forms.ChoiceField(label="送达方式", choices=[c for c in ServiceMethod.choices if c[0] != "on_spot"])


class PaymentForm(EnteredDateForm):
    method = forms.ChoiceField(label="缴款方式", choices=PaymentMethod.choices, initial=PaymentMethod.BANK)
    paid_on = forms.DateField(label="缴款日期", widget=DATE)
    amount = forms.DecimalField(label="罚款（元）", **MONEY)
    surcharge = forms.DecimalField(label="加处罚款（元）", required=False, help_text="不填则按逾期天数计算（ENF-14）",
                                   **MONEY)
    bank_receipt_no = forms.CharField(label="银行缴款凭证号", max_length=60, help_text="罚缴分离：凭银行回执登记")
    handed_over_on = forms.DateField(label="交至行政机关日期", widget=DATE, required=False,
                                     help_text="仅当场收缴现金时填写（ENF-12）")


class CloseForm(forms.Form):
    summary = forms.CharField(label="结案报告", widget=TEXT)


class ArchiveForm(forms.Form):
    archive_no = forms.CharField(label="档案号", max_length=60)


class TransferForm(EnteredDateForm):
    transferred_on = forms.DateField(label="移送日期", widget=DATE)
    receiving_organ = forms.CharField(label="接收公安机关", max_length=200)
    suspected_crime = forms.CharField(label="涉嫌罪名", max_length=200)
    reason = forms.CharField(label="移送理由及涉案情况", widget=TEXT)
    materials = forms.CharField(label="移送材料清单", widget=SMALL_TEXT, required=False)


class TransferReplyForm(EnteredDateForm):
    reply_on = forms.DateField(label="回复日期", widget=DATE)
    accepted = forms.TypedChoiceField(label="公安机关决定", coerce=lambda v: v == "1",
                                      choices=[("1", "立案（行政案件终止）"), ("0", "不予立案（恢复办理）")])
    reply = forms.CharField(label="回复内容", widget=SMALL_TEXT)
    outcome = forms.CharField(label="处理结果", widget=SMALL_TEXT, required=False)


class TransferOutcomeForm(forms.Form):
    outcome = forms.CharField(label="处理结果", widget=SMALL_TEXT)


class DecisionChangeForm(EnteredDateForm):
    changed_on = forms.DateField(label="变更/撤销日期", widget=DATE)
    reason = forms.CharField(label="原因", max_length=500, widget=SMALL_TEXT, help_text="已公示的须在3个工作日内撤回（ENF-11）")


class PublishForm(forms.Form):
    title = forms.CharField(label="公示标题", max_length=300)
    content = forms.CharField(label="公示内容", widget=forms.Textarea(attrs={"rows": 8}),
                              help_text="自然人的姓名须部分隐去，身份证号码和住址须删除（ENF-20）")


class EvidenceForm(EnteredDateForm):
    record_type = forms.ChoiceField(label="文书/记录类型", choices=RecordType.choices)
    kind = forms.ChoiceField(label="载体", choices=EvidenceKind.choices)
    title = forms.CharField(label="名称", max_length=200, required=False)
    file = forms.FileField(label="文件", help_text="照片 JPG/PNG，录音 MP3/WAV/M4A，录像 MP4，扫描件 PDF/JPG/PNG，笔录 PDF/DOCX")
    captured_by_name = forms.CharField(label="采集人", max_length=50)
    captured_at = forms.DateTimeField(label="采集时间", widget=DATETIME,
                                      input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"])
    note = forms.CharField(label="说明", max_length=500, required=False)
