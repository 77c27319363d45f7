"""The end-to-end browser suite (marker ``browser``).

A real server (gunicorn, ``DEBUG=false``, as in production) runs on a free
port against its own database, migrated and loaded with the demo district
once per session; Debian's Chromium (``/usr/bin/chromium``, never a
downloaded browser) is driven by Playwright. Every page a test opens is
watched: a console error, a response with status ≥ 400 or a request to any
other host fails the test (``PageWatch``).

The database follows the run: on SQLite a temporary file; with
``DATABASE_URL=postgres://…`` a database named ``<name>_e2e`` recreated for
the run, so the workflows are proven on PostgreSQL too.

Where no Chromium or no Playwright can be had, the suite is skipped with a
message saying so (``.ci/run`` installs both).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("FAZHI_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "demo-Fazhi-2026"
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


def _why_skip() -> str | None:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "浏览器测试需要 Python 包 playwright（make install 会安装）"
    if not Path(CHROMIUM).exists():
        return f"浏览器测试需要 Chromium（{CHROMIUM}；apt-get install chromium fonts-wqy-microhei）"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _why_skip()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(tmp: Path) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg
        from psycopg import sql

        base, name = url.rsplit("/", 1)
        name = f"{name.split('?')[0]}_e2e"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' "
                                 "TEMPLATE template0").format(sql.Identifier(name)))
        return f"{base}/{name}"
    return f"sqlite:///{tmp / 'e2e.sqlite3'}"


@dataclass
class LiveServer:
    url: str
    env: dict
    process: subprocess.Popen
    log: Path

    def manage(self, *args: str) -> str:
        """Run a management command against the server's database."""
        out = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env,
                             capture_output=True, text=True, timeout=600)
        if out.returncode:
            raise AssertionError(f"manage.py {' '.join(args)} 失败：\n{out.stdout}\n{out.stderr}")
        return out.stdout


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    """The demo district served by gunicorn on a free port."""
    if _why_skip():
        pytest.skip(_why_skip())
    tmp = tmp_path_factory.mktemp("e2e")
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(tmp),
        "DEBUG": "false",
        "SECRET_KEY": "e2e-" + "x" * 60,
        "FAZHI_ENV": "production",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "MEDIA_ROOT": str(tmp / "media"),
        "PYTHONUNBUFFERED": "1",
        # Two gunicorn workers, each with its own memory cache: a rule changed on
        # the page 地方规则 reaches the other worker within a second.
        "FAZHI_LOCAL_RULES_CACHE_SECONDS": "1",
    }
    env.pop("REDIS_URL", None)
    for args in (("migrate", "--noinput"), ("load_demo",)):
        out = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=900)
        if out.returncode:
            raise AssertionError(f"manage.py {' '.join(args)} 失败：\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    log = tmp / "server.log"
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    with open(log, "w") as fh:
        proc = subprocess.Popen(
            [gunicorn, "fazhi.wsgi", "-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "4",
             "--timeout", "120", "--access-logfile", "-"],
            cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"测试服务器未能启动：\n{log.read_text()[-3000:]}")
        time.sleep(0.3)
    server = LiveServer(url, env, proc, log)
    yield server
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser(live):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class PageWatch:
    """What went wrong on the pages of one test."""

    origin: str
    problems: list[str] = field(default_factory=list)
    allowed_status: set[tuple[str, int]] = field(default_factory=set)

    def expect_status(self, path_part: str, status: int) -> None:
        """A response a test provokes on purpose (e.g. 403 for another unit)."""
        self.allowed_status.add((path_part, status))

    def on_console(self, msg) -> None:
        if msg.type == "error":
            self.problems.append(f"控制台错误：{msg.text}")

    def on_pageerror(self, exc) -> None:
        self.problems.append(f"页面脚本异常：{exc}")

    def on_response(self, resp) -> None:
        if resp.status >= 400 and not any(p in resp.url and s == resp.status for p, s in self.allowed_status):
            self.problems.append(f"HTTP {resp.status}：{resp.request.method} {resp.url}")

    def route(self, route) -> None:
        if route.request.url.startswith(self.origin) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.problems.append(f"请求了外部地址：{route.request.url}")
            route.abort()


def _new_page(browser, live, watch: PageWatch, **context_kw):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True,
                                  base_url=live.url, **context_kw)
    context.set_default_timeout(20_000)
    context.route("**/*", watch.route)
    page = context.new_page()
    page.on("console", watch.on_console)
    page.on("pageerror", watch.on_pageerror)
    page.on("response", watch.on_response)
    return context, page


@pytest.fixture
def watch(live):
    w = PageWatch(live.url)
    yield w
    assert not w.problems, "页面出现问题：\n" + "\n".join(w.problems)


@pytest.fixture
def open_page(browser, live, watch):
    """``open_page(viewport=...)`` -> a new page in its own context (own sign-in)."""
    contexts = []

    def _open(**kw):
        context, page = _new_page(browser, live, watch, **kw)
        contexts.append(context)
        return page

    yield _open
    for c in contexts:
        c.close()


@pytest.fixture
def page(open_page):
    return open_page(viewport={"width": 1366, "height": 900})


def sign_in(page, username: str, password: str = PASSWORD):
    """Sign in through the real form; lands on 我的工作台."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, f"{username} 登录失败"
    return page


@pytest.fixture
def as_user(open_page):
    """``as_user("nongye_clerk")`` -> a signed-in page of that demo account."""

    def _as(username: str, **kw):
        page = open_page(viewport=kw.pop("viewport", {"width": 1366, "height": 900}), **kw)
        return sign_in(page, username)

    return _as


def shot(page, name: str) -> None:
    """A screenshot under var/screenshots/ (looked at by people, not asserted)."""
    out = ROOT / "var" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)


def tmpdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="fazhi-e2e-"))
