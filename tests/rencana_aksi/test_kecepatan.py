"""The RAD pages' cost does not grow with the plan: the list and the dashboard read their
figures in the database for the rows they show (pemantauan.angka_sql), and those figures are
exactly the ones pemantauan.keadaan works out in Python."""

import datetime
import random
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from clusters import alur
from rencana_aksi import daftar as daftar_aksi
from rencana_aksi import kotak as inbox
from rencana_aksi import pemantauan, selectors, services
from rencana_aksi.models import Aksi, Klaster, Realisasi, SumberDana, TargetTahunan
from tests.rencana_aksi.bantu import JT, TAHUN, halaman, xlsx
from tests.rencana_aksi.test_dasbor import periode, rencana  # noqa: F401 (fixtures)

STATUS_LAPORAN = [None, *alur.Status.values]


def _acak_aksi(plan, opd, n: int, seed: int = 14, awalan: str = "R") -> None:
    """``n`` actions of every kind: stopped or not, with or without a target row, a target or
    a ceiling of nought, figures at the edge of the pace and of rounding, reports in every
    state or none, quarters reported early."""
    rng = random.Random(seed)
    aksi = Aksi.objects.bulk_create(
        Aksi(
            periode=plan,
            kode=f"{awalan}{i:04d}",
            nama=f"Aksi acak {i}",
            klaster=rng.choice(Klaster.values),
            indikator_kinerja="Jumlah layanan",
            satuan="layanan",
            opd_utama=opd,
            status=rng.choice(Aksi.Status.values),
        )
        for i in range(n)
    )
    target, laporan = [], []
    for a in aksi:
        for tahun in (2025, 2026):
            pilihan = rng.randrange(6)
            if pilihan == 0:
                continue  # no target row this year
            nilai = [None, D(0), D(100), D("1.6"), D("0.16"), D("33.33"), D(16)][rng.randrange(7)]
            pagu = [None, D(0), D("1234567.89"), D(200) * JT][rng.randrange(4)]
            target.append(
                TargetTahunan(
                    aksi=a,
                    tahun=tahun,
                    target=nilai,
                    pagu=pagu,
                    sumber_dana=rng.choice(SumberDana.values),
                )
            )
            for tw in (1, 2, 3, 4):
                status = rng.choice(STATUS_LAPORAN)
                if status is None:
                    continue
                capaian = [None, D(0), D("0.3"), D("37.5"), D("37.49"), D(1), D("6.25"), D(70)]
                laporan.append(
                    Realisasi(
                        aksi=a,
                        tahun=tahun,
                        triwulan=tw,
                        status=status,
                        capaian=rng.choice(capaian),
                        anggaran=rng.choice([None, D(0), D("0.29"), D(25) * JT]),
                    )
                )
    TargetTahunan.objects.bulk_create(target)
    Realisasi.objects.bulk_create(laporan)


# Each quarter's due date, the day after, a year not begun and a year over.
HARI = [
    datetime.date(2024, 6, 1),
    datetime.date(2025, 1, 1),
    datetime.date(2025, 4, 15),
    datetime.date(2025, 4, 16),
    datetime.date(2025, 7, 16),
    datetime.date(2025, 10, 16),
    datetime.date(2026, 1, 15),
    datetime.date(2026, 1, 16),
    datetime.date(2027, 3, 1),
]


