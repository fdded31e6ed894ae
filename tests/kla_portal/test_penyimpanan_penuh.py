"""A disk that fills up during an upload: the person hears it in Indonesian, the database
rolls back and no file is left in the media folder, not even the part written before the
disk was full.

The disk is really full: the media folder is a 1 MiB tmpfs (mounting needs root). Where
mounting is not allowed, the kernel's file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored) makes
the write fail with a real EFBIG instead.
"""

import errno
import resource
import signal
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from clusters.models import Jawaban, Lampiran
from kla_portal.berkas import PenyimpananBerkas
from tests.conftest import PDF, berkas

PENUH = "Penyimpanan penuh; berkas tidak tersimpan. Hubungi admin."
MiB = 1024 * 1024


def pdf(ukuran: int) -> bytes:
    """A valid one-page PDF of about ``ukuran`` bytes (a long title in its information)."""
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF)))
    writer.add_metadata({"/Title": "x" * ukuran})
    keluaran = io.BytesIO()
    writer.write(keluaran)
    return keluaran.getvalue()


@pytest.fixture
def disk_penuh(settings, tmp_path):
    """The media folder on a disk with room for 1 MiB; yields how it was made full."""
    media = tmp_path / "media-penuh"
    media.mkdir()
    settings.MEDIA_ROOT = media
    try:
        mounted = (
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(media)],
                capture_output=True,
                check=False,
            ).returncode
            == 0
        )
    except OSError:  # no mount command
        mounted = False
    if mounted:
        try:
            yield "tmpfs"
        finally:
            subprocess.run(["umount", "-l", str(media)], check=False)
        return
    # No mount allowed: a file may not grow past 1 MiB in this process (uploads stay in
    # memory, so only the storage's write meets the limit).
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * MiB
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (MiB, old_limit[1]))
    try:
        yield "rlimit"
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
        signal.signal(signal.SIGXFSZ, old_handler)


def berkas_di(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_the_storage_removes_the_part_written_before_the_disk_was_full(settings, disk_penuh):
    storage = PenyimpananBerkas()
    with pytest.raises(OSError) as error:
        storage.save("clusters/lampiran/besar.pdf", ContentFile(pdf(2 * MiB)))
    assert error.value.errno in (errno.ENOSPC, errno.EFBIG)
    assert berkas_di(settings.MEDIA_ROOT) == []
    # A file that fits is stored whole.
    nama = storage.save("clusters/lampiran/kecil.pdf", ContentFile(pdf(1000)))
    assert storage.size(nama) == len(pdf(1000))


@pytest.mark.parametrize("upload", ["memory", "temporary file"])
def test_an_answer_whose_evidence_does_not_fit_changes_nothing_and_says_why(
    client, settings, disk_penuh, operator_dinkes, soal_dinkes, upload
):
    if upload == "temporary file" and disk_penuh == "tmpfs":
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # Django copies the upload from /tmp
    client.force_login(operator_dinkes)
    response = client.post(
        reverse("clusters:pertanyaan-detail", args=[soal_dinkes.pk]),
        {"versi": 0, "fraksi": "1", "berkas": [berkas("sk-besar.pdf", pdf(2 * MiB))]},
    )
    assert response.status_code == 400
    assert PENUH in response.content.decode()
    assert not Jawaban.objects.exists() and not Lampiran.objects.exists()
    assert berkas_di(settings.MEDIA_ROOT) == []


def test_a_first_file_that_fitted_is_removed_when_the_second_does_not(
    client, settings, disk_penuh, operator_dinkes, soal_dinkes
):
    client.force_login(operator_dinkes)
    response = client.post(
        reverse("clusters:pertanyaan-detail", args=[soal_dinkes.pk]),
        {
            "versi": 0,
            "fraksi": "1",
            "berkas": [
                berkas("sk-kecil.pdf", pdf(100_000)),
                berkas("foto-besar.pdf", pdf(2 * MiB)),
            ],
        },
    )
    assert PENUH in response.content.decode()
    assert not Lampiran.objects.exists()
    assert berkas_di(settings.MEDIA_ROOT) == []
