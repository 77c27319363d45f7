"""Demo data of major_decisions (see fazhi.modules.demo_loaders)."""


def load(out=None):
    return None
