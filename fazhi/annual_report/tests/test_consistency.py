"""The generated report agrees with itself (issue 13 §2).

* A sentence stating the counts behind a share the assessment measures takes
  them from the indicator's own numerator and denominator — never from a
  second query — so “持有效证件12人” can no longer stand beside “持证率100%
  (13/13)”.
* Part 二 (shortcomings) lists only what fell due in the report year: a
  deadline in the next year is next year's business.
"""

import re
from datetime import date
from types import SimpleNamespace

import pytest

from fazhi.annual_report import drafting, rendering
from fazhi.annual_report.facts import Facts
from fazhi.org.models import UnitKind

UNIT = SimpleNamespace(name="示范区农业农村局", kind=UnitKind.DEPARTMENT)


def _enf(**kw):
    base = {"list_url": "/e/", "officer_url": "/o/", "benchmark_url": "/b/", "transfer_url": "/t/",
            "cases_filed": 3, "cases_decided": 2, "fines": 500, "review_required": 2, "reviewed": 1,
            "hearings": 0, "discussed": 0, "cases_overdue": 0, "publications": 5, "published": 5,
            "published_on_time": 5, "transfers": 0, "officers": 13, "certified": 12, "violation_types": 0,
            "with_benchmark": 0, "late_publications": []}
    return {**base, **kw}


def _row(code, module, num, den, target=1.0):
    value = num / den if den else None
    return {"code": code, "name": code, "module": module, "numerator": num, "denominator": den,
            "value": value, "target": target, "met": None if value is None else value >= target,
            "url": f"/assessment/2025/1/{code}/"}


def _text(draft, key: str) -> str:
    figures = {f.key: f for f in draft.figures}
    section = next(s for s in draft.sections if s.key == key)
    return rendering.resolve(section.text, figures)


def _facts(**kw) -> Facts:
    return Facts(unit=UNIT, year=2025, today=date(2026, 12, 7), **kw)


def test_the_officers_sentence_states_the_counts_of_the_rate_beside_it():
    # The records' own query says 12 of 13; the indicator (a certificate
    # suspended only after 31 December still counts) says 13 of 13.
    facts = _facts(modules={"enforcement": _enf()},
                   indicators=[_row("ENF_CERTIFIED", "enforcement", 13, 13)])
    text = _text(drafting.build(facts), "p1_4")
    assert "在岗行政执法人员13人，持有效行政执法证件13人" in text
    assert "ENF_CERTIFIED100%（13/13），目标100%，达标" in text
    assert "12人" not in text


def test_every_count_beside_a_rate_equals_the_rates_numerator_and_denominator():
    facts = _facts(
        modules={"enforcement": _enf(review_required=4, reviewed=4, publications=9, published_on_time=9),
                 "training": {"list_url": "/tr/", "shortfall_url": "/sf/", "sessions": 1, "hours": 8,
                              "attendances": 3, "exam_scores": 0, "exam_passed": 0, "officers": 7,
                              "officers_met": 7, "required_hours": 60, "heads": []}},
        indicators=[_row("ENF_CERTIFIED", "enforcement", 10, 11), _row("ENF_MAJOR_REVIEWED", "enforcement", 2, 3),
                    _row("ENF_PUBLISHED_ON_TIME", "enforcement", 5, 6),
                    _row("TRAIN_OFFICER_HOURS", "training", 1, 4)])
    draft = drafting.build(facts)
    enf, sup, tr = _text(draft, "p1_4"), _text(draft, "p1_5"), _text(draft, "p1_7")
    assert "须法制审核的3件，经法制审核2件" in enf and "（2/3）" in enf
    assert "在岗行政执法人员11人，持有效行政执法证件10人" in enf and "90.9%（10/11）" in enf
    assert "应公示行政执法决定6件，按期公示5件" in sup
    assert "行政执法人员4人，年度培训达到60学时的1人" in tr and "25%（1/4）" in tr
    # and no rate in the text disagrees with its own counts
    for body in (enf, sup, tr):
        for pct, num, den in re.findall(r"([\d.]+)%（(\d+)/(\d+)）", body):
            assert abs(float(pct) - int(num) * 100 / int(den)) < 0.05, (pct, num, den)


