"""The RAD pages: who opens what, scoping by agency, the plan period and the city budget, the
action form, the list with its filters and XLSX, the action page, query counts, the demo."""

import datetime
from decimal import Decimal as D
from io import StringIO

import pytest
from django.urls import reverse

from rencana_aksi import pemantauan, services
from rencana_aksi.models import (
    Aksi,
    AksiIndikator,
    AnggaranDaerah,
    Klaster,
    PeriodeRad,
    Realisasi,
    TargetTahunan,
)
from rencana_aksi.services import DataAksi
from tests.conftest import PNG, UserFactory, berkas
from tests.rencana_aksi.bantu import (
    JT,
    LALU,
    LALU_DUA,
    SEKARANG,
    TAHUN,
    buat_aksi,
    geser,
    halaman,
    lapor,
    xlsx,
)

# --- Who opens what -----------------------------------------------------------------------

PERAN = [
    "sekretariat",
    "bappeda",
    "pimpinan",
    "kepala_dinkes",
    "operator_dinkes",
    "operator_dinsos",
    "operator_kasemen",
]
# page → expected status per role, in the order of PERAN. An area operator does not read the
# RAD; Dinas Sosial's operator does not see Dinas Kesehatan's action at all (404); only
# Bappeda, the secretariat and the admin manage the plan; only Bappeda reviews.
MATRIKS = {
    "beranda": [302, 302, 302, 302, 302, 302, 403],
    "aksi-list": [200, 200, 200, 200, 200, 200, 403],
    "aksi-detail": [200, 200, 200, 200, 200, 404, 403],
    "realisasi": [200, 200, 200, 200, 200, 404, 403],
    "periode-detail": [200, 200, 200, 200, 200, 200, 403],
    "periode-dokumen": [200, 200, 200, 200, 200, 200, 403],
    "periode-create": [200, 200, 403, 403, 403, 403, 403],
    "aksi-create": [200, 200, 403, 403, 403, 403, 403],
    "aksi-update": [200, 200, 403, 403, 403, 403, 403],
    "tinjauan": [403, 200, 403, 403, 403, 403, 403],
    "laporan": [200, 200, 200, 200, 200, 200, 403],
}


def alamat(nama, periode, aksi) -> str:
    if nama in ("aksi-list", "aksi-create"):
        return halaman(nama, periode.pk)
    if nama in ("periode-detail", "periode-dokumen"):
        return halaman(nama, periode.pk)
    if nama in ("aksi-detail", "aksi-update"):
        return halaman(nama, aksi.pk)
    if nama == "realisasi":
        return halaman(nama, aksi.pk, *LALU)
    return halaman(nama)


@pytest.mark.parametrize("nama", list(MATRIKS))
def test_every_role_opens_the_pages_it_may_and_no_other(
    client, request, periode, aksi_dinkes, nama, operator_kasemen
):
    people = {p: request.getfixturevalue(p) for p in PERAN}
    url = alamat(nama, periode, aksi_dinkes)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    got = []
    for p in PERAN:
        client.force_login(people[p])
        got.append(client.get(url).status_code)
    assert got == MATRIKS[nama]


def test_the_menu_shows_rad_to_those_who_read_it(client, sekretariat, operator_kasemen):
    client.force_login(sekretariat)
    labels = [str(m["label"]) for m in client.get(reverse("beranda")).context["menu"]]
    assert "RAD KLA" in labels
    client.force_login(operator_kasemen)
    labels = [str(m["label"]) for m in client.get(reverse("beranda")).context["menu"]]
    assert "RAD KLA" not in labels


def test_the_menu_entry_opens_the_plan_in_force(client, bappeda, periode, sekretariat):
    services.periode_buat(tahun_mulai=TAHUN + 4, by=sekretariat)  # a later plan, not in force
    client.force_login(bappeda)
    response = client.get(halaman("beranda"))
    assert response["Location"] == halaman("aksi-list", periode.pk)


