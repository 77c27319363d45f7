"""REST endpoints of normative_docs, mounted under /api/v1/normdocs/."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
