"""Settings come from the environment; bad values stop the portal with a clear message."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from kla_portal import env

ROOT = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "broker": settings.CELERY_BROKER_URL,
    "results": settings.CELERY_RESULT_BACKEND,
    "cache": settings.CACHES["default"]["BACKEND"],
    "email": settings.EMAIL_BACKEND,
    "language": settings.LANGUAGE_CODE,
    "tz": settings.TIME_ZONE,
    "debug": settings.DEBUG,
    "secure_cookies": settings.SESSION_COOKIE_SECURE,
    "ipware_count": settings.AXES_IPWARE_PROXY_COUNT,
    "ipware_headers": settings.AXES_IPWARE_META_PRECEDENCE_ORDER,
    "session_age": settings.SESSION_COOKIE_AGE,
}))
"""


def load_settings(tmp_path, **environ):
    """Import the settings in a fresh interpreter with exactly this environment."""
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG"}}
    clean |= {"DJANGO_SETTINGS_MODULE": "kla_portal.settings", "KLA_VAR_DIR": str(tmp_path)}
    clean |= environ
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_embedded_defaults_need_no_server(tmp_path):
    result = load_settings(tmp_path)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["db_name"].endswith("kla.sqlite3")
    assert values["broker"] == "filesystem://"
    assert values["results"] == "django-db"
    assert values["cache"].endswith("FileBasedCache")
    assert values["email"].endswith("console.EmailBackend")
    assert (values["language"], values["tz"]) == ("id", "Asia/Jakarta")
    assert values["debug"] is True  # a checkout is for development; the Docker image sets false


def test_database_and_redis_urls_switch_to_postgresql_and_redis(tmp_path):
    result = load_settings(
        tmp_path,
        DEBUG="false",
        SECRET_KEY="k" * 50,
        DATABASE_URL="postgres://kla:rahasia@db.internal:5432/kla",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["db_name"] == "kla"
    assert values["broker"] == values["results"] == "redis://cache.internal:6379/0"
    assert values["cache"].endswith("RedisCache")
    assert values["debug"] is False
    assert values["secure_cookies"] is True


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' tidak dikenal"),
        ({"DEBUG": "false"}, "SECRET_KEY wajib diisi bila DEBUG mati"),
        ({"DEBUG": "false", "SECRET_KEY": "pendek"}, "SECRET_KEY terlalu pendek"),
        (
            {"DEBUG": "true", "DATABASE_URL": "postgres//tanpa-titik-dua"},
            "DATABASE_URL='postgres//tanpa-titik-dua' tidak valid",
        ),
        (
            {"DEBUG": "true", "DATABASE_URL": "mysql://root@localhost/kla"},
            "tidak valid: gunakan sqlite",
        ),
        ({"DEBUG": "true", "DATABASE_URL": "postgres://u@localhost:port/kla"}, "tidak valid"),
        (
            {"DEBUG": "true", "DATABASE_URL": "postgres://u@localhost:5432"},
            "tidak menyebut nama basis data",
        ),
        (
            {"DEBUG": "true", "REDIS_URL": "localhost:6379"},
            "REDIS_URL='localhost:6379' tidak valid",
        ),
        ({"DEBUG": "true", "REDIS_URL": "redis://localhost:abc/0"}, "port harus angka"),
        ({"DEBUG": "true", "KLA_KABKOTA": "Serang"}, "KLA_KABKOTA='Serang' tidak valid"),
        (
            {"DEBUG": "true", "AXES_FAILURE_LIMIT": "lima"},
            "AXES_FAILURE_LIMIT='lima' harus berupa bilangan bulat",
        ),
    ],
)
def test_bad_values_stop_start_up_with_a_clear_message(tmp_path, environ, message):
    result = load_settings(tmp_path, **environ)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_manage_py_refuses_to_start_with_a_bad_debug_value(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean | {"DEBUG": "maybe", "KLA_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DEBUG='maybe' tidak dikenal: isi dengan true atau false" in result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("ya", True), ("OFF", False), ("", True)]
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("CONTOH_BOOL", raw)
    assert env.env_bool("CONTOH_BOOL", True) is expected


def test_env_int_refuses_values_below_the_minimum(monkeypatch):
    monkeypatch.setenv("CONTOH_INT", "0")
    with pytest.raises(ImproperlyConfigured, match="paling sedikit 1"):
        env.env_int("CONTOH_INT", 5, minimum=1)


def test_without_a_proxy_only_the_connection_address_counts(tmp_path):
    loaded = json.loads(load_settings(tmp_path).stdout)
    assert loaded["ipware_headers"] == ["REMOTE_ADDR"]
    assert loaded["session_age"] == 2 * 60 * 60


def test_behind_two_proxies_the_client_is_second_from_the_right(tmp_path):
    result = load_settings(
        tmp_path, BEHIND_HTTPS_PROXY="true", TRUSTED_PROXY_COUNT="2", SESSION_IDLE_MINUTES="30"
    )
    loaded = json.loads(result.stdout)
    assert loaded["ipware_headers"] == ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    assert loaded["ipware_count"] == 1  # django-ipware counts the proxies inside the header
    assert loaded["session_age"] == 30 * 60
