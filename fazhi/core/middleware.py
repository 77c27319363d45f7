"""Refusing, at the door, text that cannot go into an XML document.

One mechanism for every input: every query parameter, every field of a form
post (URL-encoded or multipart, the names of uploaded files included) and
every string (key or value, at any depth) of a JSON body — so every Django
form, every view that reads ``request.POST``, every DRF serializer field and
the Django admin are covered without touching any of them. A character of
``fazhi.core.text.NOT_XML`` (C0 controls other than tab/CR/LF, lone
surrogates, U+FFFE/U+FFFF) would be stored and later make every .docx or .xlsx
download of that record fail; the request is refused with 400 and a Chinese
message before any view runs, so nothing is changed. The API answers in its
one JSON error shape; pages (staff or portal) answer with a page.
"""

import json
from collections.abc import Iterable

from django.conf import settings
from django.http import JsonResponse, QueryDict
from django.shortcuts import render

from fazhi.core.errors import error_body
from fazhi.core.text import NOT_XML

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _walk(value, path: str):
    """(path, bad character) of the first string in a JSON value holding one."""
    if isinstance(value, str):
        m = NOT_XML.search(value)
        return (path, m.group()) if m else None
    items: Iterable[tuple[object, object]]
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        name = f"{path}.{key}" if path else str(key)
        found = _walk(str(key), name) or _walk(item, name)
        if found:
            return found
    return None


def _in_querydict(qd: QueryDict):
    for key, values in qd.lists():
        found = _walk(key, key) or next(filter(None, (_walk(v, key) for v in values)), None)
        if found:
            return found
    return None


def first_bad_input(request):
    """(field, character) of the first input of ``request`` that XML cannot carry, or None."""
    found = _in_querydict(request.GET)
    if found or request.method in ("GET", "HEAD", "OPTIONS"):
        return found
    ctype = request.content_type or ""
    if ctype in _FORM_TYPES:
        if request.method == "POST":
            found = _in_querydict(request.POST)
            for key, files in request.FILES.lists():
                found = found or next(filter(None, (_walk(f.name or "", key) for f in files)), None)
            return found
        if ctype == _FORM_TYPES[0]:  # PUT/PATCH with a URL-encoded body: Django does not parse it
            return _in_querydict(QueryDict(request.body, encoding=request.encoding))
        return None
    if ctype == "application/json" or ctype.endswith("+json"):
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if not length or length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            return None  # empty, or too big: the view refuses it anyway
        try:
            data = json.loads(request.body)
        except ValueError:
            return None  # malformed JSON is the parser's to report
        return _walk(data, "")
    return None


class RefuseControlCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        found = first_bad_input(request)
        if found is None:
            return self.get_response(request)
        field, char = found
        where = f"“{field[:60]}”中" if field else ""
        message = (f"提交的内容{where}含有无法保存的控制字符（U+{ord(char):04X}），"
                   "请删除该字符（常见于从其他软件复制的文本）后重新提交")
        if request.path.startswith("/api/"):
            return JsonResponse(error_body("invalid", message, fields={field or "non_field_errors": [message]}),
                                status=400, json_dumps_params={"ensure_ascii": False})
        base = "portal/base.html" if request.path.startswith("/portal/") else "base.html"
        return render(request, "core/bad_input.html", {"message": message, "base_template": base}, status=400)
