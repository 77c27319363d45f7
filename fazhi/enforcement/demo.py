"""Demo data of enforcement (see fazhi.modules.demo_loaders)."""


def load(out=None):
    return None
