"""Demo data for 双随机、一公开."""


def load(stdout) -> None:
    return None
