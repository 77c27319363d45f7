"""Every action code a service writes to the audit chain has a Chinese label
(issue 13 §2: audit trails show action names in Chinese, not raw codes).

The codes are collected from the source: calls of ``audit.record(obj, "<code>", …)``
and of the modules' helpers ``_act(obj, "<what>", "<verb>", …)`` /
``_audit(…)``, with string constants, ``a if c else b`` and ``{…}[k]`` resolved.
A call the scan cannot read fails the test until it is listed in DYNAMIC.
"""

import ast
from pathlib import Path

from fazhi.audit.labels import ACTION_LABELS, action_label

ROOT = Path(__file__).resolve().parents[2]  # fazhi/

# Calls whose code is built at run time, with every value it can take.
DYNAMIC = {
    # importer._finish: status is ImportStatus.SUCCEEDED or FAILED
    "inspections/importer.py": {"inspections.import.succeeded", "inspections.import.failed"},
    # consultations._audit_step: the owning module's codes (its Policy.app)
    "consultations/services.py": {f"{app}.{code}" for app in ("normative_docs", "major_decisions") for code in (
        "consultation.started", "consultation.closed", "consultation.summary_published", "comment.submitted",
        "comment.answered")},
}
# The helpers themselves (they pass their arguments on).
HELPERS = {"fazhi/enforcement/services/common.py", "fazhi/major_decisions/services.py",
           "fazhi/normative_docs/services.py", "fazhi/inspections/services/common.py",
           "fazhi/accounts/services.py"}


def _values(node, names: dict[str, set[str]]) -> set[str] | None:
    """Every string ``node`` can evaluate to, or None if the scan cannot tell."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.IfExp):
        a, b = _values(node.body, names), _values(node.orelse, names)
        return a | b if a is not None and b is not None else None
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Dict):
        out: set[str] = set()
        for v in node.value.values:
            got = _values(v, names)
            if got is None:
                return None
            out |= got
        return out
    return None


def _names(tree) -> dict[str, set[str]]:
    """Names assigned strings anywhere in the file (module constants, local verbs)."""
    names: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            got = _values(node.value, {})
            if got is not None:
                names.setdefault(node.targets[0].id, set()).update(got)
    return names


def collect() -> tuple[dict[str, str], list[str]]:
    found: dict[str, str] = {}
    unread: list[str] = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if {"tests", "migrations", "e2e"} & set(rel.parts):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _names(tree)
        app = rel.parts[0]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
            direct = name == "record" and (isinstance(f, ast.Name) or (
                isinstance(f.value, ast.Name) and f.value.id == "audit"))
            if direct and len(node.args) >= 2:
                arg = node.args[1]
                if f"fazhi/{rel}" in HELPERS and isinstance(arg, (ast.Call, ast.JoinedStr)):
                    continue
                if str(rel) in DYNAMIC and isinstance(arg, ast.JoinedStr):
                    codes = DYNAMIC[str(rel)]
                else:
                    codes = _values(arg, names)
            elif name in ("_act", "_audit") and app == "accounts" and len(node.args) >= 2:
                got = _values(node.args[1], names)
                codes = {f"accounts.{v}" for v in got} if got is not None else None
            elif name in ("_act", "_audit") and len(node.args) >= 3:
                what, verb = _values(node.args[1], names), _values(node.args[2], names)
                codes = {f"{app}.{w}.{v}" for w in what for v in verb} if what and verb else None
            else:
                continue
            if not codes:
                unread.append(f"{rel}:{node.lineno}")
                continue
            for code in codes:
                found.setdefault(code, f"{rel}:{node.lineno}")
    return found, unread


def test_the_scan_reads_every_call_to_the_audit_chain():
    found, unread = collect()
    assert unread == []
    assert len(found) > 150  # it finds the modules' calls (a broken scan would pass on nothing)
    assert "enforcement.case.decided" in found and "normative_docs.doc.repealed" in found


def test_every_action_code_written_has_a_chinese_label():
    found, _ = collect()
    missing = {code: where for code, where in found.items() if code not in ACTION_LABELS}
    assert missing == {}


def test_labels_are_chinese_not_codes():
    for code, label in ACTION_LABELS.items():
        assert label and not any("a" <= ch <= "z" for ch in label), code
    assert action_label("enforcement.case.filed") == "批准立案"
