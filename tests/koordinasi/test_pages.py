"""The coordination pages: who opens what (another agency's or unit's ids give 404), query
counts that do not grow with the data, the menu, English, and the demo."""

import datetime
from io import StringIO

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from agencies import services as agencies_services
from agencies.models import Fasilitas, JenisFasilitas, Personil, Wilayah
from koordinasi import services
from koordinasi.models import Rapat, TindakLanjut, Undangan
from tests.conftest import UserFactory, berkas
from tests.koordinasi.conftest import data_rapat

PERAN = [
    "sekretariat",
    "bappeda",
    "pimpinan",
    "kepala_dinkes",
    "operator_dinkes",
    "operator_dinsos",
    "operator_kasemen",
    "operator_serang",
    "camat_serang",
    "lurah_cipare",
]
# page → expected status per role, in the order of PERAN. Dinas Sosial is not invited to next
# week's meeting nor owns the follow-up (404). A meeting of the city's task force invites the
# Kecamatan Serang office: its camat and Serang's kecamatan operator see it, its minutes, its
# follow-up and the evidence; the lurah of Cipare (a kelurahan of Serang) does not (404), nor
# anyone else. Kecamatan Serang's own task force (its page, decree, members) is read by
# city-wide roles, Serang's operator, its camat and Serang's lurah; other agencies and another
# kecamatan's operator get 404. Only the secretariat schedules the city's meetings; Serang's
# operator schedules Serang's (rapat-baru takes them to their own task force). The lurah does
# not see Kecamatan Serang's unit page (404) and goes from the facility list to their
# kelurahan (302); only city-wide roles read the effectiveness panel.
MATRIKS = {
    "beranda": [302, 302, 302, 302, 302, 302, 302, 302, 302, 302],
    "gugus-tugas": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "kalender": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "rapat-detail": [200, 200, 200, 200, 200, 404, 404, 404, 404, 404],
    "rapat-ics": [200, 200, 200, 200, 200, 404, 404, 404, 404, 404],
    "rapat-baru": [200, 403, 403, 403, 403, 403, 403, 200, 403, 403],
    "rapat-ubah": [200, 403, 403, 403, 403, 404, 404, 404, 404, 404],
    "rapat-kecamatan": [200, 200, 200, 404, 404, 404, 404, 200, 200, 404],
    "rapat-kecamatan-ics": [200, 200, 200, 404, 404, 404, 404, 200, 200, 404],
    "notulen-kecamatan": [200, 200, 200, 404, 404, 404, 404, 200, 200, 404],
    "tindak-lanjut": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "tindak-lanjut-detail": [200, 200, 200, 200, 200, 404, 404, 404, 404, 404],
    "tindak-lanjut-kecamatan": [200, 200, 200, 404, 404, 404, 404, 200, 200, 404],
    "bukti-kecamatan": [200, 200, 200, 404, 404, 404, 404, 200, 200, 404],
    "fasilitas": [200, 200, 200, 200, 200, 200, 302, 302, 200, 302],
    "fasilitas-unit": [200, 200, 200, 200, 200, 200, 404, 200, 200, 404],
    "fasilitas-kelurahan": [200, 200, 200, 200, 200, 200, 404, 200, 200, 200],
    "efektivitas": [200, 200, 200, 403, 403, 403, 403, 403, 403, 403],
    "langganan": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "personil": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200],
    "gugus-tugas-kecamatan": [200, 200, 200, 404, 404, 404, 404, 200, 200, 200],
    "sk-kecamatan": [200, 200, 200, 404, 404, 404, 404, 200, 200, 200],
    "personil-kecamatan": [200, 200, 200, 404, 404, 404, 404, 200, 200, 200],
}


