"""The shell and the portal open in a real browser."""

import pytest

from fazhi.e2e.conftest import shot

pytestmark = pytest.mark.browser


def test_a_clerk_signs_in_and_sees_the_workbench(as_user):
    page = as_user("nongye_clerk")
    assert page.locator("h1").first.inner_text().strip()
    shot(page, "home-nongye_clerk")


def test_the_portal_opens_without_sign_in(page):
    page.goto("/portal/")
    assert "示范区" in page.title()
    shot(page, "portal-home")
