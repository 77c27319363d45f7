"""The enforcing organ is the legal subject, and its documents read right.

A case handled by an internal unit (执法大队) is numbered, decided, sealed and
published in the name of its department; the 复议机关 is the county
government (行政复议法 2023 第二十四条), the court the county's basic court
(行政诉讼法第十八条), with the statutory periods. Each document type is
rendered and read against its template (处罚法第四十四条, 第五十二条, 第五十九条).
On main every agricultural 决定书 named the bureau itself as 复议机关 and was
issued by the 执法大队."""

import io
from datetime import date, timedelta
from io import BytesIO

import docx
import pytest
from django.test import override_settings

from fazhi.enforcement import demo, documents, organs, services
from fazhi.enforcement.models import PenaltyCase
from fazhi.enforcement.tests.factories import default_type, make_case, make_officer
from fazhi.enforcement.tests.test_documents import text_of
from fazhi.enforcement.views import data_from_case
from fazhi.org import demo as org_demo
from fazhi.org.models import UnitKind
from fazhi.org.tests.factories import PersonFactory, UnitFactory

D = date(2026, 3, 2)
PLACEHOLDERS = ("未填写", "待编", "（未登记")


def paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(BytesIO(data)).paragraphs if p.text.strip()]


@pytest.fixture
def squad(enf):
    zfdd = UnitFactory(name="示范区农业农村局执法大队", short_name="执法大队", kind=UnitKind.INTERNAL, parent=enf.a)
    PersonFactory(unit=enf.a, name="局长乙", roles=[("head", enf.a, True)])
    return zfdd, [make_officer(zfdd, name="队员一"), make_officer(zfdd, name="队员二")]


# --------------------------------------------------------------- the organ

def test_the_organ_of_an_internal_unit_is_its_department(enf, squad):
    zfdd, _ = squad
    assert organs.legal_subject(zfdd) == enf.a
    assert organs.legal_subject(enf.a) == enf.a


def test_a_unit_marked_as_enforcement_subject_acts_in_its_own_name(enf):
    bureau = UnitFactory(name="示范区综合行政执法局", kind=UnitKind.INSTITUTION, parent=enf.gov,
                         is_enforcement_subject=True)
    team = UnitFactory(name="示范区综合行政执法局一中队", kind=UnitKind.INTERNAL, parent=bureau)
    unmarked = UnitFactory(name="示范区某站", kind=UnitKind.INSTITUTION, parent=enf.a)
    assert organs.legal_subject(team) == bureau
    assert organs.legal_subject(unmarked) == enf.a


def test_review_body_is_the_county_government_and_the_court_the_county_court(enf):
    r = organs.remedies(enf.a)
    assert r.review_body == "示范区人民政府" and r.court == "示范区人民法院"
    assert r.review_rule == "行政复议法第二十四条第一款第一项"
    town = UnitFactory(name="示范区龙凤镇人民政府", kind=UnitKind.TOWN, parent=enf.gov)
    assert organs.remedies(town).review_body == "示范区人民政府"
    assert organs.remedies(enf.s).review_body == "示范区人民政府或者上一级司法行政部门"  # 第二十八条
    assert organs.court(enf.gov).endswith("中级人民法院")  # 行政诉讼法第十五条


def test_vertical_systems_and_concentrated_courts_are_settings(enf):
    tax = UnitFactory(name="国家税务总局示范区税务局", parent=enf.gov)
    with override_settings(FAZHI_ENFORCEMENT={
            "review_bodies": {"国家税务总局示范区税务局": "国家税务总局示范市税务局"}, "court": "示范市铁路运输法院"}):
        r = organs.remedies(tax)
        assert r.review_body == "国家税务总局示范市税务局" and r.court == "示范市铁路运输法院"


def test_a_squad_case_is_numbered_decided_and_published_by_the_department(enf, squad):
    zfdd, officers = squad
    case = make_case("decided", unit=zfdd, officers=officers, today=D)
    code = enf.a.enforcement_code
    assert case.case_no.startswith(code.case_prefix) and case.decision_no.startswith(code.decision_prefix)
    pub = case.publications.get()
    assert pub.unit == enf.a and pub.title.startswith("示范区农业农村局行政处罚决定")
    assert "执法机关：示范区农业农村局" in pub.content and "执法大队" not in pub.content


# --------------------------------------------------------------- documents

def test_the_decision_of_a_squad_case_names_the_department_and_the_right_remedies(enf, squad):
    zfdd, officers = squad
    case = make_case("served", unit=zfdd, officers=officers, today=D)
    paras = paragraphs(documents.decision(data_from_case(case)))
    assert paras[0] == "示范区农业农村局" and paras[1] == "行政处罚决定书"
    assert paras[-2] == "示范区农业农村局（印章）"  # (六) the organ and its seal
    text = "\n".join(paras)
    assert "执法大队" not in text
    assert "向示范区人民政府申请行政复议" in text and "向示范区人民法院提起行政诉讼" in text
    assert "自收到本决定书之日起六十日内" in text and "自收到本决定书之日起六个月内" in text


