"""scripts/check_file_size.py: the report of Python files past 600 lines (issue 14)."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _script():
    spec = importlib.util.spec_from_file_location("check_file_size", ROOT / "scripts" / "check_file_size.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _write(path: Path, lines: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x = 1\n" * lines, encoding="utf-8")


def test_it_lists_only_files_past_the_limit_longest_first(tmp_path):
    _write(tmp_path / "app" / "services.py", 601)
    _write(tmp_path / "app" / "views.py", 900)
    _write(tmp_path / "app" / "selectors.py", 600)
    found = _script().long_files(tmp_path, 600)
    assert [(n, p.name) for n, p in found] == [(900, "views.py"), (601, "services.py")]


def test_it_leaves_out_migrations_and_tests(tmp_path):
    _write(tmp_path / "app" / "migrations" / "0001_initial.py", 700)
    _write(tmp_path / "app" / "tests" / "factories.py", 700)
    _write(tmp_path / "app" / "test_big.py", 700)
    _write(tmp_path / "e2e" / "conftest.py", 700)
    assert _script().long_files(tmp_path, 600) == []


def test_it_reports_and_exits_0_even_when_files_are_too_long(capsys):
    assert _script().main(["--limit", "1"]) == 0
    assert "fazhi/inspections/models.py" in capsys.readouterr().out


def test_no_module_of_the_inspections_services_passes_600_lines():
    found = _script().long_files(ROOT / "fazhi" / "inspections" / "services", 600)
    assert found == []
