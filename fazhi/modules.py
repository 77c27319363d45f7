"""The explicit list of fazhi modules, in menu order.

Adding a module: see docs/new-module.md. Nothing is discovered; a module
that is not listed here has no menu entry, no permissions and no dashboard
items.
"""

from functools import cache

from fazhi.core.manifest import Manifest, Permission


@cache
def manifests() -> tuple[Manifest, ...]:
    from fazhi.accounts.apps import MANIFEST as accounts
    from fazhi.annual_report.apps import MANIFEST as annual_report
    from fazhi.assessment.apps import MANIFEST as assessment
    from fazhi.audit.apps import MANIFEST as audit
    from fazhi.consultations.apps import MANIFEST as consultations
    from fazhi.core.apps import MANIFEST as core
    from fazhi.enforcement.apps import MANIFEST as enforcement
    from fazhi.inspections.apps import MANIFEST as inspections
    from fazhi.ledger.apps import MANIFEST as ledger
    from fazhi.major_decisions.apps import MANIFEST as major_decisions
    from fazhi.normative_docs.apps import MANIFEST as normative_docs
    from fazhi.org.apps import MANIFEST as org
    from fazhi.training.apps import MANIFEST as training
    from fazhi.workdays.apps import MANIFEST as workdays

    return (
        normative_docs, major_decisions, enforcement, inspections, training,
        ledger, assessment, annual_report, org, accounts, workdays, consultations, core, audit,
    )


@cache
def permissions() -> dict[str, Permission]:
    table: dict[str, Permission] = {}
    for m in manifests():
        for p in m.permissions:
            if p.code in table:
                raise ValueError(f"permission {p.code} declared twice")
            table[p.code] = p
    return table


def local_rules() -> tuple:
    """Each module's place-dependent rules (``fazhi.core.local_rules``), in
    menu order: checked at start-up, listed by ``manage.py local_rules`` and
    in docs/deploy.md."""
    from fazhi.annual_report.rules import LOCAL_RULES as annual_report
    from fazhi.assessment.rules import LOCAL_RULES as assessment
    from fazhi.enforcement.rules import LOCAL_RULES as enforcement
    from fazhi.inspections.rules import LOCAL_RULES as inspections
    from fazhi.major_decisions.rules import LOCAL_RULES as major_decisions
    from fazhi.normative_docs.rules import LOCAL_RULES as normative_docs
    from fazhi.training.rules import LOCAL_RULES as training

    return (normative_docs, major_decisions, enforcement, inspections, training, assessment, annual_report)


def citations() -> tuple[dict[str, str], ...]:
    """Each module's legal citations by rule ID (``<app>/citations.py``
    ``CITATIONS``), read by ``fazhi.core.citations``: refusals, action panels
    and portal pages show the citation, with the rule ID in a tooltip."""
    from fazhi.annual_report.citations import CITATIONS as annual_report
    from fazhi.core.citations import CITATIONS as core
    from fazhi.enforcement.citations import CITATIONS as enforcement
    from fazhi.inspections.citations import CITATIONS as inspections
    from fazhi.major_decisions.citations import CITATIONS as major_decisions
    from fazhi.normative_docs.citations import CITATIONS as normative_docs
    from fazhi.training.citations import CITATIONS as training

    return (core, normative_docs, major_decisions, enforcement, inspections, training, annual_report)


def demo_loaders() -> tuple:
    """``load(stdout)`` of each module's demo data, in dependency order (units
    and people first). ``manage.py load_demo`` runs them in one transaction."""
    from fazhi.annual_report import demo as annual_report
    from fazhi.assessment import demo as assessment
    from fazhi.enforcement import demo as enforcement
    from fazhi.inspections import demo as inspections
    from fazhi.ledger import demo as ledger
    from fazhi.major_decisions import demo as major_decisions
    from fazhi.normative_docs import demo as normative_docs
    from fazhi.org import demo as org
    from fazhi.training import demo as training

    return (
        org.load, normative_docs.load, major_decisions.load, training.load, enforcement.load,
        inspections.load, ledger.load, assessment.load, annual_report.load,
    )


@cache
def deadline_kinds() -> tuple:
    """The stored deadlines that follow the calendar (``fazhi.workdays.deadlines``):
    each module's ``deadlines.KINDS``. When a holiday notice is imported or a
    day corrected, every deadline listed here that the change touched is
    recomputed (or flagged for a person if it had passed). A module that
    stores a working-day deadline adds one line here; see docs/new-module.md."""
    from fazhi.enforcement import deadlines as enforcement
    from fazhi.inspections import deadlines as inspections
    from fazhi.ledger import deadlines as ledger
    from fazhi.major_decisions import deadlines as major_decisions
    from fazhi.normative_docs import deadlines as normative_docs

    kinds = (*normative_docs.KINDS, *major_decisions.KINDS, *enforcement.KINDS, *inspections.KINDS, *ledger.KINDS)
    keys = [k.key for k in kinds]
    if len(keys) != len(set(keys)):
        raise ValueError("deadline kind declared twice")
    return kinds
