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
    html = client.post(url, follow=True).content.decode()
    assert "1 jawaban dikirim ke kepala untuk disetujui." in html
    assert "belum dapat dikirim" not in html
    lengkap.refresh_from_db()
    assert lengkap.status == "menunggu_kepala"
    # Another agency's draft is not the operator's to send.
    tanpa_bukti.refresh_from_db()
    assert tanpa_bukti.status == "draft"

    # A second click (double submit, or the back button) sends nothing twice.
    assert "Tidak ada draf" in client.post(url, follow=True).content.decode()
    assert Jawaban.objects.get(pk=lengkap.pk).versi == lengkap.versi

    client.force_login(operator_dinkes)
    html = client.post(url, follow=True).content.decode()
    assert "0 jawaban dikirim" in html and "1 belum dapat dikirim" in html
    assert "Lampirkan data dukung sebelum mengirim: Lampirkan SK dan foto kegiatan" in html
    assert Jawaban.objects.get(pk=tanpa_bukti.pk).status == "draft"

    # With the evidence attached it goes.
    services.lampiran_tambah(pertanyaan=soal_dinkes, berkas=berkas(), by=operator_dinkes)
    html = client.post(url, follow=True).content.decode()
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
        assert "Tidak ada draf" in client.post(url, follow=True).content.decode()
    assert Jawaban.objects.get().status == "draft"


def test_a_superuser_sends_nothing_of_others_and_a_returned_answer_waits_for_its_fix(
    client, soal_dinsos, soal_dinkes, operator_dinsos, kepala_dinsos, admin_portal
):
    jawaban = _simpan(soal_dinsos, operator_dinsos, poin_langsung=Decimal(3))
    url = reverse("clusters:jawaban-kirim-semua", args=[soal_dinsos.tahun.tahun])
    admin_portal.is_superuser = True
    admin_portal.save()
    client.force_login(admin_portal)
    assert "Tidak ada draf" in client.post(url, follow=True).content.decode()
    assert Jawaban.objects.get(pk=jawaban.pk).status == "draft"

    services.jawaban_kirim(jawaban=jawaban, by=operator_dinsos)
    services.jawaban_tolak(jawaban=jawaban, by=kepala_dinsos, alasan="Poin terlalu tinggi")
    client.force_login(operator_dinsos)
    assert "Kirim semua draf" not in client.get(reverse("clusters:tugas")).content.decode()
    assert "Tidak ada draf" in client.post(url, follow=True).content.decode()
    assert Jawaban.objects.get(pk=jawaban.pk).status == "dikembalikan"


def test_the_head_gets_a_notice_per_answer_and_one_e_mail_for_the_batch(
    client, indikator, dinsos, operator_dinsos, kepala_dinsos, django_capture_on_commit_callbacks
):
    from django.core import mail

    from agencies.models import Notifikasi
    from tests.clusters.test_berikutnya import _soal_dinsos

    kepala_dinsos.email = "kadinsos@example.go.id"
    kepala_dinsos.save()
    for p in _soal_dinsos(indikator, dinsos, 3):
        _simpan(p, operator_dinsos, poin_langsung=Decimal(2))
    client.force_login(operator_dinsos)
    url = reverse("clusters:jawaban-kirim-semua", args=[indikator.tahun.tahun])
    with django_capture_on_commit_callbacks(execute=True):
        html = client.post(url, follow=True).content.decode()
    assert "3 jawaban dikirim ke kepala untuk disetujui." in html
    assert Notifikasi.objects.terbuka().filter(penerima=kepala_dinsos).count() == 3
    assert [m.subject for m in mail.outbox] == [
        "[Portal KLA] 3 jawaban menunggu persetujuan Anda, dikirim oleh Budi Santoso."
    ]
    # A reload shows the same report and sends nothing again.
    assert "3 jawaban dikirim" in client.get(url).content.decode()
