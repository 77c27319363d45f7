"""Characters that cannot go into an XML document, found and removed in one place.

XML 1.0 allows tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and the planes above
(§2.2 "Char"). Anything else — the other C0 control characters (U+0000–U+001F),
the UTF-16 surrogates when they stand alone in a Python string, and the
non-characters U+FFFE/U+FFFF — makes python-docx and openpyxl refuse to write
the text, so one such character stored in a title would turn every .docx or
.xlsx download of that record into a server error.

Input refuses them (``fazhi.core.middleware.RefuseControlCharacters`` for every
form field, query parameter, JSON value and upload name); text read from an
imported file is cleaned with ``clean``; the .docx/.xlsx writers clean again,
for whatever was stored before.
"""

import re

# The characters XML 1.0 does not allow (the complement of §2.2 Char).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def has_bad(text: str) -> bool:
    """True when ``text`` holds a character XML cannot carry."""
    return NOT_XML.search(text) is not None


def clean(text: str) -> str:
    """``text`` without the characters XML cannot carry (other characters kept as they are)."""
    return NOT_XML.sub("", text) if NOT_XML.search(text) else text


def describe(text: str) -> str:
    """The first offending character as a code point ("U+0001"), for a message."""
    m = NOT_XML.search(text)
    return f"U+{ord(m.group()):04X}" if m else ""
