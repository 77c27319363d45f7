"""Extension point: ``calendar_changed``.

Sent after the transaction that imported, re-synced or corrected one or
more years commits, with ``sender=CalendarYear`` and ``years`` (a sorted
tuple of ints), for side effects that may happen after the fact (clearing a
cache, telling another system).

Stored deadlines are **not** recomputed here: a module declares them in its
``deadlines.py`` (``fazhi.workdays.deadlines.DeadlineKind``, listed in
``fazhi/modules.py``) and they are recomputed inside the transaction of the
calendar change, audited with it (see ``deadlines.py``). A receiver must not
be needed for the calendar or any deadline to be correct.
"""

from django.dispatch import Signal

calendar_changed = Signal()
