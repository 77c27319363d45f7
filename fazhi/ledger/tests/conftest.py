from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from fazhi.ledger import parser, services
from fazhi.ledger.models import Plan
from fazhi.org.models import UnitKind
from fazhi.org.tests.factories import PersonFactory, UnitFactory

PLAN_TEXT = """示范区法治政府建设实施方案(2026年)
一、总体要求
(一)指导思想
坚持依法行政。
二、主要任务
(一)依法全面履行政府职能
1.推进权责清单管理。全面梳理权力事项。
牵头单位:示范区司法局
配合单位:示范区农业农村局、示范区市场监督管理局
完成时限:2026年6月30日
2.加强市场监管。推行双随机抽查。
牵头单位:示范区市场监督管理局
完成时限:2026年9月底
(二)强化监督
3.落实<script>督办</script>机制。按季度通报。
责任单位:示范区农业农村局、示范区司法局
完成时限:2026年12月底前
"""


@pytest.fixture
def lg(db):
    """gov ─┬─ s (司法局, 法制机构: 依法治区办)
            ├─ a (农业农村局) ── ad (执法大队)
            └─ b (市场监管局)
    fzb: clerk of s (manages gov's plans); clerk_a (a and below); clerk_b; head_a;
    assessor (gov and below)."""
    gov = UnitFactory(name="示范区人民政府", short_name="区政府", kind=UnitKind.GOVERNMENT)
    s = UnitFactory(name="示范区司法局", short_name="司法局", parent=gov, is_legal_office=True)
    a = UnitFactory(name="示范区农业农村局", short_name="农业农村局", parent=gov)
    ad = UnitFactory(name="示范区农业农村局执法大队", short_name="执法大队", parent=a, kind=UnitKind.INTERNAL)
    b = UnitFactory(name="示范区市场监督管理局", short_name="市场监管局", parent=gov)
    return SimpleNamespace(
        gov=gov, s=s, a=a, ad=ad, b=b,
        fzb=PersonFactory(unit=s, name="依法治区办经办人", roles=[("clerk", s, False)]),
        clerk_a=PersonFactory(unit=a, name="经办人甲", roles=[("clerk", a, True)]),
        clerk_b=PersonFactory(unit=b, name="经办人乙", roles=[("clerk", b, False)]),
        head_a=PersonFactory(unit=a, name="局长甲", roles=[("head", a, True)]),
        assessor=PersonFactory(unit=s, name="考核员", roles=[("assessor", gov, True)]),
        staff=PersonFactory(unit=a, name="科员"),
    )


@pytest.fixture
def plan(lg):
    """The 3-measure PLAN_TEXT imported for gov and issued (measures 1..3)."""
    parsed = parser.parse_plan(PLAN_TEXT)
    p = services.import_plan(parsed, unit=lg.gov, by=None, source_sha256="a" * 64)
    services.activate_plan(p, by=None)
    # Issued at the start of its year: report dates follow the issue (SYS-03).
    Plan.objects.filter(pk=p.pk).update(activated_at=timezone.make_aware(datetime(2026, 1, 5, 9)))
    p.refresh_from_db()
    return p


def measure(plan, n):
    return plan.measures.get(number=n)


def confirmed(report):
    """``report`` confirmed by the unit head (here the system): only then does it count."""
    return services.review_report(report, by=None, confirm=True, today=report.report_date)


@pytest.fixture
def actions():
    from fazhi.audit.models import AuditEntry

    def _actions(prefix="ledger."):
        return list(AuditEntry.objects.filter(action__startswith=prefix).order_by("seq")
                    .values_list("action", flat=True))

    return _actions


TODAY = date(2026, 7, 15)
