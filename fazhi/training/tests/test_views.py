import io
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fazhi.training.models import Attendance, Status, TrainingSession
from fazhi.training.tests.factories import AttendanceFactory, ExamFactory, SessionFactory


def client_for(person):
    c = Client()
    c.force_login(person.user)
    return c


def test_anonymous_is_sent_to_sign_in(db):
    resp = Client().get(reverse("training:session_list"))
    assert resp.status_code == 302 and "login" in resp["Location"]


def test_session_list_shows_own_units_sessions_only(tr):
    SessionFactory(unit=tr.a, topic="农业局的培训")
    SessionFactory(unit=tr.b, topic="市场局的培训")
    body = client_for(tr.clerk_a).get(reverse("training:session_list")).content.decode()
    assert "农业局的培训" in body and "市场局的培训" not in body
    body = client_for(tr.assessor).get(reverse("training:session_list")).content.decode()
    assert "农业局的培训" in body and "市场局的培训" in body


def test_session_list_escapes_user_text(tr):
    SessionFactory(unit=tr.a)
    body = client_for(tr.clerk_a).get(reverse("training:session_list")).content.decode()
    assert "<script>培训" not in body and "&lt;script&gt;" in body


def test_session_list_filters_and_exports(tr):
    SessionFactory(unit=tr.a, topic="今年", date=date(2026, 3, 1))
    SessionFactory(unit=tr.a, topic="去年", date=date(2025, 3, 1))
    c = client_for(tr.clerk_a)
    resp = c.get(reverse("training:session_list"), {"year": 2026})
    assert [s.topic for s, _ in resp.context["cells"]] == ["今年"]
    resp = c.get(reverse("training:session_list"), {"year": 2026, "export": "xlsx"})
    assert resp.status_code == 200 and "spreadsheetml" in resp["Content-Type"]


def test_session_list_query_count_is_bounded(tr, django_assert_max_num_queries):
    for i in range(20):
        s = SessionFactory(unit=tr.a, topic=f"培训{i}", held=True)
        AttendanceFactory(session=s, person=tr.officer1)
    c = client_for(tr.clerk_a)
    with django_assert_max_num_queries(14):
        resp = c.get(reverse("training:session_list"))
    assert resp.status_code == 200 and resp.context["total"] == 20


def test_session_list_colours_planned_sessions_by_their_date(tr, monkeypatch, django_assert_max_num_queries):
    """Issue 13 §2: a planned session not confirmed held is red 逾期N天 after its date, amber just before."""
    monkeypatch.setattr("fazhi.training.views._today", lambda: date(2026, 3, 2))
    SessionFactory(unit=tr.a, topic="未确认举办", date=date(2026, 2, 27))
    SessionFactory(unit=tr.a, topic="即将举办", date=date(2026, 3, 4))
    SessionFactory(unit=tr.a, topic="已举办", date=date(2026, 2, 20), held=True)
    c = client_for(tr.clerk_a)
    with django_assert_max_num_queries(14):
        html = c.get(reverse("training:session_list"), {"sort": "date"}).content.decode()
    assert 'class="due-cell due-overdue"' in html and "逾期3天" in html
    assert 'class="due-cell due-soon"' in html and "剩余2个工作日" in html
    assert "2026-02-20" in html and "逾期10天" not in html  # held: the date plainly
    assert html.index("2026-02-20") < html.index("逾期3天") < html.index("剩余2个工作日")


def test_create_session_through_the_form(tr):
    resp = client_for(tr.clerk_a).post(reverse("training:session_create"), {
        "unit": tr.a.pk, "topic": "行政处罚法培训", "date": "2026-03-10", "hours": "8", "kind": "law"})
    s = TrainingSession.objects.get()
    assert resp.status_code == 302 and s.topic == "行政处罚法培训"


def test_form_refuses_a_late_pre_implementation_session_naming_the_rule(tr):
    resp = client_for(tr.clerk_a).post(reverse("training:session_create"), {
        "unit": tr.a.pk, "topic": "新法培训", "date": "2026-02-05", "hours": "4", "kind": "new_law",
        "pre_implementation": "on", "law_name": "行政执法监督条例", "law_effective_on": "2026-02-01"})
    assert resp.status_code == 400 and "LAW-02" in resp.content.decode()
    assert not TrainingSession.objects.exists()


