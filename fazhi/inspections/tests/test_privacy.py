"""Personal data and the publication of inspection results (RAND-07; 政府信息公开条例
art. 15; 个人信息保护法 arts. 25, 34): an individual business's operator is
hidden on every public surface alike, searching their name finds nothing, and
publication waits until a person has decided each number or address."""

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.core import privacy
from fazhi.core.privacy import PersonalDataUnconfirmed
from fazhi.inspections import services
from fazhi.inspections.models import InspectionStatus
from fazhi.inspections.tests.factories import SCRIPT, EntityFactory, InspectionFactory, credit_code

pytestmark = pytest.mark.django_db

OPERATOR, SPACED_ID, SPACED_PHONE = "欧阳小明", "1101 0119 8001 0112 34", "138 0013 8000"


def client_for(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def individual(**kw):
    return EntityFactory(name=f"{OPERATOR}水果店{SCRIPT}", credit_code=credit_code(88, prefix="92990101"),
                         entity_type="个体工商户", legal_rep=OPERATOR, contact=OPERATOR, **kw)


PUBLIC = (
    reverse("portal:home"), reverse("portal:section", args=["inspections"]),
    reverse("inspections_portal:index"), reverse("inspections_portal:results"),
    reverse("api:inspections:public_result_list"),
)


def test_every_public_surface_hides_the_operator_alike(client, ins):
    i = InspectionFactory(unit=ins.a, entity=individual(), published=True)
    i.public_findings = f"经营者（身份证 {SPACED_ID}，手机 {SPACED_PHONE}）已改正{SCRIPT}"
    i.save()
    for url in PUBLIC:
        resp = client.get(url)
        text = resp.content.decode() if resp["Content-Type"].startswith("text/html") else str(resp.json())
        assert OPERATOR not in text and SPACED_ID not in text and SPACED_PHONE not in text, url
        assert "欧阳**水果店" in text, url  # the same rule everywhere: compound surname kept
        if resp["Content-Type"].startswith("text/html"):
            assert "<script>alert" not in text, url


@pytest.mark.parametrize("q", [OPERATOR, "小明", "阳小明水果店"])
def test_searching_the_operators_name_finds_nothing(client, ins, q):
    i = InspectionFactory(unit=ins.a, entity=individual(), published=True)
    html = client.get(reverse("inspections_portal:results"), {"q": q}).content.decode()
    assert i.entity.credit_code not in html
    assert client.get(reverse("api:inspections:public_result_list"), {"q": q}).json()["count"] == 0


def test_searching_what_is_shown_still_finds_it(client, ins):
    i = InspectionFactory(unit=ins.a, entity=individual(), published=True)
    for q in ("水果店", i.entity.credit_code, "欧阳"):
        assert i.entity.credit_code in client.get(reverse("inspections_portal:results"), {"q": q}).content.decode(), q


def test_publication_is_refused_until_each_hit_is_decided_then_audited(ins):
    i = InspectionFactory(unit=ins.a, entity=individual(), recorded=True,
                          findings=f"经营者手机 {SPACED_PHONE}，住大河村3组，已改正")
    with pytest.raises(PersonalDataUnconfirmed) as e:
        services.publish_result(i, by=ins.head_a)
    assert e.value.rule.startswith("RAND-07") and "个人信息保护法" in e.value.rule
    assert "手机号 138****8000" in e.value.message and "住址" in e.value.message
    i.refresh_from_db()
    assert i.status == InspectionStatus.RECORDED

    privacy.decide(i, value=SPACED_PHONE, decision="mask", by=ins.head_a)
    privacy.decide(i, value="大河村3组", decision="mask", by=ins.head_a)
    services.publish_result(i, by=ins.head_a)
    i.refresh_from_db()
    assert i.status == InspectionStatus.PUBLISHED
    assert SPACED_PHONE not in i.public_findings and "大河村" not in i.public_findings
    assert "138****8000" in i.public_findings and "[住址已隐去]" in i.public_findings
    decided = AuditEntry.objects.filter(action="core.personal_data.decided", object_id=str(i.pk))
    assert decided.count() == 2 and all(e.object_type == "inspections.inspection" for e in decided)


def test_only_a_publisher_of_the_unit_decides(ins):
    i = InspectionFactory(unit=ins.a, recorded=True, findings=f"手机 {SPACED_PHONE}")
    with pytest.raises(privacy.PermissionDenied):
        privacy.decide(i, value=SPACED_PHONE, decision="keep", by=ins.clerk_b)


def test_the_result_page_shows_the_hits_with_a_button_each(ins):
    i = InspectionFactory(unit=ins.a, recorded=True, findings=f"手机 {SPACED_PHONE}")
    html = client_for(ins.head_a).get(reverse("inspections:inspection_detail", args=[i.pk])).content.decode()
    assert "公开前须逐条确认的个人信息（1处）" in html and SPACED_PHONE in html
    assert reverse("shell:privacy_decide", args=["inspections.inspection", i.pk]) in html
