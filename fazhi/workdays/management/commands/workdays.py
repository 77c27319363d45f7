"""python manage.py workdays <add|count|calendar-days|import-notice|sync-builtin>

    workdays add 2025-09-25 20            -> 2025-10-29
    workdays add 2025-09-25 20 --explain  -> the date, then one line per day
    workdays count 2025-09-25 2025-10-29  -> 20
    workdays calendar-days 2025-09-10 21 --roll-over
    workdays import-notice 通知.txt [--year 2026] [--confirm]
    workdays sync-builtin
    workdays correct-day 2026-10-09 --kind off --festival 国庆节 --reason "国办发明电〔2026〕X号"

Results go to stdout, warnings and notes to stderr. A provisional result
(a year not yet confirmed) still prints and exits 0, with a warning
containing “未确认” on stderr. Bad input exits 2 with a Chinese message.

A change that is saved recomputes the stored deadlines of every module
(``fazhi.workdays.deadlines``) against today's date on this server, and
prints one line per moved or flagged deadline to stdout
(``调整|待人工确认<TAB>kind<TAB>record<TAB>old<TAB>new``) and the counts to stderr.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.workdays.calendar import Calendar, parse_date, parse_days, unconfirmed_warning
from fazhi.workdays.models import DeadlineChange
from fazhi.workdays.services import DAY_CHOICES, correct_day, import_notice, load_builtin

BAD_INPUT = 2


def _fail(message: str):
    return CommandError(message, returncode=BAD_INPUT)


class Command(BaseCommand):
    help = "工作日历：期限计算、节假日通知导入、内置日历同步"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", metavar="子命令", required=True)

        p = sub.add_parser("add", help="起算日之后第 N 个工作日（起算日不计入）")
        p.add_argument("start", help="起算日 YYYY-MM-DD")
        p.add_argument("n", help="工作日数")
        p.add_argument("--explain", action="store_true", help="逐日列出计入或跳过及原因")

        p = sub.add_parser("count", help="A 之后至 B（含）之间的工作日数")
        p.add_argument("a", help="起算日 YYYY-MM-DD")
        p.add_argument("b", help="截止日 YYYY-MM-DD")

        p = sub.add_parser("calendar-days", help="起算日之后第 N 个自然日")
        p.add_argument("start", help="起算日 YYYY-MM-DD")
        p.add_argument("n", help="自然日数")
        p.add_argument("--roll-over", action="store_true", help="期限末日为节假日的，顺延至其后第一个工作日（CAL-08）")
        p.add_argument("--explain", action="store_true", help="逐日列出及原因")

        p = sub.add_parser("import-notice", help="解析国务院办公厅节假日安排通知（加 --confirm 才保存）")
        p.add_argument("file", help="通知全文的文本文件（UTF-8 或 GB18030）")
        p.add_argument("--year", help="年份（默认从标题读取）")
        p.add_argument("--confirm", action="store_true", help="确认并保存为该年度的节假日安排")

        sub.add_parser("sync-builtin", help="从 chinesecalendar 包同步内置日历")

        p = sub.add_parser("correct-day", help="更正某一天的安排，并重新计算受影响的期限")
        p.add_argument("day", help="日期 YYYY-MM-DD")
        p.add_argument("--kind", required=True, choices=list(DAY_CHOICES), help="off 放假 / work 调休上班 / plain 删除该日安排")
        p.add_argument("--festival", default="", help="节日名称（放假或调休上班时必填）")
        p.add_argument("--reason", required=True, help="更正理由（如通知文号）")

    def handle(self, *args, **opts):
        handler = {
            "add": self._add,
            "count": self._count,
            "calendar-days": self._calendar_days,
            "import-notice": self._import_notice,
            "sync-builtin": self._sync_builtin,
            "correct-day": self._correct_day,
        }[opts["sub"]]
        try:
            handler(opts)
        except DomainError as exc:
            raise _fail(str(exc))

    # -- arithmetic ---------------------------------------------------------

    def _add(self, opts):
        start, n = parse_date(opts["start"], "start"), parse_days(opts["n"])
        self._print_deadline(Calendar().add_workdays(start, n), opts["explain"])

    def _calendar_days(self, opts):
        start, n = parse_date(opts["start"], "start"), parse_days(opts["n"])
        self._print_deadline(Calendar().add_calendar_days(start, n, opts["roll_over"]), opts["explain"])

    def _count(self, opts):
        a, b = parse_date(opts["a"], "a"), parse_date(opts["b"], "b")
        cal = Calendar(range(min(a, b).year, max(a, b).year + 1))
        self.stdout.write(str(cal.count_workdays(a, b)))
        unconfirmed = cal.unconfirmed_years(a, b)
        if unconfirmed:
            self.stderr.write(unconfirmed_warning(unconfirmed))

    def _print_deadline(self, deadline, explain: bool):
        self.stdout.write(deadline.due.isoformat())
        if explain:
            for step in deadline.explain():
                self.stdout.write(f"{step.day.isoformat()}\t{step.action}\t{step.reason}")
        if deadline.provisional:
            self.stderr.write(deadline.warning())

    # -- calendar maintenance ---------------------------------------------------

    def _import_notice(self, opts):
        path = Path(opts["file"])
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise _fail(f"无法读取文件“{path}”：{exc.strerror or exc}")
        text = _decode(raw, path)
        year = None
        if opts["year"]:
            try:
                year = int(opts["year"])
            except ValueError:
                raise _fail(f"年份“{opts['year']}”无效：必须是四位数字")
        result = import_notice(text, by=None, year=year, confirm=opts["confirm"], today=timezone.localdate())
        for line in result.notice.lines():
            self.stdout.write(line)
        n_off, n_work = len(result.notice.off_days), len(result.notice.work_days)
        summary = f"{result.notice.year}年：放假 {n_off} 天，调休上班 {n_work} 天（来源：{result.notice.source}）"
        if result.saved:
            self.stderr.write(f"已保存：{summary}，该年度日历已确认。")
            self._report(result.recomputed)
        else:
            self.stderr.write(f"未保存（预览）：{summary}。核对无误后加 --confirm 保存。")

    def _sync_builtin(self, opts):
        result = load_builtin(by=None, today=timezone.localdate())
        for year in result.updated:
            self.stdout.write(f"{year}\t已更新")
        for year in result.kept:
            self.stdout.write(f"{year}\t保留（已按通知导入）")
        self.stderr.write(
            f"内置日历 {result.source}：更新 {len(result.updated)} 年，未变化 {len(result.unchanged)} 年，"
            f"保留通知导入的 {len(result.kept)} 年。"
        )
        if result.recomputed:
            self._report(result.recomputed)

    def _correct_day(self, opts):
        day = parse_date(opts["day"], "day")
        result = correct_day(day, kind=opts["kind"], festival=opts["festival"], reason=opts["reason"], by=None,
                             today=timezone.localdate())
        self.stderr.write(f"已更正 {day.isoformat()}。")
        self._report(result.recomputed)

    def _report(self, recomputed):
        """One line per moved or flagged deadline, then the counts."""
        if recomputed.change is not None:
            labels = {DeadlineChange.State.MOVED: "调整", DeadlineChange.State.FLAGGED: "待人工确认"}
            for r in recomputed.change.deadlines.order_by("kind", "object_id"):
                self.stdout.write(f"{labels.get(r.state, r.get_state_display())}\t{r.kind}\t{r.object_repr}\t"
                                  f"{r.old_due.isoformat()}\t{r.new_due.isoformat()}")
        self.stderr.write(recomputed.summary() + "。")


def _decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _fail(f"文件“{path}”不是 UTF-8 或 GB18030 编码的文本")
