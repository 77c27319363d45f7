"""Changing a violation type of the 裁量基准 (ENF-24): service and edit form."""

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.enforcement import services
from fazhi.enforcement.models import ViolationType
from fazhi.enforcement.tests.factories import SCRIPT, make_case

NEW = dict(name="经营假种子", legal_basis="《种子法》第四十九条（2021修正）", penalty_basis="《种子法》第七十四条",
           is_active=True)


@pytest.fixture
def vt(enf):
    return services.create_violation_type(unit=enf.a, by=None, code="NY-01", name="销售假种子", field="农业",
                                          legal_basis="《种子法》第四十九条", penalty_basis="《种子法》第七十五条")


def client_for(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def edit_url(vt) -> str:
    return reverse("enforcement:benchmark_edit", args=[vt.pk])


def post_data(**kw) -> dict:
    data = {"name": NEW["name"], "field": "农业", "legal_basis": NEW["legal_basis"],
            "penalty_basis": NEW["penalty_basis"], "is_active": "on"}
    data.update(kw)
    return {k: v for k, v in data.items() if v is not None}


# ---------------------------------------------------------------- service

def test_it_updates_the_fields_and_audits_old_and_new(enf, vt):
    services.update_violation_type(vt, by=enf.head_a, **NEW)
    vt.refresh_from_db()
    assert (vt.name, vt.legal_basis, vt.penalty_basis, vt.code, vt.field) == (
        NEW["name"], NEW["legal_basis"], NEW["penalty_basis"], "NY-01", "农业")
    entry = AuditEntry.objects.get(action="enforcement.violation_type.updated")
    assert entry.data["code"] == "NY-01"
    assert entry.data["changed"]["name"] == {"from": "销售假种子", "to": "经营假种子"}
    assert set(entry.data["changed"]) == {"name", "legal_basis", "penalty_basis"}


def test_it_deactivates_a_type(enf, vt):
    services.update_violation_type(vt, by=enf.admin_a, name=vt.name, legal_basis=vt.legal_basis,
                                   penalty_basis=vt.penalty_basis, is_active=False)
    assert ViolationType.objects.get(pk=vt.pk).is_active is False


def test_nothing_changed_writes_no_audit_entry(enf, vt):
    services.update_violation_type(vt, by=enf.head_a, name=vt.name, legal_basis=vt.legal_basis,
                                   penalty_basis=vt.penalty_basis, is_active=True)
    assert not AuditEntry.objects.filter(action="enforcement.violation_type.updated").exists()


def test_another_units_head_is_refused(enf, vt):
    with pytest.raises(PermissionDenied):
        services.update_violation_type(vt, by=enf.clerk_b, **NEW)
    assert ViolationType.objects.get(pk=vt.pk).name == "销售假种子"


def test_an_officer_is_refused(enf, vt):
    with pytest.raises(PermissionDenied):
        services.update_violation_type(vt, by=enf.officer_a, **NEW)


def test_an_empty_basis_is_refused(enf, vt):
    with pytest.raises(ValidationError) as e:
        services.update_violation_type(vt, by=enf.head_a, **{**NEW, "legal_basis": "  "})
    assert e.value.fields == {"legal_basis": "请填写违法依据"}


def test_bases_are_fixed_once_a_party_was_notified_on_them(enf, vt):
    make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], violation_type=vt)
    with pytest.raises(ValidationError) as e:
        services.update_violation_type(vt, by=enf.head_a, **NEW)
    assert e.value.rule == "ENF-24" and set(e.value.fields) == {"legal_basis", "penalty_basis"}
    vt.refresh_from_db()
    assert vt.legal_basis == "《种子法》第四十九条" and vt.name == "销售假种子"


def test_name_and_active_may_still_change_once_used(enf, vt):
    make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], violation_type=vt)
    services.update_violation_type(vt, by=enf.head_a, name="经营假种子", legal_basis=vt.legal_basis,
                                   penalty_basis=vt.penalty_basis, is_active=False)
    vt.refresh_from_db()
    assert (vt.name, vt.is_active) == ("经营假种子", False)


def test_bases_may_change_while_cases_are_only_under_investigation(enf, vt):
    make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], violation_type=vt)
    services.update_violation_type(vt, by=enf.head_a, **NEW)
    assert ViolationType.objects.get(pk=vt.pk).legal_basis == NEW["legal_basis"]


# ------------------------------------------------------------------ screen

def test_the_head_sees_the_edit_form(enf, vt):
    response = client_for(enf.head_a).get(edit_url(vt))
    assert response.status_code == 200 and 'name="legal_basis"' in response.content.decode()


def test_an_officer_sees_the_type_without_a_form(enf, vt):
    response = client_for(enf.officer_a).get(edit_url(vt))
    assert response.status_code == 200 and 'name="legal_basis"' not in response.content.decode()


def test_the_head_saves_the_type_and_it_is_audited(enf, vt):
    response = client_for(enf.head_a).post(edit_url(vt), post_data(is_active=None))
    assert response.status_code == 302
    vt.refresh_from_db()
    assert (vt.name, vt.legal_basis, vt.is_active) == (NEW["name"], NEW["legal_basis"], False)
    assert AuditEntry.objects.filter(action="enforcement.violation_type.updated").count() == 1


def test_the_head_saves_the_type_and_a_range_together(enf, vt):
    response = client_for(enf.head_a).post(edit_url(vt), post_data(**{
        "s-general-fine_min": "1000", "s-general-fine_max": "5000"}))
    assert response.status_code == 302
    assert vt.benchmarks.get(severity="general").fine_max == 5000


def test_a_bad_range_saves_nothing_of_the_type(enf, vt):
    response = client_for(enf.head_a).post(edit_url(vt), post_data(**{
        "s-general-fine_min": "5000", "s-general-fine_max": "1000"}))
    assert response.status_code == 400
    assert ViolationType.objects.get(pk=vt.pk).name == "销售假种子"
    assert not AuditEntry.objects.filter(action="enforcement.violation_type.updated").exists()


def test_the_refusal_to_change_used_bases_is_shown(enf, vt):
    make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], violation_type=vt)
    response = client_for(enf.head_a).post(edit_url(vt), post_data())
    assert response.status_code == 400 and "ENF-24" in response.content.decode()


def test_an_officer_cannot_post(enf, vt):
    assert client_for(enf.officer_a).post(edit_url(vt), post_data()).status_code == 403
    assert ViolationType.objects.get(pk=vt.pk).name == "销售假种子"


def test_another_units_type_is_not_found(enf, vt):
    assert client_for(enf.clerk_b).get(edit_url(vt)).status_code == 404


def test_the_form_escapes_what_it_shows_back(enf, vt):
    response = client_for(enf.head_a).post(edit_url(vt), post_data(name=SCRIPT, legal_basis=""))
    assert response.status_code == 400 and "<script>" not in response.content.decode()
