"""Published consultation comments and answers (NDOC-04; 政府信息公开条例 art. 15;
个人信息保护法 arts. 25, 34): the commenter's name by the one masking rule,
numbers in any spacing hidden, and the summary published only once a person
has decided each number or address in the comments, answers and summary."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.audit.models import AuditEntry
from fazhi.core import privacy
from fazhi.core.privacy import PersonalDataUnconfirmed
from fazhi.normative_docs import services
from fazhi.normative_docs.models import Adoption
from fazhi.normative_docs.tests.factories import SCRIPT, make_doc

pytestmark = pytest.mark.django_db

SPACED_ID, SPACED_PHONE, HOTLINE = "1101 0119 8001 0112 34", "139 0000 1111", "0851-8765 4321"


def closed_consultation(nd, *, content=f"我的身份证 {SPACED_ID}，手机 {SPACED_PHONE}，请回电{SCRIPT}"):
    c = make_doc("consulting", unit=nd.a).consultations.get()
    services.submit_comment(c, content=content, name="欧阳小明", contact="13900001111",
                            now=timezone.make_aware(timezone.datetime.combine(c.start_on, timezone.datetime.min.time())
                                                    + timedelta(hours=12)))
    for cm in c.comments.all():
        services.answer_comment(cm, adoption=Adoption.REJECTED, reason=f"已电话答复，咨询电话 {HOTLINE}", by=nd.clerk_a)
    return services.close_consultation(c, by=nd.clerk_a, today=c.end_on + timedelta(1))


def publish(c, nd, summary="采纳情况说明"):
    return services.publish_consultation_summary(c, summary=summary, by=nd.clerk_a, today=c.end_on + timedelta(2))


def test_the_summary_waits_for_a_decision_on_each_hit(nd):
    c = closed_consultation(nd)
    with pytest.raises(PersonalDataUnconfirmed) as e:
        publish(c, nd)
    assert e.value.rule.startswith("NDOC-04") and "政府信息公开条例第十五条" in e.value.rule
    for shown in ("身份证号 1101**********1234", "手机号 139****1111", "固定电话 0851-****4321"):
        assert shown in e.value.message
    c.refresh_from_db()
    assert c.summary_published_on is None

    privacy.decide(c, value=SPACED_ID, decision="mask", by=nd.clerk_a)
    privacy.decide(c, value=SPACED_PHONE, decision="mask", by=nd.clerk_a)
    privacy.decide(c, value=HOTLINE, decision="keep", by=nd.clerk_a)
    publish(c, nd)
    c.refresh_from_db()
    assert c.summary_published_on is not None
    assert AuditEntry.objects.filter(action="core.personal_data.decided",
                                     object_type="consultations.consultation").count() == 3


def test_published_comments_show_only_what_was_decided(client, nd):
    c = closed_consultation(nd)
    privacy.decide_pending(c, decision="mask", by=nd.clerk_a)
    privacy.decide(c, value=HOTLINE, decision="keep", by=nd.clerk_a)
    publish(c, nd)
    html = client.get(reverse("normative_docs_portal:consultation", args=[c.pk])).content.decode()
    assert "欧阳**" in html and "欧阳小明" not in html and "欧***" not in html
    assert SPACED_ID not in html and SPACED_PHONE not in html and "13900001111" not in html
    assert "[身份证号已隐去]" in html and "139****1111" in html and HOTLINE in html
    assert "<script>alert" not in html


def test_a_summary_with_a_phone_number_is_refused_too(nd):
    c = closed_consultation(nd, content="建议增加补贴")
    privacy.decide(c, value=HOTLINE, decision="keep", by=nd.clerk_a)
    with pytest.raises(PersonalDataUnconfirmed) as e:
        publish(c, nd, summary=f"经办人手机 {SPACED_PHONE}")
    assert list(e.value.fields) == ["采纳情况说明"]


def test_the_document_page_shows_the_hits_to_decide(nd):
    c = closed_consultation(nd)
    client = Client()
    client.force_login(nd.clerk_a, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get(reverse("normative_docs:detail", args=[c.doc_id])).content.decode()
    assert "公开前须逐条确认的个人信息（3处）" in html
    assert reverse("shell:privacy_decide", args=["consultations.consultation", c.pk]) in html


def test_a_document_text_with_a_phone_number_is_published_only_after_a_decision(nd):
    from datetime import date

    text = f"第一条 为规范农业补贴管理，制定本办法。\n第二条 咨询电话：{HOTLINE}。"
    doc = make_doc("registered", unit=nd.a, text=text)
    day = date(2026, 3, 2) + timedelta(days=60)
    with pytest.raises(PersonalDataUnconfirmed) as e:
        services.publish(doc, by=nd.reviewer, today=day, effective_on=day + timedelta(days=30))
    assert e.value.rule.startswith("NDOC-10") and "正文：固定电话 0851-****4321" in e.value.message
    privacy.decide(doc, value=HOTLINE, decision="keep", by=nd.reviewer)
    services.publish(doc, by=nd.reviewer, today=day, effective_on=day + timedelta(days=30))
    doc.refresh_from_db()
    assert doc.published_on == day
