"""/health/ answers 200 only when the database, the broker and a worker all answer."""

import pytest
from django.db import connection

from kla_portal.celery import app as celery_app


@pytest.fixture(autouse=True)
def _short_worker_wait(settings):
    settings.HEALTH_WORKER_TIMEOUT = 1


@pytest.mark.django_db
def test_without_a_worker_health_is_503_and_names_the_worker(client):
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "gagal"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["worker"]["ok"] is False


@pytest.mark.django_db
def test_a_stopped_broker_is_503(client, monkeypatch):
    # Nothing listens on port 1: this is what a stopped Redis looks like from here.
    monkeypatch.setattr(celery_app.conf, "broker_write_url", "redis://127.0.0.1:1/0")
    response = client.get("/health/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"]["ok"] is False
    assert checks["worker"] == {"ok": False, "detail": "broker tidak terjangkau"}


@pytest.mark.django_db(transaction=True)
def test_a_stopped_database_is_503(client):
    original = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/tidak-ada/folder/kla.sqlite3"
    else:
        connection.settings_dict["PORT"] = "1"  # nothing listens there
    try:
        response = client.get("/health/")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False


@pytest.mark.worker
def test_with_a_real_worker_health_is_200(client, celery_worker_process, settings):
    settings.HEALTH_WORKER_TIMEOUT = 10
    response = client.get("/health/")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["worker"] == {"ok": True, "detail": "pong"}


@pytest.mark.django_db
def test_load_balancers_may_ask_with_head(client):
    assert client.head("/health/").status_code in (200, 503)
