"""The database holds the shared consultation's invariants."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from fazhi.consultations.models import Consultation
from fazhi.consultations.services import policy_of
from fazhi.major_decisions import services as md_services
from fazhi.major_decisions.tests.factories import DecisionFactory
from fazhi.normative_docs import services as nd_services
from fazhi.normative_docs.tests.factories import make_doc

pytestmark = pytest.mark.django_db

PERIOD = dict(start_on=date(2026, 4, 1), end_on=date(2026, 5, 1), min_end_on=date(2026, 5, 1), min_rule="30日")


def _refused(**kw):
    with pytest.raises(IntegrityError), transaction.atomic():
        Consultation.objects.create(**PERIOD, **kw)


def test_exactly_one_owner_one_open_consultation_each_and_dates_in_order():
    doc = make_doc("drafting")
    decision = DecisionFactory(drafting=True)
    _refused()  # no owner
    _refused(doc=doc, decision=decision)  # two owners
    c = Consultation.objects.create(doc=doc, **PERIOD)
    _refused(doc=doc)  # a second open one on the same document
    Consultation.objects.create(decision=decision, **PERIOD)  # another owner: its own index
    _refused(decision=decision)
    c.state = Consultation.State.CLOSED
    c.save()
    Consultation.objects.create(doc=doc, **PERIOD)  # closed ones do not count
    with pytest.raises(IntegrityError), transaction.atomic():  # ends before it starts
        Consultation.objects.create(doc=make_doc("drafting"), start_on=date(2026, 5, 2), end_on=date(2026, 5, 1),
                                    min_end_on=date(2026, 5, 1), min_rule="30日")


def test_each_consultation_finds_its_module_rules():
    doc = make_doc("drafting")
    decision = DecisionFactory(drafting=True)
    assert policy_of(Consultation(doc=doc)) is nd_services.CONSULTATION
    assert policy_of(Consultation(decision=decision)) is md_services.CONSULTATION
    assert (nd_services.CONSULTATION.per_article, md_services.CONSULTATION.per_article) == (True, False)
