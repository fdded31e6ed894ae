"""DRF's own refusals that its catalogue leaves in English (a wrong method, a body that is not
JSON, a page past the end, a session write without its CSRF token) come in the reader's
language, as every other problem does."""

import pytest
from django.test import Client

PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    ("bahasa", "diharapkan"),
    [
        ("id", "Metode DELETE tidak dapat dipakai di alamat ini."),
        ("en", "The DELETE method cannot be used at this address."),
    ],
)
def test_a_wrong_method_is_a_405_in_the_readers_language(client, sekretariat, bahasa, diharapkan):
    client.force_login(sekretariat)
    response = client.delete("/api/v1/opd/", HTTP_ACCEPT_LANGUAGE=bahasa)
    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == diharapkan
    assert "GET" in response["Allow"]


def test_a_broken_json_body_is_a_400_in_indonesian(client, sekretariat):
    client.force_login(sekretariat)
    response = client.post("/api/v1/token/", '{"nama": "x",', content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"].startswith("Isi permintaan tidak dapat dibaca.")


@pytest.mark.parametrize(
    ("bahasa", "diharapkan"),
    [("id", "Halaman 9 tidak ada di daftar ini."), ("en", "Page 9 is not in this list.")],
)
def test_a_page_past_the_end_is_a_404_in_the_readers_language(
    client, sekretariat, bahasa, diharapkan
):
    client.force_login(sekretariat)
    response = client.get("/api/v1/opd/?page=9", HTTP_ACCEPT_LANGUAGE=bahasa)
    assert response.status_code == 404
    assert response.json()["detail"] == diharapkan


def test_a_session_write_without_csrf_says_what_to_send(sekretariat):
    client = Client(enforce_csrf_checks=True)
    client.force_login(sekretariat)
    response = client.post(
        "/api/v1/token/",
        {"nama": "x", "akses": "baca", "kedaluwarsa": None},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert "X-CSRFToken" in response.json()["detail"]
    assert response.json()["detail"].startswith("Pemeriksaan CSRF gagal.")
    assert not sekretariat.token_api.exists()
