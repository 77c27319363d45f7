"""Shared fixtures of the normative-documents tests (all four parts use them)."""

from types import SimpleNamespace

import pytest

from fazhi.org.models import UnitKind
from fazhi.org.tests.factories import PersonFactory, UnitFactory


@pytest.fixture
def nd(db):
    """A district: gov ─┬─ a (农业农村局)
                        ├─ b (市场监管局)
                        ├─ s (司法局, legal office)
                        └─ t (东城街道)
    with people: clerk_a, head_a, clerk_b, head_gov (区长), reviewer and
    assessor (司法局, over gov and below)."""
    gov = UnitFactory(name="示范区人民政府", short_name="区政府", kind=UnitKind.GOVERNMENT)
    a = UnitFactory(name="示范区农业农村局", short_name="农业农村局", parent=gov)
    b = UnitFactory(name="示范区市场监督管理局", short_name="市场监管局", parent=gov)
    s = UnitFactory(name="示范区司法局", short_name="司法局", parent=gov, is_legal_office=True)
    t = UnitFactory(name="示范区东城街道办事处", short_name="东城街道", parent=gov, kind=UnitKind.TOWN)
    people = SimpleNamespace(
        clerk_a=PersonFactory(unit=a, name="经办人甲", post="科员", roles=[("clerk", a, False)]).user,
        head_a=PersonFactory(unit=a, name="局长甲", post="局长", roles=[("head", a, False)]).user,
        clerk_b=PersonFactory(unit=b, name="经办人乙", roles=[("clerk", b, False)]).user,
        head_gov=PersonFactory(unit=gov, name="区长", post="区长", roles=[("head", gov, False)]).user,
        reviewer=PersonFactory(unit=s, name="审核员", post="法制审核员",
                               roles=[("reviewer", gov, True)]).user,
        assessor=PersonFactory(unit=s, name="考核员", roles=[("assessor", gov, True)]).user,
    )
    return SimpleNamespace(gov=gov, a=a, b=b, s=s, t=t, **vars(people))


@pytest.fixture
def actions():
    """The normative_docs audit actions written so far, in order."""
    from fazhi.audit.models import AuditEntry

    def _actions(prefix="normative_docs."):
        return list(AuditEntry.objects.filter(action__startswith=prefix).order_by("seq")
                    .values_list("action", flat=True))

    return _actions
