"""The coordination API (meetings, attendance, minutes, follow-ups): each role against each
endpoint with others' ids, the pages' rules and services, stale versions, wrong input, and
query counts that do not grow with the data."""

import datetime

import pytest
from django.utils import timezone

from koordinasi import services
from koordinasi.models import Rapat, TindakLanjut, Undangan
from tests.conftest import OpdFactory
from tests.koordinasi.conftest import jam

PROBLEM = "application/problem+json"
PERAN = [
    "operator_dinkes",
    "kepala_dinkes",
    "operator_dinsos",
    "sekretariat",
    "bappeda",
    "pimpinan",
    "anonim",
]


@pytest.fixture
def masuk(client, request):
    """Log in as the role named (``anonim``: nobody) and return the client."""

    def login(peran: str):
        if peran != "anonim":
            client.force_login(request.getfixturevalue(peran))
        return client

    return login


def tolak(response, status: int) -> dict:
    """A refusal: the status (anonymous: 401 or 403), problem+json, an Indonesian detail."""
    if status == 401:
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == response.status_code and body["detail"]
    return body


# --- Reads -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "peran, lihat",
    [
        ("operator_dinkes", 200),
        ("kepala_dinkes", 200),
        ("operator_dinsos", 404),  # Dinsos is not invited to next week's meeting
        ("sekretariat", 200),
        ("bappeda", 200),
        ("pimpinan", 200),
        ("anonim", 401),
    ],
)
def test_a_meeting_is_read_by_whom_the_calendar_shows_it_to(masuk, rapat_depan, peran, lihat):
    client = masuk(peran)
    response = client.get(f"/api/v1/rapat/{rapat_depan.pk}/")
    daftar = client.get("/api/v1/rapat/")
    if lihat != 200:
        tolak(response, lihat)
        if peran != "anonim":
            assert rapat_depan.pk not in [r["id"] for r in daftar.json()["results"]]
        return
    data = response.json()
    assert data["judul"] == "Rakor April" and data["versi"] == rapat_depan.versi
    assert [u["opd"]["singkatan"] for u in data["undangan"]] == ["Dinkes"]
    assert data["ics"].endswith(f"/koordinasi/rapat/{rapat_depan.pk}/ics/")
    assert rapat_depan.pk in [r["id"] for r in daftar.json()["results"]]


@pytest.mark.parametrize(
    "peran, lihat",
    [
        ("operator_dinkes", 200),
        ("kepala_dinkes", 200),
        ("operator_dinsos", 404),  # another agency's follow-up
        ("sekretariat", 200),
        ("bappeda", 200),
        ("pimpinan", 200),
        ("anonim", 401),
    ],
)
def test_a_follow_up_is_read_by_its_agency_and_city_wide_roles(
    masuk, tindak_dinkes, tindak_dinsos, peran, lihat
):
    client = masuk(peran)
    response = client.get(f"/api/v1/tindak-lanjut/{tindak_dinkes.pk}/")
    if lihat != 200:
        tolak(response, lihat)
        if peran != "anonim":
            ids = [t["id"] for t in client.get("/api/v1/tindak-lanjut/").json()["results"]]
            assert ids == [tindak_dinsos.pk]
        return
    data = response.json()
    assert (data["opd"]["singkatan"], data["status"], data["lampiran"]) == ("Dinkes", "terbuka", [])
    assert data["rapat"]["judul"] == "Rakor Maret"


def test_the_ics_link_is_the_pages_calendar_file(client, operator_dinkes, rapat_depan):
    client.force_login(operator_dinkes)
    ics = client.get(f"/api/v1/rapat/{rapat_depan.pk}/").json()["ics"]
    response = client.get(ics)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")


