from datetime import date

import pytest
from django.urls import reverse

from fazhi import modules
from fazhi.core.manifest import DashboardItem, Manifest
from fazhi.org.tests.factories import UnitFactory, person_with_role
from fazhi.shell import dashboard
from fazhi.shell.tests.utils import login

pytestmark = pytest.mark.django_db


def _provider(user, today):
    return [
        DashboardItem("overdue", "逾期报备：关于<script>alert(1)</script>的通知", "/x/1", due=date(2024, 9, 2)),
        DashboardItem("todo", "后到期的待办", "/x/2", due=date(2024, 10, 9)),
        DashboardItem("todo", "先到期的待办", "/x/3", due=date(2024, 10, 8), note="合法性审核"),
        DashboardItem("todo", "没有期限的待办", "/x/4"),
        DashboardItem("due_soon", "即将到期的公开答复", "/x/5", due=date(2024, 10, 10)),
    ]


def _broken(user, today):
    raise RuntimeError("boom")


def _fake(monkeypatch, *providers, title="测试模块"):
    fake = Manifest(label="fake", title=title, dashboard=providers)
    monkeypatch.setattr(modules, "manifests", lambda: (fake,))


def test_collect_sorts_each_column_by_due_date(monkeypatch):
    _fake(monkeypatch, _provider)
    board = dashboard.collect(object(), date(2024, 10, 1))
    assert [i.title for i in board.todo] == ["先到期的待办", "后到期的待办", "没有期限的待办"]
    assert [i.title for i in board.due_soon] == ["即将到期的公开答复"]
    assert len(board.overdue) == 1
    assert board.todo[0].module == "测试模块"


def test_collect_passes_user_and_today_to_providers(monkeypatch):
    seen = []
    _fake(monkeypatch, lambda user, today: seen.append((user, today)) or [])
    dashboard.collect("u", date(2024, 10, 1))
    assert seen == [("u", date(2024, 10, 1))]


def test_a_failing_provider_does_not_break_the_others(monkeypatch, caplog):
    _fake(monkeypatch, _broken, _provider)
    board = dashboard.collect(object(), date(2024, 10, 1))
    assert len(board.todo) == 3
    assert board.failed_modules == ["测试模块"]
    assert "boom" in caplog.text


def test_home_shows_provider_items_escaped(client, monkeypatch):
    _fake(monkeypatch, _provider)
    login(client)
    resp = client.get(reverse("shell:home"))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "先到期的待办" in html and "即将到期的公开答复" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_home_survives_a_failing_provider_and_warns(client, monkeypatch):
    _fake(monkeypatch, _broken, _provider, title="坏模块")
    login(client)
    resp = client.get(reverse("shell:home"))
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "暂时无法加载" in html and "坏模块" in html
    assert "先到期的待办" in html


def test_home_lists_the_users_roles(client):
    unit = UnitFactory(name="区司法局")
    person = person_with_role("reviewer", unit, subunits=True, name="李审核")
    login(client, person)
    html = client.get(reverse("shell:home")).content.decode()
    assert "法制审核员" in html and "区司法局" in html and "含下级单位" in html
    assert "李审核" in html


def test_home_shows_menu_quick_links(client):
    unit = UnitFactory()
    login(client, person_with_role("unit_admin", unit))
    html = client.get(reverse("shell:home")).content.decode()
    assert "常用功能" in html


def test_home_of_an_account_without_person_warns(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="x-pass-12345")
    client.force_login(admin)
    resp = client.get(reverse("shell:home"))
    assert resp.status_code == 200
    assert "未关联人员档案" in resp.content.decode()


def test_home_refuses_post(client):
    login(client)
    assert client.post(reverse("shell:home")).status_code == 405
