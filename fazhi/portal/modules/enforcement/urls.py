"""Public pages of 行政执法公示, mounted at /portal/enforcement/ (namespace enforcement_portal)."""

from django.urls import path

from fazhi.portal.modules.enforcement import views

app_name = "enforcement_portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("decisions/", views.decisions, name="decisions"),
    path("decisions/<int:pk>/", views.decision, name="decision"),
    path("certificates/", views.certificates, name="certificates"),
]
