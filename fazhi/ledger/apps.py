from django.apps import AppConfig

from fazhi.core.manifest import Manifest

MANIFEST = Manifest(
    label="ledger",
    title="任务清单与推进台账",
)


class LedgerConfig(AppConfig):
    name = "fazhi.ledger"
    label = "ledger"
    verbose_name = "任务清单与推进台账"
