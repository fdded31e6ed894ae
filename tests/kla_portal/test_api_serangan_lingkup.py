"""Attacks on scoping: Dinas Kesehatan's operator walks Dinas Sosial's ids (answers, RAD actions
and reports, follow-ups, another person's job and token) through every detail and action URL
with every method, through filters naming the other agency and through nested URLs. What the
page's ``visible_to`` hides is a 404 problem everywhere; nothing changes; counts leak nothing."""

import datetime
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from agencies import services as agencies_services
from agencies.models import TokenApi
from clusters import services as clusters_services
from clusters.models import Jawaban
from kla_portal.models import Pekerjaan
from koordinasi import services as koordinasi_services
from koordinasi.models import Rapat, TindakLanjut
from rencana_aksi.models import Aksi, Realisasi
from tests.koordinasi.conftest import data_rapat
from tests.rencana_aksi.bantu import LALU, buat_aksi, lapor

PROBLEM = "application/problem+json"
TIDAK_ADA = "Data ini tidak ada atau bukan bagian Anda."
METODE = ["get", "post", "put", "patch", "delete"]


@pytest.fixture
def milik_dinsos(
    operator_dinsos, soal_dinsos, periode, dinsos, sekretariat, gugus_kota, dinkes
) -> dict:
    """Dinas Sosial's records, and a job and token of its operator."""
    jawaban = clusters_services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal("3")
    )
    aksi = buat_aksi(periode, "K5.09", dinsos, sekretariat, nama="Aksi Dinsos")
    laporan = lapor(aksi, LALU, operator_dinsos)
    rapat = koordinasi_services.rapat_jadwalkan(
        gugus_tugas=gugus_kota,
        data=data_rapat("Rapat Dinsos saja", hari=-3),
        opd=[dinsos],
        by=sekretariat,
        kabari=False,
    )
    tindak = koordinasi_services.tindak_lanjut_tambah(
        rapat=rapat,
        keputusan="Data LKSA",
        opd=dinsos,
        tenggat=timezone.localdate() + datetime.timedelta(days=3),
        by=sekretariat,
    )
    pekerjaan = Pekerjaan.objects.create(
        jenis="bundel", judul="Bundel Dinsos", dibuat_oleh=operator_dinsos
    )
    token, _rahasia = agencies_services.token_buat(user=operator_dinsos, nama="x", akses="tulis")
    return {
        "jawaban": jawaban,
        "aksi": aksi,
        "laporan": laporan,
        "rapat": rapat,
        "tindak": tindak,
        "pekerjaan": pekerjaan,
        "token": token,
    }


def _url(m: dict) -> list[str]:
    """The URLs of ``m``'s records; ``m`` maps each name to a record or to a bare id."""
    m = {nama: getattr(nilai, "pk", nilai) for nama, nilai in m.items()}
    j, a, r = m["jawaban"], m["aksi"], m["laporan"]
    return [
        f"/api/v1/jawaban/{j}/",
        *(
            f"/api/v1/jawaban/{j}/{x}/"
            for x in ["approve", "return", "reopen", "riwayat", "submit", "verify"]
        ),
        f"/api/v1/jawaban/{j}/bukti/",
        f"/api/v1/rad/aksi/{a}/",
        f"/api/v1/rad/aksi/{a}/laporan/{LALU[0]}/{LALU[1]}/",
        f"/api/v1/rad/realisasi/{r}/",
        *(
            f"/api/v1/rad/realisasi/{r}/{x}/"
            for x in ["kembalikan", "kirim", "setujui", "terima", "tolak"]
        ),
        f"/api/v1/rad/realisasi/{r}/bukti/",
        f"/api/v1/rapat/{m['rapat']}/",
        *(
            f"/api/v1/rapat/{m['rapat']}/{x}/"
            for x in ["batalkan", "kehadiran", "notulen", "tindak-lanjut"]
        ),
        f"/api/v1/tindak-lanjut/{m['tindak']}/",
        f"/api/v1/pekerjaan/{m['pekerjaan']}/",
        *(f"/api/v1/pekerjaan/{m['pekerjaan']}/{x}/" for x in ["batal", "ulangi", "unduh"]),
        f"/api/v1/token/{m['token']}/",
    ]


