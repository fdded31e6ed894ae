"""The export package of an evaluation year: built by a worker into a ZIP with paket.json and
the evidence files, with the figures worked out by hand for the small year of conftest, and
read back by ``paket_baca``, which refuses a tampered package in plain Indonesian."""

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest

from clusters.models import Lampiran
from kla_portal.models import Pekerjaan
from laporan import paket
from tests.laporan.conftest import amati


@pytest.fixture
def paket_seketika(monkeypatch):
    """A worker that takes the package's job the moment it is queued, in this process (as with
    CELERY_TASK_ALWAYS_EAGER): the test's transaction never commits."""
    from kla_portal import antrean

    def kirim_sekarang(task, *args, pekerjaan=None, **kwargs):
        task.apply(args=args, kwargs=kwargs, task_id=pekerjaan.task_id, throw=True)
        return antrean.Kiriman()

    monkeypatch.setattr(antrean, "kirim_saat_commit", kirim_sekarang)


@pytest.fixture
def paket_jadi(paket_seketika, bukti_lengkap, tahun, sekretariat, kota_serang):
    job = paket.paket_minta(tahun=tahun, by=sekretariat)
    job.refresh_from_db()
    assert job.status == Pekerjaan.Status.SELESAI, job.pesan
    return job


def _zip(job) -> zipfile.ZipFile:
    from django.core.files.storage import default_storage

    with default_storage.open(job.hasil["berkas"], "rb") as berkas:
        return zipfile.ZipFile(io.BytesIO(berkas.read()))


def _data(job) -> dict:
    return json.loads(_zip(job).read("paket.json"))


def _jawaban(data, indikator, kode, wilayah=None) -> dict:
    (baris,) = [
        j
        for j in data["jawaban"]
        if j["pertanyaan"] == {"indikator": indikator, "kode": kode} and j["wilayah"] == wilayah
    ]
    return baris


def test_the_package_holds_the_year_the_city_and_the_instrument(paket_jadi, tahun, kota_serang):
    data = _data(paket_jadi)
    assert data["format"] == "kla-paket-evaluasi"
    assert data["versi_format"] == 1
    assert data["kota"] == {"kode": "36.73", "nama": kota_serang.nama}
    assert "Serang" in data["kota"]["nama"]
    assert data["tahun"] == tahun.tahun
    assert data["dibuat_oleh"] == "sekretariat"
    instrumen = data["instrumen"]
    assert instrumen["kelompok"] == ["KELEMBAGAAN", "KLASTER III"]
    assert [(i["kode"], i["kelompok"], i["nilai_max"]) for i in instrumen["indikator"]] == [
        ("Indikator 1", "KELEMBAGAAN", "10.00"),
        ("Indikator 15", "KLASTER III", "20.00"),
        ("Indikator 16", "KLASTER III", "4.00"),
    ]
    assert [(p["indikator"], p["kode"]) for p in instrumen["pertanyaan"]] == [
        ("Indikator 1", "Pertanyaan 1"),
        ("Indikator 15", "Pertanyaan 1"),
        ("Indikator 15", "Pertanyaan 2"),
        ("Indikator 16", "Pertanyaan 1"),
        ("Indikator 16", "Pertanyaan 2"),
    ]
    kode = [
        ["Indikator 1", "Pertanyaan 1"],
        ["Indikator 15", "Pertanyaan 1"],
        ["Indikator 15", "Pertanyaan 2"],
        ["Indikator 16", "Pertanyaan 1"],
        ["Indikator 16", "Pertanyaan 2"],
    ]
    assert instrumen["sidik"] == hashlib.sha256(json.dumps(kode).encode()).hexdigest()


