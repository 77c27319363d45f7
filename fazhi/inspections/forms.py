"""Forms of the 双随机、一公开 staff screens.

They only parse input: every rule (published items only, team of at least
two, sample within the pool, recusal, legal order of the draw, credit-code
check digit, publication deadline) is checked by ``services``; a view copies
a service's refusal back onto the form, with its rule ID.
"""

from django import forms

from fazhi.core.widgets import DateInput
from fazhi.inspections.models import (
    STRATIFY_DIMENSIONS,
    InspectionKind,
    InspectionStatus,
    ItemKind,
    ItemStatus,
    NonRandomReason,
    PlanKind,
    PlanStatus,
    Result,
    RiskLevel,
    TaskStatus,
    WitnessKind,
)
from fazhi.org.forms import UnitChoiceField

DATE = DateInput  # the one date widget: ISO values (fazhi.core.widgets)
SMALL_TEXT = forms.Textarea(attrs={"rows": 3})
TEXT = forms.Textarea(attrs={"rows": 5})

STRATIFY_LABELS = {"industry": "行业", "region": "区域", "risk_level": "风险等级"}


def _blank(label: str, choices) -> list:
    return [("", label), *choices]


def split_list(text: str) -> list[str]:
    """"食品销售、餐饮服务" / one per line / commas -> a clean list, order kept, no duplicates."""
    out: list[str] = []
    for part in (text or "").replace("，", "、").replace(",", "、").replace("\n", "、").split("、"):
        p = part.strip()
        if p and p not in out:
            out.append(p)
    return out


# ==================================================================== filters

class ItemFilterForm(forms.Form):
    q = forms.CharField(label="编号/事项/依据", required=False)
    unit = UnitChoiceField(label="检查部门", required=False)
    kind = forms.ChoiceField(label="类别", choices=_blank("全部", ItemKind.choices), required=False)
    status = forms.ChoiceField(label="状态", choices=_blank("现行（草稿和已公布）", [
        *ItemStatus.choices, ("all", "全部版本")]), required=False)

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部"), *unit_choices]


class EntityFilterForm(forms.Form):
    q = forms.CharField(label="名称/统一社会信用代码", required=False)
    industry = forms.CharField(label="行业", required=False, widget=forms.TextInput(attrs={"list": "dl-industry"}))
    region = forms.CharField(label="区域", required=False, widget=forms.TextInput(attrs={"list": "dl-region"}))
    risk_level = forms.ChoiceField(label="风险等级", choices=_blank("全部", RiskLevel.choices), required=False)
    credit_level = forms.CharField(label="信用等级", required=False,
                                   widget=forms.TextInput(attrs={"list": "dl-credit_level", "size": 6}))
    active = forms.ChoiceField(label="状态", choices=[("", "有效"), ("0", "已失效"), ("all", "全部")],
                               required=False)


class InspectorFilterForm(forms.Form):
    q = forms.CharField(label="姓名/证号", required=False)
    unit = UnitChoiceField(label="单位", required=False)
    field = forms.CharField(label="执法领域", required=False)
    eligible = forms.ChoiceField(label="今日可抽", choices=[("", "全部"), ("1", "可抽取"), ("0", "不可抽取")],
                                 required=False)


class PlanFilterForm(forms.Form):
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2999)
    unit = UnitChoiceField(label="牵头部门", required=False)
    kind = forms.ChoiceField(label="类型", choices=_blank("全部", PlanKind.choices), required=False)
    status = forms.ChoiceField(label="状态", choices=_blank("全部", PlanStatus.choices), required=False)

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部"), *unit_choices]


class TaskFilterForm(forms.Form):
    q = forms.CharField(label="任务名称", required=False)
    unit = UnitChoiceField(label="牵头部门", required=False)
    status = forms.ChoiceField(label="状态", choices=_blank("全部", TaskStatus.choices), required=False)

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部"), *unit_choices]


