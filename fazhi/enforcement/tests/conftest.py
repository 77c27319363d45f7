"""Shared fixtures of the enforcement tests (all three parts use them)."""

from types import SimpleNamespace

import pytest

from fazhi.enforcement.tests.factories import enforcement_code, make_officer
from fazhi.org.models import UnitKind
from fazhi.org.tests.factories import PersonFactory, UnitFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}


@pytest.fixture
def enf(db):
    """gov ─┬─ a (农业农村局, with 2 certified officers o1, o2 and code 测a罚立)
            ├─ b (市场监管局)
            └─ s (司法局)
    users: officer_a (执法人员 of a), clerk_b, head_a, reviewer (gov+sub), admin_a (单位管理员 of a)."""
    gov = UnitFactory(name="示范区人民政府", short_name="区政府", kind=UnitKind.GOVERNMENT)
    a = UnitFactory(name="示范区农业农村局", short_name="农业农村局", parent=gov)
    b = UnitFactory(name="示范区市场监督管理局", short_name="市场监管局", parent=gov)
    s = UnitFactory(name="示范区司法局", short_name="司法局", parent=gov, is_legal_office=True)
    enforcement_code(a)
    enforcement_code(b)
    o1 = make_officer(a, name="执法员一")
    o2 = make_officer(a, name="执法员二")
    return SimpleNamespace(
        gov=gov, a=a, b=b, s=s, o1=o1, o2=o2,
        officer_a=PersonFactory(unit=a, name="经办人甲", roles=[("officer", a, False)]).user,
        clerk_b=PersonFactory(unit=b, name="经办人乙", roles=[("clerk", b, False)]).user,
        head_a=PersonFactory(unit=a, name="局长甲", post="局长", roles=[("head", a, False)]).user,
        reviewer=PersonFactory(unit=s, name="审核员", roles=[("reviewer", gov, True)]).user,
        admin_a=PersonFactory(unit=a, name="管理员甲", roles=[("unit_admin", a, False)]).user,
    )


@pytest.fixture
def actions():
    from fazhi.audit.models import AuditEntry

    def _actions(prefix="enforcement."):
        return list(AuditEntry.objects.filter(action__startswith=prefix).order_by("seq")
                    .values_list("action", flat=True))

    return _actions
