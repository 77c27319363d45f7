"""/api/v1/org/: scoped like the screens, errors in the project's shape."""

import pytest
from rest_framework.test import APIClient

from fazhi.audit.models import AuditEntry
from fazhi.org.models import Person, Unit
from fazhi.org.tests.factories import PersonFactory

BASE = "/api/v1/org"


def api(user=None) -> APIClient:
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def assert_error(response, status: int, code: str):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "rule", "fields"}
    assert body["error"]["code"] == code
    return body["error"]


def test_units_list_is_scoped(tree, admin, clerk_a):
    assert api(admin).get(f"{BASE}/units/").json()["count"] == 4
    data = api(clerk_a).get(f"{BASE}/units/").json()
    assert [u["name"] for u in data["results"]] == [tree.a.name]


def test_unit_detail(tree, admin):
    data = api(admin).get(f"{BASE}/units/{tree.a1.pk}/").json()
    assert data["parent"] == tree.a.pk and data["kind_display"] == "内设机构/站所" and data["depth"] == 2


def test_unit_outside_scope_is_404(tree, clerk_a):
    error = assert_error(api(clerk_a).get(f"{BASE}/units/{tree.b.pk}/"), 404, "not_found")
    assert error["message"] == "记录不存在或无权查看"


def test_anonymous_is_refused(tree):
    response = api().get(f"{BASE}/units/")
    assert response.status_code in (401, 403) and set(response.json()["error"]) == {"code", "message", "rule", "fields"}


def test_people_list_and_detail(tree, admin, clerk_a):
    data = api(admin).get(f"{BASE}/people/").json()
    assert data["count"] == 2
    person = api(admin).get(f"{BASE}/people/{clerk_a.person.pk}/").json()
    assert person["username"] == clerk_a.username
    assert person["roles"] == [{"id": clerk_a.person.roles.get().pk, "role": "clerk", "role_display": "经办人",
                                "unit": tree.a.pk, "unit_name": tree.a.name, "include_subunits": False}]


def test_people_of_another_unit_are_404(tree, clerk_a, clerk_b):
    assert_error(api(clerk_a).get(f"{BASE}/people/{clerk_b.person.pk}/"), 404, "not_found")


def test_officer_may_not_list_people(tree):
    officer = PersonFactory(unit=tree.a1, roles=[("officer", tree.a1, False)]).user
    assert_error(api(officer).get(f"{BASE}/people/"), 403, "forbidden")


def test_people_list_query_count_is_bounded(tree, admin, django_assert_max_num_queries):
    for _ in range(20):
        PersonFactory(unit=tree.a, roles=[("clerk", tree.a, False), ("head", tree.a1, False)])
    with django_assert_max_num_queries(6):
        assert api(admin).get(f"{BASE}/people/").json()["count"] == 21


def test_create_unit(tree, unit_admin):
    response = api(unit_admin).post(f"{BASE}/units/", {"name": "政策法规科", "kind": "internal", "parent": tree.a.pk},
                                     format="json")
    assert response.status_code == 201
    assert Unit.objects.get(pk=response.json()["id"]).parent == tree.a
    assert AuditEntry.objects.filter(action="org.unit.created").count() == 1


def test_create_unit_bad_input_is_400_in_chinese(tree, admin):
    error = assert_error(api(admin).post(f"{BASE}/units/", {"name": "", "kind": "planet"}, format="json"),
                         400, "invalid")
    assert error["fields"]["name"] == ["此项不能为空"]
    assert "单位类型" in error["fields"]["kind"][0]


def test_create_unit_bad_credit_code_is_400(tree, admin):
    error = assert_error(api(admin).post(f"{BASE}/units/", {
        "name": "某局", "kind": "department", "parent": tree.gov.pk, "credit_code": "91350100M000100Y44",
    }, format="json"), 400, "invalid")
    assert error["fields"]["credit_code"] == ["统一社会信用代码校验位不正确，请核对"]
    assert not Unit.objects.filter(name="某局").exists()


def test_create_unit_under_an_invisible_parent_is_a_field_error(tree, unit_admin):
    error = assert_error(api(unit_admin).post(f"{BASE}/units/", {"name": "某科", "kind": "internal",
                                                                 "parent": tree.b.pk}, format="json"), 400, "invalid")
    assert error["fields"] == {"parent": ["所选单位不存在或不在您的管理范围内"]}


def test_create_unit_under_a_visible_parent_outside_scope_is_403(tree):
    # sees every unit as a reviewer, manages only a
    user = PersonFactory(unit=tree.a, roles=[("unit_admin", tree.a, True), ("reviewer", tree.gov, True)]).user
    assert_error(api(user).post(f"{BASE}/units/", {"name": "某科", "kind": "internal", "parent": tree.b.pk},
                                format="json"), 403, "forbidden")
    assert not Unit.objects.filter(name="某科").exists()


def test_clerk_may_not_create_units(tree, clerk_a):
    assert_error(api(clerk_a).post(f"{BASE}/units/", {"name": "某科", "kind": "internal", "parent": tree.a.pk},
                                   format="json"), 403, "forbidden")


def test_create_person_returns_a_set_password_link_once_and_no_password(tree, unit_admin):
    response = api(unit_admin).post(f"{BASE}/people/", {"username": "tanggang", "name": "唐刚", "unit": tree.a1.pk},
                                    format="json")
    assert response.status_code == 201
    data = response.json()
    assert "initial_password" not in data and "password" not in data
    assert "/accounts/set-password/" in data["set_password_url"] and data["set_password_expires_at"]
    person = Person.objects.get(pk=data["id"])
    assert not person.user.has_usable_password()
    assert "set_password_url" not in api(unit_admin).get(f"{BASE}/people/{person.pk}/").json()


def test_create_person_with_a_password_echoes_nothing_and_requires_a_change(tree, unit_admin):
    response = api(unit_admin).post(f"{BASE}/people/", {"username": "tanggang", "name": "唐刚", "unit": tree.a1.pk,
                                                        "password": "Hu-Po-Qiao-88"}, format="json")
    assert response.status_code == 201
    data = response.json()
    assert "Hu-Po-Qiao-88" not in response.content.decode() and "set_password_url" not in data
    assert data["must_change_password"] is True
    assert Person.objects.get(pk=data["id"]).user.fazhi_account.must_change_password


def test_create_person_in_an_invisible_unit_is_a_field_error(tree, unit_admin):
    error = assert_error(api(unit_admin).post(f"{BASE}/people/", {"username": "x1", "name": "某人",
                                                                  "unit": 99999}, format="json"), 400, "invalid")
    assert "unit" in error["fields"]


def test_create_person_in_a_visible_unit_outside_scope_is_403(tree):
    reviewer_like = PersonFactory(unit=tree.a, roles=[("unit_admin", tree.a, False), ("reviewer", tree.gov, True)])
    response = api(reviewer_like.user).post(f"{BASE}/people/", {"username": "x2", "name": "某人", "unit": tree.b.pk},
                                            format="json")
    assert_error(response, 403, "forbidden")
    assert not Person.objects.filter(user__username="x2").exists()


@pytest.mark.parametrize("payload, field", [
    ({"name": "某人", "unit": 1}, "username"),
    ({"username": "ok", "unit": "abc"}, "name"),
])
def test_create_person_bad_input(tree, admin, payload, field):
    error = assert_error(api(admin).post(f"{BASE}/people/", payload, format="json"), 400, "invalid")
    assert field in error["fields"]
