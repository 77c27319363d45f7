from django.apps import AppConfig

from fazhi.core.manifest import Manifest

MANIFEST = Manifest(label="major_decisions", title="重大行政决策")


class MajorDecisionsConfig(AppConfig):
    name = "fazhi.major_decisions"
    label = "major_decisions"
    verbose_name = "重大行政决策"
