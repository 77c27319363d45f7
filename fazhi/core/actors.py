"""Who acts: the type of every service's ``by`` parameter.

A signed-in account (Django's ``auth.User``, the project's user model), or
``None`` for the system itself (scheduled jobs, the demo loader, data
migrations), which may do everything a service allows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    # Imported for the checker only: importing auth models here at run time
    # would make every services module depend on the app registry being ready.
    from django.contrib.auth.models import User

Actor: TypeAlias = "User | None"
