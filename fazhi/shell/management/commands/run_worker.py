"""The background worker of a production deployment: one process, forever.

    python manage.py run_worker            # loop (systemd / container)
    python manage.py run_worker --once     # run what is due now and exit
"""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from fazhi.core import jobs


class Command(BaseCommand):
    help = "运行后台定时任务（提醒、自动到期等）；生产环境以独立进程运行"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="只运行一轮到期任务后退出")
        parser.add_argument(
            "--interval", type=int, default=None,
            help="轮询间隔秒数（默认取 JOBS_INTERVAL_SECONDS）",
        )

    def handle(self, *args, once=False, interval=None, **options):
        names = [j.name for j in jobs.registry.jobs()]
        self.stdout.write(f"已登记的定时任务：{'、'.join(names) if names else '（无）'}")
        if once:
            results = jobs.run_due()
            for name, outcome in results.items():
                self.stdout.write(f"  {name}: {'成功' if outcome == 'ok' else '失败（见日志）'}")
            return
        stop = threading.Event()

        def _stop(signum, frame):
            self.stdout.write("收到停止信号，本轮结束后退出")
            stop.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        jobs.run_forever(interval_seconds=interval or settings.JOBS_INTERVAL_SECONDS, stop=stop)
