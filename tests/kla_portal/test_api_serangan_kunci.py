"""Attacks on the Idempotency-Key: the same key sent at once by two threads on a real write,
on another path, by another person, malformed; a refused write frees it. Exactly one write
happens; every refusal is a problem+json in Indonesian."""

import json
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from agencies import services
from agencies.models import TokenApi
from clusters.models import Jawaban
from kla_portal.models import KunciKirim

PROBLEM = "application/problem+json"
KUNCI = "serangan-kunci-0123456789"


def _buat(client, nama="Skrip", kunci=KUNCI, url="/api/v1/token/", **extra):
    return client.post(
        url,
        json.dumps({"nama": nama, "akses": "baca"}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=kunci,
        **extra,
    )


def _klien(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.django_db(transaction=True)
def test_the_same_key_at_the_same_moment_writes_once(operator_dinkes, monkeypatch):
    """Two threads send the same request with the same key while the first is still writing:
    one token is made; the other hears 409 (still running) or the first answer again."""
    asli = services.token_buat
    mulai = threading.Barrier(2)

    def lambat(**kwargs):
        time.sleep(0.5)  # the second arrives while the first is inside the write
        return asli(**kwargs)

    monkeypatch.setattr(services, "token_buat", lambat)
    hasil: list = []

    def kirim():
        try:
            client = _klien(operator_dinkes)
            mulai.wait()
            hasil.append(_buat(client))
        finally:
            connection.close()

    threads = [threading.Thread(target=kirim) for _i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    kode = sorted(r.status_code for r in hasil)
    assert TokenApi.objects.count() == 1, kode
    assert kode in ([201, 201], [201, 409]), [r.content[:300] for r in hasil]
    for r in hasil:
        if r.status_code == 409:
            assert r["Content-Type"] == PROBLEM
            assert r.json()["detail"].startswith("Permintaan dengan kunci ini masih diproses.")
        if r.status_code == 201 and r.get("Idempotent-Replayed"):
            assert r.json()["token"] is None  # the secret is never replayed
    # Once done, a third arrival gets the first answer.
    ulang = _buat(_klien(operator_dinkes))
    assert ulang.status_code == 201 and ulang["Idempotent-Replayed"] == "true"
    assert TokenApi.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_many_threads_with_one_key_write_once(operator_dinkes):
    hasil: list = []
    mulai = threading.Barrier(6)

    def kirim():
        try:
            client = _klien(operator_dinkes)
            mulai.wait()
            hasil.append(_buat(client).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=kirim) for _i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert TokenApi.objects.count() == 1, hasil
    assert set(hasil) <= {201, 409}, hasil
    assert 500 not in hasil


@pytest.mark.django_db
def test_the_same_key_on_another_path_is_a_422(operator_dinkes, soal_dinkes):
    client = _klien(operator_dinkes)
    assert _buat(client).status_code == 201
    response = client.post(
        "/api/v1/jawaban/",
        json.dumps({"pertanyaan": soal_dinkes.pk, "versi": 0, "fraksi": 1}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=KUNCI,
    )
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"].startswith("Idempotency-Key ini sudah dipakai")
    assert not Jawaban.objects.filter(pertanyaan=soal_dinkes).exists()


@pytest.mark.django_db
def test_the_same_key_with_another_body_or_query_is_a_422(operator_dinkes):
    client = _klien(operator_dinkes)
    assert _buat(client).status_code == 201
    for response in (
        _buat(client, nama="Lain"),
        _buat(client, url="/api/v1/token/?x=1"),
        client.delete("/api/v1/token/1/", HTTP_IDEMPOTENCY_KEY=KUNCI),
    ):
        assert response.status_code == 422, response.content
        assert response["Content-Type"] == PROBLEM
    assert TokenApi.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kunci",
    [
        "a" * 65,
        "a" * 15,
        "kunci dengan spasi 0123",
        "kunci/../../0123456789",
        "kunci\u00e9-0123456789abc",
        "kunci;DROP-TABLE-0123456",
        "",
        " " * 20,
    ],
)
def test_a_malformed_key_is_a_400_and_writes_nothing(operator_dinkes, kunci):
    client = _klien(operator_dinkes)
    response = _buat(client, kunci=kunci)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"].startswith("Idempotency-Key harus 16–64 huruf")
    assert "Idempotency-Key" in response.json()["errors"]
    assert not TokenApi.objects.exists()
    assert not KunciKirim.objects.exists()


@pytest.mark.django_db
def test_a_64_character_key_is_taken(operator_dinkes):
    assert _buat(_klien(operator_dinkes), kunci="a" * 64).status_code == 201


@pytest.mark.django_db
def test_another_persons_same_key_is_their_own_write(operator_dinkes, operator_dinsos):
    pertama = _buat(_klien(operator_dinkes))
    kedua = _buat(_klien(operator_dinsos))
    assert pertama.status_code == kedua.status_code == 201
    assert not kedua.has_header("Idempotent-Replayed")
    assert kedua.json()["id"] != pertama.json()["id"]
    assert TokenApi.objects.get(pk=kedua.json()["id"]).user == operator_dinsos
    assert kedua.json()["token"] != pertama.json()["token"]


@pytest.mark.django_db
def test_a_refused_write_frees_its_key_for_the_corrected_one(operator_dinkes):
    client = _klien(operator_dinkes)
    ditolak = client.post(
        "/api/v1/token/",
        json.dumps({"nama": "", "akses": "baca"}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=KUNCI,
    )
    assert ditolak.status_code == 400
    assert not KunciKirim.objects.exists()
    assert _buat(client).status_code == 201
    assert TokenApi.objects.count() == 1


@pytest.mark.django_db
def test_a_key_on_a_read_is_ignored(operator_dinkes):
    client = _klien(operator_dinkes)
    response = client.get("/api/v1/token/", HTTP_IDEMPOTENCY_KEY="x")
    assert response.status_code == 200
    assert not KunciKirim.objects.exists()


@pytest.mark.django_db
def test_a_key_on_an_unparseable_body_is_a_400_and_not_held(operator_dinkes):
    client = _klien(operator_dinkes)
    response = client.post(
        "/api/v1/token/",
        "[" * 10_000,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=KUNCI,
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert not KunciKirim.objects.exists()
