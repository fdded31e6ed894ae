"""docker-compose.yml cannot run here (no Docker engine): check its structure instead.

The same commands are started natively against PostgreSQL and Redis by .ci/smoke.py.
"""

import json
import re
from pathlib import Path

import jsonschema
import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
ANTREAN = settings.ANTREAN


PORTAL = ("migrate", "web", "worker-skor", "worker-laporan", "worker-impor", "worker-surel", "beat")
WORKERS = {"worker-skor": "skor", "worker-laporan": "laporan", "worker-impor": "impor",
           "worker-surel": "surel"}  # fmt: skip


def _tanpa_interpolasi(nilai):
    """What ``docker compose config`` does with ``${VAR:?message}`` and ``${VAR:-default}``
    once .env is filled in: every variable replaced by a value."""
    if isinstance(nilai, dict):
        return {k: _tanpa_interpolasi(v) for k, v in nilai.items()}
    if isinstance(nilai, list):
        return [_tanpa_interpolasi(v) for v in nilai]
    if isinstance(nilai, str):
        return re.sub(r"\$\{[A-Z_]+(:[?-][^}]*)?\}", "nilai", nilai)
    return nilai


def test_compose_file_is_valid_against_the_compose_specification():
    """What ``docker compose config`` checks (no Docker engine here): the file, its anchors
    resolved and its variables filled in, is valid against the Compose Specification's JSON
    schema (tests/data/compose-spec.json, from github.com/compose-spec/compose-spec,
    Apache-2.0), and every service it depends on exists."""
    schema = json.loads((ROOT / "tests" / "data" / "compose-spec.json").read_text())
    jsonschema.Draft7Validator(schema).validate(_tanpa_interpolasi(COMPOSE))
    for name, service in SERVICES.items():
        for needed in service.get("depends_on", {}):
            assert needed in SERVICES, (name, needed)
    assert set(ANTREAN) == set(WORKERS.values())


def test_compose_has_the_production_services():
    assert set(SERVICES) == {
        *PORTAL,
        "proxy",
        "postgres",
        "redis",
        "minio",
        "minio-bucket",
    }


def test_two_web_replicas_run_gunicorn_behind_the_proxy_checked_through_health():
    web = SERVICES["web"]
    assert web["command"].startswith("gunicorn kla_portal.wsgi")
    assert web["deploy"]["replicas"] == 2
    assert "ports" not in web  # reached through the proxy only
    assert "/health/" in " ".join(web["healthcheck"]["test"])
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    proxy = SERVICES["proxy"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in proxy["volumes"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server web:8000" in nginx and "proxy_pass http://portal;" in nginx
    assert "$proxy_add_x_forwarded_for" in nginx
    assert "non_idempotent" not in nginx  # a POST is never sent to the second replica


def test_one_worker_pool_per_queue_and_one_beat():
    for name, queue in WORKERS.items():
        command = SERVICES[name]["command"]
        assert f"-Q {queue} " in command, name
        assert "--max-tasks-per-child" in command
        assert "inspect ping" in SERVICES[name]["healthcheck"]["test"][1]
    assert "--max-memory-per-child" in SERVICES["worker-laporan"]["command"]
    assert "DatabaseScheduler" in SERVICES["beat"]["command"]
    assert sum("celery -A kla_portal beat" in s.get("command", "") for s in SERVICES.values()) == 1
    assert " -B" not in " ".join(SERVICES[name]["command"] for name in WORKERS)


def test_portal_services_share_postgres_redis_and_the_object_store_and_no_volume():
    for name in PORTAL:
        service = SERVICES[name]
        env = service["environment"]
        assert env["DATABASE_URL"].startswith("postgres://kla:")
        assert env["DATABASE_URL"].endswith("@postgres:5432/kla")
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["AWS_S3_ENDPOINT_URL"] == "http://minio:9000"
        assert env["AWS_STORAGE_BUCKET_NAME"] == "${AWS_STORAGE_BUCKET_NAME:-kla}"
        assert "volumes" not in service  # nothing local that another host would need
        assert service["env_file"] == ".env"


def test_the_bucket_is_created_when_minio_answers():
    bucket = SERVICES["minio-bucket"]
    assert bucket["depends_on"]["minio"]["condition"] == "service_healthy"
    assert "mc mb --ignore-existing" in bucket["command"][0]
    assert SERVICES["web"]["depends_on"]["minio-bucket"]["condition"] == (
        "service_completed_successfully"
    )


def test_databases_are_healthchecked_and_keep_their_data_in_volumes():
    assert "pg_isready" in SERVICES["postgres"]["healthcheck"]["test"][1]
    assert SERVICES["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert set(COMPOSE["volumes"]) == {"pgdata", "redisdata", "miniodata"}


def test_the_example_env_file_names_every_variable_the_settings_read():
    settings_source = (ROOT / "kla_portal" / "settings.py").read_text()
    read = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', settings_source))
    read.add("SECRET_KEY")  # read by require_secret_key
    example = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    internal = {
        "KLA_VAR_DIR",
        "STATIC_MANIFEST",
        "DATABASE_URL",
        "REDIS_URL",
        "MEDIA_ROOT",
        "STATIC_ROOT",
    }
    assert read - internal <= example, (
        f"missing in .env.example: {sorted(read - internal - example)}"
    )


def test_the_image_runs_gunicorn_as_an_unprivileged_user():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("#") and "FROM python:3.11" in dockerfile
    assert "USER kla" in dockerfile
    assert 'CMD ["gunicorn", "kla_portal.wsgi"' in dockerfile
    assert ".env" in (ROOT / ".dockerignore").read_text().split()


def test_workers_and_beat_are_started_again_when_they_exit():
    for name in (*PORTAL[1:], "proxy", "minio"):
        assert SERVICES[name]["restart"] == "unless-stopped", name
    assert SERVICES["migrate"]["restart"] == "no"
    # make run: honcho stops everything when one process exits, so the worker's line loops.
    procfile = dict(
        line.split(":", 1)
        for line in (ROOT / "Procfile.dev").read_text().splitlines()
        if line and not line.startswith("#")
    )
    worker = procfile["worker"]
    assert "while :; do celery -A kla_portal worker" in worker and "done" in worker
    assert "trap 'exit 0' INT TERM" in worker  # Ctrl-C still ends the loop


def test_the_documented_systemd_unit_restarts_the_worker():
    readme = (ROOT / "README.md").read_text()
    unit = readme[readme.index("[Service]") : readme.index("[Install]")]
    assert "Restart=always" in unit and "celery -A kla_portal worker" in unit
