"""Public pages of the module, mounted at /portal/normdocs/ (namespace normative_docs_portal)."""

from django.urls import path

from fazhi.normative_docs import portal_views as views

app_name = "normative_docs_portal"
urlpatterns = [
    path("", views.library, name="library"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/download.docx", views.download, name="download"),
    path("<int:pk>/proposal/", views.propose, name="propose"),
    path("consultations/", views.consultations, name="consultations"),
    path("consultations/<int:pk>/", views.consultation, name="consultation"),
]
