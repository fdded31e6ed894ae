"""The effectiveness panel counts invitations, follow-ups and RAD reports in the database per
agency: the same figures as the arithmetic on the rows one by one, at a cost that does not
grow with the meetings, the actions or their quarterly reports."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from koordinasi import efektivitas as ef
from koordinasi.models import TindakLanjut, Undangan
from rencana_aksi import pemantauan
from rencana_aksi.models import Aksi
from tests.conftest import kota_uji
from tests.koordinasi.test_pages_kueri import rapat_terlaksana
from tests.rencana_aksi.bantu import LALU_DUA, TAHUN, buat_aksi, lapor
from tests.rencana_aksi.conftest import periode  # noqa: F401 (the plan in force)


@pytest.fixture
def rencana(
    request,
    dinkes,
    dinsos,
    sekretariat,
    operator_dinkes,
    operator_dinsos,
    kepala_dinkes,
    kepala_dinsos,
):
    """Dinkes: two actions going on (one reported and sent two quarters ago, one a draft),
    one postponed; Dinsos: one going on with no target this year, one sent."""
    periode_rad = request.getfixturevalue("periode")
    kirim = buat_aksi(periode_rad, "K3.01", dinkes, sekretariat)
    lapor(kirim, LALU_DUA, operator_dinkes, kirim=True)
    draft = buat_aksi(periode_rad, "K3.02", dinkes, sekretariat)
    lapor(draft, LALU_DUA, operator_dinkes)
    buat_aksi(periode_rad, "K3.03", dinkes, sekretariat, status=Aksi.Status.DITUNDA)
    tanpa = buat_aksi(periode_rad, "K5.01", dinsos, sekretariat)
    tanpa.target.filter(tahun=TAHUN).update(target=None, pagu=None)
    dikirim = buat_aksi(periode_rad, "K5.02", dinsos, sekretariat)
    lapor(dikirim, LALU_DUA, operator_dinsos, kirim=True)
    return periode_rad


def pelaporan(**kwargs):
    return [vars(b) for b in ef.pelaporan_per_opd(kelengkapan=[], lewat_batas=set(), **kwargs)]


@pytest.mark.parametrize("tahun", [TAHUN - 1, TAHUN, TAHUN + 1])
@pytest.mark.parametrize("bulan_hari", [(1, 10), (4, 16), (8, 1), (12, 31)])
def test_rad_reports_counted_in_the_database_match_the_monitoring(rencana, tahun, bulan_hari):
    hari_ini = datetime.date(TAHUN, *bulan_hari)
    satu_satu = pelaporan(
        nama_opd={},
        keadaan_rad=pemantauan.muat_rencana(tahun, hari_ini, daerah_id=kota_uji().pk),
        hari_ini=hari_ini,
    )
    assert pelaporan(
        nama_opd={}, rad=ef.baca_rad(tahun, hari_ini, kota_uji().pk), hari_ini=hari_ini
    ) == (satu_satu)


def test_only_actions_going_on_with_a_target_this_year_are_counted(rencana):
    hari_ini = timezone.localdate()
    rad = {r.singkatan: r for r in ef.baca_rad(TAHUN, hari_ini, kota_uji().pk)}
    due = len(pemantauan.triwulan_jatuh_tempo(TAHUN, hari_ini))
    # Dinkes: two actions counted (the postponed one is not).
    assert rad["Dinkes"].jatuh_tempo == 2 * due
    assert rad["Dinsos"].jatuh_tempo == due  # the action without a target is not counted


def test_attendance_and_follow_ups_counted_in_the_database_match_the_rows(
    gugus_kota, dinkes, dinsos
):
    rapat = rapat_terlaksana(gugus_kota, [dinkes, dinsos], 7)
    Undangan.objects.filter(rapat=rapat[0], opd=dinkes).update(kehadiran="belum")
    hari_ini = timezone.localdate()
    TindakLanjut.objects.filter(rapat=rapat[1]).update(
        status=TindakLanjut.Status.SELESAI, selesai_pada=hari_ini
    )
    TindakLanjut.objects.filter(rapat=rapat[2]).update(tenggat=hari_ini - datetime.timedelta(1))
    undangan = list(Undangan.objects.select_related("opd"))
    assert [vars(b) for b in ef.baca_kehadiran([r.pk for r in rapat])] == [
        vars(b) for b in ef.kehadiran_per_opd(undangan)
    ]
    tindak = TindakLanjut.objects.filter(tenggat__year=hari_ini.year).select_related("opd")
    assert [vars(b) for b in ef.baca_tindak_lanjut(gugus_kota, hari_ini.year, hari_ini)] == [
        vars(b) for b in ef.tindak_lanjut_per_opd(list(tindak), hari_ini)
    ]


def test_the_panel_with_a_rad_plan_reads_the_same_queries_at_any_size(
    client, pimpinan, rencana, dinkes, sekretariat, operator_dinkes, django_assert_num_queries
):
    client.force_login(pimpinan)
    url = reverse("koordinasi:efektivitas")
    client.get(url)
    # the 6 of every page; the city served's task force (none here); the year's evaluation
    # (none here); the RAD plan, and its reports counted per agency
    with django_assert_num_queries(10) as small:
        assert client.get(url).status_code == 200
    for i in range(30):
        aksi = buat_aksi(rencana, f"K3.{10 + i}", dinkes, sekretariat, target=D(5))
        lapor(aksi, LALU_DUA, operator_dinkes, kirim=i % 2 == 0)
    # the same queries with thirty more actions and their reports
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