def test_every_document_of_a_case_names_the_organ_and_has_no_blanks(enf, squad):
    zfdd, officers = squad
    case = make_case("served", unit=zfdd, officers=officers, today=D)
    data = data_from_case(case)
    for kind in documents.DOCUMENTS:
        text = text_of(documents.render(kind, data))
        assert text.splitlines()[0] == "示范区农业农村局", kind
        assert "执法大队" not in text.splitlines()[0]
        for blank in PLACEHOLDERS:
            assert blank not in text, (kind, blank)


def test_the_decision_carries_every_element_of_article_59(enf):
    case = make_case("served", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    text = text_of(documents.decision(data_from_case(case)))
    assert "当事人：张三丰" in text and "住址：示范区幸福路8号" in text  # (一)
    assert "经查明：" in text and "以上事实有下列证据证明" in text  # (二)
    assert "违反了《中华人民共和国种子法》第四十八条第一款的规定" in text  # (三) 依据
    assert "依据《中华人民共和国种子法》第七十四条的规定" in text and "罚款人民币150元" in text  # (三) 种类
    assert "本机关认为：" in text and "按裁量基准" in text  # reasons
    assert "十五日内" in text and "百分之三" in text  # (四)
    assert "六十日内" in text and "六个月内" in text  # (五)
    assert case.decision_no in text and f"{case.decided_on.year}年{case.decided_on.month}月" in text  # (六)


def test_the_notice_carries_article_44(enf):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    text = text_of(documents.notice(data_from_case(case)))
    assert "拟对你作出如下行政处罚：罚款150.00元" in text or "拟对你作出如下行政处罚：罚款" in text
    assert "违反了《中华人民共和国种子法》第四十八条第一款的规定" in text
    assert "陈述和申辩" in text and "五个工作日" in text
    for blank in PLACEHOLDERS:
        assert blank not in text


def test_the_notice_without_a_catalogued_basis_states_the_notified_reasons(enf):
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], today=D, violation_type=None)
    text = text_of(documents.notice(data_from_case(case)))
    assert "本机关认为：违反《种子法》第四十九条" in text and "未填写" not in text


def test_the_filing_form_records_the_approval(enf):
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    text = text_of(documents.filing_form(data_from_case(case)))
    assert "同意立案" in text and "2026年3月2日" in text


def test_the_summary_decision_goes_to_review_first_and_names_time_place_and_officers(enf):
    case = services.summary_decide(unit=enf.a, by=None, today=D, officers=[enf.o1, enf.o2], cause="乱堆物料",
                                   party_kind="person", party_name="李四", penalty_kinds="罚款", fine_amount="100",
                                   facts="在人行道堆放纸箱", place="滨河路12号门前", violation_type=default_type(enf.a),
                                   severity="general")
    text = text_of(documents.decision(data_from_case(case)))
    assert "当场行政处罚决定书" in text and "2026年3月2日，在滨河路12号门前" in text
    assert "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内" in text  # 行政复议法第二十三条
    assert "执法员一（执法证号：" in text and "示范区农业农村局（印章）" in text


# --------------------------------------------------------------- the demo

@pytest.fixture
def loaded(db):
    out = io.StringIO()
    org_demo.load(out)
    demo.load(out)


def test_the_demo_agriculture_decisions_read_right(loaded):
    cases = PenaltyCase.objects.filter(unit__name__endswith="执法大队", decided_on__isnull=False)
    assert cases.exists()
    for case in cases:
        paras = paragraphs(documents.decision(data_from_case(case)))
        text = "\n".join(paras)
        assert paras[0] == "示范区农业农村局" and "示范区农业农村局（印章）" in paras
        assert "向示范区人民政府申请行政复议" in text and "向示范区人民法院提起行政诉讼" in text
        assert "执法大队" not in text and "未填写" not in text
        assert case.decision_no.startswith("示范农罚决")


def test_the_demo_decisions_were_taken_by_heads_who_did_not_handle_them(loaded):
    from fazhi.audit.models import AuditEntry

    for entry in AuditEntry.objects.filter(action="enforcement.case.decided"):
        case = PenaltyCase.objects.get(pk=entry.object_id)
        handlers = set(case.case_officers.values_list("officer__person__user_id", flat=True)) | {case.created_by_id}
        assert entry.actor_id and entry.actor_id not in handlers
        assert entry.actor_post in ("局长", "分管执法工作的副局长", "副局长")
    extended = PenaltyCase.objects.get(extensions__isnull=False)
    assert extended.clock_stops.filter(kind="testing").exists()
    assert extended.extensions.get().approved_on <= extended.extensions.get().old_due
    assert extended.decision_due > demo.TODAY - timedelta(days=1)
