"""Extension point: ``calendar_changed``.

Sent after the transaction that imported or re-synced one or more years
commits, with ``sender=CalendarYear`` and ``years`` (a sorted tuple of
ints). A module that stores provisional deadlines connects a receiver in its
``AppConfig.ready`` and recomputes the deadlines that ran into those years:

    from fazhi.workdays.signals import calendar_changed

    def _recompute(sender, years, **kwargs):
        for item in Request.objects.filter(deadline_provisional=True, due__year__in=years):
            ...

    calendar_changed.connect(_recompute, dispatch_uid="disclosure.recompute")

This is an extension point, not core logic: the calendar works without any
receiver, and a receiver must not be needed for the import to be correct.
"""

from django.dispatch import Signal

calendar_changed = Signal()