def test_follow_ups_filter_as_the_list_page(client, sekretariat, tindak_dinkes, tindak_dinsos):
    services.tindak_lanjut_perbarui(
        tindak_lanjut=tindak_dinsos,
        status=TindakLanjut.Status.SELESAI,
        hasil="Data LKSA diperbarui",
        versi=tindak_dinsos.versi,
        by=sekretariat,
    )
    client.force_login(sekretariat)

    def ids(query):
        return [t["id"] for t in client.get(f"/api/v1/tindak-lanjut/{query}").json()["results"]]

    assert ids("?status=terbuka") == [tindak_dinkes.pk]
    assert ids("?status=selesai") == [tindak_dinsos.pk]
    assert ids(f"?opd={tindak_dinkes.opd_id}") == [tindak_dinkes.pk]
    assert ids("?status=lewat") == []
    tolak(client.get("/api/v1/tindak-lanjut/?status=kemarin"), 400)


def test_meetings_filter_by_state_and_dates(client, sekretariat, rapat_lalu, rapat_depan):
    client.force_login(sekretariat)
    hari_ini = timezone.localdate().isoformat()

    def ids(query):
        return [r["id"] for r in client.get(f"/api/v1/rapat/{query}").json()["results"]]

    assert ids(f"?mulai_dari={hari_ini}") == [rapat_depan.pk]
    assert ids(f"?mulai_sampai={hari_ini}") == [rapat_lalu.pk]
    assert ids("?status=terlaksana") == []
    tolak(client.get("/api/v1/rapat/?mulai_dari=besok"), 400)


# --- Writes: who may -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "peran, status, status_lalu",
    [
        ("operator_dinkes", 403, 403),  # reads the meetings, does not keep them
        ("kepala_dinkes", 403, 403),
        ("operator_dinsos", 404, 403),  # invited last week, not next week
        ("bappeda", 403, 403),
        ("pimpinan", 403, 403),
        ("anonim", 401, 401),
    ],
)
def test_only_the_secretariat_keeps_a_meeting_and_a_refusal_changes_nothing(
    masuk, rapat_depan, rapat_lalu, dinkes, peran, status, status_lalu
):
    client = masuk(peran)
    sebelum = (rapat_depan.versi, rapat_depan.status, Undangan.objects.count())
    url = f"/api/v1/rapat/{rapat_depan.pk}/"
    json = "application/json"
    tolak(client.post(url + "batalkan/", {"alasan": "Bentrok"}, content_type=json), status)
    tolak(client.patch(url, {"judul": "Lain", "versi": 1}, content_type=json), status)
    tolak(client.post(url + "notulen/", {"notulen": "x", "versi": 1}, content_type=json), status)
    lalu = f"/api/v1/rapat/{rapat_lalu.pk}/"
    keputusan = {"keputusan": "X", "opd": dinkes.pk, "tenggat": "2099-01-01"}
    tolak(client.post(lalu + "tindak-lanjut/", keputusan, content_type=json), status_lalu)
    hadir = {"kehadiran": [{"undangan": 1, "kehadiran": "hadir"}], "versi": 1}
    tolak(client.post(lalu + "kehadiran/", hadir, content_type=json), status_lalu)
    rapat_depan.refresh_from_db()
    assert (rapat_depan.versi, rapat_depan.status, Undangan.objects.count()) == sebelum
    assert not TindakLanjut.objects.exists()
    assert Rapat.objects.get(pk=rapat_lalu.pk).status == Rapat.Status.DIJADWALKAN


def jadwal(gugus, opd, **values) -> dict:
    mulai = jam(14)
    return {
        "gugus_tugas": gugus.pk,
        "judul": "Rakor Mei",
        "mulai": mulai.isoformat(),
        "selesai": (mulai + datetime.timedelta(hours=2)).isoformat(),
        "agenda": "Persiapan verifikasi lapangan",
        "tempat": "Aula DP3A",
        "opd": [o.pk for o in opd],
    } | values


@pytest.mark.parametrize(
    "peran, status",
    [
        ("operator_dinkes", 403),
        ("kepala_dinkes", 403),
        ("bappeda", 403),
        ("pimpinan", 403),
        ("anonim", 401),
    ],
)
def test_scheduling_is_refused_to_who_does_not_keep_the_task_force(
    masuk, gugus_kota, dinkes, peran, status
):
    client = masuk(peran)
    response = client.post("/api/v1/rapat/", jadwal(gugus_kota, [dinkes]), "application/json")
    tolak(response, status)
    assert not Rapat.objects.exists()


