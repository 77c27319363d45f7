import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from fazhi.core.errors import PermissionDenied, TransitionRefused, ValidationError
from fazhi.training import importer, selectors, services
from fazhi.training.importer import Row
from fazhi.training.models import Attendance, Kind, Status
from fazhi.training.tests.factories import AttendanceFactory, ExamFactory, SessionFactory

TODAY = date(2026, 11, 26)


def _session(tr, **kw):
    kw.setdefault("topic", "行政处罚法培训")
    kw.setdefault("date", date(2026, 3, 10))
    kw.setdefault("hours", Decimal("8"))
    kw.setdefault("kind", Kind.LAW)
    return services.create_session(tr.a, by=tr.clerk_a.user, **kw)


def _held(tr, **kw):
    return services.complete_session(_session(tr, **kw), by=tr.clerk_a.user, today=TODAY)


# ------------------------------------------------------------------ sessions

def test_create_session_is_audited(tr, actions):
    s = _session(tr)
    assert s.status == Status.PLANNED and s.unit == tr.a
    assert actions() == ["training.session.created"]


def test_it_refuses_a_pre_implementation_session_dated_after_the_law_takes_effect(tr, actions):
    with pytest.raises(ValidationError) as e:
        _session(tr, kind=Kind.NEW_LAW, pre_implementation=True, law_name="行政执法监督条例",
                 law_effective_on=date(2026, 2, 1), date=date(2026, 2, 3))
    assert e.value.rule == "LAW-02" and "施行日期" in e.value.message
    with pytest.raises(ValidationError):  # the same day is not "before"
        _session(tr, kind=Kind.NEW_LAW, pre_implementation=True, law_name="行政执法监督条例",
                 law_effective_on=date(2026, 2, 1), date=date(2026, 2, 1))
    assert actions() == []


def test_a_pre_implementation_session_needs_the_law_and_its_date(tr):
    with pytest.raises(ValidationError) as e:
        _session(tr, kind=Kind.NEW_LAW, pre_implementation=True, law_name="")
    assert e.value.rule == "LAW-02"


def test_a_pre_implementation_session_before_the_effective_date_is_accepted(tr):
    s = _session(tr, kind=Kind.NEW_LAW, pre_implementation=True, law_name="行政执法监督条例",
                 law_effective_on=date(2026, 2, 1), date=date(2026, 1, 16))
    assert s.pre_implementation


def test_the_database_refuses_a_pre_implementation_session_after_the_law(tr):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(unit=tr.a, pre_implementation=True, law_name="某法", law_effective_on=date(2026, 2, 1),
                       date=date(2026, 3, 1))


@pytest.mark.parametrize("hours", [Decimal("0"), Decimal("-1")])
def test_session_hours_must_be_positive(tr, hours):
    with pytest.raises(ValidationError) as e:
        _session(tr, hours=hours)
    assert "hours" in e.value.fields


def test_the_database_refuses_zero_session_hours(tr):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionFactory(unit=tr.a, hours=Decimal("0"))


def test_another_units_clerk_cannot_create_a_session(tr):
    with pytest.raises(PermissionDenied):
        services.create_session(tr.a, by=tr.clerk_b.user, topic="x", date=date(2026, 1, 5), hours=2,
                                kind=Kind.LAW)


def test_an_officer_cannot_create_a_session(tr):
    with pytest.raises(PermissionDenied):
        services.create_session(tr.ad, by=tr.officer1.user, topic="x", date=date(2026, 1, 5), hours=2,
                                kind=Kind.LAW)


def test_complete_refuses_a_future_session(tr):
    s = _session(tr, date=date(2026, 12, 10))
    with pytest.raises(TransitionRefused) as e:
        services.complete_session(s, by=tr.clerk_a.user, today=TODAY)
    assert e.value.rule == "LAW-05"


def test_update_cannot_lower_hours_below_credited(tr):
    s = _held(tr)
    services.record_attendance(s, by=tr.clerk_a.user, rows=[Row(1, "何一")])
    with pytest.raises(ValidationError) as e:
        services.update_session(s, by=tr.clerk_a.user, hours=Decimal("4"))
    assert e.value.rule == "LAW-05"
    services.update_session(s, by=tr.clerk_a.user, hours=Decimal("10"))
    assert Attendance.objects.get().session_hours == Decimal("10")


