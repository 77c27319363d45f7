"""python manage.py workdays ..."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fazhi.audit.models import AuditEntry
from fazhi.workdays.models import CalendarYear, Holiday
from fazhi.workdays.services import ACTION_IMPORTED
from fazhi.workdays.tests.conftest import NOTICES, OFF_2026, WORK_2026

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_add_prints_exactly_the_due_date():
    out, err = run("add", "2025-09-25", "20")
    assert out == "2025-10-29\n"
    assert err == ""


def test_add_explain_lists_each_day_after_the_date_line():
    out, _ = run("add", "2025-09-25", "20", "--explain")
    lines = out.splitlines()
    assert lines[0] == "2025-10-29"
    assert "2025-09-27\t跳过\t周末" in lines
    assert "2025-09-28\t计入第2日\t调休上班日（国庆节）" in lines
    assert "2025-10-01\t跳过\t法定节假日（国庆节）" in lines
    assert lines[-1] == "2025-10-29\t计入第20日\t工作日"


def test_a_provisional_result_prints_the_date_and_warns_on_stderr(no_2027):
    out, err = run("add", "2026-12-25", "10")
    assert out == "2027-01-11\n"
    assert "未确认" in err and "2027" in err


def test_count_prints_the_number_of_working_days():
    out, _ = run("count", "2025-09-25", "2025-10-29")
    assert out == "20\n"


def test_count_into_an_unconfirmed_year_warns(no_2027):
    _, err = run("count", "2026-12-25", "2027-01-11")
    assert "未确认" in err


def test_calendar_days_with_roll_over():
    assert run("calendar-days", "2025-09-10", "21")[0] == "2025-10-01\n"
    assert run("calendar-days", "2025-09-10", "21", "--roll-over")[0] == "2025-10-09\n"


@pytest.mark.parametrize("args, message", [
    (("add", "2025-02-30", "3"), "日期“2025-02-30”无效"),
    (("add", "2025-09-25", "-5"), "不能为负数"),
    (("add", "2025-09-25", "1.5"), "必须是非负整数"),
    (("add", "2025-09-25", "二十"), "必须是非负整数"),
    (("count", "2025-09-25", "yesterday"), "日期“yesterday”无效"),
    (("calendar-days", "2025/09/25", "3"), "日期“2025/09/25”无效"),
])
def test_bad_input_is_a_chinese_error_with_exit_code_2(args, message):
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert exc.value.returncode == 2
    assert message in str(exc.value)


def test_import_notice_previews_without_saving(notice_2026):
    before = AuditEntry.objects.count()
    out, err = run("import-notice", str(NOTICES / "2026.txt"))
    lines = out.splitlines()
    assert len(lines) == len(OFF_2026) + len(WORK_2026)
    assert "2026-02-28\t上班\t春节" in lines
    assert "2026-10-07\t放假\t国庆节" in lines
    assert "未保存" in err and "--confirm" in err
    assert AuditEntry.objects.count() == before


def test_import_notice_with_confirm_saves_and_audits():
    _, err = run("import-notice", str(NOTICES / "2026.txt"), "--confirm")
    assert "已保存" in err
    assert CalendarYear.objects.get(year=2026).source.startswith("国务院办公厅")
    assert AuditEntry.objects.filter(action=ACTION_IMPORTED).exists()


def test_import_notice_reads_gb18030_files(tmp_path, notice_2025):
    path = tmp_path / "notice.txt"
    path.write_bytes(notice_2025.encode("gb18030"))
    out, _ = run("import-notice", str(path))
    assert out.startswith("2025-01-01\t放假\t元旦\n")


@pytest.mark.parametrize("content, message", [
    (None, "无法读取文件"),
    ("这不是通知", "无法确定通知的年份"),
])
def test_import_notice_bad_file_exits_2(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        run("import-notice", str(path), "--confirm")
    assert exc.value.returncode == 2
    assert message in str(exc.value)


def test_import_notice_year_must_be_a_number():
    with pytest.raises(CommandError) as exc:
        run("import-notice", str(NOTICES / "2026.txt"), "--year", "明年")
    assert exc.value.returncode == 2


def test_sync_builtin_restores_a_deleted_year():
    Holiday.objects.filter(year=2024).delete()
    CalendarYear.objects.filter(year=2024).delete()
    out, err = run("sync-builtin")
    assert out == "2024\t已更新\n"
    assert "chinesecalendar" in err
    assert CalendarYear.objects.get(year=2024).confirmed
