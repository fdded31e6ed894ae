"""Attacks with numbers past what the database keeps (10**30, 2**31, 2**63) in bodies and
filters of every module: each is a 400 or a 409 problem (never a database error), SQLite and
PostgreSQL alike, and nothing is written."""

import json

import pytest
from django.test import Client

from rencana_aksi.models import Aksi, Realisasi
from tests.koordinasi.conftest import rapat_lalu  # noqa: F401 - fixture
from tests.rencana_aksi.bantu import LALU
from tests.rencana_aksi.conftest import aksi_dinkes  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
BESAR = [10**30, 2**31, 2**63]


def _klien(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _ditolak(response) -> None:
    assert response.status_code in (400, 409), response.content[:300]
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"]


@pytest.mark.parametrize("besar", BESAR)
def test_huge_versions_and_ids_in_bodies_are_refused(
    operator_dinkes,
    sekretariat,
    aksi_dinkes,  # noqa: F811 - fixture
    rapat_lalu,  # noqa: F811 - fixture
    dinkes,
    besar,
):
    sebelum = (list(Aksi.objects.values()), Realisasi.objects.count())
    op, s = _klien(operator_dinkes), _klien(sekretariat)
    laporan = f"/api/v1/rad/aksi/{aksi_dinkes.pk}/laporan/{LALU[0]}/{LALU[1]}/"
    for client, metode, url, body in [
        (op, "put", laporan, {"versi": besar, "capaian": 1}),
        (op, "put", laporan, {"versi": 0, "anggaran": besar**2}),
        (s, "patch", f"/api/v1/rad/aksi/{aksi_dinkes.pk}/", {"versi": besar}),
        (s, "post", "/api/v1/rad/aksi/", {"periode": besar, "opd_utama": besar}),
        (s, "patch", f"/api/v1/rapat/{rapat_lalu.pk}/", {"versi": besar}),
        (
            s,
            "post",
            f"/api/v1/rapat/{rapat_lalu.pk}/tindak-lanjut/",
            {"opd": besar, "keputusan": "x", "tenggat": "2030-01-01"},
        ),
        (s, "post", "/api/v1/anggota-gugus-tugas/", {"gugus_tugas": besar, "personil": besar}),
        (s, "post", "/api/v1/pekerjaan/bundel/", {"tahun": besar, "jenis": "rapor"}),
        (s, "post", "/api/v1/paket/", {"tahun": besar}),
        (s, "post", "/api/v1/penugasan/atur/", {"pertanyaan": [besar], "utama": dinkes.pk}),
        (
            s,
            "post",
            f"/api/v1/rapat/{rapat_lalu.pk}/kehadiran/",
            {"kehadiran": [{"undangan": besar, "kehadiran": "hadir"}], "versi": rapat_lalu.versi},
        ),
    ]:
        response = getattr(client, metode)(url, json.dumps(body), content_type="application/json")
        _ditolak(response)
    assert (list(Aksi.objects.values()), Realisasi.objects.count()) == sebelum


@pytest.mark.parametrize(
    "alamat",
    [
        "rad/aksi/?periode={b}",
        "rad/aksi/?opd={b}&tahun={b}",
        "rad/realisasi/?aksi={b}&tahun={b}&triwulan={b}",
        "rapat/?gugus_tugas={b}",
        "tindak-lanjut/?opd={b}&rapat={b}",
        "personil/?opd={b}",
        "indikator/?kelompok={b}",
        "pertanyaan/?indikator={b}&opd={b}",
        "penugasan/?pertanyaan={b}&opd={b}",
        "anggota-gugus-tugas/?gugus_tugas={b}&personil={b}",
        "jawaban/?opd={b}&pertanyaan={b}&tahun={b}",
        "fasilitas/?wilayah={b}&jenis={b}",
        "skor/?tahun={b}",
    ],
)
def test_huge_ids_in_filters_are_a_400_or_nothing_found(sekretariat, alamat):
    client = _klien(sekretariat)
    for besar in BESAR:
        response = client.get("/api/v1/" + alamat.format(b=besar))
        if response.status_code == 200:
            assert response.json()["count"] == 0
        else:
            assert response.status_code == 400, response.content[:300]
            assert response["Content-Type"] == PROBLEM
