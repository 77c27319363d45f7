from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="用户名", max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
        error_messages={"required": "请输入用户名"},
    )
    password = forms.CharField(
        label="密码", strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "请输入密码"},
    )

    error_messages = {
        "invalid_login": "用户名或密码错误。",
        "inactive": "该账号已停用，请联系本单位系统管理员。",
    }

    def get_invalid_login_error(self):
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        return forms.ValidationError(
            f"用户名或密码错误。连续失败 {settings.AXES_FAILURE_LIMIT} 次后，账号将被锁定 {minutes} 分钟。",
            code="invalid_login",
        )


class LocalRuleForm(forms.Form):
    """设置一条地方规则 (fazhi.core.rule_overrides.set_rule checks the value)."""

    value = forms.CharField(
        label="新取值", required=False, max_length=2000,
        help_text="整数写数字，开关写 true 或 false，月日和对照表写 JSON（如 [3, 31]、{\"种子\": 30}），其余写文字。")
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请填写修改理由（将记入留痕）"})


class LocalRuleResetForm(forms.Form):
    reason = forms.CharField(label="恢复理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请填写恢复理由（将记入留痕）"})
