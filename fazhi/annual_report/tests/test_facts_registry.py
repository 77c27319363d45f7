"""The report's sources are declared in the module manifests, not discovered (issue 14, STYLE.md)."""

from pathlib import Path

from fazhi import modules
from fazhi.annual_report import facts


def test_each_source_is_declared_once_in_a_listed_manifest():
    declared = {f.key: m.label for m in modules.manifests() for f in m.report_facts}
    assert declared == {
        "normative_docs": "normative_docs", "major_decisions": "major_decisions", "enforcement": "enforcement",
        "training": "training", "indicators": "assessment", "ledger_summary": "ledger",
        "ledger_overdue": "ledger", "ledger_next": "ledger",
    }
    assert set(facts.providers()) == set(declared)


def test_the_report_reads_no_module_by_name_at_run_time():
    source = Path(facts.__file__).read_text(encoding="utf-8")
    assert "importlib" not in source and "inspect" not in source and "is_installed" not in source
