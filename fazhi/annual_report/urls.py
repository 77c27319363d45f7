from django.urls import path

from fazhi.annual_report import views

app_name = "annual_report"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_generate, name="generate"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/regenerate/", views.report_regenerate, name="regenerate"),
    path("<int:pk>/sections/<slug:key>/", views.section_edit, name="section_edit"),
    path("<int:pk>/do/<slug:action>/", views.report_action, name="action"),
    path("<int:pk>/print/", views.report_print, name="print"),
    path("<int:pk>/docx/", views.report_docx, name="docx"),
]
