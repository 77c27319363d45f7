"""Every write of the enforcement module, one function per use case.

Order inside each service (STYLE.md): lock → authorise → check the legal
order (``workflow.CASE_WORKFLOW``) → validate → change → ``audit.record`` in
the same transaction. Refusals raise ``fazhi.core.errors`` with a Chinese
message and, where a legal rule refuses, its ID (docs/rules.md §3, ENF-*).

Actors: ``by`` is the acting user; ``by=None`` is the system (jobs, demo
loader, trusted commands). A person recorded as approving (立案, 延期, 决定,
终止) holds the head role over the case's organ on that day (SYS-02) and is
not one of the case's officers nor the one who registered it (SYS-01); the
legal reviewer holds the reviewer role and did not handle the case.

Dates (SYS-03): ``today`` is always the server's date, passed by the view,
the API or the job — it is the date of every act the system itself records
(立案, 告知, 法制审核, 决定, 公示, 结案, 归档, 撤回, 延期). A date a person
enters (发现日期, 送达日期, 缴款日期, 听证举行日期, 集体讨论日期, 回复日期 …) is
checked by ``fazhi.core.dates.entered_date`` against ``today`` and the steps
it follows; one more than ``FAZHI_BACKDATE_DAYS`` back needs ``late_reason``
and is flagged in the audit entry.

Permissions (apps.PERMISSIONS), checked against the case's unit:
``handle_case`` 执法人员/经办人, ``approve`` 单位负责人 (立案, 决定, 集体讨论,
延期, 终止), ``legal_review`` 法制审核员, ``publish``, ``manage_officers``,
``manage_benchmarks``. ``ACTION_PERMISSIONS`` maps each workflow action to
its permission (the UI uses it to show buttons).

Audit action codes: ``enforcement.<object>.<verb>`` with objects ``officer``,
``certificate``, ``code``, ``violation_type``, ``benchmark``, ``case``,
``evidence``, ``publication``, ``transfer``.

One module per area; this package re-exports their public names, so callers
write ``from fazhi.enforcement import services`` and ``services.decide``:

    common.py       permissions (may, ACTION_PERMISSIONS), cleaning, locks, the legal-order check
    facts.py        reads the guards and pages share: case_context, case_deadline, grounds, payments
    actions.py      available_actions: what the page and the API offer, and what is blocked
    officers.py     officers, certificates, annual checks (ENF-01)
    benchmarks.py   document codes (ENF-10), violation types and benchmarks (ENF-24)
    cases.py        register, edit, staff, file, close, archive, terminate a case
    hearing.py      notice, statements, waiver, hearing (ENF-06/07)
    review.py       legal review (ENF-04), collective discussion (ENF-05)
    period.py       extensions and periods not counted (ENF-08)
    decisions.py    the decision (ENF-10/24), summary procedure (ENF-12), service (ENF-09)
    execution.py    payments and execution (ENF-14)
    evidence.py     the full-process record (ENF-03)
    publication.py  publication and withdrawal (ENF-19/20, ENF-11)
    transfers.py    两法衔接
"""

from fazhi.enforcement.services.actions import Available, Blocked, Offer, available_actions
from fazhi.enforcement.services.benchmarks import (
    check_fine_against_benchmark,
    create_violation_type,
    set_benchmark,
    set_enforcement_code,
    update_violation_type,
)
from fazhi.enforcement.services.cases import (
    CASE_FIELDS_MAX,
    FLAG_FIELDS,
    INFO_FIELDS,
    archive_case,
    assign_officers,
    close_case,
    create_case,
    file_case,
    register_case,
    reject_filing,
    terminate_case,
    update_case,
    update_case_info,
)
from fazhi.enforcement.services.common import ACTION_PERMISSIONS, UNSET, may
from fazhi.enforcement.services.decisions import decide, serve, summary_decide
from fazhi.enforcement.services.evidence import KIND_TYPES, attach_evidence
from fazhi.enforcement.services.execution import complete_execution, record_payment
from fazhi.enforcement.services.facts import (
    amount_paid,
    benchmark_for,
    case_context,
    case_deadline,
    decision_basis,
    grounds_missing,
    latest_review,
    paid_in_full,
    present_record_types,
    surcharge_owed,
    valid_case_officers,
)
from fazhi.enforcement.services.hearing import (
    HEARING_STOP_BASIS,
    hold_hearing,
    notify,
    record_statement,
    request_hearing,
    schedule_hearing,
    waive_rights,
)
from fazhi.enforcement.services.officers import (
    issue_certificate,
    record_annual_check,
    register_officer,
    set_certificate_status,
    update_officer,
)
from fazhi.enforcement.services.period import (
    STOP_KINDS_BY_HAND,
    end_clock_stop,
    extend_deadline,
    request_extension,
    start_clock_stop,
)
from fazhi.enforcement.services.publication import (
    publish,
    record_decision_change,
    take_down_expired,
    withdraw_publication,
)
from fazhi.enforcement.services.review import (
    legal_review,
    record_discussion,
    submit_discussion,
    submit_legal_review,
)
from fazhi.enforcement.services.transfers import (
    record_transfer_outcome,
    record_transfer_reply,
    transfer_to_police,
)

__all__ = [
    "ACTION_PERMISSIONS",
    "Available",
    "Blocked",
    "CASE_FIELDS_MAX",
    "FLAG_FIELDS",
    "HEARING_STOP_BASIS",
    "INFO_FIELDS",
    "KIND_TYPES",
    "Offer",
    "STOP_KINDS_BY_HAND",
    "UNSET",
    "amount_paid",
    "archive_case",
    "assign_officers",
    "attach_evidence",
    "available_actions",
    "benchmark_for",
    "case_context",
    "case_deadline",
    "check_fine_against_benchmark",
    "close_case",
    "complete_execution",
    "create_case",
    "create_violation_type",
    "decide",
    "decision_basis",
    "end_clock_stop",
    "extend_deadline",
    "file_case",
    "grounds_missing",
    "hold_hearing",
    "issue_certificate",
    "latest_review",
    "legal_review",
    "may",
    "notify",
    "paid_in_full",
    "present_record_types",
    "publish",
    "record_annual_check",
    "record_decision_change",
    "record_discussion",
    "record_payment",
    "record_statement",
    "record_transfer_outcome",
    "record_transfer_reply",
    "register_case",
    "register_officer",
    "reject_filing",
    "request_extension",
    "request_hearing",
    "schedule_hearing",
    "serve",
    "set_benchmark",
    "set_certificate_status",
    "set_enforcement_code",
    "start_clock_stop",
    "submit_discussion",
    "submit_legal_review",
    "summary_decide",
    "surcharge_owed",
    "take_down_expired",
    "terminate_case",
    "transfer_to_police",
    "update_case",
    "update_case_info",
    "update_officer",
    "update_violation_type",
    "valid_case_officers",
    "waive_rights",
    "withdraw_publication",
]