class InspectionFilterForm(forms.Form):
    q = forms.CharField(label="对象名称/信用代码", required=False)
    unit = UnitChoiceField(label="检查部门", required=False)
    status = forms.ChoiceField(label="状态", choices=_blank("全部", InspectionStatus.choices), required=False)
    kind = forms.ChoiceField(label="方式", choices=_blank("全部", InspectionKind.choices), required=False)
    result = forms.ChoiceField(label="结果", choices=_blank("全部", Result.choices), required=False)
    due = forms.ChoiceField(label="公示期限", choices=[("", "全部"), ("overdue", "已逾期未公示"),
                                                      ("pending", "待公示")], required=False)
    task = forms.IntegerField(label="任务", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部"), *unit_choices]


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2999, required=False)


# ====================================================================== items

class ItemForm(forms.Form):
    unit = UnitChoiceField(label="检查部门")
    number = forms.CharField(label="事项编号", max_length=40)
    name = forms.CharField(label="抽查事项", max_length=200)
    sub_item = forms.CharField(label="抽查子项", max_length=200, required=False)
    inspecting_body = forms.CharField(label="检查主体", max_length=200)
    basis = forms.CharField(label="检查依据", widget=SMALL_TEXT)
    method = forms.CharField(label="检查方式", max_length=200, required=False, help_text="如：书面检查、实地核查、网络监测")
    content = forms.CharField(label="检查内容", widget=SMALL_TEXT, required=False)
    object_scope = forms.CharField(label="检查对象范围", max_length=300, required=False)
    frequency = forms.CharField(label="抽查比例和频次", max_length=200, required=False,
                                help_text="如：比例不低于5%，每年一次（RAND-06）")
    kind = forms.ChoiceField(label="事项类别", choices=ItemKind.choices,
                             help_text="一般检查事项严格控制抽查比例；重点检查事项不设上限（RAND-04）")
    field = forms.CharField(label="执法领域", max_length=100, required=False,
                            help_text="检查人员的执法领域须与此一致；为空则不限")
    remarks = forms.CharField(label="备注", widget=SMALL_TEXT, required=False)

    FIELDS = ("number", "name", "sub_item", "inspecting_body", "basis", "method", "content", "object_scope",
              "frequency", "kind", "field", "remarks")

    def __init__(self, *args, unit_choices, fixed_unit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices
        if fixed_unit:
            del self.fields["unit"]
            self.fields["number"].disabled = True


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=300, required=False)


# ===================================================================== entities

class EntityForm(forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, min_length=18,
                                  help_text="18位，校验码按 GB 32100-2015 核验")
    entity_type = forms.CharField(label="主体类型", max_length=50, required=False, help_text="如：有限责任公司、个体工商户")
    industry = forms.CharField(label="行业", max_length=100, required=False)
    region = forms.CharField(label="区域", max_length=100, required=False, help_text="如：龙凤镇")
    address = forms.CharField(label="住所（经营场所）", max_length=300, required=False)
    legal_rep = forms.CharField(label="法定代表人（负责人）", max_length=100, required=False)
    contact = forms.CharField(label="联系人", max_length=100, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    risk_level = forms.ChoiceField(label="风险等级", choices=RiskLevel.choices)
    credit_level = forms.CharField(label="信用等级", max_length=20, required=False, help_text="如：A、B、C、D")
    last_inspected_on = forms.DateField(label="最近检查日期", required=False, widget=DATE)
    org_unit = UnitChoiceField(label="属地（主管）单位", required=False, help_text="用于按单位回避")
    active = forms.BooleanField(label="有效", required=False, initial=True)

    FIELDS = ("name", "credit_code", "entity_type", "industry", "region", "address", "legal_rep", "contact",
              "phone", "risk_level", "credit_level", "last_inspected_on", "active")

    def __init__(self, *args, unit_choices, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].choices = [("", "（无）"), *unit_choices]
        if not editing:
            del self.fields["active"]

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()


class ImportForm(forms.Form):
    unit = UnitChoiceField(label="导入单位")
    file = forms.FileField(label="文件", help_text=".csv（UTF-8 或 GBK）或 .xlsx，第一行为列名")

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices


# =================================================================== inspectors

class InspectorAddForm(forms.Form):
    officer = forms.TypedChoiceField(label="执法人员", coerce=int, help_text="已登记的执法人员（行政执法模块）")
    areas = forms.CharField(label="执法领域", max_length=300, required=False, help_text="多个领域用“、”分隔")
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, officer_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].choices = officer_choices


