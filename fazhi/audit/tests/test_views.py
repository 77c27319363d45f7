import pytest
from django.db import transaction
from django.template import Context, Template
from django.urls import reverse

from fazhi.audit.services import record
from fazhi.audit.tests.conftest import tamper
from fazhi.org.tests.factories import PersonFactory, UnitFactory, person_with_role

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"


@pytest.fixture
def unit():
    return UnitFactory(name="区市场监管局")


@pytest.fixture
def trail(unit):
    actor = person_with_role("clerk", unit, name="王芳", post="科员")
    with transaction.atomic():
        record(unit, "org.unit.created", by=actor.user, data={"名称": unit.name})
        record(unit, "org.unit.updated", by=actor.user, data={"简称": "市场监管", "启用": True})
    return unit


def trail_url(obj):
    return reverse("audit:object_trail", args=[obj._meta.label_lower, obj.pk])


def login(client, person):
    client.force_login(person.user)
    return client


def test_a_user_of_the_unit_sees_the_trail_oldest_first(client, trail):
    page = login(client, person_with_role("clerk", trail)).get(trail_url(trail))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index('<span class="action" title="org.unit.created">新增单位</span>') < html.index(
        '<span class="action" title="org.unit.updated">修改单位信息</span>')
    assert "（org.unit.created）" not in html  # the code only in the tooltip
    assert "王芳" in html and "科员" in html and "区市场监管局" in html
    assert "<dt>简称</dt><dd>市场监管</dd>" in html and "<dd>是</dd>" in html


def test_the_time_is_shown_in_beijing_time(client, unit, settings):
    settings.TIME_ZONE = "Asia/Shanghai"  # the deployed default; the suite may run in another zone
    from datetime import UTC, datetime

    record(unit, "org.unit.updated", by=None, now=datetime(2024, 9, 30, 17, 30, tzinfo=UTC))
    html = login(client, person_with_role("clerk", unit)).get(trail_url(unit)).content.decode()
    assert "2024-10-01 01:30:00" in html


def test_a_clerk_of_another_unit_gets_404(client, trail):
    assert login(client, person_with_role("clerk")).get(trail_url(trail)).status_code == 404


def test_a_person_without_any_role_gets_404(client, trail):
    assert login(client, PersonFactory(unit=trail)).get(trail_url(trail)).status_code == 404


def test_an_unknown_object_gets_404_even_for_an_administrator(client, trail):
    admin = person_with_role("admin")
    assert login(client, admin).get(reverse("audit:object_trail", args=["org.unit", "999999"])).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, trail):
    page = client.get(trail_url(trail))
    assert page.status_code == 302 and reverse("shell:login") in page["Location"]


def test_a_role_over_a_parent_unit_with_subunits_sees_the_trail(client, trail):
    parent = UnitFactory()
    trail.parent = parent
    trail.save()
    from fazhi.org.services import _save_tree_position

    _save_tree_position(trail)
    head = person_with_role("head", parent, subunits=True)
    assert login(client, head).get(trail_url(trail)).status_code == 200
    without = person_with_role("head", parent, subunits=False)
    assert login(client, without).get(trail_url(trail)).status_code == 404


def test_administrators_and_assessors_see_any_trail_they_cover(client, trail):
    assert login(client, person_with_role("admin")).get(trail_url(trail)).status_code == 200
    assert login(client, person_with_role("assessor", trail)).get(trail_url(trail)).status_code == 200


def test_an_assessor_of_one_office_does_not_open_the_district(client, trail):
    """'Anywhere' permissions are scoped like every other (issue 11 §1)."""
    office = UnitFactory(name="某局法规科", parent=UnitFactory(name="某局"))
    assessor = login(client, person_with_role("assessor", office))
    assert assessor.get(trail_url(trail)).status_code == 404
    page = assessor.get(LIST)
    assert page.status_code == 200 and page.context["total"] == 0


def test_entries_of_other_units_in_the_same_trail_are_hidden(client, trail):
    other = UnitFactory(name="区教育委员会")
    record(trail, "org.unit.moved", by=None, unit=other, data={"去向": "秘密"})
    html = login(client, person_with_role("clerk", trail)).get(trail_url(trail)).content.decode()
    assert "秘密" not in html and "市场监管" in html


def test_entries_without_a_unit_are_for_administrators_only(client, unit):
    record(None, "workdays.calendar.updated", by=None, object_type="workdays.calendar", object_id="2024")
    url = reverse("audit:object_trail", args=["workdays.calendar", "2024"])
    assert login(client, person_with_role("clerk", unit)).get(url).status_code == 404
    assert login(client, person_with_role("admin")).get(url).status_code == 200


def test_the_trail_escapes_recorded_text(client, unit):
    record(None, "test.thing.updated", by=None, object_type="test.thing", object_id="1", object_repr=XSS,
           unit=unit, data={XSS: XSS, "list": [XSS], "nested": {"k": XSS}})
    html = login(client, person_with_role("clerk", unit)).get(
        reverse("audit:object_trail", args=["test.thing", "1"])).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_trail_page_refuses_post(client, trail):
    assert login(client, person_with_role("admin")).post(trail_url(trail)).status_code == 405


def test_the_trail_link_include_points_at_the_trail(trail):
    html = Template('{% include "audit/trail_link.html" with obj=record %}').render(Context({"record": trail}))
    assert f'href="/audit/trail/org.unit/{trail.pk}/"' in html
    assert Template('{% include "audit/trail_link.html" with obj=None %}').render(Context({})).strip() == ""