@pytest.fixture
def kecamatan_serang(gugus_kota, kantor_kec_serang, sekretariat):
    """A meeting of the city's task force last week that invited the Kecamatan Serang office,
    with its signed minutes and a follow-up of the office with evidence; and Kecamatan Serang's
    own task force with its decree file and a member of the office."""
    rapat = services.rapat_jadwalkan(
        gugus_tugas=gugus_kota,
        data=data_rapat("Rakor kecamatan", hari=-7),
        opd=[kantor_kec_serang],
        by=sekretariat,
        kabari=False,
    )
    services.notulen_simpan(
        rapat=rapat,
        notulen="Notulen",
        berkas=berkas("notulen.pdf"),
        versi=rapat.versi,
        by=sekretariat,
    )
    tindak = services.tindak_lanjut_tambah(
        rapat=rapat,
        keputusan="Data PATBM kelurahan",
        opd=kantor_kec_serang,
        tenggat=timezone.localdate(),
        by=sekretariat,
        kabari=False,
    )
    tindak = services.tindak_lanjut_perbarui(
        tindak_lanjut=tindak,
        status="berjalan",
        hasil="Sedang dihimpun",
        berkas=[berkas("bukti-patbm.pdf")],
        versi=tindak.versi,
        by=sekretariat,
    )
    gugus = agencies_services.gugus_tugas_buat(wilayah=kantor_kec_serang.wilayah, by=sekretariat)
    sk = agencies_services.sk_gugus_tugas_tambah(
        gugus_tugas=gugus,
        nomor="400/12/Kec.Srg/2025",
        tanggal=datetime.date(2025, 3, 1),
        berlaku_mulai=datetime.date(2025, 3, 1),
        berkas=berkas("sk-kecamatan.pdf"),
        by=sekretariat,
    )
    orang = agencies_services.personil_simpan(
        nama="Sekretaris Camat", opd=kantor_kec_serang, by=sekretariat
    )
    agencies_services.anggota_tambah(
        gugus_tugas=gugus, personil=orang, unsur="pimpinan", by=sekretariat
    )
    return {"rapat": rapat, "tindak": tindak, "gugus": gugus, "sk": sk, "personil": orang}


def alamat(nama, rapat, tindak, personil, kec) -> str:
    halaman = {
        "rapat-detail": ("rapat-detail", rapat.pk),
        "rapat-ics": ("rapat-ics", rapat.pk),
        "rapat-ubah": ("rapat-ubah", rapat.pk),
        "rapat-kecamatan": ("rapat-detail", kec["rapat"].pk),
        "rapat-kecamatan-ics": ("rapat-ics", kec["rapat"].pk),
        "notulen-kecamatan": ("notulen-unduh", kec["rapat"].pk),
        "tindak-lanjut-detail": ("tindak-lanjut-detail", tindak.pk),
        "tindak-lanjut-kecamatan": ("tindak-lanjut-detail", kec["tindak"].pk),
        "bukti-kecamatan": ("lampiran-unduh", kec["tindak"].lampiran.get().pk),
        "fasilitas-unit": ("fasilitas-unit", "36.73.01"),
        "fasilitas-kelurahan": ("fasilitas-unit", "36.73.01.1002"),
        "personil": ("personil", personil.pk),
        "gugus-tugas-kecamatan": ("gugus-tugas-detail", kec["gugus"].pk),
        "sk-kecamatan": ("sk-unduh", kec["sk"].pk),
        "personil-kecamatan": ("personil", kec["personil"].pk),
    }
    if nama in halaman:
        nama_url, arg = halaman[nama]
        return reverse(f"koordinasi:{nama_url}", args=[arg])
    return reverse(f"koordinasi:{nama}")


@pytest.mark.parametrize("nama", list(MATRIKS))
def test_every_role_opens_the_pages_it_may_and_no_other(
    client, request, rapat_depan, tindak_dinkes, anggota, dinkes, kecamatan_serang, nama
):
    people = {p: request.getfixturevalue(p) for p in PERAN}
    personil = anggota("Siti", dinkes).personil
    url = alamat(nama, rapat_depan, tindak_dinkes, personil, kecamatan_serang)
    assert client.get(url).status_code == 302  # anonymous: to the login page
    got = []
    for p in PERAN:
        client.force_login(people[p])
        got.append(client.get(url).status_code)
    assert got == MATRIKS[nama]


def test_the_lurah_does_not_get_the_kecamatan_office_meetings_in_their_feed(
    client, lurah_cipare, operator_serang, kecamatan_serang
):
    from koordinasi.models import TokenKalender

    judul = []
    for orang in (lurah_cipare, operator_serang):
        token = services.token_kalender_ambil(user=orang)
        isi = client.get(reverse("koordinasi:ics", args=[token.token])).content.decode()
        judul.append("Rakor kecamatan" in isi)
    assert judul == [False, True]
    assert TokenKalender.objects.count() == 2
    # Nor in the follow-up list.
    client.force_login(lurah_cipare)
    assert (
        client.get(reverse("koordinasi:tindak-lanjut") + "?status=semua").context["tabel"].baris
        == []
    )


def test_people_without_a_role_are_refused(client, gugus_kota):
    client.force_login(UserFactory(username="tanpa.peran"))
    for nama in ("kalender", "gugus-tugas", "tindak-lanjut", "fasilitas"):
        assert client.get(reverse(f"koordinasi:{nama}")).status_code == 403


