"""Staff screens of 行政执法: officers and certificates, discretion benchmarks,
penalty cases through the statutory procedure, the full-process record,
case documents and 两法衔接 transfers.

Every change goes through ``services``; lists and records are read through
``selectors`` (scoped with ``org.access``). A record outside what the user
may *see* is a 404; a visible record the user may not *change* is a 403 (the
service refuses with ``PermissionDenied``). Any other refusal (wrong legal
order, too few certified officers, 90-day limit, benchmark, upload type) is
shown on the page with its rule ID, and nothing is changed.

The action forms on the case page are exactly the transitions the workflow
table allows now for this user (``services.available_actions``); the steps
that are in the right state but wait for a condition are listed with the
condition and its rule.

One module per area (``common`` holds what they share); this package
re-exports the views ``urls.py`` names and what tests and documents read.
"""

from fazhi.enforcement.views.benchmarks import benchmark_edit, benchmark_list
from fazhi.enforcement.views.case_page import ACTION_STEP, STEPS, case_action, case_detail, progress
from fazhi.enforcement.views.cases import case_create, case_list
from fazhi.enforcement.views.documents import case_document, data_from_case
from fazhi.enforcement.views.officers import (
    code_edit,
    code_list,
    officer_action,
    officer_create,
    officer_detail,
    officer_list,
)
from fazhi.enforcement.views.records import case_print, evidence_download, evidence_upload
from fazhi.enforcement.views.transfers import transfer_detail, transfer_list

__all__ = [
    "ACTION_STEP", "STEPS", "benchmark_edit", "benchmark_list", "case_action", "case_create", "case_detail",
    "case_document", "case_list", "case_print", "code_edit", "code_list", "data_from_case", "evidence_download",
    "evidence_upload", "officer_action", "officer_create", "officer_detail", "officer_list", "progress",
    "transfer_detail", "transfer_list",
]
