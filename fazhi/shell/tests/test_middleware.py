import pytest
from django.contrib.auth.models import AnonymousUser

from fazhi.core import errors
from fazhi.shell.middleware import DomainErrorMiddleware


@pytest.fixture
def mw():
    return DomainErrorMiddleware(lambda request: None)


def _req(rf, path="/x/"):
    request = rf.post(path)
    request.user = AnonymousUser()
    return request


def test_a_refused_transition_becomes_a_409_page_naming_the_rule(rf, mw):
    exc = errors.TransitionRefused("尚未完成合法性审核<b>", rule="NDOC-3")
    resp = mw.process_exception(_req(rf), exc)
    assert resp.status_code == 409
    html = resp.content.decode()
    assert "尚未完成合法性审核&lt;b&gt;" in html and "NDOC-3" in html


def test_permission_denied_becomes_the_403_page(rf, mw):
    resp = mw.process_exception(_req(rf), errors.PermissionDenied())
    assert resp.status_code == 403


def test_not_found_becomes_the_404_page(rf, mw):
    assert mw.process_exception(_req(rf), errors.NotFound()).status_code == 404


def test_other_exceptions_and_the_api_are_left_alone(rf, mw):
    assert mw.process_exception(_req(rf), RuntimeError("bug")) is None
    assert mw.process_exception(_req(rf, "/api/v1/x/"), errors.Conflict("x")) is None
