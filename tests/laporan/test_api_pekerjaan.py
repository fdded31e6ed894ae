"""The jobs API: starting a bundle, an RAD import and an export package through the pages'
services and rules, following a job, cancelling it, fetching its file. Each role against each
endpoint, with other people's job ids (404, never 403, and nothing changes)."""

import hashlib
import json
import zipfile
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.models import Pekerjaan
from laporan.models import Bundel
from rencana_aksi.models import Aksi
from tests.rencana_aksi.conftest import periode  # noqa: F401 - a fixture used here
from tests.rencana_aksi.impor.bantu import VALID, xlsx

PROBLEM = "application/problem+json"
PERAN = [
    "operator_dinkes",
    "operator_dinsos",
    "kepala_dinkes",
    "sekretariat",
    "bappeda",
    "pimpinan",
    "admin_portal",
]
BOLEH_BUNDEL = {"sekretariat", "admin_portal"}
BOLEH_IMPOR_RAD = {"operator_dinkes", "operator_dinsos", "sekretariat", "bappeda", "admin_portal"}


@pytest.fixture
def seketika(monkeypatch):
    """Tasks run the moment they are queued, in this process (the test's transaction never
    commits, so a task sent on commit would never run)."""
    from kla_portal import antrean

    def kirim_sekarang(task, *args, pekerjaan=None, **kwargs):
        task.apply(args=args, kwargs=kwargs, task_id=pekerjaan.task_id, throw=True)
        return antrean.Kiriman()

    monkeypatch.setattr(antrean, "kirim_saat_commit", kirim_sekarang)


@pytest.fixture
def job_sekretariat(sekretariat) -> Pekerjaan:
    return pekerjaan_services.buat(jenis="rapor_opd", judul="Kirim rapor", by=sekretariat)


def _masuk(client, request, peran):
    if peran == "anonim":
        return None
    user = request.getfixturevalue(peran)
    client.force_login(user)
    return user


# --- Following a job ---------------------------------------------------------------------------


@pytest.mark.parametrize("peran", [*PERAN, "anonim"])
def test_a_job_is_seen_only_by_who_started_it(client, request, peran, job_sekretariat):
    _masuk(client, request, peran)
    response = client.get(f"/api/v1/pekerjaan/{job_sekretariat.pk}/")
    if peran == "sekretariat":
        assert response.status_code == 200
        data = response.json()
        assert data["id"] == job_sekretariat.pk
        assert data["status"] == "antre" and data["status_label"] == "Menunggu giliran"
        assert data["persen"] == 0 and data["perkiraan_sisa_detik"] is None
        return
    assert response["Content-Type"] == PROBLEM
    if peran == "anonim":
        assert response.status_code in (401, 403)
        return
    assert response.status_code == 404
    assert response.json()["detail"] == "Data ini tidak ada atau bukan bagian Anda."


@pytest.mark.parametrize("peran", PERAN)
def test_the_list_holds_only_ones_own_jobs(client, request, peran, job_sekretariat):
    user = _masuk(client, request, peran)
    sendiri = pekerjaan_services.buat(jenis="rapor_opd", judul="Milik sendiri", by=user)
    data = client.get("/api/v1/pekerjaan/").json()
    assert [j["id"] for j in data["results"]] == (
        [sendiri.pk, job_sekretariat.pk] if peran == "sekretariat" else [sendiri.pk]
    )


