"""Demo data for 考核评价."""


def load(stdout) -> None:
    return None
