"""The permission matrix of org: which role holds which org permission over
its own unit, the units below it (with and without include_subunits) and
another unit."""

import pytest
from django.contrib.auth.models import AnonymousUser

from fazhi.org import access
from fazhi.org.models import Unit
from fazhi.org.tests.factories import PersonFactory, UserFactory, fresh

ORG_PERMISSIONS = ("org.view_units", "org.manage_units", "org.view_people", "org.manage_people")

# What each role holds *within its scope*.
HOLDS = {
    "admin": {"org.view_units", "org.manage_units", "org.view_people", "org.manage_people"},
    "unit_admin": {"org.view_units", "org.manage_units", "org.view_people", "org.manage_people"},
    "clerk": {"org.view_units", "org.view_people"},
    "head": {"org.view_units", "org.view_people"},
    "reviewer": {"org.view_units"},
    "officer": {"org.view_units"},
    "assessor": {"org.view_units", "org.view_people"},
}


def _expected(role: str, permission: str, where: str, subunits: bool) -> bool:
    if role == "admin":  # 系统管理员: everything, everywhere
        return True
    if permission not in HOLDS[role]:
        return False
    return where == "own" or (where == "sub" and subunits)


@pytest.mark.parametrize("subunits", [False, True], ids=["own-only", "with-subunits"])
@pytest.mark.parametrize("role", list(HOLDS))
def test_permission_matrix(tree, role, subunits):
    user = PersonFactory(unit=tree.a, roles=[(role, tree.a, subunits)]).user
    targets = {"own": tree.a, "sub": tree.a1, "other": tree.b, "parent": tree.gov}
    for permission in ORG_PERMISSIONS:
        for where, unit in targets.items():
            expected = _expected(role, permission, where, subunits)
            assert access.allowed(user, permission, unit) is expected, (role, permission, where)


def test_the_manifest_matches_the_matrix():
    from fazhi.modules import permissions

    for permission in ORG_PERMISSIONS:
        granted_by = set(permissions()[permission].roles)
        assert granted_by == {r for r, perms in HOLDS.items() if permission in perms and r != "admin"}


def test_reviewer_at_government_sees_units_across_but_cannot_manage(tree, reviewer):
    for unit in (tree.gov, tree.a, tree.a1, tree.b):
        assert access.allowed(reviewer, "org.view_units", unit)
        assert not access.allowed(reviewer, "org.manage_units", unit)
        assert not access.allowed(reviewer, "org.view_people", unit)
        assert not access.allowed(reviewer, "org.manage_people", unit)
    assert set(access.visible_units(reviewer, "org.view_units")) == {tree.gov, tree.a, tree.a1, tree.b}


def test_assessor_at_government_sees_people_across_but_cannot_manage(tree):
    assessor = PersonFactory(unit=tree.gov, roles=[("assessor", tree.gov, True)]).user
    assert access.allowed(assessor, "org.view_people", tree.b)
    assert not access.allowed(assessor, "org.manage_people", tree.b)


def test_superuser_without_person_is_admin(tree):
    su = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert access.is_admin(su)
    assert all(access.allowed(su, p, tree.b) for p in ORG_PERMISSIONS)


def test_inactive_person_holds_nothing(tree):
    person = PersonFactory(unit=tree.a, roles=[("unit_admin", tree.a, True)])
    person.is_active = False
    person.save()
    assert not access.allowed(fresh(person.user), "org.view_units", tree.a)


def test_role_over_an_inactive_unit_grants_nothing(tree):
    user = PersonFactory(unit=tree.a, roles=[("clerk", tree.a1, False)]).user
    Unit.objects.filter(pk=tree.a1.pk).update(is_active=False)
    assert not access.allowed(user, "org.view_units", tree.a1)


def test_anonymous_holds_nothing(tree):
    assert not access.allowed(AnonymousUser(), "org.view_units")
    assert list(access.visible_units(AnonymousUser(), "org.view_units")) == []


def test_unknown_permission_fails_loudly(tree, admin):
    with pytest.raises(LookupError):
        access.allowed(admin, "org.view_unitz")
