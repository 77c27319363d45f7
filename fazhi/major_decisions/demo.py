"""Demo data of major_decisions (called by fazhi.modules.demo_loaders).

A year's catalogue of the demo district government with decisions at every
stage: just launched, open for public comment, under expert review, blocked
by a 高 risk (MDEC-07), awaiting legality review, decided by the head against
the majority with reasons (MDEC-11) and published, in execution, under a
third-party post-evaluation (MDEC-15); one matter not yet started and one
added by an adjustment (MDEC-02). Two expert pools with ten experts.

Idempotent: nothing is created when the catalogue of the year exists. Every
step goes through the services with the demo people, so the audit trail and
the accountability records (MDEC-17) are real.
"""

from datetime import timedelta

from django.utils import timezone

from fazhi.major_decisions import services
from fazhi.major_decisions.models import Catalogue, Category, ExpertPool, PoolKind, RiskLevel, View
from fazhi.org import services as org_services
from fazhi.org.demo import DEMO_PASSWORD, unit_name
from fazhi.org.models import Person, Role, Unit

GOV_PEOPLE = (
    # username, name, post, role over gov
    ("gov_head", "陈建国", "区长", Role.HEAD),
    ("gov_clerk", "刘晓梅", "区政府办公室法制科科员", Role.CLERK),
    # 常务会议 members hold the head role over the government (政府领导班子成员, SYS-02).
    ("gov_vice1", "张卫东", "常务副区长", Role.HEAD),
    ("gov_vice2", "李秀兰", "副区长", Role.HEAD),
    ("gov_vice3", "王海涛", "副区长", Role.HEAD),
)

EXPERTS = (
    (PoolKind.DECISION, "赵明远", ["城乡规划", "农业农村"], "市农业科学院", "研究员", ()),
    (PoolKind.DECISION, "钱文静", ["城乡规划"], "市规划设计研究院", "高级工程师", ()),
    (PoolKind.DECISION, "孙志刚", ["城乡规划", "法学"], "市委党校", "教授", ()),
    (PoolKind.DECISION, "李国平", ["农业农村"], "省农业大学", "教授", ("nyj",)),
    (PoolKind.DECISION, "周雅琴", ["市场监管", "法学"], "市律师协会", "律师", ()),
    (PoolKind.DECISION, "吴俊", ["农业农村", "城乡规划"], "区农技推广中心（退休）", "高级农艺师", ()),
    (PoolKind.DECISION, "郑晓东", ["市场监管"], "市质量技术研究院", "高级工程师", ("scj",)),
    (PoolKind.STABILITY, "冯丽", ["社会稳定"], "市委党校", "副教授", ()),
    (PoolKind.STABILITY, "陈浩", ["社会稳定", "信访"], "区信访局（退休）", "原局长", ()),
    (PoolKind.STABILITY, "褚建华", ["社会稳定"], "市社会科学院", "研究员", ()),
)

# key, title, category, sponsor, participation, experts, risk, target
MATTERS = (
    ("launched", "全区农村人居环境整治提升五年行动方案", Category.PLAN, "nyj", True, False, False, "launched"),
    ("consult", "农贸市场升级改造补助办法", Category.PUBLIC_POLICY, "scj", True, False, False, "participation"),
    ("experts", "高标准农田建设规划（2026—2030年）", Category.PLAN, "nyj", True, True, False, "expert_review"),
    ("high_risk", "城区农贸市场搬迁整合方案", Category.PROJECT, "scj", True, True, True, "high_risk"),
    ("legal", "耕地保护补偿激励办法", Category.RESOURCES, "nyj", True, False, False, "legal_review"),
    ("against", "农村集体经营性建设用地入市实施办法", Category.RESOURCES, "nyj", True, True, True, "published"),
    ("exec", "食品安全“明厨亮灶”全覆盖实施方案", Category.PUBLIC_POLICY, "scj", True, False, False, "executing"),
    ("eval", "畜禽养殖禁养区划定调整方案", Category.OTHER, "nyj", True, True, True, "evaluating"),
    ("notyet", "农村供水保障工程建设方案", Category.PROJECT, "nyj", True, False, True, ""),
)



def _at_ten(day):
    """10:00 local time on ``day`` (when the demo's expert draws are committed)."""
    return timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()) + timedelta(hours=10))

def _user(username):
    return Person.objects.select_related("user").get(user__username=username).user


def _gov_people(gov):
    for username, name, post, role in GOV_PEOPLE:
        if Person.objects.filter(user__username=username).exists():
            continue
        person, _ = org_services.create_person(gov, by=None, username=username, name=name, post=post,
                                               password=DEMO_PASSWORD)
        if role:
            org_services.grant_role(person, by=None, role=role, unit=gov)


