"""Demo data for 任务清单与推进台账."""


def load(stdout) -> None:
    return None
