"""The modules' public pages, one package per module (``<app>/views.py``,
``<app>/urls.py``), mounted by ``fazhi/urls.py`` at ``portal/<prefix>/``.

They read only the module's selectors and call only its public services: the
portal depends on the modules, never the other way round (import-linter).
Templates are ``portal/<app>/…`` under ``fazhi/portal/templates``.
"""
