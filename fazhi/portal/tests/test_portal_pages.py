"""The portal the public meets (issue 13 §3): the navigation leads to the real
section pages, the home shows full titles and the drafts open for comment, no
empty section goes unexplained, the certificate check has its own entry and a
short URL, and the page-number parameters are bounded."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from fazhi.portal import sections as portal_sections

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def nav(html: str) -> str:
    return re.search(r'<nav class="portal-nav".*?</nav>', html, re.S).group(0)


def test_navigation_leads_to_the_real_section_pages(client):
    html = nav(client.get(reverse("portal:home")).content.decode())
    for name in ("normative_docs_portal:library", "major_decisions_portal:index", "enforcement_portal:index",
                 "inspections_portal:index", "annual_report_portal:index", "enforcement_portal:certificates"):
        assert f'href="{reverse(name)}"' in html, name
    # The generic section pages of sections that have a real page are gone from the menu.
    assert reverse("portal:section", args=["normative-docs"]) not in html


@pytest.mark.parametrize("key,name", [("normative-docs", "normative_docs_portal:library"),
                                      ("major-decisions", "major_decisions_portal:index")])
def test_old_section_urls_redirect_to_the_real_pages(client, key, name):
    resp = client.get(reverse("portal:section", args=[key]))
    assert resp.status_code == 302 and resp["Location"] == reverse(name)


def test_library_and_catalogue_pages_have_search_and_filters(client):
    html = client.get(reverse("normative_docs_portal:library")).content.decode()
    assert 'name="q"' in html and 'name="status"' in html
    assert "有效" in html and "废止" in html


def test_every_portal_page_marks_the_current_entry_once_and_has_a_skip_link(client):
    for url in (reverse("portal:home"), reverse("normative_docs_portal:library"),
                reverse("enforcement_portal:certificates"), reverse("portal:search") + "?q=x"):
        html = client.get(url).content.decode()
        assert html.count('aria-current="page"') <= 1, url
        assert 'class="skip-link" href="#main"' in html and 'id="main"' in html, url
        assert html.count("<h1") == 1, url
        ids = re.findall(r'\\bid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), url


def test_certificate_check_has_its_own_navigation_entry(client):
    html = nav(client.get(reverse("enforcement_portal:certificates")).content.decode())
    current = re.findall(r'<a href="([^"]+)" class="active" aria-current="page">', html)
    assert current == [reverse("enforcement_portal:certificates")]


def test_empty_sections_say_why(client):
    html = client.get(reverse("portal:home")).content.decode()
    for s in portal_sections.sections():
        assert portal_sections.empty_explanation(s) in html, s.key
    assert "目前没有正在公开征求意见" in html


def test_home_shows_full_titles_with_number_and_date_on_a_second_line(client, monkeypatch):
    long_title = "关于进一步规范农业综合行政执法领域行政处罚自由裁量权基准适用的若干规定（试行）的实施细则"
    entry = portal_sections.PortalEntry(long_title, "/portal/normdocs/1/", timezone.localdate(), note="示农规〔2026〕3号")
    s = portal_sections.PortalSection("reports", "年度报告", "", latest=lambda limit: [entry])
    monkeypatch.setattr(portal_sections, "sections", lambda: (s,))
    html = client.get(reverse("portal:home")).content.decode()
    assert f">{long_title}</a>" in html  # whole, not cut to an ellipsis
    assert 'title="' not in html.split("portal-sections", 1)[1]  # not hidden in a tooltip
    second = re.search(r'<span class="sub">(.*?)</span></li>', html).group(1)
    assert "示农规〔2026〕3号" in second and timezone.localdate().strftime("%Y-%m-%d") in second


def test_home_lists_drafts_open_for_comment_with_their_end_date(client):
    from fazhi.normative_docs.tests.factories import make_doc

    today = timezone.localdate()
    doc = make_doc("consulting", today=today, title="关于示范区养犬管理的规定（征求意见稿）<script>x</script>")
    c = doc.consultations.get()
    html = client.get(reverse("portal:home")).content.decode()
    block = html.split('id="drafts-h"', 1)[1].split("</section>", 1)[0]
    assert "关于示范区养犬管理的规定" in block and "<script>x" not in block
    assert reverse("normative_docs_portal:consultation", args=[c.pk]) in block
    assert f"截止 {(today + timedelta(days=40)):%Y-%m-%d}" in block


def test_certificate_short_url_shows_the_check_with_the_name_masked(client):
    from fazhi.enforcement.tests.factories import make_officer
    from fazhi.org.tests.factories import UnitFactory

    unit = UnitFactory(name="示范区市场监督管理局")
    make_officer(unit, name="赵核验", number="SC-2025-0007")
    resp = client.get("/c/SC-2025-0007/")
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "赵**" in html and "赵核验" not in html
    assert unit.name in html and "有效" in html
    assert reverse("certificate_short", args=["SC-2025-0007"]) == "/c/SC-2025-0007/"
    unknown = client.get("/c/NO-SUCH-1/").content.decode()
    assert "未查询到该执法证" in unknown


def test_certificate_short_url_escapes_and_bounds_the_number(client):
    html = client.get("/c/%3Cscript%3Ealert(1)%3C%2Fscript%3E/").content.decode()
    assert "<script>alert" not in html
    assert client.get("/c/" + "9" * 41 + "/").status_code == 400


@pytest.mark.parametrize("url", ["/portal/search/?q=x&page=99999999999999999999999",
                                 "/portal/search/?q=x&section=normative-docs&page=-1",
                                 "/portal/search/?q=x&page=abc"])
def test_huge_or_bad_page_numbers_are_400_not_500(client, url):
    assert client.get(url).status_code == 400


@pytest.mark.parametrize("url", ["/portal/normdocs/?page=99999999999999999999999&year=99999999999999999999",
                                 "/portal/decisions/?year=99999999999999999999999",
                                 "/portal/enforcement/decisions/?page=99999999999999999999&unit=99999999999999999999999",
                                 "/portal/inspections/results/?page=99999999999999999999&unit=99999999999999999999999",
                                 "/portal/inspections/plans/?year=99999999999999999999999",
                                 "/portal/reports/?year=99999999999999999999999&unit=99999999999999999999999"])
def test_module_pages_survive_huge_integers(client, url):
    assert client.get(url).status_code in (200, 400, 404)


def test_the_draws_how_to_verify_page_is_a_chinese_page_not_raw_markdown(client):
    html = client.get(reverse("inspections_portal:verify")).content.decode()
    main = html.split('id="main"', 1)[1]
    for raw in ("## ", "| nobody can", "```", "**", "The verifiable draw"):
        assert raw not in main, raw
    for text in ("冻结名录和参数", "监督人和揭示", "随机数流", "各层配额", "抽取凭证和复核", "Fisher–Yates"):
        assert text in main, text
    assert main.count("<h1") == 1
    spec = client.get(reverse("inspections_portal:algorithm_spec"))
    assert spec.status_code == 200 and b"fazhi-draw/2" in spec.content
    assert spec["Content-Type"].startswith("text/markdown")


def test_the_home_shows_each_documents_validity(client):
    from fazhi.normative_docs import services
    from fazhi.normative_docs.tests.factories import make_doc

    doc = make_doc("published", title="有效性测试办法")
    services.repeal(doc, by=None, repealed_on=doc.published_on + timedelta(days=40), reason="不再适用",
                     today=doc.published_on + timedelta(days=40))
    html = client.get(reverse("portal:home")).content.decode()
    block = html.split('id="sec-normative-docs"', 1)[1].split("</section>", 1)[0]
    assert "有效性测试办法" in block and '<span class="badge badge-danger">废止</span>' in block
    assert doc.doc_number in block


@pytest.mark.parametrize("name", ["normative_docs_portal:library", "normative_docs_portal:consultations",
                                  "major_decisions_portal:index", "major_decisions_portal:consultations",
                                  "enforcement_portal:index", "enforcement_portal:decisions",
                                  "inspections_portal:index", "inspections_portal:items", "inspections_portal:plans",
                                  "inspections_portal:draws", "inspections_portal:results",
                                  "annual_report_portal:index"])
def test_no_empty_section_page_without_a_sentence_of_explanation(client, name):
    html = client.get(reverse(name)).content.decode()
    for empty in re.findall(r'<p class="empty">(.*?)</p>', html, re.S):
        assert empty.strip() not in ("暂无公开内容", "暂无公开内容。"), name
