"""The RAD plan import's write (the confirm step, given the checked report) is a bulk write:
its query count is the same for 3 rows as for 20, for new actions and for changed ones, and it
leaves the same records a save through the form would (versions, who, history).

Up to 500 rows go in one statement; SQLite takes at most 999 values in one, so there the
history of more than 21 new actions (two entries each) takes a second statement."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rencana_aksi.impor import tulis as impor_tulis
from rencana_aksi.models import Aksi, TargetTahunan
from tests.rencana_aksi.impor.bantu import KOLOM, T1, periksa, xlsx


def rencana(n: int, *, awal: int = 0, target: int = 10, pendukung: str = "Dinsos") -> bytes:
    return xlsx(
        [
            [
                f"Q{awal}.{i:03d}",
                f"Aksi {i}",
                "Klaster III",
                "Indikator 15; Indikator 16",
                "Cakupan layanan",
                "persen",
                "Dinkes",
                pendukung,
                target,
                "1.000.000",
                "APBD",
            ]
            for i in range(n)
        ],
        KOLOM,
    )


def kueri_tulis(periode, isi: bytes, by) -> list[str]:
    laporan = periksa(isi, periode, by)
    assert laporan.tulis and not laporan.ada_galat, laporan.galat[:3]
    with CaptureQueriesContext(connection) as kueri:
        impor_tulis.rad_impor(periode=periode, laporan=laporan, by=by)
    return [q["sql"] for q in kueri.captured_queries]


@pytest.mark.parametrize("n", [3, 20])
def test_writing_new_actions_takes_the_same_queries_whatever_the_rows(
    periode, dinkes, dinsos, bappeda, n, django_assert_num_queries
):
    laporan = periksa(rencana(n, awal=n), periode, bappeda)
    # savepoint, lock the plan period, the plan's codes, insert the actions (savepoint, insert,
    # release), insert their supporting agencies, their history entries (the save's and the
    # one after adding the agencies) and those entries' agencies, insert the KLA indicators,
    # insert the targets and their history, release
    with django_assert_num_queries(13):
        impor_tulis.rad_impor(periode=periode, laporan=laporan, by=bappeda)
    assert Aksi.objects.filter(periode=periode).count() == n
    aksi = Aksi.objects.get(periode=periode, kode=f"Q{n}.000")
    assert (aksi.versi, aksi.diubah_oleh) == (1, bappeda)
    assert list(aksi.history.order_by("history_id").values_list("history_type", flat=True)) == [
        "+",
        "~",
    ]
    assert aksi.history.earliest("history_id").opd_pendukung.count() == 0
    assert [o.opd for o in aksi.history.latest("history_id").opd_pendukung.all()] == [dinsos]
    assert TargetTahunan.history.filter(aksi_id=aksi.pk, history_user=bappeda).count() == 1


def test_changing_actions_takes_the_same_queries_for_3_rows_as_for_10(
    periode, dinkes, dinsos, dp3a, bappeda
):
    kueri = {}
    for n in (3, 10):
        kueri_tulis(periode, rencana(n, awal=n), bappeda)
        # every action changed: its target, and its supporting agency replaced
        ubah = rencana(n, awal=n, target=20, pendukung="DP3AP2KB")
        kueri[n] = kueri_tulis(periode, ubah, bappeda)
    assert len(kueri[3]) == len(kueri[10]), "\n".join(kueri[10])
    aksi = Aksi.objects.get(periode=periode, kode="Q10.000")
    assert aksi.versi == 2 and list(aksi.opd_pendukung.all()) == [dp3a]
    riwayat = list(aksi.history.order_by("history_id"))
    # created, agency added; then saved, the old agency removed, the new one added
    assert [h.history_type for h in riwayat] == ["+", "~", "~", "~", "~"]
    assert [[o.opd for o in h.opd_pendukung.all()] for h in riwayat] == [
        [],
        [dinsos],
        [dinsos],
        [],
        [dp3a],
    ]
    assert aksi.target.get(tahun=T1).target == 20
    assert list(
        TargetTahunan.history.filter(aksi_id=aksi.pk).values_list("history_type", flat=True)
    ) == ["~", "+"]


@pytest.mark.parametrize("n", [3, 20])
def test_checking_changed_actions_reads_one_query_per_kind(
    periode, dinkes, dinsos, dp3a, bappeda, n, django_assert_num_queries
):
    impor_tulis.rad_impor(
        periode=periode, laporan=periksa(rencana(n), periode, bappeda), by=bappeda
    )
    isi = rencana(n, target=20, pendukung="DP3AP2KB")
    # the agencies, the plan's actions, their supporting agencies, KLA indicators and targets
    with django_assert_num_queries(5):
        laporan = periksa(isi, periode, bappeda)
    assert laporan.diperbarui == n
