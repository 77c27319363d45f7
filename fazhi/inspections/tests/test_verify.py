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

from fazhi.core import draw as algo
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
                                                   algo.RECUSALS_FILE, algo.PARAMS_FILE])
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


def test_verify_fails_on_a_changed_public_witness_value(exported):
    _rewrite_receipt(exported, lambda d: d["witnesses"][1].update(value=d["witnesses"][1]["value"] + "1"))
    code, out = verify(exported)
    assert code == 1 and "最终种子" in out


def test_verify_fails_on_a_secret_that_does_not_match_its_commitment(exported):
    _rewrite_receipt(exported, lambda d: d["witnesses"][0].update(value="另一个秘密"))
    code, out = verify(exported)
    assert code == 1 and "承诺值不符" in out and "纪检监察员" in out


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


# ------------------------------------------------- the receipt binds the draw's parameters (issue 11 §3)


def _cut_last_selection(data):
    """The attack: drop the last object drawn and lower its stratum's quota by one."""
    last = data["selection"].pop()
    for s in data["strata"]:
        if s["key"] == last["stratum"]:
            s["quota"] -= 1


def test_verify_refuses_a_removed_selection_with_its_quota_lowered(exported):
    _rewrite_receipt(exported, _cut_last_selection)
    code, out = verify(exported)
    assert code == 1 and "配额不符" in out


def test_verify_refuses_a_lowered_explicit_quota(ins, tmp_path):
    from fazhi.inspections.tests.factories import PlanFactory, TaskFactory

    for i in range(12):
        EntityFactory(industry="餐饮" if i % 2 else "零售")
    task = TaskFactory(plan=PlanFactory(unit=ins.a, approved=True), sample_size=5, stratify_by=["industry"],
                       quotas={"行业=餐饮": 2, "行业=零售": 3})
    draw = make_draw("published", task=task)
    call_command("draw_export", "--draw", str(draw.pk), str(tmp_path), stdout=StringIO())
    folder = tmp_path / f"draw-{draw.pk}"
    assert verify(folder)[0] == 0
    _rewrite_receipt(folder, lambda d: d.update(quota_mode="explicit") or _cut_last_selection(d))
    code, out = verify(folder)
    assert code == 1 and "配额不符" in out and "行业=餐饮" in out


def _rehash_params(folder: Path, change) -> None:
    """Change params.json and write its new hash into the receipt (a careful forger)."""
    path = folder / algo.PARAMS_FILE
    params = json.loads(path.read_text(encoding="utf-8"))
    change(params)
    text = algo.canonical_json(params)
    path.write_text(text, encoding="utf-8")
    _rewrite_receipt(folder, lambda d: d["pools"]["params"].update(sha256=algo.sha256_hex(text)))


def test_verify_refuses_changed_parameters_even_with_their_hash_updated(exported):
    _rehash_params(exported, lambda p: p["sample"].update(size=p["sample"]["size"] - 1))
    code, out = verify(exported)
    assert code == 1 and "承诺值不符" in out


def test_verify_refuses_a_changed_parameter_file(exported):
    path = exported / algo.PARAMS_FILE
    path.write_text(path.read_text(encoding="utf-8").replace('"team_size": 2', '"team_size": 3'), encoding="utf-8")
    code, out = verify(exported)
    assert code == 1 and "params.json 的哈希不符" in out


def test_verify_refuses_a_dropped_witness(exported):
    _rewrite_receipt(exported, lambda d: d["witnesses"].pop())
    code, out = verify(exported)
    assert code == 1 and "监督人数不符" in out


def test_verify_refuses_a_receipt_whose_team_size_differs_from_the_parameters(exported):
    _rewrite_receipt(exported, lambda d: d.update(team_size=1))
    code, out = verify(exported)
    assert code == 1 and "每组人数不符" in out


def test_verify_checks_the_published_commitment(exported):
    receipt = json.loads((exported / algo.RECEIPT_FILE).read_text(encoding="utf-8"))
    out = StringIO()
    call_command("draw_verify", str(exported), "--commitment", receipt["commitment"], stdout=out, stderr=StringIO())
    assert out.getvalue().strip() == "OK"
    with pytest.raises(SystemExit) as exc:
        call_command("draw_verify", str(exported), "--commitment", "0" * 64, stdout=out, stderr=StringIO())
    assert exc.value.code == 1 and "冻结时公开的承诺值" in out.getvalue()


def test_a_malformed_receipt_is_a_difference_not_a_crash(exported):
    _rewrite_receipt(exported, lambda d: d.pop("server_commitment"))
    code, out = verify(exported)
    assert code == 1 and "格式有误" in out


