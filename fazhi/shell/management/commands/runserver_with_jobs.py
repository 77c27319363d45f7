"""Embedded mode (``make run``): the development web server plus the job loop.

The job loop runs in a daemon thread of the same process, so nothing needs
cron. The autoreloader is switched off: with it, Django runs the server in a
child process and the jobs would run twice (once per process).
"""

import threading

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand

from fazhi.core import jobs


class Command(RunserverCommand):
    help = "启动内置 Web 服务，并在同一进程中运行后台定时任务（本地/演示模式）"

    def handle(self, *args, **options):
        options["use_reloader"] = False
        thread = threading.Thread(
            target=jobs.run_forever,
            kwargs={"interval_seconds": settings.JOBS_INTERVAL_SECONDS},
            name="fazhi-jobs",
            daemon=True,
        )
        thread.start()
        self.stdout.write(
            f"后台定时任务已在本进程运行（每 {settings.JOBS_INTERVAL_SECONDS} 秒检查一次，"
            f"已登记 {len(jobs.registry.jobs())} 项）"
        )
        super().handle(*args, **options)
