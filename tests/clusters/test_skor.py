"""Score snapshots: what a recompute stores, how changes queue it (collapsed), and that a
failed recompute leaves the previous snapshot in place."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clusters import services, tasks
from clusters.models import Jawaban, Penugasan, Pertanyaan, SkorSnapshot, TahunEvaluasi
from tests.conftest import atur_tanda_skor, berkas, kota_uji, tanda_skor


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def tambah_soal(indikator, opd, n: int, *, start: int = 100) -> list[Pertanyaan]:
    """n more graded questions of 1 point, led by ``opd``, each answered at full marks."""
    soal = Pertanyaan.objects.bulk_create(
        Pertanyaan(
            tahun=indikator.tahun,
            indikator=indikator,
            kode=f"Pertanyaan {start + i}",
            teks=f"Pertanyaan tambahan {start + i}",
            urutan=start + i,
            nilai_max=D(1),
            lingkup=Pertanyaan.Lingkup.KABKOTA,
            cara_penilaian=Pertanyaan.CaraPenilaian.OPSI,
        )
        for i in range(n)
    )
    Penugasan.objects.bulk_create(Penugasan(pertanyaan=p, opd=opd, utama=True) for p in soal)
    Jawaban.objects.bulk_create(
        Jawaban(daerah=kota_uji(), pertanyaan=p, opd=opd, fraksi=D(1), poin_opd=D(1)) for p in soal
    )
    return soal


@pytest.fixture
def terisi(
    tahun, soal_dinkes, soal_dinsos, operator_dinkes, operator_dinsos, kepala_dinsos, sekretariat
):
    """Dinkes claims 6 of 8 without evidence; Dinsos gets 5 of 8 verified at 4."""
    services.jawaban_simpan(pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=D("0.75"))
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=D(5)
    )
    jawaban = services.jawaban_kirim(jawaban=jawaban, by=operator_dinsos)
    jawaban.status = Jawaban.Status.MENUNGGU_VERIFIKASI
    jawaban.save()
    services.jawaban_verifikasi(jawaban=jawaban, by=sekretariat, poin=D(4))
    return tahun


def test_a_snapshot_holds_every_level(terisi, dinkes, dinsos, indikator):
    snapshot = services.skor_hitung(tahun=terisi)
    r = snapshot.rincian
    # The fixture indicator (max 20) holds 16 points of questions: plain sums, never scaled
    # (the old assertions, 13.75 / 6.25 / 5.00 = × 20/16, encoded the wrong rule).
    assert r["indikator"][0]["dibatasi"] is None
    assert (snapshot.total_mandiri, snapshot.total_berbukti, snapshot.total_verifikasi) == (
        D("11.00"),  # 6 + 5
        D("5.00"),  # only Dinsos's 5 (no evidence required)
        D("4.00"),  # the verifier's 4
    )
    assert r["kategori_total"] == {"mandiri": "Belum", "berbukti": "Belum", "verifikasi": "Belum"}
    per_opd = {o["singkatan"]: o for o in r["opd"]}
    assert per_opd[dinkes.singkatan]["mandiri"] == "6.00"
    assert per_opd[dinkes.singkatan]["berbukti"] == "0.00"
    assert per_opd[dinsos.singkatan]["verifikasi"] == "4.00"
    per_soal = {p.kode: p for p in snapshot.rincian_skor.pertanyaan}
    assert per_soal["Pertanyaan 1"].kurang_bukti is True
    assert per_soal["Pertanyaan 2"].status == "terverifikasi"
    assert {
        (k["opd_id"], k.get("draft", 0), k.get("terverifikasi", 0)) for k in r["kelengkapan"]
    } == {
        (dinkes.pk, 1, 0),
        (dinsos.pk, 0, 1),
    }


def test_evidence_makes_the_claimed_points_count(terisi, soal_dinkes, operator_dinkes):
    before = services.skor_hitung(tahun=terisi).total_berbukti
    services.lampiran_tambah(pertanyaan=soal_dinkes, by=operator_dinkes, berkas=berkas())
    assert services.skor_hitung(tahun=terisi).total_berbukti == before + D("6.00")


def test_the_recompute_reads_in_a_fixed_number_of_queries(tahun, indikator, dinkes, soal_dinkes):
    tambah_soal(indikator, dinkes, 5)
    services.skor_hitung(tahun=tahun)  # from now on each recompute also tidies the older one
    with CaptureQueriesContext(connection) as small:
        services.skor_hitung(tahun=tahun)
    tambah_soal(indikator, dinkes, 1000, start=1000)
    with CaptureQueriesContext(connection) as large:
        snapshot = services.skor_hitung(tahun=tahun)
    assert len(small.captured_queries) == len(large.captured_queries) <= 14
    assert snapshot.rincian["total"]["max"] == "20.00"  # scaled into the indicator's maximum


def test_a_failed_recompute_leaves_the_previous_snapshot(terisi, monkeypatch):
    first = services.skor_hitung(tahun=terisi)

    def crash(*args, **kwargs):
        raise RuntimeError("pekerja mati")

    monkeypatch.setattr("clusters.services.skor._rapikan", crash)
    with pytest.raises(RuntimeError):
        services.skor_hitung(tahun=terisi)
    assert SkorSnapshot.objects.terbaru(terisi, daerah_id=kota_uji().pk) == first
    assert SkorSnapshot.objects.count() == 1


def test_running_the_task_twice_gives_the_same_figures(terisi):
    first = tasks.hitung_skor(terisi.pk)
    second = tasks.hitung_skor(terisi.pk)
    assert first["mandiri"] == second["mandiri"] and first["berbukti"] == second["berbukti"]
    assert tasks.hitung_skor.acks_late
    assert tasks.hitung_skor(999_999) is None  # a year deleted after queueing


def test_older_snapshots_keep_their_totals_once_a_day(terisi):
    old = services.skor_hitung(tahun=terisi)
    SkorSnapshot.objects.filter(pk=old.pk).update(
        data_per=timezone.now() - datetime.timedelta(days=2)
    )
    same_day = [services.skor_hitung(tahun=terisi) for _i in range(3)]
    remaining = list(SkorSnapshot.objects.filter(tahun=terisi).order_by("data_per"))
    assert [s.pk for s in remaining] == [old.pk, same_day[-1].pk]
    assert remaining[0].rincian is None and remaining[0].total_mandiri == D("11.00")
    assert SkorSnapshot.objects.terbaru(terisi, daerah_id=kota_uji().pk) == same_day[-1]


def test_the_newest_data_wins_not_the_last_write(terisi, monkeypatch):
    newer = services.skor_hitung(tahun=terisi)
    # A slow worker that started reading five seconds before ``newer`` and writes after it.
    earlier = newer.data_per - datetime.timedelta(seconds=5)
    monkeypatch.setattr("clusters.services.skor.timezone.now", lambda: earlier)
    services.skor_hitung(tahun=terisi)
    assert SkorSnapshot.objects.terbaru(terisi, daerah_id=kota_uji().pk).pk == newer.pk


class Antrean:
    """Records what would be sent to the broker instead of sending it."""

    def __init__(self, monkeypatch):
        self.calls = []
        monkeypatch.setattr(tasks.hitung_skor, "apply_async", self.record)

    def record(self, args, countdown=None):
        self.calls.append((args, countdown))


def test_a_burst_of_fifty_changes_queues_one_recompute(
    tahun, soal_dinsos, operator_dinsos, monkeypatch, django_capture_on_commit_callbacks, settings
):
    settings.SKOR_JEDA_DETIK = 3
    antrean = Antrean(monkeypatch)
    versi = 0
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(50):
            versi = services.jawaban_simpan(
                pertanyaan=soal_dinsos, by=operator_dinsos, versi=versi, poin_langsung=D(i % 8)
            ).versi
    assert antrean.calls == [((tahun.pk, kota_uji().pk), 3)]
    # The task clears the flag before reading: the next change queues the next recompute.
    tasks.hitung_skor(tahun.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.jawaban_simpan(
            pertanyaan=soal_dinsos, by=operator_dinsos, versi=versi, poin_langsung=D(1)
        )
    assert len(antrean.calls) == 2


def test_every_kind_of_change_queues_a_recompute(
    tahun,
    soal_dinkes,
    operator_dinkes,
    kepala_dinkes,
    sekretariat,
    dinsos,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    antrean = Antrean(monkeypatch)

    def step(action):
        cache.clear()
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        assert antrean.calls, action
        antrean.calls.clear()
        return result

    jawaban = step(
        lambda: services.jawaban_simpan(
            pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=D(1)
        )
    )
    step(
        lambda: services.lampiran_tambah(
            pertanyaan=soal_dinkes, by=operator_dinkes, berkas=berkas()
        )
    )
    step(lambda: services.jawaban_kirim(jawaban=jawaban, by=operator_dinkes))
    step(lambda: services.jawaban_setujui(jawaban=jawaban, by=kepala_dinkes))
    step(lambda: services.jawaban_verifikasi(jawaban=jawaban, by=sekretariat))
    step(lambda: services.jawaban_buka_kembali(jawaban=jawaban, by=sekretariat, alasan="Salah"))
    step(
        lambda: services.penugasan_atur(
            pertanyaan_list=[soal_dinkes], utama=dinsos, pendukung=[], by=sekretariat
        )
    )
    step(
        lambda: services.tahun_ubah(
            tahun=tahun, by=sekretariat, batas_waktu=tahun.batas_waktu, dibuka=True
        )
    )


def test_a_broker_that_is_down_does_not_break_saving(
    tahun, soal_dinsos, operator_dinsos, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise ConnectionRefusedError("broker mati")

    monkeypatch.setattr(tasks.hitung_skor, "apply_async", down)
    with django_capture_on_commit_callbacks(execute=True):
        services.jawaban_simpan(
            pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=D(2)
        )
    assert Jawaban.objects.get(pertanyaan=soal_dinsos).poin_opd == D(2)
    # The flag is lifted, so the next change tries again instead of waiting ten minutes.
    assert cache.get(services.kunci_antrean(tahun.pk, kota_uji().pk)) is None
    # And the year stays marked, for the sweep once the broker is back.
    tahun.refresh_from_db()
    assert tanda_skor(tahun) is not None


def test_a_change_marks_its_year_and_the_recompute_that_read_it_clears_the_mark(
    tahun, soal_dinsos, operator_dinsos, monkeypatch
):
    Antrean(monkeypatch)
    assert tanda_skor(tahun) is None
    services.jawaban_simpan(pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=D(2))
    tahun.refresh_from_db()
    assert tanda_skor(tahun) is not None
    tasks.hitung_skor(tahun.pk)
    tahun.refresh_from_db()
    assert tanda_skor(tahun) is None
    assert SkorSnapshot.objects.terbaru(tahun, daerah_id=kota_uji().pk).total_mandiri == D(
        2
    )  # 2 points, under the cap


def test_a_change_made_while_a_recompute_reads_keeps_the_mark(
    tahun, soal_dinsos, operator_dinsos, monkeypatch
):
    from clusters.services import skor as skor_mod

    Antrean(monkeypatch)
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=D(2)
    )
    baca = skor_mod._rincian

    def baca_lalu_diubah(tahun, daerah_id):
        hasil = baca(tahun, daerah_id)  # the recompute has read the mark, then the data …
        services.jawaban_simpan(  # … when the second change comes
            pertanyaan=soal_dinsos, by=operator_dinsos, versi=jawaban.versi, poin_langsung=D(4)
        )
        return hasil

    monkeypatch.setattr(skor_mod, "_rincian", baca_lalu_diubah)
    services.skor_hitung(tahun=tahun, daerah_id=kota_uji().pk)
    assert tanda_skor(tahun) is not None  # the second change still waits


def test_the_sweep_queues_every_marked_year_and_only_those(
    tahun, soal_dinsos, operator_dinsos, monkeypatch
):
    lain = TahunEvaluasi.objects.create(tahun=2023)
    antrean = Antrean(monkeypatch)
    assert tasks.hitung_skor_tertunda() == []
    atur_tanda_skor(tahun, timezone.now())
    kota = kota_uji().pk
    assert tasks.hitung_skor_tertunda() == [(tahun.pk, kota)]
    assert antrean.calls == [((tahun.pk, kota), 3)]
    # Collapsed: a recompute already queued is not queued again by the next sweep.
    assert tasks.hitung_skor_tertunda() == [(tahun.pk, kota)]
    assert len(antrean.calls) == 1
    assert lain.pk not in [args[0] for args, _countdown in antrean.calls]


def test_the_sweep_runs_every_minute():
    from django.conf import settings

    jadwal = settings.CELERY_BEAT_SCHEDULE["hitung-skor-tertunda"]
    assert jadwal["task"] == "clusters.tasks.hitung_skor_tertunda"
    assert jadwal["schedule"].minute == set(range(60))


def test_the_command_recomputes_and_prints_groups_and_category(terisi, capsys):
    call_command("hitung_skor", "2024")
    out = capsys.readouterr().out
    assert "KLASTER III" in out and "TOTAL" in out
    assert "11,00" in out and "Kategori: mandiri belum berkategori" in out
    assert SkorSnapshot.objects.terbaru(terisi, daerah_id=kota_uji().pk) is not None


@pytest.mark.django_db
def test_the_command_names_a_missing_year():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="tidak ada"):
        call_command("hitung_skor", "1999")


def test_the_command_computes_the_city_named_and_refuses_one_not_served(terisi, capsys):
    from django.core.management.base import CommandError

    call_command("hitung_skor", "2024", "--kota", "36.73")
    assert "Skor Evaluasi KLA 2024 Kota Serang" in capsys.readouterr().out
    with pytest.raises(CommandError, match=r"36\.72 tidak dilayani"):
        call_command("hitung_skor", "2024", "--kota", "36.72")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_recomputes_after_a_burst_of_changes(
    celery_worker_process, tahun, soal_dinsos, operator_dinsos, settings, monkeypatch
):
    """Fifty saves through the services, queued on commit to the real broker (Redis in the
    PostgreSQL/Redis run): at most a few recomputes, and the snapshot ends at the last value."""
    import time

    settings.SKOR_JEDA_DETIK = 1
    sent = []
    real = tasks.hitung_skor.apply_async

    def count(*args, **kwargs):
        sent.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(tasks.hitung_skor, "apply_async", count)
    versi = 0
    for i in range(50):
        versi = services.jawaban_simpan(
            pertanyaan=soal_dinsos, by=operator_dinsos, versi=versi, poin_langsung=D(i % 8)
        ).versi
    expected = D(49 % 8)  # plain points: an indicator of 20 over one question of 8 is not scaled
    deadline = time.monotonic() + 60
    snapshot = None
    while time.monotonic() < deadline:
        snapshot = SkorSnapshot.objects.terbaru(tahun, daerah_id=kota_uji().pk)
        if (
            snapshot
            and snapshot.total_mandiri == expected
            and not cache.get(services.kunci_antrean(tahun.pk, kota_uji().pk))
        ):
            break
        time.sleep(0.3)
    assert snapshot is not None and snapshot.total_mandiri == expected
    assert 1 <= len(sent) <= 3, sent


def test_bands_edited_in_the_technical_admin_queue_a_recompute(
    client, tahun, monkeypatch, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from tests.conftest import UserFactory

    antrean = Antrean(monkeypatch)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("admin:clusters_tahunevaluasi_change", args=[tahun.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Pratama" in page.content.decode()
    bands = list(tahun.kategori.order_by("poin_min"))
    data = {
        "tahun": 2024,
        "batas_waktu_0": "",
        "batas_waktu_1": "",
        "dibuka": "on",
        "kategori-TOTAL_FORMS": len(bands),
        "kategori-INITIAL_FORMS": len(bands),
        "kategori-MIN_NUM_FORMS": 0,
        "kategori-MAX_NUM_FORMS": 1000,
    }
    for i, band in enumerate(bands):
        data |= {
            f"kategori-{i}-id": band.pk,
            f"kategori-{i}-tahun": tahun.pk,
            f"kategori-{i}-nama": band.nama,
            f"kategori-{i}-poin_min": "550" if band.nama == "Pratama" else band.poin_min,
        }
    kota_uji()  # the city served, whose score the new bands change
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert tahun.kategori.get(nama="Pratama").poin_min == 550
    assert antrean.calls == [((tahun.pk, kota_uji().pk), 3)]


def test_the_safety_net_queues_a_year_whose_answers_changed_after_its_snapshot(
    terisi, soal_dinsos, monkeypatch, settings
):
    antrean = Antrean(monkeypatch)
    services.skor_hitung(tahun=terisi)
    assert services.skor_periksa_basi() == []
    # A change made outside the services (or whose task was lost).
    Jawaban.objects.filter(pertanyaan=soal_dinsos).update(
        diubah=timezone.now() + datetime.timedelta(seconds=1)
    )
    assert services.skor_periksa_basi() == [(terisi.pk, kota_uji().pk)]
    assert antrean.calls == [((terisi.pk, kota_uji().pk), 3)]
    assert settings.CELERY_BEAT_SCHEDULE["periksa-skor-basi"]["task"] == (
        "clusters.tasks.periksa_skor_basi"
    )


def test_the_queued_flag_outlives_its_countdown_by_a_minute_only(tahun, monkeypatch, settings):
    settings.SKOR_JEDA_DETIK = 3
    Antrean(monkeypatch)
    seen = {}
    real_add = cache.add

    def add(key, value, timeout=None):
        seen[key] = timeout
        return real_add(key, value, timeout)

    monkeypatch.setattr(cache, "add", add)
    from clusters.services.skor import _antrekan

    _antrekan(tahun.pk, kota_uji().pk)
    assert seen[services.kunci_antrean(tahun.pk, kota_uji().pk)] == 63
