"""The RAD dashboard: figures against a hand-computed plan, scoping, exports, query counts."""

import datetime
from decimal import Decimal as D
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from rencana_aksi import pemantauan, services
from rencana_aksi.models import Aksi, Klaster, SumberDana, TargetTahunan
from rencana_aksi.services import DataAksi

JT = D(1_000_000)
# Late November 2026: every quarter of 2025 has ended and its report was due.
HARI_INI = datetime.date(2026, 11, 23)


@pytest.fixture
def periode(sekretariat):
    return services.periode_buat(
        tahun_mulai=2025, by=sekretariat, dasar_hukum="Peraturan Wali Kota Serang Nomor 12"
    )


def aksi(periode, kode, opd, klaster, target, pagu, sumber, by, pendukung=()):
    record, _changed = services.aksi_simpan(
        periode=periode,
        data=DataAksi(
            kode=kode,
            nama=f"Aksi {kode}",
            klaster=klaster,
            indikator_kinerja="Jumlah layanan",
            satuan="layanan",
            opd_utama=opd,
            opd_pendukung=list(pendukung),
            indikator_kla=["Indikator 15"],
            target={2025: (D(target), D(pagu) * JT, sumber)},
        ),
        by=by,
    )
    return record


def lapor(record, triwulan, capaian, anggaran, operator, *, kirim=True, kepala=None, bappeda=None):
    r = services.realisasi_simpan(
        aksi=record,
        tahun=2025,
        triwulan=triwulan,
        by=operator,
        versi=0,
        capaian=D(capaian),
        anggaran=D(anggaran) * JT,
    )
    if kirim:
        r = services.realisasi_kirim(realisasi=r, by=operator)
    if kepala:
        r = services.realisasi_setujui(realisasi=r, by=kepala)
    if bappeda:
        r = services.realisasi_tinjau(realisasi=r, by=bappeda)
    return r


@pytest.fixture
def rencana(
    periode,
    sekretariat,
    bappeda,
    dinkes,
    dinsos,
    operator_dinkes,
    operator_dinsos,
    kepala_dinkes,
    kepala_dinsos,
):
    """A1 (Dinkes, target 100, Rp 200 jt APBD): 20, 50, then 70 still a draft, no TW IV.
    A2 (Dinsos, target 10, Rp 100 jt DAK): all four quarters sent, 10 reached, Rp 100 jt spent.
    A3 (Dinkes, target 4, Rp 50 jt APBN): nothing reported."""
    a1 = aksi(periode, "A1", dinkes, Klaster.KLASTER_3, 100, 200, SumberDana.APBD, sekretariat)
    a2 = aksi(
        periode, "A2", dinsos, Klaster.KLASTER_5, 10, 100, SumberDana.DAK, sekretariat, [dinkes]
    )
    aksi(periode, "A3", dinkes, Klaster.KLASTER_3, 4, 50, SumberDana.APBN, sekretariat)
    lapor(a1, 1, 20, 40, operator_dinkes, kepala=kepala_dinkes, bappeda=bappeda)
    lapor(a1, 2, 50, 60, operator_dinkes)
    lapor(a1, 3, 70, 50, operator_dinkes, kirim=False)
    for tw, capaian in ((1, 3), (2, 5), (3, 8), (4, 10)):
        lapor(a2, tw, capaian, 25, operator_dinsos)
    services.anggaran_daerah_atur(tahun=2025, total=D(10_000) * JT, by=sekretariat)
    return periode


def test_figures_per_action_against_the_hand_computed_plan(rencana):
    per_kode = {k.aksi.kode: k for k in pemantauan.muat(Aksi.objects.all(), 2025, HARI_INI)}
    a1, a2, a3 = per_kode["A1"], per_kode["A2"], per_kode["A3"]
    assert (a1.capaian, a1.persen_capaian, a1.terserap, a1.persen_serap) == (
        D(70),
        D("70.0"),
        D(150) * JT,
        D("75.0"),
    )
    assert a1.terlambat == [3, 4]  # TW III is only a draft, TW IV was never reported
    assert a1.berisiko  # 70 < 75% of the full target expected by the end of the year
    assert (a2.persen_capaian, a2.terlambat, a2.berisiko) == (D("100.0"), [], False)
    assert (a3.capaian, a3.persen_capaian, a3.terlambat, a3.berisiko) == (
        None,
        D("0.0"),
        [1, 2, 3, 4],
        True,
    )


