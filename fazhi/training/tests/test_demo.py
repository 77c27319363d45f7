import io
from decimal import Decimal

from fazhi.org import demo as org_demo
from fazhi.training import demo, selectors
from fazhi.training.models import Attendance, Exam, TrainingSession


def test_demo_is_idempotent_and_has_short_and_complete_officers(db):
    out = io.StringIO()
    org_demo.load(out)
    demo.load(out)
    n = (TrainingSession.objects.count(), Attendance.objects.count(), Exam.objects.count())
    demo.load(out)
    assert (TrainingSession.objects.count(), Attendance.objects.count(), Exam.objects.count()) == n
    assert TrainingSession.objects.filter(pre_implementation=True).exists()
    from fazhi.org.models import Person

    admin = Person.objects.get(user__username="kaohe").user
    year = TrainingSession.objects.filter(pre_implementation=True).get().date.year
    short = {p.name for p in selectors.shortfall(admin, year)}
    he = Person.objects.get(name="何建军")
    if selectors.person_hours(he, year) >= Decimal("60"):
        assert "何建军" not in short and {"罗鹏", "唐刚"} <= short
