"""The one date widget (issue 13 §2 "Dates").

``<input type="date">`` shows a value only when it is ISO (YYYY-MM-DD); any
other rendering ("2026/03/02", the zh-hans default) opens the field empty, and
saving the form then blanks a date the person never touched. Every
``forms.DateField`` uses this widget (``tests/test_date_widget.py`` walks every
form to keep it so)::

    from fazhi.core.widgets import DateInput
    held_on = forms.DateField(label="会议日期", widget=DateInput)
"""

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):  # noqa: A002  (Django's name)
        super().__init__(attrs=attrs, format=format or ISO_DATE)