def _pools(gov, units):
    pools = {}
    for kind in (PoolKind.DECISION, PoolKind.STABILITY):
        pools[kind] = (ExpertPool.objects.filter(unit=gov, kind=kind).first()
                       or services.create_pool(gov, by=None, kind=kind))
    for kind, name, fields, affiliation, title, conflicts in EXPERTS:
        if not pools[kind].experts.filter(name=name).exists():
            services.add_expert(pools[kind], by=None, name=name, fields=fields, affiliation=affiliation, title=title,
                                conflict_units=[units[k] for k in conflicts])
    return pools


# The demo records steps that happened in the past: each entered date carries
# the 补录 reason (SYS-03) and is checked against the server's date.
LATE = "演示数据：按历史办理情况补录"


def _advance(d, target, t0, pools, gov_people, sponsor_user):
    """Drive decision ``d`` to ``target`` starting at date ``t0``."""
    server_today = timezone.localdate()
    day = [t0]

    def nxt(n=3):
        day[0] = day[0] + timedelta(days=n)
        return day[0]

    head, clerk_gov, reviewer = gov_people["gov_head"], gov_people["gov_clerk"], _user("sifa_reviewer")
    s = sponsor_user
    if target == "launched":
        return
    services.start_drafting(d, by=s, today=nxt())
    services.save_draft(d, by=s, today=nxt(), draft_text=f"《{d.title}》（征求意见稿）\n第一条 为……，制定本方案。\n第二条 ……",
                        draft_explanation="根据上级部署和本区实际起草。")
    if target == "participation":
        today = timezone.localdate()
        services.start_consultation(d, by=s, start_on=today - timedelta(days=5), end_on=today + timedelta(days=25),
                                    how_to_comment="通过区政府门户网站“重大行政决策”栏目在线提交", today=server_today, late_reason=LATE)
        return
    c = services.start_consultation(d, by=s, start_on=nxt(), end_on=day[0] + timedelta(days=30), today=server_today, late_reason=LATE)
    services.submit_comment(c, content="建议加大对困难群众的补助力度。", name="王小明", contact="13900000001",
                            now=timezone.make_aware(timezone.datetime.combine(nxt(10), timezone.datetime.min.time())
                                                    + timedelta(hours=10)))
    services.close_consultation(c, by=s, today=nxt(25))
    for comment in c.comments.all():
        services.answer_comment(comment, by=s, adoption="partly", reason="已在第二条中增加相关内容。")
    services.publish_consultation_summary(c, by=s, summary="共收到意见1条，部分采纳1条。", published_on=nxt(2))
    if d.needs_expert_review:
        services.start_expert_review(d, by=s, today=nxt())
        review = services.select_experts(d, by=s, pool=pools[PoolKind.DECISION], method="random", count=3,
                                         selected_on=nxt(), now=_at_ten(day[0]))
        review = services.reveal_expert_draw(review, by=s, now=_at_ten(day[0]) + timedelta(minutes=30))
        ops = list(review.opinions.all())
        if target == "expert_review":
            services.record_expert_opinion(ops[0], by=s, stance="agree", text="方案可行，建议细化资金来源。",
                                           signed_on=nxt(), today=server_today, late_reason=LATE)
            return
        for op in ops:
            services.record_expert_opinion(op, by=s, stance="agree_changes", text="原则同意，建议完善配套措施。",
                                           signed_on=nxt(), today=server_today, late_reason=LATE)
        services.complete_expert_review(review, by=s, summary="专家原则同意，相关建议已采纳。", held_on=day[0], today=server_today, late_reason=LATE)
    if d.needs_risk_assessment:
        services.start_risk_assessment(d, by=s, today=nxt())
        stab = list(pools[PoolKind.STABILITY].experts.all()[:2])
        level = RiskLevel.HIGH if target in ("high_risk", "published") else RiskLevel.LOW
        ra = services.record_risk_assessment(
            d, by=s, assessor="区委政法委", assessed_on=nxt(), level=level, experts=stab,
            risk_points="涉及群众切身利益，可能引发集体上访。", measures="分片召开群众会，逐户宣传解释。",
            contingency_plan="成立应急处置小组，明确责任分工。", today=server_today, late_reason=LATE)
        if target == "high_risk":
            return
        if level == RiskLevel.HIGH:
            services.record_mitigation(ra, by=s, mitigation="调整补偿标准并增设过渡期，重新评估。",
                                       residual_level=RiskLevel.MEDIUM, mitigated_on=nxt())
    lr = services.submit_legal_review(d, by=s, submitted_on=nxt(), procedures_account="已依法履行公众参与等程序。", today=server_today, late_reason=LATE)
    if target == "legal_review":
        return
    services.record_legal_review(lr, by=reviewer, opinion="lawful_changes", text="经审查，修改后合法。",
                                 decided_on=nxt(10), today=server_today, late_reason=LATE)
    members = [Person.objects.get(user__username=u) for u in ("gov_vice1", "gov_vice2", "gov_vice3")]
    head_p = Person.objects.get(user__username="gov_head")
    if target == "published":  # the head decides against the majority, with reasons (MDEC-11)
        views, reasons = [View.DISAGREE, View.DISAGREE, View.AGREE], "试点时间窗口有限，风险已化解至可控，先行试点。"
    else:
        views, reasons = [View.AGREE, View.AGREE, View.RESERVE], ""
    services.record_discussion(
        d, by=head, meeting_type="standing", meeting_name="区人民政府常务会议", held_on=nxt(5), host=head_p,
        head=head_p, head_decision="adopt", head_reasons=reasons, minutes="会议讨论了该决策草案。",
        votes=[{"person": p, "view": v} for p, v in zip(members, views, strict=True)], today=server_today, late_reason=LATE)
    services.publish_decision(d, by=head, party_reported_on=nxt(2), published_on=nxt(3), public_text=d.draft_text,
                              adoption_explanation="公众意见部分采纳；专家论证意见已采纳。", today=server_today, late_reason=LATE)
    if target == "published":
        return
    services.start_execution(d, by=s, started_on=nxt())
    services.report_execution(d, by=s, reported_on=nxt(30), content="已按计划推进，完成阶段目标。")
    if target == "executing":
        return
    services.start_post_evaluation(d, by=clerk_gov, reason="实施满一年，群众反映较多，依法开展后评估。",
                                   started_on=nxt(20), evaluator="市社会科学院评估中心", third_party=True,
                                   participants="邀请区人大代表2名、区政协委员1名参与。")


