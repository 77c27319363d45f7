from django import forms

from fazhi.annual_report import rules
from fazhi.annual_report.models import Status
from fazhi.core.widgets import DateInput

DATE = DateInput  # the one date widget: ISO values (fazhi.core.widgets)


class ReportFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label="单位", required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + Status.choices)
    overdue = forms.BooleanField(label="只看逾期", required=False)

    def __init__(self, *args, years, unit_choices, **kw):
        super().__init__(*args, **kw)
        self.fields["year"].choices = [("", "全部")] + [(y, f"{y}年") for y in years]
        self.fields["unit"].choices = [("", "全部")] + list(unit_choices)


class GenerateForm(forms.Form):
    unit = forms.TypedChoiceField(label="报告单位", coerce=int)
    year = forms.TypedChoiceField(label="报告年度", coerce=int)

    def __init__(self, *args, years, unit_choices, **kw):
        super().__init__(*args, **kw)
        self.fields["year"].choices = [(y, f"{y}年") for y in years]
        self.fields["unit"].choices = list(unit_choices)


class SectionForm(forms.Form):
    text = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 8}))


class ReviewForm(forms.Form):
    note = forms.CharField(label="审核意见", required=False, max_length=500)


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", max_length=500)


LATE_LABEL = "补录理由（日期早于今天15天以上时必填）"


class PublishForm(forms.Form):
    published_on = forms.DateField(label="公开日期", widget=DATE)
    late_reason = forms.CharField(label=LATE_LABEL, required=False, max_length=500)


class SubmitForm(forms.Form):
    """One name field per recipient RPT-03 requires, plus copies (抄送)."""

    submitted_on = forms.DateField(label="报送日期", widget=DATE)
    other = forms.CharField(label="其他报送/抄送对象", required=False, max_length=100)
    late_reason = forms.CharField(label=LATE_LABEL, required=False, max_length=500)

    def __init__(self, *args, unit, **kw):
        super().__init__(*args, **kw)
        self.required_rows = rules.required_recipients(unit)
        for key, label, default in self.required_rows:
            self.fields[f"to_{key}"] = forms.CharField(label=label, max_length=100, initial=default)
        self.order_fields(["submitted_on", *[f"to_{k}" for k, _, _ in self.required_rows], "other", "late_reason"])
        if not rules.is_government(unit):
            self.fields["other"].initial = rules.copy_to()

    def recipients(self) -> list[dict]:
        d = self.cleaned_data
        rows = [{"kind": key, "name": d.get(f"to_{key}", "")} for key, _, _ in self.required_rows]
        if d.get("other"):
            rows.append({"kind": "other", "name": d["other"]})
        return rows
