from django.urls import path
from django.views.generic import RedirectView

from fazhi.enforcement import views

app_name = "enforcement"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="enforcement:case_list"), name="index"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/do/<slug:step>/", views.case_action, name="case_action"),
    path("cases/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("cases/<int:pk>/evidence/<int:file_pk>/", views.evidence_download, name="evidence_download"),
    path("cases/<int:pk>/print/", views.case_print, name="case_print"),
    path("cases/<int:pk>/docx/<slug:kind>/", views.case_document, name="case_document"),
    path("officers/", views.officer_list, name="officer_list"),
    path("officers/new/", views.officer_create, name="officer_create"),
    path("officers/<int:pk>/", views.officer_detail, name="officer_detail"),
    path("officers/<int:pk>/do/<slug:step>/", views.officer_action, name="officer_action"),
    path("benchmarks/", views.benchmark_list, name="benchmark_list"),
    path("benchmarks/new/", views.benchmark_edit, name="benchmark_create"),
    path("benchmarks/<int:pk>/", views.benchmark_edit, name="benchmark_edit"),
    path("codes/", views.code_list, name="code_list"),
    path("codes/<int:unit_pk>/", views.code_edit, name="code_edit"),
    path("transfers/", views.transfer_list, name="transfer_list"),
    path("transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
]