def test_every_answer_has_its_values_points_state_and_agency(paket_jadi):
    data = _data(paket_jadi)
    assert len(data["jawaban"]) == 5  # four city answers and Cipare's own
    perda = _jawaban(data, "Indikator 1", "Pertanyaan 1")
    # 10 × 0,75 = 7,50 claimed; its two files back it; not verified yet.
    assert perda["poin"] == {
        "diklaim": "7.50",
        "berbukti": "7.50",
        "terverifikasi": None,
        "kurang_bukti": False,
    }
    assert perda["status"] == "draft"
    assert perda["opd"] == "DP3AP2KB"
    assert perda["nilai"]["fraksi"] == "0.7500"
    assert perda["nilai"]["catatan"].startswith("Perda Nomor 5 Tahun 2022.")
    puskesmas = _jawaban(data, "Indikator 15", "Pertanyaan 1")
    # 12 × 1 = 12 claimed, backed by four files; the verifier gave 9.
    assert puskesmas["poin"] == {
        "diklaim": "12.00",
        "berbukti": "12.00",
        "terverifikasi": "9.00",
        "kurang_bukti": False,
    }
    assert puskesmas["status"] == "terverifikasi"
    assert puskesmas["opd"] == "Dinkes"
    assert puskesmas["nilai"]["angka_tahun_ini"] == "16.00"
    assert puskesmas["nilai"]["angka_tahun_lalu"] == "12.00"
    assert [(s["status"], s["oleh"]) for s in puskesmas["riwayat"]["status"]] == [
        ("draft", "operator.dinkes"),
        ("menunggu_kepala", "operator.dinkes"),
        ("menunggu_verifikasi", "kepala.dinkes"),
        ("terverifikasi", "sekretariat"),
    ]
    # Saved, four files attached (each saves the answer), sent, approved, verified.
    assert puskesmas["riwayat"]["perubahan"] == 8
    # 8 × 0,5 = 4.
    sdm = _jawaban(data, "Indikator 15", "Pertanyaan 2")
    assert sdm["poin"]["diklaim"] == "4.00" and sdm["poin"]["berbukti"] == "4.00"
    # 1,5 given directly, but the evidence the question requires is missing.
    sanitasi = _jawaban(data, "Indikator 16", "Pertanyaan 1")
    assert sanitasi["poin"] == {
        "diklaim": "1.50",
        "berbukti": "0.00",
        "terverifikasi": None,
        "kurang_bukti": True,
    }
    assert sanitasi["bukti"] == []
    cipare = [j for j in data["jawaban"] if j["wilayah"] is not None]
    assert len(cipare) == 1
    assert cipare[0]["pertanyaan"] == {"indikator": "Indikator 16", "kode": "Pertanyaan 2"}
    assert cipare[0]["nilai"]["fraksi"] == "1.0000"
    assert cipare[0]["poin"] is None  # a kelurahan's answer counts through the city's coverage


def test_the_totals_per_agency_are_the_scores(paket_jadi):
    skor = _data(paket_jadi)["skor"]
    # Indicator 1: 7,5 | 7,5 | 0; indicator 15: 16 | 16 | 9; indicator 16: 1,5 | 0 | 0.
    assert skor["total"] == {
        "max": "34.00",
        "diklaim": "25.00",
        "berbukti": "23.50",
        "terverifikasi": "9.00",
    }
    assert skor["per_opd"] == [
        {
            "opd": "DP3AP2KB",
            "nama": skor["per_opd"][0]["nama"],
            "max": "12.00",
            "diklaim": "7.50",
            "berbukti": "7.50",
            "terverifikasi": "0.00",
        },
        {
            "opd": "Dinkes",
            "nama": skor["per_opd"][1]["nama"],
            "max": "20.00",
            "diklaim": "16.00",
            "berbukti": "16.00",
            "terverifikasi": "9.00",
        },
        {
            "opd": "Dinsos",
            "nama": skor["per_opd"][2]["nama"],
            "max": "2.00",
            "diklaim": "1.50",
            "berbukti": "0.00",
            "terverifikasi": "0.00",
        },
    ]


def test_the_manifest_lists_every_file_with_its_checksum(paket_jadi):
    zf = _zip(paket_jadi)
    data = json.loads(zf.read("paket.json"))
    manifest = data["bukti"]
    aktif = Lampiran.objects.aktif().filter(jawaban__pertanyaan__tahun__tahun=data["tahun"])
    assert len(manifest) == aktif.count() == 9
    assert sorted(m["nama_asli"] for m in manifest) == sorted(
        [
            "perda-kla.pdf",
            "perda-terkunci.pdf",
            "foto-puskesmas.jpg",
            "denah-lanskap.pdf",
            "sk-pemilik.pdf",
            "rekap.xlsx",
            "sertifikat-rusak.pdf",
            "foto-rusak.png",
            "sk-patbm-cipare.pdf",
        ]
    )
    per_sha = {b.sha256: b for b in aktif}
    for entri in manifest:
        isi = zf.read(entri["path"])
        assert entri["path"].startswith("bukti/")
        assert hashlib.sha256(isi).hexdigest() == entri["sha256"]
        assert len(isi) == entri["ukuran"]
        # The same bytes as the stored evidence, whose checksum was taken at upload.
        lampiran = per_sha[entri["sha256"]]
        assert Path(lampiran.berkas.path).read_bytes() == isi
        assert lampiran.nama_asli == entri["nama_asli"]
    disebut = {p for j in data["jawaban"] for p in j["bukti"]}
    assert disebut == {m["path"] for m in manifest}
    assert sorted(zf.namelist()) == sorted(["paket.json", *disebut])
    # The job keeps the ZIP's own size and checksum.
    from django.core.files.storage import default_storage

    with default_storage.open(paket_jadi.hasil["berkas"], "rb") as berkas:
        utuh = berkas.read()
    assert hashlib.sha256(utuh).hexdigest() == paket_jadi.hasil["sha256"]
    assert len(utuh) == paket_jadi.hasil["ukuran"]
    assert paket_jadi.hasil["nama_berkas"].startswith("paket-kla-")


