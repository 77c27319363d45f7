"""The home dashboard: what every module says needs the user's attention.

Each manifest lists dashboard providers ``provider(user, today) ->
list[DashboardItem]``. A provider that fails must not take the home page
down with it: its failure is logged and shown as a small warning, and the
other modules' items are still listed.
"""

import logging
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from fazhi import modules
from fazhi.core.manifest import DashboardItem

log = logging.getLogger("fazhi.shell.dashboard")

KINDS = ("todo", "due_soon", "overdue")


@dataclass
class Dashboard:
    todo: list[DashboardItem] = field(default_factory=list)
    due_soon: list[DashboardItem] = field(default_factory=list)
    overdue: list[DashboardItem] = field(default_factory=list)
    failed_modules: list[str] = field(default_factory=list)


def _due_key(item: DashboardItem):
    # Earliest deadline first; items without a deadline last, then by title.
    return (item.due is None, item.due or date.max, item.title)


def collect(user, today: date) -> Dashboard:
    board = Dashboard()
    for manifest in modules.manifests():
        for provider in manifest.dashboard:
            try:
                # A savepoint: a provider's database error must not poison
                # the rest of the request's transaction (PostgreSQL).
                with transaction.atomic():
                    items = list(provider(user, today))
            except Exception:
                log.exception("dashboard provider %s of %s failed", getattr(provider, "__name__", provider),
                              manifest.label)
                if manifest.title not in board.failed_modules:
                    board.failed_modules.append(manifest.title)
                continue
            for item in items:
                if item.kind not in KINDS:
                    log.warning("dashboard item of %s has unknown kind %r", manifest.label, item.kind)
                    continue
                if not item.module:
                    item = DashboardItem(item.kind, item.title, item.url, item.due, manifest.title, item.note)
                getattr(board, item.kind).append(item)
    for kind in KINDS:
        getattr(board, kind).sort(key=_due_key)
    return board
