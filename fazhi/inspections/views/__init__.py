"""Staff screens of 双随机、一公开: the item list (一单), the object and
inspector pools (两库) with the import, plans and tasks, the draw ceremony,
results and their publication (一公开), statistics.

Every change goes through ``services``; lists and records are read through
``selectors`` (scoped with ``org.access``). A record outside what the user
may *see* is a 404; a visible record the user may not *change* is a 403 (the
service refuses with ``PermissionDenied``). Any other refusal (legal order of
the draw, too few inspectors after recusal, sample larger than the pool, an
unpublished item, a bad credit code) is shown on the page with its rule ID,
and nothing is changed.

One module per area (``items``, ``pools``, ``imports``, ``plans``, ``draws``,
``results``, ``stats``); ``urls.py`` names them. What several areas share (the
permission names, form and refusal glue, the server's day, presentation
helpers) is in ``common``, imported as ``vh``.
"""