# ---------------------------------------------------------------- attendance

def test_record_attendance_credits_session_hours_by_default(tr, actions):
    s = _held(tr)
    report = services.record_attendance(s, by=tr.clerk_a.user, rows=[
        Row(1, "何一"), Row(2, "何二", hours=Decimal("4.5")), Row(3, "孙三", attended=False)])
    assert (report.created, report.updated) == (3, 0)
    got = {a.person.name: (a.attended, a.hours) for a in Attendance.objects.select_related("person")}
    assert got == {"何一": (True, Decimal("8")), "何二": (True, Decimal("4.5")), "孙三": (False, Decimal("0"))}
    assert actions()[-1] == "training.attendance.recorded"


def test_attendance_is_all_or_nothing_with_a_row_report(tr, actions):
    s = _held(tr)
    with pytest.raises(ValidationError) as e:
        services.record_attendance(s, by=tr.clerk_a.user, rows=[
            Row(1, "何一"), Row(2, "查无此人"), Row(3, "何二", hours=Decimal("9")), Row(4, "何一")])
    assert set(e.value.fields) == {"第2行", "第3行", "第4行"}
    assert "找不到" in e.value.fields["第2行"] and "超过" in e.value.fields["第3行"]
    assert "重复" in e.value.fields["第4行"]
    assert Attendance.objects.count() == 0
    assert "training.attendance.recorded" not in actions()


def test_an_ambiguous_name_needs_the_unit(tr):
    from fazhi.org.tests.factories import PersonFactory

    PersonFactory(unit=tr.b, name="何一")
    s = _held(tr)
    with pytest.raises(ValidationError) as e:
        services.record_attendance(s, by=tr.clerk_a.user, rows=[Row(1, "何一")])
    assert "重名" in e.value.fields["第1行"]
    services.record_attendance(s, by=tr.clerk_a.user, rows=[Row(1, "何一", unit="执法大队")])
    assert Attendance.objects.get().person == tr.officer1


def test_recording_again_corrects_rather_than_duplicates(tr):
    s = _held(tr)
    services.record_attendance(s, by=tr.clerk_a.user, rows=[Row(1, "何一")])
    report = services.record_attendance(s, by=tr.clerk_a.user, rows=[Row(1, "何一", hours=Decimal("2"))])
    assert (report.created, report.updated) == (0, 1)
    assert Attendance.objects.get().hours == Decimal("2")


def test_attendance_is_refused_on_a_planned_session(tr):
    with pytest.raises(TransitionRefused) as e:
        services.record_attendance(_session(tr), by=tr.clerk_a.user, rows=[Row(1, "何一")])
    assert e.value.rule == "LAW-05"


def test_another_units_clerk_cannot_record_attendance(tr):
    with pytest.raises(PermissionDenied):
        services.record_attendance(_held(tr), by=tr.clerk_b.user, rows=[Row(1, "孙三")])


def test_the_database_refuses_credited_hours_above_the_session(tr):
    s = SessionFactory(unit=tr.a, held=True, hours=Decimal("4"))
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(session=s, person=tr.officer1, hours=Decimal("4.5"))


def test_the_database_refuses_hours_for_an_absence(tr):
    s = SessionFactory(unit=tr.a, held=True, hours=Decimal("4"))
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(session=s, person=tr.officer1, attended=False, hours=Decimal("1"))


def test_the_database_refuses_a_second_attendance_of_the_same_person(tr):
    a = AttendanceFactory(person=tr.officer1)
    with pytest.raises(IntegrityError), transaction.atomic():
        AttendanceFactory(session=a.session, person=tr.officer1)


# ------------------------------------------------------------------- import

def _xlsx(rows) -> SimpleUploadedFile:
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("考勤.xlsx", buf.getvalue())


def test_import_xlsx_attendance(tr):
    s = _held(tr)
    rows = importer.read_sheet(_xlsx([["姓名", "单位", "出勤", "学时"], ["何一", "执法大队", "是", 6],
                                      ["何二", "", "否", None], [None, None, None, None]]))
    services.record_attendance(s, by=tr.clerk_a.user, rows=rows)
    got = {a.person.name: (a.attended, a.hours) for a in Attendance.objects.select_related("person")}
    assert got == {"何一": (True, Decimal("6")), "何二": (False, Decimal("0"))}


