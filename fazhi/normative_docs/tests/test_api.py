"""API: the public library (read-only, published only) and the authenticated workflow."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from fazhi.normative_docs.models import Status
from fazhi.normative_docs.tests.factories import make_doc
from fazhi.org.tests.factories import UnitFactory, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def as_person(api, person):
    api.force_authenticate(person.user)
    return api


def test_public_library_lists_only_published_documents(api):
    doc = make_doc("published", title="公开的办法")
    make_doc("signed", title="未公布的办法")
    resp = api.get(reverse("api:normdocs:library"))
    assert resp.status_code == 200
    titles = [r["title"] for r in resp.json()["results"]]
    assert titles == ["公开的办法"]
    row = resp.json()["results"][0]
    assert row["doc_number"] == doc.doc_number and row["status_label"] in ("有效", "尚未施行")
    assert "explanation" not in row and "unit" not in row


def test_public_library_search_and_filters(api):
    make_doc("published", title="渔船管理办法")
    make_doc("repealed", title="殡葬服务规定")
    assert [r["title"] for r in api.get(reverse("api:normdocs:library"), {"q": "渔"}).json()["results"]] == [
        "渔船管理办法"]
    assert [r["title"] for r in api.get(reverse("api:normdocs:library"), {"status": "废止"}).json()["results"]] == [
        "殡葬服务规定"]


def test_public_detail_has_articles_and_drafts_are_404(api):
    doc = make_doc("published")
    draft = make_doc("registered")
    resp = api.get(reverse("api:normdocs:library_detail", args=[doc.pk]))
    assert resp.status_code == 200
    assert [a["no"] for a in resp.json()["articles"]][-1] == "第四条"
    resp = api.get(reverse("api:normdocs:library_detail", args=[draft.pk]))
    assert resp.status_code == 404 and resp.json()["error"]["code"] == "not_found"


def test_workflow_endpoints_need_authentication(api):
    doc = make_doc("drafting")
    for resp in (api.get(reverse("api:normdocs:doc_list")),
                 api.post(reverse("api:normdocs:doc_action", args=[doc.pk, "sign"]))):
        assert resp.status_code == 401
        assert resp.json()["error"]["code"] == "not_authenticated"


def test_staff_list_and_detail_are_scoped_to_the_users_units(api):
    doc = make_doc("drafting")
    other = make_doc("drafting", unit=UnitFactory(name="另一个局"))
    clerk = person_with_role("clerk", doc.unit)
    as_person(api, clerk)
    ids = [r["id"] for r in api.get(reverse("api:normdocs:doc_list")).json()["results"]]
    assert ids == [doc.pk]
    resp = api.get(reverse("api:normdocs:doc_detail", args=[doc.pk]))
    assert resp.status_code == 200 and any(a["action"] == "abandon" for a in resp.json()["actions"])
    assert api.get(reverse("api:normdocs:doc_detail", args=[other.pk])).status_code == 404


def test_action_out_of_legal_order_is_409_with_the_rule(api):
    doc = make_doc("drafting")
    as_person(api, person_with_role("head", doc.unit))
    resp = api.post(reverse("api:normdocs:doc_action", args=[doc.pk, "sign"]), {}, format="json")
    assert resp.status_code == 409
    err = resp.json()["error"]
    assert err["code"] == "transition_refused" and err["rule"] and "签发" in err["message"]
    doc.refresh_from_db()
    assert doc.status == Status.DRAFTING


def test_action_without_permission_is_403(api):
    doc = make_doc("to_sign")
    as_person(api, person_with_role("assessor", doc.unit))
    resp = api.post(reverse("api:normdocs:doc_action", args=[doc.pk, "sign"]), {}, format="json")
    assert resp.status_code == 403 and resp.json()["error"]["code"] == "forbidden"


def test_action_on_another_units_document_is_404(api):
    doc = make_doc("to_sign")
    as_person(api, person_with_role("head", UnitFactory(name="无关单位")))
    resp = api.post(reverse("api:normdocs:doc_action", args=[doc.pk, "sign"]), {}, format="json")
    assert resp.status_code == 404


def test_unknown_action_is_404(api):
    doc = make_doc("drafting")
    as_person(api, person_with_role("clerk", doc.unit))
    resp = api.post(reverse("api:normdocs:doc_action", args=[doc.pk, "fly"]), {}, format="json")
    assert resp.status_code == 404 and "不支持的操作" in resp.json()["error"]["message"]


def test_action_with_bad_input_is_400_in_chinese(api):
    doc = make_doc("drafting")
    as_person(api, person_with_role("clerk", doc.unit))
    resp = api.post(reverse("api:normdocs:doc_action", args=[doc.pk, "abandon"]), {}, format="json")
    assert resp.status_code == 400
    assert resp.json()["error"]["fields"]["reason"] == ["此项为必填项"]


def test_allowed_action_calls_the_service(api):
    doc = make_doc("to_sign")
    as_person(api, person_with_role("head", doc.issuer))
    resp = api.post(reverse("api:normdocs:doc_action", args=[doc.pk, "sign"]), {}, format="json")
    assert resp.status_code == 200 and resp.json()["status"] == Status.SIGNED


def test_endpoints_are_in_the_openapi_schema(api, django_user_model):
    api.force_authenticate(django_user_model.objects.create_user("schema-reader"))
    paths = api.get(reverse("api:schema"), {"format": "json"}).json()["paths"]
    for p in ("/api/v1/normdocs/library/", "/api/v1/normdocs/library/{id}/", "/api/v1/normdocs/docs/",
              "/api/v1/normdocs/docs/{id}/actions/{action}/"):
        assert p in paths
