"""/api/v1/: every module's endpoints, listed by hand."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("v1/org/", include(("fazhi.org.api", "org"))),
    path("v1/audit/", include(("fazhi.audit.api", "audit"))),
    path("v1/workdays/", include(("fazhi.workdays.api", "workdays"))),
]
