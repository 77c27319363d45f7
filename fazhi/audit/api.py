"""REST endpoints of audit, mounted under /api/v1/audit/ by fazhi/api/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
