"""Scheduled jobs of the inspections module (registered in apps.ready)."""


def register() -> None:
    return None
