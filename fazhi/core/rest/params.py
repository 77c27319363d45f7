"""Safe input for every ``api.py``: ids, integers, years, dates and short
texts from the query string, the path or a JSON body.

Whatever a client sends must end as a 400 with a Chinese message, never as a
500: an integer the database cannot hold (``id=2**70`` overflows SQLite's
INTEGER and PostgreSQL's bigint), a year or date Python cannot hold or that
would make the working-day arithmetic run for minutes (a count over 10,000
years tied a worker up for 46 s), a NUL character PostgreSQL refuses in a
query. So every bound lives here, once, and the API modules use these
helpers instead of their own ``int(...)``.

* ``<id:pk>`` in a URL (``IdConverter``): 1…2⁶³−1, anything else is 404.
* ``query_id / query_int / query_year / query_date / query_text / query_choice``
  for ``request.query_params``.
* ``IdField / IdListField / YearField / DateField`` for input serializers.
* ``check_range(a, b)``: a date range of at most ``MAX_RANGE_YEARS``.
"""

from datetime import date

from django.urls import register_converter
from rest_framework import serializers

from fazhi.core.errors import ValidationError

MAX_ID = 2**63 - 1  # BigAutoField: SQLite INTEGER and PostgreSQL bigint
MAX_INT = 2**31 - 1  # IntegerField columns (PostgreSQL integer)
YEAR_MIN, YEAR_MAX = 1949, 2099
# Dates a person enters (a meeting held, a letter received, a deadline): the
# window of the records this platform keeps. Bounding them keeps deadline
# arithmetic away from date.max and from century-long calendars.
DATE_MIN, DATE_MAX = date(YEAR_MIN, 1, 1), date(YEAR_MAX, 12, 31)
MAX_RANGE_YEARS = 50  # the longest date range an endpoint counts through
MAX_LIST = 500  # ids in one request body
MAX_QUERY_TEXT = 100


# ------------------------------------------------------------------ path


