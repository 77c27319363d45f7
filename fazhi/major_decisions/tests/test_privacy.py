"""Published consultation comments and answers of a major decision (MDEC-04;
政府信息公开条例 art. 15; 个人信息保护法 arts. 25, 34): the same masking rule as
every other surface, on the portal and the public API alike, and the summary
published only once a person has decided each number or address."""

from datetime import date as D
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.audit.models import AuditEntry
from fazhi.core import privacy
from fazhi.core.privacy import PersonalDataUnconfirmed
from fazhi.major_decisions import services
from fazhi.major_decisions.models import Status
from fazhi.major_decisions.tests.conftest import drive

pytestmark = pytest.mark.django_db

SPACED_ID, SPACED_PHONE = "110101-19800101-1234", "139 0000 1111"
SCRIPT = "<script>alert('x')</script>"


def closed_consultation(md):
    d = drive(md, Status.PARTICIPATION)
    c = d.consultations.get()
    services.submit_comment(c, content=f"本人身份证{SPACED_ID}，电话{SPACED_PHONE}{SCRIPT}", name="司马光",
                            contact="13900001111", now=timezone.make_aware(datetime(2026, 4, 20, 10)))
    services.close_consultation(c, by=md.u.clerk_a, today=D(2026, 5, 16))
    for cm in c.comments.all():
        services.answer_comment(cm, by=md.u.clerk_a, adoption="rejected", reason="已答复")
    return c


def publish(c, md):
    return services.publish_consultation_summary(c, by=md.u.clerk_a, summary="共收到1条意见。",
                                                 published_on=D(2026, 5, 18))


def test_the_summary_waits_for_a_decision_on_each_hit(md):
    c = closed_consultation(md)
    with pytest.raises(PersonalDataUnconfirmed) as e:
        publish(c, md)
    assert e.value.rule.startswith("MDEC-04") and "身份证号 1101**********1234" in e.value.message
    with pytest.raises(privacy.PermissionDenied):
        privacy.decide(c, value=SPACED_ID, decision="mask", by=md.u.clerk_b)
    assert privacy.decide_pending(c, decision="mask", by=md.u.clerk_a) == 2
    publish(c, md)
    c.refresh_from_db()
    assert c.summary_published_on == D(2026, 5, 18)
    assert AuditEntry.objects.filter(action="core.personal_data.decided", object_id=str(c.pk)).count() == 2


def test_portal_and_api_show_the_comment_masked_alike(client, md):
    c = closed_consultation(md)
    privacy.decide_pending(c, decision="mask", by=md.u.clerk_a)
    publish(c, md)
    html = client.get(reverse("major_decisions_portal:consultation_detail", args=[c.pk])).content.decode()
    api = client.get(reverse("api:decisions:public_consultation_detail", args=[c.pk])).json()
    for text in (html, str(api["comments"])):
        assert "司马*" in text and "司马光" not in text and "司***" not in text
        assert SPACED_ID not in text and SPACED_PHONE not in text and "13900001111" not in text
        assert "[身份证号已隐去]" in text and "139****1111" in text
    assert "<script>alert" not in html


def test_the_decision_page_shows_the_hits_to_decide(md):
    c = closed_consultation(md)
    client = Client()
    client.force_login(md.u.clerk_a, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(reverse("major_decisions:decision_detail", args=[c.decision_id])).content.decode()
    assert "公开前须逐条确认的个人信息（2处）" in html and SPACED_PHONE in html
    assert reverse("shell:privacy_decide", args=["consultations.consultation", c.pk]) in html
    # a click without JavaScript records the decision and comes back
    resp = client.post(reverse("shell:privacy_decide", args=["consultations.consultation", c.pk]),
                       {"value": SPACED_PHONE, "decision": "mask",
                        "next": reverse("major_decisions:decision_detail", args=[c.decision_id])})
    assert resp.status_code == 302
    assert "公开前须逐条确认的个人信息（1处）" in client.get(resp["Location"]).content.decode()


def test_the_decision_text_is_published_only_after_a_decision_on_each_hit(md):
    d = drive(md, Status.DECIDED)
    kw = dict(published_on=D(2026, 6, 25), party_reported_on=D(2026, 6, 22), adoption_explanation="采纳情况说明",
              today=D(2026, 6, 25),
              public_text=f"第一条 …… 联系人手机 {SPACED_PHONE}")
    with pytest.raises(PersonalDataUnconfirmed) as e:
        services.publish_decision(d, by=md.u.head_gov, **kw)
    assert e.value.rule.startswith("MDEC-13") and "公布文本：手机号 139****1111" in e.value.message
    privacy.decide(d, value=SPACED_PHONE, decision="mask", by=md.u.head_gov)
    d = services.publish_decision(d, by=md.u.head_gov, **kw)
    assert SPACED_PHONE not in d.public_text and "139****1111" in d.public_text
