from django.apps import AppConfig

from fazhi.core.manifest import Manifest

MANIFEST = Manifest(label="training", title="学法用法")


class TrainingConfig(AppConfig):
    name = "fazhi.training"
    label = "training"
    verbose_name = "学法用法"
