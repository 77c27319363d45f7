"""行政执法公示 on the portal: only what is on display, masked, escaped;
certificate verification shows name, unit, field and status — nothing more."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from fazhi.core.testing import confirm_personal_data
from fazhi.enforcement import services
from fazhi.enforcement.models import PublicationRecord
from fazhi.enforcement.tests.factories import SCRIPT, make_case, make_officer
from fazhi.org.tests.factories import UnitFactory
from fazhi.portal.modules.enforcement import views as portal_views

pytestmark = pytest.mark.django_db

FULL_NAME, ID_NO, ADDRESS, PHONE = "张三丰", "110101199003074514", "示范区幸福路8号", "13812345678"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def url(name, *args):
    return reverse(f"enforcement_portal:{name}", args=args)


def published(**kw) -> PublicationRecord:
    """A decided case whose decision is published (party: natural person 张三丰 by default)."""
    case = make_case("decided", **kw)
    pub = case.publications.get()
    confirm_personal_data(pub)  # the addresses left in the facts: 隐去
    return services.publish(pub, by=None, today=case.decided_on + timedelta(days=1))


def assert_escaped(html: str):
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def assert_no_personal_data(text: str):
    for secret in (FULL_NAME, ID_NO, ADDRESS, PHONE):
        assert secret not in text, secret


# ------------------------------------------------------------------ index


def test_index_is_public_and_shows_bodies_officers_matters_procedure(client):
    unit = UnitFactory(name="示范区农业综合执法大队")
    officer = make_officer(unit, name="李执法", number="NY-2024-0001")
    officer.person.phone = "13900001111"
    officer.person.save()
    services.create_violation_type(unit=unit, by=None, code="NY-01", name=f"销售假种子{SCRIPT}",
                                   legal_basis="《种子法》第四十八条", penalty_basis="《种子法》第七十五条")
    resp = client.get(url("index"))
    assert resp.status_code == 200
    html = resp.content.decode()
    for text in ("事前公示", "事后公示", unit.name, "李执法", "NY-2024-0001", "《种子法》第四十八条",
                 "执法程序", "救济途径", "行政复议", url("certificates")):
        assert text in html, text
    assert "13900001111" not in html
    assert_escaped(html)


def test_officers_without_a_valid_certificate_are_not_listed(client):
    unit = UnitFactory()
    make_officer(unit, name="暂扣证件人", number="NY-SUSP-1", status="suspended")
    html = client.get(url("index")).content.decode()
    assert "暂扣证件人" not in html and "NY-SUSP-1" not in html


# -------------------------------------------------------------- decisions


def test_published_decision_is_listed_and_has_a_page_masked_and_escaped(client):
    pub = published()
    for page in (url("index"), url("decisions"), url("decision", pub.pk)):
        resp = client.get(page)
        assert resp.status_code == 200
        html = resp.content.decode()
        assert pub.case.decision_no in html
        assert "张**" in html
        assert_no_personal_data(html)
    html = client.get(url("decision", pub.pk)).content.decode()
    for text in ("主要违法事实", "处罚依据", "罚款", "决定日期", "公示日期", pub.unit.name):
        assert text in html, text
    assert_escaped(html)


def test_organisation_party_is_shown_by_name(client):
    pub = published(party_kind="org", party_name="示范种业有限公司", party_legal_rep="王五")
    html = client.get(url("decision", pub.pk)).content.decode()
    assert "示范种业有限公司" in html
    assert ID_NO not in html and PHONE not in html


def test_personal_data_inside_the_facts_never_reaches_the_page(client):
    pub = published(facts=f"{FULL_NAME}（公民身份号码{ID_NO}，电话{PHONE}）在{ADDRESS}销售假种子")
    for page in (url("decision", pub.pk), url("decisions"), url("index")):
        assert_no_personal_data(client.get(page).content.decode())


def test_script_in_an_organisations_name_is_escaped(client):
    pub = published(party_kind="org", party_name=f"示范种业{SCRIPT}有限公司")
    for page in (url("decision", pub.pk), url("decisions")):
        html = client.get(page).content.decode()
        assert "示范种业&lt;script&gt;" in html
        assert_escaped(html)


def test_unpublished_decision_is_404_and_absent(client):
    case = make_case("decided", cause="尚未公示的案件")
    pub = case.publications.get()
    assert client.get(url("decision", pub.pk)).status_code == 404
    for page in (url("index"), url("decisions")):
        html = client.get(page).content.decode()
        assert case.decision_no not in html


def test_withdrawn_decision_is_404_and_absent(client):
    pub = published()
    services.withdraw_publication(pub, by=None, today=pub.published_on + timedelta(days=2), reason="决定已撤销")
    assert client.get(url("decision", pub.pk)).status_code == 404
    assert pub.case.decision_no not in client.get(url("decisions")).content.decode()


def test_taken_down_decision_is_404_and_absent(client):
    pub = published()
    PublicationRecord.objects.filter(pk=pub.pk).update(status="taken_down", taken_down_on=pub.display_until)
    assert client.get(url("decision", pub.pk)).status_code == 404
    assert pub.case.decision_no not in client.get(url("index")).content.decode()


def test_decision_past_its_display_period_is_hidden_before_the_job_runs(client):
    pub = published()
    PublicationRecord.objects.filter(pk=pub.pk).update(display_until=pub.published_on)
    assert client.get(url("decision", pub.pk)).status_code == 404
    assert pub.case.decision_no not in client.get(url("decisions")).content.decode()


def test_missing_decision_is_404(client):
    assert client.get(url("decision", 999999)).status_code == 404


def test_decisions_list_filters_by_unit_and_number(client):
    a, b = published(), published()
    html = client.get(url("decisions"), {"unit": a.unit_id}).content.decode()
    assert a.case.decision_no in html and b.case.decision_no not in html
    html = client.get(url("decisions"), {"q": b.case.decision_no}).content.decode()
    assert b.case.decision_no in html and a.case.decision_no not in html


def test_portal_pages_are_get_only(client):
    assert client.post(url("index")).status_code == 405
    assert client.post(url("certificates"), {"no": "X"}).status_code == 405


def test_portal_home_links_the_published_decision(client):
    pub = published()
    html = client.get(reverse("portal:home")).content.decode()
    assert url("decision", pub.pk) in html
    assert_no_personal_data(html)


def test_list_pages_run_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        published()
    with django_assert_max_num_queries(12):
        assert client.get(url("decisions")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(url("index")).status_code == 200


# ------------------------------------------------------------ certificates


def test_certificate_lookup_shows_only_name_unit_field_status(client):
    unit = UnitFactory(name="示范区市场监督管理局")
    officer = make_officer(unit, name="赵核验", number="SC-2025-0007")
    person = officer.person
    person.phone, person.post = "13700002222", "稽查科副科长"
    person.save()
    make_officer(unit, name="钱同事", number="SC-2025-0008")
    resp = client.get(url("certificates"), {"no": "SC-2025-0007"})
    assert resp.status_code == 200
    html = resp.content.decode()
    for text in ("赵核验", unit.name, "农业", "有效"):
        assert text in html, text
    for secret in ("13700002222", "稽查科副科长", "示范省人民政府", "2029", "钱同事", "SC-2025-0008"):
        assert secret not in html, secret


def test_suspended_certificate_shows_its_status(client):
    make_officer(UnitFactory(), name="孙暂扣", number="SC-SUSP-9", status="suspended")
    html = client.get(url("certificates"), {"no": "SC-SUSP-9"}).content.decode()
    assert "孙暂扣" in html and "暂扣" in html


def test_an_invalid_certificate_cites_the_law_with_the_rule_id_only_in_a_tooltip(client):
    make_officer(UnitFactory(), name="孙暂扣", number="SC-SUSP-9", status="suspended")
    html = client.get(url("certificates"), {"no": "SC-SUSP-9"}).content.decode()
    assert ('不得从事行政执法活动（依据<abbr class="rule" title="ENF-01">'
            "《中华人民共和国行政处罚法》第四十二条、第五十五条</abbr>）") in html
    assert "（ENF-01）" not in html


def test_the_public_procedure_cites_the_law_not_rule_ids(client):
    html = client.get(url("index")).content.decode()
    assert '（依据<abbr class="rule" title="ENF-08">《中华人民共和国行政处罚法》第六十条</abbr>）' in html
    assert '<abbr class="rule" title="REC-01">《中华人民共和国行政复议法》' in html
    assert "（ENF-08）" not in html


def test_unknown_certificate_says_so_in_chinese(client):
    resp = client.get(url("certificates"), {"no": "NO-SUCH-1"})
    assert resp.status_code == 200
    assert "未查询到该执法证" in resp.content.decode()


def test_certificate_page_without_a_number_is_a_form_and_empty_number_is_400(client):
    assert client.get(url("certificates")).status_code == 200
    resp = client.get(url("certificates"), {"no": "  "})
    assert resp.status_code == 400 and "请输入执法证件编号" in resp.content.decode()
    resp = client.get(url("certificates"), {"no": "9" * 41})
    assert resp.status_code == 400


def test_certificate_page_escapes_the_number_typed(client):
    html = client.get(url("certificates"), {"no": "<script>x"}).content.decode()
    assert "<script>x" not in html and "&lt;script&gt;x" in html


def test_certificate_lookups_are_rate_limited(client, monkeypatch):
    monkeypatch.setattr(portal_views, "CERT_LOOKUPS_PER_MINUTE", 2)
    for _ in range(2):
        assert client.get(url("certificates"), {"no": "A1"}).status_code == 200
    resp = client.get(url("certificates"), {"no": "A1"})
    assert resp.status_code == 429 and "查询过于频繁" in resp.content.decode()
