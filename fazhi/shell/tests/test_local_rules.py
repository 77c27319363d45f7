"""The place-dependent rules: declared once, settable from the environment,
checked at start-up, listed in the deploy guide."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from fazhi import modules
from fazhi.annual_report import rules as report_rules
from fazhi.core import local_rules
from fazhi.envconf import env_group
from fazhi.normative_docs import rules as normdocs_rules
from fazhi.training import rules as training_rules

DEPLOY = Path(__file__).resolve().parents[3] / "docs" / "deploy.md"


def test_the_environment_gives_typed_values(monkeypatch):
    monkeypatch.setenv("FAZHI_NORMDOCS__FILING_DAYS", "30")
    monkeypatch.setenv("FAZHI_NORMDOCS__SOME_SWITCH", "true")
    monkeypatch.setenv("FAZHI_ANNUAL_REPORT__SUBMIT_BY", "[3, 1]")
    monkeypatch.setenv("FAZHI_INSPECTIONS__RANDOM_SHARE_TARGET", "0.5")
    monkeypatch.setenv("FAZHI_ENFORCEMENT__EXTENSION_MAX_DAYS_BY_FIELD", '{"种子": 20}')
    assert env_group("FAZHI_NORMDOCS") == {"filing_days": 30, "some_switch": True}
    assert env_group("FAZHI_ANNUAL_REPORT") == {"submit_by": [3, 1]}
    assert env_group("FAZHI_INSPECTIONS") == {"random_share_target": "0.5"}  # a share stays exact text
    assert env_group("FAZHI_ENFORCEMENT") == {"extension_max_days_by_field": {"种子": 20}}


def test_bad_json_in_the_environment_stops_start_up(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("FAZHI_ENFORCEMENT__COURTS", "{oops")
    with pytest.raises(ImproperlyConfigured, match="FAZHI_ENFORCEMENT__COURTS 不是有效的 JSON"):
        env_group("FAZHI_ENFORCEMENT")


def test_a_setting_changes_the_rule_in_force(settings, monkeypatch):
    monkeypatch.setenv("FAZHI_NORMDOCS__FILING_DAYS", "30")
    monkeypatch.setenv("FAZHI_TRAINING__OFFICER_HOURS", "72")
    monkeypatch.setenv("FAZHI_ANNUAL_REPORT__SUBMIT_BY", "[3, 1]")
    settings.FAZHI_NORMDOCS = env_group("FAZHI_NORMDOCS")
    settings.FAZHI_TRAINING = env_group("FAZHI_TRAINING")
    settings.FAZHI_ANNUAL_REPORT = env_group("FAZHI_ANNUAL_REPORT")
    assert normdocs_rules.get("filing_days") == 30
    assert training_rules.setting("OFFICER_HOURS") == 72
    assert list(report_rules.setting("SUBMIT_BY")) == [3, 1]
    assert call_command("check") is None  # all three are declared and typed right


@pytest.mark.parametrize("setting, value, message", [
    ("FAZHI_NORMDOCS", {"filling_days": 30}, "FAZHI_NORMDOCS__FILLING_DAYS：规范性文件没有名为“filling_days”的规则"),
    ("FAZHI_NORMDOCS", {"filing_days": "三十"}, "FAZHI_NORMDOCS__FILING_DAYS：应为非负整数"),
    ("FAZHI_NORMDOCS", {"filing_days": -1}, "应为非负整数"),
    ("FAZHI_ANNUAL_REPORT", {"submit_by": [3]}, "FAZHI_ANNUAL_REPORT__SUBMIT_BY：应为 2 个整数"),
    ("FAZHI_ENFORCEMENT", {"court": 5}, "FAZHI_ENFORCEMENT__COURT：应为文字"),
    ("FAZHI_ENFORCEMENT", {"review_bodies": "区政府"}, "应为对照表"),
    ("FAZHI_INSPECTIONS", {"start_imports_at_once": 1}, "应为 true 或 false"),
])
def test_a_typo_or_a_wrong_type_stops_start_up(settings, setting, value, message):
    setattr(settings, setting, value)
    assert any(message in p for p in local_rules.problems(modules.local_rules()))
    with pytest.raises(SystemCheckError, match="fazhi.E101"):
        call_command("check")


def test_every_rule_says_what_it_is_and_the_deploy_guide_lists_them_all():
    groups = modules.local_rules()
    assert {g.setting for g in groups} == {"FAZHI_NORMDOCS", "FAZHI_DECISIONS", "FAZHI_ENFORCEMENT",
                                          "FAZHI_INSPECTIONS", "FAZHI_TRAINING", "FAZHI_ASSESSMENT",
                                          "FAZHI_ANNUAL_REPORT"}
    unexplained = [f"{g.setting}__{r.key}" for g in groups for r in g.rules if not r.note]
    assert unexplained == []
    doc = DEPLOY.read_text(encoding="utf-8")
    table = doc.split("<!-- local-rules:begin -->\n")[1].split("<!-- local-rules:end -->")[0]
    assert table == local_rules.markdown(groups), "docs/deploy.md 的地方规则表已过期：manage.py local_rules --markdown"


def test_units_are_named_by_the_key():
    assert local_rules.unit_of("publication_workdays_penalty") == "工作日"
    assert local_rules.unit_of("comment_days_market") == "日"
    assert local_rules.unit_of("OFFICER_HOURS") == "学时"
    assert local_rules.unit_of("min_experts") == ""


def test_the_command_lists_the_value_in_force_and_its_source(settings, capsys):
    settings.FAZHI_NORMDOCS = {"filing_days": 30}
    call_command("local_rules")
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "FAZHI_NORMDOCS__FILING_DAYS" in x)
    assert "30" in line and "环境设置" in line and "NDOC-12" in line
    assert "默认" in next(x for x in out.splitlines() if "FAZHI_NORMDOCS__CORRECTION_DAYS" in x)
