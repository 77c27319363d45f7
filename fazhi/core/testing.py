"""Helpers shared by tests across apps (no test cases here)."""

import threading

from django.db import connection


def run_in_threads(target, n: int, *, timeout: float = 120) -> None:
    """Run ``target(i)`` for i in range(n) in n threads released at once by a
    barrier, each with its own database connection; re-raise any failure in
    the calling thread. Used for real-concurrency tests on PostgreSQL."""
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def worker(i):
        try:
            barrier.wait(timeout=30)
            target(i)
        except BaseException as exc:  # collected and re-raised in the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=timeout)
    assert not any(t.is_alive() for t in threads), "threads hung"
    assert not errors, errors


def confirm_personal_data(obj, decision: str = "mask", texts: dict | None = None) -> int:
    """Record ``decision`` on every undecided hit of ``obj``'s registered texts (or
    ``texts``), as a person would on the review page, without the page. For
    fixtures that publish; tests of the check itself use ``privacy.decide``."""
    from django.utils import timezone

    from fazhi.core import masking, privacy
    from fazhi.core.models import PrivacyDecision

    rows = [PrivacyDecision(subject_type=privacy.label_of(obj), subject_id=str(obj.pk), kind=f.hit.kind,
                            key=f.hit.key, value=f.hit.value if decision == "keep" else "",
                            preview=masking.preview(f.hit.kind, f.hit.value)[:60], decision=decision,
                            decided_by_name="测试", decided_at=timezone.now())
            for f in {f.hit.key: f for f in privacy.pending(obj, texts)}.values()]
    PrivacyDecision.objects.bulk_create(rows)
    return len(rows)


# ------------------------------------------------------------ hostile files
# Used by the upload tests and by benchmarks/upload_bomb.py (issue 11).

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>")
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="word/document.xml"/></Relationships>')
_DOC_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
_DOC_TAIL = b"</w:body></w:document>"
_PARAGRAPH = ("<w:p><w:r><w:t>" + "依法行政" * 40 + "</w:t></w:r></w:p>").encode()


def docx_bomb(target, expanded: int) -> None:
    """Write to ``target`` (a path or a binary file) a valid .docx whose
    word/document.xml inflates to about ``expanded`` bytes of paragraphs
    (about 1/190 of that on disk)."""
    import zipfile

    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(_DOC_HEAD)
            block = _PARAGRAPH * max(1, min(expanded, 1 << 20) // len(_PARAGRAPH))
            written = 0
            while written < expanded:
                f.write(block)
                written += len(block)
            f.write(_DOC_TAIL)


def docx_with_members(target, members: int) -> None:
    """A small valid .docx plus ``members`` empty members (short names, stored)."""
    import zipfile

    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/document.xml", _DOC_HEAD + _PARAGRAPH + _DOC_TAIL)
        for i in range(members):
            z.writestr(f"{i:x}", b"")


def xlsx_bytes(rows) -> bytes:
    """An ordinary .xlsx of ``rows`` (lists of values)."""
    import io

    from openpyxl import Workbook

    buf = io.BytesIO()
    wb = Workbook()
    for r in rows:
        wb.active.append(list(r))
    wb.save(buf)
    return buf.getvalue()


def xlsx_laughs() -> bytes:
    """A workbook whose first sheet declares nested XML entities ("billion
    laughs": 10^9 copies of "lol") and uses the last one in cell A2."""
    import io
    import zipfile

    ents = ['<!ENTITY a0 "lol">'] + [f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)]
    dtd = ("<!DOCTYPE worksheet [" + "".join(ents) + "]>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes([["姓名"], ["张三"]]))) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = (b'<?xml version="1.0" encoding="UTF-8"?>' + dtd
                        + data.replace(b"&#24352;&#19977;", b"&a9;"))
            dst.writestr(info, data)
    return out.getvalue()


# ------------------------------------------------------------ forms as a browser sends them

class _FormParser:
    """Collect each <form>'s fields the way a browser submits them."""

    def __init__(self):
        from html.parser import HTMLParser

        self.forms: list[dict] = []
        outer = self

        class P(HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.form = None
                self.select = None
                self.select_first = None
                self.textarea = None

            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                if tag == "form":
                    self.form = {}
                    outer.forms.append(self.form)
                elif self.form is None or a.get("disabled") is not None:
                    return
                elif tag == "input" and a.get("name"):
                    kind = (a.get("type") or "text").lower()
                    value = a.get("value") or ""
                    if kind in ("submit", "button", "file", "reset", "image"):
                        return
                    if kind in ("checkbox", "radio"):
                        if "checked" in a:
                            self.form.setdefault(a["name"], []).append(value or "on")
                        return
                    if kind == "date" and not _is_iso(value):
                        value = ""  # what <input type="date"> does with anything else
                    self.form.setdefault(a["name"], []).append(value)
                elif tag == "select" and a.get("name"):
                    self.select, self.select_first = a["name"], None
                    self.form.setdefault(self.select, [])
                elif tag == "option" and self.select:
                    value = a.get("value", "")
                    if self.select_first is None:
                        self.select_first = value
                    if "selected" in a:
                        self.form[self.select].append(value)
                elif tag == "textarea" and a.get("name"):
                    self.textarea = a["name"]
                    self.form.setdefault(self.textarea, []).append("")

            def handle_endtag(self, tag):
                if tag == "form":
                    self.form = None
                elif tag == "select" and self.select and self.form is not None:
                    if not self.form[self.select] and self.select_first is not None:
                        self.form[self.select].append(self.select_first)
                    self.select = None
                elif tag == "textarea":
                    self.textarea = None

            def handle_data(self, data):
                if self.textarea and self.form is not None:
                    self.form[self.textarea][-1] += data

        self.parser = P()


def _is_iso(value: str) -> bool:
    from datetime import date

    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def browser_form(html: str, field: str) -> dict[str, list[str]]:
    """The fields a browser would submit from the form of ``html`` that has
    ``field``: values as rendered, checked boxes only, the selected (or first)
    option, and an empty value for a date input whose value is not ISO — as a
    real ``<input type="date">`` does. Pass the result (edited) to
    ``client.post``. Used by the "saving keeps the dates" tests (issue 13 §2)."""
    p = _FormParser()
    p.parser.feed(html)
    for form in p.forms:
        if field in form:
            form.pop("csrfmiddlewaretoken", None)
            return form
    raise AssertionError(f"no form with a field {field!r}")


def fresh_cache() -> None:
    """Empty the cache as every test starts, saying in it that no local rule is
    set on the admin screen (the table is empty at the start of a test), so a
    rule read costs no query and query counts stay those of the page itself."""
    from django.core.cache import cache

    from fazhi.core import local_rules

    cache.clear()
    cache.set(local_rules.CACHE_KEY, {}, None)
