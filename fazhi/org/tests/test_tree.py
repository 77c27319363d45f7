"""Moving units: the subtree's materialised paths follow; cycles are refused."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.org import services
from fazhi.org.models import Unit, UnitKind
from fazhi.org.tests.factories import UnitFactory


def _consistent():
    """Every unit's path/depth is what its parent chain says."""
    for u in Unit.objects.select_related("parent"):
        expected = (u.parent.path if u.parent else "") + f"{u.pk:06d}/"
        assert u.path == expected, u
        assert u.depth == (u.parent.depth + 1 if u.parent else 0), u


def test_moving_a_unit_rewrites_its_whole_subtree(tree, admin):
    squad = UnitFactory(name="一中队", parent=tree.a1, kind=UnitKind.INTERNAL)
    services.update_unit(tree.a1, by=admin, parent=tree.b)
    squad.refresh_from_db()
    tree.a1.refresh_from_db()
    assert tree.a1.path == f"{tree.b.path}{tree.a1.pk:06d}/" and tree.a1.depth == 2
    assert squad.path.startswith(tree.a1.path) and squad.depth == 3
    _consistent()
    entry = AuditEntry.objects.get(action="org.unit.updated")
    assert entry.data["changes"]["parent"] == [tree.a.pk, tree.b.pk]


def test_moving_up_and_to_the_top_level(tree, admin):
    services.update_unit(tree.a1, by=admin, parent=tree.gov)
    services.update_unit(tree.a, by=admin, parent=None)
    _consistent()
    assert Unit.objects.get(pk=tree.a.pk).depth == 0


def test_the_subtree_is_rewritten_in_one_statement(tree, admin):
    for i in range(20):
        UnitFactory(name=f"站所{i}", parent=tree.a1, kind=UnitKind.INTERNAL)
    with CaptureQueriesContext(connection) as ctx:
        services.update_unit(tree.a, by=admin, parent=tree.b)
    updates = [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE") and "org_unit" in q["sql"]
               and "path" in q["sql"]]
    assert len(updates) == 1
    _consistent()


def test_a_unit_cannot_move_under_itself(tree, admin):
    with pytest.raises(ValidationError, match="自己或它的下级") as exc:
        services.update_unit(tree.a, by=admin, parent=tree.a)
    assert "parent" in exc.value.fields


def test_a_unit_cannot_move_under_its_descendant(tree, admin):
    before = list(Unit.objects.values_list("pk", "path", "parent"))
    with pytest.raises(ValidationError, match="自己或它的下级"):
        services.update_unit(tree.a, by=admin, parent=tree.a1)
    assert list(Unit.objects.values_list("pk", "path", "parent")) == before


def test_sibling_with_a_common_path_prefix_is_not_a_descendant(tree, admin):
    # "000002/" must not be mistaken for a descendant of "00000/"-like prefixes:
    # paths end in "/", so a prefix match is a real ancestry.
    services.update_unit(tree.b, by=admin, parent=tree.a1)
    _consistent()


def test_unit_admin_cannot_move_a_unit_outside_their_scope(tree, unit_admin):
    with pytest.raises(PermissionDenied):
        services.update_unit(tree.a1, by=unit_admin, parent=tree.b)


def test_unit_admin_moves_within_their_scope(tree, unit_admin):
    sub = UnitFactory(name="二中队", parent=tree.a, kind=UnitKind.INTERNAL)
    services.update_unit(sub, by=unit_admin, parent=tree.a1)
    _consistent()


def test_a_move_under_an_inactive_unit_is_refused(tree, admin):
    Unit.objects.filter(pk=tree.b.pk).update(is_active=False)
    with pytest.raises(ValidationError, match="已停用"):
        services.update_unit(tree.a1, by=admin, parent=Unit.objects.get(pk=tree.b.pk))