def test_the_reader_accepts_the_package(paket_jadi):
    from django.core.files.storage import default_storage

    with default_storage.open(paket_jadi.hasil["berkas"], "rb") as berkas:
        hasil = paket.paket_baca(berkas)
    assert hasil.masalah == []
    assert hasil.ok
    assert hasil.data["tahun"] == 2024
    assert len(hasil.data["jawaban"]) == 5


# --- Tampered packages ------------------------------------------------------------------------


def _ulang(job, *, ubah=None, tambah=None, buang=(), json_baru=None) -> io.BytesIO:
    """The package written again with some entries changed, added or left out."""
    asal = _zip(job)
    keluar = io.BytesIO()
    with zipfile.ZipFile(keluar, "w") as zf:
        for nama in asal.namelist():
            if nama in buang:
                continue
            isi = asal.read(nama)
            if nama == "paket.json" and json_baru is not None:
                data = json.loads(isi)
                json_baru(data)
                isi = json.dumps(data).encode()
            if ubah and nama in ubah:
                isi = ubah[nama]
            zf.writestr(nama, isi)
        for nama, isi in (tambah or {}).items():
            zf.writestr(nama, isi)
    keluar.seek(0)
    return keluar


def test_a_changed_file_is_a_checksum_mismatch(paket_jadi):
    jalur = _data(paket_jadi)["bukti"][0]["path"]
    hasil = paket.paket_baca(_ulang(paket_jadi, ubah={jalur: b"diganti"}))
    assert not hasil.ok
    assert hasil.masalah == [
        f"Data dukung {jalur} rusak atau diubah: checksum SHA-256 tidak cocok."
    ]


def test_a_missing_file_is_named(paket_jadi):
    jalur = _data(paket_jadi)["bukti"][1]["path"]
    hasil = paket.paket_baca(_ulang(paket_jadi, buang={jalur}))
    assert hasil.masalah == [f"Data dukung {jalur} tidak ada di dalam paket."]


def test_a_path_leaving_the_folder_is_refused(paket_jadi):
    def jahat(data):
        data["bukti"][0]["path"] = "../x"

    hasil = paket.paket_baca(_ulang(paket_jadi, tambah={"../x": b"jahat"}, json_baru=jahat))
    assert not hasil.ok
    assert "Jalur berkas di dalam paket tidak aman: ../x." in hasil.masalah
    assert "Jalur data dukung tidak aman: ../x." in hasil.masalah


def test_another_format_version_is_refused(paket_jadi):
    def versi(data):
        data["versi_format"] = 99

    hasil = paket.paket_baca(_ulang(paket_jadi, json_baru=versi))
    assert hasil.masalah == ["Versi format paket 99 tidak didukung; portal ini membaca versi 1."]


def test_an_unlisted_file_and_a_repeated_entry_are_named(paket_jadi):
    jalur = _data(paket_jadi)["bukti"][0]["path"]
    with pytest.warns(UserWarning, match="Duplicate name"):
        diubah = _ulang(paket_jadi, tambah={"bukti/tambahan.exe": b"MZ", jalur: b"kembar"})
    hasil = paket.paket_baca(diubah)
    assert hasil.masalah == [
        f"Berkas {jalur} muncul lebih dari sekali di dalam paket.",
        f"Data dukung {jalur} rusak atau diubah: checksum SHA-256 tidak cocok.",
        "Berkas bukti/tambahan.exe tidak tercantum di daftar data dukung.",
    ]


