"""load_demo: idempotent, every role present, valid codes, log-ins printed."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

from fazhi.audit.models import AuditEntry
from fazhi.org import access
from fazhi.org.credit_code import credit_code_error
from fazhi.org.demo import DEMO_PASSWORD, DEMO_PEOPLE
from fazhi.org.models import Person, Role, RoleAssignment, Unit


def run() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts():
    return (Unit.objects.count(), Person.objects.count(), RoleAssignment.objects.count(),
            get_user_model().objects.count(), AuditEntry.objects.count())


def test_load_demo_twice_changes_nothing_the_second_time(db):
    first = run()
    after_first = counts()
    second = run()
    assert counts() == after_first
    assert "新增单位 0 个" in second and "新增人员 0 名" in second
    for output in (first, second):
        assert "admin" in output and DEMO_PASSWORD in output and "用户名" in output


def test_audit_entries_only_for_what_was_created(db):
    run()
    assert AuditEntry.objects.filter(action="org.unit.created").count() == Unit.objects.count()
    assert AuditEntry.objects.filter(action="org.person.created").count() == Person.objects.count()
    assert AuditEntry.objects.filter(action="org.role.granted").count() == RoleAssignment.objects.count()


def test_every_role_is_present(db):
    run()
    assert set(RoleAssignment.objects.values_list("role", flat=True)) == set(Role.values)


def test_the_district_is_modelled_on_the_sources(db, settings):
    settings.FAZHI_DISTRICT_NAME = "示范区"
    run()
    farm = Unit.objects.get(name="示范区农业农村局")
    below = set(Unit.objects.filter(parent=farm).values_list("short_name", flat=True))
    assert below == {"执法大队", "植保站", "种子管理站", "政策法规科"}
    assert Unit.objects.get(is_legal_office=True).name == "示范区司法局"
    assert Unit.objects.filter(name="示范区龙凤镇人民政府").exists()
    for code in Unit.objects.exclude(credit_code="").values_list("credit_code", flat=True):
        assert credit_code_error(code) is None


def test_demo_accounts_sign_in_and_hold_their_scope(db):
    run()
    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password(DEMO_PASSWORD) and access.is_admin(admin)
    reviewer = get_user_model().objects.get(username="sifa_reviewer")
    town = Unit.objects.get(short_name="龙凤镇")
    assert access.allowed(reviewer, "org.view_units", town)
    assert not access.allowed(reviewer, "org.manage_people", town)
    # Other modules' demo loaders may add people (e.g. the 区长); org's are all there.
    usernames = {p.username for p in DEMO_PEOPLE}
    assert Person.objects.filter(user__username__in=usernames).count() == len(usernames)


def test_an_existing_account_without_person_is_skipped(db):
    get_user_model().objects.create_superuser("admin", password="some-Other-2026")
    output = run()
    assert "跳过 admin" in output
    assert not Person.objects.filter(user__username="admin").exists()
