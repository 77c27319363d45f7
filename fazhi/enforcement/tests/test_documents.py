"""Case documents (.docx): each opens with python-docx and carries the case
number, the party and the penalty; the decision names the remedies (REC-01
60 days, LIT-08 6 months) and the payment terms (ENF-14); downloads are
scoped like the case."""

from datetime import date
from io import BytesIO

import docx
import pytest
from django.test import Client
from django.urls import reverse

from fazhi.enforcement import documents
from fazhi.enforcement.tests.factories import make_case
from fazhi.enforcement.views import data_from_case

TODAY = date(2026, 3, 2)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def text_of(data: bytes) -> str:
    d = docx.Document(BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


@pytest.fixture
def decided(enf):
    return make_case("served", unit=enf.a, officers=[enf.o1, enf.o2], today=TODAY, party_name="赵六")


@pytest.mark.parametrize("kind", list(documents.DOCUMENTS))
def test_each_document_opens_and_names_case_party_and_penalty(decided, kind):
    text = text_of(documents.render(kind, data_from_case(decided)))
    assert documents.DOCUMENTS[kind] in text
    assert "赵六" in text
    assert decided.case_no in text or decided.decision_no in text
    if kind in ("notice", "decision"):
        assert "150" in text and "罚款" in text


def test_filing_form_lists_officers_with_certificates(decided, enf):
    text = text_of(documents.filing_form(data_from_case(decided)))
    cert = enf.o1.certificates.get()
    assert "执法员一" in text and cert.number in text and decided.case_no in text


def test_decision_has_the_statutory_fields(decided):
    text = text_of(documents.decision(data_from_case(decided)))
    assert decided.decision_no in text
    assert "110101199003074514" in text and "示范区幸福路8号" in text  # the party's own copy: full data
    assert "六十日内" in text and "六个月内" in text  # REC-01, LIT-08
    assert "十五日内" in text and "百分之三" in text  # ENF-14
    assert decided.unit.name in text


def test_notice_tells_the_rights(enf):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], today=TODAY)
    text = text_of(documents.notice(data_from_case(case)))
    assert "陈述和申辩" in text and "五个工作日" in text


def test_notice_offers_a_hearing_for_a_large_fine():
    data = documents.CaseDocData(unit_name="某局", case_no="X1", cause="案由", hearing_offered=True,
                                 parties=[documents.PartyData("org", "某公司", legal_rep="法人甲")],
                                 penalty="罚款人民币20万元")
    text = text_of(documents.notice(data))
    assert "要求举行听证" in text and "你单位" in text and "20万元" in text


def test_fonts_are_set_for_east_asian_text():
    data = documents.CaseDocData(unit_name="某局", case_no="X1", cause="案由")
    d = docx.Document(BytesIO(documents.decision(data)))
    run = next(r for p in d.paragraphs for r in p.runs if r.text)
    fonts = run._element.rPr.rFonts
    from docx.oxml.ns import qn

    assert fonts.get(qn("w:eastAsia")) in ("宋体", "仿宋")


def test_download_view_returns_docx(decided, enf):
    response = client_for(enf.officer_a).get(reverse("enforcement:case_document", args=[decided.pk, "decision"]))
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert "attachment" in response["Content-Disposition"]
    assert decided.decision_no in text_of(response.content)


def test_download_of_another_unit_is_404(decided, enf):
    url = reverse("enforcement:case_document", args=[decided.pk, "notice"])
    assert client_for(enf.clerk_b).get(url).status_code == 404


def test_unknown_document_is_404(decided, enf):
    url = reverse("enforcement:case_document", args=[decided.pk, "nonsense"])
    assert client_for(enf.officer_a).get(url).status_code == 404


def test_a_stored_control_character_does_not_break_a_document():
    """Defence in depth (issue 11): text stored before the input check existed."""
    data = documents.CaseDocData(unit_name="某\x01局", case_no="X1", cause="案\x0b由",
                                 parties=[documents.PartyData("org", "某\x1f公司", legal_rep="法人\x00甲")])
    for kind in documents.WRITERS:
        text = text_of(documents.render(kind, data))
        assert "某局" in text and "\x01" not in text


def test_decision_says_the_party_waived_and_the_case_was_reviewed_and_discussed(enf):
    """Read as the head who signs it: a written waiver is not "未提出", and a
    major case's decision names its 法制审核 and 集体讨论 (ENF-04, ENF-05)."""
    from fazhi.enforcement import services

    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], today=TODAY, major=True,
                     facts="经查，当事人销售假种子")
    on = case.notice_served_on
    services.waive_rights(case, by=None, today=on, on=on)
    case = type(case).objects.get(pk=case.pk)
    text = text_of(documents.decision(data_from_case(case)))
    assert f"{on.year}年{on.month}月{on.day}日书面表示放弃陈述、申辩" in text
    assert "未提出陈述" not in text
    assert "经查明：当事人销售假种子" in text and "经查，" not in text  # no doubled lead-in
    decided = make_case("decided", unit=enf.a, officers=[enf.o1, enf.o2], today=TODAY, major=True)
    text = text_of(documents.decision(data_from_case(decided)))
    assert "经法制审核" in text and "经本机关负责人集体讨论决定" in text
