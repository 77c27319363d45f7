from datetime import date
from types import SimpleNamespace

import pytest

from fazhi.org.models import UnitKind
from fazhi.org.tests.factories import PersonFactory, UnitFactory

YEAR = 2025
TODAY = date(2026, 1, 20)  # the year is over: every deadline of 2025 has passed


@pytest.fixture
def tree(db):
    """gov ─┬─ a (农业农村局) ── ad (执法大队, internal)
            ├─ b (市场监管局)
            └─ s (司法局)
    People: assessor (gov and below), clerk_a (a only), head_b (b only), staff (no role)."""
    gov = UnitFactory(name="示范区人民政府", short_name="区政府", kind=UnitKind.GOVERNMENT)
    a = UnitFactory(name="示范区农业农村局", short_name="农业农村局", parent=gov)
    ad = UnitFactory(name="示范区农业农村局执法大队", short_name="执法大队", parent=a, kind=UnitKind.INTERNAL)
    b = UnitFactory(name="示范区市场监督管理局", short_name="市场监管局", parent=gov)
    s = UnitFactory(name="示范区司法局", short_name="司法局", parent=gov, is_legal_office=True)
    return SimpleNamespace(
        gov=gov, a=a, ad=ad, b=b, s=s,
        assessor=PersonFactory(unit=s, name="考核员", roles=[("assessor", gov, True)]),
        clerk_a=PersonFactory(unit=a, name="经办人甲", roles=[("clerk", a, False)]),
        head_b=PersonFactory(unit=b, name="局长乙", roles=[("head", b, False)]),
        staff=PersonFactory(unit=a, name="科员"),
    )


@pytest.fixture
def audit_actions():
    from fazhi.audit.models import AuditEntry

    def _actions(prefix="assessment."):
        return list(AuditEntry.objects.filter(action__startswith=prefix).order_by("seq")
                    .values_list("action", flat=True))

    return _actions
