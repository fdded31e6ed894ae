"""The province's administrative verification of a city's year, and the fourth total.

Cilegon's answers (tests/provinsi/conftest.py): q1 graded 6 of 8 in indicator 15 (worth 20),
q3 and q4 given points directly, 8 each, in indicator 16 (worth 12, so their sum is capped).
Every figure below is counted by hand, the way the evaluators count: an indicator is the plain
sum of its questions, cut at its maximum.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clusters import services as clusters_services
from clusters.models import EvaluasiDaerah, Jawaban, TahunEvaluasi, VerifikasiProvinsi
from provinsi import services
from tests.provinsi.conftest import jawab_sampai_terverifikasi, vp

pytestmark = pytest.mark.django_db

Status = VerifikasiProvinsi.Status


def _skor(tahun, kota):
    return clusters_services.skor_hitung(tahun=tahun, daerah_id=kota.pk)


def test_return_fix_accept_moves_the_four_totals_as_counted_by_hand(
    tahun, cilegon, kota_serang, warga_cilegon, provinsi, cilegon_terverifikasi
):
    j = cilegon_terverifikasi
    # City-verified: indicator 15: 6; indicator 16: 8 + 7 = 15, cut at 12. Total 18.
    snapshot = _skor(tahun, cilegon)
    assert snapshot.total_verifikasi == Decimal("18.00")
    assert snapshot.total_provinsi is None  # nothing accepted yet

    evaluasi = services.kirim_ke_provinsi(
        tahun=tahun, kota=cilegon, by=warga_cilegon["sekretariat"]
    )
    assert evaluasi.status_provinsi == EvaluasiDaerah.StatusProvinsi.DIKIRIM
    assert VerifikasiProvinsi.objects.filter(daerah=cilegon, status=Status.MENUNGGU).count() == 3

    verifikator = provinsi["verifikator"]
    services.verifikasi_provinsi(
        verifikasi=vp(j["q1"]), langkah="terima", poin=Decimal(5), by=verifikator, versi=1
    )
    services.verifikasi_provinsi(verifikasi=vp(j["q3"]), langkah="terima", by=verifikator, versi=1)
    services.verifikasi_provinsi(
        verifikasi=vp(j["q4"]),
        langkah="kembalikan",
        alasan="Foto kegiatan tidak terbaca.",
        by=verifikator,
        versi=1,
    )
    q4 = Jawaban.objects.get(pk=j["q4"].pk)
    assert q4.status == Jawaban.Status.DIKEMBALIKAN and q4.alasan == "Foto kegiatan tidak terbaca."
    assert q4.poin_verifikator is None
    snapshot = _skor(tahun, cilegon)
    # Province: 5 (its own points for q1) + 8 (q3 at the city's points) = 13.
    assert snapshot.total_provinsi == Decimal("13.00")
    # City-verified without q4: 6 + 8 = 14.
    assert snapshot.total_verifikasi == Decimal("14.00")
    assert EvaluasiDaerah.objects.get(tahun=tahun, daerah=cilegon).status_provinsi == "dikirim"

    # The city fixes q4 through its own workflow, after its year closed.
    TahunEvaluasi.objects.filter(pk=tahun.pk).update(dibuka=False)
    q4 = jawab_sampai_terverifikasi(
        warga_cilegon, q4.pertanyaan, poin_kota=6, versi=q4.versi, poin_langsung=Decimal(6)
    )
    assert vp(q4).status == Status.MENUNGGU
    assert _skor(tahun, cilegon).total_verifikasi == Decimal("18.00")  # 6 + min(8 + 6, 12)

    services.verifikasi_provinsi(verifikasi=vp(q4), langkah="terima", by=verifikator, versi=3)
    snapshot = _skor(tahun, cilegon)
    assert snapshot.total_provinsi == Decimal("17.00")  # 5 + min(8 + 6, 12)
    evaluasi = EvaluasiDaerah.objects.get(tahun=tahun, daerah=cilegon)
    assert evaluasi.status_provinsi == EvaluasiDaerah.StatusProvinsi.SELESAI
    # Every step is in the history: sent, in verification, done.
    assert [h.status_provinsi for h in evaluasi.history.order_by("history_date")] == [
        "dikirim",
        "selesai",
    ]
    assert [h.status for h in vp(q4).history.order_by("history_date")] == [
        "menunggu",
        "dikembalikan",
        "menunggu",
        "diterima",
    ]
    # Kota Serang's figures are its own.
    assert _skor(tahun, kota_serang).total_provinsi is None


def test_a_city_sends_only_a_year_its_secretariat_verified_and_only_once(
    tahun, cilegon, warga_cilegon, soal_cilegon
):
    sekretariat = warga_cilegon["sekretariat"]
    with pytest.raises(ValidationError, match="Belum ada jawaban"):
        services.kirim_ke_provinsi(tahun=tahun, kota=cilegon, by=sekretariat)
    jawab_sampai_terverifikasi(
        warga_cilegon, soal_cilegon["q3"], poin_kota=8, poin_langsung=Decimal(8)
    )
    clusters_services.jawaban_simpan(
        pertanyaan=soal_cilegon["q4"],
        by=warga_cilegon["operator"],
        versi=0,
        poin_langsung=Decimal(2),
    )
    with pytest.raises(ValidationError, match="1 dari 2 jawaban belum diverifikasi"):
        services.kirim_ke_provinsi(tahun=tahun, kota=cilegon, by=sekretariat)
    assert not VerifikasiProvinsi.objects.exists()
    assert not EvaluasiDaerah.objects.filter(status_provinsi="dikirim").exists()
    Jawaban.objects.filter(pertanyaan=soal_cilegon["q4"]).delete()
    services.kirim_ke_provinsi(tahun=tahun, kota=cilegon, by=sekretariat)
    with pytest.raises(ValidationError, match="sudah dikirim ke provinsi"):
        services.kirim_ke_provinsi(tahun=tahun, kota=cilegon, by=sekretariat)
    assert VerifikasiProvinsi.objects.count() == 1


def test_bad_steps_are_refused_with_a_reason_and_change_nothing(
    tahun, cilegon, warga_cilegon, provinsi, cilegon_terverifikasi
):
    services.kirim_ke_provinsi(tahun=tahun, kota=cilegon, by=warga_cilegon["sekretariat"])
    v = vp(cilegon_terverifikasi["q1"])
    verifikator = provinsi["verifikator"]
    for kwargs, pesan in (
        ({"langkah": "terima", "poin": Decimal(9)}, "antara 0 dan 8"),
        ({"langkah": "terima", "poin": Decimal("-1")}, "antara 0 dan 8"),
        ({"langkah": "kembalikan", "alasan": "  "}, "Tuliskan alasannya"),
        ({"langkah": "hapus"}, "Langkah tidak dikenal"),
    ):
        with pytest.raises(ValidationError, match=pesan):
            services.verifikasi_provinsi(verifikasi=v, by=verifikator, versi=1, **kwargs)
    services.verifikasi_provinsi(verifikasi=v, langkah="terima", by=verifikator, versi=1)
    # A double submit, and a stale page: refused.
    with pytest.raises(ValidationError, match="tidak menunggu verifikasi provinsi"):
        services.verifikasi_provinsi(verifikasi=v, langkah="terima", by=verifikator, versi=1)
    v2 = vp(cilegon_terverifikasi["q3"])
    with pytest.raises(ValidationError, match="muat ulang halaman"):
        services.verifikasi_provinsi(verifikasi=v2, langkah="terima", by=verifikator, versi=7)
    assert vp(cilegon_terverifikasi["q3"]).status == Status.MENUNGGU
    assert Jawaban.objects.get(pk=cilegon_terverifikasi["q1"].pk).status == "terverifikasi"


def test_deadline_per_city_and_its_extension_needs_a_reason(tahun, cilegon, provinsi):
    admin = provinsi["admin"]
    hari_ini = timezone.localdate()
    services.batas_atur(tahun=tahun, kota=cilegon, batas=hari_ini, by=admin)
    with pytest.raises(ValidationError, match="alasan perpanjangan"):
        services.batas_atur(
            tahun=tahun, kota=cilegon, batas=hari_ini + datetime.timedelta(days=7), by=admin
        )
    services.batas_atur(
        tahun=tahun,
        kota=cilegon,
        batas=hari_ini + datetime.timedelta(days=7),
        by=admin,
        alasan="Banjir di kantor Dinkes",
    )
    evaluasi = EvaluasiDaerah.objects.get(tahun=tahun, daerah=cilegon)
    assert evaluasi.batas_kirim == hari_ini + datetime.timedelta(days=7)
    assert evaluasi.history.count() == 3  # made, set, extended


def test_the_verification_page_acts_for_the_assigned_verifier_only(
    client, tahun, cilegon, kota_serang, warga_cilegon, provinsi, cilegon_terverifikasi
):
    services.kirim_ke_provinsi(tahun=tahun, kota=cilegon, by=warga_cilegon["sekretariat"])
    v = vp(cilegon_terverifikasi["q4"])
    halaman = reverse("provinsi:verifikasi", args=[2024, cilegon.pk])
    langkah = reverse("provinsi:verifikasi-langkah", args=[v.pk])
    for siapa in ("verifikator_serang", "admin", "pimpinan"):
        client.force_login(provinsi[siapa])
        assert client.get(halaman).status_code == 404, siapa
        assert client.post(langkah, {"langkah": "terima", "versi": 1}).status_code == 404, siapa
    client.force_login(warga_cilegon["sekretariat"])
    assert client.get(halaman).status_code == 403
    assert client.post(langkah, {"langkah": "terima", "versi": 1}).status_code == 403
    assert vp(cilegon_terverifikasi["q4"]).status == Status.MENUNGGU

    client.force_login(provinsi["verifikator"])
    response = client.get(halaman)
    assert response.status_code == 200
    assert "Pertanyaan B" in response.content.decode()
    # The evidence of the city's answer downloads through the checked view; Serang's page: 404.
    lampiran = cilegon_terverifikasi["q1"].lampiran.get()
    assert client.get(lampiran.get_absolute_url()).status_code == 200
    assert (
        client.get(reverse("provinsi:verifikasi", args=[2024, kota_serang.pk])).status_code == 404
    )
    response = client.post(
        langkah,
        {"langkah": "kembalikan", "versi": 1, "alasan": "", "status_daftar": "menunggu"},
        follow=True,
    )
    assert "Tuliskan alasannya" in response.content.decode()
    response = client.post(
        langkah, {"langkah": "kembalikan", "versi": 1, "alasan": "SK kedaluwarsa"}, follow=True
    )
    assert "dikembalikan ke Kota Cilegon" in response.content.decode()
    assert vp(cilegon_terverifikasi["q4"]).status == Status.DIKEMBALIKAN
    # The city's people are told, with the reason.
    operator = warga_cilegon["operator"]
    assert operator.notifikasi.filter(judul__contains="Dikembalikan oleh provinsi").exists()


def test_an_accepted_answer_the_city_reopens_and_verifies_again_waits_for_the_province(
    tahun, cilegon, warga_cilegon, provinsi, cilegon_terverifikasi
):
    services.kirim_ke_provinsi(tahun=tahun, kota=cilegon, by=warga_cilegon["sekretariat"])
    for j in cilegon_terverifikasi.values():
        services.verifikasi_provinsi(
            verifikasi=vp(j), langkah="terima", by=provinsi["verifikator"], versi=1
        )
    assert EvaluasiDaerah.objects.get(tahun=tahun, daerah=cilegon).status_provinsi == "selesai"
    q3 = Jawaban.objects.get(pk=cilegon_terverifikasi["q3"].pk)
    clusters_services.jawaban_buka_kembali(
        jawaban=q3, by=warga_cilegon["sekretariat"], alasan="Salah ketik"
    )
    q3.refresh_from_db()
    jawab_sampai_terverifikasi(
        warga_cilegon, q3.pertanyaan, poin_kota=4, versi=q3.versi, poin_langsung=Decimal(4)
    )
    assert (vp(q3).status, vp(q3).poin) == (Status.MENUNGGU, None)
    assert EvaluasiDaerah.objects.get(tahun=tahun, daerah=cilegon).status_provinsi == "dikirim"
