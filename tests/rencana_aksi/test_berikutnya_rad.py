"""Working through the RAD queues: after a head approves or returns a quarterly report, or
Bappeda accepts or returns one, the next report waiting for them opens; the notice asking the
head to approve is done once the report has moved on."""

from django.urls import reverse

from agencies.models import Notifikasi
from tests.rencana_aksi.bantu import LALU, buat_aksi, lapor


def _pesan(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages][-1:]


def _langkah(nama, laporan) -> str:
    return reverse(f"rencana_aksi:{nama}", args=[laporan.pk])


def test_the_head_and_bappeda_each_work_through_their_queue(
    client, periode, aksi_dinkes, dinkes, sekretariat, operator_dinkes, kepala_dinkes, bappeda
):
    aksi_kedua = buat_aksi(periode, "K3.02", dinkes, sekretariat, nama="Posyandu ramah anak")
    pertama = lapor(aksi_dinkes, LALU, operator_dinkes, kirim=True)
    kedua = lapor(aksi_kedua, LALU, operator_dinkes, kirim=True)
    assert Notifikasi.objects.terbuka().filter(penerima=kepala_dinkes).count() == 2

    client.force_login(kepala_dinkes)
    r = client.post(_langkah("realisasi-setujui", pertama))
    assert r.url == kedua.get_absolute_url()
    assert _pesan(r) == [
        "Laporan disetujui dan diteruskan ke Bappeda. 1 lagi menunggu Anda; ini berikutnya."
    ]
    assert Notifikasi.objects.terbuka().filter(penerima=kepala_dinkes).count() == 1
    r = client.post(_langkah("realisasi-setujui", kedua))
    assert r.url == kedua.get_absolute_url()
    assert _pesan(r) == ["Laporan disetujui dan diteruskan ke Bappeda."]
    assert Notifikasi.objects.terbuka().filter(penerima=kepala_dinkes).count() == 0

    client.force_login(bappeda)
    r = client.post(_langkah("realisasi-terima", pertama))
    assert r.url == kedua.get_absolute_url()
    assert _pesan(r) == [
        "Laporan diterima Bappeda dan dikunci. 1 lagi menunggu Anda; ini berikutnya."
    ]
    r = client.post(_langkah("realisasi-kembalikan", kedua), {"alasan": "Foto kegiatan kurang"})
    assert r.url == kedua.get_absolute_url()
    assert _pesan(r) == ["Laporan dikembalikan ke OPD dengan alasan."]
    pertama.refresh_from_db()
    kedua.refresh_from_db()
    assert (pertama.status, kedua.status) == ("terverifikasi", "dikembalikan")


def test_another_agencys_reports_are_not_offered_to_the_head(
    client, aksi_dinkes, aksi_dinsos, operator_dinkes, operator_dinsos, kepala_dinkes, kepala_dinsos
):
    laporan = lapor(aksi_dinkes, LALU, operator_dinkes, kirim=True)
    lapor(aksi_dinsos, LALU, operator_dinsos, kirim=True)
    client.force_login(kepala_dinkes)
    r = client.post(_langkah("realisasi-tolak", laporan), {"alasan": "Capaian belum sesuai"})
    assert r.url == laporan.get_absolute_url()
    assert _pesan(r) == ["Laporan dikembalikan ke operator."]
