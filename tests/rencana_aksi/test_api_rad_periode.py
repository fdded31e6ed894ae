"""The RAD through the API: plan periods and the city's budget (the plan's keepers), evidence
of a quarterly report (sent with it, downloaded, removed), and an action read then sent back
whole."""

from decimal import Decimal as D

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from rencana_aksi.models import AnggaranDaerah, LampiranRealisasi, PeriodeRad, Realisasi
from tests.conftest import PNG, berkas
from tests.rencana_aksi.bantu import LALU, TAHUN

PROBLEM = "application/problem+json"
API = "/api/v1/rad"


def kirim(client, metode, url, data=None, **extra):
    return getattr(client, metode)(url, data or {}, content_type="application/json", **extra)


def multipart(client, metode, url, data):
    if metode == "post":
        return client.post(url, data)  # the test client's default
    return getattr(client, metode)(url, encode_multipart(BOUNDARY, data), MULTIPART_CONTENT)


def masuk(client, request, peran):
    if peran is not None:
        client.force_login(request.getfixturevalue(peran))


# --- Plan periods and the city budget -------------------------------------------------------


def test_the_secretariat_creates_a_plan_with_its_document(client, sekretariat, db):
    client.force_login(sekretariat)
    response = multipart(
        client,
        "post",
        f"{API}/periode/",
        {
            "tahun_mulai": "2030",
            "dasar_hukum": "Perwal Nomor 3 Tahun 2030",
            "dokumen": berkas("rad.pdf"),
        },
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["tahun_mulai"], data["tahun_selesai"], data["ada_dokumen"]) == (2030, 2034, True)
    assert [row["total"] for row in data["apbd"]] == [None] * 5


def test_a_plan_overlapping_another_is_refused_with_the_pages_message(client, bappeda, periode):
    client.force_login(bappeda)
    response = kirim(client, "post", f"{API}/periode/", {"tahun_mulai": periode.tahun_mulai + 2})
    assert response.status_code == 400
    assert response.json()["errors"]["tahun_mulai"] == [f"Bertumpang tindih dengan {periode}."]
    assert PeriodeRad.objects.count() == 1


@pytest.mark.parametrize(
    "data, kolom",
    [
        ({"tahun_mulai": "dua ribu"}, "tahun_mulai"),
        ({"tahun_mulai": 1999}, "tahun_mulai"),
        ({"tahun_mulai": 2040, "tanggal_penetapan": "kemarin"}, "tanggal_penetapan"),
        ({"tahun_mulai": 2040, "tahun_selesai": 2050}, "tahun_selesai"),
    ],
)
def test_a_period_of_the_wrong_type_is_a_400(client, bappeda, db, data, kolom):
    client.force_login(bappeda)
    response = kirim(client, "post", f"{API}/periode/", data)
    assert response.status_code == 400
    assert kolom in response.json()["errors"]
    assert not PeriodeRad.objects.exists()


def test_a_document_that_is_not_a_pdf_is_refused(client, bappeda, db):
    client.force_login(bappeda)
    response = multipart(
        client, "post", f"{API}/periode/", {"tahun_mulai": "2040", "dokumen": berkas("a.pdf", PNG)}
    )
    assert response.status_code == 400
    assert response.json()["errors"]["dokumen"] == ["Dokumen RAD harus berupa PDF."]
    assert not PeriodeRad.objects.exists()


def test_the_legal_basis_is_corrected_and_the_years_stay(client, sekretariat, periode):
    client.force_login(sekretariat)
    url = f"{API}/periode/{periode.pk}/"
    response = kirim(client, "patch", url, {"tanggal_penetapan": "2025-03-01"})
    assert response.status_code == 200, response.json()
    periode.refresh_from_db()
    assert str(periode.tanggal_penetapan) == "2025-03-01"
    assert periode.dasar_hukum == "Peraturan Wali Kota Serang Nomor 12 Tahun 2025"  # kept
    assert kirim(client, "patch", url, {"tahun_mulai": 2030}).status_code == 400
    assert kirim(client, "put", url, {"dasar_hukum": "x"}).status_code == 405


