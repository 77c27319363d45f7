"""The kernel stands below the API (issue 14): nothing in fazhi.core imports fazhi.api.

The import contract (.importlinter, run by ``make lint``) is the full check; this
test keeps the one piece the kernel once borrowed from the API — the JSON error
shape — in the kernel, and the contract free of exceptions for it.
"""

import ast
import configparser
from pathlib import Path

import fazhi.core
from fazhi.core import errors as core_errors
from fazhi.core.rest import errors as api_errors

CORE = Path(fazhi.core.__file__).parent
REPO = CORE.parent.parent


def _imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_no_kernel_file_imports_the_api_not_even_inside_a_function():
    offenders = [f"{path.relative_to(REPO)}: {name}"
                 for path in CORE.rglob("*.py")
                 for name in _imported_modules(path)
                 if name == "fazhi.api" or name.startswith("fazhi.api.")]
    assert offenders == []


def test_the_kernel_contract_has_no_exceptions():
    config = configparser.ConfigParser()
    config.read(REPO / ".importlinter", encoding="utf-8")
    assert not config["importlinter:contract:kernel"].get("ignore_imports", "").strip()


def test_the_api_answers_in_the_kernels_error_shape():
    assert api_errors.error_body is core_errors.error_body
    assert core_errors.error_body("invalid", "错误", fields={"title": "必填"}) == {
        "error": {"code": "invalid", "message": "错误", "rule": None, "fields": {"title": ["必填"]}}}