@pytest.mark.parametrize("aksi", ["batal", "ulangi"])
@pytest.mark.parametrize("peran", ["operator_dinkes", "bappeda", "pimpinan", "admin_portal"])
def test_anothers_job_cannot_be_cancelled_or_retried(client, request, peran, aksi, job_sekretariat):
    _masuk(client, request, peran)
    if aksi == "ulangi":
        pekerjaan_services.gagal(job_sekretariat, pesan="x")
    sebelum = Pekerjaan.objects.get(pk=job_sekretariat.pk)
    response = client.post(f"/api/v1/pekerjaan/{job_sekretariat.pk}/{aksi}/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    sesudah = Pekerjaan.objects.get(pk=job_sekretariat.pk)
    assert (sesudah.status, sesudah.minta_batal) == (sebelum.status, sebelum.minta_batal)
    assert Pekerjaan.objects.count() == 1


def test_the_owner_cancels_a_queued_job(client, sekretariat, job_sekretariat):
    client.force_login(sekretariat)
    response = client.post(f"/api/v1/pekerjaan/{job_sekretariat.pk}/batal/")
    assert response.status_code == 200
    assert response.json()["status"] == "dibatalkan"


def test_the_estimate_follows_the_pace(sekretariat):
    import datetime

    from django.utils import timezone

    from laporan.serializers import perkiraan_sisa

    sekarang = timezone.now()
    job = Pekerjaan(
        status=Pekerjaan.Status.BERJALAN,
        persen=25,
        mulai=sekarang - datetime.timedelta(seconds=30),
    )
    # A quarter in 30 seconds: three quarters in 90 more.
    assert perkiraan_sisa(job, sekarang) == 90.0


def test_the_list_costs_the_same_queries_at_two_sizes(
    client, sekretariat, django_assert_num_queries
):
    client.force_login(sekretariat)
    pekerjaan_services.buat(jenis="rapor_opd", judul="1", by=sekretariat)
    client.get("/api/v1/pekerjaan/")  # warm the session and the permission caches
    with django_assert_num_queries(4) as kecil:
        client.get("/api/v1/pekerjaan/")
    for n in range(20):
        pekerjaan_services.buat(jenis="rapor_opd", judul=str(n), by=sekretariat)
    with django_assert_num_queries(len(kecil.captured_queries)):
        assert client.get("/api/v1/pekerjaan/").json()["count"] == 21


# --- Starting a bundle --------------------------------------------------------------------------


@pytest.mark.parametrize("peran", [*PERAN, "anonim"])
def test_only_who_may_build_a_bundle_starts_one(client, request, peran, instrumen_kecil, tahun):
    _masuk(client, request, peran)
    response = client.post(
        "/api/v1/pekerjaan/bundel/",
        {"tahun": tahun.tahun, "jenis": "pdf"},
        content_type="application/json",
    )
    if peran in BOLEH_BUNDEL:
        assert response.status_code == 202
        data = response.json()
        assert data["jenis"] == "bundel" and data["status"] == "antre"
        assert response["Location"].endswith(f"/api/v1/pekerjaan/{data['id']}/")
        assert Bundel.objects.get().pekerjaan_id == data["id"]
        return
    assert response.status_code in (401, 403) if peran == "anonim" else response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert not Bundel.objects.exists() and not Pekerjaan.objects.exists()


def test_a_second_bundle_is_refused_with_the_pages_message(
    client, sekretariat, instrumen_kecil, tahun
):
    client.force_login(sekretariat)
    body = {"tahun": tahun.tahun, "jenis": "zip"}
    assert client.post("/api/v1/pekerjaan/bundel/", body, "application/json").status_code == 202
    response = client.post("/api/v1/pekerjaan/bundel/", body, "application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"].startswith("Bundel ZIP 2024 sedang dibuat oleh")
    assert Bundel.objects.count() == 1


def test_a_bad_kind_and_an_unknown_year(client, sekretariat, instrumen_kecil, tahun):
    client.force_login(sekretariat)
    salah = client.post(
        "/api/v1/pekerjaan/bundel/", {"tahun": 2024, "jenis": "doc"}, "application/json"
    )
    assert salah.status_code == 400 and "jenis" in salah.json()["errors"]
    tiada = client.post(
        "/api/v1/pekerjaan/bundel/", {"tahun": 2031, "jenis": "pdf"}, "application/json"
    )
    assert tiada.status_code == 404
    assert not Bundel.objects.exists()


def test_a_refusal_in_english(client, pimpinan, instrumen_kecil, tahun):
    client.force_login(pimpinan)
    response = client.post(
        "/api/v1/pekerjaan/bundel/",
        {"tahun": tahun.tahun, "jenis": "pdf"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 403
    assert response.json()["title"] == "Not allowed"
    assert response.json()["detail"] == "Your role may not start this job."


def test_a_bundle_built_is_fetched_through_the_api(
    client, seketika, sekretariat, pimpinan, instrumen_kecil, tahun
):
    client.force_login(sekretariat)
    data = client.post(
        "/api/v1/pekerjaan/bundel/", {"tahun": tahun.tahun, "jenis": "zip"}, "application/json"
    ).json()
    assert data["status"] == "selesai" and data["persen"] == 100
    assert data["unduh"].endswith(f"/api/v1/pekerjaan/{data['id']}/unduh/")
    response = client.get(data["unduh"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    isi = b"".join(response.streaming_content)
    bundel = Bundel.objects.get()
    assert hashlib.sha256(isi).hexdigest() == bundel.sha256
    # Another city-wide role downloads bundles on the page, but this job is not theirs.
    client.force_login(pimpinan)
    assert client.get(data["unduh"]).status_code == 404


# --- The export package ----------------------------------------------------------------------


@pytest.mark.parametrize("peran", [*PERAN, "anonim"])
def test_only_who_may_build_a_bundle_starts_a_package(
    client, request, peran, instrumen_kecil, tahun
):
    _masuk(client, request, peran)
    response = client.post("/api/v1/paket/", {"tahun": tahun.tahun}, "application/json")
    if peran in BOLEH_BUNDEL:
        assert response.status_code == 202
        assert response.json()["jenis"] == "paket"
        assert Pekerjaan.objects.filter(jenis="paket").count() == 1
        return
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == PROBLEM
    assert not Pekerjaan.objects.exists()


def test_start_poll_and_download_a_package(
    client, seketika, bukti_lengkap, tahun, sekretariat, operator_dinkes
):
    client.force_login(sekretariat)
    response = client.post(
        "/api/v1/paket/",
        {"tahun": tahun.tahun},
        "application/json",
        HTTP_IDEMPOTENCY_KEY="paket-2024-percobaan-1",
    )
    assert response.status_code == 202
    lokasi = response["Location"]
    data = client.get(lokasi).json()
    assert data["status"] == "selesai" and data["langkah"] == "Selesai."
    assert data["hasil"]["ringkasan"] == "5 jawaban, 9 data dukung."
    assert "berkas" not in data["hasil"]  # where it is stored stays inside
    unduhan = client.get(data["unduh"], HTTP_ACCEPT="application/zip")
    assert unduhan.status_code == 200
    isi = b"".join(unduhan.streaming_content)
    assert hashlib.sha256(isi).hexdigest() == data["hasil"]["sha256"]
    paket_json = json.loads(zipfile.ZipFile(BytesIO(isi)).read("paket.json"))
    assert paket_json["skor"]["total"]["diklaim"] == "25.00"
    # The same key again: the first answer, no second job.
    ulang = client.post(
        "/api/v1/paket/",
        {"tahun": tahun.tahun},
        "application/json",
        HTTP_IDEMPOTENCY_KEY="paket-2024-percobaan-1",
    )
    assert ulang["Idempotent-Replayed"] == "true"
    assert Pekerjaan.objects.filter(jenis="paket").count() == 1
    # Someone else's package job: 404 for its progress and its file.
    client.force_login(operator_dinkes)
    assert client.get(lokasi).status_code == 404
    assert client.get(data["unduh"]).status_code == 404


def test_a_job_without_a_file_has_nothing_to_download(client, sekretariat, job_sekretariat):
    client.force_login(sekretariat)
    response = client.get(f"/api/v1/pekerjaan/{job_sekretariat.pk}/unduh/")
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


# --- Starting an RAD import ------------------------------------------------------------------


def _unggah(client, periode_id, isi, nama="rad.xlsx"):
    return client.post(
        "/api/v1/pekerjaan/impor-rad/",
        {"periode": periode_id, "berkas": SimpleUploadedFile(nama, isi)},
    )


@pytest.mark.parametrize("peran", [*PERAN, "anonim"])
def test_only_who_may_import_the_rad_starts_an_import(
    client,
    request,
    peran,
    periode,  # noqa: F811 - the fixture imported above
    dinkes,
    dinsos,
):
    _masuk(client, request, peran)
    response = _unggah(client, periode.pk, xlsx(VALID))
    if peran in ("sekretariat", "bappeda", "admin_portal"):
        assert response.status_code == 202, response.json()
        assert response.json()["jenis"] == "impor_rad"
        return
    assert response["Content-Type"] == PROBLEM
    if peran in BOLEH_IMPOR_RAD:
        # An operator imports only their own actions' targets: the whole plan is refused
        # with the preview's faults, and nothing is queued.
        assert response.status_code == 400
        assert response.json()["detail"]
    else:
        assert response.status_code in (401, 403)
    assert not Pekerjaan.objects.exists()


# The import reports progress from a thread of its own (its own connection): on PostgreSQL it
# sees the job only once committed, as in a real worker.
@pytest.mark.django_db(transaction=True)
def test_an_import_is_written_by_the_worker(
    client,
    seketika,
    bappeda,
    periode,  # noqa: F811 - the fixture imported above
    dinkes,
    dinsos,
):
    client.force_login(bappeda)
    data = _unggah(client, periode.pk, xlsx(VALID)).json()
    assert data["status"] == "selesai", data["pesan"]
    assert sorted(Aksi.objects.values_list("kode", flat=True)) == ["K2.1", "K3.1"]


def test_a_file_with_faults_is_refused_and_nothing_queued(
    client,
    bappeda,
    periode,  # noqa: F811 - the fixture imported above
    dinkes,
    dinsos,
):
    client.force_login(bappeda)
    rusak = [[*VALID[0][:6], "Dinas Tidak Ada", *VALID[0][7:]]]
    response = _unggah(client, periode.pk, xlsx(rusak))
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert "baris 2" in response.json()["detail"]
    assert not Pekerjaan.objects.exists()
    bukan = _unggah(client, periode.pk, b"bukan tabel", nama="rad.exe")
    assert bukan.status_code == 400
    assert not Pekerjaan.objects.exists()


def test_an_unknown_plan_is_a_404(client, bappeda, periode):  # noqa: F811
    client.force_login(bappeda)
    assert _unggah(client, periode.pk + 99, xlsx(VALID)).status_code == 404


@pytest.mark.parametrize(
    "jenis, lain", [("paket", {}), ("bundel", {"jenis": "pdf"}), ("rapor_opd", {})]
)
def test_a_failed_job_is_not_started_again_by_someone_no_longer_in_the_role(
    client, operator_dinkes, sekretariat, tahun, jenis, lain
):
    # The secretariat's job, now owned by a person without the role (as after a role change).
    parameter = {"tahun": tahun.pk, **lain}
    job = pekerjaan_services.buat(jenis=jenis, judul="Gagal", by=sekretariat, parameter=parameter)
    pekerjaan_services.gagal(job, pesan="x")
    Pekerjaan.objects.filter(pk=job.pk).update(dibuat_oleh=operator_dinkes)
    client.force_login(operator_dinkes)
    response = client.post(f"/api/v1/pekerjaan/{job.pk}/ulangi/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Peran Anda tidak berhak memulai pekerjaan ini."
    assert Pekerjaan.objects.count() == 1
