"""Demo data for 法治政府建设年度报告."""


def load(stdout) -> None:
    return None
