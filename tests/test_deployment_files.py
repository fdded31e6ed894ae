"""docker-compose.yml cannot run here (no Docker engine): check its structure instead.

The same commands are started natively against PostgreSQL and Redis by .ci/smoke.py.
"""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]


def test_compose_has_the_production_services():
    assert set(SERVICES) == {
        "migrate",
        "web",
        "worker",
        "worker-berat",
        "worker-laporan",
        "beat",
        "postgres",
        "redis",
    }


def test_web_runs_gunicorn_and_is_checked_through_health():
    web = SERVICES["web"]
    assert web["command"].startswith("gunicorn kla_portal.wsgi")
    assert "/health/" in " ".join(web["healthcheck"]["test"])
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_workers_listen_on_the_default_and_heavy_queues_and_recycle():
    assert "-Q default " in SERVICES["worker"]["command"]
    assert "-Q berat " in SERVICES["worker-berat"]["command"]
    assert "-Q laporan " in SERVICES["worker-laporan"]["command"]
    assert "--max-memory-per-child" in SERVICES["worker-laporan"]["command"]
    for name in ("worker", "worker-berat", "worker-laporan"):
        assert "--max-tasks-per-child" in SERVICES[name]["command"]
        assert "inspect ping" in SERVICES[name]["healthcheck"]["test"][1]
    assert "DatabaseScheduler" in SERVICES["beat"]["command"]


def test_portal_services_point_at_postgres_and_redis_and_share_the_media_volume():
    for name in ("migrate", "web", "worker", "worker-berat", "worker-laporan", "beat"):
        service = SERVICES[name]
        assert service["environment"]["DATABASE_URL"].startswith("postgres://kla:")
        assert service["environment"]["DATABASE_URL"].endswith("@postgres:5432/kla")
        assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0"
        assert "media:/app/var/media" in service["volumes"]
        assert service["env_file"] == ".env"


def test_databases_are_healthchecked_and_keep_their_data_in_volumes():
    assert "pg_isready" in SERVICES["postgres"]["healthcheck"]["test"][1]
    assert SERVICES["redis"]["healthcheck"]["test"] == ["CMD", "redis-cli", "ping"]
    assert set(COMPOSE["volumes"]) == {"pgdata", "redisdata", "media"}


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
    for name in ("web", "worker", "worker-berat", "worker-laporan", "beat"):
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
