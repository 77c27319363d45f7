"""Demo data for 行政规范性文件: documents in every state, an open public
comment with comments, a running clean-up campaign, an overdue filing and a
citizen's review proposal.

Called by ``manage.py load_demo`` after org's loader (the demo district).
Idempotent: each demo document is looked up by title and created only when
missing; everything goes through the services (as the system), so every
step is audited. Dates are relative to the day the loader runs, so the
dashboard always has something due and something overdue.
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from fazhi.normative_docs import services
from fazhi.normative_docs.models import (
    PACKAGE_ITEMS,
    Adoption,
    CleanupCampaign,
    DiscussionOutcome,
    IssuerCode,
    LegalOpinion,
    NormDoc,
    ReviewProposal,
    Status,
)
from fazhi.normative_docs.workflow import ALLOWED_MEETINGS
from fazhi.org.demo import unit_name
from fazhi.org.models import Unit


def _text(subject: str, duty: str) -> str:
    return (
        "第一章 总则\n"
        f"第一条 为了规范{subject}，根据《中华人民共和国行政许可法》《优化营商环境条例》等法律法规，结合本区实际，制定本办法。\n"
        f"第二条 本办法适用于本区行政区域内{subject}相关活动。\n"
        "第三条 区人民政府统一领导本办法的实施工作，有关部门按照职责分工做好相关工作。\n"
        "第二章 具体措施\n"
        f"第四条 {duty}\n"
        "第五条 有关部门应当通过区人民政府门户网站公开办事指南，接受社会监督。\n"
        "第六条 对违反本办法的行为，依照有关法律、法规的规定处理。\n"
        "第三章 附则\n"
        "第七条 本办法由区司法局负责解释。\n"
    )


# (key, title, drafting unit key, issuer key, target state, touches market, subject, duty)
DOCS = (
    ("draft", "白沙镇农村人居环境长效管护办法", "baisha", "baisha", "drafting", False,
     "农村人居环境长效管护工作", "村民委员会应当组织村民制定管护公约。"),
    ("comment", "区农作物秸秆综合利用补贴资金管理办法", "nyj", "nyj", "consulting", True,
     "农作物秸秆综合利用补贴资金管理", "补贴资金实行先建后补，按照核定面积发放至经营主体账户。"),
    ("legal", "区市场主体信用分级分类监管办法（试行）", "scj", "scj", "legal_review", True,
     "市场主体信用分级分类监管", "市场监管部门根据信用等级确定抽查比例和频次。"),
    ("discuss", "区行政规范性文件合法性审核工作规定", "sfj", "gov", "discussion", False,
     "行政规范性文件合法性审核工作", "起草单位应当在提请审议前将送审稿送区司法局进行合法性审核。"),
    ("sign", "龙凤镇集镇农贸市场管理办法", "longfeng", "longfeng", "to_sign", True,
     "集镇农贸市场管理", "市场开办者应当建立场内经营者档案。"),
    ("signed", "区农业行政执法案卷评查办法", "nyj", "nyj", "signed", False,
     "农业行政执法案卷评查工作", "案卷评查每年至少开展一次，评查结果纳入年度考核。"),
    # Each document past 集体讨论 has an issuer whose demo head chairs the meeting and signs (SYS-02).
    ("registered", "区市场监管行政处罚裁量基准适用规定", "scj", "scj", "registered", False,
     "市场监管行政处罚裁量基准的适用", "作出行政处罚决定应当在决定书中说明裁量基准的适用情况。"),
    ("published", "区农业行政执法事项目录管理办法", "nyj", "nyj", "reviewed", False,
     "农业行政执法事项目录管理", "执法事项目录实行动态调整，每年更新一次。"),
    ("overdue", "区综合行政执法协调配合办法", "zhzf", "zhzf", "published", False,
     "综合行政执法协调配合工作", "执法机关之间应当建立案件移送和信息共享机制。"),
    ("correcting", "区市场监管领域轻微违法行为不予处罚清单实施办法", "scj", "scj", "correcting", True,
     "轻微违法行为不予处罚清单的实施", "当事人首次违法且危害后果轻微并及时改正的，可以不予行政处罚。"),
    ("amended", "区农村集体经济组织财务管理办法", "nyj", "nyj", "amended", False,
     "农村集体经济组织财务管理", "集体经济组织应当每季度公开财务收支情况。"),
    ("repealed", "区农业机械购置补贴实施细则", "nyj", "nyj", "repealed", True,
     "农业机械购置补贴", "补贴对象为从事农业生产的个人和农业生产经营组织。"),
)

CODES = {
    "gov": ("示范府发", "SFGS"), "nyj": ("示范农发", "SFNY"), "scj": ("示范市监发", "SFSJ"),
    "sthj": ("示范环发", "SFHJ"), "zhzf": ("示范综执发", "SFZZ"), "longfeng": ("龙凤府发", "LFZF"),
    "baisha": ("白沙府发", "BSZF"), "sfj": ("示范司发", "SFSF"),
}

ORDER = ("drafting", "consulting", "consulted", "fair_review", "legal_review", "discussion", "to_sign", "signed",
         "registered", "published", "filed", "reviewed", "correcting")

FULL_PACKAGE = {k: True for k in PACKAGE_ITEMS}


def _noon(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time(10, 0)))


LATE = "演示数据：按历史办理情况补录"


def _head(unit: Unit):
    """The demo head of ``unit`` (who chairs its meetings, SYS-02)."""
    from fazhi.org.capacity import holders_on
    from fazhi.org.models import Role

    heads = holders_on(Role.HEAD, unit, timezone.localdate())
    return heads[0] if heads else None


def _drive(doc: NormDoc, target: str, start: date) -> None:
    """Take a fresh draft through the procedure up to ``target``, from ``start``.
    The dates lie in the past, so each entered date carries the 补录 reason (SYS-03)."""
    now = timezone.localdate()
    goal = "reviewed" if target in ("amended", "repealed") else target
    steps = ORDER[: ORDER.index(goal) + 1]
    day = start
    if "consulting" in steps:
        end = day + timedelta(days=35)
        c = services.start_consultation(doc, by=None, start_on=day, end_on=end, today=now, late_reason=LATE)
        comments = (("第四条", "建议明确补贴发放的时限。", "张建国", "13800000001"),
                    ("第五条", "办事指南应同时在政务服务大厅公示。", "某农机专业合作社", "0851-00000000"),
                    ("", "建议增加对弄虚作假骗取补贴的处理规定。", "李梅", "13900000002"))
        for i, (art, content, name, contact) in enumerate(comments):
            services.submit_comment(c, content=content, article_no=art, name=name, contact=contact,
                                    now=_noon(day + timedelta(days=i + 1)))
    if "consulted" in steps:
        for cm, adoption in zip(c.comments.all(), (Adoption.ADOPTED, Adoption.PARTLY, Adoption.REJECTED),
                                strict=False):
            services.answer_comment(cm, adoption=adoption, reason="" if adoption == Adoption.ADOPTED
                                    else "相关内容已由上位法规定，不再重复。", by=None)
        services.close_consultation(c, by=None, today=end + timedelta(days=1))
        services.publish_consultation_summary(c, summary="共收到意见3条，采纳1条，部分采纳1条，未采纳1条。",
                                              by=None, today=end + timedelta(days=2))
        day = end + timedelta(days=3)
    if "fair_review" in steps and doc.touches_market:
        services.submit_fair_review(doc, by=None)
        services.record_fair_review(doc, passed=True, opinion="经审查，未发现排除、限制竞争的内容。", by=None,
                                    reviewed_on=day, reviewing_unit=Unit.objects.get(name=unit_name("scj")),
                                    today=now, late_reason=LATE)
        day += timedelta(days=2)
    if "legal_review" in steps:
        review = services.submit_legal_review(doc, by=None, today=day)
        day += timedelta(days=7)
    if "discussion" in steps:
        services.decide_legal_review(review, opinion=LegalOpinion.PASS_WITH_CHANGES,
                                     text="第六条应明确所依据的法律、法规名称。", by=None, today=day)
        day += timedelta(days=3)
    doc.refresh_from_db()
    if "to_sign" in steps:
        meeting = ALLOWED_MEETINGS[doc.issuer_level][0]
        services.record_discussion(doc, meeting_type=meeting, meeting_name=f"{doc.issuer.display_name}会议",
                                   held_on=day, outcome=DiscussionOutcome.ADOPTED, by=None, minutes="会议同意印发。",
                                   chair=_head(doc.issuer), today=now, late_reason=LATE)
        day += timedelta(days=2)
    if "signed" in steps:
        services.sign(doc, by=None, now=_noon(day))
    if "registered" in steps:
        services.register(doc, by=None, today=day)
        day += timedelta(days=1)
    if "published" in steps:
        services.publish(doc, by=None, today=now, published_on=day, effective_on=day + timedelta(days=30),
                         late_reason=LATE)
    if "filed" in steps:
        services.file_doc(doc, by=None, filed_on=day + timedelta(days=5), package=FULL_PACKAGE, today=now,
                          late_reason=LATE)
    if "reviewed" in steps:
        review = services.accept_filing(doc.filings.get(), receipt_no=f"BA-{doc.pk:04d}", by=None,
                                        today=day + timedelta(days=6))
        if "correcting" in steps:
            services.decide_filing_review(review, finding="unlawful", opinion="第四条增设了上位法没有规定的义务。",
                                          order_text="请于30日内修改第四条并报告处理情况。", by=None,
                                          today=day + timedelta(days=20))
        else:
            services.decide_filing_review(review, finding="lawful", opinion="", by=None, today=day + timedelta(days=20))


# How far back each demo document started, so its deadlines land around today.
STARTS = {"drafting": 3, "consulting": 5, "legal_review": 48, "discussion": 60, "to_sign": 70, "signed": 75,
          "registered": 78, "published": 115, "reviewed": 400, "correcting": 95, "amended": 700, "repealed": 500}


def load(out) -> None:
    """Create what is missing of the demo documents."""
    today = timezone.localdate()
    units = {key: Unit.objects.filter(name=unit_name(key)).first() for key in CODES}
    if not all(units.values()):
        out.write("行政规范性文件：演示单位不全，跳过")
        return
    for key, (number_prefix, reg_prefix) in CODES.items():
        if not IssuerCode.objects.filter(unit=units[key]).exists():
            services.set_issuer_code(units[key], by=None, number_prefix=number_prefix,
                                     registration_prefix=reg_prefix)
    created = 0
    for _key, title, unit_key, issuer_key, target, market, subject, duty in DOCS:
        if NormDoc.objects.filter(title=title).exists():
            continue
        doc = services.create_draft(unit=units[unit_key], issuer=units[issuer_key], title=title,
                                    text=_text(subject, duty), by=None, touches_market=market,
                                    explanation=f"为规范{subject}，起草本办法。", legal_basis="《优化营商环境条例》")
        _drive(doc, target, today - timedelta(days=STARTS[target]))
        doc.refresh_from_db()
        if target == "amended":
            new = services.start_amendment(doc, by=None, title=f"{title}（2026年修订）",
                                           text=_text(subject, duty + "财务公开情况报乡镇人民政府备案。"))
            _drive(new, "reviewed", today - timedelta(days=200))  # filed: the one overdue filing is "overdue"
        elif target == "repealed":
            services.repeal(doc, by=None, repealed_on=today - timedelta(days=20), reason="上位政策已调整，本细则不再适用。",
                            today=today, late_reason=LATE)
        created += 1
    created += _load_history(units, today)
    _load_campaign(units, today)
    _load_proposal(today)
    out.write(f"行政规范性文件：新增演示文件 {created} 件")


def _load_history(units, today: date) -> int:
    """Older documents imported into the library: one expiring within six
    months (NDOC-17 evaluation window) and one expired automatically."""
    n = 0
    rows = (
        ("区农业生产安全事故应急处置暂行办法", "示范农发〔2024〕2号", today - timedelta(days=600),
         today + timedelta(days=90)),
        ("区农药经营使用监督管理暂行规定", "示范农发〔2023〕5号", today - timedelta(days=800),
         today - timedelta(days=10)),
    )
    for title, number, published_on, valid_until in rows:
        if NormDoc.objects.filter(title=title).exists():
            continue
        services.import_document(unit=units["nyj"], issuer=units["nyj"], title=title,
                                 text=_text(title[1:-4], "有关单位应当建立工作台账。"), doc_number=number,
                                 published_on=published_on, valid_until=valid_until, by=None)
        n += 1
    services.expire_due(_noon(today))
    return n


def _load_campaign(units, today: date) -> None:
    name = f"{today.year}年度行政规范性文件定期清理"
    if CleanupCampaign.objects.filter(name=name).exists():
        return
    campaign = services.start_cleanup(unit=units["gov"], name=name, kind="periodic",
                                      started_on=today - timedelta(days=10), by=None)
    decisions = list(campaign.decisions.select_related("doc")[:2])
    for d, verdict in zip(decisions, ("continue", "amend"), strict=False):
        services.decide_cleanup(campaign, d.doc, decision=verdict,
                                reason="" if verdict == "continue" else "部分条款与新修订的上位法不一致，需修改。", by=None)


def _load_proposal(today: date) -> None:
    doc = NormDoc.objects.filter(status=Status.PUBLISHED).order_by("pk").first()
    if doc is None or ReviewProposal.objects.filter(doc=doc).exists():
        return
    services.submit_proposal(doc, name="周先生", contact="13700000003",
                             content="该文件第四条要求提交的材料超出了上位法规定的范围，建议审查。",
                             today=today - timedelta(days=25))
