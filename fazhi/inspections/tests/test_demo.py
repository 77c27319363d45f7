"""The 双随机 demo: idempotent, through the services, and it tells the whole
story — item lists, pools, an annual and a joint plan, a published draw that
verifies, one with overdue publication on the dashboard, one awaiting its reveal."""

import io

import pytest

from fazhi.audit.models import AuditEntry
from fazhi.core import draw as algo
from fazhi.enforcement import demo as enforcement_demo
from fazhi.inspections import demo, models, selectors, services
from fazhi.inspections.models import DrawStatus, InspectionStatus, ItemStatus, PlanKind
from fazhi.org import demo as org_demo
from fazhi.org.credit_code import credit_code_error

N = 400  # entities in the tests (the real demo loads demo.ENTITIES)

COUNTED = (models.InspectionItem, models.Entity, models.EntityImport, models.Inspector, models.InspectorAbsence,
           models.Recusal, models.Plan, models.Task, models.Draw, models.DrawSelection, models.TeamMember,
           models.Inspection)


def counts():
    return {m.__name__: m.objects.count() for m in COUNTED}


@pytest.fixture
def loaded(db):
    out = io.StringIO()
    org_demo.load(out)
    enforcement_demo.load(out)
    demo.load(out, entities=N)
    return out.getvalue()


def test_second_load_changes_nothing_and_writes_no_audit(loaded):
    before, audit = counts(), AuditEntry.objects.count()
    out = io.StringIO()
    demo.load(out, entities=N)
    assert counts() == before
    assert AuditEntry.objects.count() == audit
    line = out.getvalue().split("双随机、一公开：", 1)[1]
    assert "\n" not in line.strip() and "随机抽取 0 次" in line and "检查对象 0 户" in line


def test_the_story_is_complete(loaded, tmp_path):
    # Pools and lists.
    assert models.Entity.objects.count() == N
    assert all(credit_code_error(c) is None for c in models.Entity.objects.values_list("credit_code", flat=True))
    assert {"92", "91"} <= {c[:2] for c in models.Entity.objects.values_list("credit_code", flat=True)}
    for key in ("scj", "nyj"):
        unit = models.InspectionItem.objects.filter(status=ItemStatus.PUBLISHED,
                                                    unit__name=org_demo.unit_name(key))
        assert unit.count() >= 3
    scj = org_demo.unit_name("scj")
    assert models.Inspector.objects.filter(unit__name=scj).count() >= 6
    assert models.Recusal.objects.exists() and models.InspectorAbsence.objects.exists()
    # Plans: annual and joint (综合查一次) across departments.
    joint = models.Plan.objects.get(kind=PlanKind.JOINT)
    assert joint.participating_units.count() >= 2
    assert models.Plan.objects.filter(kind=PlanKind.ANNUAL).count() >= 2
    # Draws: published ones verify from their export; one awaits its reveal.
    statuses = list(models.Draw.objects.values_list("status", flat=True))
    assert statuses.count(DrawStatus.COMMITTED) == 1 and statuses.count(DrawStatus.PUBLISHED) >= 3
    for d in models.Draw.objects.filter(status=DrawStatus.PUBLISHED):
        folder = services.export_draw(d, str(tmp_path / f"draw-{d.pk}"))
        assert algo.verify_folder(folder) is None
        teams = models.TeamMember.objects.filter(selection__draw=d)
        assert teams.count() >= 2 * d.selections.count()
    # Results: a completed task with everything published; non-random checks for the share.
    assert models.Task.objects.filter(status="closed").exists()
    assert models.Inspection.objects.filter(status=InspectionStatus.PUBLISHED, kind="non_random").exists()
    assert models.Inspection.objects.filter(handover_status="handed_over").exists()


def test_overdue_publication_is_on_the_dashboard(loaded):
    from django.contrib.auth import get_user_model

    overdue = models.Inspection.objects.filter(status=InspectionStatus.RECORDED, publish_due__lt=demo.TODAY)
    assert overdue.exists()
    users = get_user_model().objects
    clerk, head = users.get(username="shichang_clerk"), users.get(username="shichang_head")
    items = selectors.dashboard_items(clerk, demo.TODAY)
    assert any("待揭示" in i.title for i in items)
    # The clerk recorded the overdue results, so publishing them waits for someone else (SYS-01): the head.
    assert not any("逾期未公示" in i.title for i in items)
    assert any(i.kind == "overdue" and "逾期未公示" in i.title for i in selectors.dashboard_items(head, demo.TODAY))


def test_steps_are_taken_by_the_demo_people(loaded):
    revealed = AuditEntry.objects.filter(action="inspections.draw.revealed")
    assert revealed.exists() and not revealed.filter(actor__isnull=True).exists()
    approved = set(AuditEntry.objects.filter(action="inspections.plan.approved")
                   .values_list("actor__username", flat=True))
    assert approved == {"shichang_head", "nongye_head"}