def load(out) -> None:
    today = timezone.localdate()
    year = today.year
    gov = Unit.objects.filter(name=unit_name("gov")).first()
    units = {k: Unit.objects.filter(name=unit_name(k)).first() for k in ("nyj", "scj", "sthj")}
    if gov is None or not all(units.values()):
        out.write("重大行政决策：演示单位不全，跳过")
        return
    _gov_people(gov)
    pools = _pools(gov, units)
    if Catalogue.objects.filter(unit=gov, year=year).exists():
        out.write(f"重大行政决策：{year}年度目录已存在，跳过")
        return
    gov_people = {u: _user(u) for u in ("gov_head", "gov_clerk")}
    sponsors = {"nyj": _user("nongye_clerk"), "scj": _user("shichang_clerk")}
    start = today - timedelta(days=420)
    cat = services.create_catalogue(gov, by=gov_people["gov_clerk"], year=year)
    entries = {}
    for key, title, category, sponsor, part, experts, risk, _target in MATTERS:
        entries[key] = services.add_entry(
            cat, by=gov_people["gov_clerk"], title=title, category=category, sponsor_unit=units[sponsor],
            basis="《重大行政决策程序暂行条例》及相关法律法规", needs_participation=part, needs_expert_review=experts,
            needs_risk_assessment=risk, expert_field="城乡规划" if experts else "",
            planned_completion=today + timedelta(days=120))
    services.approve_catalogue(cat, by=gov_people["gov_head"], approved_on=start + timedelta(days=5),
                               party_consent_on=start, party_consent_note="经区委常委会会议研究同意")
    services.publish_catalogue(cat, by=gov_people["gov_clerk"], published_on=start + timedelta(days=7))
    services.adjust_catalogue(cat, by=gov_people["gov_clerk"], kind="add", reason="根据区委部署新增。",
                              adjusted_on=start + timedelta(days=60), fields=dict(
                                  title="城区生活垃圾分类实施方案", category=Category.PUBLIC_POLICY,
                                  sponsor_unit=units["sthj"], needs_participation=True))
    offsets = {"launched": 30, "participation": 60, "expert_review": 140, "high_risk": 160, "legal_review": 130,
               "published": 200, "executing": 240, "evaluating": 330}
    n = 0
    for key, _title, _c, sponsor, _p, _e, _r, target in MATTERS:
        if not target:
            continue
        t0 = today - timedelta(days=offsets[target])
        d = services.launch_decision(entries[key], by=sponsors[sponsor], launched_on=t0)
        _advance(d, target, t0, pools, gov_people, sponsors[sponsor])
        n += 1
    out.write(f"重大行政决策：{year}年度目录（{len(MATTERS) + 1}项），决策{n}件，专家{len(EXPERTS)}名")
