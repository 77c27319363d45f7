from io import StringIO

from fazhi.ledger import demo
from fazhi.ledger.models import Measure, Plan, ProgressReport, SupervisionAction
from fazhi.org import demo as org_demo


def test_demo_loads_the_plan_and_is_idempotent(db):
    org_demo.load(StringIO())
    out = StringIO()
    demo.load(out)
    plan = Plan.objects.get()
    assert plan.status == "active" and Measure.objects.filter(plan=plan).count() == 42
    assert not Measure.objects.filter(lead_unit__isnull=True).exists()
    assert ProgressReport.objects.exists() and SupervisionAction.objects.exists()
    counts = (Measure.objects.count(), ProgressReport.objects.count(), SupervisionAction.objects.count())
    demo.load(StringIO())
    assert (Measure.objects.count(), ProgressReport.objects.count(), SupervisionAction.objects.count()) == counts
    assert Plan.objects.count() == 1