class IdConverter:
    """``<id:pk>``: a record id the database can hold; anything else does not
    match the URL (404), instead of overflowing in the query (500)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        n = int(value)
        if not 1 <= n <= MAX_ID:
            raise ValueError("id out of range")  # Django: no match -> 404
        return n

    def to_url(self, value) -> str:
        return str(value)


class KeyConverter:
    """``<key:…>``: a short ASCII key (an object type, a stored object id), no
    control characters (PostgreSQL refuses NUL in a query)."""

    regex = "[A-Za-z0-9_.:-]{1,100}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")
register_converter(KeyConverter, "key")

# Their schemas (SPECTACULAR_SETTINGS["PATH_CONVERTER_OVERRIDES"]).
PATH_SCHEMAS = {
    "id": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    "key": {"type": "string", "pattern": f"^{KeyConverter.regex}$"},
}


# ------------------------------------------------------------------ query string


def _invalid(name: str, message: str) -> ValidationError:
    return ValidationError(message, fields={name: [message]})


def query_text(params, name: str, max_length: int = MAX_QUERY_TEXT) -> str:
    """A short search or filter text, trimmed and cut to ``max_length``;
    NUL (which PostgreSQL refuses in a query) is a 400."""
    value = (params.get(name) or "").strip()
    if "\x00" in value:
        raise _invalid(name, f"参数 {name} 含有不允许的字符")
    return value[:max_length]


def query_int(params, name: str, *, label: str, min_value: int, max_value: int,
              default: int | None = None) -> int | None:
    """An integer parameter within [min_value, max_value]; absent -> ``default``."""
    raw = (params.get(name) or "").strip()
    if raw == "":
        return default
    # Plain decimal digits only: int() would also take "１２" or "1_000", and a
    # thousand-digit number costs time before it is refused.
    if not (raw.isascii() and raw.lstrip("-").isdigit() and len(raw) <= 20):
        raise _invalid(name, f"{label}应为整数")
    n = int(raw)
    if not min_value <= n <= max_value:
        raise _invalid(name, f"{label}应在 {min_value}～{max_value} 之间")
    return n


def query_id(params, name: str, label: str = "ID") -> int | None:
    return query_int(params, name, label=label, min_value=1, max_value=MAX_ID)


def query_year(params, name: str = "year", *, default: int | None = None, label: str = "年度",
               min_value: int = YEAR_MIN, max_value: int = YEAR_MAX) -> int | None:
    return query_int(params, name, label=label, min_value=min_value, max_value=max_value, default=default)


def check_date(value: date, name: str, label: str = "日期") -> date:
    if not DATE_MIN <= value <= DATE_MAX:
        raise _invalid(name, f"{label}应在 {DATE_MIN.isoformat()} 至 {DATE_MAX.isoformat()} 之间")
    return value


def query_date(params, name: str, *, label: str = "日期", required: bool = False) -> date | None:
    raw = (params.get(name) or "").strip()
    if raw == "":
        if required:
            raise _invalid(name, f"缺少参数 {name}（{label}）")
        return None
    try:
        value = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        value = None
    if value is None:
        raise _invalid(name, f"{label}格式错误，应为 YYYY-MM-DD")
    return check_date(value, name, label)


def query_choice(params, name: str, choices, *, label: str) -> str:
    """One of ``choices`` or "" when absent; anything else is a 400."""
    value = query_text(params, name, 50)
    if value and value not in choices:
        raise _invalid(name, f"{label}“{value[:20]}”无效")
    return value


def check_range(start: date, end: date, *, names: tuple[str, str] = ("start", "end"),
                max_years: int = MAX_RANGE_YEARS) -> None:
    """A date range of at most ``max_years`` (in either direction)."""
    lo, hi = min(start, end), max(start, end)
    if (hi - lo).days > max_years * 366:
        message = f"日期范围不能超过 {max_years} 年"
        raise ValidationError(message, fields={n: [message] for n in names})


# ------------------------------------------------------------------ serializer fields


class IdField(serializers.IntegerField):
    """A record id in a request body: 1…2⁶³−1 (bigger ones overflow the database)."""

    def __init__(self, **kw):
        label = kw.pop("label_zh", "ID")
        kw.setdefault("min_value", 1)
        kw.setdefault("max_value", MAX_ID)
        kw["error_messages"] = {"invalid": f"{label}应为整数", "min_value": f"{label}无效",
                                "max_value": f"{label}无效", "max_string_length": f"{label}无效",
                                **kw.get("error_messages", {})}
        super().__init__(**kw)


class IdListField(serializers.ListField):
    """A list of record ids, at most ``MAX_LIST`` of them."""

    def __init__(self, **kw):
        label = kw.pop("label_zh", "ID")
        kw.setdefault("child", IdField(label_zh=label))
        kw.setdefault("max_length", MAX_LIST)
        kw["error_messages"] = {"not_a_list": "应为ID列表", "max_length": f"一次最多 {MAX_LIST} 个",
                                "empty": "列表不能为空", **kw.get("error_messages", {})}
        super().__init__(**kw)


class YearField(serializers.IntegerField):
    def __init__(self, **kw):
        kw.setdefault("min_value", YEAR_MIN)
        kw.setdefault("max_value", YEAR_MAX)
        kw["error_messages"] = {"invalid": "年度应为整数", "min_value": f"年度不能早于 {YEAR_MIN}",
                                "max_value": f"年度不能晚于 {YEAR_MAX}", "max_string_length": "年度无效",
                                **kw.get("error_messages", {})}
        super().__init__(**kw)


class DateField(serializers.DateField):
    """A date a person enters, within DATE_MIN…DATE_MAX."""

    def __init__(self, **kw):
        kw["error_messages"] = {"invalid": "日期格式错误，应为 YYYY-MM-DD", "datetime": "应为日期，不含时间",
                                "range": f"日期应在 {DATE_MIN.isoformat()} 至 {DATE_MAX.isoformat()} 之间",
                                **kw.get("error_messages", {})}
        super().__init__(**kw)

    def to_internal_value(self, value):
        value = super().to_internal_value(value)
        if not DATE_MIN <= value <= DATE_MAX:
            self.fail("range")
        return value


class RecordField(serializers.PrimaryKeyRelatedField):
    """A record chosen by its id in a request body. An id the database cannot
    hold is "does not exist" (400) — DRF's own field passes it to the query,
    which overflows (500)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool) and isinstance(data, (int, str)) and str(data).strip().isdigit():
            if not 1 <= int(str(data).strip()) <= MAX_ID:
                self.fail("does_not_exist", pk_value=str(data)[:30])
        return super().to_internal_value(data)
