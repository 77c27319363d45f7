"""Public pages of 法治政府建设年度报告, mounted at /portal/reports/."""

from django.urls import path

from fazhi.portal.modules.annual_report import views

app_name = "annual_report_portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/docx/", views.docx, name="docx"),
]
