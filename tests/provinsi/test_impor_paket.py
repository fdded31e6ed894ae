"""A city running its own installation sends its year as the export package; the province
imports it (checksums and instrument checked, evidence included) and verifies it as a hosted
city's. A package of Cilegon's year, relabelled as Kabupaten Lebak's, stands for one made on
Lebak's own portal."""

import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from agencies.models import Peran, Wilayah
from clusters.models import EvaluasiDaerah, Jawaban, Lampiran, VerifikasiProvinsi
from laporan import paket
from provinsi import services
from tests.provinsi.conftest import orang

pytestmark = pytest.mark.django_db


def _paket(tahun, cilegon, tmp_path, *, kode="36.02", ubah=None) -> bytes:
    dibangun = paket.bangun(tahun, cilegon.pk, folder=tmp_path)
    with default_storage.open(dibangun.berkas, "rb") as f:
        asli = zipfile.ZipFile(io.BytesIO(f.read()))
    keluar = io.BytesIO()
    with zipfile.ZipFile(keluar, "w") as zf:
        for info in asli.infolist():
            isi = asli.read(info)
            if info.filename == paket.NAMA_JSON:
                data = json.loads(isi)
                data["kota"] = {"kode": kode, "nama": "Lebak"}
                if ubah:
                    ubah(data)
                isi = json.dumps(data).encode()
            zf.writestr(info.filename, isi)
    return keluar.getvalue()


def _unggah(client, isi: bytes, nama="paket.zip"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("provinsi:paket-impor"), {"berkas": SimpleUploadedFile(nama, isi)}, follow=True
    )


def test_the_package_lands_as_the_citys_year_waiting_for_the_province(
    client, tahun, tmp_path, cilegon, provinsi, cilegon_terverifikasi
):
    isi = _paket(tahun, cilegon, tmp_path)
    client.force_login(provinsi["admin"])
    response = _unggah(client, isi)
    assert "Paket Kabupaten Lebak 2024 diimpor: 3 jawaban, 1 data dukung" in (
        response.content.decode()
    )
    lebak = Wilayah.objects.get(kode="36.02")
    assert lebak.dilayani_sejak is not None
    jawaban = Jawaban.objects.filter(daerah=lebak)
    assert sorted(jawaban.values_list("poin_verifikator", flat=True)) == [6, 7, 8]
    assert set(jawaban.values_list("status", flat=True)) == {"terverifikasi"}
    assert set(jawaban.values_list("opd__singkatan", flat=True)) == {"Dinkes"}
    [bukti] = Lampiran.objects.filter(daerah=lebak)
    assert bukti.berkas.open("rb").read(5) == b"%PDF-"
    evaluasi = EvaluasiDaerah.objects.get(tahun=tahun, daerah=lebak)
    assert evaluasi.status_provinsi == "dikirim"
    assert VerifikasiProvinsi.objects.filter(daerah=lebak, status="menunggu").count() == 3

    # Verified the same way: a verifier assigned to Lebak reads it with its evidence.
    verifikator = orang(
        "verif.lebak", Peran.VERIFIKATOR_PROVINSI, daerah=lebak.induk, wilayah=lebak
    )
    client.force_login(verifikator)
    halaman = client.get(reverse("provinsi:verifikasi", args=[2024, lebak.pk]))
    assert halaman.status_code == 200 and "sk.pdf" in halaman.content.decode()
    assert client.get(bukti.get_absolute_url()).status_code == 200
    services.verifikasi_provinsi(
        verifikasi=VerifikasiProvinsi.objects.filter(daerah=lebak).first(),
        langkah="terima",
        by=verifikator,
        versi=1,
    )

    # Imported twice: refused.
    client.force_login(provinsi["admin"])
    assert "tidak diimpor dua kali" in _unggah(client, isi).content.decode()
    assert Jawaban.objects.filter(daerah=lebak).count() == 3


def _tanpa_perubahan():
    assert not Wilayah.objects.filter(kode="36.02", dilayani_sejak__isnull=False).exists()
    assert not Jawaban.objects.filter(daerah__kode="36.02").exists()
    assert not Lampiran.objects.filter(daerah__kode="36.02").exists()


def test_a_bad_package_is_refused_with_its_reason_and_writes_nothing(
    client, tahun, tmp_path, cilegon, provinsi, cilegon_terverifikasi
):
    client.force_login(provinsi["admin"])
    berkas_awal = set(default_storage.listdir("lampiran/2024")[1])
    baik = _paket(tahun, cilegon, tmp_path)
    # An evidence file changed after the package was made.
    rusak = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(baik)) as asli, zipfile.ZipFile(rusak, "w") as zf:
        for info in asli.infolist():
            isi = asli.read(info)
            if info.filename.startswith("bukti/"):
                isi = isi.replace(b"%PDF-", b"%PDF-X", 1)
            zf.writestr(info.filename, isi)
    kasus = [
        (rusak.getvalue(), "checksum SHA-256 tidak cocok"),
        (b"bukan zip", "bukan ZIP paket evaluasi KLA"),
        (_paket(tahun, cilegon, tmp_path, kode="32.73"), "bukan kabupaten/kota Provinsi Banten"),
        (
            _paket(tahun, cilegon, tmp_path, ubah=lambda d: d["instrumen"].update(sidik="x")),
            "Instrumen paket berbeda",
        ),
        (
            _paket(
                tahun,
                cilegon,
                tmp_path,
                ubah=lambda d: d["jawaban"][0].update(status="menunggu_verifikasi"),
            ),
            "1 jawaban kab/kota di paket belum diverifikasi kota",
        ),
    ]
    for isi, pesan in kasus:
        halaman = _unggah(client, isi).content.decode()
        assert "Paket tidak diimpor" in halaman and pesan in halaman, pesan
        _tanpa_perubahan()
    assert set(default_storage.listdir("lampiran/2024")[1]) == berkas_awal
    # A city's secretariat cannot import for the province.
    client.force_login(provinsi["pimpinan"])
    assert _unggah(client, baik).status_code == 403
    _tanpa_perubahan()
