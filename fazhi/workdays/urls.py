from django.urls import path

from fazhi.workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_view, name="calendar"),
    path("explain/", views.explain_view, name="explain"),
    path("import/", views.import_view, name="import"),
]
