"""import_notice and load_builtin: atomic, audited, announced on commit."""

import pytest

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.workdays import services
from fazhi.workdays.calendar import add_workdays
from fazhi.workdays.models import CalendarYear, Holiday
from fazhi.workdays.services import ACTION_IMPORTED, import_notice, load_builtin
from fazhi.workdays.signals import calendar_changed
from fazhi.workdays.tests.conftest import OFF_2025, OFF_2026, WORK_2025, WORK_2026, d

pytestmark = pytest.mark.django_db


def _rows(year):
    return set(Holiday.objects.filter(year=year).values_list("date", "kind", "festival"))


def test_every_fresh_database_has_the_builtin_calendar():
    years = set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True))
    assert set(range(2004, 2027)) <= years
    assert {h for h, k, _ in _rows(2025) if k == "off"} == OFF_2025
    assert {h for h, k, _ in _rows(2026) if k == "work"} == WORK_2026
    assert CalendarYear.objects.get(year=2025).source.startswith("chinesecalendar")


def test_import_with_confirm_replaces_the_year_and_confirms_it(admin_person, notice_2026):
    result = import_notice(notice_2026, by=admin_person.user, confirm=True)
    assert result.saved
    assert {h for h, k, _ in _rows(2026) if k == "off"} == OFF_2026
    assert {h for h, k, _ in _rows(2026) if k == "work"} == WORK_2026
    cy = CalendarYear.objects.get(year=2026)
    assert cy.confirmed and cy.confirmed_by == admin_person.user
    assert cy.source == "国务院办公厅关于2026年部分节假日安排的通知"
    assert set(Holiday.objects.filter(year=2026).values_list("source", flat=True)) == {cy.source}


def test_import_writes_an_audit_entry(admin_person, notice_2025):
    import_notice(notice_2025, by=admin_person.user, confirm=True)
    entry = AuditEntry.objects.get(action=ACTION_IMPORTED, object_id=str(CalendarYear.objects.get(year=2025).pk))
    assert entry.actor == admin_person.user
    assert entry.data["source"] == "国办发明电〔2024〕12号"
    assert len(entry.data["work"]) == len(WORK_2025)


def test_import_without_confirm_saves_nothing(admin_person, notice_2025):
    before = (_rows(2025), AuditEntry.objects.count())
    result = import_notice(notice_2025, by=admin_person.user)
    assert not result.saved and result.notice.off_days == OFF_2025
    assert (_rows(2025), AuditEntry.objects.count()) == before


def test_unparseable_text_changes_nothing(admin_person):
    before = (_rows(2025), AuditEntry.objects.count())
    with pytest.raises(ValidationError):
        import_notice("关于2025年部分节假日安排的通知\n乱码乱码", by=admin_person.user, confirm=True)
    assert (_rows(2025), AuditEntry.objects.count()) == before


def test_import_is_atomic_when_a_later_step_fails(admin_person, monkeypatch):
    text = "关于2025年部分节假日安排的通知\n一、元旦：1月1日至3日放假，共3天。"
    before = (_rows(2025), CalendarYear.objects.get(year=2025).source)

    def broken(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        import_notice(text, by=admin_person.user, confirm=True)
    assert (_rows(2025), CalendarYear.objects.get(year=2025).source) == before


def test_a_weekday_listed_as_make_up_day_is_refused(admin_person):
    text = "关于2025年部分节假日安排的通知\n一、元旦：1月1日放假1天。1月2日（周四）上班。"
    with pytest.raises(ValidationError) as exc:
        import_notice(text, by=admin_person.user, confirm=True)
    assert exc.value.rule == "CAL-04"


def test_a_clerk_may_not_import(clerk, notice_2025):
    with pytest.raises(PermissionDenied):
        import_notice(notice_2025, by=clerk.user, confirm=True)


def test_importing_next_year_makes_its_deadlines_final(admin_person, no_2027):
    text = "关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假，共3天。"
    assert add_workdays(d("2026-12-30"), 2).provisional
    import_notice(text, by=admin_person.user, confirm=True)
    deadline = add_workdays(d("2026-12-30"), 2)
    assert not deadline.provisional and deadline.due == d("2027-01-04")


def test_calendar_changed_is_sent_on_commit(admin_person, notice_2025, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, years, **kwargs):
        received.append(years)

    calendar_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            import_notice(notice_2025, by=admin_person.user, confirm=True)
        assert received == []
        for callback in callbacks:
            callback()
        assert received == [(2025,)]
    finally:
        calendar_changed.disconnect(receiver)


def test_load_builtin_restores_a_missing_year_and_audits_it():
    Holiday.objects.filter(year=2025).delete()
    CalendarYear.objects.filter(year=2025).delete()
    result = load_builtin([2025])
    assert result.updated == [2025]
    assert {h for h, k, _ in _rows(2025) if k == "work"} == WORK_2025
    assert CalendarYear.objects.get(year=2025).confirmed
    assert AuditEntry.objects.filter(action=ACTION_IMPORTED, actor_name="系统").exists()


def test_load_builtin_is_idempotent():
    load_builtin()
    count = AuditEntry.objects.count()
    result = load_builtin()
    assert result.updated == []
    assert AuditEntry.objects.count() == count


def test_load_builtin_keeps_a_year_imported_from_a_notice(admin_person, notice_2026):
    import_notice(notice_2026, by=admin_person.user, confirm=True)
    result = load_builtin([2026])
    assert result.kept == [2026]
    assert CalendarYear.objects.get(year=2026).source.startswith("国务院办公厅")


def test_a_clerk_may_not_sync_the_builtin_calendar(clerk):
    with pytest.raises(PermissionDenied):
        load_builtin(by=clerk.user)
