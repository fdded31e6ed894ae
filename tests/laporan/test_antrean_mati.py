"""Redis (the broker and the cache) going down and coming back, on a redis-server of the test's
own, stopped and started again by its PID: a save still succeeds and its score catches up by
itself once a worker runs; a worker that held a task when Redis dropped survives and goes on
recomputing and building bundles; pages that use the cache and requests that queue work say
so instead of failing."""

import time
from decimal import Decimal

import pytest
from django.urls import reverse

from clusters import services as clusters_services
from clusters.models import Jawaban, SkorSnapshot, TahunEvaluasi
from kla_portal.antrean import TIDAK_TERSEDIA
from kla_portal.models import Pekerjaan
from laporan import services
from laporan.models import Bundel
from tests.conftest import hentikan_pekerja, kota_uji, mulai_pekerja, ping_pekerja, tanda_skor

pytestmark = pytest.mark.django_db(transaction=True)


def tunggu(syarat, *, batas: float, pesan: str):
    akhir = time.monotonic() + batas
    while time.monotonic() < akhir:
        hasil = syarat()
        if hasil:
            return hasil
        time.sleep(0.3)
    raise AssertionError(pesan)


def skor_menjadi(tahun, mandiri: Decimal, *, batas: float = 90) -> SkorSnapshot:
    """Wait for the newest snapshot to hold these points, with the year's mark cleared."""

    def siap():
        snapshot = SkorSnapshot.objects.terbaru(tahun, daerah_id=kota_uji().pk)
        tahun.refresh_from_db()
        if snapshot and snapshot.total_mandiri == mandiri and not tanda_skor(tahun):
            return snapshot
        return None

    return tunggu(siap, batas=batas, pesan=f"skor tidak menjadi {mandiri}")


def halaman_soal(pertanyaan) -> str:
    return reverse("clusters:pertanyaan-detail", args=[pertanyaan.pk])