def test_import_csv_is_all_or_nothing_with_row_errors(tr):
    s = _held(tr)
    data = "姓名,学时\n何一,8\n无名氏,8\n何二,20\n".encode()
    rows = importer.read_sheet(SimpleUploadedFile("a.csv", data))
    with pytest.raises(ValidationError) as e:
        services.record_attendance(s, by=tr.clerk_a.user, rows=rows)
    assert set(e.value.fields) == {"第3行", "第4行"}
    assert Attendance.objects.count() == 0


def test_import_reports_unparseable_cells_by_row(tr):
    with pytest.raises(ValidationError) as e:
        importer.read_sheet(SimpleUploadedFile("a.csv", "姓名,学时,出勤\n何一,八,是\n何二,2,也许\n".encode()))
    assert set(e.value.fields) == {"第2行", "第3行"}


def test_import_refuses_a_wrong_file_type_and_a_missing_header(tr):
    with pytest.raises(ValidationError, match="xlsx"):
        importer.read_sheet(SimpleUploadedFile("a.doc", b"x"))
    with pytest.raises(ValidationError, match="姓名"):
        importer.read_sheet(SimpleUploadedFile("a.csv", "名字\n何一\n".encode()))
    with pytest.raises(ValidationError, match="Excel"):
        importer.read_sheet(SimpleUploadedFile("a.xlsx", b"not a zip"))


def test_import_reads_gbk_csv(tr):
    rows = importer.read_sheet(SimpleUploadedFile("a.csv", "姓名\n何一\n".encode("gb18030")))
    assert [r.name for r in rows] == ["何一"]


# ------------------------------------------------------------------- exams

def test_scores_mark_pass_and_fail_and_are_audited(tr, actions):
    exam = services.create_exam(tr.a, by=tr.clerk_a.user, title="年度学法考试", date=date(2026, 6, 1),
                                pass_mark=60)
    services.record_scores(exam, by=tr.clerk_a.user, today=TODAY,
                           rows=[Row(1, "何一", score=Decimal("92")), Row(2, "何二", score=Decimal("59.5"))])
    got = {s.person.name: s.passed for s in exam.scores.select_related("person")}
    assert got == {"何一": True, "何二": False}
    assert actions() == ["training.exam.created", "training.exam.scores_recorded"]


def test_scores_are_all_or_nothing(tr):
    exam = ExamFactory(unit=tr.a)
    with pytest.raises(ValidationError) as e:
        services.record_scores(exam, by=tr.clerk_a.user, today=TODAY,
                               rows=[Row(1, "何一", score=Decimal("80")), Row(2, "何二", score=Decimal("101"))])
    assert set(e.value.fields) == {"第2行"}
    assert exam.scores.count() == 0


def test_exam_pass_mark_cannot_exceed_full_mark(tr):
    with pytest.raises(ValidationError) as e:
        services.create_exam(tr.a, by=tr.clerk_a.user, title="x", date=date(2026, 6, 1), pass_mark=120)
    assert "pass_mark" in e.value.fields


# ------------------------------------------------------------ hours arithmetic

def test_hours_sum_credited_hours_of_held_sessions_in_the_calendar_year(tr):
    from fazhi.training.tests.factories import attend

    attend(tr.officer1, "8", on=date(2026, 1, 1))
    attend(tr.officer1, "4.5", on=date(2026, 12, 31))
    attend(tr.officer1, "10", on=date(2025, 12, 31))  # last year
    AttendanceFactory(person=tr.officer1, session=SessionFactory(unit=tr.a, held=True, date=date(2026, 5, 5)),
                      attended=False, hours=Decimal("0"))
    planned = SessionFactory(unit=tr.a, date=date(2026, 5, 6))  # not held: does not count
    AttendanceFactory(person=tr.officer1, session=planned)
    assert selectors.person_hours(tr.officer1, 2026) == Decimal("12.5")
    assert selectors.person_hours(tr.officer1, 2025) == Decimal("10")
