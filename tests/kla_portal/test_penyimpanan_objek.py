"""Files in an S3-compatible object store (moto's server, a process of its own over HTTP):
evidence uploaded, listed and downloaded through the permission-checked view with the same
headers; nothing written in the media folder. And the store gone: a missing bucket, refused
keys, nobody answering: /health/ names it, an upload is refused in Indonesian with nothing
written (no record without its file, no file without its record), a download says so with a
503; once the store is back everything is served again."""

import pytest
from django.urls import reverse

from clusters.models import Jawaban, Lampiran
from kla_portal import health
from tests.conftest import PDF, berkas
from tests.s3 import ServerS3, port_bebas

TIDAK_TERJANGKAU = "Penyimpanan berkas sedang tidak dapat dijangkau"


def unggah(client, soal, *files, versi=0):
    return client.post(
        reverse("clusters:pertanyaan-detail", args=[soal.pk]),
        {"versi": versi, "fraksi": "1", "berkas": list(files)},
    )


def berkas_lokal(settings) -> list:
    return [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


@pytest.fixture
def media_kosong(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


def test_evidence_goes_to_the_bucket_and_downloads_with_the_same_headers(
    client, s3, media_kosong, settings, operator_dinkes, soal_dinkes, kepala_dinkes
):
    client.force_login(operator_dinkes)
    assert unggah(client, soal_dinkes, berkas("sk-gugus.pdf")).status_code == 302

    lampiran = Lampiran.objects.get()
    assert s3.isi() == {lampiran.berkas.name: PDF}  # the object store holds it, whole
    assert berkas_lokal(settings) == []  # and nothing local that another host would need

    client.force_login(kepala_dinkes)
    unduh = client.get(reverse("clusters:lampiran-unduh", args=[lampiran.pk]))
    assert unduh.status_code == 200
    assert b"".join(unduh.streaming_content) == PDF
    assert unduh["Content-Type"] == "application/pdf"
    assert unduh["Content-Disposition"] == 'inline; filename="sk-gugus.pdf"'
    assert unduh["X-Content-Type-Options"] == "nosniff"
    assert unduh["Content-Security-Policy"] == "sandbox"
    assert unduh["Cache-Control"] == "private, max-age=0"


def test_a_missing_bucket_refuses_the_upload_and_writes_nothing(
    client, s3, settings, operator_dinkes, soal_dinkes
):
    settings.STORAGES = {**settings.STORAGES, "default": s3.server.storages("tidak-ada")}
    client.force_login(operator_dinkes)
    response = unggah(client, soal_dinkes, berkas("sk-gugus.pdf"))
    assert response.status_code == 400
    assert TIDAK_TERJANGKAU in response.content.decode()
    assert not Jawaban.objects.exists() and not Lampiran.objects.exists()
    storage = health.check_storage()
    assert storage == health.Check(False, "NoSuchBucket")


def test_a_store_that_does_not_answer_is_told_and_serves_again_once_back(
    client, settings, operator_dinkes, kepala_dinkes, soal_dinkes
):
    """The store stops (its process killed by PID), the person uploads: refused, nothing
    written; /health/ says "storage" is down. Started again on the same port with the same
    bucket: the upload goes through and downloads."""
    server = ServerS3(port_bebas()).mulai()
    try:
        bucket = server.bucket_baru()
        settings.STORAGES = {**settings.STORAGES, "default": server.storages(bucket)}
        client.force_login(operator_dinkes)
        server.hentikan()

        response = unggah(client, soal_dinkes, berkas("sk-gugus.pdf"))
        assert response.status_code == 400
        assert TIDAK_TERJANGKAU in response.content.decode()
        assert not Jawaban.objects.exists() and not Lampiran.objects.exists()
        assert health.check_storage() == health.Check(False, "EndpointConnectionError")

        server.mulai()
        server.klien().create_bucket(Bucket=bucket)  # moto keeps nothing across a restart
        assert health.check_storage().ok
        assert unggah(client, soal_dinkes, berkas("sk-gugus.pdf")).status_code == 302
        lampiran = Lampiran.objects.get()
        assert server.isi(bucket) == {lampiran.berkas.name: PDF}

        # Gone again while someone downloads: a 503 page saying so, not a server error.
        server.hentikan()
        client.force_login(kepala_dinkes)
        unduh = client.get(reverse("clusters:lampiran-unduh", args=[lampiran.pk]))
        assert unduh.status_code == 503
        assert "sehingga berkas ini belum dapat dibuka" in unduh.content.decode()
    finally:
        server.hentikan()


def test_refused_keys_refuse_the_upload_and_are_named_on_health(
    client, settings, operator_dinkes, soal_dinkes
):
    """A store that checks signatures (moto with its IAM checks on) and a wrong secret."""
    server = ServerS3(periksa_kunci=True).mulai()
    try:
        bucket = server.bucket_baru()
        settings.STORAGES = {
            **settings.STORAGES,
            "default": server.storages(bucket, secret_key="sandi-yang-salah"),
        }
        # The first request (does the name exist?) is a HEAD: its refusal carries no body.
        assert health.check_storage() == health.Check(False, "HTTP 403")
        client.force_login(operator_dinkes)
        response = unggah(client, soal_dinkes, berkas("sk-gugus.pdf"))
        assert response.status_code == 400
        assert TIDAK_TERJANGKAU in response.content.decode()
        assert not Jawaban.objects.exists() and not Lampiran.objects.exists()
        assert server.isi(bucket) == {}
    finally:
        server.hentikan()


def test_a_file_gone_from_the_bucket_is_not_found_not_an_outage(
    client, s3, operator_dinkes, soal_dinkes, kepala_dinkes
):
    client.force_login(operator_dinkes)
    assert unggah(client, soal_dinkes, berkas("sk-gugus.pdf")).status_code == 302
    lampiran = Lampiran.objects.get()
    s3.server.klien().delete_object(Bucket=s3.bucket, Key=lampiran.berkas.name)
    client.force_login(kepala_dinkes)
    unduh = client.get(reverse("clusters:lampiran-unduh", args=[lampiran.pk]))
    assert unduh.status_code == 404


def test_a_bundle_meeting_a_store_that_is_down_fails_instead_of_calling_evidence_bad(
    client, s3, settings, operator_dinkes, soal_dinkes, tmp_path
):
    """The bundle judges each evidence file on its own (a corrupt one is listed as not
    included); a store that does not answer is no fault of the file: the build stops, and its
    job says why (laporan.tasks), rather than a bundle listing every file as broken."""
    from botocore.exceptions import EndpointConnectionError

    from laporan import bukti

    client.force_login(operator_dinkes)
    assert unggah(client, soal_dinkes, berkas("sk-gugus.pdf")).status_code == 302
    lampiran = Lampiran.objects.get()
    assert bukti.siapkan(lampiran, nomor=1, folder=tmp_path).disisipkan
    mati = f"http://127.0.0.1:{port_bebas()}"
    settings.STORAGES = {**settings.STORAGES, "default": s3.server.storages(s3.bucket, url=mati)}
    with pytest.raises(EndpointConnectionError):
        bukti.siapkan(Lampiran.objects.get(), nomor=1, folder=tmp_path)
