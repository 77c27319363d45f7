"""The contract of fazhi.core.indicators, held for every registered indicator:
records() lists exactly what count() counted, and count() runs a fixed number
of queries whatever the number of units."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.assessment import registry
from fazhi.assessment.tests.conftest import TODAY, YEAR
from fazhi.enforcement.tests.factories import make_case, make_officer
from fazhi.normative_docs.tests.factories import make_doc
from fazhi.org.tests.factories import PersonFactory, UnitFactory
from fazhi.training.tests.factories import attend

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(tree):
    make_doc("filed", unit=tree.a, today=date(2025, 3, 2))
    make_doc("published", unit=tree.ad, issuer=tree.a, today=date(2025, 3, 2))
    make_case("closed", unit=tree.ad, major=True, today=date(2025, 3, 2))
    make_case("decided", unit=tree.b, today=date(2025, 4, 1))
    make_officer(tree.b, valid_to=date(2025, 5, 1))
    p = PersonFactory(unit=tree.ad, roles=[("officer", tree.ad, False)])
    attend(p, 64, on=date(2025, 5, 1))
    return tree


def test_registry_lists_the_modules_indicators():
    codes = [i.code for i in registry.indicators()]
    for code in ("NDOC_FILED_ON_TIME", "NDOC_LEGAL_REVIEWED", "MDEC_PROCEDURE_COMPLETE", "ENF_CERTIFIED",
                 "ENF_MAJOR_REVIEWED", "ENF_CLOSED_ON_TIME", "ENF_PUBLISHED_ON_TIME", "TRAIN_OFFICER_HOURS"):
        assert code in codes
    assert len(codes) == len(set(codes))
    for ind in registry.indicators():
        assert ind.name and ind.description and 0 <= ind.default_target <= 1


def test_an_uninstalled_module_shows_no_indicator(settings):
    settings.INSTALLED_APPS = [a for a in settings.INSTALLED_APPS if a != "fazhi.training"]
    registry.reset()
    try:
        assert "TRAIN_OFFICER_HOURS" not in [i.code for i in registry.indicators()]
    finally:
        registry.reset()


def test_a_missing_indicators_file_is_skipped_but_other_import_errors_surface():
    def broken():
        raise ModuleNotFoundError("No module named 'somelib'", name="somelib")

    with pytest.raises(ModuleNotFoundError):
        registry._load("fazhi.training", broken)

    def absent():
        raise ModuleNotFoundError("No module named 'fazhi.training.indicators'", name="fazhi.training.indicators")

    assert registry._load("fazhi.training", absent) is None


@pytest.mark.parametrize("code", [i.code for i in registry.indicators()])
def test_records_match_count_for_every_unit(mixed, code):
    ind = registry.get(code)
    units = [mixed.gov, mixed.a, mixed.ad, mixed.b, mixed.s]
    counts = ind.count(YEAR, units)
    for u in units:
        recs = ind.records(u, YEAR)
        assert len(recs) == counts[u.pk].denominator, (code, u.name)
        assert sum(1 for r in recs if r.counted) == counts[u.pk].numerator, (code, u.name)
        for r in recs:
            assert r.title and r.note


@pytest.mark.parametrize("code", [i.code for i in registry.indicators()])
def test_count_runs_a_fixed_number_of_queries(tree, code):
    units = [UnitFactory(parent=tree.gov) for _ in range(10)]
    for u in units:
        make_officer(u)
    for u in (units[0], units[9]):
        make_doc("published", unit=u, today=date(2025, 3, 2))
    ind = registry.get(code)
    with CaptureQueriesContext(connection) as three:
        ind.count(YEAR, units[:3])
    with CaptureQueriesContext(connection) as ten:
        ind.count(YEAR, units)
    assert len(three.captured_queries) == len(ten.captured_queries)


def test_counts_cover_units_not_below_each_other(tree):
    """Siblings with a common prefix in their ids are not mixed up (paths end with '/')."""
    make_officer(tree.a)
    ind = registry.get("ENF_CERTIFIED")
    got = ind.count(YEAR, [tree.a, tree.b], today=TODAY)
    assert got[tree.a.pk].denominator == 1 and got[tree.b.pk].denominator == 0