def test_legality_review_counts_follow_the_indicator_not_the_published_list():
    nd = {"list_url": "/nd/", "published": [{"title": t, "url": "", "reviewed": True, "filed_on_time": True}
                                            for t in ("甲办法", "乙办法", "丙办法", "丁办法")],
          "published_count": 4, "reviewed_count": 3, "filing_due_count": 2, "filed_on_time_count": 2,
          "discussions": 0, "repealed": 0, "expired": 0, "overdue": []}
    facts = _facts(modules={"normative_docs": nd},
                   indicators=[_row("NDOC_LEGAL_REVIEWED", "normative_docs", 3, 3)])
    text = _text(drafting.build(facts), "p1_2")
    assert "制定并公布行政规范性文件4件" in text
    assert "纳入合法性审查统计的3件中公布前经合法性审核3件" in text and "100%（3/3）" in text


def test_without_the_indicator_the_records_counts_are_used():
    text = _text(drafting.build(_facts(modules={"enforcement": _enf()}, indicators=[])), "p1_4")
    assert "在岗行政执法人员13人，持有效行政执法证件12人，持证率92.3%" in text


def _item(title, due):
    return SimpleNamespace(title=title, due_on=due, deadline=due, url=f"/ledger/{title}/")


def test_shortcomings_list_only_what_fell_due_in_the_report_year():
    nd = {"list_url": "/nd/", "published": [], "published_count": 0, "reviewed_count": 0, "filing_due_count": 0,
          "filed_on_time_count": 0, "discussions": 0, "repealed": 0, "expired": 0,
          "overdue": [{"title": "去年办法", "url": "/nd/1/", "what": "逾期未报备", "due": date(2025, 12, 20)},
                      {"title": "今年办法", "url": "/nd/2/", "what": "逾期未报备", "due": date(2026, 5, 1)}]}
    md = {"list_url": "/md/", "catalogue_url": "/cat/", "decided": [], "decided_count": 0,
          "procedure_complete_count": 0, "legal_ok_count": 0, "catalogue_entries": 0, "catalogue_completed": 0,
          "catalogues": 0, "discussions": 0, "hosts": [],
          "late_entries": [{"title": "去年决策", "due": date(2025, 10, 1), "url": ""},
                           {"title": "明年决策", "due": date(2026, 6, 30), "url": ""}],
          "next_year_entries": []}
    enf = _enf(late_publications=[{"title": "去年公示", "due": date(2025, 12, 1), "url": ""},
                                  {"title": "今年公示", "due": date(2026, 2, 1), "url": ""}])
    facts = _facts(modules={"normative_docs": nd, "major_decisions": md, "enforcement": enf},
                   ledger_overdue=[_item("去年措施", date(2025, 11, 30)), _item("今年措施", date(2026, 8, 31))],
                   indicators=[])
    draft = drafting.build(facts)
    text = _text(draft, "p2")
    for last_year in ("去年措施", "去年办法", "去年决策"):
        assert last_year in text
    for later in ("今年措施", "今年办法", "明年决策"):
        assert later not in text, f"{later}的期限在报告年度之后，不应列为本年度的不足"
    assert "有1项措施逾期未完成" in text and "行政执法决定逾期未公示1件" in text
    assert all(i["title"] != "今年措施" for f in draft.figures for i in f.items)


@pytest.mark.django_db
def test_cases_whose_limit_ran_out_after_the_year_are_not_that_years_overdue(tree):
    from fazhi.enforcement import report_facts
    from fazhi.enforcement.tests.factories import make_case, make_officer

    officers = [make_officer(tree.a1, name="执法员一"), make_officer(tree.a1, name="执法员二")]
    case = make_case("investigating", unit=tree.a1, officers=officers, today=date(2025, 11, 20))
    assert case.decision_due.year == 2026  # 90 days from 立案 run into the next year
    late = date(2026, 12, 7)
    assert report_facts.year_facts(tree.a, 2025, today=late)["cases_overdue"] == 0
    assert report_facts.year_facts(tree.a, 2026, today=late)["cases_overdue"] == 1
