"""The 机关代字 screen (ENF-10): unit admins set their unit's codes; others are refused."""

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.enforcement.models import EnforcementCode
from fazhi.enforcement.tests.factories import SCRIPT
from fazhi.org.tests.factories import PersonFactory, UnitFactory


def client_for(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


@pytest.fixture
def clerk_a(enf):
    return PersonFactory(unit=enf.a, name="经办人丙", roles=[("clerk", enf.a, False)]).user


@pytest.fixture
def sub(enf):
    """A unit below a, with no code; reached by an admin of a whose role covers sub-units."""
    return UnitFactory(name="示范区农业综合执法大队", short_name="执法大队", parent=enf.a)


@pytest.fixture
def tree_admin(enf, sub):
    return PersonFactory(unit=enf.a, name="管理员乙", roles=[("unit_admin", enf.a, True)]).user


def edit_url(unit) -> str:
    return reverse("enforcement:code_edit", args=[unit.pk])


def test_the_list_shows_the_units_codes_to_the_unit_admin(enf):
    response = client_for(enf.admin_a).get(reverse("enforcement:code_list"))
    text = response.content.decode()
    assert response.status_code == 200
    assert enf.a.name in text and enf.a.enforcement_code.case_prefix in text
    assert enf.b.name not in text  # another unit's admin sets that one


def test_the_list_marks_a_unit_without_a_code(enf, sub, tree_admin):
    text = client_for(tree_admin).get(reverse("enforcement:code_list")).content.decode()
    assert sub.name in text and "未设置" in text


def test_a_clerk_is_refused_the_list(enf, clerk_a):
    assert client_for(clerk_a).get(reverse("enforcement:code_list")).status_code == 403


def test_a_clerk_is_refused_the_form(enf, clerk_a):
    c = client_for(clerk_a)
    assert c.get(edit_url(enf.a)).status_code == 403
    response = c.post(edit_url(enf.a), {"case_prefix": "改立", "decision_prefix": "改决"})
    assert response.status_code == 403
    assert EnforcementCode.objects.get(unit=enf.a).case_prefix != "改立"


def test_another_units_form_is_not_found(enf):
    assert client_for(enf.admin_a).get(edit_url(enf.b)).status_code == 404


def test_the_admin_saves_the_code_and_it_is_audited(enf):
    response = client_for(enf.admin_a).post(edit_url(enf.a), {"case_prefix": "示范农罚立",
                                                              "decision_prefix": "示范农罚决"})
    assert response.status_code == 302 and response["Location"] == reverse("enforcement:code_list")
    code = EnforcementCode.objects.get(unit=enf.a)
    assert (code.case_prefix, code.decision_prefix) == ("示范农罚立", "示范农罚决")
    entry = AuditEntry.objects.filter(action="enforcement.code.set").latest("seq")
    assert entry.data == {"case_prefix": "示范农罚立", "decision_prefix": "示范农罚决"}


def test_the_admin_sets_a_code_for_a_unit_that_has_none(enf, sub, tree_admin):
    response = client_for(tree_admin).post(edit_url(sub), {"case_prefix": "农队立", "decision_prefix": "农队决"})
    assert response.status_code == 302 and EnforcementCode.objects.get(unit=sub).case_prefix == "农队立"


def test_a_code_used_by_another_unit_is_refused_on_the_form(enf):
    taken = enf.b.enforcement_code.case_prefix
    response = client_for(enf.admin_a).post(edit_url(enf.a), {"case_prefix": taken, "decision_prefix": "新决"})
    assert response.status_code == 400 and "已由" in response.content.decode()
    assert EnforcementCode.objects.get(unit=enf.a).case_prefix != taken


def test_the_form_escapes_what_it_shows_back(enf):
    response = client_for(enf.admin_a).post(edit_url(enf.a), {"case_prefix": SCRIPT, "decision_prefix": SCRIPT})
    assert response.status_code == 400 and "<script>" not in response.content.decode()


def test_the_list_refuses_post(enf):
    assert client_for(enf.admin_a).post(reverse("enforcement:code_list")).status_code == 405


def test_the_menu_and_the_case_list_link_to_it_for_the_admin_only(enf):
    url = reverse("enforcement:code_list")
    assert url in client_for(enf.admin_a).get(reverse("enforcement:case_list")).content.decode()
    assert url not in client_for(enf.officer_a).get(reverse("enforcement:case_list")).content.decode()
