"""Editing a matter of a draft catalogue from its page (MDEC-02): the
government office edits; after approval only an adjustment may change it;
another unit sees 404, a sponsor without the catalogue permission 403."""

from datetime import date

import pytest
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.major_decisions import services
from fazhi.major_decisions.tests.test_views import ESCAPED, body, client_for


@pytest.fixture
def draft(md):
    cat = services.create_catalogue(md.gov, by=None, year=2027)
    entry = services.add_entry(cat, by=None, title="公交线网优化", category="public_policy", sponsor_unit=md.a)
    return cat, entry


def edit_url(cat, entry) -> str:
    return reverse("major_decisions:entry_edit", args=[cat.pk, entry.pk])


FORM = {"title": "公交线网优化调整<script>", "category": "project", "basis": "《城市公共交通条例》",
        "needs_participation": "", "no_participation_reason": "依法不予公开", "needs_expert_review": "on",
        "expert_field": "交通", "planned_completion": "2027-10-31"}


def test_the_catalogue_page_links_each_draft_entry_to_its_edit_form(md, draft):
    cat, entry = draft
    c = client_for(md.u.clerk_gov)
    assert edit_url(cat, entry) in body(c.get(reverse("major_decisions:catalogue_detail", args=[cat.pk])))
    response = c.get(edit_url(cat, entry))
    assert response.status_code == 200 and 'value="公交线网优化"' in body(response)


def test_the_office_edits_a_draft_entry_and_it_is_audited(md, draft):
    cat, entry = draft
    response = client_for(md.u.clerk_gov).post(edit_url(cat, entry), {**FORM, "sponsor_unit": md.b.pk})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.category, entry.sponsor_unit, entry.needs_participation, entry.expert_field,
            entry.planned_completion) == ("公交线网优化调整<script>", "project", md.b, False, "交通",
                                          date(2027, 10, 31))
    assert AuditEntry.objects.get(action="major_decisions.entry.updated").data["expert_field"] == "交通"
    page = body(client_for(md.u.clerk_gov).get(reverse("major_decisions:catalogue_detail", args=[cat.pk])))
    assert ESCAPED in page and "公交线网优化调整<script>" not in page


def test_a_refused_edit_shows_the_rule_and_changes_nothing(md, draft):
    cat, entry = draft
    data = {**FORM, "sponsor_unit": md.a.pk, "no_participation_reason": ""}
    response = client_for(md.u.clerk_gov).post(edit_url(cat, entry), data)
    assert response.status_code == 400 and "MDEC-04" in body(response)
    entry.refresh_from_db()
    assert entry.title == "公交线网优化" and entry.needs_participation


def test_an_approved_catalogues_entry_is_not_edited_here(md):
    c = client_for(md.u.clerk_gov)
    response = c.get(edit_url(md.cat, md.entry), follow=True)
    assert "目录调整" in body(response) and "MDEC-02" in body(response)
    response = c.post(edit_url(md.cat, md.entry), {**FORM, "sponsor_unit": md.a.pk})
    md.entry.refresh_from_db()
    assert response.status_code == 302 and md.entry.title == "老旧小区改造三年行动计划"


def test_a_sponsor_clerk_may_see_but_not_edit(md, draft):
    cat, entry = draft
    assert client_for(md.u.clerk_a).get(edit_url(cat, entry)).status_code == 403


def test_another_units_clerk_gets_404(md, draft):
    cat, entry = draft
    assert client_for(md.u.clerk_b).post(edit_url(cat, entry), {**FORM, "sponsor_unit": md.a.pk}).status_code == 404


def test_the_edit_form_refuses_other_methods(md, draft):
    cat, entry = draft
    assert client_for(md.u.clerk_gov).put(edit_url(cat, entry)).status_code == 405


def test_renaming_an_entry_keeps_its_planned_completion_date(md, draft):
    """The form submitted as a browser sends it (issue 13 §2 "Dates")."""
    from fazhi.core.testing import browser_form

    cat, entry = draft
    entry.planned_completion = date(2027, 9, 30)
    entry.save(update_fields=["planned_completion"])
    c = client_for(md.u.clerk_gov)
    data = browser_form(body(c.get(edit_url(cat, entry))), "planned_completion")
    assert data["planned_completion"] == ["2027-09-30"]
    data["title"] = ["公交线网优化（调整）"]
    assert c.post(edit_url(cat, entry), data).status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.planned_completion) == ("公交线网优化（调整）", date(2027, 9, 30))
