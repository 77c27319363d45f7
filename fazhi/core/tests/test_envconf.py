"""Configuration from the environment fails loudly, in Chinese."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from fazhi.envconf import env_bool, env_int, parse_database_url

BASE = Path("/srv/fazhi")


def test_sqlite_url_is_relative_to_the_project():
    db = parse_database_url("sqlite:///var/fazhi.sqlite3", BASE)
    assert db["ENGINE"].endswith("sqlite3") and db["NAME"] == str(BASE / "var/fazhi.sqlite3")


def test_postgres_url_is_split_into_its_parts():
    db = parse_database_url("postgres://app:s%40cret@db.local:5433/fazhi", BASE)
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "app", "s@cret", "db.local", "5433", "fazhi")


@pytest.mark.parametrize("url", ["mysql://u@h/db", "postgres://u@h:5432/", "sqlite://", "postgres://u@h:port/db", ""])
def test_unknown_or_ill_formed_database_url_stops_start_up(url):
    with pytest.raises(ImproperlyConfigured) as err:
        parse_database_url(url, BASE)
    assert "DATABASE_URL" in str(err.value)


def test_bad_boolean_and_integer_values_name_the_variable(monkeypatch):
    monkeypatch.setenv("FAZHI_TEST_FLAG", "maybe")
    monkeypatch.setenv("FAZHI_TEST_NUM", "eight")
    with pytest.raises(ImproperlyConfigured, match="FAZHI_TEST_FLAG"):
        env_bool("FAZHI_TEST_FLAG")
    with pytest.raises(ImproperlyConfigured, match="FAZHI_TEST_NUM"):
        env_int("FAZHI_TEST_NUM", 1)


def test_secret_can_come_from_a_file(monkeypatch, tmp_path):
    from fazhi.envconf import env_str

    secret = tmp_path / "key"
    secret.write_text("s3cret\n", encoding="utf-8")
    monkeypatch.setenv("FAZHI_TEST_SECRET_FILE", str(secret))
    assert env_str("FAZHI_TEST_SECRET") == "s3cret"