def test_the_trail_url_tag(trail):
    html = Template("{% load audit_tags %}{% trail_url obj %}").render(Context({"obj": trail}))
    assert html == f"/audit/trail/org.unit/{trail.pk}/"


# --- the whole log -------------------------------------------------------------

LIST = "/audit/"


def test_the_log_is_refused_to_a_plain_clerk(client, trail):
    assert login(client, person_with_role("clerk", trail)).get(LIST).status_code == 403


def test_the_log_sends_anonymous_users_to_sign_in(client):
    assert client.get(LIST).status_code == 302


def test_the_log_is_shown_to_an_administrator(client, trail):
    page = login(client, person_with_role("admin")).get(LIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert "校验留痕链" in html and "csrfmiddlewaretoken" in html and "共 2 条" in html
    assert f'href="/audit/trail/org.unit/{trail.pk}/"' in html
    assert '<span class="action" title="org.unit.updated">修改单位信息</span>' in html


def test_the_log_is_shown_to_an_assessor(client, trail):
    page = login(client, person_with_role("assessor", trail)).get(LIST)
    assert page.status_code == 200 and page.context["total"] == 2


@pytest.mark.parametrize("query, count", [
    ("action=org.unit.up", 1),
    ("action=org", 2),
    ("actor=王", 2),
    ("actor=李", 0),
    ("object_type=org.unit", 2),
    ("object_type=org", 0),
])
def test_the_log_filters(client, trail, query, count):
    page = login(client, person_with_role("admin")).get(f"{LIST}?{query}")
    assert page.context["total"] == count


def test_the_log_filters_by_unit(client, trail):
    admin = person_with_role("admin")
    record(admin.unit, "org.unit.updated", by=None)
    page = login(client, admin).get(f"{LIST}?unit={trail.pk}")
    assert page.context["total"] == 2


def test_the_log_filters_by_local_dates(client, unit, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    from datetime import UTC, datetime

    record(unit, "org.unit.updated", by=None, now=datetime(2024, 9, 30, 17, 0, tzinfo=UTC))  # 10-01 01:00 北京
    record(unit, "org.unit.updated", by=None, now=datetime(2024, 9, 30, 15, 0, tzinfo=UTC))  # 09-30 23:00
    c = login(client, person_with_role("admin"))
    assert c.get(f"{LIST}?date_from=2024-10-01").context["total"] == 1
    assert c.get(f"{LIST}?date_to=2024-09-30").context["total"] == 1
    assert c.get(f"{LIST}?date_from=2024-09-30&date_to=2024-10-01").context["total"] == 2


def test_a_reversed_date_range_is_explained(client, trail):
    html = login(client, person_with_role("admin")).get(
        f"{LIST}?date_from=2024-10-02&date_to=2024-10-01").content.decode()
    assert "起始日期不能晚于截止日期" in html


def test_the_log_sorts_newest_first_by_default_and_on_request(client, trail):
    c = login(client, person_with_role("admin"))
    assert [o.seq for o, _ in c.get(LIST).context["cells"]] == [2, 1]
    assert [o.seq for o, _ in c.get(f"{LIST}?sort=seq").context["cells"]] == [1, 2]


def test_the_log_exports_to_excel(client, trail):
    from io import BytesIO

    from openpyxl import load_workbook

    page = login(client, person_with_role("admin")).get(f"{LIST}?export=xlsx&action=org.unit.created")
    assert page.status_code == 200
    rows = list(load_workbook(BytesIO(page.content)).active.values)
    assert rows[0][0] == "序号" and len(rows) == 2 and rows[1][0] == 1
    assert "新增单位（org.unit.created）" in rows[1]  # the export keeps the code beside the label


def test_the_log_has_no_n_plus_one(client, django_assert_max_num_queries):
    admin = person_with_role("admin")
    units = [UnitFactory() for _ in range(5)]
    for i in range(30):
        actor = PersonFactory(unit=units[i % 5])
        record(units[i % 5], "org.unit.updated", by=actor.user, data={"i": i})
    login(client, admin)
    with django_assert_max_num_queries(12):
        page = client.get(LIST)
    assert len(page.context["cells"]) == 30


def test_the_log_escapes_recorded_text(client, unit):
    record(None, "test.thing.updated", by=None, object_type="test.thing", object_id="1", object_repr=XSS)
    html = login(client, person_with_role("admin")).get(LIST).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


# --- verify button ---------------------------------------------------------------

def test_the_verify_button_reports_an_intact_chain(client, trail):
    page = login(client, person_with_role("admin")).post(reverse("audit:verify"), follow=True)
    assert "留痕链完整：共 2 条记录" in page.content.decode()


def test_the_verify_button_names_the_first_bad_entry(client, trail):
    tamper("UPDATE audit_auditentry SET actor_name = 'x' WHERE seq = 2")
    html = login(client, person_with_role("admin")).post(reverse("audit:verify"), follow=True).content.decode()
    assert "msg msg-error" in html and "第 2 号" in html and "被修改" in html


def test_the_verify_button_needs_post_and_permission(client, trail):
    assert login(client, person_with_role("admin")).get(reverse("audit:verify")).status_code == 405
    assert login(client, person_with_role("clerk", trail)).post(reverse("audit:verify")).status_code == 403


def test_the_verify_button_checks_csrf(trail):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    login(c, person_with_role("admin"))
    assert c.post(reverse("audit:verify")).status_code == 403