def test_without_a_plan_bappeda_is_sent_to_create_it_and_an_agency_is_told(
    client, bappeda, operator_dinkes
):
    client.force_login(bappeda)
    assert client.get(halaman("beranda"))["Location"] == halaman("periode-create")
    client.force_login(operator_dinkes)
    response = client.get(halaman("beranda"))
    assert response.status_code == 200
    assert "belum dimasukkan ke portal" in response.content.decode()


# --- The plan period and the city budget ----------------------------------------------------


def test_bappeda_creates_a_plan_with_its_perwal_document(client, bappeda, operator_dinkes):
    client.force_login(bappeda)
    response = client.post(
        halaman("periode-create"),
        {
            "tahun_mulai": 2025,
            "dasar_hukum": "Peraturan Wali Kota Serang Nomor 12 Tahun 2025",
            "tanggal_penetapan": "2025-03-17",
            "dokumen": berkas("Perwal 12-2025.pdf"),
        },
    )
    periode = PeriodeRad.objects.get()
    assert response["Location"] == halaman("periode-detail", periode.pk)
    assert (periode.tahun_selesai, periode.tanggal_penetapan) == (2029, datetime.date(2025, 3, 17))
    assert periode.dokumen_nama == "Perwal 12-2025.pdf"
    # Every reader of the RAD downloads it; it is never a public file.
    client.force_login(operator_dinkes)
    download = client.get(halaman("periode-dokumen", periode.pk))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_plan_document_must_be_a_pdf_and_plans_may_not_overlap(client, bappeda, periode):
    client.force_login(bappeda)
    response = client.post(
        halaman("periode-create"),
        {"tahun_mulai": TAHUN + 10, "dokumen": berkas("matriks.png", PNG)},
    )
    assert response.status_code == 400
    assert "Dokumen RAD harus berupa PDF" in response.content.decode()
    response = client.post(halaman("periode-create"), {"tahun_mulai": TAHUN + 1})
    assert response.status_code == 400 and "Bertumpang tindih" in response.content.decode()
    assert PeriodeRad.objects.count() == 1


def test_the_legal_basis_is_corrected_and_the_years_stay(client, sekretariat, periode):
    client.force_login(sekretariat)
    client.post(
        halaman("periode-ubah", periode.pk),
        {"dasar_hukum": "Peraturan Wali Kota Serang Nomor 14 Tahun 2025", "tahun_mulai": 1990},
    )
    periode.refresh_from_db()
    assert periode.dasar_hukum.endswith("Nomor 14 Tahun 2025")
    assert periode.tahun_mulai == TAHUN - 1


def test_the_city_budget_is_typed_the_indonesian_way(client, bappeda, pimpinan, periode):
    client.force_login(bappeda)
    response = client.post(
        halaman("anggaran-daerah", periode.pk),
        {f"apbd_{TAHUN}": "1.712.946.800.000", f"apbd_{TAHUN + 1}": "1.768.500.000.000,50"},
    )
    assert response.status_code == 302
    assert dict(AnggaranDaerah.objects.values_list("tahun", "total")) == {
        TAHUN: D("1712946800000"),
        TAHUN + 1: D("1768500000000.50"),
    }
    refused = client.post(halaman("anggaran-daerah", periode.pk), {f"apbd_{TAHUN}": "-5"})
    assert refused.status_code == 400 and "Tidak boleh negatif" in refused.content.decode()
    nol = client.post(halaman("anggaran-daerah", periode.pk), {f"apbd_{TAHUN}": "0"})
    assert nol.status_code == 400 and "harus lebih dari nol" in nol.content.decode()
    assert AnggaranDaerah.objects.get(tahun=TAHUN).total == D("1712946800000")
    # Pimpinan reads it, and may not change it.
    client.force_login(pimpinan)
    assert "1.712.946.800.000" in client.get(halaman("periode-detail", periode.pk)).content.decode()
    post = client.post(halaman("anggaran-daerah", periode.pk), {f"apbd_{TAHUN}": "1"})
    assert post.status_code == 403


# --- The action form ----------------------------------------------------------------------


