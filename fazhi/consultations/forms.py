from django import forms

from fazhi.consultations.models import Adoption
from fazhi.core.widgets import DateInput


class CommentForm(forms.Form):
    """The portal's comment form on the whole text; anonymous allowed."""

    name = forms.CharField(label="姓名或单位（选填）", max_length=100, required=False,
                           error_messages={"max_length": "姓名不能超过100个字"})
    contact = forms.CharField(label="联系方式（选填，不公开）", max_length=100, required=False,
                              error_messages={"max_length": "联系方式不能超过100个字"})
    content = forms.CharField(label="意见内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": "请填写意见内容", "max_length": "意见内容不能超过5000个字"})

    def errors_text(self) -> str:
        return "；".join(e for errs in self.errors.values() for e in errs)


class ArticleCommentForm(CommentForm):
    """One per article on the page, where the policy takes comments per article (NDOC-04)."""

    article_no = forms.CharField(max_length=30, required=False, widget=forms.HiddenInput)


# ------------------------------------------------------------ staff pages

class StartForm(forms.Form):
    """Open a consultation; a module's subclass names its minimum in the help
    text of ``exception_reason`` and adds what its notice needs."""

    start_on = forms.DateField(label="开始日期", widget=DateInput)
    end_on = forms.DateField(label="截止日期", widget=DateInput)
    exception_reason = forms.CharField(label="缩短期限理由", max_length=500, required=False,
                                       help_text="期限短于法定最短期限时必须填写")
    late_reason = forms.CharField(label="补录理由", max_length=500, required=False,
                                  help_text="所填日期早于今天超过规定天数时必须说明理由，记入办理记录（SYS-03）")


class AnswerForm(forms.Form):
    """Answer one comment; whether an adoption needs a reason is the policy's
    (``reason_for_adopted``), so the service, not the form, requires it."""

    adoption = forms.ChoiceField(label="采纳情况", choices=[("", "请选择"), *Adoption.choices])
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
