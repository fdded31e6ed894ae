"""The effectiveness panel counts the meetings held per month in the database
(efektivitas.hitung_rapat_per_bulan): the same months as the arithmetic on the meetings one by
one, in the portal's time zone, and the page reads neither every meeting nor the plan's every
report at any size."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koordinasi import efektivitas as ef
from koordinasi.models import Rapat
from tests.koordinasi.test_pages_kueri import rapat_terlaksana


def test_meetings_held_per_month_counted_in_the_database_match_the_rows(gugus_kota, dinkes):
    hari_ini = timezone.localdate()
    tahun = hari_ini.year
    rapat = rapat_terlaksana(gugus_kota, [dinkes], 6)
    zona = timezone.get_current_timezone()
    # 1 January 00:30 in Serang is still 31 December in UTC: January's, as on the page
    awal_tahun = datetime.datetime(tahun, 1, 1, 0, 30, tzinfo=zona)
    Rapat.objects.filter(pk=rapat[0].pk).update(
        mulai=awal_tahun, selesai=awal_tahun + datetime.timedelta(hours=2)
    )
    Rapat.objects.filter(pk=rapat[1].pk).update(status=Rapat.Status.DIBATALKAN)
    Rapat.objects.filter(pk=rapat[2].pk).update(status=Rapat.Status.DIJADWALKAN)
    terlaksana = Rapat.objects.filter(
        gugus_tugas=gugus_kota, mulai__year=tahun, status=Rapat.Status.TERLAKSANA
    )
    dari_basis_data = ef._per_bulan(ef.hitung_rapat_per_bulan(terlaksana), tahun, 1, hari_ini)
    satu_satu = ef.rapat_per_bulan(list(Rapat.objects.all()), tahun, 1, hari_ini)
    assert dari_basis_data == satu_satu
    assert dari_basis_data[0].terlaksana == 1


def _kueri_panel(client):
    with CaptureQueriesContext(connection) as kueri:
        assert client.get(reverse("koordinasi:efektivitas")).status_code == 200
    return [q["sql"] for q in kueri.captured_queries]


def test_the_panel_reads_meetings_as_counts_per_month_at_any_size(
    client, pimpinan, gugus_kota, dinkes, dinsos, django_assert_num_queries
):
    rapat_terlaksana(gugus_kota, [dinkes, dinsos], 2)
    client.force_login(pimpinan)
    kecil = _kueri_panel(client)
    rapat_terlaksana(gugus_kota, [dinkes, dinsos], 40)
    # the same queries with twenty times the meetings, their invitations and follow-ups
    with django_assert_num_queries(len(kecil)):
        besar = _kueri_panel(client)
    rapat = [q for q in besar if 'FROM "koordinasi_rapat"' in q]
    # the months' counts only: no meeting's own columns are read
    assert rapat and all('"koordinasi_rapat"."agenda"' not in q for q in rapat)
    assert any("GROUP BY" in q for q in rapat)
