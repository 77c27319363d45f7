from datetime import date

import pytest
from django.urls import reverse

from fazhi.portal import sections as portal_sections
from fazhi.portal.sections import PortalEntry, PortalSection

pytestmark = pytest.mark.django_db

XSS = "<script>alert('x')</script>关于规范<b>执法</b>的通知"


def test_portal_home_is_public(client):
    resp = client.get(reverse("portal:home"))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "法治政府建设 · 政务公开" in html


def test_portal_home_lists_every_section_with_nothing_published(client):
    html = client.get(reverse("portal:home")).content.decode()
    for title in ("规范性文件库", "重大行政决策目录", "行政执法公示", "政府信息公开", "法治政府建设年度报告"):
        assert title in html
    # Every section, the placeholders and the modules' own, says it has nothing yet.
    assert html.count("暂无公开内容") == len(portal_sections.sections()) >= 6


def test_portal_has_no_staff_navigation_or_sign_out(client, django_user_model):
    from fazhi.shell.tests.utils import login

    login(client)
    html = client.get(reverse("portal:home")).content.decode()
    assert 'class="side"' not in html
    assert "退出" not in html


def test_section_page_is_public(client):
    resp = client.get(reverse("portal:section", args=["disclosure"]))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "政府信息公开" in html and "暂无公开内容" in html


def test_unknown_section_is_404(client):
    assert client.get(reverse("portal:section", args=["secret"])).status_code == 404


def test_portal_refuses_post(client):
    assert client.post(reverse("portal:home")).status_code == 405


def _with_section(monkeypatch, section):
    """Only ``section`` on the portal (no placeholders, no module-declared ones)."""
    monkeypatch.setattr(portal_sections, "SECTIONS", (section,))
    monkeypatch.setattr(portal_sections, "sections", lambda: (section,))


def test_published_entries_are_shown_escaped(client, monkeypatch):
    entry = PortalEntry(XSS, "/portal/test-section/1/", date(2024, 9, 30), note="<i>有效</i>")
    _with_section(monkeypatch, PortalSection("test-section", "测试栏目<br>", "说明<hr>",
                                             latest=lambda limit: [entry]))
    for url in (reverse("portal:home"), reverse("portal:section", args=["test-section"])):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<b>执法" not in html and "<i>有效" not in html
        assert "&lt;script&gt;" in html
        assert "2024-09-30" in html
        assert "暂无公开内容" not in html


def test_home_asks_sections_for_a_few_entries_only(client, monkeypatch):
    asked = []
    _with_section(monkeypatch, PortalSection("x", "栏目", "", latest=lambda limit: asked.append(limit) or []))
    client.get(reverse("portal:home"))
    assert asked == [8]


def test_a_failing_section_does_not_break_the_portal(client, monkeypatch):
    def broken(limit):
        raise RuntimeError("db away")

    _with_section(monkeypatch, PortalSection("x", "坏栏目", "", latest=broken))
    resp = client.get(reverse("portal:home"))
    assert resp.status_code == 200
    assert "暂时无法加载" in resp.content.decode()


def test_a_manifest_section_replaces_the_placeholder_of_its_key(monkeypatch):
    from types import SimpleNamespace

    from fazhi import modules

    filled = PortalSection("normative-docs", "规范性文件库", "", latest=lambda limit: [])
    # Stands for a Manifest once it has the proposed ``portal_sections`` field.
    fake = SimpleNamespace(label="normative_docs", portal_sections=(filled,))
    monkeypatch.setattr(modules, "manifests", lambda: (fake,))
    result = portal_sections.sections()
    assert result[0] is filled
    assert len(result) == 5