def test_a_file_larger_than_the_manifest_says_is_not_read_through(paket_jadi):
    def kecil(data):
        data["bukti"][0]["ukuran"] = 3

    jalur = _data(paket_jadi)["bukti"][0]["path"]
    hasil = paket.paket_baca(_ulang(paket_jadi, json_baru=kecil))
    assert hasil.masalah == [
        f"Data dukung {jalur} rusak atau diubah: checksum SHA-256 tidak cocok."
    ]


def test_not_a_zip_is_said_so(db):
    hasil = paket.paket_baca(io.BytesIO(b"%PDF-1.7 bukan zip"))
    assert hasil.masalah == ["Berkas ini bukan ZIP paket evaluasi KLA."]
    assert hasil.data is None and not hasil.ok


def test_a_zip_without_paket_json_is_said_so(db):
    keluar = io.BytesIO()
    with zipfile.ZipFile(keluar, "w") as zf:
        zf.writestr("lain.txt", "x")
    hasil = paket.paket_baca(keluar)
    assert hasil.masalah == ["paket.json tidak ada di dalam paket."]


# --- Asking for a package ---------------------------------------------------------------------


def test_a_second_package_while_one_is_queued_is_refused(instrumen_kecil, tahun, sekretariat):
    from django.core.exceptions import ValidationError

    paket.paket_minta(tahun=tahun, by=sekretariat)
    with pytest.raises(ValidationError, match="sedang dibuat"):
        paket.paket_minta(tahun=tahun, by=sekretariat)
    assert Pekerjaan.objects.filter(jenis="paket").count() == 1


def test_a_year_without_instrument_is_refused(tahun, sekretariat):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="belum memiliki instrumen"):
        paket.paket_minta(tahun=tahun, by=sekretariat)
    assert not Pekerjaan.objects.filter(jenis="paket").exists()


def test_the_page_download_is_for_city_wide_roles(paket_jadi, client, operator_dinkes, pimpinan):
    url = f"/laporan/paket/{paket_jadi.pk}/unduh/"
    client.force_login(operator_dinkes)
    assert client.get(url).status_code == 403
    client.force_login(pimpinan)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_the_reports_page_starts_a_package_and_follows_it(
    client, paket_seketika, instrumen_kecil, tahun, sekretariat, operator_dinkes
):
    client.force_login(operator_dinkes)
    assert client.post("/laporan/paket/buat/", {"tahun": tahun.tahun}).status_code == 403
    assert not Pekerjaan.objects.exists()
    client.force_login(sekretariat)
    assert "Buat paket ekspor 2024" in client.get("/laporan/?tahun=2024").content.decode()
    response = client.post("/laporan/paket/buat/", {"tahun": tahun.tahun})
    job = Pekerjaan.objects.get(jenis="paket")
    assert response.status_code == 302 and response["Location"] == f"/pekerjaan/{job.pk}/"
    halaman = client.get(response["Location"]).content.decode()
    assert f"/laporan/paket/{job.pk}/unduh/" in halaman
    assert "0 jawaban, 0 data dukung." in halaman


def test_a_failed_package_is_tried_again(
    client, paket_seketika, instrumen_kecil, tahun, sekretariat
):
    from kla_portal import pekerjaan as pekerjaan_services

    gagal = pekerjaan_services.buat(
        jenis="paket", judul="Paket", by=sekretariat, parameter={"tahun": tahun.pk}
    )
    pekerjaan_services.gagal(gagal, pesan="Pekerja berhenti.")
    client.force_login(sekretariat)
    response = client.post(f"/api/v1/pekerjaan/{gagal.pk}/ulangi/")
    assert response.status_code == 202
    assert response.json()["status"] == "selesai"
    assert response.json()["id"] != gagal.pk


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_package(celery_worker_process, bukti_lengkap, tahun, sekretariat):
    job = paket.paket_minta(tahun=tahun, by=sekretariat)
    terlihat = amati(job)
    assert job.status == Pekerjaan.Status.SELESAI, job.pesan
    assert terlihat[-1] == (100, "Selesai.")
    # Progress only grows; a fast worker may finish between two polls, so no step is required.
    assert [p for p, _langkah in terlihat] == sorted(p for p, _langkah in terlihat)
    from django.core.files.storage import default_storage

    with default_storage.open(job.hasil["berkas"], "rb") as berkas:
        assert paket.paket_baca(berkas).ok
