import io

import pytest
from django.core.management import CommandError, call_command

from fazhi.assessment import selectors
from fazhi.assessment.demo import load
from fazhi.assessment.models import IndicatorWeight
from fazhi.org.models import Unit

pytestmark = pytest.mark.django_db


def test_demo_volume_refuses_without_the_flag_when_not_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="not-production"):
        call_command("demo_volume", "--units", "2", "--year", "2025", stdout=io.StringIO())
    assert not Unit.objects.exists()


def test_demo_volume_makes_a_district_with_non_trivial_values():
    call_command("demo_volume", "--units", "3", "--year", "2025", "--cases", "20",
                 "--i-know-this-is-not-production", stdout=io.StringIO())
    gov = Unit.objects.get(name="压测区2025人民政府")
    units = list(Unit.objects.filter(path__startswith=gov.path))
    assert len(units) == 4
    values = {v["code"]: v for v in selectors.unit_values(gov, 2025)}
    for code in ("NDOC_FILED_ON_TIME", "NDOC_LEGAL_REVIEWED", "MDEC_PROCEDURE_COMPLETE", "ENF_CERTIFIED",
                 "ENF_MAJOR_REVIEWED", "ENF_CLOSED_ON_TIME", "ENF_PUBLISHED_ON_TIME", "TRAIN_OFFICER_HOURS"):
        assert values[code]["denominator"] > 0, code
        assert 0 < values[code]["value"] < 1 or values[code]["value"] == 1, code
    with pytest.raises(CommandError, match="已存在"):
        call_command("demo_volume", "--units", "3", "--year", "2025", "--i-know-this-is-not-production",
                     stdout=io.StringIO())


def test_demo_loader_sets_default_weights_idempotently(db):
    out = io.StringIO()
    load(out)
    n = IndicatorWeight.objects.count()
    load(out)
    assert n > 0 and IndicatorWeight.objects.count() == n
    assert "项指标中" in out.getvalue()
