"""Two kab/kota in one installation: every record carries its own city, made directly or taken
from the record it hangs under, and the city-wide roles of one city read none of the other's.

Kota Serang (36.73) is served first, as in every test; Kota Cilegon (36.72) is added as a
province hosting its cities adds one (services.kabkota_layani).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from agencies import services
from agencies.models import (
    GugusTugas,
    JenisFasilitas,
    Keanggotaan,
    Opd,
    Peran,
    Personil,
    User,
    Wilayah,
)
from clusters.models import Jawaban, SumberData
from koordinasi.models import Rapat, TindakLanjut
from rencana_aksi.models import Aksi, PeriodeRad, TargetTahunan
from tests.conftest import OpdFactory


@pytest.fixture
def cilegon(kota_serang) -> Wilayah:
    return services.kabkota_layani(kode="36.72").kabkota


@pytest.fixture
def dinkes_cilegon(cilegon) -> Opd:
    # The same short name as Kota Serang's Dinkes: short names are unique within a city.
    return OpdFactory(daerah=cilegon, nama="Dinas Kesehatan Kota Cilegon", singkatan="Dinkes")


@pytest.fixture
def sekretariat_cilegon(make_person, cilegon) -> User:
    dp3a = OpdFactory(daerah=cilegon, nama="DP3A Kota Cilegon", singkatan="DP3A")
    return make_person("sekretariat.cilegon", Peran.SEKRETARIAT, opd=dp3a)


@pytest.fixture
def admin_cilegon(cilegon) -> User:
    user = User.objects.create_user(username="admin.cilegon", nama_lengkap="Admin Cilegon")
    services.keanggotaan_tambah(user=user, peran=Peran.ADMIN, by=user, daerah=cilegon)
    return User.objects.get(pk=user.pk)


def _data_kota(kota: Wilayah, opd: Opd, by: User, pertanyaan) -> dict:
    """One record of each kind that belongs to a city, made as the portal makes them."""
    gugus = GugusTugas.objects.create(wilayah=kota, nama=f"Gugus Tugas {kota}")
    personil = Personil.objects.create(nama=f"Anggota {kota}", opd=opd)
    periode = PeriodeRad.objects.create(daerah=kota, tahun_mulai=2025, tahun_selesai=2029)
    aksi = Aksi.objects.create(
        periode=periode, kode="A.1", nama="Posyandu", klaster="klaster_3", opd_utama=opd
    )
    target = TargetTahunan.objects.create(aksi=aksi, tahun=2025, target=10)
    rapat = Rapat.objects.create(
        gugus_tugas=gugus,
        judul=f"Rakor {kota}",
        mulai=timezone.now(),
        selesai=timezone.now() + datetime.timedelta(hours=2),
    )
    tindak = TindakLanjut.objects.create(
        rapat=rapat, opd=opd, keputusan="Lengkapi data", tenggat=timezone.localdate()
    )
    jawaban = Jawaban.objects.create(pertanyaan=pertanyaan, opd=opd)
    kecamatan = Wilayah.objects.di_dalam(kota).kecamatan().first()
    fasilitas = services.fasilitas_simpan(
        wilayah=kecamatan,
        jenis=JenisFasilitas.objects.first(),
        status=1,
        by=by,
        versi=0,
    )
    return {
        "gugus": gugus,
        "personil": personil,
        "periode": periode,
        "aksi": aksi,
        "target": target,
        "rapat": rapat,
        "tindak": tindak,
        "jawaban": jawaban,
        "fasilitas": fasilitas,
    }


@pytest.fixture
def dua_kota(
    kota_serang, cilegon, dinkes, dinkes_cilegon, sekretariat, sekretariat_cilegon, soal_dinkes
):
    return {
        kota_serang: _data_kota(kota_serang, dinkes, sekretariat, soal_dinkes),
        cilegon: _data_kota(cilegon, dinkes_cilegon, sekretariat_cilegon, soal_dinkes),
    }


def test_every_record_carries_the_city_of_the_record_it_hangs_under(dua_kota):
    for kota, data in dua_kota.items():
        for nama, record in data.items():
            assert record.daerah_id == kota.pk, nama


def test_the_city_served_first_and_the_one_added_are_both_served(kota_serang, cilegon):
    assert list(Wilayah.objects.dilayani()) == [cilegon, kota_serang]  # in code order
    # Loading a kab/kota's regions does not serve it: only adding it does.
    lebak = services.wilayah_muat(kode="36.02").kabkota
    assert lebak.dilayani_sejak is None


def test_a_membership_belongs_to_the_city_of_its_agency_or_area(
    sekretariat_cilegon, cilegon, admin_cilegon, kasemen, make_person, kota_serang
):
    operator = make_person("op.kasemen", Peran.OPERATOR_WILAYAH, wilayah=kasemen)
    assert sekretariat_cilegon.daerah_ids() == {cilegon.pk}
    assert admin_cilegon.daerah_ids() == {cilegon.pk}
    assert operator.daerah_ids() == {kota_serang.pk}
    assert Keanggotaan.objects.get(user=operator).daerah == kota_serang


@pytest.mark.parametrize(
    ("model", "kunci"),
    [
        (GugusTugas, "gugus"),
        (Personil, "personil"),
        (Aksi, "aksi"),
        (Rapat, "rapat"),
        (TindakLanjut, "tindak"),
        (Jawaban, "jawaban"),
    ],
)
def test_the_city_wide_roles_of_one_city_read_nothing_of_the_other(
    dua_kota, kota_serang, cilegon, sekretariat, sekretariat_cilegon, model, kunci
):
    serang, lain = dua_kota[kota_serang][kunci], dua_kota[cilegon][kunci]
    assert list(model.objects.visible_to(sekretariat).filter(pk__in=[serang.pk, lain.pk])) == [
        serang
    ]
    assert list(
        model.objects.visible_to(sekretariat_cilegon).filter(pk__in=[serang.pk, lain.pk])
    ) == [lain]


def test_agencies_people_and_facilities_of_the_other_city_are_not_read(
    dua_kota, kota_serang, cilegon, dinkes, dinkes_cilegon, sekretariat, sekretariat_cilegon
):
    assert dinkes_cilegon not in Opd.objects.visible_to(sekretariat)
    assert dinkes in Opd.objects.visible_to(sekretariat)
    assert sekretariat_cilegon not in User.objects.visible_to(sekretariat)
    assert sekretariat in User.objects.visible_to(sekretariat)
    units = Wilayah.objects.fasilitas_visible_to(sekretariat_cilegon)
    assert units.exists()
    assert not units.filter(kode__startswith="36.73.").exists()
    from agencies.models import Fasilitas

    assert list(Fasilitas.objects.visible_to(sekretariat_cilegon)) == [
        dua_kota[cilegon]["fasilitas"]
    ]


def test_a_superuser_operating_the_installation_reads_every_city(dua_kota, kota_serang, cilegon):
    root = User.objects.create_superuser(username="root", password="x", nama_lengkap="Root")
    assert set(Opd.objects.visible_to(root).values_list("daerah_id", flat=True)) == {
        kota_serang.pk,
        cilegon.pk,
    }


def test_short_names_and_plan_years_are_unique_within_a_city_not_across(
    dinkes, dinkes_cilegon, sekretariat_cilegon, admin_cilegon, cilegon, kota_serang
):
    with pytest.raises(ValidationError, match="sudah dipakai"):
        services.opd_buat(nama="Dinas lain", singkatan="dinkes", jenis="dinas", by=admin_cilegon)
    baru = services.opd_buat(
        nama="Dinas Sosial", singkatan="Dinsos", jenis="dinas", by=admin_cilegon
    )
    assert baru.daerah == cilegon
    PeriodeRad.objects.create(daerah=kota_serang, tahun_mulai=2025, tahun_selesai=2029)
    PeriodeRad.objects.create(daerah=cilegon, tahun_mulai=2025, tahun_selesai=2029)
    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodeRad.objects.create(daerah=cilegon, tahun_mulai=2025, tahun_selesai=2029)
    SumberData.objects.create(daerah=kota_serang, nama="Dinas Kesehatan")
    SumberData.objects.create(daerah=cilegon, nama="Dinas Kesehatan")


# --- Pages: each city's people act in their own city only -------------------------------------


def test_an_admin_cannot_open_edit_or_manage_the_other_citys_agencies_and_people(
    client, admin_portal, dinkes_cilegon, sekretariat_cilegon
):
    client.force_login(admin_portal)
    lain = Keanggotaan.objects.get(user=sekretariat_cilegon)
    assert client.get(reverse("agencies:opd-detail", args=[dinkes_cilegon.pk])).status_code == 404
    ubah = reverse("agencies:opd-edit", args=[dinkes_cilegon.pk])
    assert (
        client.post(ubah, {"nama": "Diubah", "singkatan": "X", "jenis": "dinas"}).status_code == 404
    )
    orang = reverse("agencies:pengguna-detail", args=[sekretariat_cilegon.pk])
    assert client.get(orang).status_code == 404
    akhiri = reverse("agencies:keanggotaan-akhiri", args=[lain.pk])
    assert client.post(akhiri, {"alasan": "pindah"}).status_code == 404
    dinkes_cilegon.refresh_from_db()
    lain.refresh_from_db()
    assert dinkes_cilegon.nama == "Dinas Kesehatan Kota Cilegon" and lain.selesai is None


def test_a_role_cannot_be_given_in_the_other_citys_agency(
    client, admin_portal, operator_dinkes, dinkes_cilegon
):
    client.force_login(admin_portal)
    url = reverse("agencies:keanggotaan-tambah", args=[operator_dinkes.pk])
    data = {"peran": Peran.OPERATOR_OPD, "opd": dinkes_cilegon.pk, "mulai": "2026-01-05"}
    response = client.post(url, data, follow=True)
    assert "Peran tidak ditambahkan" in response.content.decode()
    assert not Keanggotaan.objects.filter(opd=dinkes_cilegon).exists()


def test_a_task_force_is_formed_for_ones_own_city_only(
    client, sekretariat_cilegon, cilegon, kota_serang
):
    client.force_login(sekretariat_cilegon)
    halaman = client.get(reverse("koordinasi:gugus-tugas"))
    assert "Kota Cilegon" in halaman.content.decode()
    buat = reverse("koordinasi:gugus-tugas-buat")
    assert client.post(buat, {"wilayah": "36.73"}).status_code == 404
    assert not GugusTugas.objects.exists()
    client.post(buat, {"wilayah": "36.72"})
    assert GugusTugas.objects.get().daerah == cilegon


def test_the_regions_api_and_the_home_figures_are_the_persons_city(
    client, sekretariat_cilegon, cilegon, dinkes_cilegon, dinkes, dinsos
):
    client.force_login(sekretariat_cilegon)
    kode = [w["kode"] for w in client.get("/api/v1/wilayah/?tingkat=3").json()["results"]]
    assert kode and all(k.startswith("36.72.") for k in kode)
    angka = client.get(reverse("beranda")).context["angka_kota"]
    assert angka["opd"] == 2  # Cilegon's Dinkes and DP3A, not Serang's
    assert angka["kecamatan"] == Wilayah.objects.di_dalam(cilegon).kecamatan().count()


# --- Each city its own score ------------------------------------------------------------------


def test_each_city_scores_its_own_answers_and_marks_only_its_own_year(
    client,
    tahun,
    soal_dinsos,
    operator_dinsos,
    sekretariat,
    cilegon,
    kota_serang,
    make_person,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    from decimal import Decimal

    from clusters import services as clusters_services
    from clusters import tasks
    from clusters.models import EvaluasiDaerah, Penugasan, SkorSnapshot

    monkeypatch.setattr(tasks.hitung_skor, "apply_async", lambda *a, **k: None)
    # The same question, led in Cilegon by its own Dinas Sosial.
    dinsos_cilegon = OpdFactory(daerah=cilegon, nama="Dinas Sosial Cilegon", singkatan="Dinsos")
    Penugasan.objects.create(pertanyaan=soal_dinsos, opd=dinsos_cilegon, utama=True)
    operator_cilegon = make_person("op.dinsos.cilegon", Peran.OPERATOR_OPD, opd=dinsos_cilegon)
    # Serang gives itself 6 of 8, Cilegon 3 of 8 (points typed directly).
    clusters_services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal(6)
    )
    with django_capture_on_commit_callbacks(execute=True):
        clusters_services.jawaban_simpan(
            pertanyaan=soal_dinsos, by=operator_cilegon, versi=0, poin_langsung=Decimal(3)
        )
    tanda = dict(EvaluasiDaerah.objects.perlu_dihitung().values_list("daerah_id", "tahun_id"))
    assert tanda == {kota_serang.pk: tahun.pk, cilegon.pk: tahun.pk}
    serang = clusters_services.skor_hitung(tahun=tahun, daerah_id=kota_serang.pk)
    lain = clusters_services.skor_hitung(tahun=tahun, daerah_id=cilegon.pk)
    assert (serang.total_mandiri, lain.total_mandiri) == (Decimal(6), Decimal(3))
    # Each city's mark is cleared by its own recompute only.
    assert not EvaluasiDaerah.objects.perlu_dihitung().exists()
    assert SkorSnapshot.objects.terbaru(tahun, daerah_id=cilegon.pk) == lain
    # Serang's secretariat reads Serang's score, through the page and the API.
    client.force_login(sekretariat)
    halaman = client.get(reverse("skor:ringkasan", args=[tahun.tahun]))
    assert halaman.context["snapshot"] == serang
    api = client.get(f"/api/v1/skor/{tahun.tahun}/").json()
    assert api["snapshot"]["id"] == serang.pk


# --- Each city its own RAD plan ---------------------------------------------------------------


def test_another_citys_plan_is_not_found_on_the_pages_or_through_the_api(
    client, dua_kota, cilegon, kota_serang, sekretariat, dinkes
):
    from tests.rencana_aksi.test_api_rad_tulis import aksi_baru

    lain = dua_kota[cilegon]["periode"]
    client.force_login(sekretariat)
    for nama in ("periode-detail", "periode-dokumen"):
        assert client.get(reverse(f"rencana_aksi:{nama}", args=[lain.pk])).status_code == 404
    for nama, data in (
        ("periode-ubah", {"dasar_hukum": "X"}),
        ("anggaran-daerah", {"tahun": 2025}),
    ):
        assert client.post(reverse(f"rencana_aksi:{nama}", args=[lain.pk]), data).status_code == 404
    lain.refresh_from_db()
    assert lain.dasar_hukum == ""
    for nama in ("aksi-list", "aksi-create", "dasbor"):
        assert client.get(reverse(f"rencana_aksi:{nama}", args=[lain.pk])).status_code == 404
    daftar = client.get("/api/v1/rad/periode/").json()["results"]
    assert [p["id"] for p in daftar] == [dua_kota[kota_serang]["periode"].pk]
    assert client.get(f"/api/v1/rad/periode/{lain.pk}/").status_code == 404
    assert client.get(f"/api/v1/rad/aksi/?periode={lain.pk}").status_code == 404
    # An action written into another city's plan by its id is refused; nothing is written.
    jumlah = Aksi.objects.count()
    ditolak = client.post(
        "/api/v1/rad/aksi/", aksi_baru(lain, dinkes), content_type="application/json"
    )
    assert ditolak.status_code == 400
    assert "periode" in str(ditolak.json())
    assert Aksi.objects.count() == jumlah


def test_a_question_page_shows_and_saves_the_persons_own_citys_answer(
    client, tahun, soal_dinsos, soal_kelurahan, operator_dinsos, sekretariat, cilegon, make_person
):
    from decimal import Decimal

    from clusters import services as clusters_services
    from clusters.models import Jawaban, Penugasan

    dinsos_cilegon = OpdFactory(daerah=cilegon, nama="Dinas Sosial Cilegon", singkatan="Dinsos")
    Penugasan.objects.create(pertanyaan=soal_dinsos, opd=dinsos_cilegon, utama=True)
    operator_cilegon = make_person("op.dinsos.cilegon", Peran.OPERATOR_OPD, opd=dinsos_cilegon)
    lain = clusters_services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_cilegon, versi=0, poin_langsung=Decimal(3)
    )
    assert lain.daerah == cilegon and lain.opd == dinsos_cilegon
    # Serang has not answered yet: its page shows an empty answer for its own lead agency.
    client.force_login(operator_dinsos)
    url = reverse("clusters:pertanyaan-detail", args=[soal_dinsos.pk])
    kursi = client.get(url).context["jawaban"]
    assert kursi.pk is None and kursi.opd.daerah_id == operator_dinsos.daerah_id
    serang = clusters_services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal(6)
    )
    assert client.get(url).context["jawaban"] == serang
    lain.refresh_from_db()
    assert (lain.poin_langsung, Jawaban.objects.count()) == (Decimal(3), 2)
    # A kelurahan of Cilegon named in the address of Serang's page: not found.
    client.force_login(sekretariat)
    kelurahan_lain = Wilayah.objects.di_dalam(cilegon).desa_kelurahan().first()
    unit = reverse("clusters:pertanyaan-unit", args=[soal_kelurahan.pk, kelurahan_lain.kode])
    assert client.get(unit).status_code == 404