def data_form(periode, opd, **values):
    data = {
        "kode": "K2.07",
        "nama": "Pembangunan ruang bermain ramah anak",
        "klaster": Klaster.KLASTER_2,
        "indikator_kla": "11, indikator 21a",
        "program_kode": "1.04.04",
        "program": "Program Peningkatan Prasarana, Sarana dan Utilitas Umum (PSU)",
        "kegiatan_kode": "1.04.04.2.01",
        "kegiatan": "Penyelenggaraan PSU di Perumahan",
        "sub_kegiatan_kode": "1.04.04.2.01.0003",
        "sub_kegiatan": "Penyediaan Prasarana, Sarana dan Utilitas Umum",
        "indikator_kinerja": "RBRA terbangun dan terstandar",
        "satuan": "unit",
        "baseline": "1",
        "opd_utama": opd.pk,
        "status": Aksi.Status.BERJALAN,
    }
    for t in periode.tahun_list:
        data |= {f"target_{t}": "2", f"pagu_{t}": "1.800.000.000", f"sumber_{t}": "apbd"}
    return data | values


def test_bappeda_writes_an_action_with_its_years_agencies_and_codes(
    client, bappeda, periode, dinkes, dinsos
):
    client.force_login(bappeda)
    data = data_form(periode, dinkes, opd_pendukung=[dinsos.pk], **{f"pagu_{TAHUN}": "2.500,5"})
    response = client.post(halaman("aksi-create", periode.pk), data)
    aksi = Aksi.objects.get()
    assert response["Location"] == aksi.get_absolute_url()
    assert aksi.opd_utama == dinkes and list(aksi.opd_pendukung.all()) == [dinsos]
    assert sorted(aksi.indikator.values_list("kode", flat=True)) == [
        "Indikator 11",
        "Indikator 21 A",
    ]
    target = TargetTahunan.objects.get(aksi=aksi, tahun=TAHUN)
    assert (target.target, target.pagu, target.sumber_dana) == (D(2), D("2500.5"), "apbd")
    assert aksi.target.count() == 5

    # Editing keeps the code (imports and reports hang on it) and changes what was asked.
    edit = data_form(periode, dinkes, kode="ZZ.99", satuan="taman", **{f"sumber_{TAHUN}": "dak"})
    client.post(halaman("aksi-update", aksi.pk), edit)
    aksi.refresh_from_db()
    assert (aksi.kode, aksi.satuan) == ("K2.07", "taman")
    assert TargetTahunan.objects.get(aksi=aksi, tahun=TAHUN).sumber_dana == "dak"
    page = client.get(aksi.get_absolute_url()).content.decode()
    assert "Satuan: taman" in page and "Aksi dibuat" in page  # the action's history


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"kode": "K3.01"}, "sudah dipakai aksi lain"),
        ({"indikator_kla": "Indikator 99, tujuh"}, "Kode indikator tidak dikenali"),
        ({"sub_kegiatan_kode": "2.08.07.2.01.0001"}, "harus diawali kode di atasnya"),
        ({"kegiatan_kode": "1.04-04"}, "angka dan titik"),
        ({f"target_{TAHUN}": "-3"}, "Tidak boleh negatif"),
        ({f"pagu_{TAHUN}": "satu juta"}, "Tulis angka"),
    ],
)
def test_a_wrong_action_is_refused_with_a_reason(
    client, sekretariat, periode, dinkes, aksi_dinkes, values, message
):
    client.force_login(sekretariat)
    response = client.post(halaman("aksi-create", periode.pk), data_form(periode, dinkes, **values))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Aksi.objects.count() == 1


def test_an_operator_may_not_write_actions(client, operator_dinkes, periode, dinkes, aksi_dinkes):
    client.force_login(operator_dinkes)
    assert (
        client.post(halaman("aksi-create", periode.pk), data_form(periode, dinkes)).status_code
        == 403
    )
    assert client.post(halaman("aksi-update", aksi_dinkes.pk), {}).status_code == 403


# --- The list -------------------------------------------------------------------------------


def kode_di(response) -> list[str]:
    return [row["k"].aksi.kode for row in response.context["baris"]]


