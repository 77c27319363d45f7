"""The modules' public pages, one package per module (``<app>/views.py``,
``<app>/urls.py``), mounted by ``fazhi/urls.py`` at ``portal/<prefix>/``.

They read only the module's selectors and call only its public services: the
portal depends on the modules, never the other way round (import-linter).
Templates are ``portal/<app>/…`` under ``fazhi/portal/templates``.

One package per module rather than flat ``<app>_views.py`` files: a module's
public face is a views file and a URL map (and may grow forms), the same
shape as the module's own staff face, and with ten modules the portal's own
files (home, search, sections) stay easy to find beside ten folders.
"""
