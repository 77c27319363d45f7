"""REST endpoints of workdays, mounted under /api/v1/workdays/ by fazhi/api/urls.py."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