@pytest.mark.parametrize("hari_ini", HARI)
def test_the_database_figures_are_exactly_the_python_ones(periode, dinkes, hari_ini):  # noqa: F811
    _acak_aksi(periode, dinkes, 240)
    for tahun in (2025, 2026):
        p = f"k{tahun}_"
        python = {k.aksi.pk: k for k in pemantauan.muat(Aksi.objects.all(), tahun, hari_ini)}
        for a in pemantauan.dengan_angka(Aksi.objects.all(), tahun, hari_ini):
            k = python[a.pk]
            assert pemantauan.keadaan_baris(a, tahun, hari_ini) == k
            persen = None if a.__dict__[p + "persen10"] is None else D(a.__dict__[p + "persen10"])
            assert (
                getattr(a, p + "terlambat"),
                getattr(a, p + "berisiko"),
                persen / 10 if persen is not None else None,
                D(getattr(a, p + "pagu_sen")) / 100,
                D(getattr(a, p + "serap_sen")) / 100,
                getattr(a, p + "apbd"),
                [tw for tw in (1, 2, 3, 4) if getattr(a, f"{p}telat{tw}")],
            ) == (
                bool(k.terlambat),
                k.berisiko,
                k.persen_capaian,
                k.pagu,
                k.terserap,
                k.sumber in pemantauan.SUMBER_APBD and a.status not in pemantauan.BERHENTI,
                k.terlambat,
            ), a.kode
        daftar = list(python.values())
        total = pemantauan.total(daftar, "")
        sql = pemantauan.jumlah_sql(
            pemantauan.dengan_angka(Aksi.objects.all(), tahun, hari_ini), tahun
        )
        assert sql == total
        assert sql.rata_capaian == total.rata_capaian


def _banyak(plan, opd, n: int) -> None:
    """``n`` more actions of every kind, with their targets and reports."""
    _acak_aksi(plan, opd, n, seed=n, awalan=f"N{n}-")


def _dasbor(plan):
    return halaman("dasbor", plan.pk, tahun=2025)


def test_list_and_dashboard_read_the_same_at_five_and_fifty_actions(
    client,
    bappeda,
    periode,  # noqa: F811
    dinkes,
    monkeypatch,
    django_assert_num_queries,
):
    monkeypatch.setattr(daftar_aksi, "PER_HALAMAN", 4)
    monkeypatch.setattr(selectors, "BERISIKO_DI_DASBOR", 3)
    dihitung = []
    keadaan = pemantauan.keadaan
    monkeypatch.setattr(
        pemantauan, "keadaan", lambda *a, **kw: dihitung.append(a[0].pk) or keadaan(*a, **kw)
    )
    client.force_login(bappeda)
    daftar = halaman("aksi-list", periode.pk, tahun=2025)
    _banyak(periode, dinkes, 5)
    client.get(daftar)  # warm the content-type cache
    with CaptureQueriesContext(connection) as kecil_daftar:
        assert client.get(daftar).status_code == 200
    with CaptureQueriesContext(connection) as kecil_dasbor:
        assert client.get(_dasbor(periode)).status_code == 200
    _banyak(periode, dinkes, 50)
    assert Aksi.objects.count() == 55
    dihitung.clear()
    # the list: the same queries, the page's rows read with LIMIT, keadaan for those 4 only
    with django_assert_num_queries(len(kecil_daftar)) as besar:
        assert client.get(daftar).status_code == 200
    assert len(dihitung) == 4
    assert any("LIMIT 4" in q["sql"] for q in besar.captured_queries)
    dihitung.clear()
    # the dashboard: the same queries; keadaan only for the 3 actions at risk shown
    with django_assert_num_queries(len(kecil_dasbor)) as besar:
        response = client.get(_dasbor(periode))
    assert len(dihitung) <= 3
    assert any("LIMIT 3" in q["sql"] for q in besar.captured_queries)
    assert response.context["kota"].aksi == 55


