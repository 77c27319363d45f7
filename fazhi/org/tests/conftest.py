from types import SimpleNamespace

import pytest

from fazhi.org.models import UnitKind
from fazhi.org.tests.factories import PersonFactory, UnitFactory, person_with_role


@pytest.fixture
def tree(db):
    """gov ─┬─ a (农业农村局) ── a1 (执法大队)
            └─ b (市场监管局)"""
    gov = UnitFactory(name="测试区人民政府", short_name="区政府", kind=UnitKind.GOVERNMENT)
    a = UnitFactory(name="测试区农业农村局", short_name="农业农村局", parent=gov)
    a1 = UnitFactory(name="测试区农业农村局执法大队", short_name="执法大队", parent=a, kind=UnitKind.INTERNAL)
    b = UnitFactory(name="测试区市场监督管理局", short_name="市场监管局", parent=gov)
    return SimpleNamespace(gov=gov, a=a, a1=a1, b=b)


@pytest.fixture
def admin(tree):
    return person_with_role("admin", tree.gov, subunits=True, name="管理员").user


@pytest.fixture
def unit_admin(tree):
    """单位管理员 of a (农业农村局) and below."""
    return PersonFactory(unit=tree.a, name="单位管理员", roles=[("unit_admin", tree.a, True)]).user


@pytest.fixture
def clerk_a(tree):
    return PersonFactory(unit=tree.a, name="经办人甲", roles=[("clerk", tree.a, False)]).user


@pytest.fixture
def clerk_b(tree):
    return PersonFactory(unit=tree.b, name="经办人乙", roles=[("clerk", tree.b, False)]).user


@pytest.fixture
def reviewer(tree):
    return PersonFactory(unit=tree.b, name="审核员", roles=[("reviewer", tree.gov, True)]).user