def test_an_agency_sees_the_actions_it_leads_or_supports(
    client, operator_dinkes, operator_dinsos, aksi_dinkes, aksi_dinsos, aksi_dinsos_didukung_dinkes
):
    periode = aksi_dinkes.periode
    client.force_login(operator_dinkes)
    assert kode_di(client.get(halaman("aksi-list", periode.pk))) == ["K3.01", "K5.02"]
    client.force_login(operator_dinsos)
    assert kode_di(client.get(halaman("aksi-list", periode.pk))) == ["K5.01", "K5.02"]
    # Another agency's id in the filter shows nothing of that agency's own actions.
    dinkes_id = aksi_dinkes.opd_utama_id
    assert kode_di(client.get(halaman("aksi-list", periode.pk, opd=dinkes_id))) == ["K5.02"]


def test_the_filters(
    client,
    bappeda,
    aksi_dinkes,
    aksi_dinsos,
    aksi_dinsos_didukung_dinkes,
    operator_dinkes,
    kepala_dinkes,
    dinsos,
):
    periode = aksi_dinkes.periode
    services.aksi_simpan(
        periode=periode,
        data=DataAksi(
            kode="K5.01",
            nama=aksi_dinsos.nama,
            klaster=aksi_dinsos.klaster,
            indikator_kinerja=aksi_dinsos.indikator_kinerja,
            satuan=aksi_dinsos.satuan,
            opd_utama=dinsos,
            indikator_kla=["Indikator 21 C"],
            status=Aksi.Status.DITUNDA,
        ),
        by=bappeda,
    )
    # Dinkes reported the quarter before last (on pace); Dinsos's K5.02 did not.
    lapor(aksi_dinkes, LALU_DUA, operator_dinkes, capaian=D(100), kirim=True)
    client.force_login(bappeda)

    def kode(**query):
        return kode_di(client.get(halaman("aksi-list", periode.pk, **query)))

    assert kode() == ["K3.01", "K5.01", "K5.02"]
    assert kode(opd=dinsos.pk) == ["K5.01", "K5.02"]
    assert kode(klaster=Klaster.KLASTER_3) == ["K3.01"]
    assert kode(status=Aksi.Status.DITUNDA) == ["K5.01"]
    assert kode(indikator="Indikator 23 A") == ["K5.02"]
    assert kode(indikator="Indikator 15") == ["K3.01"]  # as linked from the score pages
    assert kode(indikator="Indikator 4") == []
    assert kode(q="jalanan") == ["K5.01"]
    assert kode(q="k3.0") == ["K3.01"]
    # A postponed action is neither late nor at risk; K5.02 reported nothing this year.
    assert "K5.02" in kode(terlambat=1) and "K5.01" not in kode(terlambat=1)
    assert "K5.02" in kode(berisiko=1) and "K5.01" not in kode(berisiko=1)
    assert kode(klaster="tidak-ada", status="x", opd="abc") == ["K3.01", "K5.01", "K5.02"]


def test_the_list_downloads_as_xlsx_in_scope_with_formulas_neutralised(
    client, operator_dinsos, bappeda, periode, dinsos, dinkes, aksi_dinkes
):
    buat_aksi(periode, "K5.09", dinsos, bappeda, nama='=HYPERLINK("http://x")')
    client.force_login(operator_dinsos)
    rows = xlsx(client.get(halaman("aksi-list", periode.pk, unduh="aksi")))
    assert rows[0][:4] == ["Kode", "Aksi", "Klaster", "OPD penanggung jawab"]
    assert [r[0] for r in rows[1:]] == ["K5.09"]
    assert rows[1][1] == '\'=HYPERLINK("http://x")'
    assert rows[1][6] == 100  # the target, a number in the sheet
    client.force_login(bappeda)
    rows = xlsx(client.get(halaman("aksi-list", periode.pk, unduh="aksi")))
    assert [r[0] for r in rows[1:]] == ["K3.01", "K5.09"]


