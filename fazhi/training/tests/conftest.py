from types import SimpleNamespace

import pytest

from fazhi.org.models import UnitKind
from fazhi.org.tests.factories import PersonFactory, UnitFactory


@pytest.fixture
def tr(db):
    """gov ─┬─ a (农业农村局) ── ad (执法大队)
            ├─ b (市场监管局)
            └─ s (司法局)
    People: clerk_a (经办人 of a and below), admin_a (单位管理员 of a and below),
    head_a, officers 何一/何二 (ad) and 孙三 (b), clerk_b, assessor (gov and below),
    staff_a (no role)."""
    gov = UnitFactory(name="示范区人民政府", short_name="区政府", kind=UnitKind.GOVERNMENT)
    a = UnitFactory(name="示范区农业农村局", short_name="农业农村局", parent=gov)
    ad = UnitFactory(name="示范区农业农村局执法大队", short_name="执法大队", parent=a, kind=UnitKind.INTERNAL)
    b = UnitFactory(name="示范区市场监督管理局", short_name="市场监管局", parent=gov)
    s = UnitFactory(name="示范区司法局", short_name="司法局", parent=gov, is_legal_office=True)
    return SimpleNamespace(
        gov=gov, a=a, ad=ad, b=b, s=s,
        clerk_a=PersonFactory(unit=a, name="经办人甲", roles=[("clerk", a, True)]),
        admin_a=PersonFactory(unit=a, name="管理员甲", roles=[("unit_admin", a, True)]),
        head_a=PersonFactory(unit=a, name="局长甲", roles=[("head", a, True)]),
        officer1=PersonFactory(unit=ad, name="何一", roles=[("officer", ad, False)]),
        officer2=PersonFactory(unit=ad, name="何二", roles=[("officer", ad, False)]),
        officer_b=PersonFactory(unit=b, name="孙三", roles=[("officer", b, False)]),
        clerk_b=PersonFactory(unit=b, name="经办人乙", roles=[("clerk", b, False)]),
        clerk_s=PersonFactory(unit=s, name="经办人丙", roles=[("clerk", s, False)]),
        assessor=PersonFactory(unit=s, name="考核员", roles=[("assessor", gov, True)]),
        staff_a=PersonFactory(unit=a, name="科员甲"),
    )


@pytest.fixture
def actions():
    from fazhi.audit.models import AuditEntry

    def _actions(prefix="training."):
        return list(AuditEntry.objects.filter(action__startswith=prefix).order_by("seq")
                    .values_list("action", flat=True))

    return _actions
