"""Screens: success for those allowed, 403 for a visible record they may
not change, 404 for a record outside their scope, sign-in required, CSRF
enforced, Excel export, bounded query counts."""

from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from fazhi.audit.models import AuditEntry
from fazhi.org.models import Person, RoleAssignment, Unit, UnitKind
from fazhi.org.tests.factories import PersonFactory, UnitFactory, UserFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def client_for(user, **kw) -> Client:
    c = Client(**kw)
    # The first backend (axes) cannot load users; name the model backend.
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


# ---------------------------------------------------------------- sign-in

@pytest.mark.parametrize("name", ["org:unit_list", "org:person_list", "org:unit_create", "org:person_create"])
def test_anonymous_is_sent_to_sign_in(tree, name):
    response = Client().get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ------------------------------------------------------------------ units

def test_admin_sees_the_unit_tree(tree, admin):
    response = client_for(admin).get(reverse("org:unit_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "测试区农业农村局执法大队" in body and "tree-indent" in body
    assert [r.unit for r in response.context["rows"]] == [tree.gov, tree.a, tree.a1, tree.b]
    assert [r.level for r in response.context["rows"]] == [0, 1, 2, 1]


def test_unit_list_filters(tree, admin):
    response = client_for(admin).get(reverse("org:unit_list"), {"kind": UnitKind.INTERNAL})
    assert [r.unit for r in response.context["rows"]] == [tree.a1]
    response = client_for(admin).get(reverse("org:unit_list"), {"name": "市场"})
    assert [r.unit for r in response.context["rows"]] == [tree.b]


def test_clerk_sees_only_their_unit_in_the_tree(tree, clerk_a):
    response = client_for(clerk_a).get(reverse("org:unit_list"))
    assert [r.unit for r in response.context["rows"]] == [tree.a]
    assert response.context["rows"][0].level == 0


def test_unit_list_exports_xlsx(tree, admin):
    response = client_for(admin).get(reverse("org:unit_list"), {"export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    ws = load_workbook(BytesIO(response.content)).active
    assert ws.cell(1, 1).value == "单位名称" and ws.max_row == 5
    assert ws.cell(4, 4).value == "测试区农业农村局"  # parent of 执法大队


def test_unit_list_query_count_is_bounded(tree, admin, django_assert_max_num_queries):
    for i in range(20):
        u = UnitFactory(name=f"站所{i}", parent=tree.a, kind=UnitKind.INTERNAL)
        PersonFactory(unit=u)
    c = client_for(admin)
    # session, user, person, grants, tree — independent of the number of rows
    with django_assert_max_num_queries(10):
        assert c.get(reverse("org:unit_list")).status_code == 200


def test_unit_detail(tree, admin, clerk_a):
    response = client_for(admin).get(reverse("org:unit_detail", args=[tree.a.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"/audit/trail/org.unit/{tree.a.pk}/" in body and "经办人甲" in body


def test_unit_detail_outside_scope_is_404(tree, clerk_a):
    assert client_for(clerk_a).get(reverse("org:unit_detail", args=[tree.b.pk])).status_code == 404
    assert client_for(clerk_a).get(reverse("org:unit_detail", args=[99999])).status_code == 404


def test_admin_creates_a_unit_through_the_form(tree, admin):
    response = client_for(admin).post(reverse("org:unit_create"), {
        "name": "测试区生态环境局", "short_name": "生态环境局", "kind": "department", "parent": tree.gov.pk,
        "credit_code": "", "sort_order": 50,
    })
    unit = Unit.objects.get(name="测试区生态环境局")
    assert response.status_code == 302 and response["Location"] == reverse("org:unit_detail", args=[unit.pk])
    assert AuditEntry.objects.filter(action="org.unit.created", object_id=str(unit.pk)).exists()


def test_unit_form_shows_the_service_error_in_chinese(tree, admin):
    response = client_for(admin).post(reverse("org:unit_create"), {
        "name": "某局", "kind": "department", "parent": tree.gov.pk, "credit_code": "91350100M000100Y44",
        "sort_order": 1,
    })
    assert response.status_code == 200
    assert "校验位不正确" in response.content.decode()
    assert not Unit.objects.filter(name="某局").exists()


def test_clerk_cannot_open_unit_create(tree, clerk_a):
    assert client_for(clerk_a).get(reverse("org:unit_create")).status_code == 403


def test_clerk_cannot_edit_their_own_unit(tree, clerk_a):
    assert client_for(clerk_a).get(reverse("org:unit_edit", args=[tree.a.pk])).status_code == 403


def test_unit_edit_outside_scope_is_404(tree, unit_admin):
    assert client_for(unit_admin).get(reverse("org:unit_edit", args=[tree.b.pk])).status_code == 404


def test_unit_admin_edits_a_unit_in_scope(tree, unit_admin):
    c = client_for(unit_admin)
    assert c.get(reverse("org:unit_edit", args=[tree.a1.pk])).status_code == 200
    response = c.post(reverse("org:unit_edit", args=[tree.a1.pk]), {
        "name": tree.a1.name, "short_name": "农业执法大队", "kind": "internal", "parent": tree.a.pk,
        "credit_code": "", "sort_order": 10,
    })
    assert response.status_code == 302
    assert Unit.objects.get(pk=tree.a1.pk).short_name == "农业执法大队"


def test_unit_edit_refuses_a_cycle_with_a_form_error(tree, admin):
    response = client_for(admin).post(reverse("org:unit_edit", args=[tree.a.pk]), {
        "name": tree.a.name, "short_name": "x", "kind": "department", "parent": tree.a1.pk, "sort_order": 1,
    })
    assert response.status_code == 200 and "不能把单位移到它自己或它的下级单位之下" in response.content.decode()


def test_deactivate_unit_with_people_shows_the_reason(tree, admin, clerk_a):
    c = client_for(admin)
    response = c.post(reverse("org:unit_deactivate", args=[tree.a.pk]), follow=True)
    assert "在职人员" in response.content.decode()
    assert Unit.objects.get(pk=tree.a.pk).is_active


# ----------------------------------------------------------------- people

def test_admin_lists_people(tree, admin, clerk_a, clerk_b):
    response = client_for(admin).get(reverse("org:person_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "经办人甲" in body and "经办人乙" in body and "经办人（农业农村局）" in body


def test_person_list_filters(tree, admin, clerk_a, clerk_b):
    c = client_for(admin)
    names = lambda r: {p.name for p, _ in r.context["cells"]}  # noqa: E731
    assert names(c.get(reverse("org:person_list"), {"unit": tree.b.pk})) == {"经办人乙"}
    assert names(c.get(reverse("org:person_list"), {"role": "admin"})) == {"管理员"}
    assert names(c.get(reverse("org:person_list"), {"name": "甲"})) == {"经办人甲"}
    assert names(c.get(reverse("org:person_list"), {"unit": tree.gov.pk, "active": "0"})) == set()


def test_person_list_sorts_by_a_declared_column_only(tree, admin, clerk_a, clerk_b):
    c = client_for(admin)
    response = c.get(reverse("org:person_list"), {"sort": "-name"})
    names = [p.name for p, _ in response.context["cells"]]
    assert names == sorted(names, reverse=True)
    assert c.get(reverse("org:person_list"), {"sort": "user__password"}).status_code == 200


def test_clerk_lists_only_their_unit(tree, clerk_a, clerk_b):
    response = client_for(clerk_a).get(reverse("org:person_list"))
    assert {p.name for p, _ in response.context["cells"]} == {"经办人甲"}


def test_officer_cannot_list_people(tree):
    officer = PersonFactory(unit=tree.a1, roles=[("officer", tree.a1, False)]).user
    assert client_for(officer).get(reverse("org:person_list")).status_code == 403


def test_person_list_exports_xlsx(tree, admin, clerk_a):
    response = client_for(admin).get(reverse("org:person_list"), {"export": "xlsx", "page": 2})
    assert response["Content-Type"] == XLSX
    ws = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in ws[1]] == ["姓名", "登录名", "所在单位", "职务", "角色", "状态"]
    assert ws.max_row == 3


def test_person_list_query_count_is_bounded(tree, admin, django_assert_max_num_queries):
    for i in range(20):
        unit = UnitFactory(name=f"科室{i}", parent=tree.a)
        PersonFactory(unit=unit, roles=[("clerk", unit, False), ("head", tree.a, False)])
    c = client_for(admin)
    # Independent of the number of rows: one for the page, one for all their roles.
    with django_assert_max_num_queries(12):
        response = c.get(reverse("org:person_list"))
    assert response.context["total"] == 21


def test_person_detail(tree, admin, clerk_a):
    response = client_for(admin).get(reverse("org:person_detail", args=[clerk_a.person.pk]))
    assert response.status_code == 200
    assert f"/audit/trail/org.person/{clerk_a.person.pk}/" in response.content.decode()


def test_clerk_cannot_see_another_units_person(tree, clerk_a, clerk_b):
    c = client_for(clerk_a)
    pk = clerk_b.person.pk
    assert c.get(reverse("org:person_detail", args=[pk])).status_code == 404
    assert c.get(reverse("org:person_edit", args=[pk])).status_code == 404
    assert c.post(reverse("org:person_deactivate", args=[pk])).status_code == 404
    assert c.post(reverse("org:person_reset_password", args=[pk])).status_code == 404
    assert Person.objects.get(pk=pk).is_active


def test_clerk_cannot_change_a_colleague(tree, clerk_a):
    colleague = PersonFactory(unit=tree.a, name="同事")
    c = client_for(clerk_a)
    assert c.get(reverse("org:person_detail", args=[colleague.pk])).status_code == 200
    assert c.get(reverse("org:person_edit", args=[colleague.pk])).status_code == 403
    assert c.post(reverse("org:person_deactivate", args=[colleague.pk])).status_code == 403
    assert c.post(reverse("org:person_grant_role", args=[colleague.pk]),
                  {"role": "clerk", "unit": tree.a.pk}).status_code == 403
    assert Person.objects.get(pk=colleague.pk).is_active


def test_admin_creates_a_person_and_sees_a_set_password_link_once(tree, admin):
    response = client_for(admin).post(reverse("org:person_create"), {
        "username": "hejianjun", "name": "何建军", "unit": tree.a1.pk, "post": "大队长", "phone": "",
        "password": "",
    })
    assert response.status_code == 200
    person = Person.objects.get(user__username="hejianjun")
    link = response.context["link_url"]
    assert "/accounts/set-password/" in link and link in response.content.decode()
    assert not person.user.has_usable_password()
    # the detail page afterwards does not show it
    again = client_for(admin).get(reverse("org:person_detail", args=[person.pk]))
    assert link not in again.content.decode()


def test_person_create_shows_errors_in_chinese(tree, admin, clerk_a):
    response = client_for(admin).post(reverse("org:person_create"), {
        "username": clerk_a.username, "name": "重名", "unit": tree.a.pk,
    })
    assert response.status_code == 200 and "已被使用" in response.content.decode()


def test_unit_admin_cannot_create_people_in_another_unit(tree, unit_admin):
    response = client_for(unit_admin).post(reverse("org:person_create"), {
        "username": "x1", "name": "某人", "unit": tree.b.pk,
    })
    # tree.b is not offered to them: a form error, nothing created
    assert response.status_code == 200 and not Person.objects.filter(user__username="x1").exists()


def test_person_edit(tree, unit_admin, clerk_a):
    response = client_for(unit_admin).post(reverse("org:person_edit", args=[clerk_a.person.pk]),
                                           {"name": "经办人甲", "post": "副科长", "phone": ""})
    assert response.status_code == 302
    assert Person.objects.get(pk=clerk_a.person.pk).post == "副科长"


def test_grant_and_revoke_through_the_screen(tree, unit_admin, clerk_a):
    c = client_for(unit_admin)
    pk = clerk_a.person.pk
    response = c.post(reverse("org:person_grant_role", args=[pk]), {"role": "head", "unit": tree.a1.pk})
    assert response.status_code == 302
    ra = RoleAssignment.objects.get(person_id=pk, role="head")
    response = c.post(reverse("org:person_revoke_role", args=[pk, ra.pk]))
    assert response.status_code == 302 and not RoleAssignment.objects.filter(pk=ra.pk).exists()


def test_unit_admin_is_not_offered_system_admin(tree, unit_admin, clerk_a):
    c = client_for(unit_admin)
    response = c.get(reverse("org:person_detail", args=[clerk_a.person.pk]))
    assert "admin" not in dict(response.context["grant_form"].fields["role"].choices)
    response = c.post(reverse("org:person_grant_role", args=[clerk_a.person.pk]),
                      {"role": "admin", "unit": tree.a.pk}, follow=True)
    assert not RoleAssignment.objects.filter(person=clerk_a.person, role="admin").exists()


def test_move_through_the_screen(tree, admin, clerk_a):
    response = client_for(admin).post(reverse("org:person_move", args=[clerk_a.person.pk]),
                                      {"unit": tree.b.pk, "post": ""})
    assert response.status_code == 302
    assert Person.objects.get(pk=clerk_a.person.pk).unit == tree.b


def test_deactivate_through_the_screen(tree, unit_admin, clerk_a):
    response = client_for(unit_admin).post(reverse("org:person_deactivate", args=[clerk_a.person.pk]),
                                           {"reason": "调离"})
    assert response.status_code == 302
    assert not get_user_model().objects.get(pk=clerk_a.pk).is_active


def test_reset_password_shows_a_one_time_link_never_a_password(tree, unit_admin, clerk_a):
    response = client_for(unit_admin).post(reverse("org:person_reset_password", args=[clerk_a.person.pk]))
    assert response.status_code == 200
    url = response.context["link_url"]
    assert url.startswith("http://testserver/accounts/set-password/") and url in response.content.decode()
    assert not get_user_model().objects.get(pk=clerk_a.pk).has_usable_password()


def test_reset_password_with_a_typed_password_does_not_show_it(tree, unit_admin, clerk_a):
    response = client_for(unit_admin).post(reverse("org:person_reset_password", args=[clerk_a.person.pk]),
                                           {"password": "Nong-Ye-2026x"}, follow=True)
    assert "Nong-Ye-2026x" not in response.content.decode()
    assert "首次登录时须修改" in response.content.decode()
    assert get_user_model().objects.get(pk=clerk_a.pk).check_password("Nong-Ye-2026x")


def test_reset_password_of_a_reviewer_by_a_unit_admin_is_403(tree, unit_admin):
    target = PersonFactory(unit=tree.a, roles=[("reviewer", tree.gov, True)]).user
    response = client_for(unit_admin).post(reverse("org:person_reset_password", args=[target.person.pk]))
    assert response.status_code == 403
    assert "系统管理员" in response.content.decode()


@pytest.mark.parametrize("name", ["org:person_deactivate", "org:person_reset_password"])
def test_get_is_not_allowed_on_actions(tree, admin, clerk_a, name):
    assert client_for(admin).get(reverse(name, args=[clerk_a.person.pk])).status_code == 405


def test_csrf_is_enforced_on_post(tree, admin, clerk_a):
    c = client_for(admin, enforce_csrf_checks=True)
    response = c.post(reverse("org:person_deactivate", args=[clerk_a.person.pk]))
    assert response.status_code == 403
    assert Person.objects.get(pk=clerk_a.person.pk).is_active
    # with the token it goes through
    c.get(reverse("org:person_detail", args=[clerk_a.person.pk]))
    token = c.cookies["csrftoken"].value
    response = c.post(reverse("org:person_deactivate", args=[clerk_a.person.pk]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and not Person.objects.get(pk=clerk_a.person.pk).is_active


def test_superuser_without_person_can_use_the_screens(tree, clerk_a):
    su = UserFactory(username="root", is_superuser=True, is_staff=True)
    c = client_for(su)
    for url in [reverse("org:unit_list"), reverse("org:person_list"), reverse("org:unit_create"),
                reverse("org:person_create"), reverse("org:unit_detail", args=[tree.a.pk]),
                reverse("org:person_detail", args=[clerk_a.person.pk])]:
        assert c.get(url).status_code == 200, url
    response = c.post(reverse("org:unit_create"), {"name": "新局", "kind": "department", "parent": "",
                                                   "sort_order": 1})
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="org.unit.created").actor_name == "root"


def test_enforcement_subject_is_set_on_the_unit_form_by_the_administrator_only(tree, admin, unit_admin):
    post = {"name": tree.a1.name, "short_name": "执法大队", "kind": "internal", "parent": tree.a.pk,
            "credit_code": "", "sort_order": 10, "is_enforcement_subject": "on"}
    # The 单位管理员's form shows the field disabled; a forged post is ignored.
    page = client_for(unit_admin).get(reverse("org:unit_edit", args=[tree.a1.pk])).content.decode()
    assert "行政执法主体" in page and "disabled" in page.split('name="is_enforcement_subject"')[1].split(">")[0]
    assert client_for(unit_admin).post(reverse("org:unit_edit", args=[tree.a1.pk]), post).status_code == 302
    assert not Unit.objects.get(pk=tree.a1.pk).is_enforcement_subject

    assert client_for(admin).post(reverse("org:unit_edit", args=[tree.a1.pk]), post).status_code == 302
    assert Unit.objects.get(pk=tree.a1.pk).is_enforcement_subject
    detail = client_for(admin).get(reverse("org:unit_detail", args=[tree.a1.pk])).content.decode()
    assert "以本单位名义作出执法决定" in detail