@pytest.mark.worker
def test_an_answer_saved_while_redis_is_down_is_kept_and_its_score_catches_up_by_itself(
    client, antrean_di_redis_sendiri, instrumen_kecil, tahun, operator_dinsos, settings
):
    redis_sendiri = antrean_di_redis_sendiri
    soal = instrumen_kecil["sanitasi"]  # direct points, at most 2, led by Dinas Sosial
    client.force_login(operator_dinsos)
    redis_sendiri.hentikan()

    response = client.post(halaman_soal(soal), {"versi": 0, "poin_langsung": "1"}, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[0][1] == 302
    assert "Jawaban disimpan sebagai draf." in response.content.decode()
    assert Jawaban.objects.get(pertanyaan=soal).poin_opd == Decimal(1)
    tahun.refresh_from_db()
    assert tanda_skor(tahun) is not None  # the durable mark
    assert (
        SkorSnapshot.objects.terbaru(tahun, daerah_id=kota_uji().pk) is None
    )  # nothing could be recomputed yet

    # Redis is back; a worker starts; nobody queues anything by hand.
    redis_sendiri.mulai()
    pekerja = mulai_pekerja(settings.MEDIA_ROOT, env_tambahan={"REDIS_URL": redis_sendiri.url})
    try:
        # Indicator 16 holds 4 points over its two questions of 2 and 2: 1 point counts 1.
        skor_menjadi(tahun, Decimal("1.00"))
    finally:
        hentikan_pekerja(pekerja)


@pytest.mark.worker
def test_a_worker_holding_a_task_survives_redis_going_down_and_works_on_after(
    antrean_di_redis_sendiri, instrumen_kecil, tahun, operator_dinsos, sekretariat, settings
):
    redis_sendiri = antrean_di_redis_sendiri
    soal = instrumen_kecil["sanitasi"]
    pekerja = mulai_pekerja(settings.MEDIA_ROOT, env_tambahan={"REDIS_URL": redis_sendiri.url})
    try:
        # A recompute due in 30 s: the worker holds it, unacknowledged, when Redis goes down
        # (celery 5.7.0 then died with "AttributeError: 'NoneType' ... 'hostname'").
        settings.SKOR_JEDA_DETIK = 30
        jawaban = clusters_services.jawaban_simpan(
            pertanyaan=soal, by=operator_dinsos, versi=0, poin_langsung=Decimal(1)
        )
        langsung = redis_sendiri.klien()
        tunggu(
            lambda: langsung.hlen("unacked") >= 1,
            batas=30,
            pesan="pekerja tidak menerima tugas hitung ulang",
        )
        langsung.close()
        redis_sendiri.hentikan()
        time.sleep(4)
        redis_sendiri.mulai()

        tunggu(ping_pekerja, batas=60, pesan="pekerja tidak kembali")
        assert pekerja.poll() is None

        # The same worker recomputes a new change (the held task died with the old Redis;
        # the mark makes the new recompute cover both) ...
        settings.SKOR_JEDA_DETIK = 1
        clusters_services.jawaban_simpan(
            pertanyaan=soal, by=operator_dinsos, versi=jawaban.versi, poin_langsung=Decimal(2)
        )
        skor_menjadi(tahun, Decimal("2.00"))

        # ... and builds a bundle.
        bundel = services.bundel_minta(tahun=tahun, jenis="pdf", by=sekretariat)
        job = bundel.pekerjaan
        tunggu(
            lambda: job.refresh_from_db() or job.berakhir, batas=180, pesan="bundel tidak selesai"
        )
        assert job.status == Pekerjaan.Status.SELESAI, job.pesan
        bundel.refresh_from_db()
        assert bundel.berkas and bundel.halaman > 0
        assert pekerja.poll() is None
    finally:
        hentikan_pekerja(pekerja)


def test_score_pages_and_the_home_card_work_while_the_cache_is_down(
    client, antrean_di_redis_sendiri, instrumen_kecil, tahun, operator_dinsos, bappeda, caplog
):
    clusters_services.jawaban_simpan(
        pertanyaan=instrumen_kecil["sanitasi"],
        by=operator_dinsos,
        versi=0,
        poin_langsung=Decimal(1),
    )
    clusters_services.skor_hitung(tahun=TahunEvaluasi.objects.get(pk=tahun.pk))
    antrean_di_redis_sendiri.hentikan()
    client.force_login(bappeda)

    for nama in ("skor:ringkasan", "skor:kelengkapan", "skor:poin-hilang", "skor:unit"):
        response = client.get(reverse(nama, args=[tahun.tahun]))
        assert response.status_code == 200, nama
    ringkasan = client.get(reverse("skor:ringkasan", args=[tahun.tahun])).content.decode()
    assert "<svg" in ringkasan  # the charts are drawn without the cache
    beranda = client.get(reverse("beranda"))
    assert beranda.status_code == 200 and "Skor KLA 2024" in beranda.content.decode()
    assert "Cache tidak tersedia" in caplog.text


def test_a_page_shows_the_last_figures_as_being_recomputed_while_a_change_waits(
    client, antrean_di_redis_sendiri, instrumen_kecil, tahun, operator_dinsos, bappeda
):
    clusters_services.skor_hitung(tahun=TahunEvaluasi.objects.get(pk=tahun.pk))
    antrean_di_redis_sendiri.hentikan()
    clusters_services.jawaban_simpan(
        pertanyaan=instrumen_kecil["sanitasi"],
        by=operator_dinsos,
        versi=0,
        poin_langsung=Decimal(1),
    )
    client.force_login(bappeda)
    halaman = client.get(reverse("skor:ringkasan", args=[tahun.tahun])).content.decode()
    assert "Sedang dihitung ulang" in halaman and "Data per" in halaman
    assert "Sedang dihitung ulang" in client.get(reverse("beranda")).content.decode()


def test_asking_for_a_bundle_while_the_queue_is_down_says_so_and_leaves_no_waiting_job(
    client, antrean_di_redis_sendiri, instrumen_kecil, tahun, sekretariat
):
    antrean_di_redis_sendiri.hentikan()
    client.force_login(sekretariat)

    response = client.post(
        reverse("laporan:bundel-buat"), {"tahun": tahun.tahun, "jenis": "pdf"}, follow=True
    )

    assert response.status_code == 200
    assert str(TIDAK_TERSEDIA) in response.content.decode()
    job = Bundel.objects.get(tahun=tahun).pekerjaan
    assert job.status == Pekerjaan.Status.GAGAL and job.pesan == str(TIDAK_TERSEDIA)
    # Asking again is possible at once (a failed build blocks nothing); with Redis back it runs.
    antrean_di_redis_sendiri.mulai()
    client.post(reverse("laporan:bundel-buat"), {"tahun": tahun.tahun, "jenis": "pdf"})
    assert Bundel.objects.filter(tahun=tahun).count() == 2
    assert Bundel.objects.latest("pk").pekerjaan.status == Pekerjaan.Status.ANTRE


def test_sending_report_cards_while_the_queue_is_down_says_so(
    antrean_di_redis_sendiri, instrumen_kecil, tahun, sekretariat, dinkes
):
    from django.core.exceptions import ValidationError

    antrean_di_redis_sendiri.hentikan()
    with pytest.raises(ValidationError) as error:
        services.rapor_minta_kirim(tahun=tahun, opd_list=[dinkes], by=sekretariat)
    assert error.value.messages == [str(TIDAK_TERSEDIA)]
    job = Pekerjaan.objects.get(jenis="rapor_opd")
    assert job.status == Pekerjaan.Status.GAGAL


def test_hitung_ulang_while_the_queue_is_down_says_the_score_will_follow_by_itself(
    client, antrean_di_redis_sendiri, instrumen_kecil, tahun, sekretariat
):
    antrean_di_redis_sendiri.hentikan()
    client.force_login(sekretariat)
    response = client.post(reverse("skor:hitung-ulang", args=[tahun.tahun]), follow=True)
    assert response.redirect_chain[0][1] == 302
    assert "akan dihitung ulang otomatis" in response.content.decode()
    tahun.refresh_from_db()
    assert tanda_skor(tahun) is not None
