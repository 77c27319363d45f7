"""Forms of the account pages. They parse input; the rules (old password,
validators) are the services'."""

from django import forms

PW = {"strip": False, "widget": forms.PasswordInput(attrs={"autocomplete": "new-password"})}


class NewPasswordForm(forms.Form):
    new_password1 = forms.CharField(label="新密码", **PW, error_messages={"required": "请输入新密码"},
                                    help_text="至少8位，须含大写字母、小写字母、数字、符号中的三类；"
                                              "不能是常用密码，不能与用户名、姓名相近")
    new_password2 = forms.CharField(label="再次输入新密码", **PW, error_messages={"required": "请再次输入新密码"})

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password2") and \
                data["new_password1"] != data["new_password2"]:
            self.add_error("new_password2", "两次输入的新密码不一致")
        return data


class PasswordChangeForm(NewPasswordForm):
    old_password = forms.CharField(label="原密码", strip=False, error_messages={"required": "请输入原密码"},
                                   widget=forms.PasswordInput(attrs={"autocomplete": "current-password",
                                                                     "autofocus": True}))
    field_order = ["old_password", "new_password1", "new_password2"]


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(label="当前密码", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class TokenForm(forms.Form):
    name = forms.CharField(label="令牌名称", max_length=100, required=False, help_text="如：统计报表脚本")


class LockoutResetForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150, required=False)
    ip_address = forms.GenericIPAddressField(label="IP地址", required=False,
                                             error_messages={"invalid": "IP地址格式不正确"})

    def clean(self):
        data = super().clean()
        if not data.get("username") and not data.get("ip_address") and not self.errors:
            raise forms.ValidationError("请填写用户名或IP地址")
        return data
