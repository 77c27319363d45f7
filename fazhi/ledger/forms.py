from django import forms

from fazhi.core.widgets import DateInput
from fazhi.ledger import status as st
from fazhi.ledger.models import SupervisionKind, SupervisionStatus

DATE = DateInput  # the one date widget: ISO values (fazhi.core.widgets)


class UploadForm(forms.Form):
    unit = forms.TypedChoiceField(label="制定单位", coerce=int)
    file = forms.FileField(label="方案文件（.txt 或 .docx）")
    part = forms.IntegerField(label="取第几篇（多篇文档时）", required=False, min_value=1)
    year_start = forms.IntegerField(label="起始年度（标题无年度时）", required=False, min_value=1990, max_value=2100)
    year_end = forms.IntegerField(label="截止年度", required=False, min_value=1990, max_value=2100)

    def __init__(self, *a, unit_choices=(), **kw):
        super().__init__(*a, **kw)
        self.fields["unit"].choices = list(unit_choices)


class AssignForm(forms.Form):
    measures = forms.TypedMultipleChoiceField(label="措施", coerce=int)
    lead = forms.TypedChoiceField(label="牵头单位", coerce=int, required=False, empty_value=None)
    partners = forms.TypedMultipleChoiceField(label="配合单位（追加）", coerce=int, required=False,
                                              widget=forms.SelectMultiple(attrs={"size": 8}))
    clear_partners = forms.BooleanField(label="先清除原配合单位", required=False)
    deadline = forms.DateField(label="完成时限", required=False, widget=DATE)

    def __init__(self, *a, measure_choices=(), unit_choices=(), **kw):
        super().__init__(*a, **kw)
        self.fields["measures"].choices = list(measure_choices)
        self.fields["lead"].choices = [("", "（不变）")] + list(unit_choices)
        self.fields["partners"].choices = list(unit_choices)


class ReportForm(forms.Form):
    unit = forms.TypedChoiceField(label="报送单位", coerce=int)
    task = forms.TypedChoiceField(label="针对", coerce=int, required=False, empty_value=None)
    percent = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    report_date = forms.DateField(label="报送日期", widget=DATE)
    text = forms.CharField(label="推进情况", widget=forms.Textarea(attrs={"rows": 4}))
    files = forms.FileField(label="佐证材料（PDF/JPG/PNG/DOCX，可选）", required=False)
    late_reason = forms.CharField(label="补录理由（报送日期早于今天15天以上时必填）", required=False, max_length=500)

    def __init__(self, *a, unit_choices=(), task_choices=(), **kw):
        super().__init__(*a, **kw)
        self.fields["unit"].choices = list(unit_choices)
        self.fields["task"].choices = [("", "整项措施")] + list(task_choices)


class TaskForm(forms.Form):
    unit = forms.TypedChoiceField(label="责任单位", coerce=int)
    title = forms.CharField(label="任务内容", max_length=300)
    deadline = forms.DateField(label="完成时限", widget=DATE)

    def __init__(self, *a, unit_choices=(), **kw):
        # Shown on the measure page beside the report form: ids of their own (both have 单位).
        kw.setdefault("auto_id", "task_%s")
        super().__init__(*a, **kw)
        self.fields["unit"].choices = list(unit_choices)


class SupervisionForm(forms.Form):
    unit = forms.TypedChoiceField(label="被督办单位", coerce=int)
    kind = forms.ChoiceField(label="方式", choices=SupervisionKind.choices)
    issued_on = forms.DateField(label="作出日期", widget=DATE)
    deadline = forms.DateField(label="回复/整改期限（空=按工作日默认）", required=False, widget=DATE)
    reason = forms.CharField(label="事由及要求", widget=forms.Textarea(attrs={"rows": 3}))
    late_reason = forms.CharField(label="补录理由（作出日期早于今天15天以上时必填）", required=False, max_length=500)

    def __init__(self, *a, unit_choices=(), **kw):
        # Shown on the measure page beside the report form: ids of their own (both have 单位).
        kw.setdefault("auto_id", "sup_%s")
        super().__init__(*a, **kw)
        self.fields["unit"].choices = list(unit_choices)


class TextForm(forms.Form):
    text = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class MeasureFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + st.CHOICES)
    unit = forms.TypedChoiceField(label="单位", coerce=int, required=False, empty_value=None)
    year = forms.TypedChoiceField(label="时限年度", coerce=int, required=False, empty_value=None)

    def __init__(self, *a, unit_choices=(), years=(), **kw):
        super().__init__(*a, **kw)
        self.fields["unit"].choices = [("", "全部")] + list(unit_choices)
        self.fields["year"].choices = [("", "全部")] + [(y, y) for y in years]


class SupervisionFilterForm(forms.Form):
    kind = forms.ChoiceField(label="方式", required=False, choices=[("", "全部")] + SupervisionKind.choices)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + SupervisionStatus.choices)