def test_the_list_shows_the_hand_computed_plan(client, bappeda, rencana, monkeypatch):  # noqa: F811
    """A1 70 of 100, Rp 150 of 200 jt, late TW III and IV, at risk; A2 done, on time; A3
    nothing reported, at risk (test_dasbor.rencana)."""
    monkeypatch.setattr(daftar_aksi, "PER_HALAMAN", 1)
    client.force_login(bappeda)
    response = client.get(halaman("aksi-list", rencana.pk, tahun=2025))
    ringkas = response.context["ringkas"]
    assert (ringkas.aksi, ringkas.pagu, ringkas.terserap, ringkas.persen_serap) == (
        3,
        D(350) * JT,
        D(250) * JT,
        D("71.4"),
    )
    assert (ringkas.rata_capaian, ringkas.berisiko, ringkas.terlambat) == (D("56.7"), 2, 2)
    assert response.context["jumlah"] == 3
    page = response.content.decode()
    assert "?tahun=2025&amp;halaman=3" in page and "?tahun=2025&amp;unduh=aksi" in page
    [baris] = response.context["baris"]
    k = baris["k"]
    assert (k.aksi.kode, k.capaian, k.persen_capaian, k.terserap, k.terlambat) == (
        "A1",
        D(70),
        D("70.0"),
        D(150) * JT,
        [3, 4],
    )
    assert baris["keadaan"] == "terlambat TW III, IV; berisiko"
    berisiko = client.get(halaman("aksi-list", rencana.pk, tahun=2025, berisiko=1, halaman=2))
    assert [b["k"].aksi.kode for b in berisiko.context["baris"]] == ["A3"]
    assert berisiko.context["ringkas"].terserap == D(150) * JT
    rows = xlsx(client.get(halaman("aksi-list", rencana.pk, tahun=2025, unduh="aksi")))
    assert [r[0] for r in rows[1:]] == ["A1", "A2", "A3"]


def test_the_dashboard_shows_the_furthest_behind_and_downloads_them_all(
    client,
    bappeda,
    rencana,  # noqa: F811
    monkeypatch,
):
    monkeypatch.setattr(selectors, "BERISIKO_DI_DASBOR", 1)
    client.force_login(bappeda)
    response = client.get(_dasbor(rencana))
    tabel = {t.nama: t for t in response.context["tabel"]}
    assert [r["sel"][0][:2] for r in tabel["aksi-berisiko"].baris] == ["A3"]
    assert "1 dari 2 aksi berisiko" in tabel["aksi-berisiko"].catatan
    assert "berisiko=1" in response.context["semua_berisiko"]
    # The years side by side only when asked for: each is a pass over the plan's actions.
    assert "rad-per-tahun" not in tabel
    antartahun = client.get(_dasbor(rencana) + "&antartahun=1").context["tabel"]
    tabel = {t.nama: t for t in antartahun}
    per_tahun = {r["sel"][0]: r["sel"] for r in tabel["rad-per-tahun"].baris}
    assert per_tahun["2025"][1:6] == [3, D("56.7"), D(350) * JT, D(250) * JT, D("71.4")]
    assert per_tahun["2026"][1:4] == [3, None, D(0)]
    unduhan = client.get(_dasbor(rencana) + "&unduh=aksi-berisiko")
    sheet = load_workbook(__import__("io").BytesIO(unduhan.content)).active
    assert [r[0].value[:2] for r in sheet.iter_rows(min_row=2)] == ["A3", "A1"]


def _kotak_dalam_python(opd, hari_ini) -> list[tuple]:
    """The inbox as it was worked out before (pemantauan.muat per year of the window): every
    quarter asking something, by due date then code, with its state and categories."""
    hasil = []
    jendela = inbox.jendela_laporan(hari_ini)
    for tahun in sorted({t for t, _tw in jendela}):
        aksi = Aksi.objects.filter(opd_utama=opd, periode__tahun_mulai__lte=tahun)
        for k in pemantauan.muat(aksi, tahun, hari_ini):
            for tw in (tw for t, tw in jendela if t == tahun):
                status = k.status.get(tw, selectors.BELUM)
                kategori = set()
                if status == alur.Status.DIKEMBALIKAN:
                    kategori.add("dikembalikan")
                if tw in k.terlambat:
                    kategori.add("terlambat")
                if status == alur.Status.MENUNGGU_KEPALA:
                    kategori.add("menunggu_kepala")
                if (
                    status in (selectors.BELUM, alur.Status.DRAFT)
                    and not kategori
                    and k.aksi.status not in pemantauan.BERHENTI
                ):
                    kategori.add("perlu_diisi")
                if kategori:
                    hasil.append((tahun, tw, k.aksi.kode, status, frozenset(kategori), k.target))
    return sorted(hasil, key=lambda i: (i[0], i[1], i[2]))


