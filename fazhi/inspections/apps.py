from django.apps import AppConfig

from fazhi.core.manifest import Manifest

MANIFEST = Manifest(
    label="inspections",
    title="双随机、一公开",
)


class InspectionsConfig(AppConfig):
    name = "fazhi.inspections"
    label = "inspections"
    verbose_name = "双随机、一公开"
