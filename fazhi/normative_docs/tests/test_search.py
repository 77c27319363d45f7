"""search_documents: every word in the title or the current text; 1–2 character Chinese terms too."""

from datetime import date

import pytest
from django.db import connection

from fazhi.normative_docs import search
from fazhi.normative_docs.tests.factories import make_doc

pytestmark = pytest.mark.django_db

TEXT_A = "第一条 为了加强渔船安全管理，制定本办法。\n第二条 本办法适用于本区渔港。\n"
TEXT_B = "第一条 为了规范殡葬服务收费，制定本规定。\n第二条 收费标准由区发展改革部门核定。\n"


@pytest.fixture
def docs():
    a = make_doc("published", title="渔船管理办法", text=TEXT_A)
    b = make_doc("repealed", title="殡葬服务规定", text=TEXT_B)
    draft = make_doc("registered", title="渔船与殡葬草案", text=TEXT_A + TEXT_B)
    return a, b, draft


def found(q, **kw):
    return set(search.search_documents(q, today=date(2026, 6, 1), **kw).values_list("title", flat=True))


@pytest.mark.parametrize("q,expected", [
    ("渔", {"渔船管理办法"}),          # 1 character, title and text
    ("殡", {"殡葬服务规定"}),
    ("港", {"渔船管理办法"}),          # 1 character, text only
    ("渔港", {"渔船管理办法"}),        # 2 characters, text only
    ("收费", {"殡葬服务规定"}),        # 2 characters, text only
    ("殡葬服务", {"殡葬服务规定"}),    # 4 characters
    ("发展改革部门", {"殡葬服务规定"}),
    ("为了", {"渔船管理办法", "殡葬服务规定"}),
    ("渔船 渔港", {"渔船管理办法"}),   # every word must occur
    ("渔船 收费", set()),
    ("不存在的词", set()),
    ("", {"渔船管理办法", "殡葬服务规定"}),
])
def test_search_finds_the_right_published_documents(docs, q, expected):
    assert found(q) == expected


def test_drafts_are_never_found_publicly(docs):
    assert "渔船与殡葬草案" not in found("渔船")
    assert "渔船与殡葬草案" in found("渔船", public=False)


def test_like_wildcards_in_the_query_are_literal(docs):
    assert found("%") == set() and found("_") == set()


def test_filters(docs):
    a, b, _ = docs
    assert found("", filters=search.Filters(status="废止")) == {"殡葬服务规定"}
    assert found("", filters=search.Filters(status="有效")) == {"渔船管理办法"}
    assert found("", filters=search.Filters(issuer=a.issuer_id)) == {"渔船管理办法"}
    assert found("", filters=search.Filters(year=a.published_on.year)) == {"渔船管理办法", "殡葬服务规定"}
    assert found("", filters=search.Filters(year=1999)) == set()


def test_a_published_document_past_its_validity_counts_as_lapsed(docs):
    a, _, _ = docs
    later = a.valid_until.replace(year=a.valid_until.year + 1)
    lapsed = search.search_documents("", filters=search.Filters(status="失效"), today=later)
    assert a in lapsed


def test_filters_from_params_ignore_bad_values():
    f = search.Filters.from_params({"issuer": "x", "year": "20x6", "status": "<b>"})
    assert f == search.Filters()
    assert search.Filters.from_params({"year": "2026", "status": "有效"}) == search.Filters(year=2026, status="有效")


def test_newest_publication_first(docs):
    rows = list(search.search_documents(""))
    assert [d.published_on for d in rows] == sorted((d.published_on for d in rows), reverse=True)


def test_capped_paginator_stops_counting_at_the_cap(docs):
    p = search.CappedPaginator(search.search_documents(""), 1, cap=1)
    assert p.count == 2 and p.capped


@pytest.mark.postgres
def test_bigram_index_and_trigram_indexes_exist():
    with connection.cursor() as cur:
        cur.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'nd\\_%'")
        names = {r[0] for r in cur.fetchall()}
    assert {"nd_doc_title_trgm", "nd_version_text_trgm", "nd_doc_title_bigram", "nd_version_text_bigram",
            "nd_doc_public_pub"} <= names


@pytest.mark.postgres
def test_bigrams_function_covers_every_character_and_pair():
    with connection.cursor() as cur:
        cur.execute("SELECT normdocs_bigrams(%s) @@ %s::tsquery, normdocs_bigrams(%s) @@ %s::tsquery, "
                    "normdocs_bigrams(%s) @@ %s::tsquery",
                    ["第一条 渔船管理", "'船管'", "第一条 渔船管理", "'理':*", "第一条 渔船", "'条渔'"])
        assert cur.fetchone() == (True, True, False)  # no pair across a space


@pytest.mark.postgres
def test_common_terms_are_found_too(docs, monkeypatch):
    # Force the "common term" plan (row by row in publication order).
    monkeypatch.setattr(search, "PROBE", 1)
    assert found("渔") == {"渔船管理办法"}
    assert found("收费") == {"殡葬服务规定"}
    assert found("发展改革部门") == {"殡葬服务规定"}
    p = search.CappedPaginator(search.search_documents("为了"), 20)
    assert p.count == 2
