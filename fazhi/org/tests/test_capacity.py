"""SYS-02: a person recorded in a legal capacity held it on that date."""

from datetime import date

import pytest

from fazhi.core.errors import ValidationError
from fazhi.org import services
from fazhi.org.capacity import holders_on, holds_on, require_capacity
from fazhi.org.models import Role
from fazhi.org.tests.factories import PersonFactory


@pytest.fixture
def head(tree, admin):
    person = PersonFactory(unit=tree.gov, name="区长")
    services.grant_role(person, by=admin, role=Role.HEAD, unit=tree.gov, today=date(2026, 3, 1))
    return person


def test_a_head_holds_the_capacity_from_the_grant(tree, head):
    assert holds_on(head, Role.HEAD, tree.gov, date(2026, 3, 1))
    assert not holds_on(head, Role.HEAD, tree.gov, date(2026, 2, 28))


def test_a_role_over_a_parent_covers_subunits_only_when_granted_so(tree, admin):
    person = PersonFactory(unit=tree.a)
    services.grant_role(person, by=admin, role=Role.HEAD, unit=tree.a, today=date(2026, 1, 5))
    assert not holds_on(person, Role.HEAD, tree.a1, date(2026, 2, 1))
    services.grant_role(person, by=admin, role=Role.REVIEWER, unit=tree.a, include_subunits=True,
                        today=date(2026, 1, 5))
    assert holds_on(person, Role.REVIEWER, tree.a1, date(2026, 2, 1))


def test_a_clerk_does_not_hold_the_head_capacity(tree, clerk_a):
    with pytest.raises(ValidationError, match="不是“测试区人民政府”的单位负责人") as exc:
        require_capacity(clerk_a.person, Role.HEAD, tree.gov, on=date(2026, 4, 1), what="决定的行政首长")
    assert exc.value.rule == "SYS-02"


def test_an_ended_role_still_answers_for_the_dates_it_was_held(tree, admin, head):
    services.revoke_role(head.roles.get(), by=admin, today=date(2026, 6, 1))
    assert holds_on(head, Role.HEAD, tree.gov, date(2026, 5, 31))
    assert not holds_on(head, Role.HEAD, tree.gov, date(2026, 6, 1))
    require_capacity(head, Role.HEAD, tree.gov, on=date(2026, 4, 1), what="决定的行政首长")


def test_roles_without_a_start_date_were_held_before(tree):
    person = PersonFactory(unit=tree.gov, roles=[("head", tree.gov, False)])
    assert holds_on(person, Role.HEAD, tree.gov, date(2001, 1, 1))


def test_holders_on_lists_current_and_past_holders(tree, admin, head):
    later = PersonFactory(unit=tree.gov, name="新区长")
    services.revoke_role(head.roles.get(), by=admin, today=date(2026, 6, 1))
    services.grant_role(later, by=admin, role=Role.HEAD, unit=tree.gov, today=date(2026, 6, 1))
    assert holders_on(Role.HEAD, tree.gov, date(2026, 5, 1)) == [head]
    assert holders_on(Role.HEAD, tree.gov, date(2026, 6, 2)) == [later]
