from django.urls import path

from fazhi.training import views

app_name = "training"
urlpatterns = [
    path("", views.session_list, name="session_list"),
    path("new/", views.session_create, name="session_create"),
    path("<int:pk>/", views.session_detail, name="session_detail"),
    path("<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("<int:pk>/complete/", views.session_complete, name="session_complete"),
    path("<int:pk>/attendance/", views.attendance_record, name="attendance_record"),
    path("<int:pk>/attendance/import/", views.attendance_import, name="attendance_import"),
    path("<int:pk>/attendance/<int:att_pk>/remove/", views.attendance_remove, name="attendance_remove"),
    path("<int:pk>/exam/", views.exam_create, name="session_exam_create"),
    path("exams/", views.exam_list, name="exam_list"),
    path("exams/new/", views.exam_create, name="exam_create"),
    path("exams/<int:pk>/", views.exam_detail, name="exam_detail"),
    path("exams/<int:pk>/scores/", views.exam_scores, name="exam_scores"),
    path("exams/<int:pk>/scores/import/", views.exam_scores_import, name="exam_scores_import"),
    path("shortfall/", views.shortfall, name="shortfall"),
    path("me/", views.my_record, name="my_record"),
    path("people/<int:pk>/", views.person_record, name="person_record"),
]
