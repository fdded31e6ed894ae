"""A notice is shown in its reader's language: the words are kept untranslated with their
values, the Indonesian title is what the e-mail carries."""

from decimal import Decimal

from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from agencies.models import Notifikasi
from clusters import services


def test_a_returned_answer_is_announced_in_each_readers_language(
    client, soal_dinsos, operator_dinsos, kepala_dinsos, django_capture_on_commit_callbacks
):
    operator_dinsos.email = "operator@dinsos.example.go.id"
    operator_dinsos.save()
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal(3)
    )
    services.jawaban_kirim(jawaban=jawaban, by=operator_dinsos)
    # The head works in English: the notice is still written in Indonesian for its e-mail.
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        services.jawaban_tolak(jawaban=jawaban, by=kepala_dinsos, alasan="Poin terlalu tinggi")
    n = Notifikasi.objects.get(penerima=operator_dinsos)
    assert n.judul == f"Dikembalikan oleh kepala: {jawaban}. Alasan: Poin terlalu tinggi"
    assert mail.outbox[-1].subject == f"[Portal KLA] {n.judul}"

    client.force_login(operator_dinsos)
    assert (
        f"Dikembalikan oleh kepala: {jawaban}"
        in client.get(reverse("agencies:notifikasi")).content.decode()
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("agencies:notifikasi")).content.decode()
    assert f"Returned by the head: {jawaban}. Reason: Poin terlalu tinggi" in html
    assert "Dikembalikan oleh kepala" not in html


def test_a_notice_written_before_words_were_kept_shows_its_title(operator_dinsos):
    lama = Notifikasi.objects.create(penerima=operator_dinsos, judul="Pemberitahuan lama")
    with translation.override("en"):
        assert lama.teks == "Pemberitahuan lama"
