from datetime import date

import pytest
from django.urls import reverse

from fazhi.assessment.tests.conftest import YEAR
from fazhi.enforcement.tests.factories import make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(tree):
    make_officer(tree.a)
    make_officer(tree.b, valid_to=date(2025, 1, 31))
    return tree


def test_anonymous_gets_401(client, tree):
    for name in ("indicators", "values", "ranking"):
        assert client.get(reverse(f"api:assessment:{name}")).status_code == 401


def test_indicators_list(client, data):
    client.force_login(data.clerk_a.user)
    body = client.get(reverse("api:assessment:indicators")).json()
    assert {"code", "name", "module", "description", "rule", "target", "weight"} <= set(body[0])


def test_values_are_scoped_to_the_users_units(client, data):
    client.force_login(data.clerk_a.user)
    body = client.get(reverse("api:assessment:values") + f"?year={YEAR}").json()
    assert [r["unit_id"] for r in body] == [data.a.pk]
    cert = next(v for v in body[0]["values"] if v["code"] == "ENF_CERTIFIED")
    assert (cert["numerator"], cert["denominator"], cert["value"]) == (1, 1, 1.0)
    assert client.get(reverse("api:assessment:values") + f"?unit={data.b.pk}").status_code == 404


def test_no_data_is_null_not_zero(client, data):
    client.force_login(data.assessor.user)
    body = client.get(reverse("api:assessment:values") + f"?year={YEAR}&unit={data.s.pk}").json()
    assert all(v["value"] is None and v["met"] is None for v in body[0]["values"])
    assert body[0]["score"] is None


def test_drill_down_records(client, data):
    client.force_login(data.assessor.user)
    url = reverse("api:assessment:records", args=[data.b.pk, "ENF_CERTIFIED"]) + f"?year={YEAR}"
    body = client.get(url).json()
    assert len(body) == 1 and body[0]["counted"] is False and "无有效执法证" in body[0]["note"]
    client.force_login(data.clerk_a.user)
    assert client.get(url).status_code == 404


def test_ranking_and_bad_year(client, data, settings):
    settings.FAZHI_ASSESSMENT = {"rank_min_indicators": 1}  # the fixture has records in one indicator
    client.force_login(data.assessor.user)
    body = client.get(reverse("api:assessment:ranking") + f"?year={YEAR}").json()
    assert body[0]["unit_id"] == data.a.pk and body[0]["rank"] == 1
    assert client.get(reverse("api:assessment:ranking") + "?year=abc").status_code == 400
