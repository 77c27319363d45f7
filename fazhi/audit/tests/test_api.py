import pytest

from fazhi.audit.services import record
from fazhi.audit.tests.conftest import tamper
from fazhi.audit.tests.test_views import XSS, login
from fazhi.org.tests.factories import UnitFactory, person_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    unit = UnitFactory(name="区生态环境局")
    record(unit, "org.unit.created", by=None, data={"名称": unit.name})
    record(unit, "org.unit.updated", by=None, data={"备注": XSS})
    return unit


def trail(unit):
    return f"/api/v1/audit/trail/org.unit/{unit.pk}/"


VERIFY = "/api/v1/audit/verify/"


def test_the_trail_for_a_user_of_the_unit(client, unit):
    body = login(client, person_with_role("clerk", unit)).get(trail(unit)).json()
    assert body["count"] == 2
    first = body["results"][0]
    assert (first["seq"], first["action"], first["action_label"]) == (1, "org.unit.created", "新增单位")
    assert body["results"][1]["data"] == {"备注": XSS}  # JSON carries the text as is; clients escape


def test_the_trail_is_404_for_another_unit(client, unit):
    resp = login(client, person_with_role("clerk")).get(trail(unit))
    assert resp.status_code == 404
    assert resp.json()["error"]["code"] == "not_found"


def test_the_trail_is_404_for_an_unknown_object(client, unit):
    assert login(client, person_with_role("admin")).get("/api/v1/audit/trail/org.unit/0/").status_code == 404


def test_the_trail_needs_sign_in(client, unit):
    assert client.get(trail(unit)).status_code in (401, 403)


def test_the_trail_is_read_only(client, unit):
    assert login(client, person_with_role("admin")).post(trail(unit), {}).status_code == 405


def test_verify_for_an_administrator(client, unit):
    assert login(client, person_with_role("admin")).get(VERIFY).json()["ok"] is True
    body = client.get(VERIFY).json()
    assert body["count"] == 2


def test_verify_names_the_first_bad_entry(client, unit):
    tamper("UPDATE audit_auditentry SET object_repr = 'x' WHERE seq = 1")
    body = login(client, person_with_role("admin")).get(VERIFY).json()
    assert body["ok"] is False and body["bad_seq"] == 1 and "被修改" in body["reason"]


def test_verify_is_refused_to_a_clerk(client, unit):
    resp = login(client, person_with_role("clerk", unit)).get(VERIFY)
    assert resp.status_code == 403
    assert resp.json()["error"]["code"] == "forbidden"


def test_verify_for_a_district_wide_assessor(client, unit):
    assert login(client, person_with_role("assessor", subunits=True)).get(VERIFY).status_code == 200


def test_verify_is_refused_to_an_assessor_of_one_office(client, unit):
    office = UnitFactory(name="某科室", parent=UnitFactory(name="某局"))
    assert login(client, person_with_role("assessor", office)).get(VERIFY).status_code == 403