def test_pace_counts_only_the_quarters_that_have_ended(rencana):
    # In mid-August 2025 two quarters have ended: 70 of 100 is ahead of the 50 expected.
    a1 = next(
        k
        for k in pemantauan.muat(Aksi.objects.all(), 2025, datetime.date(2025, 8, 20))
        if k.aksi.kode == "A1"
    )
    assert not a1.berisiko
    # TW I and II were due (15 April, 15 July) and both were sent; TW III is not due yet.
    assert a1.terlambat == []


def test_totals_per_agency_cluster_and_city_and_the_childrens_share(rencana):
    daftar = pemantauan.muat(Aksi.objects.all(), 2025, HARI_INI)
    per_opd = {
        j.nama: j
        for j in pemantauan.kelompokkan(
            daftar, lambda k: k.aksi.opd_utama_id, lambda k: k.aksi.opd_utama.singkatan
        )
    }
    dinkes = per_opd["Dinkes"]
    assert (dinkes.aksi, dinkes.pagu, dinkes.terserap, dinkes.persen_serap) == (
        2,
        D(250) * JT,
        D(150) * JT,
        D("60.0"),
    )
    assert (dinkes.rata_capaian, dinkes.berisiko, dinkes.terlambat) == (D("35.0"), 2, 2)
    kota = pemantauan.total(daftar, "Kota")
    assert (kota.aksi, kota.pagu, kota.terserap, kota.persen_serap, kota.rata_capaian) == (
        3,
        D(350) * JT,
        D(250) * JT,
        D("71.4"),
        D("56.7"),
    )
    porsi = pemantauan.porsi_anak(daftar, 2025)
    # APBD and DAK only: A1's Rp 200 jt and A2's Rp 100 jt of a Rp 10 miliar APBD.
    assert (porsi.pagu, porsi.terserap, porsi.persen_pagu, porsi.persen_serap) == (
        D(300) * JT,
        D(250) * JT,
        D("3.0"),
        D("2.5"),
    )
    tw, belum = pemantauan.opd_belum_lapor(daftar, 2025, HARI_INI)
    assert tw == 4
    assert [(r["opd"].singkatan, [a.kode for a in r["aksi"]]) for r in belum] == [
        ("Dinkes", ["A1", "A3"])
    ]


def _url(periode, **query):
    from django.utils.http import urlencode

    base = reverse("rencana_aksi:dasbor", args=[periode.pk])
    return f"{base}?{urlencode({'tahun': 2025, **query})}"


