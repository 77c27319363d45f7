"""The message storage of the shell (settings.MESSAGE_STORAGE).

A refusal put into a message (``messages.error(request, str(exc))``) keeps
its citation's tooltip: a message that knows its own HTML (``__html__``:
``core.citations.Cited``, ``format_html`` output) is stored as that, already
escaped, because the cookie keeps only plain text and safe text apart."""

from django.contrib.messages.storage.fallback import FallbackStorage
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData


class CitingStorage(FallbackStorage):
    def add(self, level, message, extra_tags=""):
        if hasattr(message, "__html__") and not isinstance(message, SafeData):
            message = conditional_escape(message)
        return super().add(level, message, extra_tags)
