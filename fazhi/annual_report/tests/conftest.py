"""Shared fixtures of the annual-report tests.

``tree``: gov ─┬─ a (农业农村局) ── a1 (执法大队, internal)
               └─ b (市场监管局)
users: clerk_a (经办人 of a and below), head_a, clerk_b, assessor (gov and below).

``records``: the hand-counted year-2025 records of a (and one of b), built with
the other modules' factories and services:

* 行政规范性文件: 2 published by a (both legality-reviewed and filed on time),
  1 published by b;
* 重大行政决策: 1 decided by a (legality review and collective discussion,
  participation, experts and risk assessment not required);
* 行政执法: a's 执法大队 a1 — 1 case closed (filed and decided in 2025), 1
  case being investigated (filed in 2025);
* 学法用法: 2 sessions of a (8 + 4 学时), attended by one person each.
"""

from datetime import date
from types import SimpleNamespace

import pytest

from fazhi.org.models import UnitKind
from fazhi.org.tests.factories import PersonFactory, UnitFactory

YEAR = 2025
TODAY = date(2026, 3, 2)
SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def tree(db):
    gov = UnitFactory(name="示范区人民政府", short_name="区政府", kind=UnitKind.GOVERNMENT)
    a = UnitFactory(name="示范区农业农村局", short_name="区农业农村局", parent=gov)
    a1 = UnitFactory(name="示范区农业农村局执法大队", short_name="执法大队", parent=a, kind=UnitKind.INTERNAL)
    b = UnitFactory(name="示范区市场监督管理局", short_name="区市场监管局", parent=gov)
    return SimpleNamespace(
        gov=gov, a=a, a1=a1, b=b,
        clerk_a=PersonFactory(unit=a, name="经办人甲", roles=[("clerk", a, True)]).user,
        head_a=PersonFactory(unit=a, name="局长甲", post="局长", roles=[("head", a, True)]).user,
        clerk_b=PersonFactory(unit=b, name="经办人乙", roles=[("clerk", b, False)]).user,
        assessor=PersonFactory(unit=gov, name="考核员", roles=[("assessor", gov, True)]).user,
        clerk_gov=PersonFactory(unit=gov, name="经办人政", roles=[("clerk", gov, False)]).user,
    )


@pytest.fixture
def records(tree):
    from fazhi.enforcement.tests.factories import make_case, make_officer
    from fazhi.major_decisions.models import Discussion, HeadDecision
    from fazhi.major_decisions.tests.factories import DecisionFactory, LegalReviewFactory
    from fazhi.normative_docs.tests.factories import make_doc
    from fazhi.training.tests.factories import attend

    start = date(2025, 3, 3)  # published 60 days later, filed 5 days after that
    docs = [make_doc("filed", unit=tree.a, title=f"农业补贴管理办法{SCRIPT}", today=start),
            make_doc("filed", unit=tree.a, title="农机购置补贴实施细则", today=start)]
    other_doc = make_doc("filed", unit=tree.b, title="市场监管某办法", today=start)
    decision = DecisionFactory(
        entry__catalogue__unit=tree.a, entry__catalogue__year=YEAR, entry__needs_participation=False,
        entry__needs_expert_review=False, entry__needs_risk_assessment=False, entry__title="高标准农田建设规划",
        published=True, decided_on=date(2025, 7, 1), party_reported_on=date(2025, 7, 2),
        published_on=date(2025, 7, 5))
    LegalReviewFactory(decision=decision, submitted_on=date(2025, 6, 1), due=date(2025, 6, 10),
                       decided_on=date(2025, 6, 9))
    host = PersonFactory(unit=tree.a, name="局长乙", post="局长")
    Discussion.objects.create(decision=decision, meeting_type="standing", meeting_name="局务会议",
                              held_on=date(2025, 6, 20), host=host, head=host,
                              head_decision=HeadDecision.ADOPT)
    officers = [make_officer(tree.a1, name="执法员一"), make_officer(tree.a1, name="执法员二")]
    closed = make_case("closed", unit=tree.a1, officers=officers, today=date(2025, 3, 3))
    open_case = make_case("investigating", unit=tree.a1, officers=officers, today=date(2025, 9, 1))
    p1, p2 = PersonFactory(unit=tree.a), PersonFactory(unit=tree.a1)
    attend(p1, 8, unit=tree.a, on=date(2025, 4, 10))
    attend(p2, 4, unit=tree.a, on=date(2025, 5, 10))
    return SimpleNamespace(docs=docs, other_doc=other_doc, decision=decision, cases=[closed, open_case])


@pytest.fixture
def actions():
    from fazhi.audit.models import AuditEntry

    def _actions(prefix="annual_report."):
        return list(AuditEntry.objects.filter(action__startswith=prefix).order_by("seq")
                    .values_list("action", flat=True))

    return _actions


@pytest.fixture
def report(records, tree):
    from fazhi.annual_report import services

    return services.generate_report(tree.a, YEAR, by=tree.clerk_a, today=TODAY)


def fill(report, by=None):
    """Replace every placeholder (as staff would), keeping the figure references."""
    from fazhi.annual_report import services
    from fazhi.annual_report.rendering import TODO

    for s in report.sections.all():
        if "【待补充" in s.text:
            services.edit_section(s, by=by, text=TODO.sub("已按要求落实。", s.text))
