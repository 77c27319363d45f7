"""Each service: happy path, refused (permission), bad input (Chinese
message, nothing changed), and its audit entry written in the same
transaction."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.org import services
from fazhi.org.models import Person, Role, RoleAssignment, Unit, UnitKind
from fazhi.org.tests.factories import PersonFactory, fresh

User = get_user_model()
VALID_CODE = "91350100M000100Y43"


def actions():
    return list(AuditEntry.objects.values_list("action", flat=True))


def snapshot():
    """Everything org owns, to assert that a refusal changed nothing."""
    return (
        list(Unit.objects.order_by("pk").values()),
        list(Person.objects.order_by("pk").values()),
        list(RoleAssignment.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values("pk", "username", "password", "is_active")),
        AuditEntry.objects.count(),
    )


# ---------------------------------------------------------------- create_unit

def test_admin_creates_a_unit_and_it_is_audited(tree, admin):
    unit = services.create_unit(tree.a, by=admin, name="政策法规科", kind=UnitKind.INTERNAL)
    assert unit.path == f"{tree.a.path}{unit.pk:06d}/" and unit.depth == 2
    assert unit.short_name == "政策法规科"
    entry = AuditEntry.objects.get(action="org.unit.created")
    assert entry.object_id == str(unit.pk) and entry.actor_id == admin.pk and entry.unit_id == unit.pk


def test_unit_admin_creates_a_unit_below_their_unit(tree, unit_admin):
    unit = services.create_unit(tree.a1, by=unit_admin, name="一中队", kind=UnitKind.INTERNAL)
    assert unit.parent == tree.a1


def test_unit_admin_cannot_create_a_unit_elsewhere(tree, unit_admin):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.create_unit(tree.b, by=unit_admin, name="某科", kind=UnitKind.INTERNAL)
    assert snapshot() == before


def test_only_admins_create_top_level_units(tree, unit_admin):
    with pytest.raises(PermissionDenied, match="顶级单位"):
        services.create_unit(None, by=unit_admin, name="另一个区", kind=UnitKind.GOVERNMENT)


def test_clerk_cannot_create_units(tree, clerk_a):
    with pytest.raises(PermissionDenied):
        services.create_unit(tree.a, by=clerk_a, name="某科", kind=UnitKind.INTERNAL)


@pytest.mark.parametrize("kwargs, field, message", [
    ({"name": ""}, "name", "请填写单位名称"),
    ({"name": "测试区市场监督管理局"}, "name", "已有名为"),
    ({"kind": "planet"}, "kind", "请选择单位类型"),
    ({"credit_code": "91350100M000100Y44"}, "credit_code", "校验位不正确"),
    ({"credit_code": "9135"}, "credit_code", "应为18位"),
])
def test_create_unit_refuses_bad_input(tree, admin, kwargs, field, message):
    before = snapshot()
    params = {"name": "新单位", "kind": UnitKind.DEPARTMENT, **kwargs}
    with pytest.raises(ValidationError) as exc:
        services.create_unit(tree.gov, by=admin, **params)
    assert message in exc.value.fields[field][0] and message in exc.value.message
    assert snapshot() == before


def test_credit_code_is_normalised_and_unique(tree, admin):
    services.create_unit(tree.gov, by=admin, name="甲", kind=UnitKind.DEPARTMENT, credit_code=VALID_CODE.lower())
    assert Unit.objects.get(name="甲").credit_code == VALID_CODE
    with pytest.raises(ValidationError, match="已被其他单位使用"):
        services.create_unit(tree.gov, by=admin, name="乙", kind=UnitKind.DEPARTMENT, credit_code=VALID_CODE)


def test_cannot_create_under_an_inactive_unit(tree, admin):
    Unit.objects.filter(pk=tree.a1.pk).update(is_active=False)
    with pytest.raises(ValidationError, match="已停用"):
        services.create_unit(tree.a1, by=admin, name="某中队", kind=UnitKind.INTERNAL)


def test_audit_entry_is_in_the_same_transaction(tree, admin, monkeypatch):
    real_record = services.record

    def record_then_fail(*args, **kwargs):
        real_record(*args, **kwargs)
        raise RuntimeError("断电")

    monkeypatch.setattr(services, "record", record_then_fail)
    before = snapshot()
    with pytest.raises(RuntimeError):
        services.create_unit(tree.gov, by=admin, name="新单位", kind=UnitKind.DEPARTMENT)
    assert snapshot() == before


# ---------------------------------------------------------------- update_unit

def test_update_unit_records_the_changes(tree, unit_admin):
    services.update_unit(tree.a1, by=unit_admin, short_name="农业执法大队", credit_code="")
    tree.a1.refresh_from_db()
    assert tree.a1.short_name == "农业执法大队"
    entry = AuditEntry.objects.get(action="org.unit.updated")
    assert entry.data["changes"] == {"short_name": ["执法大队", "农业执法大队"]}


def test_update_without_changes_records_nothing(tree, admin):
    services.update_unit(tree.a, by=admin, name=tree.a.name)
    assert "org.unit.updated" not in actions()


def test_unit_admin_cannot_update_another_unit(tree, unit_admin):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.update_unit(tree.b, by=unit_admin, short_name="改名")
    assert snapshot() == before


def test_update_unit_refuses_a_taken_name(tree, admin):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.update_unit(tree.a, by=admin, name=tree.b.name)
    assert "已有名为" in exc.value.fields["name"][0]
    assert snapshot() == before


# ------------------------------------------------------------ deactivate_unit

def test_deactivate_an_empty_unit(tree, admin):
    services.deactivate_unit(tree.a1, by=admin, reason="机构改革")
    tree.a1.refresh_from_db()
    assert not tree.a1.is_active
    assert AuditEntry.objects.get(action="org.unit.deactivated").data == {"reason": "机构改革"}


def test_deactivate_refuses_a_unit_with_active_people(tree, admin):
    PersonFactory(unit=tree.a1)
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.deactivate_unit(tree.a1, by=admin)
    assert "在职人员" in exc.value.fields["people"][0]
    assert snapshot() == before


def test_deactivate_refuses_a_unit_with_active_subunits(tree, admin):
    with pytest.raises(ValidationError) as exc:
        services.deactivate_unit(tree.a, by=admin)
    assert "下级单位" in exc.value.fields["children"][0]


def test_clerk_cannot_deactivate_a_unit(tree, clerk_a):
    with pytest.raises(PermissionDenied):
        services.deactivate_unit(tree.a1, by=clerk_a)


# ------------------------------------------------------------- create_person

def test_create_person_without_a_password_gives_a_one_time_link(tree, unit_admin):
    person, link = services.create_person(tree.a1, by=unit_admin, username="luopeng", name="罗鹏", post="执法队员")
    assert person.unit == tree.a1 and person.user.username == "luopeng"
    assert not person.user.has_usable_password()  # nobody knows a password: the owner sets it
    assert link.path.startswith("/accounts/set-password/")
    entry = AuditEntry.objects.get(action="org.person.created")
    assert entry.data["password"] == "link" and link.path.split("/")[-2] not in str(entry.data)


def test_create_person_with_a_given_password_must_change_it(tree, admin, settings):
    from fazhi import settings as configured

    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS  # the production list: Argon2 first
    person, link = services.create_person(tree.b, by=admin, username="sunwei", name="孙伟",
                                          password="Shichang-2026")
    assert link is None and person.user.check_password("Shichang-2026")
    assert person.user.password.startswith("argon2")
    assert person.user.fazhi_account.must_change_password
    assert "Shichang-2026" not in str(list(AuditEntry.objects.values_list("data", flat=True)))


def test_unit_admin_cannot_create_people_elsewhere(tree, unit_admin):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.create_person(tree.b, by=unit_admin, username="x1", name="某人")
    assert snapshot() == before


def test_clerk_cannot_create_people(tree, clerk_a):
    with pytest.raises(PermissionDenied):
        services.create_person(tree.a, by=clerk_a, username="x1", name="某人")


@pytest.mark.parametrize("kwargs, field, message", [
    ({"name": ""}, "name", "请填写姓名"),
    ({"username": ""}, "username", "请填写登录用户名"),
    ({"username": "有 空格"}, "username", "只能包含"),
    ({"password": "12345678"}, "password", "密码"),
    ({"phone": "电话"}, "phone", "联系电话格式不正确"),
])
def test_create_person_refuses_bad_input(tree, admin, kwargs, field, message):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.create_person(tree.a, by=admin, **{"username": "newbie", "name": "新人", **kwargs})
    assert message in exc.value.fields[field][0]
    assert snapshot() == before


def test_create_person_refuses_a_taken_username(tree, admin, clerk_a):
    with pytest.raises(ValidationError, match="已被使用"):
        services.create_person(tree.a, by=admin, username=clerk_a.username.upper(), name="重名")


# ------------------------------------------------------------- update_person

def test_update_person(tree, unit_admin, clerk_a):
    services.update_person(clerk_a.person, by=unit_admin, post="副科长", phone="023-68888888")
    clerk_a.person.refresh_from_db()
    assert clerk_a.person.post == "副科长"
    assert AuditEntry.objects.get(action="org.person.updated").data["changes"]["post"] == ["科员", "副科长"]


def test_update_person_refused_for_another_unit(tree, unit_admin, clerk_b):
    with pytest.raises(PermissionDenied):
        services.update_person(clerk_b.person, by=unit_admin, post="科长")


def test_update_person_refuses_an_empty_name(tree, admin, clerk_a):
    before = snapshot()
    with pytest.raises(ValidationError, match="请填写姓名"):
        services.update_person(clerk_a.person, by=admin, name="  ")
    assert snapshot() == before


# --------------------------------------------------------------- move_person

def test_move_person_revokes_roles_on_the_old_unit_only(tree, admin):
    person = PersonFactory(unit=tree.a, roles=[("clerk", tree.a, False), ("reviewer", tree.gov, True)])
    services.move_person(person, by=admin, unit=tree.b, post="法规科科员")
    person.refresh_from_db()
    assert person.unit == tree.b and person.post == "法规科科员"
    assert list(person.roles.values_list("role", "unit")) == [("reviewer", tree.gov.pk)]
    assert actions() == ["org.role.revoked", "org.person.moved"]
    revoked = AuditEntry.objects.get(action="org.role.revoked")
    assert revoked.data["role"] == "clerk" and revoked.data["reason"] == "调动"


def test_unit_admin_cannot_move_people_out_of_scope(tree, unit_admin, clerk_a):
    before = snapshot()
    with pytest.raises(PermissionDenied, match="调入"):
        services.move_person(clerk_a.person, by=unit_admin, unit=tree.b)
    assert snapshot() == before


def test_move_to_the_same_unit_is_refused(tree, admin, clerk_a):
    with pytest.raises(ValidationError, match="相同"):
        services.move_person(clerk_a.person, by=admin, unit=tree.a)


# ---------------------------------------------------------- deactivate_person

def test_deactivate_person_blocks_sign_in(tree, unit_admin, clerk_a):
    services.deactivate_person(clerk_a.person, by=unit_admin, reason="退休")
    clerk_a.refresh_from_db()
    assert not clerk_a.is_active and not clerk_a.person.is_active
    assert AuditEntry.objects.get(action="org.person.deactivated").data == {"reason": "退休"}


def test_deactivate_person_refused_for_another_unit(tree, unit_admin, clerk_b):
    with pytest.raises(PermissionDenied):
        services.deactivate_person(clerk_b.person, by=unit_admin)


def test_nobody_deactivates_themselves(tree, admin):
    before = snapshot()
    with pytest.raises(ValidationError, match="自己"):
        services.deactivate_person(admin.person, by=admin)
    assert snapshot() == before


# -------------------------------------------------------------- reset_password

def test_reset_password_gives_a_link_and_kills_the_old_password(tree, unit_admin, clerk_a):
    from fazhi.shell.tests.utils import PASSWORD

    link = services.reset_password(clerk_a.person, by=unit_admin)
    clerk_a.refresh_from_db()
    assert not clerk_a.check_password(PASSWORD) and not clerk_a.has_usable_password()
    assert link.path.startswith("/accounts/set-password/")
    assert AuditEntry.objects.get(action="org.person.password_reset").data == {"method": "link"}


def test_reset_password_with_a_typed_password_must_be_changed(tree, unit_admin, clerk_a):
    assert services.reset_password(clerk_a.person, by=unit_admin, password="Nong-Ye-2026x") is None
    clerk_a.refresh_from_db()
    assert clerk_a.check_password("Nong-Ye-2026x") and clerk_a.fazhi_account.must_change_password
    assert AuditEntry.objects.get(action="org.person.password_reset").data == {"method": "set_by_admin"}


def test_nobody_resets_their_own_password_as_administrator(tree, admin):
    with pytest.raises(ValidationError, match="我的账号"):
        services.reset_password(admin.person, by=admin)


@pytest.mark.parametrize("role, where", [
    ("reviewer", "gov"),     # a reserved role (法制审核员)
    ("assessor", "gov"),     # 考核员
    ("admin", "gov"),        # 系统管理员
    ("clerk", "b"),          # a role over a unit beyond the unit admin's scope
])
def test_unit_admin_cannot_take_over_a_person_with_roles_beyond_their_reach(tree, unit_admin, role, where):
    target = PersonFactory(unit=tree.a1, name="目标", roles=[(role, getattr(tree, where), where == "gov")]).user
    before = snapshot()
    with pytest.raises(PermissionDenied) as exc:
        services.reset_password(target.person, by=unit_admin)
    assert exc.value.rule == "SYS-04"
    assert snapshot() == before
    target.refresh_from_db()
    assert target.has_usable_password()


def test_unit_admin_cannot_take_over_a_staff_account(tree, unit_admin):
    target = PersonFactory(unit=tree.a1, user__is_staff=True).user
    with pytest.raises(PermissionDenied) as exc:
        services.reset_password(target.person, by=unit_admin)
    assert exc.value.rule == "SYS-04"


def test_unit_admin_may_reset_a_person_wholly_in_reach(tree, unit_admin):
    target = PersonFactory(unit=tree.a1, roles=[("clerk", tree.a1, False), ("officer", tree.a, True)]).user
    assert services.reset_password(target.person, by=unit_admin) is not None


def test_system_admin_may_reset_a_reviewer(tree, admin, reviewer):
    assert services.reset_password(reviewer.person, by=admin) is not None


def test_reset_password_refused_for_another_unit(tree, unit_admin, clerk_b):
    with pytest.raises(PermissionDenied):
        services.reset_password(clerk_b.person, by=unit_admin)


def test_reset_password_refuses_a_weak_password(tree, admin, clerk_a):
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        services.reset_password(clerk_a.person, by=admin, password="password")
    assert "password" in exc.value.fields
    assert snapshot() == before


# ------------------------------------------------------------ grant / revoke

def test_unit_admin_grants_a_role_within_scope(tree, unit_admin):
    person = PersonFactory(unit=tree.a1)
    ra = services.grant_role(person, by=unit_admin, role=Role.OFFICER)
    assert (ra.role, ra.unit, ra.include_subunits) == ("officer", tree.a1, False)
    assert AuditEntry.objects.get(action="org.role.granted").data["role"] == "officer"
    # the new role takes effect for the grantee
    from fazhi.org import access

    assert access.allowed(fresh(person.user), "org.view_units", tree.a1)


def test_unit_admin_cannot_grant_system_admin(tree, unit_admin, clerk_a):
    before = snapshot()
    with pytest.raises(PermissionDenied, match="系统管理员"):
        services.grant_role(clerk_a.person, by=unit_admin, role=Role.ADMIN)
    assert snapshot() == before


def test_unit_admin_cannot_grant_roles_over_units_outside_scope(tree, unit_admin, clerk_a):
    with pytest.raises(PermissionDenied):
        services.grant_role(clerk_a.person, by=unit_admin, role=Role.CLERK, unit=tree.b)


def test_unit_admin_without_subunits_cannot_grant_over_a_subtree(tree):
    narrow = PersonFactory(unit=tree.a, roles=[("unit_admin", tree.a, False)]).user
    person = PersonFactory(unit=tree.a)
    with pytest.raises(PermissionDenied, match="下级单位"):
        services.grant_role(person, by=narrow, role=Role.HEAD, include_subunits=True)
    services.grant_role(person, by=fresh(narrow), role=Role.HEAD, include_subunits=False)


def test_clerk_cannot_grant_roles(tree, clerk_a):
    person = PersonFactory(unit=tree.a)
    with pytest.raises(PermissionDenied):
        services.grant_role(person, by=clerk_a, role=Role.CLERK)


def test_admin_grants_system_admin(tree, admin, clerk_a):
    services.grant_role(clerk_a.person, by=admin, role=Role.ADMIN, unit=tree.gov, include_subunits=True)
    from fazhi.org import access

    assert access.is_admin(fresh(clerk_a))


def test_granting_a_held_role_again_is_refused(tree, admin, clerk_a):
    before = snapshot()
    with pytest.raises(ValidationError, match="已在"):
        services.grant_role(clerk_a.person, by=admin, role=Role.CLERK, unit=tree.a)
    assert snapshot() == before


def test_grant_refuses_an_unknown_role(tree, admin, clerk_a):
    with pytest.raises(ValidationError, match="请选择角色"):
        services.grant_role(clerk_a.person, by=admin, role="king")


def test_revoke_role(tree, unit_admin, clerk_a):
    ra = clerk_a.person.roles.get()
    services.revoke_role(ra, by=unit_admin)
    assert not RoleAssignment.objects.filter(pk=ra.pk).exists()
    entry = AuditEntry.objects.get(action="org.role.revoked")
    assert entry.data["role"] == "clerk" and entry.object_id == str(clerk_a.person.pk)


def test_revoke_role_refused_for_another_unit(tree, unit_admin, clerk_b):
    ra = clerk_b.person.roles.get()
    with pytest.raises(PermissionDenied):
        services.revoke_role(ra, by=unit_admin)
    assert RoleAssignment.objects.filter(pk=ra.pk).exists()


def test_unit_admin_cannot_revoke_system_admin(tree, unit_admin):
    person = PersonFactory(unit=tree.a, roles=[("admin", tree.gov, True)])
    with pytest.raises(PermissionDenied):
        services.revoke_role(person.roles.get(), by=unit_admin)


def test_admin_cannot_revoke_their_own_admin_role(tree, admin):
    with pytest.raises(PermissionDenied, match="自己") as exc:
        services.revoke_role(admin.person.roles.get(), by=admin)
    assert exc.value.rule == "SYS-04"


# SYS-04: nobody grants, changes or removes a role of their own; a 单位管理员
# never grants the roles reserved to the system administrator.

def test_unit_admin_cannot_grant_themselves_a_role(tree, unit_admin):
    before = snapshot()
    with pytest.raises(PermissionDenied, match="自己") as exc:
        services.grant_role(unit_admin.person, by=unit_admin, role=Role.HEAD, unit=tree.a)
    assert exc.value.rule == "SYS-04"
    assert snapshot() == before


def test_admin_cannot_grant_themselves_another_role(tree, admin):
    with pytest.raises(PermissionDenied, match="自己"):
        services.grant_role(admin.person, by=admin, role=Role.HEAD, unit=tree.gov)


def test_unit_admin_cannot_revoke_their_own_role(tree, unit_admin):
    ra = unit_admin.person.roles.get()
    with pytest.raises(PermissionDenied, match="自己"):
        services.revoke_role(ra, by=unit_admin)
    assert RoleAssignment.objects.filter(pk=ra.pk).exists()


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ASSESSOR, Role.ADMIN])
def test_unit_admin_cannot_grant_cross_unit_roles(tree, unit_admin, clerk_a, role):
    before = snapshot()
    with pytest.raises(PermissionDenied, match="只能由系统管理员") as exc:
        services.grant_role(clerk_a.person, by=unit_admin, role=role, unit=tree.a)
    assert exc.value.rule == "SYS-04"
    assert snapshot() == before


def test_unit_admin_cannot_revoke_a_reviewer_role(tree, unit_admin):
    person = PersonFactory(unit=tree.a, roles=[("reviewer", tree.a, False)])
    with pytest.raises(PermissionDenied, match="只能由系统管理员"):
        services.revoke_role(person.roles.get(), by=unit_admin)


def test_admin_grants_a_reviewer_role(tree, admin, clerk_a):
    ra = services.grant_role(clerk_a.person, by=admin, role=Role.REVIEWER, unit=tree.gov, include_subunits=True)
    assert ra.role == Role.REVIEWER


# Role history: an ended role is kept, so capacity on a past date can be answered (SYS-02).

def test_a_granted_role_starts_on_the_servers_date(tree, admin, clerk_a):
    from datetime import date

    ra = services.grant_role(clerk_a.person, by=admin, role=Role.HEAD, unit=tree.a, today=date(2026, 3, 2))
    assert ra.starts_on == date(2026, 3, 2)
    assert AuditEntry.objects.get(action="org.role.granted").data["starts_on"] == "2026-03-02"


def test_a_revoked_role_is_kept_as_history(tree, admin, clerk_a):
    from datetime import date

    from fazhi.org.models import PastRoleAssignment

    ra = clerk_a.person.roles.get()
    services.revoke_role(ra, by=admin, today=date(2026, 5, 6))
    past = PastRoleAssignment.objects.get(person=clerk_a.person)
    assert (past.role, past.unit, past.ended_on) == ("clerk", tree.a, date(2026, 5, 6))
    assert AuditEntry.objects.get(action="org.role.revoked").data["ended_on"] == "2026-05-06"


def test_deactivating_a_person_ends_their_roles(tree, admin, clerk_a):
    from datetime import date

    from fazhi.org.models import PastRoleAssignment

    services.deactivate_person(clerk_a.person, by=admin, today=date(2026, 5, 6))
    assert not clerk_a.person.roles.exists()
    assert PastRoleAssignment.objects.filter(person=clerk_a.person, ended_on=date(2026, 5, 6)).exists()


def test_system_actor_is_recorded_as_system(tree):
    with transaction.atomic():
        services.create_unit(tree.gov, by=None, name="系统建的单位", kind=UnitKind.DEPARTMENT)
    assert AuditEntry.objects.get(action="org.unit.created").actor_name == "系统"


# ------------------------------------------------- the enforcement-subject flag

def test_only_the_system_administrator_marks_an_enforcement_subject(tree, unit_admin, admin):
    # Whose name an enforcement decision carries (and so the 复议机关) is not a
    # unit's own setting: a 单位管理员 may neither set nor clear it.
    before = snapshot()
    with pytest.raises(PermissionDenied, match="只有系统管理员可以设定“行政执法主体”"):
        services.update_unit(tree.a1, by=unit_admin, is_enforcement_subject=True)
    with pytest.raises(PermissionDenied, match="行政执法主体"):
        services.create_unit(tree.a, by=unit_admin, name="综合执法队", kind=UnitKind.INTERNAL,
                             is_enforcement_subject=True)
    assert snapshot() == before

    services.update_unit(tree.a1, by=admin, is_enforcement_subject=True)
    assert Unit.objects.get(pk=tree.a1.pk).is_enforcement_subject
    entry = AuditEntry.objects.filter(action="org.unit.updated").latest("pk")
    assert entry.data["changes"]["is_enforcement_subject"] == [False, True]
    # A 单位管理员 may still edit the unit's other fields without touching the flag.
    services.update_unit(Unit.objects.get(pk=tree.a1.pk), by=unit_admin, short_name="执法队")
    assert Unit.objects.get(pk=tree.a1.pk).is_enforcement_subject
    with pytest.raises(PermissionDenied):
        services.update_unit(Unit.objects.get(pk=tree.a1.pk), by=unit_admin, is_enforcement_subject=False)


def test_admin_creates_an_enforcement_subject_and_it_is_audited(tree, admin):
    unit = services.create_unit(tree.gov, by=admin, name="测试区综合行政执法局", kind=UnitKind.DEPARTMENT,
                                is_enforcement_subject=True)
    assert unit.is_enforcement_subject
    assert AuditEntry.objects.get(action="org.unit.created").data["is_enforcement_subject"] is True
