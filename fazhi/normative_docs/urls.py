from django.urls import path  # noqa: F401

app_name = "normative_docs"
urlpatterns: list = []
