"""Score and ranking maths, weights and settlements (services, audited)."""

from datetime import date
from decimal import Decimal

import pytest

from fazhi.assessment import selectors, services
from fazhi.assessment.models import IndicatorWeight, Settlement
from fazhi.assessment.selectors import UnitRow, rank, score
from fazhi.assessment.tests.conftest import TODAY, YEAR
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.enforcement.tests.factories import make_officer
from fazhi.org.tests.factories import PersonFactory, UnitFactory


def v(value, target=1.0, weight=1.0):
    return {"value": value, "target": target, "weight": weight}


def test_score_is_the_weighted_share_of_targets_met_over_indicators_with_data():
    # 0.5/1 with weight 2, 0.9/0.9 (met, capped at 1) with weight 1, 无数据 with weight 5 (left out).
    assert score([v(0.5, weight=2), v(0.9, target=0.9), v(None, weight=5)]) == pytest.approx(66.67)


def test_exceeding_a_target_earns_nothing_extra():
    assert score([v(1.0, target=0.8), v(0.4, target=0.8)]) == 75.0


def test_no_data_is_not_full_marks():
    assert score([v(None), v(None)]) is None
    assert score([v(0.0)]) == 0.0


def test_zero_weight_indicators_are_left_out():
    assert score([v(0.2, weight=0), v(1.0)]) == 100.0


def test_ranking_shares_places_on_ties_and_puts_no_data_last(db):
    u = [UnitFactory() for _ in range(4)]
    rows = [UnitRow(u[0], [], 80.0), UnitRow(u[1], [], None), UnitRow(u[2], [], 90.0), UnitRow(u[3], [], 80.0)]
    ranked = rank(rows, min_indicators=0)
    assert [(r.unit, r.rank) for r in ranked] == [(u[2], 1), (u[0], 2), (u[3], 2), (u[1], None)]


def test_a_unit_doing_nothing_has_no_score_and_is_listed_as_a_gap(tree):
    make_officer(tree.a)
    table = selectors.all_units_values(YEAR, [tree.a, tree.b], today=TODAY)
    rows = {r.unit: r for r in table.rows}
    # One perfect figure gives a score but no place: 数据不足 (fewer than 3 indicators with data).
    assert rows[tree.a].score == 100.0 and rows[tree.a].rank is None
    assert rows[tree.b].score is None and rows[tree.b].rank is None
    assert len(rows[tree.b].gaps) == len(table.indicators)


def test_a_unit_with_too_few_indicators_is_listed_after_the_ranked_ones(db):
    u = [UnitFactory() for _ in range(3)]
    full = [{"value": 0.5}] * 3
    rows = [UnitRow(u[0], [{"value": 1.0}], 100.0), UnitRow(u[1], full, 60.0), UnitRow(u[2], [], None)]
    ranked = rank(rows, min_indicators=3)
    assert [(r.unit, r.rank) for r in ranked] == [(u[1], 1), (u[0], None), (u[2], None)]


def test_the_ranking_threshold_is_a_setting(db, settings):
    settings.FAZHI_ASSESSMENT = {"rank_min_indicators": 1}
    u = UnitFactory()
    assert rank([UnitRow(u, [{"value": 1.0}], 100.0)])[0].rank == 1


def test_weights_change_the_score_and_are_audited(tree, audit_actions):
    make_officer(tree.a)
    make_officer(tree.a, valid_to=date(2025, 1, 31))  # ENF_CERTIFIED 1/2
    services.set_weights(YEAR, {"ENF_CERTIFIED": {"weight": "3", "target_percent": "50"}}, by=tree.assessor.user)
    w = IndicatorWeight.objects.get(year=YEAR, code="ENF_CERTIFIED")
    assert (w.weight, w.target) == (Decimal("3.00"), Decimal("0.5000"))
    values = selectors.unit_values(tree.a, YEAR, today=TODAY)
    cert = next(x for x in values if x["code"] == "ENF_CERTIFIED")
    assert cert["met"] is True and cert["weight"] == 3.0 and cert["target"] == 0.5
    assert audit_actions() == ["assessment.weights.set"]


def test_bad_weights_change_nothing(tree, audit_actions):
    with pytest.raises(ValidationError) as exc:
        services.set_weights(YEAR, {"ENF_CERTIFIED": {"weight": "2", "target_percent": "90"},
                                    "TRAIN_OFFICER_HOURS": {"weight": "abc", "target_percent": "120"}},
                             by=tree.assessor.user)
    assert "TRAIN_OFFICER_HOURS.weight" in exc.value.fields
    assert not IndicatorWeight.objects.exists() and audit_actions() == []


def test_only_the_assessor_sets_weights(tree):
    with pytest.raises(PermissionDenied):
        services.set_weights(YEAR, {"ENF_CERTIFIED": {"weight": "2", "target_percent": "90"}}, by=tree.clerk_a.user)


def test_an_assessor_of_one_unit_does_not_set_district_weights(tree, client):
    """A 考核员 role on one unit is scoped to it: weights bind the district (issue 11 §1)."""
    local = PersonFactory(unit=tree.a, name="局考核员", roles=[("assessor", tree.a, True)])
    with pytest.raises(PermissionDenied, match="全区范围"):
        services.set_weights(YEAR, {"ENF_CERTIFIED": {"weight": "2", "target_percent": "90"}}, by=local.user)
    with pytest.raises(PermissionDenied):
        services.settle_year(YEAR, by=local.user, today=TODAY)
    client.force_login(local.user)
    assert client.get("/assessment/weights/").status_code == 403
    assert not IndicatorWeight.objects.exists()


def test_settlement_freezes_a_past_year_with_a_hash_and_is_audited(tree, audit_actions):
    make_officer(tree.a)
    s = services.settle_year(YEAR, by=tree.assessor.user, today=TODAY, note="年终结算")
    assert len(s.sha256) == 64 and services.verify_settlement(s)
    assert audit_actions() == ["assessment.settlement.created"]
    # A later correction does not move the settled figure; the drill-down shows the difference.
    make_officer(tree.a, valid_to=date(2025, 1, 31))
    cert = next(x for x in selectors.unit_values(tree.a, YEAR, today=TODAY) if x["code"] == "ENF_CERTIFIED")
    assert (cert["numerator"], cert["denominator"]) == (1, 1)
    d = selectors.drill_down(tree.a, YEAR, "ENF_CERTIFIED", today=TODAY)
    assert (d.live.numerator, d.live.denominator) == (1, 2)
    live = selectors.compute(YEAR, [tree.a], today=TODAY, live=True).rows[0].by_code["ENF_CERTIFIED"]
    assert (live["numerator"], live["denominator"]) == (1, 2)


def test_the_current_year_cannot_be_settled(tree):
    with pytest.raises(ValidationError):
        services.settle_year(TODAY.year, by=tree.assessor.user, today=TODAY)
    assert not Settlement.objects.exists()


def test_default_weights_are_idempotent(tree, audit_actions):
    n = services.ensure_default_weights(YEAR, by=None)
    assert n == IndicatorWeight.objects.filter(year=YEAR).count() > 0
    assert services.ensure_default_weights(YEAR, by=None) == 0
    assert audit_actions() == ["assessment.weights.defaulted"]
