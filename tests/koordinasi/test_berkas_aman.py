"""A decree carrying scripts is stored without them and served in a sandbox."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import SkGugusTugas
from tests.kla_portal.test_berkas_aman import assert_bersih, pdf_berbahaya


def test_a_decree_is_stored_clean_and_served_in_a_sandbox(client, sekretariat, gugus_kota):
    client.force_login(sekretariat)
    response = client.post(
        reverse("koordinasi:sk-tambah", args=[gugus_kota.pk]),
        {
            "nomor": "463/Kep.41-Huk/2026",
            "tanggal": "2026-02-02",
            "berlaku_mulai": "2026-02-02",
            "berkas": SimpleUploadedFile("sk-gugus-tugas.pdf", pdf_berbahaya()),
        },
    )
    assert response.status_code == 302
    sk = SkGugusTugas.objects.get(nomor="463/Kep.41-Huk/2026")
    with sk.berkas.open("rb") as stored:
        assert_bersih(stored.read())
    download = client.get(reverse("koordinasi:sk-unduh", args=[sk.pk]))
    assert download.status_code == 200
    assert download["Content-Security-Policy"] == "sandbox"
    assert download["X-Content-Type-Options"] == "nosniff"
