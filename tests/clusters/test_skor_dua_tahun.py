"""The recompute's queries are built once per process and year (kla_portal.sql_tersimpan):
two years recomputed in turn in one process each get their own figures, again and again, and
a second recompute of a year runs the same number of queries as the first."""

import dataclasses
from decimal import Decimal as D

from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters import scoring, services
from clusters.models import Indikator, Jawaban, Kelompok, TahunEvaluasi
from clusters.services import skor
from kla_portal import sql_tersimpan
from tests.conftest import _pertanyaan, kota_uji


def _tahun(angka: int, nilai_max: int, fraksi: str) -> TahunEvaluasi:
    """A year of one question worth ``nilai_max`` points, answered with grade ``fraksi``."""
    tahun = TahunEvaluasi.objects.create(tahun=angka)
    services.kategori_isi_baku(tahun=tahun)
    kelompok = Kelompok.objects.create(tahun=tahun, nama="KELEMBAGAAN", urutan=1)
    indikator = Indikator.objects.create(
        tahun=tahun, kelompok=kelompok, kode="Indikator 1", nama="Perda", urutan=1, nilai_max=20
    )
    pertanyaan = _pertanyaan(
        indikator, "Pertanyaan 1", nilai_max=D(nilai_max), wajib_lampiran=False
    )
    Jawaban.objects.create(daerah=kota_uji(), pertanyaan=pertanyaan, fraksi=D(fraksi))
    return tahun


def test_two_years_recomputed_in_turn_keep_their_own_figures(db):
    sql_tersimpan._SQL_TERSIMPAN.clear()
    lama, baru = _tahun(2023, 12, "0.75"), _tahun(2024, 8, "0.5")
    for _ in range(2):
        # 12 × 0.75 = 9 points; 8 × 0.5 = 4 points.
        assert services.skor_hitung(tahun=lama).total_mandiri == D("9.00")
        assert services.skor_hitung(tahun=baru).total_mandiri == D("4.00")
    assert {k[3] for k in sql_tersimpan._SQL_TERSIMPAN if k[1] == "clusters.skor"} == {
        lama.pk,
        baru.pk,
    }


def test_a_second_recompute_runs_the_queries_of_the_first(db):
    tahun = _tahun(2024, 8, "0.5")
    with CaptureQueriesContext(connection) as pertama:
        services.skor_hitung(tahun=tahun)
    with CaptureQueriesContext(connection) as kedua:
        services.skor_hitung(tahun=tahun)
    # Six reads; then the lock, the insert, the list of snapshots, the older one of the same
    # day deleted (the second time only), the older detail cleared; BEGIN/COMMIT or their
    # savepoints as the test's transaction logs them.
    assert len(kedua.captured_queries) == len(pertama.captured_queries) + 1


def test_the_answers_columns_are_read_in_the_order_of_scoring_isian():
    assert tuple(f.name for f in dataclasses.fields(scoring.Isian)) == skor._KOLOM_JAWABAN
