"""The score recompute reads and writes in a fixed number of queries, as its docstring says,
whatever the number of questions and answers."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.cache import cache

from clusters import services
from clusters.models import Jawaban, SkorSnapshot
from tests.clusters.test_skor import tambah_soal
from tests.conftest import atur_tanda_skor, kota_uji, tanda_skor


@pytest.fixture
def kota(db) -> int:
    return kota_uji().pk


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def jawab_per_unit(soal, kecamatan, n: int) -> None:
    """Kecamatan answers for n questions (grades above nought meet the question)."""
    for p in soal[:n]:
        p.lingkup = p.Lingkup.KECAMATAN
        p.save(update_fields=["lingkup"])
    Jawaban.objects.bulk_create(
        Jawaban(daerah=kota_uji(), pertanyaan=p, wilayah=kecamatan, fraksi=D(i % 2))
        for i, p in enumerate(soal[:n])
    )


def test_the_recompute_issues_the_queries_its_docstring_names_at_two_sizes(
    kota, tahun, indikator, dinkes, kasemen, django_assert_num_queries
):
    soal = tambah_soal(indikator, dinkes, 5)
    jawab_per_unit(soal, kasemen, 2)
    # from now on each recompute also tidies the older one
    services.skor_hitung(tahun=tahun, daerah_id=kota)
    atur_tanda_skor(tahun, None)
    tahun.refresh_from_db()
    # The city's mark, then six reads: groups, indicators, questions with their lead agency,
    # city-level answers with their evidence, the kecamatan's and kelurahan's answers,
    # category bands. Then in one transaction (a savepoint in tests): lock the year, insert
    # the snapshot, list the city's snapshots of the year, delete today's older one. The
    # older days' snapshots hold no detail any more: nothing to clear.
    with django_assert_num_queries(6 + 1 + 2 + 4) as small:
        services.skor_hitung(tahun=tahun, daerah_id=kota)
    soal = tambah_soal(indikator, dinkes, 1000, start=1000)
    jawab_per_unit(soal, kasemen, 500)
    with django_assert_num_queries(len(small.captured_queries)):
        snapshot = services.skor_hitung(tahun=tahun, daerah_id=kota)
    assert len(snapshot.rincian["unit"]) == 502


def test_a_marked_year_costs_one_more_query_to_clear_its_mark(
    kota, tahun, indikator, dinkes, django_assert_num_queries
):
    tambah_soal(indikator, dinkes, 5)
    services.skor_hitung(tahun=tahun, daerah_id=kota)
    atur_tanda_skor(tahun, "2024-01-01T00:00Z")
    tahun.refresh_from_db()
    with django_assert_num_queries(6 + 1 + 2 + 4 + 1):  # … and clear the year's mark
        services.skor_hitung(tahun=tahun, daerah_id=kota)
    tahun.refresh_from_db()
    assert tanda_skor(tahun) is None


def test_a_days_first_recompute_clears_the_older_days_detail(
    kota, tahun, indikator, dinkes, django_assert_num_queries
):
    tambah_soal(indikator, dinkes, 2)
    kemarin = services.skor_hitung(tahun=tahun, daerah_id=kota)
    SkorSnapshot.objects.filter(pk=kemarin.pk).update(data_per=kemarin.data_per - timedelta(days=1))
    with django_assert_num_queries(6 + 1 + 2 + 4):  # … list, then clear yesterday's detail
        hari_ini = services.skor_hitung(tahun=tahun, daerah_id=kota)
    assert SkorSnapshot.objects.get(pk=kemarin.pk).rincian is None
    assert SkorSnapshot.objects.get(pk=hari_ini.pk).rincian is not None
    with django_assert_num_queries(6 + 1 + 2 + 4):  # … list, then delete today's older one
        terbaru = services.skor_hitung(tahun=tahun, daerah_id=kota)
    assert set(SkorSnapshot.objects.values_list("pk", flat=True)) == {kemarin.pk, terbaru.pk}
