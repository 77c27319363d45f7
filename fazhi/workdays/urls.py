from django.urls import path

from fazhi.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_view, name="calendar"),
    path("explain/", views.explain_view, name="explain"),
    path("import/", views.import_view, name="import"),
    path("correct/", views.correct_view, name="correct"),
    path("changes/", views.changes_view, name="changes"),
    path("changes/<int:pk>/acknowledge/", views.change_acknowledge, name="change_acknowledge"),
    path("changes/<int:pk>/resolve/", views.change_resolve, name="change_resolve"),
]
