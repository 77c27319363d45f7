"""Production defaults (issue 11 §1): no start without SECRET_KEY outside
development, the Content-Security-Policy and the templates that obey it, HSTS
and the HTTPS redirect from the environment, ``next`` followed only into this
site."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.shell.tests.utils import user_with_password

ROOT = Path(__file__).resolve().parents[3]


def _settings_in_a_fresh_process(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"FAZHI_ENV", "SECRET_KEY", "SECRET_KEY_FILE", "DEBUG", "HSTS_SECONDS", "SSL_REDIRECT"}}
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECRET_KEY[:6], s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "fazhi.settings", **env}, timeout=60)


def test_production_without_secret_key_refuses_to_start():
    proc = _settings_in_a_fresh_process()
    assert proc.returncode != 0
    assert "ImproperlyConfigured" in proc.stderr and "SECRET_KEY" in proc.stderr


def test_production_refuses_the_built_in_development_key():
    proc = _settings_in_a_fresh_process(SECRET_KEY="fazhi-local-insecure-key-change-me-0123456789abcdef")
    assert proc.returncode != 0 and "SECRET_KEY" in proc.stderr


def test_development_starts_without_configuration():
    proc = _settings_in_a_fresh_process(FAZHI_ENV="development")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["fazhi-", "0", "False"]


def test_production_with_a_secret_key_and_https_settings():
    proc = _settings_in_a_fresh_process(SECRET_KEY="x" * 60, HSTS_SECONDS="31536000", SSL_REDIRECT="true")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["xxxxxx", "31536000", "True"]


def test_a_misspelt_environment_is_refused():
    proc = _settings_in_a_fresh_process(FAZHI_ENV="prod", SECRET_KEY="x" * 60)
    assert proc.returncode != 0 and "FAZHI_ENV" in proc.stderr


def test_make_run_and_test_are_development():
    makefile = (ROOT / "Makefile").read_text()
    assert "export FAZHI_ENV ?= development" in makefile


@pytest.mark.django_db
def test_pages_carry_a_self_only_content_security_policy(client):
    resp = client.get(reverse("shell:login"))
    csp = resp["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "http" not in csp
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"


@pytest.mark.django_db
def test_https_redirect_spares_the_health_check(settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/accounts/login/")["Location"].startswith("https://")
    assert Client().get("/healthz").status_code == 200


@pytest.mark.django_db
def test_hsts_header_when_configured(settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    resp = Client().get("/accounts/login/", secure=True)
    assert resp["Strict-Transport-Security"].startswith("max-age=31536000")


# Inline code a strict policy blocks: <script> with a body, <style>, style="",
# on…="" handlers, javascript: URLs.
INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I), "on… handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def _templates():
    for base in [ROOT / "templates", *sorted((ROOT / "fazhi").glob("*/templates"))]:
        yield from sorted(base.rglob("*.html"))


def test_no_template_has_inline_script_style_or_handler():
    found = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not found, "\n".join(found)


def test_the_page_behaviours_live_in_a_static_script():
    base = (ROOT / "templates" / "base.html").read_text()
    assert "fazhi/fazhi.js" in base and '"includeIndicatorStyles": false' in base
    js = (ROOT / "static" / "fazhi" / "fazhi.js").read_text()
    for attr in ("data-print", "data-confirm", "data-autosubmit", "data-check-all", "data-width", "data-indent",
                 "data-back"):
        assert attr in js


@pytest.mark.django_db
def test_the_cockpit_tooltips_render_without_inline_styles():
    """ECharts' HTML tooltips carry style attributes; rich-text ones are drawn on the canvas."""
    js = (ROOT / "fazhi" / "assessment" / "static" / "assessment" / "cockpit.js").read_text()
    assert js.count("tooltip:") == js.count('renderMode: "richText"')


def test_every_next_parameter_is_validated():
    """Every view that follows a ``next`` checks it (url_has_allowed_host_and_scheme or safe_next)."""
    offenders = []
    for path in (ROOT / "fazhi").rglob("*.py"):
        if "/tests/" in str(path) or "/migrations/" in str(path):
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"""\.get\(["']next["']""", text) and "url_has_allowed_host_and_scheme" not in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert not offenders


@pytest.mark.django_db
def test_sign_in_does_not_follow_a_next_to_another_host():
    user_with_password(username="li")
    from fazhi.shell.tests.utils import PASSWORD

    resp = Client().post(reverse("shell:login") + "?next=https://evil.example/", {
        "username": "li", "password": PASSWORD, "next": "https://evil.example/"})
    assert resp.status_code == 302 and resp["Location"] == reverse("shell:home")
