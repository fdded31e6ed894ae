"""/health/ answers 200 only when the database, the broker and a worker all answer."""

import pytest
from django.db import connection
from django.test import Client

from kla_portal.celery import app as celery_app


@pytest.fixture
def anonymous():
    return Client()


TOKEN = "rahasia-pemantauan-7f3a9c"


@pytest.fixture(autouse=True)
def _short_worker_wait(settings):
    settings.HEALTH_WORKER_TIMEOUT = 1
    settings.HEALTH_TOKEN = TOKEN


@pytest.fixture
def client(client):
    """The monitoring system: it brings the health token, so it sees every check."""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    return client


@pytest.mark.django_db
def test_an_anonymous_caller_learns_only_that_the_portal_is_not_ok(anonymous):
    response = anonymous.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "gagal"}


@pytest.mark.django_db
def test_a_wrong_token_learns_no_more_than_an_anonymous_caller(anonymous):
    response = anonymous.get("/health/", HTTP_AUTHORIZATION="Bearer rahasia-pemantauan-7f3a9d")
    assert response.json() == {"status": "gagal"}
    assert anonymous.get("/health/?token=salah").json() == {"status": "gagal"}


@pytest.mark.django_db
def test_no_token_configured_lets_no_empty_token_in(anonymous, settings):
    settings.HEALTH_TOKEN = ""
    assert anonymous.get("/health/", HTTP_AUTHORIZATION="Bearer ").json() == {"status": "gagal"}
    assert anonymous.get("/health/?token=").json() == {"status": "gagal"}


@pytest.mark.django_db
def test_the_token_in_the_query_string_shows_the_checks(anonymous):
    body = anonymous.get(f"/health/?token={TOKEN}").json()
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_a_staff_member_sees_the_checks_without_a_token(anonymous, sekretariat):
    sekretariat.is_staff = True
    sekretariat.save(update_fields=["is_staff"])
    anonymous.force_login(sekretariat)
    assert anonymous.get("/health/").json()["checks"]["broker"]["ok"] is True


@pytest.mark.django_db
def test_a_logged_in_non_staff_person_sees_no_checks(anonymous, operator_dinkes):
    anonymous.force_login(operator_dinkes)
    assert anonymous.get("/health/").json() == {"status": "gagal"}


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
    # The database settings are shared by every thread of the process: a request another
    # test's browser page still makes to the live server fails meanwhile, and the test client
    # would re-raise that other request's error as this one's. Only this response counts.
    client.raise_request_exception = False
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
