"""Local format overrides (settings.FORMAT_MODULE_PATH): ISO dates first, so a
date a form renders is one ``<input type="date">`` can show (issue 13 §2)."""