class InspectorUpdateForm(forms.Form):
    areas = forms.CharField(label="执法领域", max_length=300, required=False, help_text="多个领域用“、”分隔")
    active = forms.BooleanField(label="在库（参与抽取）", required=False)
    note = forms.CharField(label="备注", max_length=300, required=False)


class AbsenceForm(forms.Form):
    start = forms.DateField(label="起始日期", widget=DATE)
    end = forms.DateField(label="结束日期", widget=DATE, help_text="最后一日（含）")
    reason = forms.CharField(label="原因", max_length=200, help_text="如：休假、培训、借调")


class RecusalForm(forms.Form):
    target = forms.ChoiceField(label="回避类型", choices=[("entity", "回避检查对象"), ("unit", "回避单位")],
                               widget=forms.RadioSelect, initial="entity")
    credit_code = forms.CharField(label="对象信用代码", max_length=18, required=False)
    org_unit = UnitChoiceField(label="回避单位", required=False)
    reason = forms.CharField(label="回避原因", max_length=300, help_text="如：近亲属任职、曾在该单位任职")

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].choices = [("", "请选择"), *unit_choices]

    def clean(self):
        d = super().clean()
        if d.get("target") == "entity" and not (d.get("credit_code") or "").strip():
            self.add_error("credit_code", "请填写回避对象的统一社会信用代码")
        if d.get("target") == "unit" and not d.get("org_unit"):
            self.add_error("org_unit", "请选择回避单位")
        return d


# ============================================================== plans and tasks

