from django import forms

from fazhi.core.widgets import DateInput
from fazhi.training.models import Kind, Status


class SessionFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="类别", required=False, choices=[("", "全部")] + Kind.choices)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + Status.choices)
    unit = forms.TypedChoiceField(label="组织单位", required=False, coerce=int, empty_value=None)
    q = forms.CharField(label="关键词", required=False, max_length=50)

    def __init__(self, *args, years, unit_choices, **kw):
        super().__init__(*args, **kw)
        self.fields["year"].choices = [("", "全部")] + [(y, f"{y}年") for y in years]
        self.fields["unit"].choices = [("", "全部")] + list(unit_choices)


class ShortfallFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label="单位", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years, unit_choices, **kw):
        super().__init__(*args, **kw)
        self.fields["year"].choices = [(y, f"{y}年") for y in years]
        self.fields["unit"].choices = [("", "全部")] + list(unit_choices)


class SessionForm(forms.Form):
    unit = forms.TypedChoiceField(label="组织单位", coerce=int)
    topic = forms.CharField(label="培训主题", max_length=200)
    date = forms.DateField(label="培训日期", widget=DateInput)
    hours = forms.DecimalField(label="学时", max_digits=5, decimal_places=1, min_value=0.1)
    kind = forms.ChoiceField(label="培训类别", choices=Kind.choices)
    pre_implementation = forms.BooleanField(label="新法施行前培训", required=False)
    law_name = forms.CharField(label="法律法规名称", max_length=200, required=False)
    law_effective_on = forms.DateField(label="施行日期", required=False, widget=DateInput)
    location = forms.CharField(label="地点", max_length=200, required=False)
    lecturer = forms.CharField(label="主讲人", max_length=100, required=False)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, unit_choices, **kw):
        super().__init__(*args, **kw)
        self.fields["unit"].choices = list(unit_choices)


class AttendanceForm(forms.Form):
    lines = forms.CharField(
        label="出勤人员", widget=forms.Textarea(attrs={"rows": 6, "placeholder": "每行一人：姓名[,单位][,学时]"}),
        help_text="学时不填则按本次培训学时认定；重名时须注明单位。任何一行有误，全部不登记。", max_length=20000)


class UploadForm(forms.Form):
    upload = forms.FileField(label="文件（.xlsx 或 .csv）",
                             help_text="第1行为表头：姓名（必填）、单位、出勤（是/否）、学时；成绩表用“成绩”列。")


class ExamForm(forms.Form):
    unit = forms.TypedChoiceField(label="组织单位", coerce=int)
    title = forms.CharField(label="考试名称", max_length=200)
    date = forms.DateField(label="考试日期", widget=DateInput)
    full_mark = forms.DecimalField(label="满分", max_digits=5, decimal_places=1, initial=100)
    pass_mark = forms.DecimalField(label="及格分", max_digits=5, decimal_places=1, initial=60)

    def __init__(self, *args, unit_choices, **kw):
        super().__init__(*args, **kw)
        self.fields["unit"].choices = list(unit_choices)


class ScoresForm(forms.Form):
    lines = forms.CharField(
        label="成绩", widget=forms.Textarea(attrs={"rows": 6, "placeholder": "每行一人：姓名[,单位],成绩"}),
        max_length=20000)
