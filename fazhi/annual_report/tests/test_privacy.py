"""公开 of the annual report waits for a person's decision on each number or address
in its text (RPT-01; 政府信息公开条例 art. 15; 个人信息保护法 arts. 25, 34)."""

from datetime import date

import pytest

from fazhi.annual_report import rules, services
from fazhi.annual_report.models import Status
from fazhi.annual_report.tests.conftest import TODAY, fill
from fazhi.core import privacy
from fazhi.core.privacy import PersonalDataUnconfirmed

pytestmark = pytest.mark.django_db

PHONE, HOTLINE = "138-0013-8000", "0851-8765 4321"


def test_publication_waits_for_each_hit_and_applies_the_decisions(report, tree):
    fill(report, tree.clerk_a)
    s = report.sections.order_by("pk").first()
    services.edit_section(s, by=tree.clerk_a, text=s.text + f"\n监督电话：{HOTLINE}；联系人手机 {PHONE}。")
    services.review(report, by=tree.head_a, today=TODAY, note="同意")
    services.submit(report, by=tree.clerk_a, submitted_on=date(2026, 3, 20), today=date(2026, 3, 20),
                    recipients=[{"kind": k, "name": d} for k, _, d in rules.required_recipients(tree.a)])
    with pytest.raises(PersonalDataUnconfirmed) as e:
        services.publish(report, by=tree.head_a, published_on=date(2026, 3, 25), today=date(2026, 3, 25))
    assert e.value.rule.startswith("RPT-01") and "手机号 138****8000" in e.value.message
    report.refresh_from_db()
    assert report.status != Status.PUBLISHED
    privacy.decide(report, value=HOTLINE, decision="keep", by=tree.head_a)
    privacy.decide(report, value=PHONE, decision="mask", by=tree.head_a)
    report = services.publish(report, by=tree.head_a, published_on=date(2026, 3, 25), today=date(2026, 3, 25))
    text = "\n".join(b["text"] for b in report.public_sections)
    assert HOTLINE in text and PHONE not in text and "138****8000" in text
