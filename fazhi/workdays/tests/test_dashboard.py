"""The administrators' reminder that next year's arrangement is missing."""

import pytest

from fazhi.modules import manifests
from fazhi.workdays.selectors import dashboard_items
from fazhi.workdays.tests.conftest import d

pytestmark = pytest.mark.django_db


def test_from_1_november_admins_are_told_next_year_is_unconfirmed(admin_person, no_2027):
    items = dashboard_items(admin_person.user, d("2026-11-26"))
    assert [i.title for i in items] == ["2027年节假日安排尚未确认"]
    assert items[0].url == "/workdays/import/"


def test_before_november_there_is_nothing_to_do(admin_person, no_2027):
    assert dashboard_items(admin_person.user, d("2026-10-31")) == []


def test_clerks_are_not_told(clerk, no_2027):
    assert dashboard_items(clerk.user, d("2026-11-26")) == []


def test_the_provider_is_in_the_manifest(admin_person, no_2027):
    (workdays,) = [m for m in manifests() if m.label == "workdays"]
    (provider,) = workdays.dashboard
    assert provider(admin_person.user, d("2026-11-26"))
