"""Import of the object pool: all or nothing, row-by-row report, streaming (RAND-03)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.inspections import selectors, services
from fazhi.inspections.models import Entity, ImportStatus
from fazhi.inspections.tests.factories import EntityFactory, bad_check_digit, credit_code

HEADER = "名称,统一社会信用代码,主体类型,行业,区域,住所,法定代表人,联系电话,风险等级,最近检查日期\n"


def row(n, **kw):
    values = {"name": f"示范企业{n}", "code": credit_code(100_000 + n), "type": "有限责任公司", "industry": "餐饮",
              "region": "龙凤镇", "address": "人民路1号", "rep": "张三", "phone": "13800000000", "risk": "中",
              "last": ""}
    values.update(kw)
    return ",".join(values[k] for k in ("name", "code", "type", "industry", "region", "address", "rep", "phone",
                                         "risk", "last")) + "\n"


def upload(text: str, name="objects.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def run(ins, text, **kw):
    imp = services.start_import(upload(text, **kw), by=ins.clerk_a, unit=ins.a)
    return services.run_import(imp.pk)


def test_a_clean_csv_is_imported(ins, actions):
    imp = run(ins, HEADER + row(1) + row(2, risk="高", last="2025-06-30") + "\n")
    assert imp.status == ImportStatus.SUCCEEDED and imp.created_rows == 2 and imp.total_rows == 2
    e = Entity.objects.get(credit_code=credit_code(100_002))
    assert e.risk_level == "high" and str(e.last_inspected_on) == "2025-06-30" and e.import_batch_id == imp.pk
    assert "inspections.import.created" in actions() and actions()[-1] == "inspections.import.succeeded"


def test_bom_and_gb18030_are_read(ins):
    imp = run(ins, "\ufeff" + HEADER + row(1))
    assert imp.status == ImportStatus.SUCCEEDED
    imp = run(ins, HEADER + row(2, name="龙凤镇餐馆"), encoding="gb18030")
    assert imp.status == ImportStatus.SUCCEEDED
    assert Entity.objects.filter(name="龙凤镇餐馆").exists()


def test_errors_are_reported_row_by_row_and_nothing_is_written(ins, actions):
    EntityFactory(credit_code=credit_code(100_005))
    text = (HEADER + row(1) + row(2, code=bad_check_digit(credit_code(100_002)))
            + row(3, code=credit_code(100_001))        # duplicate of row 2 (line 2) in the file
            + row(4, name="")                          # missing name
            + row(5, code=credit_code(100_005))        # already in the pool
            + row(6, risk="极高")                      # wrong enum
            + row(7, last="2025-13-01"))               # bad date
    imp = run(ins, text)
    assert imp.status == ImportStatus.FAILED and imp.created_rows == 0
    assert Entity.objects.count() == 1
    got = {(e["row"], e["column"]) for e in imp.errors}
    assert got == {(3, "统一社会信用代码"), (4, "统一社会信用代码"), (5, "名称"), (6, "统一社会信用代码"),
                   (7, "风险等级"), (8, "最近检查日期")}
    assert imp.error_count == 6
    by_row = {e["row"]: e["message"] for e in imp.errors}
    assert "校验位" in by_row[3] and "第2行重复" in by_row[4] and "已在检查对象名录库中" in by_row[6]
    assert "未导入任何数据" in imp.message
    assert actions()[-1] == "inspections.import.failed"


def test_missing_required_column_is_reported(ins):
    imp = run(ins, "名称,行业\n甲,餐饮\n")
    assert imp.status == ImportStatus.FAILED
    assert imp.errors[0]["row"] == 1 and "统一社会信用代码" in imp.errors[0]["message"]


def test_xlsx_is_imported(ins):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["名称", "统一社会信用代码", "风险等级", "最近检查日期"])
    ws.append(["表格企业", credit_code(200_001), "低", None])
    buf = io.BytesIO()
    wb.save(buf)
    imp = services.start_import(SimpleUploadedFile("a.xlsx", buf.getvalue()), by=ins.clerk_a, unit=ins.a)
    assert imp.format == "xlsx"
    imp = services.run_import(imp.pk)
    assert imp.status == ImportStatus.SUCCEEDED
    assert Entity.objects.filter(name="表格企业").exists()


def test_progress_is_readable_while_and_after_running(ins):
    imp = services.start_import(upload(HEADER + "".join(row(i) for i in range(1, 26))), by=ins.clerk_a, unit=ins.a)
    assert selectors.import_progress(imp.pk)["status"] == "pending"
    imp = services.run_import(imp.pk, progress_every=5)
    p = selectors.import_progress(imp.pk)
    assert p["status"] == "succeeded" and p["processed"] == 25 and p["total"] == 25 and p["percent"] == 100


def test_an_import_runs_once(ins):
    imp = services.start_import(upload(HEADER + row(1)), by=ins.clerk_a, unit=ins.a)
    services.run_import(imp.pk)
    again = services.run_import(imp.pk)
    assert again.status == ImportStatus.SUCCEEDED and Entity.objects.count() == 1


def test_the_job_runs_pending_imports(ins):
    from fazhi.inspections import jobs

    services.start_import(upload(HEADER + row(1)), by=ins.clerk_a, unit=ins.a)
    assert jobs.run_imports(None) == 1
    assert Entity.objects.count() == 1


def test_start_import_refuses_binary_and_empty_files_and_other_units(ins):
    with pytest.raises(ValidationError):
        services.start_import(SimpleUploadedFile("x.csv", b"\x00\x01\x02"), by=ins.clerk_a, unit=ins.a)
    with pytest.raises(ValidationError):
        services.start_import(SimpleUploadedFile("x.csv", b""), by=ins.clerk_a, unit=ins.a)
    with pytest.raises(PermissionDenied):
        services.start_import(upload(HEADER), by=ins.clerk_b, unit=ins.a)


def test_the_command_imports_synchronously(ins, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "o.csv"
    path.write_text(HEADER + row(1) + row(2), encoding="utf-8")
    out = StringIO()
    call_command("inspections_import", str(path), "--unit", ins.a.name, stdout=out)
    assert "导入成功" in out.getvalue() and Entity.objects.count() == 2


def test_the_command_fails_with_the_report(ins, tmp_path):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "o.csv"
    path.write_text(HEADER + row(1, code="123"), encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("inspections_import", str(path), stdout=out)
    assert "第2行" in out.getvalue() and Entity.objects.count() == 0


@pytest.mark.postgres
def test_postgres_copy_path_writes_all_rows(ins):
    from django.db import connection

    assert connection.vendor == "postgresql"
    imp = run(ins, HEADER + "".join(row(i, address="路\t1号\\x") for i in range(1, 501)))
    assert imp.status == ImportStatus.SUCCEEDED
    assert Entity.objects.filter(import_batch=imp).count() == 500
    assert Entity.objects.get(credit_code=credit_code(100_001)).address == "路\t1号\\x"


def test_the_fast_and_the_detailed_checks_agree(ins):
    """Rows that take the fast path and rows that need the detailed checks are stored alike."""
    text = (HEADER + row(1, code=credit_code(100_001).lower(), last="2025/06/30")
            + row(2, name="名称\\带反斜杠", address='"人民路\t2号"', risk="")
            + row(3, risk="HIGH", last="2025-01-02 08:00"))
    imp = run(ins, text)
    assert imp.status == ImportStatus.SUCCEEDED, imp.errors
    e1, e2, e3 = (Entity.objects.get(credit_code=credit_code(100_000 + i)) for i in (1, 2, 3))
    assert str(e1.last_inspected_on) == "2025-06-30"
    assert e2.name == "名称\\带反斜杠" and e2.address == "人民路\t2号" and e2.risk_level == "low"
    assert e3.risk_level == "high" and str(e3.last_inspected_on) == "2025-01-02"
    assert e1.updated_at is not None


def test_too_long_values_are_reported(ins):
    imp = run(ins, HEADER + row(1, name="长" * 201) + row(2, phone="1" * 41))
    assert imp.status == ImportStatus.FAILED
    assert {(e["row"], e["column"]) for e in imp.errors} == {(2, "名称"), (3, "联系电话")}


@pytest.mark.postgres
def test_a_big_load_rebuilds_the_secondary_indexes(ins, monkeypatch):
    from django.db import connection

    from fazhi.inspections import importer

    def indexes():
        with connection.cursor() as cur:
            return importer._secondary_indexes(cur, Entity._meta.db_table)

    before = indexes()
    assert any(name == "ins_entity_updated" for name, _ in before)
    monkeypatch.setattr(importer, "REBUILD_INDEXES_FROM", 10)
    dropped = []
    original = importer._drop_for_rebuild

    def spy(*args):
        dropped.append(original(*args))
        return dropped[-1]

    monkeypatch.setattr(importer, "_drop_for_rebuild", spy)
    imp = run(ins, HEADER + "".join(row(i) for i in range(1, 31)))
    assert imp.status == ImportStatus.SUCCEEDED and Entity.objects.count() == 30
    assert dropped == [before]  # dropped, and built again:
    assert indexes() == before
    imp = run(ins, HEADER + "".join(row(i) for i in range(31, 46)))  # smaller than the pool: row by row
    assert imp.status == ImportStatus.SUCCEEDED and dropped == [before, []] and indexes() == before


def test_an_upload_starts_its_import_at_once_after_the_commit(ins, _no_import_threads,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        imp = services.start_import(upload(HEADER + row(1)), by=ins.clerk_a, unit=ins.a)
        assert _no_import_threads == []  # not before the upload is committed
    assert _no_import_threads == [imp.pk]


def test_the_import_is_a_one_off_job_of_the_job_runner_and_its_leftovers_a_periodic_one():
    from fazhi.core import jobs

    assert "inspections.import" in {j.name for j in jobs.registry.one_offs()}
    assert "inspections.imports" in {j.name for j in jobs.registry.jobs()}


def test_with_the_setting_off_only_the_job_runs_imports(ins, settings, _no_import_threads,
                                                        django_capture_on_commit_callbacks):
    settings.FAZHI_INSPECTIONS = {"start_imports_at_once": False}
    with django_capture_on_commit_callbacks(execute=True):
        services.start_import(upload(HEADER + row(1)), by=ins.clerk_a, unit=ins.a)
    assert _no_import_threads == []