def test_the_secretariat_schedules_a_meeting_through_the_service(
    client,
    sekretariat,
    gugus_kota,
    dinkes,
    dinsos,
    kepala_dinkes,
    email_rapat,
    django_capture_on_commit_callbacks,
):
    client.force_login(sekretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/rapat/", jadwal(gugus_kota, [dinkes, dinsos]), "application/json"
        )
    assert response.status_code == 201, response.content
    data = response.json()
    rapat = Rapat.objects.get()
    assert (data["id"], data["status"], data["diundang"], data["versi"]) == (
        rapat.pk,
        "dijadwalkan",
        2,
        1,
    )
    assert rapat.dibuat_oleh == sekretariat
    assert email_rapat  # the invitation goes out as on the page
    assert kepala_dinkes.notifikasi.filter(judul__startswith="Undangan rapat").exists()


def test_a_kecamatan_operator_schedules_only_for_their_own_task_force(
    client, operator_kasemen, kasemen, gugus_kota, kantor_kec_serang, sekretariat
):
    from agencies import services as agencies_services

    gugus_kasemen = agencies_services.gugus_tugas_buat(wilayah=kasemen, by=operator_kasemen)
    gugus_serang = agencies_services.gugus_tugas_buat(
        wilayah=kantor_kec_serang.wilayah, by=sekretariat
    )
    opd = OpdFactory(nama="Kecamatan Kasemen", singkatan="Kec. Kasemen", wilayah=kasemen)
    client.force_login(operator_kasemen)
    # the city's task force: read, not kept; another kecamatan's: not even a choice
    tolak(client.post("/api/v1/rapat/", jadwal(gugus_kota, [opd]), "application/json"), 403)
    lain = tolak(
        client.post("/api/v1/rapat/", jadwal(gugus_serang, [opd]), "application/json"), 400
    )
    assert "gugus_tugas" in lain["errors"]
    assert not Rapat.objects.exists()
    sendiri = client.post("/api/v1/rapat/", jadwal(gugus_kasemen, [opd]), "application/json")
    assert sendiri.status_code == 201


# --- Writes: the services' rules -----------------------------------------------------------


def test_a_refused_meeting_says_why_in_indonesian_and_english(client, sekretariat, gugus_kota):
    client.force_login(sekretariat)
    tanpa_undangan = jadwal(gugus_kota, [])
    body = tolak(client.post("/api/v1/rapat/", tanpa_undangan, "application/json"), 400)
    assert body["detail"] == "Undang sedikitnya satu OPD/lembaga atau satu orang."
    terbalik = jadwal(gugus_kota, [], selesai=jam(13).isoformat())
    body = tolak(
        client.post("/api/v1/rapat/", terbalik, "application/json", HTTP_ACCEPT_LANGUAGE="en"),
        400,
    )
    assert body["errors"] == {"selesai": ["The end must be after the start."]}
    assert not Rapat.objects.exists()


@pytest.mark.parametrize(
    "isian, kolom",
    [
        ({"versi": "dua"}, "versi"),
        ({"mulai": "besok pagi"}, "mulai"),
        ({"opd": ["satu"]}, "opd"),
        ({"opd": [999999]}, "opd"),
        ({"tautan_daring": "bukan alamat"}, "tautan_daring"),
        ({"ruang": "Aula"}, "ruang"),  # unknown field
        ({"semua_anggota": "mungkin"}, "semua_anggota"),
    ],
)
def test_wrong_types_and_unknown_fields_are_400_and_change_nothing(
    client, sekretariat, gugus_kota, dinkes, isian, kolom
):
    client.force_login(sekretariat)
    data = jadwal(gugus_kota, [dinkes]) | isian  # a new meeting has no version: unknown
    body = tolak(client.post("/api/v1/rapat/", data, "application/json"), 400)
    assert kolom in body["errors"]
    assert not Rapat.objects.exists()


