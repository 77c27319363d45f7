"""Personal data and penalty-decision publication (ENF-20; 政府信息公开条例 art. 15;
个人信息保护法 arts. 25, 34): numbers in any spacing never reach a public
surface, a hidden name never finds its row, and publication waits until a
person has decided each hit — recorded and audited."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.core import privacy
from fazhi.core.models import PrivacyDecision
from fazhi.core.privacy import PersonalDataUnconfirmed
from fazhi.enforcement import services
from fazhi.enforcement.models import PublicationRecord, PublicationStatus
from fazhi.enforcement.tests.factories import SCRIPT, make_case

pytestmark = pytest.mark.django_db

SPACED_ID, SPACED_PHONE, HOTLINE = "1101 0119 8001 0112 34", "138 0013 8000", "0571-8765 4321"


def client_for(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def pending_publication(enf, **kw) -> PublicationRecord:
    case = make_case("decided", unit=enf.a, officers=[enf.o1, enf.o2], **kw)
    return case.publications.get()


def on_display(pub: PublicationRecord, *, by=None) -> PublicationRecord:
    return services.publish(pub, by=by, today=pub.decision_date + timedelta(days=1))


PUBLIC_PAGES = (
    lambda p: reverse("enforcement_portal:decision", args=[p.pk]),
    lambda p: reverse("enforcement_portal:decisions"),
    lambda p: reverse("enforcement_portal:index"),
    lambda p: reverse("portal:home"),
    lambda p: reverse("portal:section", args=["enforcement"]),
    lambda p: reverse("api:enforcement:decision_list"),
    lambda p: reverse("api:enforcement:decision_detail", args=[p.pk]),
)


def test_an_id_number_written_with_spaces_never_reaches_a_public_surface(client, enf):
    pub = pending_publication(enf, facts=f"经查，当事人（公民身份号码 {SPACED_ID}，电话 {SPACED_PHONE}）销售假种子{SCRIPT}")
    on_display(pub)
    for page in PUBLIC_PAGES:
        resp = client.get(page(pub))
        html = resp.content.decode()
        assert SPACED_ID not in html and SPACED_PHONE not in html, page(pub)
        if resp["Content-Type"].startswith("text/html"):
            assert "<script>alert" not in html, page(pub)
    assert "[身份证号已隐去]" in client.get(PUBLIC_PAGES[0](pub)).content.decode()


def test_a_legacy_text_with_a_full_name_and_spaced_number_is_masked_and_not_found(client, enf):
    """Published before this check: the page masks it and search cannot reach it."""
    pub = on_display(pending_publication(enf))
    PublicationRecord.objects.filter(pk=pub.pk).update(title=f"张三丰（{SPACED_ID}）行政处罚决定书",
                                                       content=f"当事人：张三丰，{SPACED_ID}")
    page = client.get(PUBLIC_PAGES[0](pub)).content.decode()
    assert "张三丰" not in page and SPACED_ID not in page and "张**" in page
    for q in ("张三丰", "1101 0119", "三丰"):
        html = client.get(reverse("enforcement_portal:decisions"), {"q": q}).content.decode()
        assert reverse("enforcement_portal:decision", args=[pub.pk]) not in html, q
        api = client.get(reverse("api:enforcement:decision_list"), {"q": q}).json()
        assert api["count"] == 0, q
    html = client.get(reverse("enforcement_portal:decisions"), {"q": "行政处罚决定书"}).content.decode()
    assert reverse("enforcement_portal:decision", args=[pub.pk]) in html


def test_publication_is_refused_until_each_hit_is_decided(enf):
    pub = pending_publication(enf)
    text = pub.content + f"\n咨询电话：{HOTLINE}\n另查明：{SPACED_ID}"
    with pytest.raises(PersonalDataUnconfirmed) as e:
        services.publish(pub, by=enf.head_a, today=pub.decision_date, content=text)
    assert e.value.rule.startswith("ENF-20") and "政府信息公开条例第十五条" in e.value.rule
    assert "固定电话 0571-****4321" in e.value.message and "身份证号 1101**********1234" in e.value.message
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.PENDING

    privacy.decide(pub, value=HOTLINE, decision="keep", by=enf.head_a)
    with pytest.raises(PersonalDataUnconfirmed) as e:
        services.publish(pub, by=enf.head_a, today=pub.decision_date, content=text)
    assert "0571" not in e.value.message  # decided: no longer listed
    privacy.decide(pub, value="110101-19800101-1234", decision="mask", by=enf.head_a)  # the same number, written otherwise

    services.publish(pub, by=enf.head_a, today=pub.decision_date, content=text)
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.PUBLISHED
    assert SPACED_ID not in pub.content and "[身份证号已隐去]" in pub.content and HOTLINE in pub.content


def test_a_kept_hotline_is_shown_and_a_masked_number_is_not(client, enf):
    pub = pending_publication(enf)
    text = pub.content + f"\n咨询电话：{HOTLINE}\n当事人手机 {SPACED_PHONE}"
    privacy.decide(pub, value=HOTLINE, decision="keep", by=enf.head_a)
    privacy.decide(pub, value=SPACED_PHONE, decision="mask", by=enf.head_a)
    services.publish(pub, by=enf.head_a, today=pub.decision_date, content=text)
    html = client.get(reverse("enforcement_portal:decision", args=[pub.pk])).content.decode()
    assert HOTLINE in html and SPACED_PHONE not in html and "138****8000" in html
    api = client.get(reverse("api:enforcement:decision_detail", args=[pub.pk])).json()
    assert HOTLINE in api["content"] and SPACED_PHONE not in api["content"]


def test_each_decision_is_recorded_and_audited_without_the_value(enf):
    pub = pending_publication(enf)
    privacy.decide(pub, value=SPACED_ID, decision="mask", by=enf.head_a)
    row = PrivacyDecision.objects.get()
    assert (row.subject_type, row.subject_id, row.decision, row.value) == (
        "enforcement.publicationrecord", str(pub.pk), "mask", "")
    assert row.decided_by == enf.head_a and row.decided_by_name == "局长甲"
    entry = AuditEntry.objects.get(action="core.personal_data.decided")
    assert entry.object_type == "enforcement.publicationrecord" and entry.object_id == str(pub.pk)
    assert entry.data["decision"] == "mask" and entry.data["preview"] == "1101**********1234"
    assert "110101198001011234" not in str(entry.data)


def test_only_someone_who_may_publish_decides(enf):
    pub = pending_publication(enf)
    for user in (enf.clerk_b, enf.officer_a):
        with pytest.raises(privacy.PermissionDenied):
            privacy.decide(pub, value=SPACED_ID, decision="keep", by=user)
    assert not PrivacyDecision.objects.exists() and not AuditEntry.objects.filter(
        action="core.personal_data.decided").exists()


def test_a_decision_needs_a_recognisable_value_and_a_choice(enf):
    pub = pending_publication(enf)
    for value, decision in (("没有号码", "mask"), (SPACED_ID, "publish"), (f"{SPACED_ID} {SPACED_PHONE}", "mask")):
        with pytest.raises(privacy.ValidationError):
            privacy.decide(pub, value=value, decision=decision, by=enf.head_a)
    assert not PrivacyDecision.objects.exists()


# ------------------------------------------------------------------ the staff page


def test_the_case_page_lists_the_hits_and_a_click_decides_each_without_js(enf, monkeypatch):
    monkeypatch.setattr("fazhi.enforcement.views.common.today", lambda: pub.decision_date + timedelta(days=1))
    pub = pending_publication(enf)
    c = client_for(enf.head_a)
    text = pub.content + f"\n咨询电话：{HOTLINE}"
    resp = c.post(reverse("enforcement:case_action", args=[pub.case_id, "publish"]),
                  {"publish-title": pub.title, "publish-content": text})
    html = resp.content.decode()
    assert resp.status_code == 400 and "未经确认的个人信息" in html and "公开前须逐条确认的个人信息（1处）" in html
    decide_url = reverse("shell:privacy_decide", args=["enforcement.publicationrecord", pub.pk])
    assert decide_url in html and HOTLINE in html

    back = reverse("enforcement:case_detail", args=[pub.case_id])
    resp = c.post(decide_url, {"value": HOTLINE, "decision": "keep", "next": back})
    assert resp.status_code == 302 and resp["Location"] == back
    resp = c.post(reverse("enforcement:case_action", args=[pub.case_id, "publish"]),
                  {"publish-title": pub.title, "publish-content": text})
    assert resp.status_code == 302
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.PUBLISHED and HOTLINE in pub.content


def test_with_htmx_the_decision_replaces_its_row(enf):
    pub = pending_publication(enf)
    resp = client_for(enf.head_a).post(
        reverse("shell:privacy_decide", args=["enforcement.publicationrecord", pub.pk]),
        {"value": SPACED_ID, "decision": "mask"}, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200 and "隐去" in resp.content.decode() and "<html" not in resp.content.decode()
    assert PrivacyDecision.objects.get().decision == "mask"


def test_the_decide_page_refuses_another_unit_and_an_outside_next(enf):
    pub = pending_publication(enf)
    url = reverse("shell:privacy_decide", args=["enforcement.publicationrecord", pub.pk])
    assert client_for(enf.clerk_b).post(url, {"value": SPACED_ID, "decision": "keep"}).status_code == 403
    assert client_for(enf.clerk_b).get(
        reverse("shell:privacy_review", args=["enforcement.publicationrecord", pub.pk])).status_code == 403
    resp = client_for(enf.head_a).post(url, {"value": SPACED_ID, "decision": "mask", "next": "https://evil.example/"})
    assert resp.status_code == 302 and resp["Location"] == reverse(
        "shell:privacy_review", args=["enforcement.publicationrecord", pub.pk])
    assert client_for(enf.head_a).get(url).status_code == 405
    assert client_for(enf.head_a).post(reverse("shell:privacy_decide", args=["nosuch.model", 1]),
                                       {"value": SPACED_ID, "decision": "mask"}).status_code == 404


def test_the_review_page_lists_every_hit_with_its_decision(enf):
    pub = pending_publication(enf)
    PublicationRecord.objects.filter(pk=pub.pk).update(content=pub.content + f"\n电话 {SPACED_PHONE}\n{SCRIPT}")
    privacy.decide(pub, value=SPACED_PHONE, decision="mask", by=enf.head_a)
    html = client_for(enf.head_a).get(
        reverse("shell:privacy_review", args=["enforcement.publicationrecord", pub.pk])).content.decode()
    assert SPACED_PHONE in html and "已全部确认" in html and "<script>alert" not in html


def test_through_the_api_publication_is_refused_then_decided_then_allowed(enf):
    from rest_framework.test import APIClient

    pub = pending_publication(enf)
    PublicationRecord.objects.filter(pk=pub.pk).update(content=pub.content + f"\n咨询电话 {HOTLINE}")
    api = APIClient()
    api.force_authenticate(enf.head_a)
    action = reverse("api:enforcement:case_action", args=[pub.case_id, "publish"])
    resp = api.post(action, {}, format="json")
    assert resp.status_code == 400 and resp.json()["error"]["rule"].startswith("ENF-20")
    assert "0571-****4321" in resp.json()["error"]["message"]
    url = reverse("api:personal_data", args=["enforcement.publicationrecord", pub.pk])
    assert api.get(url).json() == [{"field": "公示内容", "kind": "landline", "label": "固定电话", "text": HOTLINE,
                                    "decision": None}]
    other = APIClient()
    other.force_authenticate(enf.clerk_b)
    assert other.post(url, {"value": HOTLINE, "decision": "keep"}, format="json").status_code == 404
    assert api.post(url, {"value": HOTLINE, "decision": "publish"}, format="json").status_code == 400
    assert api.post(url, {"value": HOTLINE, "decision": "keep"}, format="json").json()[0]["decision"] == "keep"
    assert api.post(action, {}, format="json").status_code == 200
    pub.refresh_from_db()
    assert pub.status == PublicationStatus.PUBLISHED and HOTLINE in pub.content
