"""Forms of the major-decisions staff screens.

They only parse input: every rule (periods, legal order, expert numbers,
conflicts, who may act) is checked by ``services``; a view copies a
service's refusal back onto the form, next to the field it concerns.
"""

from django import forms

from fazhi.consultations.forms import AnswerForm, StartForm
from fazhi.core.widgets import DateInput
from fazhi.major_decisions.models import (
    AdjustmentKind,
    AttachmentStep,
    Category,
    Completion,
    EvaluationConclusion,
    ExpertStance,
    HeadDecision,
    LegalOpinion,
    MeetingType,
    PoolKind,
    RiskLevel,
    SelectionMethod,
    Status,
    View,
)
from fazhi.org.forms import UnitChoiceField

DATE = DateInput  # the one date widget: ISO values (fazhi.core.widgets)
SMALL_TEXT = forms.Textarea(attrs={"rows": 3})
TEXT = forms.Textarea(attrs={"rows": 8})


def _blank(label: str, choices) -> list:
    return [("", label), *choices]


# ------------------------------------------------------------------ lists

class DecisionFilterForm(forms.Form):
    q = forms.CharField(label="事项名称", required=False)
    year = forms.TypedChoiceField(label="目录年度", coerce=int, empty_value=None, required=False)
    sponsor_unit = UnitChoiceField(label="承办单位", required=False)
    status = forms.ChoiceField(label="程序状态", choices=_blank("全部", Status.choices), required=False)
    overdue = forms.BooleanField(label="只看逾期（超过计划完成时间未决定）", required=False)

    def __init__(self, *args, unit_choices, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor_unit"].choices = [("", "全部"), *unit_choices]
        self.fields["year"].choices = [("", "全部"), *((y, f"{y}年") for y in years)]


class CatalogueFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", coerce=int, empty_value=None, required=False)
    unit = UnitChoiceField(label="决策机关", required=False)

    def __init__(self, *args, unit_choices, years, **kwargs):
        kwargs.setdefault("auto_id", "filter_%s")  # the page's 新建年度目录 form also has 年度 and 单位
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部"), *unit_choices]
        self.fields["year"].choices = [("", "全部"), *((y, f"{y}年") for y in years)]


class ExpertFilterForm(forms.Form):
    q = forms.CharField(label="姓名/工作单位", required=False)
    field = forms.CharField(label="专业领域", required=False)
    active = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), ("1", "在库"), ("0", "已出库")])


# -------------------------------------------------------------- catalogue

class CatalogueCreateForm(forms.Form):
    unit = UnitChoiceField(label="决策机关")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2999)
    title = forms.CharField(label="目录名称", max_length=200, required=False, help_text="不填则按“××年度重大行政决策事项目录”命名")

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "请选择"), *unit_choices]


class EntryForm(forms.Form):
    title = forms.CharField(label="事项名称", max_length=200)
    category = forms.ChoiceField(label="事项类别", choices=_blank("请选择", Category.choices),
                                 help_text="MDEC-01 五类决策事项")
    sponsor_unit = UnitChoiceField(label="承办单位")
    basis = forms.CharField(label="法律政策依据", widget=SMALL_TEXT, required=False)
    description = forms.CharField(label="事项概述", widget=SMALL_TEXT, required=False)
    needs_participation = forms.BooleanField(label="需公众参与", required=False, initial=True)
    no_participation_reason = forms.CharField(label="免于公众参与理由", max_length=500, required=False,
                                              help_text="依法不予公开的事项方可免于公众参与（MDEC-04）")
    needs_expert_review = forms.BooleanField(label="需专家论证", required=False)
    expert_field = forms.CharField(label="论证专业领域", max_length=50, required=False)
    needs_risk_assessment = forms.BooleanField(label="需风险评估", required=False)
    planned_completion = forms.DateField(label="计划完成时间", widget=DATE, required=False)

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor_unit"].choices = [("", "请选择"), *unit_choices]


TRI = [("", "不变"), ("1", "是"), ("0", "否")]