class PlanForm(forms.Form):
    unit = UnitChoiceField(label="牵头部门")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2999)
    title = forms.CharField(label="计划名称", max_length=200)
    kind = forms.ChoiceField(label="计划类型", choices=PlanKind.choices,
                             help_text="部门联合抽查：一次检查，多个部门参与（综合查一次，RAND-01）")
    participating_units = forms.TypedMultipleChoiceField(label="参与部门", coerce=int, required=False,
                                                         widget=forms.CheckboxSelectMultiple)
    random_target = forms.DecimalField(label="双随机抽查占比目标（%）", min_value=0, max_value=100,
                                       decimal_places=1, initial=30,
                                       help_text="本部门年度检查中以双随机方式开展的比例目标（RAND-01）")
    description = forms.CharField(label="计划说明", widget=TEXT, required=False)

    def __init__(self, *args, unit_choices, participant_choices, fixed_unit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices
        self.fields["participating_units"].choices = participant_choices
        if fixed_unit:  # an existing plan keeps its lead department, year and kind
            del self.fields["unit"]
            self.fields["year"].disabled = True
            self.fields["kind"].disabled = True


class TaskForm(forms.Form):
    title = forms.CharField(label="任务名称", max_length=200)
    items = forms.TypedMultipleChoiceField(label="抽查事项", coerce=int, widget=forms.CheckboxSelectMultiple,
                                           help_text="只能选择已公布的事项（ENF-28）")
    industries = forms.CharField(label="行业", required=False, help_text="多个用“、”分隔；为空则不限")
    regions = forms.CharField(label="区域", required=False, help_text="多个用“、”分隔；为空则不限")
    risk_levels = forms.MultipleChoiceField(label="风险等级", choices=RiskLevel.choices, required=False,
                                            widget=forms.CheckboxSelectMultiple, help_text="不选则不限")
    size_mode = forms.ChoiceField(label="抽取方式", choices=[("size", "按数量"), ("ratio", "按比例")],
                                  widget=forms.RadioSelect, initial="size")
    sample_size = forms.IntegerField(label="抽取数量", min_value=1, required=False)
    sample_ratio = forms.DecimalField(label="抽取比例（%）", min_value=0, max_value=100, decimal_places=2,
                                      required=False, help_text="如 5 表示 5%（RAND-06）")
    stratify_by = forms.MultipleChoiceField(label="分层依据", required=False, widget=forms.CheckboxSelectMultiple,
                                            choices=[(d, STRATIFY_LABELS[d]) for d in STRATIFY_DIMENSIONS],
                                            help_text="不选则不分层；分层时默认按各层规模比例分配")
    quotas = forms.CharField(label="各层抽取数量", widget=SMALL_TEXT, required=False,
                             help_text="可选，每行“层：数量”，如“行业=餐饮服务；风险等级=高：10”；层的名称见任务页的名录预览")
    team_size = forms.IntegerField(label="每组检查人员数", min_value=2, initial=2,
                                   help_text="不少于2名，随机抽取（RAND-05）")
    exclude_recent_months = forms.IntegerField(label="近期已检查排除（月）", min_value=0, max_value=120, initial=0,
                                               help_text="排除N个月内已检查的对象，高风险对象除外；0 表示不排除")
    planned_start = forms.DateField(label="计划开始日期", widget=DATE)
    planned_end = forms.DateField(label="计划结束日期", widget=DATE)

    def __init__(self, *args, item_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = item_choices

    def clean_quotas(self):
        out = {}
        for n, line in enumerate((self.cleaned_data.get("quotas") or "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            for sep_char in ("：", ":", "="):
                if sep_char in line:
                    key, sep, num = line.rpartition(sep_char)
                    break
            else:
                key, sep, num = "", "", line
            if not sep or not key.strip():
                raise forms.ValidationError(f"第{n}行格式应为“层：数量”")
            try:
                out[key.strip()] = int(num.strip())
            except ValueError:
                raise forms.ValidationError(f"第{n}行的数量不是整数") from None
        return out

    def clean(self):
        d = super().clean()
        mode = d.get("size_mode")
        if mode == "size" and not d.get("sample_size"):
            self.add_error("sample_size", "请填写抽取数量")
        if mode == "ratio" and not d.get("sample_ratio"):
            self.add_error("sample_ratio", "请填写抽取比例")
        return d

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        ratio = d.get("sample_ratio")
        by_size = d["size_mode"] == "size"
        return {
            "title": d["title"],
            "industries": split_list(d["industries"]),
            "regions": split_list(d["regions"]),
            "risk_levels": list(d["risk_levels"]),
            "sample_size": d["sample_size"] if by_size else None,
            "sample_ratio": None if by_size or ratio is None else ratio / 100,
            "stratify_by": [x for x in STRATIFY_DIMENSIONS if x in d["stratify_by"]],
            "quotas": d["quotas"],
            "team_size": d["team_size"],
            "exclude_recent_months": d["exclude_recent_months"],
            "planned_start": d["planned_start"],
            "planned_end": d["planned_end"],
        }


# ======================================================================= draws

class RevealForm(forms.Form):
    """A ``fazhi-draw/1`` draw (frozen before witnesses committed): the one public input at the reveal."""

    witness_name = forms.CharField(label="监督人", max_length=100, help_text="现场监督人员姓名及单位")
    witness_input = forms.CharField(label="监督人输入", max_length=200,
                                    help_text="由监督人当场随意输入的一串文字或数字，与承诺的种子共同决定抽取结果")


class WitnessForm(forms.Form):
    name = forms.CharField(label="监督人姓名", max_length=100)
    capacity = forms.CharField(label="身份及单位", max_length=200,
                               help_text="如：区纪委监委派驻纪检监察组；公众代表（人大代表、政协委员、企业代表等）")
    kind = forms.ChoiceField(label="监督方式", choices=WitnessKind.choices, initial=WitnessKind.SECRET,
                             help_text="秘密值：监督人自拟一段秘密，冻结前只提交其哈希，冻结后当场输入；"
                                       "公开随机数：冻结前写明来源，冻结后录入其数值")
    source = forms.CharField(label="公开随机数来源", max_length=200, required=False,
                             help_text="“公开随机数”方式必填：冻结后将采用的公开数据，如“2026年4月15日福彩3D开奖号码”")


class WitnessCommitForm(forms.Form):
    secret = forms.CharField(
        label="秘密值", max_length=200, required=False, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="由监督人本人当场输入并自行记下（如掷骰子得到的一串数字，不少于8位）；揭示时须原样输入。"
                  "系统只保存其 SHA-256，不保存秘密值本身")
    commitment = forms.CharField(label="或：承诺值", max_length=64, required=False,
                                 help_text="监督人也可自行计算秘密值的 SHA-256（64位十六进制），只提交此值")


class WitnessRevealForm(forms.Form):
    value = forms.CharField(label="秘密值", max_length=200, strip=False,
                            widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, kind: str = WitnessKind.SECRET, **kwargs):
        super().__init__(*args, **kwargs)
        if kind == WitnessKind.PUBLIC:
            self.fields["value"].label = "公开随机数"
            self.fields["value"].help_text = "按冻结前写明的来源，录入公布的数值"
        else:
            self.fields["value"].help_text = "监督人原样输入冻结前承诺的秘密值；与承诺值不符的将被拒绝"


# ===================================================================== results

class ResultForm(forms.Form):
    result = forms.ChoiceField(label="检查结果", choices=_blank("请选择", Result.choices))
    inspected_on = forms.DateField(label="检查日期", widget=DATE)
    findings = forms.CharField(label="检查情况", widget=TEXT, required=False,
                               help_text="检查发现的问题和处理情况；公示时作为公示内容")
    officers = forms.TypedMultipleChoiceField(label="检查人员", coerce=int, required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              help_text="默认为抽取的检查组")
    late_reason = forms.CharField(label="补录理由", max_length=500, required=False, widget=SMALL_TEXT,
                                  help_text="检查日期早于今天15天以上或晚于任务计划结束日期时须填写；记入操作记录")

    def __init__(self, *args, officer_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].choices = officer_choices


class AttachmentForm(forms.Form):
    title = forms.CharField(label="名称", max_length=200, required=False, help_text="如：现场检查笔录")
    file = forms.FileField(label="文件", help_text="PDF、JPG、PNG、DOCX")


class HandoverForm(forms.Form):
    receiving_unit = UnitChoiceField(label="接收单位")
    handed_over_on = forms.DateField(label="移交日期", widget=DATE)
    note = forms.CharField(label="移交说明", max_length=500, widget=SMALL_TEXT, required=False)
    register_case = forms.BooleanField(label="同时在行政执法模块登记案件线索", required=False)
    late_reason = forms.CharField(label="补录理由", max_length=500, required=False, widget=SMALL_TEXT,
                                  help_text="移交日期早于今天15天以上时须填写；记入操作记录")

    def __init__(self, *args, unit_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_unit"].choices = unit_choices


class PublishForm(forms.Form):
    content = forms.CharField(label="公示内容", widget=SMALL_TEXT, required=False,
                              help_text="不填则公示检查结果和检查情况；自然人信息须隐去")


class NonRandomForm(forms.Form):
    unit = UnitChoiceField(label="检查部门")
    credit_code = forms.CharField(label="对象信用代码", max_length=18)
    reason = forms.ChoiceField(label="检查事由", choices=NonRandomReason.choices)
    reason_note = forms.CharField(label="事由说明", max_length=300, required=False)
    inspected_on = forms.DateField(label="检查日期", widget=DATE)
    result = forms.ChoiceField(label="检查结果", choices=_blank("请选择", Result.choices))
    findings = forms.CharField(label="检查情况", widget=SMALL_TEXT, required=False)
    officers = forms.TypedMultipleChoiceField(label="检查人员", coerce=int, widget=forms.CheckboxSelectMultiple,
                                              help_text="不少于2名（RAND-05）")
    late_reason = forms.CharField(label="补录理由", max_length=500, required=False, widget=SMALL_TEXT,
                                  help_text="检查日期早于今天15天以上时须填写；记入操作记录")

    def __init__(self, *args, unit_choices, officer_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices
        self.fields["officers"].choices = officer_choices
