"""URL map: every app's URLs listed by hand."""

from django.contrib import admin
from django.urls import include, path

from fazhi.portal import views as portal_views

urlpatterns = [
    path("", include("fazhi.shell.urls")),
    path("accounts/", include("fazhi.accounts.urls")),
    path("org/", include("fazhi.org.urls")),
    path("audit/", include("fazhi.audit.urls")),
    path("workdays/", include("fazhi.workdays.urls")),
    path("normdocs/", include("fazhi.normative_docs.urls")),
    path("decisions/", include("fazhi.major_decisions.urls")),
    path("training/", include("fazhi.training.urls")),
    path("enforcement/", include("fazhi.enforcement.urls")),
    path("inspections/", include("fazhi.inspections.urls")),
    path("ledger/", include("fazhi.ledger.urls")),
    path("assessment/", include("fazhi.assessment.urls")),
    path("reports/", include("fazhi.annual_report.urls")),
    path("portal/normdocs/", include("fazhi.normative_docs.portal_urls")),
    path("portal/decisions/", include("fazhi.major_decisions.portal_urls")),
    path("portal/enforcement/", include("fazhi.portal.modules.enforcement.urls")),
    path("portal/inspections/", include("fazhi.portal.modules.inspections.urls")),
    path("portal/reports/", include("fazhi.portal.modules.annual_report.urls")),
    path("portal/", include("fazhi.portal.urls")),
    # 执法证件核验的短地址（证件上的二维码）
    path("c/<str:number>/", portal_views.certificate, name="certificate_short"),
    path("api/", include("fazhi.api.urls")),
    path("django-admin/", admin.site.urls),
]

handler403 = "fazhi.shell.views.error_403"
handler404 = "fazhi.shell.views.error_404"
