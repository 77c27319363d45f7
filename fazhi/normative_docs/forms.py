"""Forms of the normative-documents staff screens.

They only parse input: every rule (periods, legal order, who may act) is
checked by ``services``; a view copies a service's refusal back onto the
form (``apply_domain_error``) so it is shown next to the field it concerns.
"""

from django import forms

from fazhi.consultations.forms import AnswerForm, StartForm
from fazhi.core.widgets import DateInput
from fazhi.normative_docs.models import (
    PACKAGE_ITEMS,
    CleanupCampaign,
    CleanupVerdict,
    DiscussionOutcome,
    FilingStatus,
    IssuerLevel,
    LegalOpinion,
    MeetingType,
    ReviewFinding,
    Status,
)
from fazhi.org.forms import UnitChoiceField, apply_domain_error  # noqa: F401  (re-exported for views)
from fazhi.org.models import Person

DATE = DateInput  # the one date widget: ISO values (fazhi.core.widgets)


def late_reason_field():
    """SYS-03: a date more than FAZHI_BACKDATE_DAYS back needs a reason (recorded in the trail)."""
    return forms.CharField(label="补录理由", max_length=500, required=False,
                           help_text="所填日期早于今天超过规定天数时必须说明理由，记入办理记录")
SMALL_TEXT = forms.Textarea(attrs={"rows": 3})
TEXT_ACCEPT = ".docx,.txt"


def _blank(label: str, choices) -> list:
    return [("", label), *choices]


# ------------------------------------------------------------------ list

FILING_FILTER = [("", "全部"), *FilingStatus.choices]


class DocFilterForm(forms.Form):
    q = forms.CharField(label="标题/文号", required=False)
    status = forms.ChoiceField(label="状态", choices=_blank("全部", Status.choices), required=False)
    unit = UnitChoiceField(label="起草单位/制定机关", required=False)
    year = forms.TypedChoiceField(label="公布年度", coerce=int, empty_value=None, required=False)
    touches_market = forms.ChoiceField(label="涉及市场主体", required=False,
                                       choices=[("", "全部"), ("1", "是"), ("0", "否")])
    filing_status = forms.ChoiceField(label="报备状态", choices=FILING_FILTER, required=False)
    overdue = forms.BooleanField(label="只看逾期", required=False)

    def __init__(self, *args, unit_choices, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部"), *unit_choices]
        self.fields["year"].choices = [("", "全部"), *((y, f"{y}年") for y in years)]


# ----------------------------------------------------------------- upload

class TextInputMixin(forms.Form):
    """Text pasted or uploaded (.docx / .txt). The view reads the upload with
    ``textio.read_text`` (type and size checks) and passes one string on."""

    text = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 14}),
                           help_text="直接粘贴正文，或在下方上传文件（上传文件时以文件内容为准）")
    upload = forms.FileField(label="上传正文文件", required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": TEXT_ACCEPT}),
                             help_text="支持 .docx 和 .txt（UTF-8 或 GBK 编码）")


class DocCreateForm(TextInputMixin):
    title = forms.CharField(label="文件名称", max_length=200)
    unit = UnitChoiceField(label="起草单位")
    issuer = UnitChoiceField(label="制定机关", help_text="以其名义发布文件的机关（本单位或本级人民政府等）")
    issuer_level = forms.ChoiceField(label="制定机关层级", required=False,
                                     choices=_blank("按制定机关自动判断", IssuerLevel.choices),
                                     help_text="决定由何种会议集体讨论（NDOC-09）")
    touches_market = forms.BooleanField(label="涉及市场主体经济活动", required=False,
                                        help_text="勾选后须公开征求意见不少于30日并经公平竞争审查（NDOC-04、NDOC-06）")
    explanation = forms.CharField(label="起草说明", required=False, widget=SMALL_TEXT)
    legal_basis = forms.CharField(label="制定依据", required=False, widget=SMALL_TEXT,
                                  help_text="所依据的法律、法规、规章和上级文件")

    field_order = ["title", "unit", "issuer", "issuer_level", "touches_market", "explanation", "legal_basis",
                   "text", "upload"]

    def __init__(self, *args, unit_choices, issuer_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "请选择"), *unit_choices]
        self.fields["issuer"].choices = [("", "请选择"), *issuer_choices]


