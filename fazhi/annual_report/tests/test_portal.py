"""The portal: only published reports, escaped, readable and downloadable."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.annual_report import rules, services
from fazhi.annual_report.tests.conftest import TODAY, fill


@pytest.fixture
def published(report, tree):
    fill(report)
    services.review(report, by=None, today=TODAY)
    services.submit(report, by=None, submitted_on=TODAY, today=TODAY,
                    recipients=[{"kind": k, "name": n} for k, _, n in rules.required_recipients(tree.a)])
    return services.publish(report, by=None, published_on=TODAY, today=TODAY)


def test_the_portal_lists_only_published_reports(published, records, tree):
    draft = services.generate_report(tree.b, 2025, by=None, today=TODAY)
    text = Client().get("/portal/reports/").content.decode()
    assert reverse("annual_report_portal:detail", args=[published.pk]) in text
    assert draft.title not in text


def test_a_draft_is_not_public(report):
    assert Client().get(reverse("annual_report_portal:detail", args=[report.pk])).status_code == 404
    assert Client().get(reverse("annual_report_portal:docx", args=[report.pk])).status_code == 404


def test_the_published_report_is_readable_and_escaped(published):
    text = Client().get(reverse("annual_report_portal:detail", args=[published.pk])).content.decode()
    assert "法治政府建设情况报告" in text and "制定并公布行政规范性文件2件" in text
    assert "&lt;script&gt;" in text and "<script>alert" not in text
    assert 'href="/normdocs/' not in text  # no links to staff pages (the portal menu links /portal/normdocs/)


def test_the_published_report_downloads_as_docx(published):
    resp = Client().get(reverse("annual_report_portal:docx", args=[published.pk]))
    assert resp.status_code == 200 and resp.content[:2] == b"PK"


def test_the_public_copy_does_not_change_with_later_records(published, tree):
    from fazhi.normative_docs.tests.factories import make_doc

    make_doc("filed", unit=tree.a, title="后来的办法", today=date(2025, 3, 3))
    text = Client().get(reverse("annual_report_portal:detail", args=[published.pk])).content.decode()
    assert "制定并公布行政规范性文件2件" in text


def test_the_portal_home_has_the_section(published):
    text = Client().get("/portal/").content.decode()
    assert "法治政府建设年度报告" in text and published.title in text


def test_portal_filters_by_unit_and_year(published, tree):
    assert published.title in Client().get(f"/portal/reports/?unit={tree.a.pk}&year=2025").content.decode()
    assert published.title not in Client().get(f"/portal/reports/?unit={tree.b.pk}").content.decode()
    assert Client().get("/portal/reports/?unit=abc").status_code == 200