def test_an_officer_cannot_open_the_create_form(tr):
    assert client_for(tr.officer1).get(reverse("training:session_create")).status_code == 403


def test_another_units_session_is_404(tr):
    s = SessionFactory(unit=tr.a)
    assert client_for(tr.clerk_b).get(reverse("training:session_detail", args=[s.pk])).status_code == 404
    assert client_for(tr.clerk_a).get(reverse("training:session_detail", args=[999999])).status_code == 404


def test_a_visible_session_of_a_unit_the_user_cannot_manage_is_403_for_actions(tr):
    s = SessionFactory(unit=tr.a, held=True)
    c = client_for(tr.head_a)  # sees it, may not manage
    assert c.get(reverse("training:session_detail", args=[s.pk])).status_code == 200
    resp = c.post(reverse("training:attendance_record", args=[s.pk]), {"lines": "何一"})
    assert resp.status_code == 403 and not Attendance.objects.exists()


def test_wrong_method_is_405(tr):
    s = SessionFactory(unit=tr.a, held=True)
    assert client_for(tr.clerk_a).get(reverse("training:attendance_record", args=[s.pk])).status_code == 405


def test_complete_and_record_attendance(tr):
    s = SessionFactory(unit=tr.a, date=date(2026, 1, 5))
    c = client_for(tr.clerk_a)
    c.post(reverse("training:session_complete", args=[s.pk]))
    s.refresh_from_db()
    assert s.status == Status.HELD
    resp = c.post(reverse("training:attendance_record", args=[s.pk]), {"lines": "何一\n何二，执法大队，4"})
    assert resp.status_code == 302
    assert {a.person.name: a.hours for a in Attendance.objects.select_related("person")} == {
        "何一": Decimal("8"), "何二": Decimal("4")}


def test_bad_rows_are_reported_and_nothing_is_saved(tr):
    s = SessionFactory(unit=tr.a, held=True)
    resp = client_for(tr.clerk_a).post(reverse("training:attendance_record", args=[s.pk]),
                                       {"lines": "何一\n不存在的人"})
    body = resp.content.decode()
    assert resp.status_code == 400 and "第2行" in body and "不存在的人" in body and "LAW-05" in body
    assert not Attendance.objects.exists()


def _xlsx(rows):
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("考勤.xlsx", buf.getvalue())


def test_import_page_all_or_nothing(tr):
    s = SessionFactory(unit=tr.a, held=True)
    c = client_for(tr.clerk_a)
    resp = c.post(reverse("training:attendance_import", args=[s.pk]),
                  {"upload": _xlsx([["姓名"], ["何一"], ["查无此人"]])})
    assert resp.status_code == 400 and "第3行" in resp.content.decode() and not Attendance.objects.exists()
    resp = c.post(reverse("training:attendance_import", args=[s.pk]), {"upload": _xlsx([["姓名"], ["何一"]])})
    assert resp.status_code == 302 and Attendance.objects.count() == 1


def test_exam_scores_page(tr):
    exam = ExamFactory(unit=tr.a)
    c = client_for(tr.clerk_a)
    resp = c.post(reverse("training:exam_scores", args=[exam.pk]), {"lines": "何一,88\n何二,40"})
    assert resp.status_code == 302
    body = c.get(reverse("training:exam_detail", args=[exam.pk])).content.decode()
    assert "合格" in body and "不合格" in body
    assert client_for(tr.clerk_b).get(reverse("training:exam_detail", args=[exam.pk])).status_code == 404


def test_my_record_shows_hours_by_year(tr):
    from fazhi.training.tests.factories import attend

    attend(tr.officer1, "12", on=date(2026, 4, 1))
    attend(tr.officer1, "70", on=date(2025, 4, 1))
    body = client_for(tr.officer1).get(reverse("training:my_record")).content.decode()
    assert "2026年度：12.0 学时" in body and "尚差 48.0" in body and "2025年度" in body and "已达标" in body


def test_person_record_is_404_outside_scope(tr):
    assert client_for(tr.clerk_b).get(reverse("training:person_record", args=[tr.officer1.pk])).status_code == 404
    assert client_for(tr.clerk_a).get(reverse("training:person_record", args=[tr.officer1.pk])).status_code == 200
    assert client_for(tr.officer2).get(reverse("training:person_record", args=[tr.officer1.pk])).status_code == 404
