"""REST endpoints of org, mounted under /api/v1/org/ by fazhi/api/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
