from django.urls import path

from fazhi.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("verify/", views.verify, name="verify"),
    path("trail/<str:object_type>/<str:object_id>/", views.object_trail, name="object_trail"),
]
