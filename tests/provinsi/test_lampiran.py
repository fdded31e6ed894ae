"""The governor's-letter attachment: built by a real worker while its page shows progress, a
PDF opened and read, downloadable by the province's own people only."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agencies import services as agencies_services
from agencies.models import Peran
from clusters import services as clusters_services
from kla_portal.models import Pekerjaan
from provinsi import lampiran, services
from provinsi.tasks import bangun_lampiran
from tests.laporan.conftest import amati
from tests.provinsi.conftest import orang, vp


def _teks(isi: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(isi)).pages)


def _siapkan(tahun, cilegon, warga_cilegon, provinsi, cilegon_terverifikasi):
    services.kirim_ke_provinsi(tahun=tahun, kota=cilegon, by=warga_cilegon["sekretariat"])
    j = cilegon_terverifikasi
    services.verifikasi_provinsi(
        verifikasi=vp(j["q1"]),
        langkah="terima",
        poin=Decimal(5),
        by=provinsi["verifikator"],
        versi=1,
    )
    services.verifikasi_provinsi(
        verifikasi=vp(j["q4"]),
        langkah="kembalikan",
        alasan="Foto kegiatan tidak terbaca.",
        by=provinsi["verifikator"],
        versi=1,
    )
    clusters_services.skor_hitung(tahun=tahun, daerah_id=cilegon.pk)


@pytest.mark.django_db
def test_the_attachment_names_each_city_its_totals_and_the_provinces_changes(
    client, tahun, kota_serang, cilegon, warga_cilegon, provinsi, cilegon_terverifikasi
):
    _siapkan(tahun, cilegon, warga_cilegon, provinsi, cilegon_terverifikasi)
    client.force_login(provinsi["pimpinan"])
    response = client.post(reverse("provinsi:lampiran"), {"tahun": 2024})
    job = Pekerjaan.objects.get(jenis=lampiran.JENIS)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.parameter == {"tahun": tahun.pk, "provinsi": cilegon.induk_id}
    # A second click while it is being built: refused, no second job.
    response = client.post(reverse("provinsi:lampiran"), {"tahun": 2024}, follow=True)
    assert "sedang dibuat" in response.content.decode()
    assert Pekerjaan.objects.filter(jenis=lampiran.JENIS).count() == 1

    bangun_lampiran(job.pk)  # what the worker runs
    job.refresh_from_db()
    assert job.status == Pekerjaan.Status.SELESAI, job.pesan
    unduh = client.get(reverse("provinsi:lampiran-unduh", args=[job.pk]))
    assert unduh["Content-Type"] == "application/pdf"
    isi = b"".join(unduh.streaming_content)
    teks = _teks(isi)
    assert "Hasil verifikasi administrasi KLA 2024" in teks
    assert "Kota Cilegon" in teks and "Kota Serang" in teks
    # Cilegon, q4 returned: city-verified 6 + 8 = 14; the province accepted q1 alone, at 5.
    assert "Poin terverifikasi kab/kota 14,00; poin verifikasi provinsi 5,00" in teks
    assert "Dikembalikan: Foto kegiatan tidak terbaca." in teks
    assert "Diterima dengan poin provinsi" in teks  # q1 at 5 against the city's 6
    assert "Kabupaten Lebak: belum dilayani portal" in teks

    # Another province's people, and a city's, never get it.
    bandung = agencies_services.kabkota_layani(kode="32.73").kabkota
    client.force_login(orang("admin.jabar", Peran.ADMIN_PROVINSI, daerah=bandung.induk))
    assert client.get(reverse("provinsi:lampiran-unduh", args=[job.pk])).status_code == 404
    client.force_login(warga_cilegon["sekretariat"])
    assert client.get(reverse("provinsi:lampiran-unduh", args=[job.pk])).status_code == 403


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_it_while_the_bar_moves(
    client,
    tahun,
    kota_serang,
    cilegon,
    warga_cilegon,
    provinsi,
    cilegon_terverifikasi,
    celery_worker_process,
):
    _siapkan(tahun, cilegon, warga_cilegon, provinsi, cilegon_terverifikasi)
    client.force_login(provinsi["admin"])
    client.post(reverse("provinsi:lampiran"), {"tahun": 2024})
    job = Pekerjaan.objects.get(jenis=lampiran.JENIS)
    terlihat = amati(job, jeda=0.01)
    assert job.status == Pekerjaan.Status.SELESAI, job.pesan
    assert terlihat[-1] == (100, "Selesai.")
    assert any(0 < persen < 100 for persen, _langkah in terlihat), terlihat
    panel = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "Unduh PDF" in panel
    unduh = client.get(reverse("provinsi:lampiran-unduh", args=[job.pk]))
    assert "Kota Cilegon" in _teks(b"".join(unduh.streaming_content))
