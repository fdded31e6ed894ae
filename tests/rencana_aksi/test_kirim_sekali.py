"""A quarterly report with its evidence is saved once however often the same form arrives;
a new form (a new key) attaching the same file again is a second, wanted, attachment."""

from rencana_aksi.models import LampiranRealisasi, Realisasi
from tests.conftest import berkas
from tests.rencana_aksi.bantu import LALU, halaman

SUDAH = "Data ini sudah tersimpan sebelumnya; tidak disimpan dua kali."
KUNCI = "9e107d9d372bb6826bd81d3542a419d6"
KUNCI_LAIN = "e4d909c290d0fb1ca068ffaddf22cbd0"


def lapor(client, aksi, kunci, versi=0, **extra):
    data = {
        "versi": versi,
        "capaian": "40",
        "anggaran": "1.250.000,50",
        "narasi": "Pelatihan petugas",
        "berkas": [berkas("daftar-hadir.pdf")],
        "kunci_kirim": kunci,
    }
    return client.post(halaman("realisasi", aksi.pk, *LALU), data, **extra)


def test_a_report_with_evidence_sent_twice_is_saved_once(
    client, settings, aksi_dinkes, operator_dinkes
):
    client.force_login(operator_dinkes)
    first = lapor(client, aksi_dinkes, KUNCI)
    again = lapor(client, aksi_dinkes, KUNCI)
    laporan = Realisasi.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == laporan.get_absolute_url()
    assert SUDAH in client.get(again["Location"]).content.decode()
    assert LampiranRealisasi.objects.count() == 1
    assert len(list((settings.MEDIA_ROOT / "rad" / "bukti").rglob("*.pdf"))) == 1


def test_a_new_form_attaching_the_same_file_again_attaches_it_again(
    client, aksi_dinkes, operator_dinkes
):
    client.force_login(operator_dinkes)
    lapor(client, aksi_dinkes, KUNCI)
    laporan = Realisasi.objects.get()
    assert lapor(client, aksi_dinkes, KUNCI_LAIN, versi=laporan.versi).status_code == 302
    assert LampiranRealisasi.objects.count() == 2
