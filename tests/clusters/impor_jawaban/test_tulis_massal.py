"""The answers import's write (the confirm step, given the checked report) is a bulk write: its
query count is the same for 3 rows as for 20, for new answers and for changed ones, and it
leaves the same records a save through the form would (a version, who saved, history)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clusters import services
from clusters.models import Jawaban, Penugasan, Pertanyaan
from tests.clusters.impor_jawaban.bantu import IND, periksa, xlsx


def soal_langsung(indikator, opd, n: int) -> None:
    """``n`` questions answered with points, led by ``opd``."""
    for i in range(n):
        pertanyaan = Pertanyaan.objects.create(
            tahun=indikator.tahun,
            indikator=indikator,
            kode=f"Soal {i}",
            teks=f"Soal {i}",
            urutan=i,
            nilai_max=Decimal(8),
            lingkup=Pertanyaan.Lingkup.KABKOTA,
            cara_penilaian=Pertanyaan.CaraPenilaian.LANGSUNG,
        )
        Penugasan.objects.create(pertanyaan=pertanyaan, opd=opd, utama=True)


def berkas(n: int, poin: int) -> bytes:
    return xlsx([[IND, f"Soal {i}", poin, None, f"catatan {poin}"] for i in range(n)])


def tulis(tahun, isi: bytes, by) -> None:
    laporan = periksa(isi, tahun, by)
    assert len(laporan.tulis) and not laporan.ada_galat, laporan.galat[:3]
    services.jawaban_impor(tahun=tahun, laporan=laporan, by=by)


@pytest.mark.parametrize("n", [3, 20])
def test_writing_answers_takes_the_same_queries_whatever_the_rows(
    indikator, dinkes, sekretariat, n, django_assert_num_queries
):
    soal_langsung(indikator, dinkes, n)
    tahun = indikator.tahun
    baru = periksa(berkas(n, 4), tahun, sekretariat)
    # savepoint, lock the answers there are, the questions' lead agencies, insert the answers
    # (savepoint, insert, release), insert their history, mark the year's scores, release
    with django_assert_num_queries(9):
        services.jawaban_impor(tahun=tahun, laporan=baru, by=sekretariat)
    ubah = periksa(berkas(n, 6), tahun, sekretariat)
    # savepoint, lock the answers, update them, insert their history, mark the scores, release
    with django_assert_num_queries(6):
        services.jawaban_impor(tahun=tahun, laporan=ubah, by=sekretariat)
    jawaban = Jawaban.objects.get(pertanyaan__kode="Soal 0")
    assert (jawaban.versi, jawaban.diubah_oleh, jawaban.opd) == (2, sekretariat, dinkes)
    assert (jawaban.poin_langsung, jawaban.poin_opd) == (Decimal(6), Decimal(6))
    riwayat = jawaban.history.order_by("history_id")
    assert [(h.history_type, h.versi, h.history_user) for h in riwayat] == [
        ("+", 1, sekretariat),
        ("~", 2, sekretariat),
    ]
    assert Jawaban.objects.filter(pertanyaan__tahun=tahun, versi=2).count() == n


def test_the_write_reads_the_same_for_3_rows_as_for_20(indikator, dinkes, sekretariat):
    soal_langsung(indikator, dinkes, 20)
    kueri = {}
    for n in (3, 20):
        laporan = periksa(berkas(n, 2 + n // 10), indikator.tahun, sekretariat)
        with CaptureQueriesContext(connection) as context:
            services.jawaban_impor(tahun=indikator.tahun, laporan=laporan, by=sekretariat)
        kueri[n] = [q["sql"] for q in context.captured_queries]
    # the second write: 3 answers changed, 17 new; the update and its history on top
    assert len(kueri[20]) == len(kueri[3]) + 2, "\n".join(kueri[20])