def _keadaan(m: dict) -> tuple:
    return (
        list(Jawaban.objects.order_by("pk").values()),
        list(Aksi.objects.order_by("pk").values()),
        list(Realisasi.objects.order_by("pk").values()),
        list(TindakLanjut.objects.order_by("pk").values()),
        list(Pekerjaan.objects.order_by("pk").values()),
        list(TokenApi.objects.order_by("pk").values("pk", "dicabut")),
        Jawaban.history.count(),
    )


def _terlihat(user, m: dict) -> dict:
    return {
        "jawaban": Jawaban.objects.visible_to(user).filter(pk=m["jawaban"].pk).exists(),
        "aksi": Aksi.objects.visible_to(user).filter(pk=m["aksi"].pk).exists(),
        "laporan": Realisasi.objects.visible_to(user).filter(pk=m["laporan"].pk).exists(),
        "rapat": Rapat.objects.visible_to(user).filter(pk=m["rapat"].pk).exists(),
    }


def _kirim(client, metode: str, url: str):
    if metode == "get":
        return client.get(url)
    body = json.dumps({"versi": 1, "alasan": "x"})
    return getattr(client, metode)(url, body, content_type="application/json")


def _tanpa_id(m: dict) -> list[str]:
    """The same URLs with ids that exist nowhere (built again, not replaced in the text: an
    id may equal the year or quarter in the same URL)."""
    return _url(dict.fromkeys(m, 987654))


@pytest.mark.django_db
def test_another_agencys_ids_answer_as_ids_that_do_not_exist(operator_dinkes, milik_dinsos):
    """Every URL and method answers another agency's id exactly as an id that exists nowhere
    (a 404 problem; or the role's own 403 where the role may never do it, whatever the id), so
    nothing tells that the record exists, and nothing changes."""
    assert not any(_terlihat(operator_dinkes, milik_dinsos).values())
    client = Client(raise_request_exception=False)
    client.force_login(operator_dinkes)
    sebelum = _keadaan(milik_dinsos)
    beda, ditemukan = [], []
    for url, url_kosong in zip(_url(milik_dinsos), _tanpa_id(milik_dinsos), strict=True):
        for metode in METODE:
            response = _kirim(client, metode, url)
            if response.status_code == 405:
                continue
            assert response["Content-Type"] == PROBLEM, (metode, url)
            kosong = _kirim(client, metode, url_kosong)
            jawab = (response.status_code, response.json()["detail"])
            if jawab != (kosong.status_code, kosong.json()["detail"]):
                beda.append((metode, url, jawab, kosong.status_code))
            if response.status_code not in (403, 404):
                ditemukan.append((metode, url, jawab))
    assert beda == []
    assert ditemukan == []
    assert _keadaan(milik_dinsos) == sebelum


@pytest.mark.django_db
@pytest.mark.parametrize(
    "daftar",
    ["jawaban", "rad/aksi", "rad/realisasi", "tindak-lanjut", "rapat", "pekerjaan", "token"],
)
def test_a_filter_naming_another_agency_finds_nothing(
    operator_dinkes, milik_dinsos, dinsos, daftar
):
    client = Client(raise_request_exception=False)
    client.force_login(operator_dinkes)
    for query in (
        f"opd={dinsos.pk}",
        f"opd_utama={dinsos.pk}",
        f"aksi={milik_dinsos['aksi'].pk}",
        "",
        f"dibuat_oleh={milik_dinsos['pekerjaan'].dibuat_oleh_id}",
        f"user={milik_dinsos['token'].user_id}",
    ):
        response = client.get(f"/api/v1/{daftar}/?{query}")
        if response.status_code == 400:
            assert response["Content-Type"] == PROBLEM
            continue
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        teks = json.dumps(body)
        hasil = body["results"] if isinstance(body, dict) else body
        assert "Dinsos" not in teks and "LKSA" not in teks, (daftar, query, teks[:400])
        if isinstance(body, dict) and "count" in body:
            assert body["count"] == len(hasil)
