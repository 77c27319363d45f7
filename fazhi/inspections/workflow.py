"""The legal order of 双随机、一公开, as data (no database here).

Items (``ITEM_WORKFLOW``, RAND-04, ENF-28)::

    草稿 --publish--> 已公布 --retire--> 已停用
    草稿 --update--> 草稿          (a published item is changed only by a new version)

Plans (``PLAN_WORKFLOW``, RAND-09)::

    草稿 --approve--> 已批准        (guard: at least one task, each naming published items)
    草稿 --update / add_task--> 草稿

Tasks (``TASK_WORKFLOW``)::

    待抽取 --commit--> 已冻结待揭示 --reveal--> 已抽取 --close--> 已完成
    (``commit`` needs an approved plan, RAND-09, and published items, ENF-28)

Draws (``DRAW_WORKFLOW``, RAND-05)::

    已冻结（待揭示） --reveal--> 已抽取 --publish--> 已公开
    (``reveal`` needs every witness's value: a secret matching its commitment,
    or the public input of a ``fazhi-draw/1`` draw)
    Nothing leaves 已公开: a published draw is never re-run or changed.

Inspections (``INSPECTION_WORKFLOW``, RAND-07)::

    待检查 --record_result--> 已录入结果 --record_result--> 已录入结果 (correction before publication)
    已录入结果 --publish--> 已公示
    已录入结果 | 已公示 --hand_over--> (same state; handover recorded once)
"""

from fazhi.core.workflow import Guard, Transition, Workflow, fact
from fazhi.inspections.models import DrawStatus, InspectionStatus, ItemStatus, PlanStatus, TaskStatus

ITEM_WORKFLOW = Workflow(
    "inspection_item",
    [
        Transition("update", "修改事项", (ItemStatus.DRAFT,), ItemStatus.DRAFT, rule="RAND-04"),
        Transition("publish", "公布事项", (ItemStatus.DRAFT,), ItemStatus.PUBLISHED, rule="RAND-04"),
        Transition("revise", "修订（生成新版本）", (ItemStatus.PUBLISHED,), ItemStatus.PUBLISHED, rule="RAND-04",
                   guards=(Guard("RAND-04", "该事项已有待公布的新版本，请修改新版本", fact("no_pending_revision")),)),
        Transition("retire", "停用事项", (ItemStatus.PUBLISHED,), ItemStatus.RETIRED, rule="RAND-04"),
    ],
    state_labels={s.value: s.label for s in ItemStatus},
)

PLAN_WORKFLOW = Workflow(
    "inspection_plan",
    [
        Transition("update", "修改计划", (PlanStatus.DRAFT,), PlanStatus.DRAFT, rule="RAND-09"),
        Transition("add_task", "添加任务", (PlanStatus.DRAFT, PlanStatus.APPROVED), PlanStatus.DRAFT,
                   rule="RAND-09"),
        Transition("approve", "批准计划", (PlanStatus.DRAFT,), PlanStatus.APPROVED, rule="RAND-09",
                   guards=(Guard("RAND-09", "计划至少应包含一项抽查任务", fact("has_tasks")),)),
    ],
    state_labels={s.value: s.label for s in PlanStatus},
)

TASK_WORKFLOW = Workflow(
    "inspection_task",
    [
        Transition("update", "修改任务", (TaskStatus.DRAFT,), TaskStatus.DRAFT, rule="RAND-05"),
        Transition("commit", "冻结名录并承诺种子", (TaskStatus.DRAFT,), TaskStatus.COMMITTED, rule="RAND-05",
                   guards=(
                       Guard("RAND-09", "抽查计划尚未批准，不能抽取", fact("plan_approved")),
                       Guard("ENF-28", "任务中有未公布（或已停用）的抽查事项，未公布的事项不得检查",
                             fact("items_published")),
                   )),
        Transition("reveal", "揭示种子并抽取", (TaskStatus.COMMITTED,), TaskStatus.DRAWN, rule="RAND-05"),
        Transition("close", "完成任务", (TaskStatus.DRAWN,), TaskStatus.CLOSED, rule="RAND-07",
                   guards=(Guard("RAND-07", "还有抽中对象未录入检查结果", fact("all_recorded")),)),
    ],
    state_labels={s.value: s.label for s in TaskStatus},
)

DRAW_WORKFLOW = Workflow(
    "inspection_draw",
    [
        Transition("reveal", "揭示种子并抽取", (DrawStatus.COMMITTED,), DrawStatus.DRAWN, rule="RAND-05",
                   guards=(Guard("RAND-05", "揭示种子前，每位监督人须揭示其秘密值或录入公开随机数",
                                 fact("witnesses_revealed")),)),
        Transition("publish", "公开抽取结果", (DrawStatus.DRAWN,), DrawStatus.PUBLISHED, rule="RAND-05"),
    ],
    state_labels={s.value: s.label for s in DrawStatus},
)

INSPECTION_WORKFLOW = Workflow(
    "inspection",
    [
        Transition("record_result", "录入检查结果", (InspectionStatus.PENDING, InspectionStatus.RECORDED),
                   InspectionStatus.RECORDED, rule="RAND-05",
                   guards=(Guard("RAND-05", "检查人员不少于2人", fact("team_ok")),)),
        Transition("publish", "公示检查结果", (InspectionStatus.RECORDED,), InspectionStatus.PUBLISHED,
                   rule="RAND-07"),
        Transition("hand_over", "移交执法处理", (InspectionStatus.RECORDED, InspectionStatus.PUBLISHED),
                   InspectionStatus.RECORDED, rule="RAND-07",
                   guards=(Guard("RAND-07", "该检查记录已移交", fact("not_handed_over")),)),
    ],
    state_labels={s.value: s.label for s in InspectionStatus},
)
