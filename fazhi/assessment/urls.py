from django.urls import path

from fazhi.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.table, name="table"),
    path("<int:year>/<int:unit>/<slug:code>/", views.drill, name="drill"),
    path("ranking/", views.ranking, name="ranking"),
    path("cockpit/", views.cockpit, name="cockpit"),
    path("weights/", views.weights, name="weights"),
    path("weights/settle/", views.settle, name="settle"),
]
