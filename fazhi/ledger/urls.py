from django.urls import path

from fazhi.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("plans/upload/", views.plan_upload, name="plan_upload"),
    path("plans/confirm/", views.plan_confirm, name="plan_confirm"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/print/", views.plan_print, name="plan_print"),
    path("plans/<int:pk>/assign/", views.plan_assign, name="plan_assign"),
    path("plans/<int:pk>/activate/", views.plan_activate, name="plan_activate"),
    path("measures/", views.measure_list, name="measure_list"),
    path("measures/mine/", views.my_measures, name="my_measures"),
    path("measures/overdue/", views.overdue, name="overdue"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/report/", views.measure_report, name="measure_report"),
    path("measures/<int:pk>/reports/<int:report_pk>/review/", views.report_review, name="report_review"),
    path("measures/<int:pk>/tasks/", views.measure_task, name="measure_task"),
    path("measures/<int:pk>/supervise/", views.measure_supervise, name="measure_supervise"),
    path("measures/<int:pk>/attachments/<int:att_pk>/", views.attachment_download, name="attachment_download"),
    path("supervision/", views.supervision_list, name="supervision_list"),
    path("supervision/<int:pk>/", views.supervision_detail, name="supervision_detail"),
    path("supervision/<int:pk>/<str:action>/", views.supervision_act, name="supervision_act"),
]
