"""Factories of training records, with a trait per state.

    SessionFactory(held=True, unit=unit)
    AttendanceFactory(session=s, person=p, hours=Decimal("8"))
"""

from datetime import date
from decimal import Decimal

import factory

from fazhi.org.tests.factories import PersonFactory, UnitFactory
from fazhi.training.models import Attendance, Exam, ExamScore, Kind, Status, TrainingSession


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    unit = factory.SubFactory(UnitFactory)
    topic = factory.Sequence(lambda n: f"<script>培训</script>{n}")
    date = date(2026, 3, 10)
    hours = Decimal("8")
    kind = Kind.LAW
    status = Status.PLANNED

    class Params:
        held = factory.Trait(status=Status.HELD)
        pre_implementation_law = factory.Trait(
            kind=Kind.NEW_LAW, pre_implementation=True, law_name="行政执法监督条例",
            law_effective_on=date(2026, 2, 1), date=date(2026, 1, 16), status=Status.HELD)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory, held=True)
    person = factory.SubFactory(PersonFactory)
    attended = True
    hours = factory.LazyAttribute(lambda o: o.session.hours)
    session_hours = factory.LazyAttribute(lambda o: o.session.hours)

    class Params:
        absent = factory.Trait(attended=False, hours=Decimal("0"))


class ExamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exam

    unit = factory.SubFactory(UnitFactory)
    title = factory.Sequence(lambda n: f"学法考试{n}")
    date = date(2026, 3, 10)


class ExamScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamScore

    exam = factory.SubFactory(ExamFactory)
    person = factory.SubFactory(PersonFactory)
    score = Decimal("80")
    passed = True


def attend(person, hours, *, unit=None, on=date(2026, 3, 10)) -> Attendance:
    """A held session of ``hours`` on ``on`` attended in full by ``person``."""
    session = SessionFactory(held=True, unit=unit or person.unit, hours=Decimal(str(hours)), date=on)
    return AttendanceFactory(session=session, person=person)
