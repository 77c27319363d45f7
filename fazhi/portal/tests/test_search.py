"""The one search box of the portal: every published section, by title, text,
文号 and 登记号; grouped, paginated, escaped, and never re-identifying a
masked person."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from fazhi.portal import search as portal_search

pytestmark = pytest.mark.django_db

URL = "/portal/search/"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def doc():
    from fazhi.normative_docs.tests.factories import make_doc

    return make_doc("published", title="关于加强养犬管理的规定<script>alert('x')</script>")


def html(client, **params) -> str:
    resp = client.get(URL, params)
    assert resp.status_code == 200
    return resp.content.decode()


def test_the_search_box_is_in_the_header_of_every_portal_page(client):
    for url in (reverse("portal:home"), reverse("normative_docs_portal:library"),
                reverse("enforcement_portal:index"), reverse("inspections_portal:verify")):
        page = client.get(url).content.decode()
        head = page.split('<header class="portal-head">', 1)[1].split("</header>", 1)[0]
        assert f'action="{URL}"' in head and 'name="q"' in head, url


def test_a_doc_number_finds_the_document(client, doc):
    assert doc.doc_number and doc.registration_no
    for q in (doc.doc_number, doc.registration_no):
        page = html(client, q=q)
        assert reverse("normative_docs_portal:detail", args=[doc.pk]) in page, q
        assert "有效" in page or "尚未施行" in page
    # the library's own search (title and text) still finds nothing by 文号 is not the portal's concern;
    # the portal search finds by title and text too:
    assert reverse("normative_docs_portal:detail", args=[doc.pk]) in html(client, q="养犬管理")


def test_results_show_the_validity_of_each_document(client, doc):
    from fazhi.normative_docs import services

    services.repeal(doc, by=None, repealed_on=doc.published_on + timedelta(days=40), reason="不再适用",
                     today=doc.published_on + timedelta(days=40))
    page = html(client, q=doc.doc_number)
    assert "废止" in page


def test_user_text_and_record_titles_are_escaped(client, doc):
    page = html(client, q="<script>alert('x')</script>")
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    page = html(client, q="养犬")
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def test_drafts_are_never_found(client):
    from fazhi.normative_docs.tests.factories import make_doc

    draft = make_doc("legal_review", title="尚在审核的内部草案")
    assert reverse("normative_docs_portal:detail", args=[draft.pk]) not in html(client, q="内部草案")


def test_a_masked_persons_full_name_finds_nothing_but_the_decision_number_does(client):
    from fazhi.core.testing import confirm_personal_data
    from fazhi.enforcement import services
    from fazhi.enforcement.tests.factories import make_case

    case = make_case("decided")
    pub = case.publications.get()
    confirm_personal_data(pub)
    pub = services.publish(pub, by=None, today=case.decided_on + timedelta(days=1))
    assert case.party_name == "张三丰"
    link = reverse("enforcement_portal:decision", args=[pub.pk])
    # The decision is on display only within its period: search on its publication date.
    today = pub.published_on
    found = portal_search.search(case.decision_no, today=today)
    by_key = {g.key: g for g in found}
    assert [h.url for h in by_key["enforcement"].hits] == [link]
    assert "张三丰" not in by_key["enforcement"].hits[0].title
    assert all(g.count == 0 for g in portal_search.search("张三丰", today=today))


def test_results_are_grouped_by_section_and_page_within_one(client, monkeypatch):
    from fazhi.normative_docs.tests.factories import make_doc

    for i in range(3):
        make_doc("published", title=f"分页测试文件{i}号")
    monkeypatch.setattr(portal_search, "PER_SECTION", 2)
    monkeypatch.setattr(portal_search, "PAGE_SIZE", 2)
    page = html(client, q="分页测试")
    assert page.count("分页测试文件") == 2
    assert "规范性文件库" in page and "重大行政决策" in page and "行政执法公示" in page
    assert "section=normative-docs" in page and "全部 3 条" in page
    one = html(client, q="分页测试", section="normative-docs", page=2)
    assert one.count("分页测试文件") == 1 and "第 2 / 2 页" in one


def test_an_empty_query_explains_what_can_be_searched(client):
    page = html(client, q="")
    assert "请输入检索词" in page


def test_a_failing_section_does_not_break_the_search(client, monkeypatch):
    def broken(q, today, limit, offset=0):
        raise RuntimeError("db away")

    sections = list(portal_search.SECTIONS)
    sections[0] = ("normative-docs", "规范性文件库", broken)
    monkeypatch.setattr(portal_search, "SECTIONS", tuple(sections))
    assert "暂时无法检索" in html(client, q="x")


def test_the_librarys_own_search_box_finds_a_document_by_its_number(client, doc):
    from fazhi.normative_docs.tests.factories import make_doc

    other = make_doc("published", title="另一份文件")
    for q in (doc.doc_number, doc.registration_no):
        page = client.get(reverse("normative_docs_portal:library"), {"q": q}).content.decode()
        assert reverse("normative_docs_portal:detail", args=[doc.pk]) in page, q
        assert reverse("normative_docs_portal:detail", args=[other.pk]) not in page, q
    # a filter still applies to number matches
    page = client.get(reverse("normative_docs_portal:library"), {"q": doc.doc_number, "status": "废止"}).content.decode()
    assert reverse("normative_docs_portal:detail", args=[doc.pk]) not in page
