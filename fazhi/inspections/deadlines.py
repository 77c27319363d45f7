"""The stored deadline of 双随机、一公开 that follows the working-day calendar
(RAND-07: publish the result N working days after the check), registered
with ``fazhi.workdays.deadlines`` (listed in ``fazhi/modules.py``)."""

from django.urls import reverse

from fazhi.workdays.deadlines import DeadlineKind

KINDS = (
    DeadlineKind(
        key="inspections.publish", label="抽查结果公示期限（RAND-07）",
        model="inspections.Inspection", start="inspected_on", due="publish_due",
        provisional="publish_due_provisional", rule="publish_due_rule",
        permission="inspections.view", decide_permission="inspections.publish",
        url=lambda i: reverse("inspections:inspection_detail", args=[i.pk]), select_related=("unit", "entity"),
    ),
)
