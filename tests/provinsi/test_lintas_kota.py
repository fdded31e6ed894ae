"""Every role of Kota Serang and of the province against Kota Cilegon's records: every page,
download, ICS feed and API endpoint that names one by its id answers "not found" (or "not
allowed"), and a write naming one changes nothing. Cilegon's own people read the same records
(so the ids are real)."""

import pytest
from django.urls import reverse

from agencies.models import Peran, User
from clusters.models import Jawaban, Lampiran
from tests.agencies.test_dua_kota import _data_kota
from tests.conftest import PDF, berkas
from tests.provinsi.conftest import orang

pytestmark = pytest.mark.django_db

SERANG = ["admin_portal_kota", "sekretariat", "bappeda", "pimpinan", "operator_dinkes"]
PROVINSI = ["admin", "pimpinan", "verifikator_serang"]


@pytest.fixture
def cilegon_data(cilegon, dinkes_cilegon, warga_cilegon, soal_cilegon, tahun):
    data = _data_kota(cilegon, dinkes_cilegon, warga_cilegon["sekretariat"], soal_cilegon["q1"])
    jawaban = data["jawaban"]
    lampiran = Lampiran.objects.create(
        jawaban=jawaban,
        berkas=berkas("sk.pdf", PDF),
        nama_asli="sk.pdf",
        jenis="application/pdf",
        ukuran=len(PDF),
        sha256="0" * 64,
        diunggah_oleh=warga_cilegon["operator"],
    )
    return {**data, "lampiran": lampiran, "opd": dinkes_cilegon, "orang": warga_cilegon}


def _alamat(d, cilegon) -> list[str]:
    kecamatan = d["fasilitas"].wilayah.kode
    return [
        reverse("agencies:opd-detail", args=[d["opd"].pk]),
        reverse("agencies:opd-edit", args=[d["opd"].pk]),
        reverse("agencies:pengguna-detail", args=[d["orang"]["operator"].pk]),
        reverse("agencies:wilayah-detail", args=[kecamatan]),
        reverse("clusters:jawaban-detail", args=[d["jawaban"].pk]),
        reverse("clusters:lampiran-unduh", args=[d["lampiran"].pk]),
        reverse("rencana_aksi:periode-detail", args=[d["periode"].pk]),
        reverse("rencana_aksi:dasbor", args=[d["periode"].pk]),
        reverse("rencana_aksi:aksi-list", args=[d["periode"].pk]),
        reverse("rencana_aksi:aksi-detail", args=[d["aksi"].pk]),
        reverse("rencana_aksi:realisasi", args=[d["aksi"].pk, 2025, 1]),
        reverse("koordinasi:gugus-tugas-detail", args=[d["gugus"].pk]),
        reverse("koordinasi:personil", args=[d["personil"].pk]),
        reverse("koordinasi:rapat-detail", args=[d["rapat"].pk]),
        reverse("koordinasi:rapat-ics", args=[d["rapat"].pk]),
        reverse("koordinasi:tindak-lanjut-detail", args=[d["tindak"].pk]),
        reverse("koordinasi:fasilitas-unit", args=[kecamatan]),
        reverse("laporan:rapor-opd", args=[2024, d["opd"].pk]),
        f"/api/v1/opd/{d['opd'].pk}/",
        f"/api/v1/jawaban/{d['jawaban'].pk}/",
        f"/api/v1/jawaban/{d['jawaban'].pk}/riwayat/",
        f"/api/v1/bukti/{d['lampiran'].pk}/unduh/",
        f"/api/v1/gugus-tugas/{d['gugus'].pk}/",
        f"/api/v1/personil/{d['personil'].pk}/",
        f"/api/v1/fasilitas/{d['fasilitas'].pk}/",
        f"/api/v1/rad/periode/{d['periode'].pk}/",
        f"/api/v1/rad/periode/{d['periode'].pk}/pemantauan/",
        f"/api/v1/rad/aksi/{d['aksi'].pk}/",
        f"/api/v1/rapat/{d['rapat'].pk}/",
        f"/api/v1/tindak-lanjut/{d['tindak'].pk}/",
        f"/api/v1/wilayah/{kecamatan}/",
    ]


@pytest.fixture
def orang_lain(kota_serang, banten, make_person, sekretariat, bappeda, pimpinan, operator_dinkes):
    admin_kota = orang("admin.serang", Peran.ADMIN, daerah=kota_serang)
    return {
        "admin_portal_kota": admin_kota,
        "sekretariat": sekretariat,
        "bappeda": bappeda,
        "pimpinan": pimpinan,
        "operator_dinkes": operator_dinkes,
    }


def test_no_role_of_the_other_city_or_of_the_province_reads_a_citys_records_by_id(
    client, cilegon, cilegon_data, orang_lain, provinsi
):
    alamat = _alamat(cilegon_data, cilegon)
    # Cilegon's secretariat reads its own records: the ids are real.
    client.force_login(cilegon_data["orang"]["sekretariat"])
    sendiri = {url: client.get(url).status_code for url in alamat}
    # (an answer's address leads to its question's page)
    assert {url for url, status in sendiri.items() if status not in (200, 302)} == set(), sendiri
    bocor = []
    # The Kemendagri list of its own regions is the province's to read.
    wilayah = {url for url in alamat if "wilayah/" in url}
    for nama, user in [*orang_lain.items(), *((f"provinsi.{k}", provinsi[k]) for k in PROVINSI)]:
        client.force_login(user)
        for url in alamat:
            if nama.startswith("provinsi.") and url in wilayah:
                continue
            status = client.get(url).status_code
            if status not in (403, 404):
                bocor.append((nama, url, status))
    assert bocor == [], "\n".join(map(str, bocor))


def test_a_write_naming_another_citys_record_changes_nothing(
    client, cilegon, cilegon_data, orang_lain, provinsi
):
    d = cilegon_data
    sebelum = Jawaban.objects.get(pk=d["jawaban"].pk)
    tulis = [
        (reverse("clusters:jawaban-verifikasi", args=[d["jawaban"].pk]), {"poin": "1"}),
        (reverse("clusters:jawaban-kembalikan", args=[d["jawaban"].pk]), {"alasan": "x"}),
        (reverse("clusters:lampiran-lepas", args=[d["lampiran"].pk]), {}),
        (reverse("koordinasi:rapat-batalkan", args=[d["rapat"].pk]), {"alasan": "x"}),
        (reverse("koordinasi:tindak-lanjut-tambah", args=[d["rapat"].pk]), {"keputusan": "x"}),
        (reverse("agencies:pengguna-reset-sandi", args=[d["orang"]["operator"].pk]), {}),
        (reverse("agencies:opd-edit", args=[d["opd"].pk]), {"nama": "Diubah"}),
    ]
    for user in [*orang_lain.values(), provinsi["admin"]]:
        client.force_login(user)
        for url, isi in tulis:
            assert client.post(url, isi).status_code in (403, 404), (user, url)
    assert Jawaban.objects.get(pk=d["jawaban"].pk).versi == sebelum.versi
    assert Lampiran.objects.get(pk=d["lampiran"].pk).dihapus is None
    d["rapat"].refresh_from_db()
    assert d["rapat"].status != "dibatalkan" and d["rapat"].tindak_lanjut.count() == 1
    d["opd"].refresh_from_db()
    assert d["opd"].nama == "Dinas Kesehatan Kota Cilegon"
    assert User.objects.get(pk=d["orang"]["operator"].pk).check_password("sandi-rahasia-123")
