from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from fazhi.core.widgets import DateInput
from fazhi.org.models import Unit


class EntryFilterForm(forms.Form):
    action = forms.CharField(label="操作代码前缀", required=False, max_length=100,
                             widget=forms.TextInput(attrs={"placeholder": "如 org.unit"}))
    actor = forms.CharField(label="操作人", required=False, max_length=100)
    unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.order_by("path"), required=False,
                                  empty_label="全部单位")
    object_type = forms.CharField(label="对象类型", required=False, max_length=100,
                                  widget=forms.TextInput(attrs={"placeholder": "如 org.unit"}))
    date_from = forms.DateField(label="起始日期", required=False, widget=DateInput)
    date_to = forms.DateField(label="截止日期", required=False, widget=DateInput)

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("起始日期不能晚于截止日期")
        return data

    def filters(self) -> dict:
        """Selector arguments; dates are whole local days (截止日期 inclusive)."""
        if not self.is_valid():
            return {}
        d = self.cleaned_data

        def day_start(day):
            return timezone.make_aware(datetime.combine(day, time.min))

        return {
            "action": d["action"].strip(),
            "actor": d["actor"].strip(),
            "unit": d["unit"],
            "object_type": d["object_type"].strip(),
            "date_from": day_start(d["date_from"]) if d["date_from"] else None,
            "date_to": day_start(d["date_to"] + timedelta(days=1)) if d["date_to"] else None,
        }
