"""The (short) legal order of a training session, as data.

计划 → 已举办 (complete). Attendance and exam scores are recorded only for a
session that was held (LAW-05: the record is of hours actually studied), and
a session cannot be confirmed as held before its date. Guards read facts the
service puts into ``ctx`` (``today``).
"""

from fazhi.core.workflow import Guard, Transition, Workflow
from fazhi.training.models import Status
from fazhi.training.rules import RULE_RECORD

STATE_LABELS = {s.value: s.label for s in Status}

NOT_IN_FUTURE = Guard(RULE_RECORD, "培训日期尚未到，不能确认已举办",
                      lambda s, c: c.get("today") is not None and s.date <= c["today"])

SESSION_WORKFLOW = Workflow("training_session", [
    Transition("complete", "确认已举办", (Status.PLANNED,), Status.HELD, (NOT_IN_FUTURE,), rule=RULE_RECORD),
    # Not a state change: the states in which attendance may be recorded.
    Transition("record_attendance", "登记考勤", (Status.HELD,), Status.HELD, rule=RULE_RECORD),
], state_labels=STATE_LABELS)