def test_the_list_pages_by_fifty_and_the_xlsx_holds_them_all(client, bappeda, periode, dinkes):
    tambah_banyak(periode, dinkes, 120)
    client.force_login(bappeda)
    first = client.get(halaman("aksi-list", periode.pk))
    assert len(first.context["baris"]) == 50 and first.context["jumlah"] == 120
    third = client.get(halaman("aksi-list", periode.pk, halaman=3))
    assert len(third.context["baris"]) == 20
    rows = xlsx(client.get(halaman("aksi-list", periode.pk, halaman=3, unduh="aksi")))
    assert len(rows) == 121


def tambah_banyak(periode, opd, n, mulai=0):
    """``n`` actions written in bulk, with a target and a supporting agency each (the services
    would take minutes for a thousand)."""
    Aksi.objects.bulk_create(
        Aksi(
            periode=periode,
            kode=f"X{mulai + i:04d}",
            nama=f"Aksi massal {i}",
            klaster=Klaster.KLASTER_4,
            indikator_kinerja="Sekolah ramah anak",
            satuan="sekolah",
            opd_utama=opd,
        )
        for i in range(n)
    )
    baru = list(Aksi.objects.filter(kode__startswith="X", target__isnull=True))
    TargetTahunan.objects.bulk_create(
        TargetTahunan(aksi=a, tahun=TAHUN, target=D(5), pagu=D(1) * JT) for a in baru
    )
    AksiIndikator.objects.bulk_create(AksiIndikator(aksi=a, kode="Indikator 19") for a in baru)
    Aksi.opd_pendukung.through.objects.bulk_create(
        Aksi.opd_pendukung.through(aksi=a, opd=opd) for a in baru[:10]
    )


def test_list_query_count_does_not_grow_with_actions(
    client, sekretariat, periode, dinkes, aksi_dinkes, operator_dinkes, django_assert_num_queries
):
    lapor(aksi_dinkes, LALU, operator_dinkes)
    client.force_login(sekretariat)
    tambah_banyak(periode, dinkes, 10)
    url = halaman("aksi-list", periode.pk)
    client.get(url)  # warm the content-type cache
    # session, user, memberships, 2 permission look-ups, unread notifications: 6; the
    # period, the periods for the picker; the actions, their supporting agencies, KLA
    # codes, targets and reports; the agencies and the KLA codes offered by the filters
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200
    tambah_banyak(periode, dinkes, 1000, mulai=100)
    assert Aksi.objects.count() > 1000
    # the same 15 queries for over 1,000 actions
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200


def test_detail_query_count_does_not_grow_with_the_plan(
    client,
    bappeda,
    periode,
    dinkes,
    aksi_dinkes,
    operator_dinkes,
    kepala_dinkes,
    django_assert_num_queries,
):
    lapor(aksi_dinkes, LALU, operator_dinkes, kirim=True)
    client.force_login(bappeda)
    tambah_banyak(periode, dinkes, 10)
    url = aksi_dinkes.get_absolute_url()
    client.get(url)
    # the 6 of every page; the action with its period and lead agency, its supporting
    # agencies, KLA codes, targets and reports; its history, the supporting agencies of each
    # history record, the targets' history, the agencies named in the history
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200
    tambah_banyak(periode, dinkes, 1000, mulai=100)
    # the same 15 queries with 1,000 more actions in the period
    with django_assert_num_queries(15):
        assert client.get(url).status_code == 200


# --- The action page ------------------------------------------------------------------------


