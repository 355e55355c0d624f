"""Settings: environment beats secrets.toml beats the default, and every one is documented."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from core.settings import (
    DB_MEMORY_LIMIT,
    MAX_REMEMBER_HOURS,
    MIN_DB_MEMORY_MB,
    SETTINGS,
    Settings,
    db_memory_mb,
    resolve,
)

README = Path(__file__).resolve().parents[2] / "README.md"

# (setting, value in the environment, value in secrets.toml, what each resolves to)
SOURCES = [
    ("database_path", "/env/t.duckdb", "/secrets/t.duckdb", "/env/t.duckdb", "/secrets/t.duckdb"),
    ("demo", "1", "0", True, False),
    ("cookie_key", "env-key", "secret-key", "env-key", "secret-key"),
    ("remember_hours", "2", "4", 2.0, 4.0),
    ("practice_name", "Env Practice", "Secret Practice", "Env Practice", "Secret Practice"),
    ("setup_code", "env-code", "secret-code", "env-code", "secret-code"),
    (
        "public_url",
        "https://env.example.org/",
        "https://secrets.example.org",
        "https://env.example.org",
        "https://secrets.example.org",
    ),
    ("db_key", "env-db-key", "secret-db-key", "env-db-key", "secret-db-key"),
    ("backup_dir", "/env/backups", "/secrets/backups", "/env/backups", "/secrets/backups"),
    ("backup_keep", "3", "7", 3, 7),
    ("idle_minutes", "30", "5", 30, 5),
    ("retention_years", "10", "6.5", 10, 6.5),
    ("behind_proxy", "yes", "0", True, False),
]


def env_of(name: str, value: str) -> dict[str, str]:
    """The environment with one setting's variable set."""
    return {SETTINGS[name][0]: value}


def secrets_of(name: str, value) -> dict:
    """secrets.toml with one setting's key set."""
    return {SETTINGS[name][1]: value}


def test_the_table_covers_every_setting():
    assert {row[0] for row in SOURCES} == set(SETTINGS)
    assert {f.name for f in dataclasses.fields(Settings)} == set(SETTINGS)


def test_nothing_configured_gives_the_defaults():
    s = resolve({}, {})
    assert s == Settings(
        database_path="data/tandem.duckdb",
        demo=False,
        cookie_key="",
        remember_hours=8.0,
        practice_name="Tandem practice",
        setup_code="",
        public_url="",
        db_key="",
        backup_dir="backups",
        backup_keep=14,
        idle_minutes=15,
    )


@pytest.mark.parametrize(("name", "env", "secret", "from_env", "from_secret"), SOURCES)
def test_environment_beats_secrets_beats_default(name, env, secret, from_env, from_secret):
    both = resolve(env_of(name, env), secrets_of(name, secret))
    only_secret = resolve({}, secrets_of(name, secret))
    blank_env = resolve(env_of(name, ""), secrets_of(name, secret))
    assert getattr(both, name) == from_env
    assert getattr(only_secret, name) == from_secret
    assert getattr(blank_env, name) == from_secret  # an empty variable counts as unset


def test_an_unrelated_environment_variable_changes_nothing():
    assert resolve({"TANDEM_UNUSED": "x", "DB": "y"}, {}) == resolve({}, {})


@pytest.mark.parametrize(
    ("raw", "hours"),
    [
        ("8", 8.0),
        ("0.5", 0.5),
        ("72", 72.0),
        ("73", MAX_REMEMBER_HOURS),
        ("10000", MAX_REMEMBER_HOURS),
        ("inf", MAX_REMEMBER_HOURS),
        ("-5", 0.0),
        ("a week", 8.0),
        ("nan", 8.0),
        ("", 8.0),
    ],
)
def test_remember_hours_is_capped_and_falls_back_to_the_default(raw, hours):
    assert resolve({"TANDEM_REMEMBER_HOURS": raw}, {}).remember_hours == hours


def test_toml_numbers_and_booleans_from_secrets_are_understood():
    s = resolve({}, {"remember_hours": 12, "demo": True})
    assert (s.remember_hours, s.demo) == (12.0, True)


@pytest.mark.parametrize(
    ("raw", "demo"),
    [("1", True), ("true", True), (" Yes ", True), ("ON", True)]
    + [("0", False), ("false", False), ("no", False), ("maybe", False)],
)
def test_demo_mode_reads_common_truthy_words(raw, demo):
    assert resolve({"TANDEM_DEMO": raw}, {}).demo is demo


def test_a_blank_practice_name_falls_back_to_the_default():
    assert resolve({}, {"practice_name": "   "}).practice_name == "Tandem practice"


def test_every_setting_is_documented_in_the_readme():
    if not README.is_file():
        pytest.skip("README.md is not written yet")
    text = README.read_text(encoding="utf-8")
    missing = [
        f"{name} ({env_name} / {secret_name})"
        for name, (env_name, secret_name, _default, _meaning) in SETTINGS.items()
        if env_name not in text or secret_name not in text
    ]
    assert not missing, f"README.md does not document: {', '.join(missing)}"


@pytest.mark.parametrize(
    ("raw", "megabytes"),
    [
        ("", 128),  # the default
        ("128MB", 128),
        (" 256 mb ", 256),
        ("1GB", 1000),  # DuckDB's units: GB is 1000 MB, GiB is 1024^3 bytes
        ("1.5GB", 1500),
        ("512MiB", 537),
        ("300", 300),  # a bare number is MB
        ("10MB", MIN_DB_MEMORY_MB),  # below the floor a cap would break the admin's caseload
        ("0", MIN_DB_MEMORY_MB),
        ("80%", 128),  # unreadable: the default
        ("-5MB", 128),
        ("lots", 128),
        ("2 bananas", 128),
    ],
)
def test_the_database_memory_cap_reads_sizes_and_keeps_a_floor(raw, megabytes):
    assert db_memory_mb({DB_MEMORY_LIMIT[0]: raw}) == megabytes


def test_the_database_memory_cap_defaults_when_unset():
    assert db_memory_mb({}) == db_memory_mb({DB_MEMORY_LIMIT[0]: DB_MEMORY_LIMIT[1]}) == 128


def test_behind_a_proxy_bad_tokens_are_counted_per_visitor_not_per_proxy():
    """Behind SECURITY.md's nginx every connection comes from 127.0.0.1 (a security review)."""
    from core.links import visitor_address

    forwarded = "203.0.113.9, 198.51.100.7"  # the first is the visitor's own to write
    assert visitor_address("127.0.0.1", forwarded, True) == "198.51.100.7"
    assert visitor_address("127.0.0.1", forwarded, False) == "127.0.0.1"  # no proxy: not believed
    assert visitor_address("127.0.0.1", None, True) == "127.0.0.1"
    assert visitor_address("127.0.0.1", "handover", True) == "127.0.0.1"  # not an address
    assert visitor_address("127.0.0.1", "2001:db8::1", True) == "2001:db8::1"
    assert visitor_address(None, None, False) == ""


def test_a_public_address_without_a_scheme_gets_https():
    """It went into partners' links as typed, and no phone could open them."""
    assert resolve({"TANDEM_PUBLIC_URL": "tandem.example.org/"}, {}).public_url == (
        "https://tandem.example.org"
    )
    assert resolve({"TANDEM_PUBLIC_URL": "http://10.0.0.5:8501"}, {}).public_url == (
        "http://10.0.0.5:8501"
    )
    assert resolve({}, {}).public_url == ""
