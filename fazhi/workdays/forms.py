from django import forms

from fazhi.core.widgets import DateInput
from fazhi.workdays.calendar import CAL, MAX_DAYS, WD
from fazhi.workdays.deadlines import DECISIONS
from fazhi.workdays.services import DAY_CHOICES


class DeadlineForm(forms.Form):
    start = forms.DateField(label="起算日", widget=DateInput,
                            help_text="起算日当天不计入期限",
                            error_messages={"required": "请填写起算日", "invalid": "请填写有效日期，如 2025-09-25"})
    n = forms.IntegerField(label="期限天数", min_value=0, max_value=MAX_DAYS,
                           error_messages={"required": "请填写期限天数", "invalid": "期限天数必须是整数",
                                           "min_value": "期限天数不能为负数",
                                           "max_value": f"期限天数不能超过 {MAX_DAYS}"})
    rule = forms.ChoiceField(label="计算方式", choices=[(WD, "工作日"), (CAL, "自然日")], initial=WD,
                             error_messages={"required": "请选择计算方式", "invalid_choice": "计算方式无效"})
    roll_over = forms.BooleanField(label="末日遇节假日顺延（仅自然日）", required=False,
                                   help_text="如行政复议、诉讼期间：期限最后一日是法定休假日的，以休假日后第一日为期限末日（CAL-08）")


class NoticeForm(forms.Form):
    text = forms.CharField(label="通知全文", widget=forms.Textarea(attrs={"rows": 16}),
                           error_messages={"required": "请粘贴国务院办公厅关于部分节假日安排的通知全文"})
    year = forms.IntegerField(label="年份", required=False, min_value=1949, max_value=2999,
                              help_text="留空则从通知标题读取",
                              error_messages={"invalid": "年份必须是四位数字", "min_value": "年份无效",
                                              "max_value": "年份无效"})


class CorrectDayForm(forms.Form):
    day = forms.DateField(label="日期", widget=DateInput,
                          error_messages={"required": "请填写要更正的日期", "invalid": "请填写有效日期，如 2026-10-09"})
    kind = forms.ChoiceField(label="更正为", choices=list(DAY_CHOICES.items()),
                             error_messages={"required": "请选择更正后的类型", "invalid_choice": "类型无效"})
    festival = forms.CharField(label="节日", max_length=60, required=False, help_text="放假或调休上班时填写，如：春节")
    reason = forms.CharField(label="更正理由", max_length=300, help_text="如通知文号、更正通知或地方规定（CAL-07）",
                             error_messages={"required": "请填写更正理由"})


class ResolveForm(forms.Form):
    decision = forms.ChoiceField(label="处理方式", choices=list(DECISIONS.items()), widget=forms.RadioSelect,
                                 error_messages={"required": "请选择处理方式", "invalid_choice": "处理方式无效"})
    note = forms.CharField(label="处理理由", max_length=500, error_messages={"required": "请填写处理理由"})
