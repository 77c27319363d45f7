"""Factories for units, people and roles. Other apps' tests use these too.

    unit = UnitFactory(name="农业农村局")        # path maintained
    clerk = PersonFactory(unit=unit, roles=[("clerk", unit, False)])
    client.force_login(clerk.user)
"""

import factory
from django.contrib.auth import get_user_model

from fazhi.org.models import Person, RoleAssignment, Unit, UnitKind
from fazhi.org.services import _save_tree_position

TEST_PASSWORD = "pass-for-tests-1"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试单位{n}")
    short_name = factory.LazyAttribute(lambda o: o.name[:6])
    kind = UnitKind.DEPARTMENT
    parent = None

    @factory.post_generation
    def tree(obj, create, extracted, **kwargs):
        if create:
            _save_tree_position(obj)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    # Hashed at build time and saved with the row (a post-generation
    # set_password would not be saved, and force_login sessions would then
    # fail the session hash check on the next request).
    password = factory.django.Password(TEST_PASSWORD)


class PersonFactory(factory.django.DjangoModelFactory):
    """``roles=[(role, unit, include_subunits), ...]``; unit None = own unit."""

    class Meta:
        model = Person
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"张{n}")
    unit = factory.SubFactory(UnitFactory)
    post = "科员"

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        for role, unit, subunits in extracted or []:
            RoleAssignment.objects.create(person=obj, role=role, unit=unit or obj.unit, include_subunits=subunits)


def person_with_role(role: str, unit=None, *, subunits: bool = False, **kw) -> Person:
    unit = unit or UnitFactory()
    return PersonFactory(unit=unit, roles=[(role, unit, subunits)], **kw)


def admin_user(unit=None):
    """A 系统管理员 (role-based, with a Person row)."""
    return person_with_role("admin", unit, subunits=True).user


def fresh(user):
    """The same account re-read, without the per-object grant cache of
    fazhi.org.access (use after roles changed in a test)."""
    return get_user_model().objects.get(pk=user.pk)
