"""What every staff screen of enforcement shares: the server's date and time
(``today``/``now``, patched by tests), the permission names, the case
look-up (404 outside what the user may see) and a refusal placed on a form.
"""

from datetime import date

from django.http import Http404
from django.utils import timezone

from fazhi.core.errors import DomainError
from fazhi.enforcement import selectors
from fazhi.enforcement.models import PenaltyCase
from fazhi.org.models import Unit

VIEW = "enforcement.view"
HANDLE = "enforcement.handle_case"
MANAGE_OFFICERS = "enforcement.manage_officers"
MANAGE_BENCHMARKS = "enforcement.manage_benchmarks"


def today() -> date:
    return timezone.localdate()


def now():
    return timezone.now()


def _place_error(form, exc: DomainError) -> None:
    """A service's refusal onto the form: field errors where they belong, the
    message with its rule on top."""
    for name, msg in (exc.fields or {}).items():
        if name in form.fields:
            form.add_error(name, msg)
    form.add_error(None, str(exc))


def _unit(pk) -> Unit | None:
    return Unit.objects.filter(pk=pk).first() if pk else None


def _get_case(user, pk) -> PenaltyCase:
    case = selectors.case_detail(user, pk)
    if case is None:
        raise Http404()
    return case


def _num(v) -> str:
    """1000.00 -> "1000", 12.50 -> "12.5"."""
    return f"{v.normalize():f}" if v is not None else ""
