"""Crossing moves under real concurrency (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection

from fazhi.core.errors import ValidationError
from fazhi.org import services
from fazhi.org.models import Unit
from fazhi.org.tests.factories import UnitFactory, admin_user


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_crossing_moves_never_make_a_cycle():
    gov = UnitFactory(name="区政府")
    a = UnitFactory(name="甲局", parent=gov)
    b = UnitFactory(name="乙局", parent=gov)
    admin = admin_user(gov)
    barrier = threading.Barrier(2)
    outcomes = []

    def move(unit, parent):
        try:
            barrier.wait()
            services.update_unit(Unit.objects.get(pk=unit.pk), by=admin, parent=Unit.objects.get(pk=parent.pk))
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(a, b)), threading.Thread(target=move, args=(b, a))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "不能把单位移到它自己或它的下级单位之下"]
    for u in Unit.objects.select_related("parent"):
        assert u.path == (u.parent.path if u.parent else "") + f"{u.pk:06d}/"
