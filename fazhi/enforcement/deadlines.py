"""The stored deadlines of 行政执法 that follow the working-day calendar,
registered with ``fazhi.workdays.deadlines`` (listed in ``fazhi/modules.py``).
Each is recomputed from its stored start and rule text ("ENF-09 7个工作日").

The 15-day payment period (ENF-14) counts calendar days but its last day
rolls over a day off (``payment_roll_over``), so a holiday notice or a
corrected day can move it: it is listed, recomputed from ``served_on`` and
its stored rule text ("ENF-14 15日（末日遇法定节假日顺延）"); a rule text
without 顺延 recomputes to the same day. The 90-day decision period (ENF-08,
extended by ``CaseExtension``) counts calendar days without roll-over and
does not depend on the holiday table, so it is not listed.
"""

from django.urls import reverse

from fazhi.enforcement import rules
from fazhi.workdays.deadlines import DeadlineKind


def _case_url(obj):
    return reverse("enforcement:case_detail", args=[getattr(obj, "case_id", None) or obj.pk])


def _case_kind(name: str, label: str, start: str, decide: str) -> DeadlineKind:
    return DeadlineKind(
        key=f"enforcement.{name}", label=label, model="enforcement.PenaltyCase", start=start,
        due=f"{name}_due", provisional=f"{name}_provisional", rule=f"{name}_rule",
        permission="enforcement.view", decide_permission=decide, url=_case_url, select_related=("unit",),
    )


def _withdrawal(pub, calendar):
    # The record keeps no rule text for the withdrawal period: the current setting (ENF-11).
    return calendar.add_workdays(pub.changed_on, rules.get("withdrawal_workdays"))


KINDS = (
    _case_kind("filing", "立案期限", "discovered_on", "enforcement.handle_case"),
    _case_kind("statement", "陈述申辩/听证申请期限（ENF-07）", "notice_served_on", "enforcement.handle_case"),
    _case_kind("service", "决定书送达期限（ENF-09）", "decided_on", "enforcement.handle_case"),
    _case_kind("payment", "罚款缴纳期限（ENF-14）", "served_on", "enforcement.handle_case"),
    DeadlineKind(
        key="enforcement.publication", label="执法决定公示期限（ENF-19）",
        model="enforcement.PublicationRecord", start="decision_date", due="due",
        provisional="due_provisional", rule="due_rule",
        permission="enforcement.view", decide_permission="enforcement.publish", url=_case_url,
        select_related=("unit", "case"),
    ),
    DeadlineKind(
        key="enforcement.withdrawal", label="变更/撤销后撤回公示期限（ENF-11）",
        model="enforcement.PublicationRecord", start="changed_on", due="withdrawal_due",
        provisional="withdrawal_provisional", compute=_withdrawal,
        permission="enforcement.view", decide_permission="enforcement.publish", url=_case_url,
        select_related=("unit", "case"),
    ),
)
