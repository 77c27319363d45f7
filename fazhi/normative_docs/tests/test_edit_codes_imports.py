"""Draft edit page, issuer-code screens, the batch import service, imported
documents and filing reminders, and the issue's "bad input" list end to end
(a clear Chinese message, nothing changed)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.normative_docs import selectors, services, textio
from fazhi.normative_docs.models import IssuerCode, NormDoc, Status
from fazhi.normative_docs.tests.factories import TEXT, issuer_code, make_doc

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def audit_count() -> int:
    return AuditEntry.objects.count()


def edit_data(doc, **kw):
    data = {"title": doc.title, "issuer": doc.issuer_id, "issuer_level": "", "explanation": doc.explanation,
            "legal_basis": doc.legal_basis, "text": doc.current_version.text, "note": ""}
    if doc.touches_market:
        data["touches_market"] = "on"
    data.update(kw)
    return data


# ------------------------------------------------------------------ edit

def test_the_drafter_edits_the_metadata_without_a_new_version(nd, actions):
    doc = make_doc(unit=nd.a)
    resp = client_for(nd.clerk_a).post(reverse("normative_docs:edit", args=[doc.pk]),
                                       edit_data(doc, title="新的名称（试行）", issuer=nd.gov.pk))
    assert resp.status_code == 302
    doc.refresh_from_db()
    assert doc.title == "新的名称（试行）" and doc.is_trial and doc.issuer == nd.gov
    assert doc.issuer_level == services.issuer_level_for(nd.gov)
    assert doc.versions.count() == 1 and actions()[-1] == "normative_docs.doc.updated"


def test_a_changed_text_becomes_a_new_version(nd, actions):
    doc = make_doc(unit=nd.a)
    client_for(nd.clerk_a).post(reverse("normative_docs:edit", args=[doc.pk]),
                                edit_data(doc, text=TEXT + "\n第九条 本办法自公布之日起施行。", note="补充施行日期"))
    doc.refresh_from_db()
    assert doc.current_version.number == 2 and doc.current_version.note == "补充施行日期"
    assert actions()[-1] == "normative_docs.version.created"


def test_a_text_change_during_an_open_consultation_is_refused_and_nothing_is_saved(nd):
    doc = make_doc("consulting", unit=nd.a)
    before = audit_count()
    resp = client_for(nd.clerk_a).post(reverse("normative_docs:edit", args=[doc.pk]),
                                       edit_data(doc, title="改了名称", text="第一条 全新正文。"))
    assert resp.status_code == 409 and "NDOC-04" in resp.content.decode()
    doc.refresh_from_db()
    assert doc.title != "改了名称" and doc.versions.count() == 1 and audit_count() == before


def test_an_issuer_outside_the_drafting_line_is_refused(nd):
    doc = make_doc(unit=nd.a)
    assert services.issuer_level_for(nd.b) is not None
    with pytest.raises(services.ValidationError):
        services.update_draft(doc, by=nd.clerk_a, issuer=nd.b)


def test_another_unit_gets_404_and_a_published_document_cannot_be_edited(nd):
    doc = make_doc(unit=nd.a)
    assert client_for(nd.clerk_b).get(reverse("normative_docs:edit", args=[doc.pk])).status_code == 404
    published = make_doc("published", unit=nd.a)
    resp = client_for(nd.clerk_a).get(reverse("normative_docs:edit", args=[published.pk]))
    assert resp.status_code == 302


def test_a_reviewer_may_not_edit_a_draft(nd):
    doc = make_doc(unit=nd.a)
    assert client_for(nd.reviewer).get(reverse("normative_docs:edit", args=[doc.pk])).status_code == 403


def test_the_edit_page_escapes_user_text(nd):
    doc = make_doc(unit=nd.a)
    html = client_for(nd.clerk_a).get(reverse("normative_docs:edit", args=[doc.pk])).content.decode()
    assert "<script>" not in html.split("<main", 1)[-1] and "&lt;script&gt;" in html


# ---------------------------------------------------------- issuer codes

def test_the_reviewer_sets_an_issuer_code(nd, actions):
    c = client_for(nd.reviewer)
    assert nd.a.name in c.get(reverse("normative_docs:issuer_codes")).content.decode()
    resp = c.post(reverse("normative_docs:issuer_code_edit", args=[nd.a.pk]),
                  {"number_prefix": "示范农发", "registration_prefix": "sfny"})
    assert resp.status_code == 302
    code = IssuerCode.objects.get(unit=nd.a)
    assert (code.number_prefix, code.registration_prefix) == ("示范农发", "SFNY")
    assert actions()[-1] == "normative_docs.issuer_code.set"


def test_a_code_in_use_is_refused_in_chinese(nd):
    issuer_code(nd.b, "示范农发", "SFNY")
    resp = client_for(nd.reviewer).post(reverse("normative_docs:issuer_code_edit", args=[nd.a.pk]),
                                        {"number_prefix": "示范农发", "registration_prefix": "SFNA"})
    assert resp.status_code == 400 and "已由" in resp.content.decode()
    assert not IssuerCode.objects.filter(unit=nd.a).exists()


def test_a_clerk_cannot_open_the_issuer_codes(nd):
    c = client_for(nd.clerk_a)
    assert c.get(reverse("normative_docs:issuer_codes")).status_code == 403
    assert c.get(reverse("normative_docs:issuer_code_edit", args=[nd.a.pk])).status_code == 403


def test_an_internal_unit_is_not_an_issuer(nd):
    from fazhi.org.tests.factories import UnitFactory

    office = UnitFactory(name="内设科室", parent=nd.a, kind="internal")
    resp = client_for(nd.reviewer).get(reverse("normative_docs:issuer_code_edit", args=[office.pk]))
    assert resp.status_code == 404


# ------------------------------------------------------------ selectors

def test_doc_list_filters_by_unit_market_and_overdue(nd):
    market = make_doc(unit=nd.a, touches_market=True, title="涉市场")
    plain = make_doc(unit=nd.b, title="不涉市场")
    late = make_doc("published", unit=nd.a, title="逾期未报备")
    titles = lambda qs: {d.title for d in qs}  # noqa: E731
    assert titles(selectors.doc_list(nd.reviewer, unit=nd.a)) == {"涉市场", "逾期未报备"}
    assert titles(selectors.doc_list(nd.reviewer, touches_market=False)) >= {plain.title}
    assert market.title not in titles(selectors.doc_list(nd.reviewer, touches_market=False))
    assert titles(selectors.doc_list(nd.reviewer, overdue=True, today=late.filing_due)) == set()
    assert titles(selectors.doc_list(nd.reviewer, overdue=True, today=date(2027, 1, 1))) == {"逾期未报备"}


def test_version_chain_crosses_amendments(nd):
    doc = make_doc("amended", unit=nd.a)
    new = NormDoc.objects.get(amendment_of=doc)
    chain = selectors.version_chain(new)
    assert [v.doc_id for v in chain][0] == doc.pk and chain[-1].doc_id == new.pk


# ---------------------------------------------------------------- imports

ITEM = {"name": "a.txt", "title": "旧办法", "text": TEXT, "doc_number": "示范农发〔2023〕1号",
        "published_on": "2023-04-01", "effective_on": "", "valid_until": "", "errors": []}


def test_import_documents_saves_the_batch_with_a_per_file_report(nd):
    report = services.import_documents([{**ITEM, "issuer_id": nd.a.pk}], by=nd.reviewer)
    assert report["ok"] and report["rows"][0]["ok"] and "示范农发〔2023〕1号" in report["rows"][0]["message"]


def test_one_bad_file_keeps_the_whole_batch_out(nd):
    before = audit_count()
    report = services.import_documents([
        {**ITEM, "issuer_id": nd.a.pk},
        {**ITEM, "name": "b.txt", "issuer_id": nd.a.pk, "errors": ["未识别出文号"]},
    ], by=nd.reviewer)
    assert not report["ok"]
    assert [r["ok"] for r in report["rows"]] == [None, False]
    assert not NormDoc.objects.exists() and audit_count() == before


def test_an_imported_document_is_no_overdue_filing_and_no_reminder(nd):
    doc = services.import_document(unit=nd.a, issuer=nd.a, title="旧办法", text=TEXT, doc_number="示范农发〔2023〕1号",
                                   published_on=date(2023, 4, 1), by=nd.reviewer)
    assert doc.filing_due is None and doc.filing_rule.startswith("历史导入")
    assert not selectors.filings_overdue(date(2026, 3, 2)).filter(pk=doc.pk).exists()
    assert not [i for i in selectors.dashboard_items(nd.clerk_a, date(2026, 3, 2)) if "旧办法" in i.title]


def test_a_filing_of_an_imported_document_is_measured_against_the_legal_term(nd):
    doc = services.import_document(unit=nd.a, issuer=nd.a, title="旧办法", text=TEXT, doc_number="示范农发〔2023〕1号",
                                   published_on=date(2023, 4, 1), by=nd.reviewer)
    f = services.file_doc(doc, by=nd.clerk_a, filed_on=date(2023, 4, 10),
                          package={k: True for k in services.PACKAGE_ITEMS}, today=date(2023, 4, 10))
    assert f.on_time and f.due == date(2023, 4, 16)


# -------------------------------------------------------------- bad input

def _upload(name, content: bytes):
    return SimpleUploadedFile(name, content)


def _create(nd, **kw):
    data = {"title": "新办法", "unit": nd.a.pk, "issuer": nd.a.pk, "issuer_level": "", "explanation": "",
            "legal_basis": "", "text": ""}
    data.update(kw)
    return client_for(nd.clerk_a).post(reverse("normative_docs:create"), data)


def test_an_upload_over_the_size_limit_is_refused_and_nothing_saved(nd):
    before = audit_count()
    resp = _create(nd, upload=_upload("大.txt", b"a" * (textio.DEFAULT_MAX_BYTES + 1)))
    assert resp.status_code == 400 and "文件超过大小限制" in resp.content.decode()
    assert not NormDoc.objects.exists() and audit_count() == before


def test_an_empty_upload_is_refused_and_nothing_saved(nd):
    resp = _create(nd, upload=_upload("空.txt", b""))
    assert resp.status_code == 400 and "空文件" in resp.content.decode()  # Django's own check, in Chinese
    assert not NormDoc.objects.exists()


def test_a_pdf_posing_as_docx_is_refused_and_nothing_saved(nd):
    resp = _create(nd, upload=_upload("办法.docx", b"%PDF-1.7 not a word file"))
    assert resp.status_code == 400 and ".docx" in resp.content.decode()
    assert not NormDoc.objects.exists()


def test_an_illegal_transition_on_the_page_names_the_rule_and_changes_nothing(nd):
    doc = make_doc(unit=nd.a)
    before = audit_count()
    resp = client_for(nd.clerk_a).post(reverse("normative_docs:action", args=[doc.pk, "submit_legal_review"]))
    assert resp.status_code == 409 and "NDOC-04" in resp.content.decode()
    doc.refresh_from_db()
    assert doc.status == Status.DRAFTING and audit_count() == before


def test_a_number_collision_on_the_page_is_refused_and_changes_nothing(nd):
    issuer_code(nd.a, "示范农发", "SFNY")
    services.import_document(unit=nd.a, issuer=nd.a, title="旧办法", text=TEXT,
                             doc_number=f"示范农发〔{date.today().year}〕1号", published_on=date(2026, 1, 5),
                             by=nd.reviewer)
    doc = make_doc("signed", unit=nd.a)
    before = audit_count()
    resp = client_for(nd.reviewer).post(reverse("normative_docs:action", args=[doc.pk, "register"]),
                                        {"register-number_prefix": ""})
    assert resp.status_code == 409 and "NDOC-10" in resp.content.decode()
    doc.refresh_from_db()
    assert doc.status == Status.SIGNED and doc.doc_number == "" and audit_count() == before
