"""The explicit list of fazhi modules, in menu order.

Adding a module: see docs/new-module.md. Nothing is discovered; a module
that is not listed here has no menu entry, no permissions and no dashboard
items.
"""

from functools import cache

from fazhi.core.manifest import Manifest, Permission


@cache
def manifests() -> tuple[Manifest, ...]:
    from fazhi.annual_report.apps import MANIFEST as annual_report
    from fazhi.assessment.apps import MANIFEST as assessment
    from fazhi.audit.apps import MANIFEST as audit
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
        ledger, assessment, annual_report, org, workdays, audit,
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
