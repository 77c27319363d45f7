from django.urls import path

from fazhi.inspections.views import draws, imports, items, plans, pools, results, stats

app_name = "inspections"
urlpatterns = [
    path("", stats.index, name="index"),
    # 抽查事项清单 (一单)
    path("items/", items.item_list, name="item_list"),
    path("items/new/", items.item_create, name="item_create"),
    path("items/<int:pk>/", items.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("items/<int:pk>/do/<slug:step>/", items.item_action, name="item_action"),
    # 检查对象名录库
    path("entities/", pools.entity_list, name="entity_list"),
    path("entities/new/", pools.entity_edit, name="entity_create"),
    path("entities/<int:pk>/", pools.entity_detail, name="entity_detail"),
    path("entities/<int:pk>/edit/", pools.entity_edit, name="entity_edit"),
    path("entities/import/", imports.import_start, name="import_start"),
    path("entities/import/template.<slug:fmt>", imports.import_template, name="import_template"),
    path("entities/import/<int:pk>/", imports.import_detail, name="import_detail"),
    path("entities/import/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("entities/import/<int:pk>/errors.<slug:fmt>", imports.import_errors, name="import_errors"),
    # 检查人员名录库
    path("inspectors/", pools.inspector_list, name="inspector_list"),
    path("inspectors/new/", pools.inspector_add, name="inspector_add"),
    path("inspectors/<int:pk>/", pools.inspector_detail, name="inspector_detail"),
    path("inspectors/<int:pk>/do/<slug:step>/", pools.inspector_action, name="inspector_action"),
    path("inspectors/<int:pk>/absences/<int:absence_pk>/remove/", pools.absence_remove, name="absence_remove"),
    path("inspectors/<int:pk>/recusals/<int:recusal_pk>/remove/", pools.recusal_remove, name="recusal_remove"),
    # 抽查计划和任务
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/new/", plans.plan_edit, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/approve/", plans.plan_approve, name="plan_approve"),
    path("plans/<int:plan_pk>/tasks/new/", plans.task_edit, name="task_create"),
    path("plans/<int:plan_pk>/tasks/preview/", plans.task_preview, name="task_preview_new"),
    path("tasks/", plans.task_list, name="task_list"),
    path("tasks/<int:pk>/", plans.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", plans.task_edit, name="task_edit"),
    path("tasks/<int:pk>/close/", plans.task_close, name="task_close"),
    path("tasks/<int:pk>/preview/", plans.task_preview, name="task_preview"),
    # 随机抽取
    path("draws/", draws.draw_list, name="draw_list"),
    path("draws/<int:pk>/", draws.draw_detail, name="draw_detail"),
    path("tasks/<int:pk>/draw/", draws.draw_page, name="draw_page"),
    path("tasks/<int:pk>/draw/witnesses/add/", draws.draw_witness_add, name="draw_witness_add"),
    path("tasks/<int:pk>/draw/witnesses/<int:wpk>/commit/", draws.draw_witness_commit, name="draw_witness_commit"),
    path("tasks/<int:pk>/draw/witnesses/<int:wpk>/reveal/", draws.draw_witness_reveal, name="draw_witness_reveal"),
    path("tasks/<int:pk>/draw/witnesses/<int:wpk>/remove/", draws.draw_witness_remove, name="draw_witness_remove"),
    path("tasks/<int:pk>/draw/commit/", draws.draw_commit, name="draw_commit"),
    path("tasks/<int:pk>/draw/reveal/", draws.draw_reveal, name="draw_reveal"),
    path("tasks/<int:pk>/draw/publish/", draws.draw_publish, name="draw_publish"),
    path("tasks/<int:pk>/draw/receipt.json", draws.draw_receipt, name="draw_receipt"),
    path("tasks/<int:pk>/draw/print/", draws.draw_print, name="draw_print"),
    # 检查结果和公示
    path("results/", results.inspection_list, name="inspection_list"),
    path("results/publish/", results.inspection_publish_batch, name="inspection_publish_batch"),
    path("results/non-random/new/", results.non_random_create, name="non_random_create"),
    path("results/<int:pk>/", results.inspection_detail, name="inspection_detail"),
    path("results/<int:pk>/do/<slug:step>/", results.inspection_action, name="inspection_action"),
    path("results/<int:pk>/attachments/<int:att_pk>/", results.attachment_download, name="attachment_download"),
    # 统计
    path("stats/", stats.stats, name="stats"),
]
