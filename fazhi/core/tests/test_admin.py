"""The shared read-only admin: no one, superusers included, writes through
the admin; every module's records go through its services instead."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from fazhi.core.admin import ReadOnlyAdmin, ReadOnlyInline

READ_ONLY_APPS = {"annual_report", "enforcement", "inspections", "major_decisions", "normative_docs", "training",
                  "workdays"}


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(username="root", is_superuser=True, is_staff=True, is_active=True)
    return request


def test_read_only_admin_refuses_every_write_even_to_a_superuser():
    request = _superuser_request()
    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, ReadOnlyAdmin):
            assert not model_admin.has_add_permission(request)
            assert not model_admin.has_change_permission(request)
            assert not model_admin.has_delete_permission(request)
            assert model_admin.has_view_permission(request)
            for inline in model_admin.get_inline_instances(request):
                assert isinstance(inline, ReadOnlyInline)
                assert not inline.has_add_permission(request, None)
                assert not inline.has_change_permission(request)
                assert not inline.has_delete_permission(request)


@pytest.mark.parametrize("app_label", sorted(READ_ONLY_APPS))
def test_each_domain_module_registers_its_records_read_only(app_label):
    registered = [m for m in admin.site._registry if m._meta.app_label == app_label]
    assert registered, f"{app_label} registers no admin"
    for model in registered:
        assert isinstance(admin.site._registry[model], ReadOnlyAdmin), model