def test_a_fazhi_draw_1_folder_still_verifies(tmp_path):
    """Receipts of draws frozen before version 2 (demo, database) keep verifying."""
    objects = [algo.PoolObject(f"9150010400000000{i:02d}", "全部", "") for i in range(8)]
    inspectors = [algo.PoolInspector(f"EN{i:04d}", "3", "市场监管") for i in range(4)]
    hashes = {}
    for name, lines in ((algo.OBJECTS_FILE, algo.object_lines(objects)),
                        (algo.INSPECTORS_FILE, algo.inspector_lines(inspectors)),
                        (algo.RECUSALS_FILE, algo.recusal_lines([]))):
        hashes[name] = algo.write_file(tmp_path / name, lines)
    seed = "5f" * 32
    final = algo.final_seed(seed, "20260415-8812")
    selected = algo.run(final, algo.Pools(objects, inspectors, []), {"全部": 3}, 2)
    receipt = algo.build_receipt(
        task={"id": 1}, commitment_hex=algo.commitment(seed), committed_at="2026-04-14T09:00:00+08:00", seed=seed,
        witness_input="20260415-8812", final=final,
        pools={"objects": {"file": algo.OBJECTS_FILE, "sha256": hashes[algo.OBJECTS_FILE], "count": 8},
               "inspectors": {"file": algo.INSPECTORS_FILE, "sha256": hashes[algo.INSPECTORS_FILE], "count": 4},
               "recusals": {"file": algo.RECUSALS_FILE, "sha256": hashes[algo.RECUSALS_FILE], "count": 0}},
        strata=[{"key": "全部", "size": 8, "quota": 3}], quota_mode="proportional", team_size=2,
        selected=selected, drawn_at="2026-04-15T15:00:00+08:00")
    (tmp_path / algo.RECEIPT_FILE).write_text(algo.canonical_json(receipt), encoding="utf-8")
    err = StringIO()
    out = StringIO()
    call_command("draw_verify", str(tmp_path), stdout=out, stderr=err)
    assert out.getvalue().strip() == "OK" and "fazhi-draw/1" in err.getvalue()


# ------------------------------------------------------- docs/draw-algorithm.md


DOC = Path(settings.BASE_DIR) / "docs" / "draw-algorithm.md"


def _doc_blocks(lang: str) -> list[str]:
    import re

    return re.findall(rf"```{lang}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def _worked_example(folder: Path) -> dict:
    """The folder of docs §11, built with draw.py from the files the page shows."""
    objects = [algo.PoolObject(c, s, "") for c, s in [
        ("915001040000000017", "行业=零售"), ("91500104000000002A", "行业=餐饮"), ("91500104000000003D", "行业=餐饮"),
        ("91500104000000004G", "行业=零售"), ("91500104000000005K", "行业=餐饮"), ("91500104000000006N", "行业=餐饮")]]
    inspectors = [algo.PoolInspector(f"EN000{i}", "3", "市场监管") for i in range(1, 5)]
    recusals = [("EN0001", "E", "91500104000000002A")]
    hashes = {"objects": algo.write_file(folder / algo.OBJECTS_FILE, algo.object_lines(objects)),
              "inspectors": algo.write_file(folder / algo.INSPECTORS_FILE, algo.inspector_lines(inspectors)),
              "recusals": algo.write_file(folder / algo.RECUSALS_FILE, algo.recusal_lines(recusals))}
    params_text = next(b for b in _doc_blocks("json") if '"fazhi-draw/2"' in b)
    (folder / algo.PARAMS_FILE).write_text(params_text, encoding="utf-8")
    params = json.loads(params_text)
    assert algo.canonical_json(params) == params_text  # the page shows the canonical bytes
    hashes["params"] = algo.sha256_hex(params_text)
    seed = "5f1c2b7e9a0d4c3b8e6f1a2d3c4b5a69788796a5b4c3d2e1f00112233445566"
    server = algo.commitment(seed)
    commitment = algo.freeze_commitment(server, hashes)
    values = ["7-3-1-9-4-2-8-6", "4 7 1"]
    final = algo.combine(commitment, seed, values)
    sizes = {s["key"]: s["size"] for s in params["strata"]}
    quotas = algo.quotas_from_params(params["sample"], sizes)
    selected = algo.run(final, algo.Pools(objects, inspectors, recusals), quotas, 2)
    receipt = algo.build_receipt_v2(
        params=params, hashes=hashes, commitment_hex=commitment, committed_at="2026-04-14T09:00:00+08:00",
        server_commitment=server, seed=seed,
        witnesses=[{**w, "value": v} for w, v in zip(params["witnesses"], values, strict=True)], final=final, quotas=quotas, selected=selected, drawn_at="2026-04-15T15:00:00+08:00")
    (folder / algo.RECEIPT_FILE).write_text(algo.canonical_json(receipt), encoding="utf-8")
    return receipt


def test_the_worked_example_in_the_docs_is_what_draw_py_computes(tmp_path):
    receipt = _worked_example(tmp_path)
    text = DOC.read_text(encoding="utf-8")
    for value in (receipt["commitment"], receipt["final_seed"], receipt["server_commitment"],
                  receipt["pools"]["params"]["sha256"], *(json.dumps(s, ensure_ascii=False).replace('"', "'")
                                                          for s in receipt["selection"])):
        assert value in text, value
    assert f"`params.json` (as written, {len((tmp_path / algo.PARAMS_FILE).read_bytes()):,} bytes)" in text
    assert algo.verify_folder(tmp_path, receipt["commitment"]) is None
    _rewrite_receipt(tmp_path, _cut_last_selection)
    difference = algo.verify_folder(tmp_path)
    assert difference in text, difference  # the page quotes the verifier's answer to the attack


def test_the_reference_implementation_in_the_docs_verifies(exported, tmp_path):
    namespace: dict = {}
    exec(next(b for b in _doc_blocks("python") if "def draw(folder" in b), namespace)
    commitment = json.loads((exported / algo.RECEIPT_FILE).read_text(encoding="utf-8"))["commitment"]
    assert namespace["draw"](str(exported), commitment) is True
    _worked_example(tmp_path)
    example = json.loads((tmp_path / algo.RECEIPT_FILE).read_text(encoding="utf-8"))["commitment"]
    assert namespace["draw"](str(tmp_path), example) is True
    _rewrite_receipt(exported, _cut_last_selection)
    assert namespace["draw"](str(exported), commitment) is False
    with pytest.raises(AssertionError):
        namespace["draw"](str(exported), "0" * 64)
