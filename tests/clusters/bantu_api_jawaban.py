"""What the answer API tests share: JSON requests, answers of two agencies, every role, and a
record of an answer's row to prove a refusal changed nothing."""

import json
from decimal import Decimal

import pytest

from clusters import services
from clusters.models import Jawaban
from tests.conftest import berkas

PROBLEM = "application/problem+json"
URL = "/api/v1/jawaban/"


def kirim(client, method: str, url: str, data=None, **headers):
    """A JSON request (``data`` None: no body)."""
    body = json.dumps(data) if data is not None else None
    return getattr(client, method)(url, data=body, content_type="application/json", **headers)


def alamat(jawaban, aksi: str = "") -> str:
    return f"{URL}{jawaban.pk}/" + (f"{aksi}/" if aksi else "")


def baris(jawaban) -> tuple:
    """The answer's row and how many history records it has: equal before and after a refusal."""
    row = Jawaban.objects.filter(pk=jawaban.pk).values().get()
    return row, Jawaban.history.filter(id=jawaban.pk).count()


def masalah(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status
    return body


@pytest.fixture
def peran(
    operator_dinkes,
    operator_dinsos,
    kepala_dinkes,
    kepala_dinsos,
    sekretariat,
    bappeda,
    pimpinan,
    operator_kasemen,
    lurah_cipare,
):
    """Every role by name (``anonim``: nobody logged in)."""
    return {
        "operator_dinkes": operator_dinkes,
        "operator_dinsos": operator_dinsos,
        "kepala_dinkes": kepala_dinkes,
        "kepala_dinsos": kepala_dinsos,
        "sekretariat": sekretariat,
        "bappeda": bappeda,
        "pimpinan": pimpinan,
        "operator_kasemen": operator_kasemen,
        "lurah_cipare": lurah_cipare,
        "anonim": None,
    }


def masuk(client, peran: dict, nama: str):
    if peran[nama] is not None:
        client.force_login(peran[nama])


@pytest.fixture
def jawaban_dinkes(operator_dinkes, soal_dinkes) -> Jawaban:
    """Dinas Kesehatan's draft (graded, 0,75), with its required evidence; Dinsos supports."""
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=Decimal("0.75")
    )
    services.lampiran_tambah(pertanyaan=soal_dinkes, berkas=berkas(), by=operator_dinkes)
    return Jawaban.objects.get(pk=jawaban.pk)


@pytest.fixture
def jawaban_dinsos(operator_dinsos, soal_dinsos) -> Jawaban:
    """Dinas Sosial's draft (points given directly): Dinas Kesehatan does not see it."""
    return services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal("5")
    )