@pytest.mark.parametrize("hari_ini", [datetime.date(2026, 2, 1), datetime.date(2026, 8, 1)])
def test_the_inbox_read_in_pages_is_the_one_worked_out_in_python(
    periode,  # noqa: F811
    dinkes,
    operator_dinkes,
    monkeypatch,
    hari_ini,
):
    _acak_aksi(periode, dinkes, 60)
    monkeypatch.setattr(inbox, "LAPORAN_PER_HALAMAN", 7)
    semua, nomor = [], 1
    while True:
        kotak = inbox.kotak_laporan(
            user=operator_dinkes, kategori="", hari_ini=hari_ini, halaman=nomor
        )
        assert len(kotak.items) <= 7
        semua += [
            (
                i["tahun"],
                i["triwulan"],
                i["aksi"].kode,
                i["status"],
                frozenset(i["kategori"]),
                i["target"],
            )
            for i in kotak.items
        ]
        if not kotak.halaman.has_next():
            break
        nomor += 1
    python = _kotak_dalam_python(dinkes, hari_ini)
    assert semua == python and kotak.jumlah == len(python)
    for kategori, _label, n in kotak.tabs:
        assert n == sum(kategori in i[4] for i in python)
        saring = inbox.kotak_laporan(
            user=operator_dinkes, kategori=kategori, hari_ini=hari_ini, halaman=1
        )
        assert saring.halaman.paginator.count == n


def test_bappedas_queue_pages_by_fifty_and_downloads_whole(
    client,
    bappeda,
    periode,  # noqa: F811
    dinkes,
    django_assert_num_queries,
):
    _banyak(periode, dinkes, 5)
    Realisasi.objects.update(status=alur.Status.MENUNGGU_VERIFIKASI)
    client.force_login(bappeda)
    url = halaman("tinjauan")
    client.get(url)
    with CaptureQueriesContext(connection) as kecil:
        client.get(url)
    _banyak(periode, dinkes, 50)
    Realisasi.objects.update(status=alur.Status.MENUNGGU_VERIFIKASI)
    semua = Realisasi.objects.count()
    assert semua > 60
    # the same queries with ten times the reports: their count, the page's 50, the agencies
    with django_assert_num_queries(len(kecil)):
        pertama = client.get(url)
    assert len(pertama.context["tabel"].baris) == 50
    terakhir = client.get(
        halaman("tinjauan", halaman=pertama.context["halaman"].paginator.num_pages)
    )
    assert len(terakhir.context["tabel"].baris) == semua - 50 * (
        terakhir.context["halaman"].number - 1
    )
    assert len(xlsx(client.get(halaman("tinjauan", unduh="tinjauan")))) == semua + 1


def test_the_inbox_reads_the_same_at_five_and_fifty_actions(
    client, operator_dinkes, sekretariat, dinkes, django_assert_num_queries
):
    berjalan = services.periode_buat(tahun_mulai=TAHUN - 1, by=sekretariat)  # this year's plan
    client.force_login(operator_dinkes)
    url = halaman("laporan")
    _banyak(berjalan, dinkes, 5)
    client.get(url)
    with CaptureQueriesContext(connection) as kecil:
        client.get(url)
    _banyak(berjalan, dinkes, 50)
    with django_assert_num_queries(len(kecil)) as besar:
        response = client.get(url)
    assert len(response.context["items"]) <= 50
    assert any("LIMIT 50" in q["sql"] and "UNION" in q["sql"] for q in besar.captured_queries)