class AdjustForm(forms.Form):
    """目录调整: add a matter, remove one, or change one (only the fields filled in)."""

    kind = forms.ChoiceField(label="调整类型", choices=_blank("请选择", AdjustmentKind.choices))
    entry = forms.TypedChoiceField(label="调整的事项", coerce=int, empty_value=None, required=False,
                                   help_text="调出或变更时选择")
    reason = forms.CharField(label="调整理由", widget=SMALL_TEXT)
    adjusted_on = forms.DateField(label="调整日期", widget=DATE)
    party_consent_note = forms.CharField(label="党委同意情况", max_length=500, required=False)
    title = forms.CharField(label="事项名称", max_length=200, required=False)
    category = forms.ChoiceField(label="事项类别", choices=_blank("不变/请选择", Category.choices), required=False)
    sponsor_unit = UnitChoiceField(label="承办单位", required=False)
    basis = forms.CharField(label="法律政策依据", widget=SMALL_TEXT, required=False)
    needs_participation = forms.ChoiceField(label="需公众参与", choices=TRI, required=False)
    no_participation_reason = forms.CharField(label="免于公众参与理由", max_length=500, required=False)
    needs_expert_review = forms.ChoiceField(label="需专家论证", choices=TRI, required=False)
    expert_field = forms.CharField(label="论证专业领域", max_length=50, required=False)
    needs_risk_assessment = forms.ChoiceField(label="需风险评估", choices=TRI, required=False)
    planned_completion = forms.DateField(label="计划完成时间", widget=DATE, required=False)

    def __init__(self, *args, unit_choices, entry_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor_unit"].choices = [("", "不变/请选择"), *unit_choices]
        self.fields["entry"].choices = [("", "请选择"), *entry_choices]

    def entry_fields(self) -> dict:
        """The entry fields filled in (for 增加: all given; for 变更: the changes)."""
        c = self.cleaned_data
        out = {}
        for name in ("title", "category", "basis", "no_participation_reason", "expert_field"):
            if c.get(name):
                out[name] = c[name]
        if c.get("sponsor_unit"):
            out["sponsor_unit"] = c["sponsor_unit"]  # pk; the view resolves it
        if c.get("planned_completion"):
            out["planned_completion"] = c["planned_completion"]
        for name in ("needs_participation", "needs_expert_review", "needs_risk_assessment"):
            if c.get(name) in ("1", "0"):
                out[name] = c[name] == "1"
        return out


class ApproveForm(forms.Form):
    party_consent_on = forms.DateField(label="党委同意日期", widget=DATE)
    party_consent_note = forms.CharField(label="党委同意情况", max_length=500,
                                         help_text="如：经区委常委会会议同意（MDEC-02）")
    approved_on = forms.DateField(label="批准日期", widget=DATE)


class PublishCatalogueForm(forms.Form):
    published_on = forms.DateField(label="公布日期", widget=DATE)
    note = forms.CharField(label="公布说明", widget=SMALL_TEXT, required=False)


class CompletionForm(forms.Form):
    entry = forms.TypedChoiceField(label="事项", coerce=int, empty_value=None)
    completion = forms.ChoiceField(label="完成情况", choices=_blank("请选择", [
        c for c in Completion.choices if c[0] not in ("", Completion.REMOVED)]))
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args, entry_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", "请选择"), *entry_choices]


class PublishCompletionForm(forms.Form):
    published_on = forms.DateField(label="公布日期", widget=DATE)
    summary = forms.CharField(label="年度完成情况说明", widget=SMALL_TEXT)


# --------------------------------------------------------------- decision

class NoFieldsForm(forms.Form):
    pass


class LaunchForm(forms.Form):
    title = forms.CharField(label="决策事项名称", max_length=200, required=False, help_text="不填则与目录事项名称相同")
    launched_on = forms.DateField(label="启动日期", widget=DATE)
    launch_note = forms.CharField(label="决策启动说明", widget=SMALL_TEXT, required=False,
                                  help_text="决策事项建议的研究论证情况（MDEC-03）")


class DraftForm(forms.Form):
    draft_text = forms.CharField(label="决策草案", widget=TEXT)
    draft_explanation = forms.CharField(label="起草说明", widget=SMALL_TEXT, required=False)
    touches_market = forms.BooleanField(label="涉及市场主体经济活动", required=False)
    fair_competition_note = forms.CharField(label="公平竞争审查情况", max_length=500, required=False)


class ConsultationForm(StartForm):
    how_to_comment = forms.CharField(label="意见提交方式", max_length=500, required=False,
                                     help_text="不填则为“通过门户网站在线提交”")
    field_order = ["start_on", "end_on", "exception_reason", "how_to_comment", "late_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exception_reason"].help_text = "期限少于30日时必须在公告中说明理由（MDEC-04）"


class SummaryForm(forms.Form):
    summary = forms.CharField(label="意见采纳情况说明", widget=SMALL_TEXT)
    published_on = forms.DateField(label="公布日期", widget=DATE)


class SelectExpertsForm(forms.Form):
    pool = forms.TypedChoiceField(label="专家库", coerce=int)
    field = forms.CharField(label="专业领域", max_length=50, required=False, help_text="不填则按目录确定的论证领域")
    method = forms.ChoiceField(label="选取方式", choices=SelectionMethod.choices, initial=SelectionMethod.RANDOM)
    count = forms.IntegerField(label="抽取人数", min_value=1, max_value=50, required=False,
                               help_text="随机抽取时填写，至少3名（MDEC-06）。提交后先冻结候选名单并公开承诺值，"
                                         "再揭示抽取；种子由系统生成，任何人不能指定")
    experts = forms.TypedMultipleChoiceField(label="指定专家", coerce=int, required=False,
                                             widget=forms.CheckboxSelectMultiple, help_text="指定选取时勾选，至少3名")
    choice_reason = forms.CharField(label="指定理由", max_length=500, required=False)
    selected_on = forms.DateField(label="选取日期", widget=DATE)

    def __init__(self, *args, pool_choices, expert_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].choices = pool_choices
        self.fields["experts"].choices = expert_choices


class RedrawExpertsForm(forms.Form):
    reason = forms.CharField(label="重新抽取理由", max_length=500, widget=SMALL_TEXT,
                             help_text="如：抽中的专家因回避或无法到会不能参加论证。理由和次数均记录在案")


class OpinionForm(forms.Form):
    opinion = forms.TypedChoiceField(label="专家", coerce=int)
    stance = forms.ChoiceField(label="论证结论", choices=_blank("请选择", ExpertStance.choices))
    text = forms.CharField(label="书面论证意见", widget=SMALL_TEXT)
    signed_on = forms.DateField(label="签署日期", widget=DATE)
    handling = forms.CharField(label="采纳情况", widget=SMALL_TEXT, required=False)
    late_reason = forms.CharField(label="补录理由", max_length=500, required=False,
                                  help_text="所填日期早于今天超过规定天数时必须说明理由，记入办理记录（SYS-03）")

    def __init__(self, *args, opinion_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opinion"].choices = [("", "请选择"), *opinion_choices]


class CompleteExpertReviewForm(forms.Form):
    held_on = forms.DateField(label="论证日期", widget=DATE)
    summary = forms.CharField(label="论证意见汇总及采纳情况", widget=SMALL_TEXT)
    late_reason = forms.CharField(label="补录理由", max_length=500, required=False,
                                  help_text="所填日期早于今天超过规定天数时必须说明理由，记入办理记录（SYS-03）")


class RiskForm(forms.Form):
    assessor = forms.CharField(label="评估主体", max_length=200)
    assessed_on = forms.DateField(label="评估日期", widget=DATE)
    level = forms.ChoiceField(label="风险等级", choices=_blank("请选择", RiskLevel.choices))
    risk_points = forms.CharField(label="风险点", widget=SMALL_TEXT)
    measures = forms.CharField(label="防范化解措施", widget=SMALL_TEXT)
    contingency_plan = forms.CharField(label="应急处置预案", widget=SMALL_TEXT)
    report = forms.CharField(label="评估报告", widget=SMALL_TEXT, required=False)
    experts = forms.TypedMultipleChoiceField(label="参与评估专家", coerce=int, required=False,
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text="社会稳定风险评估专家库（MDEC-07）")
    late_reason = forms.CharField(label="补录理由", max_length=500, required=False,
                                  help_text="所填日期早于今天超过规定天数时必须说明理由，记入办理记录（SYS-03）")

    def __init__(self, *args, expert_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["experts"].choices = expert_choices


class MitigationForm(forms.Form):
    mitigation = forms.CharField(label="风险化解/草案调整情况", widget=SMALL_TEXT)
    residual_level = forms.ChoiceField(label="重新评估等级", choices=_blank("请选择", RiskLevel.choices))
    mitigated_on = forms.DateField(label="日期", widget=DATE)


LEGAL_MATERIALS = ("决策草案", "法律法规规章和政策依据", "履行决策程序情况说明")


class SubmitLegalForm(forms.Form):
    submitted_on = forms.DateField(label="送审日期", widget=DATE)
    materials = forms.MultipleChoiceField(label="送审材料", widget=forms.CheckboxSelectMultiple,
                                          choices=[(m, m) for m in LEGAL_MATERIALS])
    procedures_account = forms.CharField(label="履行决策程序情况说明", widget=SMALL_TEXT)
    late_reason = forms.CharField(label="补录理由", max_length=500, required=False,
                                  help_text="所填日期早于今天超过规定天数时必须说明理由，记入办理记录（SYS-03）")


class LegalOpinionForm(forms.Form):
    opinion = forms.ChoiceField(label="审查意见", choices=_blank("请选择", LegalOpinion.choices))
    text = forms.CharField(label="合法性审查意见书", widget=SMALL_TEXT)
    decided_on = forms.DateField(label="审查日期", widget=DATE)
    late_reason = forms.CharField(label="补录理由", max_length=500, required=False,
                                  help_text="所填日期早于今天超过规定天数时必须说明理由，记入办理记录（SYS-03）")


VOTE_CHOICES = [("", "未出席"), *View.choices]


class DiscussionForm(forms.Form):
    """The meeting, each member's view (one select per member of the
    deciding government) and the head's decision, taken last (MDEC-11)."""

    meeting_type = forms.ChoiceField(label="会议类型", choices=MeetingType.choices)
    meeting_name = forms.CharField(label="会议名称", max_length=200)
    held_on = forms.DateField(label="会议日期", widget=DATE)
    host = forms.TypedChoiceField(label="主持人", coerce=int)
    head = forms.TypedChoiceField(label="行政首长", coerce=int)
    head_decision = forms.ChoiceField(label="行政首长决定", choices=_blank("请选择", HeadDecision.choices))
    head_reasons = forms.CharField(label="与多数意见不一致的理由", widget=SMALL_TEXT, required=False,
                                   help_text="行政首长的决定与多数人意见不一致的，须记录理由（MDEC-11）")
    minutes = forms.CharField(label="会议纪要", widget=SMALL_TEXT, required=False)
    late_reason = forms.CharField(label="补录理由", max_length=500, required=False,
                                  help_text="所填日期早于今天超过规定天数时必须说明理由，记入办理记录（SYS-03）")

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        people = [(p.pk, f"{p.name}（{p.post or p.unit.display_name}）") for p in members]
        self.fields["host"].choices = [("", "请选择"), *people]
        self.fields["head"].choices = [("", "请选择"), *people]
        self.members = list(members)
        for p in self.members:
            self.fields[f"view_{p.pk}"] = forms.ChoiceField(label=f"{p.name}意见", choices=VOTE_CHOICES,
                                                            required=False)
            self.fields[f"remarks_{p.pk}"] = forms.CharField(label=f"{p.name}发言", max_length=5000, required=False)
        # The members speak first, the head decides last (MDEC-11).
        member_fields = [n for p in self.members for n in (f"view_{p.pk}", f"remarks_{p.pk}")]
        self.order_fields(["meeting_type", "meeting_name", "held_on", "host", *member_fields, "head",
                           "head_decision", "head_reasons", "minutes", "late_reason"])

    def votes(self) -> list[dict]:
        c = self.cleaned_data
        return [{"person": p, "view": c[f"view_{p.pk}"], "remarks": c.get(f"remarks_{p.pk}", "")}
                for p in self.members if c.get(f"view_{p.pk}")]


class PublishDecisionForm(forms.Form):
    party_reported_on = forms.DateField(label="向党委请示报告日期", widget=DATE, help_text="MDEC-12")
    published_on = forms.DateField(label="公布日期", widget=DATE)
    decision_no = forms.CharField(label="文号", max_length=120, required=False)
    adoption_explanation = forms.CharField(label="公众及专家意见采纳情况说明", widget=SMALL_TEXT, required=False,
                                           help_text="经公众参与或专家论证的，公布时须说明（MDEC-13）")
    public_text = forms.CharField(label="公布文本", widget=SMALL_TEXT, required=False, help_text="不填则为决策草案")
    late_reason = forms.CharField(label="补录理由", max_length=500, required=False,
                                  help_text="所填日期早于今天超过规定天数时必须说明理由，记入办理记录（SYS-03）")


class ExecutionStartForm(forms.Form):
    started_on = forms.DateField(label="开始执行日期", widget=DATE)
    execution_unit = UnitChoiceField(label="执行单位", required=False, help_text="不填则为承办单位")

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["execution_unit"].choices = [("", "承办单位"), *unit_choices]


class ExecutionReportForm(forms.Form):
    reported_on = forms.DateField(label="报告日期", widget=DATE)
    content = forms.CharField(label="执行情况", widget=SMALL_TEXT)
    problems = forms.CharField(label="存在问题及建议", widget=SMALL_TEXT, required=False)


class PostEvaluationForm(forms.Form):
    reason = forms.CharField(label="启动评估原因", widget=SMALL_TEXT)
    started_on = forms.DateField(label="启动日期", widget=DATE)
    evaluator = forms.CharField(label="评估主体", max_length=200,
                                help_text="承担决策前主要评估工作的单位不得承担后评估（MDEC-15）")
    third_party = forms.BooleanField(label="委托第三方评估", required=False)
    participants = forms.CharField(label="人大代表、政协委员等参与情况", widget=SMALL_TEXT, required=False)
    due_on = forms.DateField(label="计划完成日期", widget=DATE, required=False, help_text="不填则按90日计算")


class FinishEvaluationForm(forms.Form):
    report = forms.CharField(label="评估报告", widget=SMALL_TEXT)
    conclusion = forms.ChoiceField(label="评估结论", choices=_blank("请选择", EvaluationConclusion.choices))
    finished_on = forms.DateField(label="完成日期", widget=DATE)


class PublishEvaluationForm(forms.Form):
    on = forms.DateField(label="公开日期", widget=DATE)


class AdjustDecisionForm(forms.Form):
    decided_on = forms.DateField(label="决定日期", widget=DATE)
    reason = forms.CharField(label="调整理由", widget=SMALL_TEXT)
    content = forms.CharField(label="调整内容", widget=SMALL_TEXT)


class StopForm(forms.Form):
    decided_on = forms.DateField(label="决定日期", widget=DATE)
    reason = forms.CharField(label="停止理由", widget=SMALL_TEXT)
    emergency = forms.BooleanField(label="紧急情况先行暂停", required=False)


class AbandonForm(forms.Form):
    reason = forms.CharField(label="终止理由", widget=SMALL_TEXT)


class AttachmentForm(forms.Form):
    step = forms.ChoiceField(label="程序环节")
    title = forms.CharField(label="材料名称", max_length=200)
    file = forms.FileField(label="文件", help_text="PDF、Word（.docx）、JPG、PNG，按文件内容识别",
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png"}))

    def __init__(self, *args, steps, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = _blank("请选择", [(s, AttachmentStep(s).label) for s in steps])


class AnswerCommentForm(AnswerForm):
    # MDEC-04: every answer gives its reason, an adoption too (the policy's reason_for_adopted).
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


# ----------------------------------------------------------------- experts

class ExpertForm(forms.Form):
    pool = forms.TypedChoiceField(label="专家库", coerce=int)
    name = forms.CharField(label="姓名", max_length=50)
    fields_text = forms.CharField(label="专业领域", max_length=500, help_text="多个领域用顿号“、”或逗号分隔")
    affiliation = forms.CharField(label="工作单位", max_length=200, required=False)
    title = forms.CharField(label="职称/职务", max_length=100, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    conflict_units = forms.TypedMultipleChoiceField(label="回避单位", coerce=int, required=False,
                                                    widget=forms.SelectMultiple(attrs={"size": 8}),
                                                    help_text="与专家有直接利害关系的单位：其承办的事项专家应当回避（MDEC-06）")
    is_active = forms.BooleanField(label="在库", required=False, initial=True)

    def __init__(self, *args, pool_choices, unit_choices, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pool"].choices = [("", "请选择"), *pool_choices]
        self.fields["conflict_units"].choices = unit_choices
        if editing:
            self.fields["pool"].required = False
            self.fields["pool"].disabled = True
        else:
            del self.fields["is_active"]


POOL_KINDS = PoolKind.choices


# ------------------------------------------------------------------ catalogue import

class CatalogueImportForm(forms.Form):
    file = forms.FileField(label="目录文件", help_text="印发目录的通知：.docx（含目录表格）、.xlsx 或 .txt，不超过10MB")
    category = forms.ChoiceField(label="事项类别", choices=Category.choices, initial=Category.OTHER,
                                 help_text="文件未注明类别（无“事项类别”列或“一、重大公共政策和措施”等分组）的事项归入此类，预览中可逐项修改（MDEC-01）")


class ImportRowForm(forms.Form):
    """One row of the import preview, as the clerk corrects it."""

    title = forms.CharField(label="决策事项", max_length=200, required=False)
    sponsor_unit = forms.TypedChoiceField(label="承办单位", coerce=int, empty_value=None, required=False)
    partners = forms.CharField(label="配合单位", max_length=500, required=False)
    planned_completion = forms.DateField(label="完成时限", required=False, widget=DATE)
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    skip = forms.BooleanField(label="不导入", required=False)

    def __init__(self, *args, unit_choices, row_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor_unit"].choices = _blank("— 请选择 —", unit_choices)
        for field in self.fields.values():  # the preview table has no <label> per cell
            field.widget.attrs["aria-label"] = f"{row_label}{field.label}"
