"""An answer saved with its evidence files is one save: one new version, one transaction. A
file refused among them leaves the answer as it was and stores none of them."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusters import services
from clusters.models import Jawaban, Lampiran
from tests.conftest import PNG, berkas

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def berkas_tersimpan(settings) -> list:
    return [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def tiga_berkas():
    return [berkas("sk.pdf"), berkas("foto.png", PNG), berkas("daftar-hadir.pdf")]


@pytest.fixture
def jawaban(soal_dinkes, operator_dinkes) -> Jawaban:
    """Dinas Kesehatan's draft answer, saved once without evidence (version 1)."""
    return services.jawaban_simpan(
        pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=D("0.5")
    )


def test_saving_an_answer_with_three_files_is_one_new_version(
    settings, soal_dinkes, operator_dinkes, jawaban
):
    hasil = services.jawaban_simpan(
        pertanyaan=soal_dinkes,
        by=operator_dinkes,
        versi=jawaban.versi,
        fraksi=D(1),
        berkas=tiga_berkas(),
    )
    assert hasil.versi == jawaban.versi + 1
    jawaban.refresh_from_db()
    assert (jawaban.versi, jawaban.fraksi) == (2, D(1))
    assert jawaban.history.count() == 2  # the first save, then values and files together
    assert sorted(jawaban.lampiran.values_list("nama_asli", flat=True)) == [
        "daftar-hadir.pdf",
        "foto.png",
        "sk.pdf",
    ]
    assert len(berkas_tersimpan(settings)) == 3


def test_the_answer_form_with_three_files_is_one_new_version(
    client, settings, soal_dinkes, operator_dinkes, jawaban
):
    client.force_login(operator_dinkes)
    response = client.post(
        reverse("clusters:pertanyaan-detail", args=[soal_dinkes.pk]),
        {"versi": jawaban.versi, "fraksi": "1", "berkas": tiga_berkas()},
    )
    assert response.status_code == 302
    jawaban.refresh_from_db()
    assert (jawaban.versi, jawaban.lampiran.count()) == (2, 3)
    assert len(berkas_tersimpan(settings)) == 3


def test_a_refused_file_among_three_saves_nothing(settings, soal_dinkes, operator_dinkes, jawaban):
    daftar = [berkas("sk.pdf"), berkas("gambar.svg", SVG), berkas("daftar-hadir.pdf")]
    with pytest.raises(ValidationError) as refused:
        services.jawaban_simpan(
            pertanyaan=soal_dinkes,
            by=operator_dinkes,
            versi=jawaban.versi,
            fraksi=D(1),
            berkas=daftar,
        )
    assert (
        "Berkas gambar.svg ditolak: berkas SVG/HTML dapat berisi skrip" in refused.value.messages[0]
    )
    jawaban.refresh_from_db()
    assert (jawaban.versi, jawaban.fraksi, jawaban.history.count()) == (1, D("0.5"), 1)
    assert not Lampiran.objects.exists() and berkas_tersimpan(settings) == []


def test_the_answer_form_with_a_refused_file_shows_why_and_keeps_the_answer(
    client, settings, soal_dinkes, operator_dinkes, jawaban
):
    client.force_login(operator_dinkes)
    response = client.post(
        reverse("clusters:pertanyaan-detail", args=[soal_dinkes.pk]),
        {
            "versi": jawaban.versi,
            "fraksi": "1",
            "berkas": [berkas("sk.pdf"), berkas("gambar.svg", SVG)],
        },
    )
    assert response.status_code == 400
    assert "Berkas gambar.svg ditolak" in response.content.decode()
    jawaban.refresh_from_db()
    assert (jawaban.versi, jawaban.fraksi) == (1, D("0.5"))
    assert not Lampiran.objects.exists() and berkas_tersimpan(settings) == []


def test_a_full_disk_at_the_second_file_removes_the_first_and_keeps_the_answer(
    settings, soal_dinkes, operator_dinkes, jawaban, monkeypatch
):
    import errno

    from kla_portal.berkas import PenyimpananBerkas

    asli = PenyimpananBerkas._save
    disimpan = []

    def penuh_kedua(self, name, content):
        if disimpan:
            raise OSError(errno.ENOSPC, "No space left on device")
        disimpan.append(name)
        return asli(self, name, content)

    monkeypatch.setattr(PenyimpananBerkas, "_save", penuh_kedua)
    with pytest.raises(ValidationError, match="Penyimpanan penuh"):
        services.jawaban_simpan(
            pertanyaan=soal_dinkes,
            by=operator_dinkes,
            versi=jawaban.versi,
            fraksi=D(1),
            berkas=tiga_berkas(),
        )
    jawaban.refresh_from_db()
    assert (jawaban.versi, jawaban.fraksi) == (1, D("0.5"))
    assert not Lampiran.objects.exists() and berkas_tersimpan(settings) == []


def test_a_new_answer_with_files_is_made_first_then_given_its_evidence(
    soal_dinkes, operator_dinkes
):
    # As when the first file comes before any value (lampiran_tambah): version 1 is the
    # answer made, version 2 its evidence.
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=D(1), berkas=tiga_berkas()
    )
    assert (jawaban.versi, jawaban.lampiran.count()) == (2, 3)
