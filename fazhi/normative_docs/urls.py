from django.urls import path

from fazhi.normative_docs import views

app_name = "normative_docs"
urlpatterns = [
    path("", views.doc_list, name="list"),
    path("new/", views.doc_create, name="create"),
    path("check/", views.check, name="check"),
    path("import/", views.import_docs, name="import"),
    path("issuer-codes/", views.issuer_codes, name="issuer_codes"),
    path("issuer-codes/<int:unit_pk>/", views.issuer_code_edit, name="issuer_code_edit"),
    path("<int:pk>/", views.doc_detail, name="detail"),
    path("<int:pk>/edit/", views.doc_edit, name="edit"),
    path("<int:pk>/do/<slug:step>/", views.doc_action, name="action"),
    path("<int:pk>/comments/<int:comment_pk>/answer/", views.comment_answer, name="comment_answer"),
    path("<int:pk>/diff/", views.doc_diff, name="diff"),
    path("<int:pk>/print/", views.doc_print, name="print"),
    path("<int:pk>/docx/", views.doc_docx, name="docx"),
    path("cleanup/", views.cleanup_list, name="cleanup_list"),
    path("cleanup/<int:pk>/", views.cleanup_detail, name="cleanup_detail"),
    path("cleanup/<int:pk>/add/", views.cleanup_add, name="cleanup_add"),
    path("cleanup/<int:pk>/decide/<int:doc_pk>/", views.cleanup_decide, name="cleanup_decide"),
    path("cleanup/<int:pk>/publish/", views.cleanup_publish, name="cleanup_publish"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal_detail"),
]