def test_the_menu_has_one_coordination_entry_for_every_role(client, sekretariat, lurah_cipare):
    for person in (sekretariat, lurah_cipare):
        client.force_login(person)
        labels = [str(m["label"]) for m in client.get(reverse("beranda")).context["menu"]]
        assert labels.count("Koordinasi") == 1


def test_the_pages_are_in_english_when_chosen(client, sekretariat, rapat_lalu, tindak_dinkes):
    client.force_login(sekretariat)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    for url, text in (
        (reverse("koordinasi:kalender"), "Coordination meeting calendar"),
        (rapat_lalu.get_absolute_url(), "Invitations and attendance"),
        (reverse("koordinasi:gugus-tugas"), "KHA-trained by sub-team"),
        (reverse("koordinasi:fasilitas"), "Kecamatan and kelurahan facilities"),
        (reverse("koordinasi:efektivitas"), "Coordination effectiveness"),
    ):
        assert text in client.get(url).content.decode()
    translation.activate("id")


# --- Query counts -------------------------------------------------------------------------


def banyak_rapat(gugus, by, opd, n, hari=1):
    """``n`` meetings this month with their invitations and a follow-up each, written in bulk
    (scheduling through the service for hundreds would only slow the test)."""
    data = data_rapat(hari=0)
    awal = Rapat.objects.count()
    rapat = Rapat.objects.bulk_create(
        Rapat(
            gugus_tugas=gugus,
            judul=f"Rapat massal {awal + i}",
            mulai=data.mulai.replace(day=1) + datetime.timedelta(hours=i % 20),
            selesai=data.mulai.replace(day=1) + datetime.timedelta(hours=i % 20 + 1),
            agenda="x",
            tempat="y",
        )
        for i in range(n)
    )
    Undangan.objects.bulk_create(Undangan(rapat=r, opd=o) for r in rapat for o in opd)
    TindakLanjut.objects.bulk_create(
        TindakLanjut(rapat=r, keputusan="z", opd=opd[0], tenggat=data.mulai.date()) for r in rapat
    )


def test_calendar_query_count_does_not_grow_with_meetings(
    client, sekretariat, gugus_kota, dinkes, dinsos, django_assert_num_queries
):
    banyak_rapat(gugus_kota, sekretariat, [dinkes, dinsos], 3)
    client.force_login(sekretariat)
    url = reverse("koordinasi:kalender")
    client.get(url)  # warm the content-type cache
    # session, user, memberships (with the person's city, for the title), 2 permission
    # look-ups (the menu), unread notifications: 6 of every page; the month's meetings with
    # their invitation and follow-up counts
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
    banyak_rapat(gugus_kota, sekretariat, [dinkes, dinsos], 200)
    # the same 7 queries with 200 more meetings
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(7):  # the list view and its XLSX read the same
        assert client.get(url + "?tampilan=daftar").status_code == 200


def test_an_agency_calendar_query_count_does_not_grow_either(
    client, operator_dinkes, gugus_kota, sekretariat, dinkes, dinsos, django_assert_num_queries
):
    banyak_rapat(gugus_kota, sekretariat, [dinkes, dinsos], 3)
    client.force_login(operator_dinkes)
    url = reverse("koordinasi:kalender")
    client.get(url)
    # the 6 of every page; the meetings its agency is invited to (one query with a subquery)
    with django_assert_num_queries(7) as small:
        client.get(url)
    banyak_rapat(gugus_kota, sekretariat, [dinkes, dinsos], 200)
    # the same queries with 200 more meetings
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


