"""The page 地方规则: a system administrator changes a place-dependent rule
without a deploy; the change is checked like the start-up check, audited in
its transaction, kept in the history, and in force at once over the
environment and the default."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.audit.models import AuditEntry
from fazhi.core import local_rules, rule_overrides
from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.core.models import LocalRuleChange, LocalRuleOverride
from fazhi.enforcement import rules as enforcement_rules
from fazhi.normative_docs import rules as normdocs_rules
from fazhi.org.tests.factories import PersonFactory, admin_user
from fazhi.training import rules as training_rules

pytestmark = pytest.mark.django_db
NDOC = "FAZHI_NORMDOCS"
PAGE = reverse("shell:local_rules")
FILING = reverse("shell:local_rule", args=[NDOC, "filing_days"])


def signed_in(user) -> Client:
    c = Client()
    c.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return c


def test_the_administrator_sets_a_rule_and_later_deadlines_use_it():
    before = normdocs_rules.filing_due(date(2025, 3, 3))
    rule_overrides.set_rule(NDOC, "filing_days", raw="30", reason="省政府规章规定30日", by=admin_user())
    after = normdocs_rules.filing_due(date(2025, 3, 3))
    assert (before.due, after.due) == (date(2025, 3, 18), date(2025, 4, 2))
    # Each computed deadline carries the figure it was computed with.
    assert "15" in before.rule_text and "30" in after.rule_text


def test_the_admin_screen_comes_before_the_environment_which_comes_before_the_default(settings):
    group = normdocs_rules.LOCAL_RULES
    rule = group.rule("filing_days")
    assert group.value(rule) == (15, local_rules.DEFAULT)
    settings.FAZHI_NORMDOCS = {"filing_days": 20}
    assert group.value(rule) == (20, local_rules.ENVIRONMENT) and normdocs_rules.get("filing_days") == 20
    rule_overrides.set_rule(NDOC, "filing_days", raw="30", reason="地方规定", by=admin_user())
    assert group.value(rule) == (30, local_rules.ADMIN) and normdocs_rules.get("filing_days") == 30


def test_the_admin_value_replaces_a_settings_file_key_written_in_the_declared_case(settings):
    settings.FAZHI_TRAINING = {"OFFICER_HOURS": 72, "officer_hours": 70}
    rule_overrides.set_rule("FAZHI_TRAINING", "officer_hours", raw="80", reason="本省要求", by=admin_user())
    assert training_rules.setting("OFFICER_HOURS") == 80


def test_reset_puts_the_environment_value_back(settings):
    settings.FAZHI_NORMDOCS = {"filing_days": 20}
    admin = admin_user()
    rule_overrides.set_rule(NDOC, "filing_days", raw="30", reason="地方规定", by=admin)
    change = rule_overrides.reset_rule(NDOC, "filing_days", reason="规定废止", by=admin)
    assert normdocs_rules.get("filing_days") == 20
    assert not LocalRuleOverride.objects.exists()
    assert (change.action, change.old_value, change.new_value) == ("reset", 30, None)
    with pytest.raises(ValidationError, match="未在管理界面设置"):
        rule_overrides.reset_rule(NDOC, "filing_days", reason="再次", by=admin)


def test_every_change_is_audited_and_kept_in_the_history():
    admin = admin_user()
    rule_overrides.set_rule(NDOC, "filing_days", raw="30", reason="第一次", by=admin)
    rule_overrides.set_rule(NDOC, "filing_days", raw="25", reason="第二次", by=admin)
    entries = list(AuditEntry.objects.filter(action="core.local_rule.set").order_by("seq"))
    assert [(e.data["old"], e.data["new"], e.data["reason"]) for e in entries] == [
        (None, 30, "第一次"), (30, 25, "第二次")]
    assert entries[0].data["rule"] == "NDOC-12" and entries[0].actor_id == admin.pk
    assert [c.new_value for c in rule_overrides.history(NDOC, "filing_days")] == [25, 30]


@pytest.mark.parametrize("setting, key, raw, message", [
    (NDOC, "filing_days", "三十", "FAZHI_NORMDOCS__FILING_DAYS：应为非负整数，实际为“三十”"),
    (NDOC, "filing_days", "-1", "应为非负整数"),
    ("FAZHI_ANNUAL_REPORT", "SUBMIT_BY", "[3]", "应为 2 个整数"),
    ("FAZHI_ENFORCEMENT", "courts", "{oops", "不是有效的 JSON"),
    ("FAZHI_ENFORCEMENT", "review_bodies", "区政府", "应为对照表"),
    ("FAZHI_INSPECTIONS", "random_share_target", "三成", "应为数字，如 0.3"),
])
def test_a_bad_value_is_refused_in_chinese_and_changes_nothing(setting, key, raw, message):
    with pytest.raises(ValidationError, match=message):
        rule_overrides.set_rule(setting, key, raw=raw, reason="试", by=admin_user())
    assert not LocalRuleOverride.objects.exists() and not LocalRuleChange.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="core.local_rule").exists()


def test_a_reason_is_required():
    with pytest.raises(ValidationError, match="请填写修改理由"):
        rule_overrides.set_rule(NDOC, "filing_days", raw="30", reason="  ", by=admin_user())


def test_a_server_limit_is_set_in_the_environment_only():
    with pytest.raises(ValidationError, match="只能在部署时通过环境变量设置"):
        rule_overrides.set_rule("FAZHI_INSPECTIONS", "import_max_mb", raw="10", reason="试", by=admin_user())


def test_text_and_mappings_can_be_set():
    admin = admin_user()
    rule_overrides.set_rule("FAZHI_ENFORCEMENT", "courts", raw='{"示范区农业农村局": "示范市铁路运输法院"}',
                            reason="集中管辖", by=admin)
    rule_overrides.set_rule("FAZHI_ENFORCEMENT", "fine_bank", raw="示范区农村商业银行", reason="代收银行", by=admin)
    assert enforcement_rules.mapping("courts") == {"示范区农业农村局": "示范市铁路运输法院"}
    assert enforcement_rules.text("fine_bank") == "示范区农村商业银行"


def test_only_the_system_administrator_changes_a_rule():
    unit_admin = PersonFactory(roles=[("unit_admin", None, True)]).user
    with pytest.raises(PermissionDenied):
        rule_overrides.set_rule(NDOC, "filing_days", raw="30", reason="试", by=unit_admin)
    c = signed_in(unit_admin)
    assert c.get(PAGE).status_code == 403
    assert c.get(FILING).status_code == 403
    assert c.post(FILING, {"action": "set", "value": "30", "reason": "试"}).status_code == 403
    assert not LocalRuleOverride.objects.exists()


def test_a_superuser_without_a_person_may_use_the_page(django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    assert signed_in(root).get(PAGE).status_code == 200


def test_the_list_shows_every_rule_with_its_value_source_unit_rule_and_note(settings):
    settings.FAZHI_TRAINING = {"officer_hours": 72}
    admin = admin_user()
    rule_overrides.set_rule(NDOC, "filing_days", raw="30", reason="地方规定", by=admin)
    page = signed_in(admin).get(PAGE).content.decode()
    for name in ("FAZHI_NORMDOCS__FILING_DAYS", "FAZHI_TRAINING__OFFICER_HOURS", "FAZHI_ASSESSMENT__RANK_MIN_INDICATORS"):
        assert name in page
    row = page.split("FAZHI_NORMDOCS__FILING_DAYS")[1].split("</tr>")[0]
    assert "30" in row and "管理界面" in row and "日" in row and "NDOC-12" in row
    row = page.split("FAZHI_TRAINING__OFFICER_HOURS")[1].split("</tr>")[0]
    assert "72" in row and "环境设置" in row and "ENF-26" in row
    row = page.split("FAZHI_INSPECTIONS__IMPORT_MAX_MB")[1].split("</tr>")[0]
    assert "仅部署时设置" in row


def test_the_page_sets_a_rule_and_resets_it():
    c = signed_in(admin_user())
    assert c.post(FILING, {"action": "set", "value": "30", "reason": "地方规定"}).status_code == 302
    page = c.get(FILING).content.decode()
    assert '<dd id="rule-value">30</dd>' in page and "地方规定" in page and "恢复默认" in page
    assert c.post(FILING, {"action": "reset", "reset-reason": "规定废止"}).status_code == 302
    assert '<dd id="rule-value">15</dd>' in c.get(FILING).content.decode()


def test_the_page_says_what_is_wrong_with_a_bad_value():
    c = signed_in(admin_user())
    response = c.post(FILING, {"action": "set", "value": "三十", "reason": "试"})
    assert response.status_code == 200  # the form again, with the message (as every staff form)
    assert "应为非负整数，实际为“三十”" in response.content.decode()
    assert not LocalRuleOverride.objects.exists()


def test_an_unknown_rule_is_404():
    c = signed_in(admin_user())
    assert c.get(reverse("shell:local_rule", args=[NDOC, "no_such_rule"])).status_code == 404


def test_reading_a_rule_needs_no_query_once_cached():
    cache.delete(local_rules.CACHE_KEY)
    with CaptureQueriesContext(connection) as first:
        normdocs_rules.get("filing_days")
    with CaptureQueriesContext(connection) as later:
        for _ in range(20):
            normdocs_rules.get("filing_days")
            enforcement_rules.get("payment_days")
    assert len(first) == 1 and len(later) == 0


def test_a_change_drops_the_cached_values_for_every_process():
    """Another process's cache (the shared one) holds the old values: the
    change deletes them, now and again on commit, so the next read anywhere
    loads the new one."""
    assert normdocs_rules.get("filing_days") == 15
    cache.set(local_rules.CACHE_KEY, {NDOC: {"filing_days": 15}}, None)  # as another process filled it
    rule_overrides.set_rule(NDOC, "filing_days", raw="30", reason="地方规定", by=admin_user())
    assert cache.get(local_rules.CACHE_KEY) is None
    assert normdocs_rules.get("filing_days") == 30


def test_the_cache_is_dropped_again_when_the_change_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rule_overrides.set_rule(NDOC, "filing_days", raw="30", reason="地方规定", by=admin_user())
    cache.set(local_rules.CACHE_KEY, {}, None)  # another process read the old row before the commit
    for callback in callbacks:
        callback()
    assert cache.get(local_rules.CACHE_KEY) is None and normdocs_rules.get("filing_days") == 30


def test_a_stored_value_that_no_longer_fits_its_rule_is_ignored():
    from django.utils import timezone

    LocalRuleOverride.objects.create(setting=NDOC, key="filing_days", value="三十", reason="旧版本",
                                     set_by_name="x", set_at=timezone.now())
    LocalRuleOverride.objects.create(setting=NDOC, key="removed_rule", value=1, reason="旧版本",
                                     set_by_name="x", set_at=timezone.now())
    cache.delete(local_rules.CACHE_KEY)
    assert normdocs_rules.get("filing_days") == 15
