"""Forms of the org screens. They only parse input; services validate the
rules and views copy a service's ``fields`` errors back onto the form."""

from django import forms

from fazhi.core.errors import DomainError
from fazhi.org import selectors
from fazhi.org.models import Role, UnitKind

ACTIVE_CHOICES = [("", "全部"), ("1", "启用/在职"), ("0", "已停用")]


def apply_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Put a service's refusal onto the form: field errors where they belong,
    the rest as a form-wide error."""
    placed = False
    for field, messages in (exc.fields or {}).items():
        if field in form.fields:
            form.add_error(field, messages)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


class UnitChoiceField(forms.TypedChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)


def _unit_choices(user, permission, *, blank: str | None):
    choices = selectors.unit_choices(user, permission)
    return ([("", blank)] if blank is not None else []) + choices


class UnitForm(forms.Form):
    name = forms.CharField(label="单位名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=50, required=False, help_text="不填则与单位名称相同")
    kind = forms.ChoiceField(label="单位类型", choices=UnitKind.choices)
    parent = UnitChoiceField(label="上级单位", required=False)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False,
                                  help_text="18位，机关为11开头；内设机构可不填")
    is_legal_office = forms.BooleanField(label="法制机构", required=False, help_text="本级政府的法制审核机构（如区司法局）")
    is_enforcement_subject = forms.BooleanField(
        label="行政执法主体", required=False,
        help_text="法律、法规授权以自己名义实施行政执法的组织（政府、部门、镇街无需勾选）；仅系统管理员可设定")
    sort_order = forms.IntegerField(label="排序", min_value=0, max_value=1_000_000, initial=100)

    def __init__(self, *args, user, allow_root: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_root:  # allow_root is true for the system administrator only
            self.fields["is_enforcement_subject"].disabled = True
        self.fields["parent"].choices = _unit_choices(
            user, "org.manage_units", blank="（无，顶级单位）" if allow_root else "请选择")
        self.fields["parent"].required = not allow_root

    def clean_credit_code(self):
        return self.cleaned_data["credit_code"].strip().upper()


class PersonEditForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    post = forms.CharField(label="职务", max_length=100, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)


class PersonCreateForm(PersonEditForm):
    username = forms.CharField(label="登录用户名", max_length=150, help_text="字母、数字和 @ . + - _")
    unit = UnitChoiceField(label="所在单位")
    password = forms.CharField(label="初始密码", required=False, strip=False,
                               widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                               help_text="不填则生成一次性设置密码链接，交本人自行设置；填写则本人首次登录时须修改")

    field_order = ["username", "name", "unit", "post", "phone", "password"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(user, "org.manage_people", blank="请选择")


class GrantRoleForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    unit = UnitChoiceField(label="适用单位")
    include_subunits = forms.BooleanField(label="含下级单位", required=False)

    def __init__(self, *args, user, can_grant_admin: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_grant_admin:
            # Roles across units are the system administrator's to grant (SYS-04).
            from fazhi.org.services import ADMIN_ONLY_ROLES

            self.fields["role"].choices = [c for c in Role.choices if c[0] not in ADMIN_ONLY_ROLES]
        self.fields["unit"].choices = _unit_choices(user, "org.manage_people", blank=None)


class MovePersonForm(forms.Form):
    unit = UnitChoiceField(label="调入单位")
    post = forms.CharField(label="新职务", max_length=100, required=False, help_text="不填则保留原职务")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(user, "org.manage_people", blank="请选择")


class ResetPasswordForm(forms.Form):
    password = forms.CharField(label="临时密码", required=False, strip=False,
                               widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
                               help_text="不填则生成一次性设置密码链接（推荐）；填写则本人下次登录时须修改")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", max_length=200, required=False)


class UnitFilterForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=[("", "全部"), *UnitKind.choices], required=False)
    name = forms.CharField(label="名称包含", required=False)
    active = forms.ChoiceField(label="状态", choices=ACTIVE_CHOICES, required=False)


class PersonFilterForm(forms.Form):
    unit = UnitChoiceField(label="单位（含下级）", required=False)
    role = forms.ChoiceField(label="角色", choices=[("", "全部"), *Role.choices], required=False)
    name = forms.CharField(label="姓名/账号/职务", required=False)
    active = forms.ChoiceField(label="状态", choices=ACTIVE_CHOICES, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(user, "org.view_people", blank="全部")


def active_value(raw: str) -> bool | None:
    return {"1": True, "0": False}.get(raw or "")
