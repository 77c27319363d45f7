from django.urls import path

from fazhi.major_decisions import import_views, views

app_name = "major_decisions"
urlpatterns = [
    path("", views.decision_list, name="decision_list"),
    path("<int:pk>/", views.decision_detail, name="decision_detail"),
    path("<int:pk>/do/<slug:step>/", views.decision_action, name="decision_action"),
    path("<int:pk>/comments/<int:comment_pk>/answer/", views.comment_answer, name="comment_answer"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("<int:pk>/attachments/<int:att_pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/dossier.docx", views.dossier_docx, name="dossier_docx"),
    path("<int:pk>/dossier.zip", views.dossier_zip, name="dossier_zip"),
    path("<int:pk>/expert-draws/<int:draw_pk>/bundle.zip", views.expert_draw_bundle, name="expert_draw_bundle"),
    path("catalogues/", views.catalogue_list, name="catalogue_list"),
    path("catalogues/<int:pk>/", views.catalogue_detail, name="catalogue_detail"),
    path("catalogues/<int:pk>/import/", import_views.catalogue_import, name="catalogue_import"),
    path("catalogues/<int:pk>/import/confirm/", import_views.catalogue_import_confirm, name="catalogue_import_confirm"),
    path("catalogues/<int:pk>/do/<slug:step>/", views.catalogue_action, name="catalogue_action"),
    path("catalogues/<int:pk>/entries/<int:entry_pk>/edit/", views.entry_edit, name="entry_edit"),
    path("catalogues/<int:pk>/entries/<int:entry_pk>/delete/", views.entry_delete, name="entry_delete"),
    path("entries/<int:entry_pk>/launch/", views.decision_launch, name="decision_launch"),
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/pools/new/", views.pool_create, name="pool_create"),
    path("experts/new/", views.expert_create, name="expert_create"),
    path("experts/<int:pk>/", views.expert_detail, name="expert_detail"),
    path("experts/<int:pk>/edit/", views.expert_edit, name="expert_edit"),
    path("accountability/", views.person_history, name="person_history"),
]
