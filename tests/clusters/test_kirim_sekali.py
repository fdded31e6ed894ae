"""An answer saved with its evidence, and a replaced evidence file, are saved once however
often the same form arrives (a retry after a lost response, a re-post on reload)."""

from django.urls import reverse

from clusters.models import Jawaban, Lampiran
from tests.conftest import PNG, berkas

SUDAH = "Data ini sudah tersimpan sebelumnya; tidak disimpan dua kali."
KUNCI = "5d41402abc4b2a76b9719d911017c592"


def page(pertanyaan) -> str:
    return reverse("clusters:pertanyaan-detail", args=[pertanyaan.pk])


def berkas_tersimpan(settings) -> list:
    return [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def simpan(client, pertanyaan, fraksi="1", **extra):
    # A new upload object each time: what the browser sends again is the same bytes.
    data = {
        "versi": 0,
        "fraksi": fraksi,
        "berkas": [berkas("sk-puskesmas.pdf")],
        "kunci_kirim": KUNCI,
    }
    return client.post(page(pertanyaan), data, **extra)


def test_an_answer_with_evidence_sent_twice_is_saved_once(
    client, settings, operator_dinkes, soal_dinkes
):
    client.force_login(operator_dinkes)
    first = simpan(client, soal_dinkes)
    again = simpan(client, soal_dinkes)
    assert first.status_code == again.status_code == 302
    assert again["Location"] == first["Location"] == page(soal_dinkes)
    assert SUDAH in client.get(again["Location"]).content.decode()
    jawaban = Jawaban.objects.get()
    assert jawaban.lampiran.count() == 1
    assert len(berkas_tersimpan(settings)) == 1
    assert jawaban.versi == 2  # saved, one file attached: nothing more


def test_the_upload_script_resending_gets_the_saved_page_with_the_message(
    client, operator_dinkes, soal_dinkes
):
    client.force_login(operator_dinkes)
    xhr = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
    simpan(client, soal_dinkes, **xhr)
    # The script's XHR follows the redirect and shows the page it lands on.
    again = client.post(
        page(soal_dinkes),
        {"versi": 0, "fraksi": "1", "berkas": [berkas()], "kunci_kirim": KUNCI},
        follow=True,
        **xhr,
    )
    assert again.status_code == 200 and SUDAH in again.content.decode()
    assert Lampiran.objects.count() == 1


def test_a_refused_answer_corrected_and_sent_with_the_same_key_is_saved_once(
    client, operator_dinkes, soal_dinkes
):
    client.force_login(operator_dinkes)
    assert simpan(client, soal_dinkes, fraksi="0.9").status_code == 400  # not an option
    assert simpan(client, soal_dinkes).status_code == 302
    assert SUDAH in simpan(client, soal_dinkes, follow=True).content.decode()
    assert Lampiran.objects.count() == 1


def test_a_replacement_file_sent_twice_replaces_once(
    client, settings, operator_dinkes, soal_dinkes
):
    client.force_login(operator_dinkes)
    client.post(page(soal_dinkes), {"versi": 0, "fraksi": "1", "berkas": [berkas("sk-lama.pdf")]})
    lama = Lampiran.objects.get()
    ganti = reverse("clusters:lampiran-ganti", args=[lama.pk])
    for _kali in range(2):
        response = client.post(
            ganti, {"berkas": berkas("foto-baru.png", PNG), "kunci_kirim": KUNCI}, follow=True
        )
    text = response.content.decode()
    assert SUDAH in text and "sudah diganti atau dilepas" not in text
    assert list(Lampiran.objects.aktif().values_list("nama_asli", flat=True)) == ["foto-baru.png"]
    assert Lampiran.objects.count() == 2 and len(berkas_tersimpan(settings)) == 2