def test_task_force_page_query_count_does_not_grow_with_members(
    client, sekretariat, gugus_kota, dinkes, dinsos, django_assert_num_queries
):
    def tambah(n, mulai):
        orang = Personil.objects.bulk_create(
            Personil(nama=f"Anggota {mulai + i}", opd=dinkes if i % 2 else dinsos) for i in range(n)
        )
        sub = list(gugus_kota.sub_tim.all())
        gugus_kota.anggota.bulk_create(
            gugus_kota.anggota.model(
                gugus_tugas=gugus_kota, personil=p, unsur="teknis", sub_tim=sub[i % 6]
            )
            for i, p in enumerate(orang)
        )
        for p in orang[::3]:
            agencies_services.pelatihan_catat(
                personil=p, tanggal=datetime.date(2024, 1, 2), penyelenggara="X", by=sekretariat
            )

    tambah(6, 0)
    client.force_login(sekretariat)
    url = reverse("koordinasi:gugus-tugas")
    client.get(url)
    # the 6 of every page; the person's city's task force, its seats with people, agencies,
    # sub-teams and training, the decree in force and every decree, the kecamatan task forces
    # and the kecamatan without one (to form); the add-member form's people, agencies,
    # accounts and sub-teams; the move form's seats and sub-teams
    with django_assert_num_queries(18) as small:
        assert client.get(url).status_code == 200
    tambah(120, 100)
    # the same queries with 120 more members
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_coverage_matrix_query_count_does_not_grow_with_the_register(
    client, pimpinan, kota_serang, sekretariat, django_assert_num_queries
):
    jenis = list(JenisFasilitas.objects.all())
    units = list(Wilayah.objects.di_dalam(kota_serang).filter(tingkat__gte=3))
    Fasilitas.objects.bulk_create(
        Fasilitas(wilayah=u, jenis=j, status=2)
        for u in units[:5]
        for j in jenis
        if j.berlaku_untuk(u.tingkat)
    )
    client.force_login(pimpinan)
    url = reverse("koordinasi:fasilitas")
    client.get(url)
    # the 6 of every page; the kinds, the units of the person's city, the register; the
    # newest evaluation year (no question mapped here, so no answers to read)
    with django_assert_num_queries(10) as small:
        assert client.get(url).status_code == 200
    Fasilitas.objects.all().delete()
    Fasilitas.objects.bulk_create(
        Fasilitas(wilayah=u, jenis=j, status=1 + (u.pk % 3))
        for u in units
        for j in jenis
        if j.berlaku_untuk(u.tingkat)
    )
    assert Fasilitas.objects.count() > 800
    # the same queries for a register of over 800 facilities
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


# --- The demo -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_loads_twice_without_duplicating():
    from agencies import demo as agencies_demo
    from koordinasi import demo

    agencies_demo.seed()
    out = StringIO()
    gugus = demo.seed(stdout=out)
    assert "anggota" in out.getvalue()
    assert gugus.anggota.aktif().count() >= 30
    assert gugus.sk.count() == 2 and gugus.sk.filter(diganti_oleh__isnull=True).count() == 1
    rapat = Rapat.objects.filter(gugus_tugas=gugus)
    assert rapat.filter(status="terlaksana").count() >= 8
    assert rapat.filter(status="dibatalkan").count() == 1
    assert rapat.filter(status="dijadwalkan").exists()
    kehadiran = set(Undangan.objects.values_list("kehadiran", flat=True))
    assert {"hadir", "diwakili", "tidak_hadir"} <= kehadiran
    assert TindakLanjut.objects.filter(status="selesai").exists()
    assert TindakLanjut.objects.lewat_tenggat().exists()
    # The README's walk-through: operator.dinkes finds an open follow-up to close.
    assert TindakLanjut.objects.filter(opd__singkatan="Dinkes").exclude(status="selesai").exists()
    patbm = Fasilitas.objects.filter(jenis__kode="patbm", status__gte=1).count()
    assert 2 <= patbm <= 10  # a realistic minority of 67 kelurahan
    before = (Rapat.objects.count(), Fasilitas.objects.count(), Personil.objects.count())
    demo.seed()
    assert (Rapat.objects.count(), Fasilitas.objects.count(), Personil.objects.count()) == before
    assert services.ringkasan_rapat(rapat.first())


def test_the_technical_admin_reads_coordination_and_changes_nothing(
    client, admin_portal, rapat_lalu, tindak_dinkes, operator_dinkes
):
    from koordinasi.models import TokenKalender

    admin_portal.is_staff = admin_portal.is_superuser = True
    admin_portal.save()
    services.token_kalender_ambil(user=operator_dinkes)
    client.force_login(admin_portal)
    for model in ("rapat", "tindaklanjut", "tokenkalender"):
        assert client.get(reverse(f"admin:koordinasi_{model}_changelist")).status_code == 200
    halaman = client.get(reverse("admin:koordinasi_rapat_change", args=[rapat_lalu.pk]))
    assert halaman.status_code == 200 and not halaman.context["has_change_permission"]
    assert client.get(reverse("admin:koordinasi_rapat_add")).status_code == 403
    token = TokenKalender.objects.get()
    assert (
        token.token
        not in client.get(
            reverse("admin:koordinasi_tokenkalender_change", args=[token.pk])
        ).content.decode()
    )
