"""Capacity (SYS-02) and separation of duties (SYS-01) in enforcement.

The head who approves 立案, an extension or the decision holds the head role
over the case's organ on that day; the 法制审核 reviewer holds the reviewer
role and did not handle the case; nobody approves, reviews or decides a case
they handle or registered, whatever roles they hold. Each test failed on main
before issue 12 (only the permission on the handling unit was checked)."""

from datetime import date, timedelta

import pytest

from fazhi.core.errors import PermissionDenied, ValidationError
from fazhi.enforcement import services
from fazhi.enforcement.models import CaseStatus
from fazhi.enforcement.tests.factories import enforcement_code, heads, make_case, make_officer
from fazhi.org.models import RoleAssignment, UnitKind
from fazhi.org.tests.factories import PersonFactory, UnitFactory

D = date(2026, 3, 2)


@pytest.fixture
def squad(enf):
    """The 执法大队 of 农业农村局 (an internal unit), its 大队长 with the head role
    over the 大队 only, and two certified officers of the 大队."""
    zfdd = UnitFactory(name="示范区农业农村局执法大队", short_name="执法大队", kind=UnitKind.INTERNAL, parent=enf.a)
    captain = PersonFactory(unit=zfdd, name="大队长", roles=[("head", zfdd, False)])
    return zfdd, captain, [make_officer(zfdd, name="队员一"), make_officer(zfdd, name="队员二")]


def test_the_head_of_an_internal_unit_cannot_approve_filing(enf, squad):
    zfdd, captain, officers = squad
    case = make_case("pending", unit=zfdd, officers=officers, today=D)
    with pytest.raises(ValidationError) as e:
        services.file_case(case, by=captain.user, today=D)
    assert e.value.rule == "SYS-02" and "农业农村局" in e.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.PENDING and not case.case_no


def test_the_bureau_head_files_and_decides_a_squad_case(enf, squad):
    zfdd, _, officers = squad
    bureau_head = PersonFactory(unit=enf.a, name="局长乙", roles=[("head", enf.a, True)])
    case = make_case("notified", unit=zfdd, officers=officers, today=D)
    services.waive_rights(case, by=None, today=case.notice_served_on, on=case.notice_served_on)
    services.decide(case, by=bureau_head.user, today=case.notice_served_on, penalty_kinds="罚款",
                    fine_amount="150", reasons="按基准处罚")
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.decided_by == "局长乙"


def test_a_head_cannot_decide_a_case_he_handles(enf):
    enf.o1.person.roles.create(role="head", unit=enf.a)
    case = make_case("notified", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    services.waive_rights(case, by=None, today=case.notice_served_on, on=case.notice_served_on)
    with pytest.raises(PermissionDenied) as e:
        services.decide(case, by=enf.o1.person.user, today=case.notice_served_on, penalty_kinds="罚款",
                        fine_amount="150", reasons="理由")
    assert e.value.rule == "SYS-01"
    case.refresh_from_db()
    assert case.status == CaseStatus.NOTIFIED and not case.decision_no


def test_a_head_cannot_approve_the_filing_of_a_case_he_registered(enf):
    enf.head_a.person.roles.create(role="officer", unit=enf.a)
    case = services.create_case(unit=enf.a, by=enf.head_a, cause="案", party_kind="person", party_name="甲",
                                discovered_on=D, today=D)
    services.assign_officers(case, by=None, officers=[enf.o1, enf.o2], today=D)
    with pytest.raises(PermissionDenied) as e:
        services.file_case(case, by=enf.head_a, today=D)
    assert e.value.rule == "SYS-01"


def test_a_head_whose_role_starts_later_cannot_extend(enf):
    late_head = PersonFactory(unit=enf.a, name="新任局长")
    RoleAssignment.objects.create(person=late_head, role="head", unit=enf.a, starts_on=date(2026, 6, 1))
    case = make_case("investigating", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    with pytest.raises(ValidationError) as e:
        services.extend_deadline(case, by=late_head.user, today=D + timedelta(days=60), days=10,
                                 reason="需鉴定", basis="规章条款")
    assert e.value.rule == "SYS-02"
    assert not case.extensions.exists()


def test_the_reviewer_must_not_be_an_officer_of_the_case(enf):
    enf.o1.person.roles.create(role="reviewer", unit=enf.a)
    case = make_case("legal_review", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    with pytest.raises(PermissionDenied) as e:
        services.legal_review(case, by=enf.o1.person.user, today=D + timedelta(days=20), passed=True, opinion="同意")
    assert e.value.rule == "SYS-01"
    assert not case.legal_reviews.exists()


def test_the_reviewer_must_hold_the_role_on_the_day(enf):
    future = PersonFactory(unit=enf.s, name="未到任审核员")
    RoleAssignment.objects.create(person=future, role="reviewer", unit=enf.gov, include_subunits=True,
                                  starts_on=date(2026, 12, 1))
    case = make_case("legal_review", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    with pytest.raises(ValidationError) as e:
        services.legal_review(case, by=future.user, today=D + timedelta(days=20), passed=True, opinion="同意")
    assert e.value.rule == "SYS-02"


def test_discussion_members_are_heads_of_the_organ_on_that_day(enf):
    case = make_case("discussion", unit=enf.a, officers=[enf.o1, enf.o2], today=D)
    case.refresh_from_db()
    day = case.discussed_on
    clerk = PersonFactory(unit=enf.a, name="科员", roles=[("clerk", enf.a, False)])
    leaders = heads(enf.a)
    with pytest.raises(ValidationError) as e:  # a clerk recorded as a leader
        services.record_discussion(case, by=None, today=day, discussed_on=day, members=[leaders[0], clerk],
                                   conclusion="同意")
    assert e.value.rule == "SYS-02" and "科员" in e.value.message
    with pytest.raises(ValidationError) as e:  # one person is not a collective
        services.record_discussion(case, by=None, today=day, discussed_on=day, members=leaders[:1],
                                   conclusion="同意")
    assert e.value.rule == "ENF-05"
    enf.o1.person.roles.create(role="head", unit=enf.a)
    with pytest.raises(ValidationError) as e:  # an officer of the case does not decide it
        services.record_discussion(case, by=None, today=day, discussed_on=day, members=[leaders[0], enf.o1.person],
                                   conclusion="同意")
    assert e.value.rule == "SYS-01"
    services.record_discussion(case, by=None, today=day, discussed_on=day, members=leaders, attendees="法规科科长",
                               conclusion="同意")
    case.refresh_from_db()
    assert set(case.discussion_members.all()) == set(leaders)
    assert leaders[0].name in case.discussion_participants and "列席：法规科科长" in case.discussion_participants


def test_terminating_a_case_is_the_organs_heads(enf, squad):
    zfdd, captain, officers = squad
    case = make_case("investigating", unit=zfdd, officers=officers, today=D)
    with pytest.raises(ValidationError) as e:
        services.terminate_case(case, by=captain.user, today=D, reason="违法事实不能成立")
    assert e.value.rule == "SYS-02"


def test_an_internal_unit_cannot_have_its_own_code(enf, squad):
    zfdd, _, _ = squad
    enforcement_code(enf.a)
    with pytest.raises(ValidationError) as e:
        services.set_enforcement_code(zfdd, by=None, case_prefix="大队立", decision_prefix="大队决")
    assert e.value.rule == "ENF-10" and "农业农村局" in e.value.message
