"""What a person sees and does after a calendar change moved or flagged the
deadlines they are responsible for: the home dashboard, the 期限重新计算
page, 知悉, the decision on a flagged deadline, a one-day correction, and
the command's report (issue 12 §2)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import Conflict, PermissionDenied, ValidationError
from fazhi.org.tests.factories import person_with_role
from fazhi.shell import dashboard
from fazhi.workdays import deadlines
from fazhi.workdays.models import DeadlineChange
from fazhi.workdays.services import correct_day, import_notice, load_builtin
from fazhi.workdays.tests.conftest import NOTICE_OFF, NOTICE_WORK, OFF_2026, WORK_2026, nth_workday

CHANGES = reverse("workdays:changes")


def _person(role, unit, **kw):
    p = person_with_role(role, unit, **kw)
    p.user.save()  # see conftest._person
    return p


@pytest.fixture
def officer(records):
    """The enforcement unit's clerk: responsible for the case's deadlines."""
    return _person("clerk", records["case"].unit)


@pytest.fixture
def moved(records, notice_2027):
    return import_notice(notice_2027, by=None, confirm=True, today=date(2027, 1, 30))


@pytest.fixture
def flagged(records, notice_2027):
    """Imported on 2027-02-10: the statement period (estimate 5 Feb) had run out."""
    import_notice(notice_2027, by=None, confirm=True, today=date(2027, 2, 10))
    return DeadlineChange.objects.get(kind="enforcement.statement")


# -- the home dashboard ------------------------------------------------------------


def test_the_home_dashboard_tells_the_responsible_clerk_what_moved(moved, officer):
    board = dashboard.collect(officer.user, date(2027, 1, 30))

    (item,) = [i for i in board.todo if i.module == "工作日历"]
    assert item.title == "因2027年放假安排调整，以下期限已重新计算（2项）"
    assert "立案期限：2027-02-18 → 2027-02-25" in item.note
    assert "陈述申辩/听证申请期限（ENF-07）：2027-02-05 → 2027-02-15" in item.note
    assert item.url == f"{CHANGES}?change={moved.recomputed.change.pk}"


def test_another_units_clerk_is_not_told(moved, records):
    from fazhi.org.tests.factories import UnitFactory

    stranger = _person("clerk", UnitFactory())
    assert [i for i in dashboard.collect(stranger.user, date(2027, 1, 30)).todo if i.module == "工作日历"] == []


def test_a_reviewer_over_the_government_sees_the_documents_deadlines(moved, records):
    reviewer = _person("reviewer", records["doc"].unit)
    items = [i for i in dashboard.collect(reviewer.user, date(2027, 1, 30)).todo if i.module == "工作日历"]
    assert len(items) == 1
    assert "合法性审核期限（NDOC-08）：2027-02-19 → 2027-02-26" in items[0].note


def test_a_flagged_deadline_is_a_dashboard_item_of_its_own(flagged, officer):
    board = dashboard.collect(officer.user, date(2027, 2, 10))

    titles = [i.title for i in board.todo]
    assert f"期限需人工确认：{flagged.object_repr} 陈述申辩/听证申请期限（ENF-07）" in titles
    (item,) = [i for i in board.todo if i.title.startswith("期限需人工确认")]
    assert "按新日历应为2027-02-15" in item.note and "原期限2027-02-05已届满" in item.note
    assert item.url == f"{CHANGES}#change-{flagged.pk}"


def test_the_dashboard_provider_reads_a_fixed_number_of_queries(moved, officer, django_assert_max_num_queries):
    from fazhi.workdays.selectors import deadline_change_items

    with django_assert_max_num_queries(5):
        deadline_change_items(officer.user, date(2027, 1, 30))


# -- 知悉 ---------------------------------------------------------------------------


def test_acknowledging_takes_the_item_off_the_dashboard_and_is_audited(moved, officer, client):
    client.force_login(officer.user)
    rows = DeadlineChange.objects.filter(kind__startswith="enforcement.")
    for row in rows:
        response = client.post(reverse("workdays:change_acknowledge", args=[row.pk]))
        assert response.status_code == 302

    assert set(rows.values_list("state", flat=True)) == {"acknowledged"}
    assert AuditEntry.objects.filter(action="workdays.deadline.acknowledged", object_type="workdays.deadlinechange",
                                     actor=officer.user).count() == 2
    assert [i for i in dashboard.collect(officer.user, date(2027, 1, 30)).todo if i.module == "工作日历"] == []


def test_an_assessor_sees_the_change_but_may_not_acknowledge_it(moved, records):
    assessor = _person("assessor", records["case"].unit)
    row = DeadlineChange.objects.get(kind="enforcement.filing")
    with pytest.raises(PermissionDenied):
        deadlines.acknowledge(row, by=assessor.user)
    row.refresh_from_db()
    assert row.state == "moved"


# -- a flagged deadline: a person decides ------------------------------------------


def test_keeping_the_date_that_applied_confirms_it(flagged, officer, client):
    from fazhi.enforcement.models import PenaltyCase

    client.force_login(officer.user)
    response = client.post(reverse("workdays:change_resolve", args=[flagged.pk]),
                           {"decision": "keep", "note": "当事人已于2月5日前提交陈述申辩，按原期限"})
    assert response.status_code == 302

    flagged.refresh_from_db()
    assert flagged.state == "kept"
    assert flagged.resolved_by_name == officer.name
    case = PenaltyCase.objects.get(pk=flagged.object_id)
    assert case.statement_due == date(2027, 2, 5)
    assert case.statement_provisional is False
    entry = AuditEntry.objects.get(action="workdays.deadline.kept", object_id=str(case.pk))
    assert entry.data["note"] == "当事人已于2月5日前提交陈述申辩，按原期限"
    assert entry.object_type == "enforcement.penaltycase"


def test_applying_the_new_calendar_moves_the_passed_deadline(flagged, officer):
    from fazhi.enforcement.models import PenaltyCase

    deadlines.resolve(flagged, by=officer.user, decision="apply", note="按新日历给予当事人完整的陈述申辩期间")

    case = PenaltyCase.objects.get(pk=flagged.object_id)
    assert case.statement_due == nth_workday(date(2027, 1, 29), 5, NOTICE_OFF, NOTICE_WORK) == date(2027, 2, 15)
    assert case.statement_provisional is False
    entry = AuditEntry.objects.get(action="workdays.deadline.applied", object_id=str(case.pk))
    assert (entry.data["old_due"], entry.data["new_due"]) == ("2027-02-05", "2027-02-15")


def test_a_decision_needs_a_reason_and_changes_nothing_without_one(flagged, officer, client):
    client.force_login(officer.user)
    response = client.post(reverse("workdays:change_resolve", args=[flagged.pk]), {"decision": "apply", "note": ""},
                           follow=True)
    assert "请填写处理理由" in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.state == "flagged"


def test_a_decided_flag_cannot_be_decided_again(flagged, officer):
    deadlines.resolve(flagged, by=officer.user, decision="keep", note="按原期限")
    with pytest.raises(Conflict):
        deadlines.resolve(flagged, by=officer.user, decision="apply", note="再改")


def test_another_units_clerk_gets_404_for_the_flag(flagged, client):
    from fazhi.org.tests.factories import UnitFactory

    client.force_login(_person("clerk", UnitFactory()).user)
    response = client.post(reverse("workdays:change_resolve", args=[flagged.pk]), {"decision": "keep", "note": "x"})
    assert response.status_code == 404
    flagged.refresh_from_db()
    assert flagged.state == "flagged"


# -- the page -------------------------------------------------------------------------


def test_the_changes_page_lists_the_clerks_rows_with_their_actions(flagged, officer, client):
    client.force_login(officer.user)
    html = client.get(CHANGES).content.decode()
    assert "2027年放假安排调整" in html
    assert "待人工确认" in html and "保留原期限" in html and "按新日历调整" in html
    assert reverse("workdays:change_resolve", args=[flagged.pk]) in html
    # Only the case's deadlines: the normative document belongs to another unit.
    assert "合法性审核期限" not in html


def test_the_changes_page_needs_sign_in_and_the_actions_need_post(client, flagged):
    assert client.get(CHANGES).status_code == 302
    client.force_login(_person("clerk", flagged.unit).user)
    assert client.get(reverse("workdays:change_acknowledge", args=[flagged.pk])).status_code == 405


# -- a one-day correction ------------------------------------------------------------


def test_correcting_one_day_recomputes_the_deadlines_it_touches(moved, records, admin_person):
    """A local extra day off on Monday 22 February 2027 (CAL-07): the legality
    review due Friday 26 February moves to Monday 1 March."""
    result = correct_day(date(2027, 2, 22), kind="off", festival="地方民族节日", reason="县政府通知（测试）",
                         by=admin_person.user, today=date(2027, 2, 1))

    review = records["review"]
    review.refresh_from_db()
    assert review.due == nth_workday(date(2027, 1, 29), 15, NOTICE_OFF | {date(2027, 2, 22)}, NOTICE_WORK)
    assert review.due == date(2027, 3, 1)
    assert result.recomputed.change.cause == "2027年节假日更正（2027-02-22改为放假）"
    assert AuditEntry.objects.filter(action="workdays.day.corrected").count() == 1


def test_a_weekday_cannot_be_made_a_make_up_working_day(admin_person):
    with pytest.raises(ValidationError) as exc:
        correct_day(date(2026, 3, 4), kind="work", festival="春节", reason="x", by=admin_person.user,
                    today=date(2026, 3, 1))
    assert exc.value.rule == "CAL-04"


def test_only_administrators_correct_days(client, clerk):
    client.force_login(clerk.user)
    assert client.get(reverse("workdays:correct")).status_code == 403
    with pytest.raises(PermissionDenied):
        correct_day(date(2026, 3, 4), kind="off", festival="x", reason="x", by=clerk.user, today=date(2026, 3, 1))


def test_the_correction_page_saves_and_reports(moved, client, admin_person):
    client.force_login(admin_person.user)
    response = client.post(reverse("workdays:correct"), {"day": "2027-02-22", "kind": "off", "festival": "地方民族节日",
                                                          "reason": "县政府通知（测试）"}, follow=True)
    html = response.content.decode()
    assert "已更正 2027-02-22" in html
    assert "重新计算期限" in html


# -- the built-in calendar and the command -------------------------------------------


def test_re_syncing_the_built_in_calendar_recomputes_too(db):
    """2026 loaded from the package after a deadline was computed on the estimate."""
    from fazhi.normative_docs.tests.factories import make_doc
    from fazhi.workdays.models import CalendarYear, Holiday

    Holiday.objects.filter(year=2026).delete()
    CalendarYear.objects.filter(year=2026).delete()
    doc = make_doc("legal_review", today=date(2025, 12, 18))  # accepted 2026-01-30, 15 WD over 春节 2026
    review = doc.legal_reviews.get()
    assert review.due_provisional and review.due == nth_workday(date(2026, 1, 30), 15, {date(2026, 1, 1)})

    result = load_builtin(years=[2026], by=None, today=date(2026, 1, 31))

    review.refresh_from_db()
    assert review.due == nth_workday(date(2026, 1, 30), 15, OFF_2026, WORK_2026)
    assert review.due == date(2026, 2, 27)  # 2–13 Feb, Saturday 14 Feb (make-up), 24–27 Feb
    assert review.due_provisional is False
    assert result.recomputed.moved == 1


def test_the_import_command_reports_what_it_recomputed(records, monkeypatch):
    from fazhi.workdays.tests.conftest import NOTICES

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2027, 2, 10))
    out, err = StringIO(), StringIO()
    call_command("workdays", "import-notice", str(NOTICES / "2027-hypothetical.txt"), "--confirm", stdout=out,
                 stderr=err)
    assert "重新计算期限：核对" in err.getvalue()
    assert "调整 5 项" in err.getvalue() and "已过期限待人工确认 2 项" in err.getvalue()
    lines = out.getvalue().splitlines()
    assert f"待人工确认\tenforcement.statement\t{records['case']}\t2027-02-05\t2027-02-15" in lines


def test_a_row_without_a_unit_is_decided_by_administrators_only(flagged, officer, admin_person):
    DeadlineChange.objects.filter(pk=flagged.pk).update(unit=None)
    flagged.refresh_from_db()
    assert not deadlines.can_decide(officer.user, flagged)
    assert deadlines.can_decide(admin_person.user, flagged)