@pytest.mark.parametrize("person", ["sekretariat", "bappeda", "pimpinan", "kepala_dinkes"])
def test_the_dashboard_opens_for_every_role_with_a_part(client, rencana, request, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(_url(rencana)).status_code == 200


def test_area_operators_and_strangers_are_refused(client, rencana, operator_kasemen):
    assert client.get(_url(rencana)).status_code == 302
    client.force_login(operator_kasemen)
    assert client.get(_url(rencana)).status_code == 403


def test_bappeda_sees_the_city_and_its_share_of_the_budget(client, bappeda, rencana):
    client.force_login(bappeda)
    response = client.get(_url(rencana))
    page = response.content.decode()
    assert "71,4%" in page and "56,7%" in page  # absorption and mean achievement
    assert "3,0%" in page and "2,5%" in page  # the children's share of the APBD
    tables = {t.nama: t for t in response.context["tabel"]}
    assert [r["sel"][0] for r in tables["rad-per-opd"].baris] == ["Dinkes", "Dinsos"]
    assert [r["sel"][0] for r in tables["opd-belum-melapor"].baris] == ["Dinkes"]
    assert [r["sel"][0][:2] for r in tables["aksi-berisiko"].baris] == ["A3", "A1"]
    assert "<svg" in page


def test_an_agency_sees_only_its_own_actions(client, operator_dinsos, rencana):
    client.force_login(operator_dinsos)
    response = client.get(_url(rencana))
    tables = {t.nama: t for t in response.context["tabel"]}
    assert [r["sel"][0] for r in tables["rad-per-opd"].baris] == ["Dinsos"]
    assert response.context["porsi"] is None  # the city's budget share is for city-wide roles
    assert "hanya dari aksi OPD Anda" in response.content.decode()


def test_a_supporting_agency_sees_the_actions_it_supports(client, operator_dinkes, rencana):
    client.force_login(operator_dinkes)
    tables = {t.nama: t for t in client.get(_url(rencana)).context["tabel"]}
    # Dinkes leads A1 and A3 and supports Dinsos's A2.
    assert [r["sel"][0] for r in tables["rad-per-opd"].baris] == ["Dinkes", "Dinsos"]


def test_each_table_downloads_as_xlsx_in_scope(client, operator_dinsos, bappeda, rencana):
    client.force_login(bappeda)
    response = client.get(_url(rencana, unduh="rad-per-opd"))
    rows = [
        [c.value for c in r] for r in load_workbook(BytesIO(response.content)).active.iter_rows()
    ]
    assert rows[0][:2] == ["OPD", "Aksi"] and [r[0] for r in rows[1:]] == ["Dinkes", "Dinsos"]
    client.force_login(operator_dinsos)
    response = client.get(_url(rencana, unduh="rad-per-opd"))
    rows = [
        [c.value for c in r] for r in load_workbook(BytesIO(response.content)).active.iter_rows()
    ]
    assert [r[0] for r in rows[1:]] == ["Dinsos"]


def test_a_year_outside_the_plan_is_brought_inside(client, bappeda, rencana):
    client.force_login(bappeda)
    assert client.get(_url(rencana, tahun=1990)).context["tahun"] == 2025
    assert client.get(_url(rencana, tahun="abc")).status_code == 200


def test_from_a_kla_indicator_to_the_actions_that_serve_it(client, bappeda, rencana):
    client.force_login(bappeda)
    response = client.get(
        reverse("rencana_aksi:indikator"), {"kode": "Indikator 15", "tahun": 2026}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("rencana_aksi:aksi-list", args=[rencana.pk]))
    assert "indikator=Indikator+15" in response["Location"]


def _tambah_aksi(periode, n, opd, by):
    for i in range(n):
        aksi(periode, f"X{i:04d}", opd, Klaster.KLASTER_4, 10, 5, SumberDana.APBD, by)


def test_dashboard_query_count_does_not_grow_with_actions(
    client, bappeda, rencana, dinkes, sekretariat, django_assert_num_queries
):
    client.force_login(bappeda)
    _tambah_aksi(rencana, 10, dinkes, sekretariat)
    client.get(_url(rencana))
    # session, user, memberships, 2 permissions, notifications, the period,
    # the actions' figures of the year grouped (with those late for the last quarter due), the
    # actions at risk shown, the city budget
    with django_assert_num_queries(10):
        client.get(_url(rencana))
    # A thousand more, written in bulk (the services would take minutes).
    base = Aksi.objects.get(kode="X0000")
    Aksi.objects.bulk_create(
        Aksi(
            periode=rencana,
            kode=f"Y{i:04d}",
            nama=base.nama,
            klaster=base.klaster,
            indikator_kinerja=base.indikator_kinerja,
            satuan=base.satuan,
            opd_utama=dinkes,
        )
        for i in range(1000)
    )
    TargetTahunan.objects.bulk_create(
        TargetTahunan(aksi=a, tahun=2025, target=D(5), pagu=D(1) * JT)
        for a in Aksi.objects.filter(kode__startswith="Y")
    )
    assert Aksi.objects.count() > 1000
    # the same 10 queries for over 1,000 actions
    with django_assert_num_queries(10):
        client.get(_url(rencana))


def test_an_action_on_pace_is_not_at_risk_before_its_report_is_due(rencana):
    # 5 July 2025: Q2 has ended but its report is due on 15 July; A2 reported 5 of 10 by Q2.
    a2 = next(
        k
        for k in pemantauan.muat(Aksi.objects.all(), 2025, datetime.date(2025, 7, 5))
        if k.aksi.kode == "A2"
    )
    assert not a2.berisiko


def test_stopped_actions_count_in_no_average_and_no_budget_share(rencana, sekretariat):
    a1 = Aksi.objects.get(kode="A1")
    a1.status = Aksi.Status.DIBATALKAN
    a1.save()
    daftar = pemantauan.muat(Aksi.objects.all(), 2025, HARI_INI)
    kota = pemantauan.total(daftar, "Kota")
    assert kota.rata_capaian == D("50.0")  # A2 100% and A3 0%; the cancelled A1 is left out
    assert pemantauan.porsi_anak(daftar, 2025).pagu == D(100) * JT  # A2's DAK only
    future = pemantauan.muat(Aksi.objects.all(), 2027, HARI_INI)
    assert all(k.persen_capaian is None for k in future)
