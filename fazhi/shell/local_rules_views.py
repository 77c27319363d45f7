"""地方规则: the system administrator's page of every place-dependent rule
(``fazhi.core.local_rules``) with the value in force and where it comes from,
and the page of one rule where it is set or put back without a deploy
(``fazhi.core.rule_overrides``, audited, with history).

Forbidden (403) to anyone without ``core.manage_local_rules``, which no role
grants: 系统管理员 only.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from fazhi import modules
from fazhi.core import local_rules, rule_overrides
from fazhi.core.errors import DomainError, NotFound
from fazhi.org.access import require_page
from fazhi.shell.forms import LocalRuleForm, LocalRuleResetForm


def _row(group, rule) -> dict:
    value, source = group.value(rule)
    return {"group": group, "rule": rule, "name": f"{group.setting}__{rule.key.upper()}",
            "value": local_rules.shown(value), "source": source, "default": local_rules.shown(rule.default),
            "url": reverse("shell:local_rule", args=[group.setting, rule.key])}


@require_GET
def rule_list(request):
    require_page(request.user, rule_overrides.PERMISSION)
    groups = [{"group": g, "rows": [_row(g, r) for r in g.rules]} for g in modules.local_rules()]
    return render(request, "shell/local_rules.html", {
        "groups": groups, "history": rule_overrides.history(limit=20),
        "sources": (local_rules.ADMIN, local_rules.ENVIRONMENT, local_rules.DEFAULT)})


@require_http_methods(["GET", "POST"])
def rule_edit(request, setting: str, key: str):
    require_page(request.user, rule_overrides.PERMISSION)
    try:
        found = rule_overrides.find(setting, key)
    except NotFound:
        raise Http404("没有这条地方规则")
    action = request.POST.get("action", "set") if request.method == "POST" else ""
    form = LocalRuleForm(request.POST if action == "set" else None)
    reset_form = LocalRuleResetForm(request.POST if action == "reset" else None, prefix="reset")
    bound = form if action == "set" else reset_form
    if action and bound.is_valid():
        try:
            if action == "set":
                rule_overrides.set_rule(setting, key, raw=form.cleaned_data["value"],
                                        reason=form.cleaned_data["reason"], by=request.user)
            else:
                rule_overrides.reset_rule(setting, key, reason=reset_form.cleaned_data["reason"], by=request.user)
        except DomainError as exc:
            bound.add_error(None, exc.message)
        else:
            row = _row(found.group, found.rule)
            messages.success(request, f"{row['name']} 现行取值：{row['value']}（{row['source']}）。"
                                      "已算出的期限保留原规则，此后新算的期限按新取值。")
            return redirect("shell:local_rule", setting=setting, key=found.rule.key)
    row = _row(found.group, found.rule)
    return render(request, "shell/local_rule_edit.html", {
        "row": row, "form": form, "reset_form": reset_form, "set_here": row["source"] == local_rules.ADMIN,
        "history": rule_overrides.history(setting, found.rule.key)})