def test_the_action_page_shows_each_year_and_its_quarters(
    client, pimpinan, aksi_dinkes, operator_dinkes, kepala_dinkes
):
    lapor(aksi_dinkes, LALU_DUA, operator_dinkes, capaian=D(30), kirim=True)
    client.force_login(pimpinan)
    response = client.get(aksi_dinkes.get_absolute_url())
    tahunan = response.context["tabel"]
    assert [r["sel"][0] for r in tahunan.baris] == [str(t) for t in aksi_dinkes.periode.tahun_list]
    baris = next(r for r in tahunan.baris if r["sel"][0] == str(LALU_DUA[0]))
    assert baris["sel"][1:5] == [D(100), D(200) * JT, "APBD", D(30)]
    kuartal = {
        (b["tahun"], q["triwulan"]): q for b in response.context["triwulan"] for q in b["kuartal"]
    }
    assert kuartal[LALU_DUA]["status"] == "menunggu_kepala" and not kuartal[LALU_DUA]["terlambat"]
    assert kuartal[geser(SEKARANG, 1)]["dimulai"] is False
    page = response.content.decode()
    assert "Puskesmas ramah anak" in page and "Jumlah layanan ramah anak" in page
    rows = xlsx(client.get(aksi_dinkes.get_absolute_url() + "?unduh=aksi-tahunan"))
    assert rows[0][0] == "Tahun" and len(rows) == 6


def test_another_agencys_action_is_not_found_anywhere(
    client, operator_dinsos, aksi_dinkes, operator_dinkes
):
    laporan = lapor(aksi_dinkes, LALU, operator_dinkes)
    bukti = services.bukti_tambah(realisasi=laporan, berkas=berkas(), by=operator_dinkes)
    client.force_login(operator_dinsos)
    for url in (
        aksi_dinkes.get_absolute_url(),
        laporan.get_absolute_url(),
        reverse("rencana_aksi:lampiran-unduh", args=[bukti.pk]),
    ):
        assert client.get(url).status_code == 404
    for step in ("kirim", "setujui", "tolak"):
        assert client.post(halaman(f"realisasi-{step}", laporan.pk)).status_code == 404
    assert client.post(halaman("lampiran-lepas", bukti.pk)).status_code == 404
    assert Realisasi.objects.get().status == "draft"


# --- The demo -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_plan_loads_twice_without_duplicating():
    from agencies import demo as agencies_demo
    from rencana_aksi import demo

    agencies_demo.seed()
    out = StringIO()
    periode = demo.seed(stdout=out)
    assert "150 aksi" in out.getvalue()
    assert periode.dokumen and periode.dasar_hukum.startswith("Peraturan Wali Kota Serang")
    assert AnggaranDaerah.objects.filter(total__gte=D(1_600_000_000_000)).count() == 5
    aksi = Aksi.objects.filter(periode=periode)
    assert aksi.count() == 150
    assert set(aksi.values_list("klaster", flat=True)) == set(Klaster.values)
    assert aksi.values("opd_utama").distinct().count() >= 25
    assert aksi.filter(sub_kegiatan_kode__regex=r"^\d\.\d\d\.\d\d\.2\.\d\d\.\d{4}$").count() > 100
    states = set(Realisasi.objects.values_list("status", flat=True))
    assert states == {
        "draft",
        "menunggu_kepala",
        "menunggu_verifikasi",
        "terverifikasi",
        "dikembalikan",
    }
    assert Realisasi.objects.filter(status="dikembalikan").exclude(alasan="").exists()
    daftar = pemantauan.muat(aksi, TAHUN)
    assert 5 < sum(k.berisiko for k in daftar) < 60
    assert 5 < sum(bool(k.terlambat) for k in daftar) < 60
    before = (Aksi.objects.count(), Realisasi.objects.count(), TargetTahunan.objects.count())
    demo.seed()
    assert (
        Aksi.objects.count(),
        Realisasi.objects.count(),
        TargetTahunan.objects.count(),
    ) == before
    assert PeriodeRad.objects.count() == 1


def test_people_without_a_role_are_refused(client, periode):
    client.force_login(UserFactory(username="tanpa.peran"))
    assert client.get(halaman("aksi-list", periode.pk)).status_code == 403


def test_an_action_code_differing_only_in_case_is_refused(periode, dinkes, sekretariat):
    from django.core.exceptions import ValidationError

    from tests.rencana_aksi.bantu import buat_aksi

    buat_aksi(periode, "K9.01", dinkes, sekretariat)
    with pytest.raises(ValidationError, match="huruf besar/kecil"):
        buat_aksi(periode, "k9.01", dinkes, sekretariat)
