"""The send button says, before the click, that required evidence is missing; the service
refuses for the same reason, in the same words."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusters import services
from clusters.models import Jawaban
from tests.conftest import berkas

PESAN = "Lampirkan data dukung sebelum mengirim: Lampirkan SK dan foto kegiatan"


def page(pertanyaan) -> str:
    return reverse("clusters:pertanyaan-detail", args=[pertanyaan.pk])


def tombol_kirim(html: str) -> str:
    """The opening tag of the send-to-head button."""
    return re.search(r"<button[^>]*>(?=<i class=\"bi bi-send\")", html).group(0)


def test_the_button_is_disabled_with_the_reason_until_the_evidence_is_attached(
    client, operator_dinkes, kepala_dinkes, soal_dinkes
):
    client.force_login(operator_dinkes)
    client.post(page(soal_dinkes), {"versi": 0, "fraksi": "1"})

    html = client.get(page(soal_dinkes)).content.decode()
    assert PESAN in html
    assert 'id="alasan-kirim"' in html
    tombol = tombol_kirim(html)
    assert " disabled" in tombol
    assert 'aria-describedby="alasan-kirim"' in tombol

    jawaban = Jawaban.objects.get()
    client.post(page(soal_dinkes), {"versi": jawaban.versi, "fraksi": "1", "berkas": berkas()})

    html = client.get(page(soal_dinkes)).content.decode()
    assert PESAN not in html
    assert " disabled" not in tombol_kirim(html)


def test_the_service_refuses_with_the_words_the_page_showed(
    client, operator_dinkes, kepala_dinkes, soal_dinkes
):
    client.force_login(operator_dinkes)
    client.post(page(soal_dinkes), {"versi": 0, "fraksi": "1"})
    jawaban = Jawaban.objects.get()
    with pytest.raises(ValidationError) as refused:
        services.jawaban_kirim(jawaban=jawaban, by=operator_dinkes)
    assert refused.value.messages == [PESAN]
    jawaban.refresh_from_db()
    assert jawaban.status == "draft"
