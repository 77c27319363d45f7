"""Every write to units, people and roles. Each one is audited."""

from django.db import transaction

from fazhi.audit.services import record
from fazhi.org.models import Unit


def compute_path(unit: Unit) -> tuple[str, int]:
    parent_path = unit.parent.path if unit.parent_id else ""
    depth = unit.parent.depth + 1 if unit.parent_id else 0
    return f"{parent_path}{unit.pk:06d}/", depth


@transaction.atomic
def _save_tree_position(unit: Unit) -> None:
    """Set ``path``/``depth`` of ``unit`` and rewrite them for its subtree."""
    old_path = unit.path
    unit.path, unit.depth = compute_path(unit)
    Unit.objects.filter(pk=unit.pk).update(path=unit.path, depth=unit.depth)
    if old_path and old_path != unit.path:
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).order_by("depth"):
            child.parent = Unit.objects.get(pk=child.parent_id)
            child.path, child.depth = compute_path(child)
            Unit.objects.filter(pk=child.pk).update(path=child.path, depth=child.depth)


__all__ = ["record", "compute_path", "_save_tree_position"]
