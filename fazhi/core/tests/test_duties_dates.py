"""SYS-01 (separation of duties) and SYS-03 (dates a person enters)."""

from datetime import date

import pytest

from fazhi.core.dates import entered_date
from fazhi.core.duties import ensure_not_own, is_own
from fazhi.core.errors import PermissionDenied, ValidationError

TODAY = date(2026, 10, 9)


class _User:
    def __init__(self, pk):
        self.pk = pk


class _Person:
    def __init__(self, user_id):
        self.user_id = user_id


def test_the_author_may_not_approve_their_own_work():
    with pytest.raises(PermissionDenied, match="职责分离") as exc:
        ensure_not_own(_User(7), _Person(7), what="审批本人提交的进展")
    assert exc.value.rule == "SYS-01"


def test_someone_else_may_approve():
    ensure_not_own(_User(7), _Person(8), None, what="审批")
    assert not is_own(None, _User(1))  # the system itself is nobody's author


def test_a_future_date_is_refused():
    with pytest.raises(ValidationError, match="不能晚于今天") as exc:
        entered_date("2026-10-10", today=TODAY, label="会议日期", field="held_on")
    assert exc.value.rule == "SYS-03" and "held_on" in exc.value.fields


def test_a_date_before_the_step_it_follows_is_refused():
    with pytest.raises(ValidationError, match="不能早于合法性审查完成日期"):
        entered_date(date(2026, 9, 1), today=TODAY, label="会议日期", field="held_on",
                     after=[(date(2026, 9, 2), "合法性审查完成日期"), (None, "未发生的步骤")])


def test_a_recent_date_needs_no_reason():
    held = entered_date("2026-10-01", today=TODAY, label="会议日期", field="held_on")
    assert held.value == date(2026, 10, 1) and not held.late and held.audit_data() == {}


def test_an_old_date_needs_a_reason_and_is_flagged(settings):
    settings.FAZHI_BACKDATE_DAYS = 15
    with pytest.raises(ValidationError, match="须说明理由"):
        entered_date(date(2026, 9, 1), today=TODAY, label="送达日期", field="served_on")
    held = entered_date(date(2026, 9, 1), today=TODAY, label="送达日期", field="served_on", reason="系统故障后补录")
    assert held.late and held.audit_data() == {"backdated_days": 38, "backdate_reason": "系统故障后补录"}


def test_a_malformed_date_is_refused_in_chinese():
    with pytest.raises(ValidationError, match="格式 YYYY-MM-DD"):
        entered_date("2026/13/01", today=TODAY, label="会议日期", field="held_on")
