"""Public pages of 双随机、一公开, mounted at /portal/inspections/ (namespace inspections_portal)."""

from django.urls import path

from fazhi.portal.modules.inspections import views

app_name = "inspections_portal"
urlpatterns = [
    path("", views.index, name="index"),
    path("items/", views.items, name="items"),
    path("plans/", views.plans, name="plans"),
    path("draws/", views.draws, name="draws"),
    path("draws/<int:pk>/", views.draw_detail, name="draw"),
    path("draws/<int:pk>/receipt.json", views.draw_receipt, name="draw_receipt"),
    path("draws/<int:pk>/bundle.zip", views.draw_bundle, name="draw_bundle"),
    path("draws/<int:pk>/files/<str:name>", views.draw_file, name="draw_file"),
    path("results/", views.results, name="results"),
    path("verify/", views.verify, name="verify"),
    path("verify/draw.py", views.algorithm_source, name="algorithm_source"),
    path("verify/draw-algorithm.md", views.algorithm_spec, name="algorithm_spec"),
]
