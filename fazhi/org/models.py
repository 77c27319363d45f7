"""Units, people and scoped role assignments."""

from django.conf import settings
from django.db import models

from fazhi.core.models import TimeStamped
from fazhi.org.credit_code import validate_credit_code


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", "人民政府"
    DEPARTMENT = "department", "部门"
    TOWN = "town", "镇街"
    INSTITUTION = "institution", "事业单位"
    INTERNAL = "internal", "内设机构/站所"


class Role(models.TextChoices):
    ADMIN = "admin", "系统管理员"
    UNIT_ADMIN = "unit_admin", "单位管理员"
    CLERK = "clerk", "经办人"
    HEAD = "head", "单位负责人"
    REVIEWER = "reviewer", "法制审核员"
    OFFICER = "officer", "执法人员"
    ASSESSOR = "assessor", "考核员"


class Unit(TimeStamped):
    """A node of the unit tree.

    ``path`` is a materialised path of zero-padded ids ("000001/000007/"),
    so "this unit and everything below it" is one indexed prefix query.
    It is maintained by org.services, never by hand.
    """

    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50)
    kind = models.CharField("单位类型", max_length=20, choices=UnitKind.choices)
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, blank=True, validators=[validate_credit_code]
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    is_legal_office = models.BooleanField(
        "法制机构", default=False, help_text="本级政府的法制审核机构（如区司法局）"
    )
    # A unit that acts in its own name although its kind is not a 行政机关
    # (a 综合行政执法局 set up as an institution, an organisation authorised by
    # law): enforcement decisions are issued in its name (enforcement/organs.py).
    is_enforcement_subject = models.BooleanField(
        "行政执法主体", default=False,
        help_text="非政府、部门、镇街的单位经法律法规授权以自己名义实施行政执法的，勾选此项",
    )
    sort_order = models.PositiveIntegerField("排序", default=100)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = verbose_name
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""), name="org_unit_credit_code_unique"
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="org_unit_name_not_empty"),
        ]

    def __str__(self):
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Person(TimeStamped):
    """A member of staff. Linked to a sign-in account; belongs to one unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="登录账号", on_delete=models.PROTECT, related_name="person"
    )
    name = models.CharField("姓名", max_length=50)
    unit = models.ForeignKey(Unit, verbose_name="所在单位", on_delete=models.PROTECT, related_name="people")
    post = models.CharField("职务", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("在职", default=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = verbose_name
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name


class RoleAssignment(TimeStamped):
    """A role a person holds over a unit (and optionally the units below it).

    Only roles held now are rows here; a role that ends (revoked, person moved
    or deactivated) moves to ``PastRoleAssignment``, so "did X hold this
    capacity on that date" (SYS-02) can still be answered.
    """

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, verbose_name="适用单位", on_delete=models.PROTECT, related_name="role_assignments")
    include_subunits = models.BooleanField("含下级单位", default=False)
    # None: held since before the system recorded it (imports, demo, data
    # carried over) — treated as held on any earlier date.
    starts_on = models.DateField("任职起始日期", null=True, blank=True)

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = verbose_name
        ordering = ["person__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["person", "role", "unit"], name="org_roleassignment_unique"),
        ]

    def __str__(self):
        scope = "及下级" if self.include_subunits else ""
        return f"{self.person} · {self.get_role_display()} · {self.unit}{scope}"


class PastRoleAssignment(models.Model):
    """A role a person held over a unit from ``starts_on`` until the day before
    ``ended_on``. Written by org.services when a role ends; never edited."""

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.CASCADE, related_name="past_roles")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, verbose_name="适用单位", on_delete=models.PROTECT, related_name="+")
    include_subunits = models.BooleanField("含下级单位", default=False)
    starts_on = models.DateField("任职起始日期", null=True, blank=True)
    ended_on = models.DateField("终止日期")
    reason = models.CharField("终止原因", max_length=100, blank=True)

    class Meta:
        verbose_name = "历史角色"
        verbose_name_plural = verbose_name
        ordering = ["person", "-ended_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True) | models.Q(starts_on__lte=models.F("ended_on")),
                name="org_pastrole_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["person", "role"], name="org_pastrole_person_role")]

    def __str__(self):
        return f"{self.person} · {self.get_role_display()} · {self.unit}（至{self.ended_on}）"
