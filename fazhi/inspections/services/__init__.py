"""Every write of the inspections module (双随机、一公开), one function per use case.

One module per area; this package re-exports their public names, so callers
write ``from fazhi.inspections import services`` and ``services.commit_draw``.
The raw SQL and bulk writes live in their own modules (``pool_import``,
``draw_sql``), not beside the services; background work is a job
(``fazhi.inspections.jobs``, run by ``fazhi.core.jobs``).

Order inside each: lock -> authorise (org.access) -> legal order (workflow,
refusals name the rule) -> change -> audit.record in the same transaction.
``by=None`` means the system (jobs) and may do everything.

Public API (names are stable; the UI, API, admin and commands call these):

Items (一单, RAND-02/04, ENF-28) — items.py
    create_item(*, unit, by, **fields) -> InspectionItem
    update_item(item, *, by, **fields) -> InspectionItem            draft only
    revise_item(item, *, by, **fields) -> InspectionItem            new draft version of a published item
    publish_item(item, *, by, now=None) -> InspectionItem           retires the version it supersedes
    retire_item(item, *, by, reason="", now=None) -> InspectionItem
Object pool (RAND-03) — pools.py; the import: pool_import.py (and importer.py)
    create_entity(*, by, **fields) -> Entity
    update_entity(entity, *, by, **fields) -> Entity
    start_import(upload, *, by, unit) -> EntityImport               stores the file, pending row, defers the job
    run_import(import_id) -> EntityImport                           the work (job, command, tests)
    run_pending_imports(now) -> int                                 the job
Inspector pool (RAND-03, RAND-05) — pools.py
    add_inspector(officer, *, by, fields="", note="") -> Inspector
    update_inspector(inspector, *, by, fields=UNSET, active=UNSET, note=UNSET) -> Inspector
    add_absence(inspector, *, by, start, end, reason) -> InspectorAbsence
    remove_absence(absence, *, by) -> None
    add_recusal(inspector, *, by, reason, entity=None, org_unit=None) -> Recusal
    remove_recusal(recusal, *, by) -> None
Plans and tasks (RAND-09, RAND-01) — plans.py
    create_plan(*, unit, by, year, title, kind="annual", participating_units=(), random_target=None,
                description="") -> Plan
    update_plan(plan, *, by, **fields) -> Plan                      draft only
    approve_plan(plan, *, by, now=None) -> Plan                     a head (SYS-02), not the drafter (SYS-01)
    create_task(plan, *, by, title, items, planned_start, planned_end, sample_size=None, sample_ratio=None,
                industries=(), regions=(), risk_levels=(), stratify_by=(), quotas=None, team_size=2,
                exclude_recent_months=0) -> Task
    update_task(task, *, by, **fields) -> Task                      before the draw only
    preview_task(plan, *, by, on, task=None, **fields) -> PoolPreview   the pool saving would give; stores nothing
    close_task(task, *, by) -> Task                                 all results recorded
Draws (RAND-05; docs/draw-algorithm.md) — witnesses.py, draws.py; the live pools: draw_pools.py
    add_witness(task, *, by, name, capacity, kind, source="") -> DrawWitness      before the freeze
    remove_witness(witness, *, by) -> None                                       before the freeze
    commit_witness(witness, *, by, secret="", commitment="", now=None) -> DrawWitness   before the freeze
    commit_draw(task, *, by, now=None) -> Draw                      freeze pools + params + commitment
    reveal_witness(witness, *, by, value, now=None) -> DrawWitness  after the freeze; must match
    reveal_draw(draw, *, by, now=None) -> Draw                      server seed + witnesses -> objects + teams
                                                                    (fazhi-draw/1 draws: witness_input=…)
    publish_draw(draw, *, by, now=None) -> Draw                     receipt on the portal
Results (一公开, RAND-07) — results.py
    record_result(inspection, *, by, result, inspected_on, today, findings="", officers=None,
                  late_reason="") -> Inspection                     dates/team: duties.py (SYS-03, RAND-05)
    attach_record(inspection, *, by, upload, title="") -> InspectionAttachment
    publish_result(inspection, *, by, now=None, content=None) -> Inspection   not by the recorder (SYS-01)
    publish_results(inspections, *, by, now=None) -> list[Inspection]        several, all or none
    hand_over(inspection, *, by, receiving_unit, handed_over_on, today, note="", register_case=False,
              late_reason="") -> Inspection
    record_non_random(*, unit, by, entity, reason, inspected_on, result, today, findings="", reason_note="",
                      officers=None, late_reason="") -> Inspection  投诉举报、转办交办、专项检查… (RAND-01 share)

Patch a name where it is looked up, in its module: the limit of the reveal's
live check is ``services.draw_pools.LIVE_CHECK_LIMIT``, so it is not
re-exported here (patching a copy would do nothing).
"""

from fazhi.inspections.services.common import UNSET, check_credit_code, may
from fazhi.inspections.services.draw_pools import (
    DIMENSION_LABELS,
    RISK_LABELS,
    compute_quotas,
    eligible_inspectors,
    iter_pool_objects,
    pool_inspectors,
    pool_queryset,
    pool_recusals,
    recent_cutoff,
    sample_params,
    stratum_key,
)
from fazhi.inspections.services.draws import (
    DRAW_PURPOSE,
    commit_draw,
    export_draw,
    publish_draw,
    quota_mode,
    reveal_draw,
)
from fazhi.inspections.services.items import (
    ITEM_FIELDS,
    create_item,
    publish_item,
    retire_item,
    revise_item,
    update_item,
)
from fazhi.inspections.services.plans import (
    approve_plan,
    close_task,
    create_plan,
    create_task,
    plan_unit_ids,
    preview_task,
    update_plan,
    update_task,
)
from fazhi.inspections.services.pool_import import run_import, run_pending_imports, start_import
from fazhi.inspections.services.pools import (
    ENTITY_FIELDS,
    add_absence,
    add_inspector,
    add_recusal,
    create_entity,
    remove_absence,
    remove_recusal,
    update_entity,
    update_inspector,
)
from fazhi.inspections.services.results import (
    ATTACHMENT_TYPES,
    attach_record,
    hand_over,
    publish_result,
    publish_results,
    record_non_random,
    record_result,
)
from fazhi.inspections.services.witnesses import add_witness, commit_witness, remove_witness, reveal_witness

__all__ = [
    # items
    "ITEM_FIELDS", "create_item", "update_item", "revise_item", "publish_item", "retire_item",
    # object and inspector pools
    "ENTITY_FIELDS", "check_credit_code", "create_entity", "update_entity",
    "start_import", "run_import", "run_pending_imports",
    "add_inspector", "update_inspector", "add_absence", "remove_absence", "add_recusal", "remove_recusal",
    # plans and tasks
    "create_plan", "update_plan", "approve_plan", "plan_unit_ids", "create_task", "update_task", "preview_task",
    "close_task",
    # the live pools of a draw
    "DIMENSION_LABELS", "RISK_LABELS", "recent_cutoff", "pool_queryset", "stratum_key", "iter_pool_objects",
    "eligible_inspectors", "pool_inspectors", "pool_recusals", "sample_params", "compute_quotas",
    # draws
    "add_witness", "remove_witness", "commit_witness", "reveal_witness",
    "DRAW_PURPOSE", "commit_draw", "reveal_draw", "quota_mode", "publish_draw", "export_draw",
    # results
    "ATTACHMENT_TYPES", "record_result", "attach_record", "publish_result", "publish_results", "hand_over",
    "record_non_random",
    # shared
    "UNSET", "may",
]
