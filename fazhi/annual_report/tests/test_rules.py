"""Deadlines: fixed calendar dates (RPT-01/04) and a working-day warning window."""

from datetime import date

from fazhi.annual_report import rules, selectors
from fazhi.annual_report.tests.conftest import TODAY


def test_a_government_submits_by_the_end_of_the_first_quarter(tree):
    assert rules.submit_due(tree.gov, 2025) == date(2026, 3, 31)


def test_departments_default_to_the_quarter_and_may_be_set_to_1_march(tree, settings):
    assert rules.submit_due(tree.a, 2025) == date(2026, 3, 31)
    settings.FAZHI_ANNUAL_REPORT = {"DEPARTMENT_SUBMIT_BY": (3, 1)}
    assert rules.submit_due(tree.a, 2025) == date(2026, 3, 1)
    assert rules.submit_due(tree.gov, 2025) == date(2026, 3, 31)


def test_everyone_publishes_by_1_april(tree):
    assert rules.publish_due(tree.a, 2025) == rules.publish_due(tree.gov, 2025) == date(2026, 4, 1)


def test_a_fixed_date_is_not_rolled_over(tree, settings):
    # 2026-03-01 is a Sunday: the instrument fixes the date, it stays.
    settings.FAZHI_ANNUAL_REPORT = {"DEPARTMENT_SUBMIT_BY": (3, 1)}
    assert rules.submit_due(tree.a, 2025) == date(2026, 3, 1)


def test_due_soon_counts_working_days(db):
    due = date(2026, 4, 1)
    assert rules.kind_of(due, date(2026, 3, 18)) == "due_soon"  # 10 working days left
    assert rules.kind_of(due, date(2026, 3, 17)) == "todo"  # 11
    assert rules.kind_of(due, date(2026, 4, 2)) == "overdue"


def test_due_soon_skips_the_spring_festival(db):
    # 2026-02-15…23 off, 2026-02-14 and 02-28 are make-up working Saturdays (CAL-06).
    due = date(2026, 3, 2)
    assert rules.kind_of(due, date(2026, 2, 13)) == "due_soon"  # 14, 24–27, 28(调休), 3/2 = 6 working days


def test_dashboard_lists_a_missing_report_and_an_overdue_one(report, tree):
    items = selectors.dashboard_items(tree.clerk_a, date(2026, 4, 2))
    titles = [(i.kind, i.title) for i in items]
    assert ("overdue", "区农业农村局2025年度法治政府建设情况报告待报送（起草）") in titles
    assert ("overdue", "区农业农村局2025年度法治政府建设情况报告待公开") in titles
    assert all("区市场监管局" not in t for _, t in titles)


def test_dashboard_reports_a_unit_without_a_report(tree):
    items = selectors.dashboard_items(tree.clerk_b, TODAY)
    assert [i.title for i in items] == ["区市场监管局2025年度法治政府建设情况报告尚未起草"]
    assert items[0].due == date(2026, 3, 31)


def test_dashboard_query_count_is_bounded(report, tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        selectors.dashboard_items(tree.assessor, TODAY)
    with django_assert_max_num_queries(6):
        selectors.dashboard_items(tree.clerk_gov, TODAY)


def test_a_completed_draft_waits_in_the_heads_dashboard_for_review(report, tree):
    from fazhi.annual_report import services
    from fazhi.annual_report.tests.conftest import fill

    title = "区农业农村局2025年度法治政府建设情况报告待审核"
    assert title not in [i.title for i in selectors.dashboard_items(tree.head_a, TODAY)]  # placeholders left
    fill(report, by=tree.clerk_a)
    items = {i.title: i for i in selectors.dashboard_items(tree.head_a, TODAY)}
    assert title in items and items[title].url == f"/reports/{report.pk}/"
    assert title not in [i.title for i in selectors.dashboard_items(tree.clerk_a, TODAY)]  # not a reviewer
    assert title not in [i.title for i in selectors.dashboard_items(tree.clerk_b, TODAY)]  # another unit
    services.review(report, by=tree.head_a, today=TODAY)
    assert title not in [i.title for i in selectors.dashboard_items(tree.head_a, TODAY)]


def test_the_heads_dashboard_costs_a_few_queries(report, tree, django_assert_max_num_queries):
    from fazhi.annual_report.tests.conftest import fill

    fill(report, by=tree.clerk_a)
    with django_assert_max_num_queries(9):
        assert selectors.dashboard_items(tree.head_a, TODAY)
