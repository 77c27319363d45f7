from django.urls import path

from fazhi.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("<slug:key>/", views.section, name="section"),
]
