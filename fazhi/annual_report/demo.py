"""Demo data for 法治政府建设年度报告 (runs last in ``manage.py load_demo``).

* 区政府: the report on last year, drafted from the other modules' demo
  records, the “【待补充】” parts written, reviewed, sent (RPT-03) and
  published on the portal (RPT-01).
* 区农业农村局: a draft of this year's report, as the clerk would find it.

Idempotent: an existing report is left as it is. A year without records
(e.g. other modules' demo data missing) is reported and skipped.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.utils import timezone

from fazhi.annual_report import rendering, rules, services
from fazhi.annual_report.models import Report
from fazhi.core.errors import DomainError
from fazhi.org.models import Unit

STAFF_TEXT = {
    "p1_1": "深化“放管服”改革，动态调整区级权责清单，全面推行证明事项告知承诺制，政务服务事项实现“一网通办”。",
    "p1_5": "主动接受区人大及其常委会的法律监督和工作监督，认真办理人大代表建议和政协委员提案；"
            "支持人民法院依法受理和审理行政案件，行政机关负责人出庭应诉；全面推进政务公开。",
    "p1_6": "发挥行政复议化解行政争议的主渠道作用，加强行政调解、人民调解衔接联动，依法规范信访工作。",
    "p1_8": "区政府常务会议定期听取法治政府建设工作汇报，将法治政府建设纳入全区绩效考核，开展法治督察。",
    "p2": "原因主要是：部分单位对规范性文件报备时限重视不够，执法公示工作衔接不畅，基层法治工作力量相对薄弱。",
    "p3": "区政府主要负责人认真履行推进法治建设第一责任人职责，带头学法用法，年终专题述法。",
    "p4": "持续推进严格规范公正文明执法，加强规范性文件备案审查，提升重大行政决策质量，加强法治队伍建设。",
    "p5": "无。",
}


WHOLE = {"p1_1", "p1_6"}


LATE = "演示数据：按当年实际报送、公开情况补录"


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _fill(report: Report, by) -> None:
    for section in report.sections.all():
        if "【待补充" not in section.text:
            continue
        if section.key in WHOLE:
            # The platform has no records here: the staff's account replaces the note, the indicators stay.
            keep = [line for line in section.text.split("\n") if line.startswith("考核指标")]
            text = "\n".join([STAFF_TEXT[section.key], *keep])
        else:
            text = rendering.TODO.sub(STAFF_TEXT.get(section.key, "无。"), section.text, count=1)
            text = rendering.TODO.sub("", text)
        services.edit_section(section, by=by, text=text)


def load(stdout) -> None:
    from fazhi.org.demo import unit_name

    today = timezone.localdate()
    gov = Unit.objects.filter(name=unit_name("gov")).first()
    nyj = Unit.objects.filter(name=unit_name("nyj")).first()
    if gov is None or nyj is None:
        stdout.write("法治政府建设年度报告：未找到演示单位，跳过")
        return
    # The 区政府办公室 clerk drafts; the 区长 reviews (SYS-01: never the drafter).
    # Both come with the major-decisions demo; the admin stands in without it.
    drafter = _user("gov_clerk") or _user("admin")
    head = _user("gov_head")
    made = []
    year = today.year - 1
    if not Report.objects.filter(unit=gov, year=year).exists():
        try:
            report = services.generate_report(gov, year, by=drafter, today=today)
        except DomainError as exc:
            stdout.write(f"法治政府建设年度报告：{gov.name}{year}年度未生成（{exc}）")
        else:
            _fill(report, drafter)
            reviewed = min(today, date(year + 1, 3, 20))
            services.review(report, by=head, today=reviewed, note="同意报送。")
            sent = min(today, date(year + 1, 3, 25))
            services.submit(report, by=drafter, submitted_on=sent, today=today, late_reason=LATE, recipients=[
                {"kind": key, "name": default} for key, _, default in rules.required_recipients(gov)])
            services.publish(report, by=drafter, published_on=min(today, date(year + 1, 3, 30)), today=today,
                             late_reason=LATE)
            made.append(f"{gov.short_name}{year}年度（已公开）")
    clerk = _user("nongye_clerk")
    if not Report.objects.filter(unit=nyj, year=today.year).exists():
        try:
            services.generate_report(nyj, today.year, by=clerk, today=today)
        except DomainError as exc:
            stdout.write(f"法治政府建设年度报告：{nyj.name}{today.year}年度未生成（{exc}）")
        else:
            made.append(f"{nyj.short_name}{today.year}年度（草稿）")
    stdout.write("法治政府建设年度报告：新增 " + ("、".join(made) if made else "0 份"))