def test_attendance_makes_the_meeting_held_and_a_stale_version_is_409(
    client, sekretariat, rapat_lalu
):
    client.force_login(sekretariat)
    undangan = list(rapat_lalu.undangan.order_by("pk"))
    url = f"/api/v1/rapat/{rapat_lalu.pk}/kehadiran/"
    isian = {
        "kehadiran": [
            {"undangan": undangan[0].pk, "kehadiran": "hadir"},
            {"undangan": undangan[1].pk, "kehadiran": "diwakili", "diwakili_oleh": "Kabid"},
        ],
        "versi": rapat_lalu.versi,
    }
    response = client.post(url, isian, "application/json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "terlaksana"
    assert [u["kehadiran"] for u in data["undangan"]] == ["hadir", "diwakili"]
    # the same form again, built from the version before: stale, with the record as it is now
    isian["kehadiran"][0]["kehadiran"] = "tidak_hadir"
    konflik = tolak(client.post(url, isian, "application/json"), 409)
    assert konflik["versi"] == data["versi"]
    assert konflik["sekarang"]["status"] == "terlaksana"
    assert Undangan.objects.get(pk=undangan[0].pk).kehadiran == "hadir"


def test_attendance_of_another_meetings_invitation_is_refused(
    client, sekretariat, rapat_lalu, rapat_depan
):
    client.force_login(sekretariat)
    lain = rapat_depan.undangan.get()
    isian = {"kehadiran": [{"undangan": lain.pk, "kehadiran": "hadir"}], "versi": rapat_lalu.versi}
    body = tolak(
        client.post(f"/api/v1/rapat/{rapat_lalu.pk}/kehadiran/", isian, "application/json"), 400
    )
    assert "bukan milik rapat ini" in body["detail"]
    assert Undangan.objects.get(pk=lain.pk).kehadiran == Undangan.Kehadiran.BELUM
    assert Rapat.objects.get(pk=rapat_lalu.pk).status == Rapat.Status.DIJADWALKAN


def test_minutes_decisions_and_a_change_of_a_meeting(client, sekretariat, rapat_lalu, dinkes):
    client.force_login(sekretariat)
    url = f"/api/v1/rapat/{rapat_lalu.pk}/"
    notulen = client.post(
        url + "notulen/", {"notulen": "Disepakati tiga hal.", "versi": 1}, "application/json"
    )
    assert notulen.status_code == 200 and notulen.json()["notulen"] == "Disepakati tiga hal."
    keputusan = {
        "keputusan": "Kirim data imunisasi",
        "opd": dinkes.pk,
        "tenggat": (timezone.localdate() + datetime.timedelta(days=14)).isoformat(),
    }
    tindak = client.post(url + "tindak-lanjut/", keputusan, "application/json")
    assert tindak.status_code == 201 and tindak.json()["opd"]["singkatan"] == "Dinkes"
    ganda = tolak(client.post(url + "tindak-lanjut/", keputusan, "application/json"), 400)
    assert ganda["detail"] == "Keputusan ini sudah dicatat untuk Dinkes."
    ubah = client.patch(url, {"agenda": "Agenda baru", "versi": 2}, "application/json")
    assert ubah.status_code == 200 and ubah.json()["agenda"] == "Agenda baru"
    basi = tolak(client.patch(url, {"agenda": "Lagi", "versi": 2}, "application/json"), 409)
    assert basi["sekarang"]["agenda"] == "Agenda baru"
    assert client.put(url, {}, "application/json").status_code == 405


def test_cancelling_tells_why_and_a_held_meeting_is_not_cancelled(
    client, sekretariat, rapat_depan, tindak_dinkes
):
    client.force_login(sekretariat)
    batal = client.post(
        f"/api/v1/rapat/{rapat_depan.pk}/batalkan/", {"alasan": "Bentrok"}, "application/json"
    )
    assert batal.status_code == 200 and batal.json()["status"] == "dibatalkan"
    rapat_lalu = tindak_dinkes.rapat
    body = tolak(
        client.post(
            f"/api/v1/rapat/{rapat_lalu.pk}/batalkan/", {"alasan": "x"}, "application/json"
        ),
        400,
    )
    assert "tindak lanjut" in body["detail"]
    assert Rapat.objects.get(pk=rapat_lalu.pk).status == Rapat.Status.DIJADWALKAN


@pytest.mark.parametrize(
    "peran, status",
    [
        ("operator_dinkes", 200),
        ("kepala_dinkes", 200),
        ("operator_dinsos", 404),
        ("sekretariat", 200),
        ("bappeda", 403),
        ("pimpinan", 403),
        ("anonim", 401),
    ],
)
def test_a_follow_up_is_reported_on_by_its_owner_and_the_secretariat(
    masuk, tindak_dinkes, peran, status
):
    client = masuk(peran)
    isian = {"status": "berjalan", "hasil": "Sedang dihimpun", "versi": tindak_dinkes.versi}
    response = client.patch(f"/api/v1/tindak-lanjut/{tindak_dinkes.pk}/", isian, "application/json")
    tindak_dinkes_lama = tindak_dinkes.versi
    tindak_dinkes.refresh_from_db()
    if status == 200:
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "berjalan"
        assert tindak_dinkes.versi == tindak_dinkes_lama + 1
        return
    tolak(response, status)
    assert (tindak_dinkes.status, tindak_dinkes.versi) == ("terbuka", tindak_dinkes_lama)


def test_a_stale_follow_up_is_409_with_the_current_one(
    client, operator_dinkes, kepala_dinkes, tindak_dinkes
):
    url = f"/api/v1/tindak-lanjut/{tindak_dinkes.pk}/"
    dibaca = tindak_dinkes.versi
    client.force_login(kepala_dinkes)
    client.patch(url, {"status": "berjalan", "hasil": "Mulai", "versi": dibaca}, "application/json")
    client.force_login(operator_dinkes)
    body = tolak(
        client.patch(
            url, {"status": "selesai", "hasil": "Beres", "versi": dibaca}, "application/json"
        ),
        409,
    )
    assert body["versi"] == dibaca + 1
    assert (body["sekarang"]["status"], body["sekarang"]["hasil"]) == ("berjalan", "Mulai")
    assert "dr. Hendra Gunawan" in body["detail"]
    assert TindakLanjut.objects.get(pk=tindak_dinkes.pk).status == "berjalan"


def test_only_the_secretariat_reopens_a_closed_follow_up(
    client, operator_dinkes, sekretariat, tindak_dinkes
):
    url = f"/api/v1/tindak-lanjut/{tindak_dinkes.pk}/"
    client.force_login(operator_dinkes)
    selesai = client.patch(
        url, {"status": "selesai", "hasil": "Terkirim", "versi": 1}, "application/json"
    )
    assert selesai.status_code == 200 and selesai.json()["selesai_pada"]
    buka = {"status": "berjalan", "hasil": "Terkirim", "versi": 2}
    body = tolak(client.patch(url, buka, "application/json"), 400)
    assert "hanya Sekretariat" in body["errors"]["status"][0]
    client.force_login(sekretariat)
    tanpa_alasan = tolak(client.patch(url, buka, "application/json"), 400)
    assert "alasan" in tanpa_alasan["errors"]
    dibuka = client.patch(url, buka | {"alasan": "Data belum lengkap"}, "application/json")
    assert dibuka.status_code == 200 and dibuka.json()["alasan_dibuka"] == "Data belum lengkap"


@pytest.mark.parametrize(
    "isian, kolom",
    [
        ({"status": "beres"}, "status"),
        ({"versi": "satu"}, "versi"),
        ({"selesai_pada": "kemarin"}, "selesai_pada"),
        ({"prioritas": "tinggi"}, "prioritas"),
        ({"versi": None}, "versi"),
    ],
)
def test_a_wrong_follow_up_update_is_400(client, operator_dinkes, tindak_dinkes, isian, kolom):
    client.force_login(operator_dinkes)
    data = {"status": "berjalan", "hasil": "x", "versi": 1} | isian
    body = tolak(
        client.patch(f"/api/v1/tindak-lanjut/{tindak_dinkes.pk}/", data, "application/json"), 400
    )
    assert kolom in body["errors"]
    assert TindakLanjut.objects.get(pk=tindak_dinkes.pk).versi == 1


def test_evidence_is_uploaded_with_the_close_and_listed(client, operator_dinkes, tindak_dinkes):
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    from tests.conftest import berkas

    client.force_login(operator_dinkes)
    isian = {"status": "selesai", "versi": "1", "berkas": [berkas("bukti.pdf")]}
    response = client.patch(
        f"/api/v1/tindak-lanjut/{tindak_dinkes.pk}/",
        encode_multipart(BOUNDARY, isian),
        content_type=MULTIPART_CONTENT,
    )
    assert response.status_code == 200, response.content
    lampiran = response.json()["lampiran"]
    assert [item["nama_asli"] for item in lampiran] == ["bukti.pdf"]
    assert client.get(lampiran[0]["unduh"]).status_code == 200


def test_english_refusals(client, operator_dinsos, rapat_depan, tindak_dinkes):
    client.force_login(operator_dinsos)
    body = tolak(client.get(f"/api/v1/rapat/{rapat_depan.pk}/", HTTP_ACCEPT_LANGUAGE="en"), 404)
    assert body["detail"] == "This does not exist or is not yours."
    asing = tolak(
        client.patch(
            f"/api/v1/tindak-lanjut/{tindak_dinkes.pk}/",
            {"x": 1},
            "application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        ),
        404,
    )
    assert asing["title"] == "Not found"


def test_an_idempotent_schedule_is_done_once(client, sekretariat, gugus_kota, dinkes):
    client.force_login(sekretariat)
    kunci = {"HTTP_IDEMPOTENCY_KEY": "rakor-mei-2025-000001"}
    data = jadwal(gugus_kota, [dinkes])
    pertama = client.post("/api/v1/rapat/", data, "application/json", **kunci)
    kedua = client.post("/api/v1/rapat/", data, "application/json", **kunci)
    assert pertama.status_code == kedua.status_code == 201
    assert kedua["Idempotent-Replayed"] == "true" and kedua.json()["id"] == pertama.json()["id"]
    assert Rapat.objects.count() == 1


def test_an_unknown_field_and_a_repeated_invitation_are_named(client, sekretariat, rapat_lalu):
    client.force_login(sekretariat)
    url = f"/api/v1/rapat/{rapat_lalu.pk}/kehadiran/"
    u = rapat_lalu.undangan.first().pk
    asing = {"kehadiran": [{"undangan": u, "kehadiran": "hadir"}], "versi": 1, "oleh": "x"}
    body = tolak(client.post(url, asing, "application/json"), 400)
    assert body["errors"] == {"oleh": ["Kolom ini tidak dikenal."]}
    body = tolak(client.post(url, asing, "application/json", HTTP_ACCEPT_LANGUAGE="en"), 400)
    assert body["detail"] == "This field is not known."
    dua = {"kehadiran": [{"undangan": u, "kehadiran": "hadir"}] * 2, "versi": 1}
    body = tolak(client.post(url, dua, "application/json"), 400)
    assert body["detail"] == "Setiap undangan cukup disebut sekali."
    assert Rapat.objects.get(pk=rapat_lalu.pk).versi == 1


def test_tokens_act_as_their_owner_and_a_read_only_one_changes_nothing(
    client, operator_dinkes, operator_dinsos, tindak_dinkes
):
    from agencies import services as agencies_services

    def bearer(user, akses):
        _token, rahasia = agencies_services.token_buat(
            user=user, nama=f"Skrip {akses}", akses=akses
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {rahasia}"}

    url = f"/api/v1/tindak-lanjut/{tindak_dinkes.pk}/"
    isian = {"status": "berjalan", "hasil": "Dihimpun", "versi": 1}
    baca = bearer(operator_dinkes, "baca")
    assert client.get(url, **baca).json()["status"] == "terbuka"
    tolak(client.patch(url, isian, "application/json", **baca), 403)
    lain = bearer(operator_dinsos, "tulis")  # a token of another agency's operator
    tolak(client.get(url, **lain), 404)
    tolak(client.patch(url, isian, "application/json", **lain), 404)
    assert TindakLanjut.objects.get(pk=tindak_dinkes.pk).versi == 1
    tulis = bearer(operator_dinkes, "tulis")
    assert client.patch(url, isian, "application/json", **tulis).json()["versi"] == 2
