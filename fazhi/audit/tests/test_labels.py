from fazhi.audit.apps import ALL_ROLES
from fazhi.audit.labels import action_label, object_type_label
from fazhi.org.models import Role


def test_every_role_lets_its_holder_read_trails_of_its_units():
    # apps.py lists the roles by hand; a role added to org must be added there.
    assert set(ALL_ROLES) == set(Role.values)


def test_a_label_is_built_from_the_verb_and_the_model():
    assert action_label("org.unit.deleted") == "删除单位"
    assert action_label("org.person.changed") == "修改人员"


def test_an_explicit_label_wins():
    assert action_label("org.role.granted") == "授予角色"


def test_an_unknown_verb_or_model_degrades_gracefully():
    assert action_label("org.unit.frobbed") == ""
    assert action_label("nowhere.thing.created") == "创建"
    assert action_label("bad") == ""
    assert object_type_label("org.unit") == "单位"
    assert object_type_label("nowhere.thing") == "nowhere.thing"
