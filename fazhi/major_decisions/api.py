"""REST endpoints of major_decisions, mounted under /api/v1/decisions/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
