from django.urls import path  # noqa: F401

app_name = "major_decisions_portal"
urlpatterns: list = []
