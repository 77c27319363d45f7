"""Scheduled jobs of accounts: expired API tokens are dropped daily."""

from fazhi.core import jobs


def purge_tokens(now) -> int:
    from fazhi.accounts import services

    return services.purge_expired_tokens(now)


def register() -> None:
    jobs.register("accounts.purge_tokens", purge_tokens, every_seconds=24 * 3600)
