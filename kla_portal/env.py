"""Read settings from the environment, refusing bad values with a message an operator understands.

Each helper raises ``ImproperlyConfigured`` naming the variable, the bad value and what is
expected, so a typo in a deployment stops the portal at start-up instead of misbehaving later.
"""

import os
from urllib.parse import urlsplit

import dj_database_url
from botocore.config import Config
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on", "ya"}
FALSE_WORDS = {"0", "false", "no", "off", "tidak"}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} tidak dikenal: isi dengan true atau false (juga 1/0, yes/no, on/off)."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} harus berupa bilangan bulat.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} terlalu kecil: paling sedikit {minimum}.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_database(name: str, default: str) -> dict:
    """A Django DATABASES entry from a URL; only SQLite and PostgreSQL are supported."""
    raw = env_str(name) or default
    scheme = urlsplit(raw).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"{name}={raw!r} tidak valid: gunakan sqlite:///path/berkas.sqlite3 "
            "atau postgres://pengguna:sandi@host:5432/nama_basis_data."
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}={raw!r} tidak valid: {error}.") from None
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name}={raw!r} tidak menyebut nama basis data setelah '/'.")
    return config


def env_redis_url(name: str) -> str:
    raw = env_str(name)
    if not raw:
        return ""
    parts = urlsplit(raw)
    try:
        parts.port  # noqa: B018 - raises ValueError on a non-numeric port
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} tidak valid: port harus angka.") from None
    if parts.scheme not in {"redis", "rediss"} or not parts.hostname:
        raise ImproperlyConfigured(
            f"{name}={raw!r} tidak valid: gunakan redis://host:6379/0 (atau rediss:// untuk TLS)."
        )
    return raw


def require_secret_key(debug: bool) -> str:
    key = env_str("SECRET_KEY")
    if key:
        if not debug and len(key) < 32:
            raise ImproperlyConfigured(
                "SECRET_KEY terlalu pendek: gunakan paling sedikit 32 karakter acak."
            )
        return key
    if debug:
        return "insecure-dev-key-only-for-debug-mode-0123456789abcdef"
    raise ImproperlyConfigured(
        "SECRET_KEY wajib diisi bila DEBUG mati. Buat dengan: "
        'python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )


def opsi_s3(
    *, bucket: str, endpoint: str, access_key: str, secret_key: str, region: str, location: str
) -> dict:
    """The options of the S3 storage (django-storages) for one bucket. Names are random and
    never overwritten; objects are private (a download passes the portal's permission check); a
    file read for a download or the bundle waits in memory up to 5 MB, then on disk; a store
    that does not answer fails a request in seconds, not after a minute of retries."""
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint or None,
        "access_key": access_key or None,
        "secret_key": secret_key or None,
        "region_name": region or None,
        "location": location,
        "file_overwrite": False,
        "default_acl": None,
        "max_memory_size": 5 * 1024 * 1024,
        "client_config": Config(
            # MinIO and other self-hosted stores: one host name, the bucket in the path.
            s3={"addressing_style": "path" if endpoint else "auto"},
            signature_version="s3v4",
            # Within gunicorn's 120 s however it fails: two tries of 5 s to connect and 20 s
            # to answer.
            connect_timeout=5,
            read_timeout=20,
            retries={"max_attempts": 2, "mode": "standard"},
        ),
    }
