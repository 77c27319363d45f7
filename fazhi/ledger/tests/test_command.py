from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fazhi.ledger.models import Measure, Plan

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "dadukou_plan_2017_2020.txt"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_plan", *args, stdout=out, stderr=err)
    return out.getvalue().splitlines(), err.getvalue()


def test_preview_prints_one_line_per_measure_and_saves_nothing(lg):
    lines, err = run(str(FIXTURE), "--unit", "区政府")
    measure_lines = [ln for ln in lines if ln.split("\t")[0].isdigit()]
    assert len(measure_lines) == 42
    first = measure_lines[0].split("\t")
    assert first[0] == "1" and first[1] == "依法全面履行政府职能" and first[2] == "严格落实中央深化行政审批制度改革精神部署"[:20]
    assert measure_lines[40].split("\t")[:2] == ["41", "组织保障和落实机制"]
    assert lines[-1] == "measures: 42"
    assert "未保存" in err and not Plan.objects.exists()


def test_confirm_saves_through_the_service(lg, actions):
    lines, _ = run(str(FIXTURE), "--unit", "示范区人民政府", "--confirm")
    assert lines[-1] == "measures: 42"
    plan = Plan.objects.get()
    assert plan.unit == lg.gov and Measure.objects.filter(plan=plan).count() == 42
    assert (plan.year_start, plan.year_end) == (2017, 2020)
    assert actions() == ["ledger.plan.imported"]


def test_units_are_printed(lg, tmp_path):
    from fazhi.ledger.tests.conftest import PLAN_TEXT

    f = tmp_path / "p.txt"
    f.write_text(PLAN_TEXT, encoding="utf-8")
    lines, _ = run(str(f), "--unit", "区政府")
    assert "示范区司法局、示范区农业农村局、示范区市场监督管理局" in lines[-4]
    assert lines[-1] == "measures: 3"


def test_unknown_unit_and_garbage_are_chinese_errors(lg, tmp_path):
    with pytest.raises(CommandError, match="找不到单位"):
        run(str(FIXTURE), "--unit", "火星局")
    f = tmp_path / "g.txt"
    f.write_text("随便写的一段话。", encoding="utf-8")
    with pytest.raises(CommandError, match="未能从文本中识别出任何措施"):
        run(str(f), "--unit", "区政府", "--confirm")
    assert not Plan.objects.exists()