class DocEditForm(TextInputMixin):
    """起草信息 of a draft. A changed text is saved as a new version."""

    title = forms.CharField(label="文件名称", max_length=200)
    issuer = UnitChoiceField(label="制定机关", help_text="只能在起草阶段修改（决定集体讨论的会议，NDOC-09）")
    issuer_level = forms.ChoiceField(label="制定机关层级", required=False,
                                     choices=_blank("按制定机关自动判断", IssuerLevel.choices),
                                     help_text="决定由何种会议集体讨论（NDOC-09）")
    touches_market = forms.BooleanField(label="涉及市场主体经济活动", required=False,
                                        help_text="只能在起草阶段修改（NDOC-04、NDOC-06）")
    explanation = forms.CharField(label="起草说明", required=False, widget=SMALL_TEXT)
    legal_basis = forms.CharField(label="制定依据", required=False, widget=SMALL_TEXT,
                                  help_text="所依据的法律、法规、规章和上级文件")
    note = forms.CharField(label="修改说明", max_length=500, required=False,
                           help_text="正文有改动时保存为新版本，此说明记入版本")

    field_order = ["title", "issuer", "issuer_level", "touches_market", "explanation", "legal_basis", "text",
                   "upload", "note"]

    def __init__(self, *args, issuer_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].choices = issuer_choices


class IssuerCodeForm(forms.Form):
    number_prefix = forms.CharField(label="机关代字", max_length=50,
                                    help_text="文号的前缀，如“示范府发”“示范农发”（NDOC-10）")
    registration_prefix = forms.CharField(label="登记号前缀", max_length=20,
                                          help_text="字母和数字，如“SFGS”，登记号形如 SFGS-2026-003")


class VersionForm(TextInputMixin):
    note = forms.CharField(label="修改说明", max_length=500, required=False)


class CheckForm(TextInputMixin):
    pass


class ImportForm(forms.Form):
    """Several files at once; the preview shows what was parsed per file."""

    unit = UnitChoiceField(label="制定机关", help_text="文件中未写明制定机关时使用")

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "请选择"), *unit_choices]


# ------------------------------------------------------------ consultation

ConsultationForm = StartForm


class CloseConsultationForm(forms.Form):
    exception_reason = forms.CharField(label="提前结束理由", max_length=500, required=False,
                                       help_text="在公告的截止日期前结束时必须填写")


AnswerCommentForm = AnswerForm


class SummaryForm(forms.Form):
    summary = forms.CharField(label="意见采纳情况说明", widget=SMALL_TEXT)


# ------------------------------------------------------------------ reviews

class FairReviewForm(forms.Form):
    passed = forms.TypedChoiceField(label="审查结论", coerce=lambda v: v == "1",
                                    choices=[("", "请选择"), ("1", "通过"), ("0", "不通过")])
    reviewing_unit_name = forms.CharField(label="审查单位", max_length=100)
    reviewed_on = forms.DateField(label="审查日期", widget=DATE)
    opinion = forms.CharField(label="审查意见", widget=SMALL_TEXT)
    late_reason = late_reason_field()


class LegalDecisionForm(forms.Form):
    opinion = forms.ChoiceField(label="审核意见", choices=_blank("请选择", LegalOpinion.choices))
    text = forms.CharField(label="审核意见书", required=False, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text="“修改后通过”和“不予通过”必须写明理由")


class DiscussionForm(forms.Form):
    meeting_type = forms.ChoiceField(label="会议类型", choices=_blank("请选择", MeetingType.choices))
    meeting_name = forms.CharField(label="会议名称", max_length=200, help_text="如：区政府第12次常务会议")
    held_on = forms.DateField(label="会议日期", widget=DATE)
    chair = forms.ModelChoiceField(label="会议主持人", queryset=Person.objects.none(), empty_label="请选择",
                                   help_text="制定机关负责人（会议当日在任，SYS-02）")
    outcome = forms.ChoiceField(label="审议结果", choices=_blank("请选择", DiscussionOutcome.choices))
    minutes = forms.CharField(label="会议纪要", required=False, widget=SMALL_TEXT)
    late_reason = late_reason_field()

    def for_doc(self, doc, today):
        """Offer as chair the heads of the issuing organ (now, or in the past)."""
        from fazhi.org.capacity import holders_on
        from fazhi.org.models import PastRoleAssignment, Role

        ids = {p.pk for p in holders_on(Role.HEAD, doc.issuer, today)}
        ids.update(PastRoleAssignment.objects.filter(role=Role.HEAD, unit=doc.issuer).values_list("person_id", flat=True))
        self.fields["chair"].queryset = Person.objects.filter(pk__in=ids).order_by("name")
        return self


