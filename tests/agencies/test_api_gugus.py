# ruff: noqa: F811
"""The task force and facility register API: each role against each endpoint with others'
ids, the pages' rules and services, stale versions, wrong input, flat query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agencies import services
from agencies.models import (
    AnggotaGugusTugas,
    Fasilitas,
    JenisFasilitas,
    PelatihanKha,
    Personil,
    Wilayah,
)
from tests.conftest import OpdFactory, berkas

# The task force fixtures of coordination, used here as arguments (hence F811 above).
from tests.koordinasi.conftest import anggota, gugus_kota, operator_serang  # noqa: F401

PROBLEM = "application/problem+json"
JSON = "application/json"


@pytest.fixture
def masuk(client, request):
    def login(peran: str):
        if peran != "anonim":
            client.force_login(request.getfixturevalue(peran))
        return client

    return login


@pytest.fixture
def gugus_kasemen(kasemen, operator_kasemen, gugus_kota):
    return services.gugus_tugas_buat(wilayah=kasemen, by=operator_kasemen)


@pytest.fixture
def gugus_serang(kota_serang, sekretariat, gugus_kota):
    return services.gugus_tugas_buat(wilayah=Wilayah.objects.get(kode="36.73.01"), by=sekretariat)


def tolak(response, status: int) -> dict:
    if status == 401:
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == response.status_code and body["detail"]
    return body


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


# --- Task forces --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "peran, terlihat",
    [
        ("sekretariat", {"kota", "kasemen", "serang"}),
        ("bappeda", {"kota", "kasemen", "serang"}),
        ("pimpinan", {"kota", "kasemen", "serang"}),
        ("operator_dinkes", {"kota"}),
        ("kepala_dinkes", {"kota"}),
        ("operator_kasemen", {"kota", "kasemen"}),
        ("lurah_cipare", {"kota", "serang"}),  # reads their kecamatan's, keeps nothing
        ("anonim", None),
    ],
)
def test_task_forces_are_scoped_as_the_pages(
    masuk,
    gugus_kota,
    gugus_kasemen,
    gugus_serang,
    peran,
    terlihat,
):
    client = masuk(peran)
    nama = {gugus_kota.pk: "kota", gugus_kasemen.pk: "kasemen", gugus_serang.pk: "serang"}
    if terlihat is None:
        tolak(client.get("/api/v1/gugus-tugas/"), 401)
        tolak(client.get(f"/api/v1/gugus-tugas/{gugus_kota.pk}/"), 401)
        return
    assert {nama[i] for i in ids(client.get("/api/v1/gugus-tugas/"))} == terlihat
    for pk, n in nama.items():
        response = client.get(f"/api/v1/gugus-tugas/{pk}/")
        if n in terlihat:
            assert response.status_code == 200
        else:
            tolak(response, 404)


def test_a_task_force_with_its_decree_sub_teams_and_counts(
    client,
    pimpinan,
    gugus_kota,
    anggota,
    dinkes,
    dinsos,
):
    anggota("dr. Hendra", dinkes, terlatih=True)
    anggota("Budi", dinsos, unsur=AnggotaGugusTugas.Unsur.PIMPINAN)
    client.force_login(pimpinan)
    data = client.get(f"/api/v1/gugus-tugas/{gugus_kota.pk}/").json()
    assert data["sk_berlaku"]["nomor"] == "463/Kep.112-Huk/2025"
    assert data["sk_berlaku"]["berkas"].endswith(f"/koordinasi/sk/{data['sk_berlaku']['id']}/")
    assert len(data["sub_tim"]) == 6 and data["sub_tim"][0]["nama"] == "Kelembagaan"
    assert (data["jumlah_anggota"], data["jumlah_teknis"], data["jumlah_terlatih"]) == (2, 1, 1)
    assert data["wilayah"]["kode"] == "36.73"


def test_task_force_list_queries_do_not_grow(
    client,
    sekretariat,
    gugus_kota,
    kota_serang,
    django_assert_num_queries,
):
    client.force_login(sekretariat)
    kecamatan = list(Wilayah.objects.kecamatan().filter(induk=kota_serang).order_by("kode"))
    services.gugus_tugas_buat(wilayah=kecamatan[0], by=sekretariat)
    client.get("/api/v1/gugus-tugas/")
    with CaptureQueriesContext(connection) as sedikit:
        client.get("/api/v1/gugus-tugas/")
    for kec in kecamatan[1:]:
        gugus = services.gugus_tugas_buat(wilayah=kec, by=sekretariat)
        services.sk_gugus_tugas_tambah(
            gugus_tugas=gugus,
            nomor=f"SK {kec.kode}",
            tanggal=datetime.date(2025, 1, 2),
            berlaku_mulai=datetime.date(2025, 1, 2),
            by=sekretariat,
        )
    with django_assert_num_queries(len(sedikit)):
        assert len(ids(client.get("/api/v1/gugus-tugas/"))) == len(kecamatan) + 1


# --- Members ------------------------------------------------------------------------------


def kursi_baru(gugus, opd, **values) -> dict:
    return {
        "gugus_tugas": gugus.pk,
        "nama": "Hj. Ratna Komalasari",
        "jabatan_dinas": "Ketua TP PKK",
        "opd": opd.pk,
        "unsur": "pimpinan",
    } | values


@pytest.mark.parametrize(
    "peran, status",
    [
        ("sekretariat", 201),
        ("operator_dinkes", 403),
        ("kepala_dinkes", 403),
        ("bappeda", 403),
        ("pimpinan", 403),
        ("operator_kasemen", 403),  # reads the city's task force, keeps their own only
        ("lurah_cipare", 403),
        ("anonim", 401),
    ],
)
def test_members_are_added_by_who_keeps_the_task_force(
    masuk,
    gugus_kota,
    dinkes,
    peran,
    status,
):
    client = masuk(peran)
    response = client.post("/api/v1/anggota-gugus-tugas/", kursi_baru(gugus_kota, dinkes), JSON)
    if status == 201:
        assert response.status_code == 201, response.content
        data = response.json()
        assert (data["personil"]["nama"], data["jabatan"], data["terlatih"]) == (
            "Hj. Ratna Komalasari",
            "anggota",
            False,
        )
        assert data["sk"] == gugus_kota.sk.berlaku().pk
        return
    tolak(response, status)
    assert not AnggotaGugusTugas.objects.exists() and not Personil.objects.exists()


def test_a_kecamatan_operator_keeps_only_their_own_task_force(
    client, operator_kasemen, sekretariat, gugus_kasemen, gugus_serang, kasemen
):
    kantor = OpdFactory(nama="Kecamatan Kasemen", singkatan="Kec. Kasemen", wilayah=kasemen)
    client.force_login(operator_kasemen)
    lain = tolak(
        client.post("/api/v1/anggota-gugus-tugas/", kursi_baru(gugus_serang, kantor), JSON), 400
    )
    assert "gugus_tugas" in lain["errors"]
    sendiri = client.post("/api/v1/anggota-gugus-tugas/", kursi_baru(gugus_kasemen, kantor), JSON)
    assert sendiri.status_code == 201
    kursi_serang = services.anggota_baru_tambah(
        gugus_tugas=gugus_serang,
        nama="Pak RT",
        opd=kantor,
        unsur="teknis",
        by=sekretariat,
    )
    # another kecamatan's seat is not found, and ending it changes nothing
    tolak(client.get(f"/api/v1/anggota-gugus-tugas/{kursi_serang.pk}/"), 404)
    akhiri = {"alasan": "Mutasi"}
    tolak(client.post(f"/api/v1/anggota-gugus-tugas/{kursi_serang.pk}/akhiri/", akhiri, JSON), 404)
    assert AnggotaGugusTugas.objects.get(pk=kursi_serang.pk).selesai is None


@pytest.mark.parametrize(
    "isian, kolom",
    [
        ({"unsur": "relawan"}, "unsur"),
        ({"mulai": "awal tahun"}, "mulai"),
        ({"opd": "Dinkes"}, "opd"),
        ({"nama": "", "personil": None}, "non_field_errors"),
        ({"personil": 999999}, "personil"),
        ({"gugus_tugas": "kota"}, "gugus_tugas"),
        ({"hobi": "catur"}, "hobi"),
    ],
)
def test_a_wrong_member_is_400_and_changes_nothing(
    client,
    sekretariat,
    gugus_kota,
    dinkes,
    isian,
    kolom,
):
    client.force_login(sekretariat)
    data = kursi_baru(gugus_kota, dinkes) | isian
    body = tolak(client.post("/api/v1/anggota-gugus-tugas/", data, JSON), 400)
    assert kolom in body["errors"]
    assert not AnggotaGugusTugas.objects.exists() and not Personil.objects.exists()


def test_a_second_chair_is_refused_by_the_service_and_leaves_no_person(
    client,
    sekretariat,
    gugus_kota,
    dinkes,
):
    client.force_login(sekretariat)
    ketua = kursi_baru(gugus_kota, dinkes, jabatan="ketua")
    assert client.post("/api/v1/anggota-gugus-tugas/", ketua, JSON).status_code == 201
    kedua = ketua | {"nama": "Orang Lain"}
    body = tolak(client.post("/api/v1/anggota-gugus-tugas/", kedua, JSON), 400)
    assert body["errors"] == {"jabatan": ["Gugus Tugas ini sudah memiliki ketua."]}
    assert Personil.objects.count() == 1


def test_a_seat_is_moved_and_ended_through_the_services(
    client,
    sekretariat,
    operator_dinkes,
    gugus_kota,
    anggota,
    dinkes,
):
    kursi = anggota("dr. Hendra", dinkes)
    url = f"/api/v1/anggota-gugus-tugas/{kursi.pk}/"
    client.force_login(operator_dinkes)
    tolak(client.post(url + "akhiri/", {"alasan": "Mutasi"}, JSON), 403)
    client.force_login(sekretariat)
    sub = gugus_kota.sub_tim.order_by("urutan")[2]
    pindah = client.post(
        url + "pindah/", {"jabatan": "koordinator", "sub_tim": sub.pk, "unsur": "teknis"}, JSON
    )
    assert pindah.status_code == 200, pindah.content
    baru = pindah.json()
    assert (baru["jabatan"], baru["sub_tim"]["id"]) == ("koordinator", sub.pk)
    assert AnggotaGugusTugas.objects.get(pk=kursi.pk).alasan_selesai == services.ALASAN_PINDAH
    aktif = ids(client.get(f"/api/v1/anggota-gugus-tugas/?gugus_tugas={gugus_kota.pk}&aktif=true"))
    assert aktif == [baru["id"]]
    akhir = f"/api/v1/anggota-gugus-tugas/{baru['id']}/akhiri/"
    tanpa_alasan = tolak(client.post(akhir, {"alasan": ""}, JSON), 400)
    assert "alasan" in tanpa_alasan["errors"]
    selesai = client.post(akhir, {"alasan": "Mutasi ke provinsi"}, JSON)
    assert selesai.status_code == 200 and selesai.json()["selesai"]
    lagi = tolak(client.post(akhir, {"alasan": "Lagi"}, JSON), 400)
    assert "sudah diakhiri" in lagi["detail"]


@pytest.mark.parametrize("daftar", ["anggota-gugus-tugas", "personil"])
def test_member_and_people_list_queries_do_not_grow(
    client,
    kepala_dinkes,
    gugus_kota,
    anggota,
    dinkes,
    daftar,
    django_assert_num_queries,
):
    client.force_login(kepala_dinkes)
    for i in range(2):
        anggota(f"Orang {i}", OpdFactory(), terlatih=True)
    url = f"/api/v1/{daftar}/"
    client.get(url)
    with CaptureQueriesContext(connection) as sedikit:
        client.get(url)
    for i in range(2, 9):
        anggota(f"Orang {i}", OpdFactory(), terlatih=i % 2 == 0, sub=i % 6)
    with django_assert_num_queries(len(sedikit)):
        assert len(ids(client.get(url))) == 9


# --- People and their KHA training ---------------------------------------------------------


def test_a_certificate_link_is_only_for_city_wide_roles_and_the_persons_agency(
    client,
    sekretariat,
    operator_dinkes,
    operator_dinsos,
    gugus_kota,
    anggota,
    dinkes,
):
    orang = anggota("dr. Hendra", dinkes).personil
    services.pelatihan_catat(
        personil=orang,
        tanggal=datetime.date(2024, 5, 2),
        penyelenggara="KemenPPPA",
        sertifikat=berkas("sertifikat.pdf"),
        by=sekretariat,
    )
    url = f"/api/v1/personil/{orang.pk}/"
    for user, ada in ((sekretariat, True), (operator_dinkes, True), (operator_dinsos, False)):
        client.force_login(user)
        pelatihan = client.get(url).json()["pelatihan"]
        assert pelatihan[0]["penyelenggara"] == "KemenPPPA"
        assert bool(pelatihan[0]["sertifikat"]) is ada


def test_training_is_recorded_by_who_keeps_the_persons_task_force(
    client,
    sekretariat,
    operator_dinkes,
    operator_kasemen,
    gugus_kota,
    anggota,
    dinkes,
):
    orang = anggota("dr. Hendra", dinkes).personil
    url = f"/api/v1/personil/{orang.pk}/pelatihan/"
    isian = {"tanggal": "2024-05-02", "penyelenggara": "DP3A Provinsi Banten"}
    for user in (operator_dinkes, operator_kasemen):
        client.force_login(user)
        tolak(client.post(url, isian, JSON), 403)
    assert not PelatihanKha.objects.exists()
    client.force_login(sekretariat)
    tolak(client.post(url, isian | {"tanggal": "2999-01-01"}, JSON), 400)
    dicatat = client.post(url, isian, JSON)
    assert dicatat.status_code == 201, dicatat.content
    assert dicatat.json()["pelatihan"][0]["nama"] == "Pelatihan Konvensi Hak Anak (KHA)"
    ganda = tolak(client.post(url, isian, JSON), 400)
    assert "sudah dicatat" in ganda["detail"]
    assert PelatihanKha.objects.count() == 1


def test_people_of_another_kecamatan_are_not_found(
    client, operator_kasemen, sekretariat, gugus_serang, kasemen
):
    orang = services.anggota_baru_tambah(
        gugus_tugas=gugus_serang,
        nama="Pak RW",
        opd=OpdFactory(),
        unsur="teknis",
        by=sekretariat,
    ).personil
    client.force_login(operator_kasemen)
    tolak(client.get(f"/api/v1/personil/{orang.pk}/"), 404)
    assert orang.pk not in ids(client.get("/api/v1/personil/"))


# --- Facilities ---------------------------------------------------------------------------


def fasilitas(kode="36.73.01.1002", jenis="patbm", **values) -> dict:
    return {"wilayah": kode, "jenis": jenis, "status": 1, "versi": 0} | values


@pytest.mark.parametrize(
    "peran, status",
    [
        ("lurah_cipare", 201),
        ("operator_serang", 201),  # the kecamatan's operator keeps its kelurahan too
        ("sekretariat", 201),
        ("operator_dinkes", 403),  # agency staff read the register, do not keep it
        ("kepala_dinkes", 403),
        ("bappeda", 403),
        ("pimpinan", 403),
        ("operator_kasemen", 400),  # another kecamatan's kelurahan: not one of theirs
        ("anonim", 401),
    ],
)
def test_a_units_facility_is_recorded_by_its_operators_and_the_secretariat(
    masuk, kota_serang, peran, status
):
    client = masuk(peran)
    response = client.post("/api/v1/fasilitas/", fasilitas(keterangan="PATBM Cipare"), JSON)
    if status == 201:
        assert response.status_code == 201, response.content
        data = response.json()
        assert (data["wilayah"], data["jenis"], data["status"], data["ada"], data["versi"]) == (
            "36.73.01.1002",
            "patbm",
            1,
            True,
            1,
        )
        return
    body = tolak(response, status)
    if status == 400:
        assert "wilayah" in body["errors"]
    assert not Fasilitas.objects.exists()


def test_a_stale_facility_is_409_with_the_current_record(
    client, lurah_cipare, operator_serang, kota_serang
):
    client.force_login(lurah_cipare)
    assert client.post("/api/v1/fasilitas/", fasilitas(), JSON).status_code == 201
    client.force_login(operator_serang)
    ubah = client.post(
        "/api/v1/fasilitas/",
        fasilitas(status=2, nomor_sk="400/1/2025", tanggal_sk="2025-03-03", versi=1),
        JSON,
    )
    assert ubah.status_code == 200 and ubah.json()["versi"] == 2
    client.force_login(lurah_cipare)
    body = tolak(client.post("/api/v1/fasilitas/", fasilitas(status=3, versi=1), JSON), 409)
    assert body["versi"] == 2 and body["sekarang"]["nomor_sk"] == "400/1/2025"
    assert Fasilitas.objects.get().status == 2


@pytest.mark.parametrize(
    "isian, kolom",
    [
        ({"status": 9}, "status"),
        ({"status": 2}, "nomor_sk"),  # decreed without its number: the service's rule
        ({"jenis": "taman-bermain-imajiner"}, "jenis"),
        ({"versi": "nol"}, "versi"),
        ({"tanggal_sk": "kemarin"}, "tanggal_sk"),
        ({"warna": "biru"}, "warna"),
        ({"foto": "bukan-berkas"}, "foto"),
    ],
)
def test_a_wrong_facility_is_400_and_changes_nothing(
    client, lurah_cipare, kota_serang, isian, kolom
):
    client.force_login(lurah_cipare)
    body = tolak(client.post("/api/v1/fasilitas/", fasilitas() | isian, JSON), 400)
    assert kolom in body["errors"]
    assert not Fasilitas.objects.exists()


def test_facilities_are_read_as_the_register_allows(
    client, lurah_cipare, operator_dinkes, sekretariat, kota_serang
):
    for kode in ("36.73.01.1002", "36.73.01.1001", "36.73.02"):
        jenis = (
            "patbm"
            if kode != "36.73.02"
            else JenisFasilitas.objects.filter(untuk_kecamatan=True).first().kode
        )
        services.fasilitas_simpan(
            wilayah=Wilayah.objects.get(kode=kode),
            jenis=JenisFasilitas.objects.get(kode=jenis),
            status=1,
            versi=0,
            by=sekretariat,
        )
    cipare = Fasilitas.objects.get(wilayah__kode="36.73.01.1002")
    tetangga = Fasilitas.objects.get(wilayah__kode="36.73.01.1001")
    client.force_login(lurah_cipare)
    assert ids(client.get("/api/v1/fasilitas/")) == [cipare.pk]
    tolak(client.get(f"/api/v1/fasilitas/{tetangga.pk}/"), 404)
    client.force_login(operator_dinkes)
    assert len(ids(client.get("/api/v1/fasilitas/"))) == 3
    assert ids(client.get("/api/v1/fasilitas/?kecamatan=36.73.01")) == [tetangga.pk, cipare.pk]
    assert ids(client.get("/api/v1/fasilitas/?wilayah=36.73.01.1002&jenis=patbm")) == [cipare.pk]
    jenis = client.get("/api/v1/jenis-fasilitas/").json()["results"]
    assert "patbm" in [j["kode"] for j in jenis]


def test_facility_list_queries_do_not_grow(
    client, operator_dinkes, sekretariat, kota_serang, django_assert_num_queries
):
    kelurahan = list(Wilayah.objects.filter(tingkat=Wilayah.Tingkat.DESA_KELURAHAN)[:10])
    patbm = JenisFasilitas.objects.get(kode="patbm")

    def catat(units):
        for w in units:
            services.fasilitas_simpan(wilayah=w, jenis=patbm, status=1, versi=0, by=sekretariat)

    catat(kelurahan[:2])
    client.force_login(operator_dinkes)
    client.get("/api/v1/fasilitas/")
    with CaptureQueriesContext(connection) as sedikit:
        client.get("/api/v1/fasilitas/")
    catat(kelurahan[2:])
    with django_assert_num_queries(len(sedikit)):
        assert len(ids(client.get("/api/v1/fasilitas/"))) == 10


def test_a_read_only_token_of_the_units_operator_records_nothing(client, lurah_cipare, kota_serang):
    _token, rahasia = services.token_buat(user=lurah_cipare, nama="Dasbor", akses="baca")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {rahasia}"}
    tolak(client.post("/api/v1/fasilitas/", fasilitas(), JSON, **bearer), 403)
    assert client.get("/api/v1/fasilitas/", **bearer).json()["count"] == 0
    assert not Fasilitas.objects.exists()
