"""Government intranets have no Internet: no page may load an outside asset."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from fazhi.shell.tests.utils import login

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"^\s*(https?:)?//", re.I)


class AssetURLs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and a.get("src"):
            self.urls.append(a["src"])
        elif tag == "link" and a.get("href"):
            self.urls.append(a["href"])
        elif tag in ("img", "iframe", "source", "video", "audio", "embed") and a.get("src"):
            self.urls.append(a["src"])


def _external_assets(html: str) -> list[str]:
    parser = AssetURLs()
    parser.feed(html)
    assert parser.urls, "expected the page to load at least its stylesheet"
    return [u for u in parser.urls if EXTERNAL.match(u)]


def test_staff_pages_load_no_outside_assets(client):
    login(client)
    html = client.get(reverse("shell:home")).content.decode()
    assert _external_assets(html) == []
    assert "django_htmx/htmx-2.min.js" in html


def test_login_page_loads_no_outside_assets(client):
    assert _external_assets(client.get(reverse("shell:login")).content.decode()) == []


def test_portal_loads_no_outside_assets(client):
    assert _external_assets(client.get(reverse("portal:home")).content.decode()) == []


def test_no_template_or_stylesheet_refers_to_an_outside_asset():
    roots = [Path(settings.BASE_DIR) / "templates", Path(settings.BASE_DIR) / "fazhi",
             Path(settings.BASE_DIR) / "static"]
    tag = re.compile(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", re.I)
    css = re.compile(r"(@import|url\()\s*[\"']?\s*(https?:)?//", re.I)
    offenders = []
    for root in roots:
        for path in root.rglob("*"):
            if path.suffix == ".html" and tag.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path))
            elif path.suffix == ".css" and css.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path))
    assert offenders == []
