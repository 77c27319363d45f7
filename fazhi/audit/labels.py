"""Chinese labels for action codes ``<app>.<object>.<verb>``.

A code listed in ``ACTION_LABELS`` gets that label; otherwise the label is
built from the verb (``VERB_LABELS``) and the object model's verbose name,
e.g. ``org.unit.created`` -> 创建单位. Unknown codes show the code alone.
"""

from functools import cache

from django.apps import apps

ACTION_LABELS: dict[str, str] = {
    "org.person.moved": "人员调动",
    "org.role.granted": "授予角色",
    "org.role.revoked": "撤销角色",
    "org.person.password_reset": "重置密码",
    "workdays.calendar.imported": "导入节假日安排",
}

VERB_LABELS: dict[str, str] = {
    "created": "创建",
    "updated": "修改",
    "changed": "修改",
    "deleted": "删除",
    "removed": "移除",
    "moved": "调整",
    "activated": "启用",
    "deactivated": "停用",
    "submitted": "提交",
    "reviewed": "审查",
    "approved": "批准",
    "rejected": "退回",
    "returned": "退回",
    "signed": "签发",
    "published": "公布",
    "filed": "报备",
    "registered": "登记",
    "numbered": "编号",
    "discussed": "集体讨论",
    "repealed": "废止",
    "amended": "修改",
    "expired": "失效",
    "closed": "结案",
    "assigned": "分派",
    "granted": "授予",
    "revoked": "撤销",
    "imported": "导入",
    "exported": "导出",
    "drawn": "抽取",
    "completed": "完成",
    "cancelled": "取消",
    "reopened": "重新打开",
}


@cache
def _model_name(app_label: str, model: str) -> str | None:
    try:
        return str(apps.get_model(app_label, model)._meta.verbose_name)
    except (LookupError, ValueError):
        return None


def action_label(code: str) -> str:
    """The Chinese label of an action code, or "" if none is known."""
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    parts = code.split(".")
    if len(parts) < 3:
        return ""
    verb = VERB_LABELS.get(parts[-1])
    if verb is None:
        return ""
    name = _model_name(parts[0], parts[1])
    return f"{verb}{name}" if name else verb


def object_type_label(object_type: str) -> str:
    app_label, _, model = object_type.partition(".")
    return (_model_name(app_label, model) if model else None) or object_type
