"""draw_export / draw_verify: anyone can recompute a draw from the export alone (RAND-05)."""

import gzip
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from fazhi.inspections import draw as algo
from fazhi.inspections.tests.factories import EntityFactory, RecusalFactory, make_draw


def verify(folder) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("draw_verify", str(folder), stdout=out, stderr=StringIO())
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


@pytest.fixture
def exported(ins, tmp_path):
    entities = [EntityFactory(industry="餐饮" if i % 3 else "零售") for i in range(15)]
    RecusalFactory(inspector=ins.inspectors_a[0], entity=entities[0])
    RecusalFactory(inspector=ins.inspectors_a[1], entity=None, org_unit=ins.town)
    draw = make_draw("published", unit=ins.a, objects=0, inspectors=0, sample_size=5)
    make_draw("committed", unit=ins.b, objects=0, inspectors=0, sample_size=1)  # not revealed: skipped
    out = StringIO()
    call_command("draw_export", "--all", str(tmp_path / "export"), stdout=out)
    assert "跳过" in out.getvalue()
    return tmp_path / "export" / f"draw-{draw.pk}"


def _rewrite_receipt(folder: Path, change):
    path = folder / algo.RECEIPT_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(algo.canonical_json(data), encoding="utf-8")


def test_export_writes_receipt_and_pool_files(exported):
    assert sorted(os.listdir(exported)) == sorted([algo.RECEIPT_FILE, algo.OBJECTS_FILE, algo.INSPECTORS_FILE,
                                                   algo.RECUSALS_FILE])
    receipt = json.loads((exported / algo.RECEIPT_FILE).read_text(encoding="utf-8"))
    assert receipt["algorithm"] == algo.ALGORITHM_VERSION and len(receipt["selection"]) == 5
    assert receipt["pools"]["recusals"]["count"] == 2


def test_verify_passes_on_an_export(exported):
    code, out = verify(exported)
    assert code == 0 and out.strip() == "OK"


def test_verify_fails_on_a_changed_selection(exported):
    def swap(data):
        data["selection"][0]["credit_code"], data["selection"][1]["credit_code"] = (
            data["selection"][1]["credit_code"], data["selection"][0]["credit_code"])
    _rewrite_receipt(exported, swap)
    code, out = verify(exported)
    assert code == 1 and "第 1 个抽中结果不符" in out


def test_verify_fails_on_a_changed_team(exported):
    _rewrite_receipt(exported, lambda d: d["selection"][2]["team"].reverse())
    code, out = verify(exported)
    assert code == 1 and "第 3 个" in out


def test_verify_fails_on_a_changed_seed(exported):
    _rewrite_receipt(exported, lambda d: d.update(seed="0" * 64))
    code, out = verify(exported)
    assert code == 1 and "承诺值" in out


def test_verify_fails_on_a_changed_witness_input(exported):
    _rewrite_receipt(exported, lambda d: d.update(witness_input=d["witness_input"] + "1"))
    code, out = verify(exported)
    assert code == 1 and "最终种子" in out


@pytest.mark.parametrize("name", [algo.OBJECTS_FILE, algo.INSPECTORS_FILE, algo.RECUSALS_FILE])
def test_verify_fails_on_any_changed_pool_file(exported, name):
    path = exported / name
    raw = gzip.decompress(path.read_bytes())
    path.write_bytes(gzip.compress(raw + b"X\tY\tZ\n"))
    code, out = verify(exported)
    assert code == 1 and "哈希不符" in out


def test_verify_fails_when_a_pool_file_is_missing(exported):
    os.remove(exported / algo.INSPECTORS_FILE)
    code, out = verify(exported)
    assert code == 1 and "无法读取" in out


def test_verify_runs_without_any_database(exported):
    """A subprocess with an unreachable PostgreSQL: still OK (no DB access at all)."""
    env = {**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/x"}
    manage = Path(settings.BASE_DIR) / "manage.py"
    result = subprocess.run([sys.executable, str(manage), "draw_verify", str(exported)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OK"
    _rewrite_receipt(exported, lambda d: d.update(seed="1" * 64))
    result = subprocess.run([sys.executable, str(manage), "draw_verify", str(exported)], env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "FAIL" in result.stdout


@pytest.mark.parametrize("selection", [
    [],
    [{"position": 1, "credit_code": "91X", "stratum": "行业=餐饮；区域=\"a\\b\"\t\u2028", "team": ["Z1", "Z\"2"]},
     {"position": 2, "credit_code": "91Y", "stratum": algo.ALL, "team": []}],
    [{"position": 1, "credit_code": "91X", "stratum": "s", "team": ["Z1"], "extra": 1}],
    [{"position": True, "credit_code": "91X", "stratum": "s", "team": ["Z1"]}],
])
def test_canonical_json_fast_path_is_byte_identical(selection):
    import json

    receipt = {"algorithm": algo.ALGORITHM_VERSION, "seed": "\x00selection\x00", "selection": selection,
               "strata": [{"key": "k", "size": 2, "quota": 1}], "task": {"title": "任务\n一"}}
    assert algo.canonical_json(receipt) == json.dumps(receipt, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    receipt["seed"] = "s"
    assert algo.canonical_json(receipt) == json.dumps(receipt, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