class NoFieldsForm(forms.Form):
    pass


class RegisterForm(forms.Form):
    number_prefix = forms.CharField(label="机关代字", max_length=50, required=False,
                                    help_text="不填则使用制定机关登记的代字")


class PublishForm(forms.Form):
    published_on = forms.DateField(label="公布日期", widget=DATE, required=False, help_text="不填为今天")
    effective_on = forms.DateField(label="施行日期", widget=DATE, help_text="一般不早于公布之日起30日（NDOC-11）")
    urgent_reason = forms.CharField(label="提前施行理由", max_length=500, required=False)
    valid_until = forms.DateField(label="有效期至", widget=DATE, required=False,
                                  help_text="不填按5年（暂行、试行2年）计算（NDOC-17）")
    late_reason = late_reason_field()


# ------------------------------------------------------------------ filing

class FilingForm(forms.Form):
    filed_on = forms.DateField(label="报备日期", widget=DATE)
    package = forms.MultipleChoiceField(label="报备材料", choices=list(PACKAGE_ITEMS.items()),
                                        widget=forms.CheckboxSelectMultiple, required=False,
                                        help_text="材料须齐全（NDOC-14）")
    to_name = forms.CharField(label="备案审查机关", max_length=100, required=False, help_text="不填按上一级政府确定")
    late_reason = late_reason_field()


class ReturnFilingForm(forms.Form):
    reason = forms.CharField(label="退回补正理由", widget=SMALL_TEXT)


class AcceptFilingForm(forms.Form):
    receipt_no = forms.CharField(label="受理回执号", max_length=60)


class FilingReviewForm(forms.Form):
    finding = forms.ChoiceField(label="审查结论", choices=_blank("请选择", ReviewFinding.choices))
    opinion = forms.CharField(label="审查意见", required=False, widget=SMALL_TEXT)
    order_text = forms.CharField(label="纠错意见", required=False, widget=SMALL_TEXT,
                                 help_text="结论为不合法或不适当时发出纠错通知（不填则用审查意见）")


class CorrectionReportForm(forms.Form):
    report_text = forms.CharField(label="处理情况报告", widget=SMALL_TEXT)


# -------------------------------------------------------------- legal life

class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500)


class RepealForm(forms.Form):
    repealed_on = forms.DateField(label="废止日期", widget=DATE)
    reason = forms.CharField(label="废止理由", max_length=500)
    late_reason = late_reason_field()


class RenewForm(forms.Form):
    evaluation = forms.CharField(label="评估意见", widget=SMALL_TEXT)


class AmendForm(forms.Form):
    title = forms.CharField(label="修改后的文件名称", max_length=200, required=False,
                            help_text="不填沿用原名称；修改稿以现行文本为起点")


# ----------------------------------------------------------------- clean-up

class CleanupStartForm(forms.Form):
    name = forms.CharField(label="清理活动名称", max_length=200)
    kind = forms.ChoiceField(label="类型", choices=_blank("请选择", CleanupCampaign.Kind.choices))
    trigger_law = forms.CharField(label="所涉上位法", max_length=200, required=False,
                                  help_text="专项清理必填：哪部上位法的制定、修改或废止引起本次清理")
    unit = UnitChoiceField(label="组织单位", help_text="清理该单位及下级单位制定的现行有效文件")
    started_on = forms.DateField(label="开始日期", widget=DATE)
    include_in_force = forms.BooleanField(label="纳入全部现行有效文件", required=False, initial=True)

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "请选择"), *unit_choices]


class CleanupAddForm(forms.Form):
    docs = forms.TypedMultipleChoiceField(label="选择现行有效文件", coerce=int,
                                          widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, doc_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["docs"].choices = doc_choices


class CleanupDecideForm(forms.Form):
    decision = forms.ChoiceField(label="清理结论", choices=_blank("请选择", CleanupVerdict.choices))
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="修改、废止、宣布失效必须说明理由")


# ---------------------------------------------------------------- proposals

class ProposalFilterForm(forms.Form):
    state = forms.ChoiceField(label="状态", required=False,
                              choices=[("", "全部"), ("pending", "待答复"), ("replied", "已答复")])
    overdue = forms.BooleanField(label="只看逾期", required=False)


class ProposalReplyForm(forms.Form):
    reply = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 6}))
