"""Public pages of 重大行政决策, mounted at /portal/decisions/ (namespace major_decisions_portal).

The names ``index``, ``catalogue_detail``, ``decision_detail`` and
``consultation_detail`` are reversed by ``selectors.portal_latest``.
"""

from django.urls import path

from fazhi.major_decisions import portal_views as views

app_name = "major_decisions_portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("catalogues/<int:pk>/", views.catalogue, name="catalogue_detail"),
    path("<int:pk>/", views.decision, name="decision_detail"),
    path("consultations/", views.consultations, name="consultations"),
    path("consultations/<int:pk>/", views.consultation, name="consultation_detail"),
]
