"""Shared fixtures of the inspections tests (core, UI and portal helpers use them)."""

from types import SimpleNamespace

import pytest

from fazhi.inspections.tests.factories import InspectorFactory
from fazhi.org.models import UnitKind
from fazhi.org.tests.factories import PersonFactory, UnitFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    from fazhi.core.testing import fresh_cache

    fresh_cache()  # import progress lives in the cache


@pytest.fixture(autouse=True)
def _no_import_threads(monkeypatch):
    """Tests run imports themselves; the one-off job an upload defers to its commit
    (transactional tests) would race them in a thread. ``started`` records the
    imports it would have run."""
    from fazhi.core import jobs
    from fazhi.inspections.jobs import IMPORT

    started: list[int] = []

    def start(name, *args):
        if name == IMPORT:
            started.append(*args)

    monkeypatch.setattr(jobs.registry, "start", start)  # what ``defer`` calls after the commit
    return started


@pytest.fixture
def calendar(db):
    """The statutory calendar (loaded by a data migration). A transactional
    test elsewhere in the run may have flushed it: restore it if missing."""
    from fazhi.workdays.models import CalendarYear
    from fazhi.workdays.services import load_builtin

    if not CalendarYear.objects.filter(year=2026, confirmed=True).exists():
        load_builtin(by=None)


@pytest.fixture
def ins(db, calendar):
    """gov ─┬─ a (市场监管局, 4 inspectors i1..i4 with valid certificates)
            ├─ b (农业农村局, 2 inspectors j1, j2)
            └─ town (龙凤镇)
    users: clerk_a, head_a, officer_a, clerk_b, head_b, viewer_gov (assessor over gov+sub), admin."""
    gov = UnitFactory(name="示范区人民政府", short_name="区政府", kind=UnitKind.GOVERNMENT)
    a = UnitFactory(name="示范区市场监督管理局", short_name="市场监管局", parent=gov)
    b = UnitFactory(name="示范区农业农村局", short_name="农业农村局", parent=gov)
    town = UnitFactory(name="示范区龙凤镇人民政府", short_name="龙凤镇", parent=gov, kind=UnitKind.TOWN)
    return SimpleNamespace(
        gov=gov, a=a, b=b, town=town,
        inspectors_a=[InspectorFactory(unit=a) for _ in range(4)],
        inspectors_b=[InspectorFactory(unit=b) for _ in range(2)],
        clerk_a=PersonFactory(unit=a, name="经办人甲", roles=[("clerk", a, False)]).user,
        head_a=PersonFactory(unit=a, name="局长甲", post="局长", roles=[("head", a, False)]).user,
        officer_a=PersonFactory(unit=a, name="执法员甲", roles=[("officer", a, False)]).user,
        clerk_b=PersonFactory(unit=b, name="经办人乙", roles=[("clerk", b, False)]).user,
        head_b=PersonFactory(unit=b, name="局长乙", post="局长", roles=[("head", b, False)]).user,
        viewer_gov=PersonFactory(unit=gov, name="考核员", roles=[("assessor", gov, True)]).user,
        admin=PersonFactory(unit=gov, name="管理员", roles=[("admin", gov, True)]).user,
    )


@pytest.fixture
def actions():
    from fazhi.audit.models import AuditEntry

    def _actions(prefix="inspections."):
        return list(AuditEntry.objects.filter(action__startswith=prefix).order_by("seq")
                    .values_list("action", flat=True))

    return _actions
