from django.urls import path

from fazhi.inspections import views

app_name = "inspections"
urlpatterns = [
    path("", views.index, name="index"),
    # 抽查事项清单 (一单)
    path("items/", views.item_list, name="item_list"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:pk>/do/<slug:step>/", views.item_action, name="item_action"),
    # 检查对象名录库
    path("entities/", views.entity_list, name="entity_list"),
    path("entities/new/", views.entity_edit, name="entity_create"),
    path("entities/<int:pk>/", views.entity_detail, name="entity_detail"),
    path("entities/<int:pk>/edit/", views.entity_edit, name="entity_edit"),
    path("entities/import/", views.import_start, name="import_start"),
    path("entities/import/template.<slug:fmt>", views.import_template, name="import_template"),
    path("entities/import/<int:pk>/", views.import_detail, name="import_detail"),
    path("entities/import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("entities/import/<int:pk>/errors.<slug:fmt>", views.import_errors, name="import_errors"),
    # 检查人员名录库
    path("inspectors/", views.inspector_list, name="inspector_list"),
    path("inspectors/new/", views.inspector_add, name="inspector_add"),
    path("inspectors/<int:pk>/", views.inspector_detail, name="inspector_detail"),
    path("inspectors/<int:pk>/do/<slug:step>/", views.inspector_action, name="inspector_action"),
    path("inspectors/<int:pk>/absences/<int:absence_pk>/remove/", views.absence_remove, name="absence_remove"),
    path("inspectors/<int:pk>/recusals/<int:recusal_pk>/remove/", views.recusal_remove, name="recusal_remove"),
    # 抽查计划和任务
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_edit, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<int:plan_pk>/tasks/new/", views.task_edit, name="task_create"),
    path("plans/<int:plan_pk>/tasks/preview/", views.task_preview, name="task_preview_new"),
    path("tasks/", views.task_list, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/close/", views.task_close, name="task_close"),
    path("tasks/<int:pk>/preview/", views.task_preview, name="task_preview"),
    # 随机抽取
    path("draws/", views.draw_list, name="draw_list"),
    path("draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("tasks/<int:pk>/draw/", views.draw_page, name="draw_page"),
    path("tasks/<int:pk>/draw/witnesses/add/", views.draw_witness_add, name="draw_witness_add"),
    path("tasks/<int:pk>/draw/witnesses/<int:wpk>/commit/", views.draw_witness_commit, name="draw_witness_commit"),
    path("tasks/<int:pk>/draw/witnesses/<int:wpk>/reveal/", views.draw_witness_reveal, name="draw_witness_reveal"),
    path("tasks/<int:pk>/draw/witnesses/<int:wpk>/remove/", views.draw_witness_remove, name="draw_witness_remove"),
    path("tasks/<int:pk>/draw/commit/", views.draw_commit, name="draw_commit"),
    path("tasks/<int:pk>/draw/reveal/", views.draw_reveal, name="draw_reveal"),
    path("tasks/<int:pk>/draw/publish/", views.draw_publish, name="draw_publish"),
    path("tasks/<int:pk>/draw/receipt.json", views.draw_receipt, name="draw_receipt"),
    path("tasks/<int:pk>/draw/print/", views.draw_print, name="draw_print"),
    # 检查结果和公示
    path("results/", views.inspection_list, name="inspection_list"),
    path("results/publish/", views.inspection_publish_batch, name="inspection_publish_batch"),
    path("results/non-random/new/", views.non_random_create, name="non_random_create"),
    path("results/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("results/<int:pk>/do/<slug:step>/", views.inspection_action, name="inspection_action"),
    path("results/<int:pk>/attachments/<int:att_pk>/", views.attachment_download, name="attachment_download"),
    # 统计
    path("stats/", views.stats, name="stats"),
]
