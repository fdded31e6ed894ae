"""After an import an operator sends every finished draft in one step and is told, answer by
answer, what was sent and what was not and why."""

from decimal import Decimal

from django.urls import reverse

from clusters import services
from clusters.models import Jawaban
from tests.conftest import berkas


def _simpan(pertanyaan, operator, **isi):
    return services.jawaban_simpan(pertanyaan=pertanyaan, by=operator, versi=0, **isi)


def test_the_operator_sends_the_finished_drafts_and_hears_why_the_others_were_not_sent(
    client, soal_dinkes, soal_dinsos, operator_dinkes, operator_dinsos, kepala_dinkes, kepala_dinsos
):
    # Dinkes: a graded answer with no evidence though its question requires it.
    tanpa_bukti = _simpan(soal_dinkes, operator_dinkes, fraksi=Decimal("0.5"))
    # Dinsos: a finished answer (points given, no evidence required).
    lengkap = _simpan(soal_dinsos, operator_dinsos, poin_langsung=Decimal(3))

    client.force_login(operator_dinsos)
    tugas = client.get(reverse("clusters:tugas")).content.decode()
    assert "Kirim semua draf yang lengkap (1 draf)" in tugas
    url = reverse("clusters:jawaban-kirim-semua", args=[soal_dinsos.tahun.tahun])
    html = client.post(url).content.decode()
    assert "1 jawaban dikirim ke kepala untuk disetujui." in html
    assert "belum dapat dikirim" not in html
    lengkap.refresh_from_db()
    assert lengkap.status == "menunggu_kepala"
    # Another agency's draft is not the operator's to send.
    tanpa_bukti.refresh_from_db()
    assert tanpa_bukti.status == "draft"

    # A second click (double submit, or the back button) sends nothing twice.
    assert "Tidak ada draf" in client.post(url).content.decode()
    assert Jawaban.objects.get(pk=lengkap.pk).versi == lengkap.versi

    client.force_login(operator_dinkes)
    html = client.post(url).content.decode()
    assert "0 jawaban dikirim" in html and "1 belum dapat dikirim" in html
    assert "Lampirkan data dukung sebelum mengirim: Lampirkan SK dan foto kegiatan" in html
    assert Jawaban.objects.get(pk=tanpa_bukti.pk).status == "draft"

    # With the evidence attached it goes.
    services.lampiran_tambah(pertanyaan=soal_dinkes, berkas=berkas(), by=operator_dinkes)
    html = client.post(url).content.decode()
    assert "1 jawaban dikirim ke kepala untuk disetujui." in html
    assert Jawaban.objects.get(pk=tanpa_bukti.pk).status == "menunggu_kepala"


def test_a_head_or_the_secretariat_has_nothing_to_send(
    client, soal_dinsos, operator_dinsos, kepala_dinsos, sekretariat
):
    _simpan(soal_dinsos, operator_dinsos, poin_langsung=Decimal(3))
    url = reverse("clusters:jawaban-kirim-semua", args=[soal_dinsos.tahun.tahun])
    for orang in (kepala_dinsos, sekretariat):
        client.force_login(orang)
        assert "Kirim semua draf" not in client.get(reverse("clusters:tugas")).content.decode()
        assert "Tidak ada draf" in client.post(url).content.decode()
    assert Jawaban.objects.get().status == "draft"
    assert client.get(url).status_code == 405