def test_the_city_budget_of_the_plans_years(client, bappeda, periode):
    client.force_login(bappeda)
    url = f"{API}/periode/{periode.pk}/apbd/"
    response = kirim(client, "put", url, {"apbd": [{"tahun": TAHUN, "total": 1_900_000_000_000}]})
    assert response.status_code == 200, response.json()
    assert AnggaranDaerah.objects.get(tahun=TAHUN).total == D(1_900_000_000_000)
    row = next(r for r in response.json()["apbd"] if r["tahun"] == TAHUN)
    assert row["total"] == 1_900_000_000_000.0
    # a year outside the plan, a total of zero: refused, nothing saved
    luar = periode.tahun_selesai + 1
    assert kirim(client, "put", url, {"apbd": [{"tahun": luar, "total": 5}]}).status_code == 400
    nol = kirim(
        client,
        "put",
        url,
        {"apbd": [{"tahun": TAHUN - 1, "total": 5}, {"tahun": TAHUN, "total": 0}]},
    )
    assert nol.status_code == 400
    assert nol.json()["detail"] == "Total APBD harus lebih dari nol."
    assert list(AnggaranDaerah.objects.values_list("tahun", flat=True)) == [TAHUN]


@pytest.mark.parametrize(
    "peran", ["operator_dinkes", "kepala_dinkes", "pimpinan", "operator_kasemen", None]
)
def test_others_may_not_write_periods(client, request, periode, peran):
    masuk(client, request, peran)
    ditolak = 401 if peran is None else 403
    assert kirim(client, "post", f"{API}/periode/", {"tahun_mulai": 2040}).status_code == ditolak
    url = f"{API}/periode/{periode.pk}/"
    assert kirim(client, "patch", url, {"dasar_hukum": "Diubah"}).status_code == ditolak
    apbd = {"apbd": [{"tahun": TAHUN, "total": 5}]}
    assert kirim(client, "put", f"{url}apbd/", apbd).status_code == ditolak
    periode.refresh_from_db()
    assert periode.dasar_hukum == "Peraturan Wali Kota Serang Nomor 12 Tahun 2025"
    assert PeriodeRad.objects.count() == 1
    assert not AnggaranDaerah.objects.exists()


# --- Evidence -------------------------------------------------------------------------------


def laporan_url(aksi, kuartal=LALU):
    return f"{API}/aksi/{aksi.pk}/laporan/{kuartal[0]}/{kuartal[1]}/"


def test_evidence_is_sent_with_the_report_and_read_back(client, operator_dinkes, aksi_dinkes):
    client.force_login(operator_dinkes)
    response = multipart(
        client,
        "put",
        laporan_url(aksi_dinkes),
        {
            "capaian": "40",
            "anggaran": "1250000.50",
            "versi": "0",
            "berkas": [berkas("daftar-hadir.pdf"), berkas("foto.png", PNG)],
        },
    )
    assert response.status_code == 200, response.json()
    laporan = Realisasi.objects.get()
    # made, then given its evidence: version 2, as on the page (versi.simpan_dengan_berkas)
    assert (laporan.versi, laporan.capaian) == (2, D(40))
    bukti = response.json()["bukti"]
    assert [b["nama_asli"] for b in bukti] == ["daftar-hadir.pdf", "foto.png"]
    # downloaded through the evidence endpoint (rencana_aksi.api_bukti)
    unduh = client.get(bukti[1]["unduh"])
    assert unduh.status_code == 200
    assert b"".join(unduh.streaming_content) == PNG


def test_a_file_that_is_not_accepted_saves_nothing(client, operator_dinkes, aksi_dinkes):
    client.force_login(operator_dinkes)
    response = multipart(
        client,
        "put",
        laporan_url(aksi_dinkes),
        {"capaian": "40", "versi": "0", "berkas": [berkas("skrip.pdf", b"#!/bin/sh\nrm -rf /")]},
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert not Realisasi.objects.exists()
    assert not LampiranRealisasi.objects.exists()


# --- An action read, changed, sent back whole ----------------------------------------------


def test_an_action_read_can_be_sent_back_whole(client, bappeda, aksi_dinkes):
    client.force_login(bappeda)
    url = f"{API}/aksi/{aksi_dinkes.pk}/"
    data = client.get(url).json()
    data["nama"] = "Puskesmas ramah anak di semua kecamatan"
    response = kirim(client, "put", url, data)
    assert response.status_code == 200, response.json()
    assert response.json()["versi"] == 2
    data = response.json() | {"kode": "K9.99"}
    response = kirim(client, "put", url, data)
    assert response.status_code == 400
    assert response.json()["errors"]["kode"] == ["Kode aksi tidak dapat diubah setelah disimpan."]
    aksi_dinkes.refresh_from_db()
    assert (aksi_dinkes.kode, aksi_dinkes.versi) == ("K3.01", 2)
