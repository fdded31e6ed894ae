"""kla_portal.versi, as every create-or-update save uses it: a missing version is refused like a
stale one, and a save that brings files with new values says both in the history."""

from decimal import Decimal as D

import pytest

from clusters import selectors as clusters_selectors
from clusters import services as clusters_services
from kla_portal import versi as versi_lib
from tests.conftest import berkas


def test_an_answer_form_without_its_version_is_refused_and_nothing_is_saved(
    soal_dinkes, operator_dinkes
):
    with pytest.raises(versi_lib.Kedaluwarsa):
        clusters_services.jawaban_simpan(
            pertanyaan=soal_dinkes, by=operator_dinkes, versi=None, fraksi=D("0.5")
        )
    assert not soal_dinkes.jawaban.exists()

    jawaban = clusters_services.jawaban_simpan(
        pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=D("0.5")
    )
    with pytest.raises(versi_lib.Kedaluwarsa):
        clusters_services.jawaban_simpan(
            pertanyaan=soal_dinkes, by=operator_dinkes, versi=None, fraksi=D(1)
        )
    jawaban.refresh_from_db()
    assert (jawaban.versi, jawaban.fraksi) == (1, D("0.5"))


def test_values_and_files_saved_together_show_both_in_the_answer_history(
    soal_dinkes, operator_dinkes
):
    clusters_services.jawaban_simpan(
        pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=D("0.5")
    )
    jawaban = clusters_services.jawaban_simpan(
        pertanyaan=soal_dinkes,
        by=operator_dinkes,
        versi=1,
        fraksi=D(1),
        catatan="Data 12 Puskesmas",
        berkas=[berkas("sk.pdf")],
    )
    riwayat = list(jawaban.history.all())
    assert len(riwayat) == 2
    terbaru = clusters_selectors.perubahan_jawaban(riwayat, soal_dinkes, unit=False)[
        riwayat[0].history_id
    ]["isi"]
    assert "Data dukung diperbarui" in terbaru
    assert [isi.split(":")[0].lower() for isi in terbaru] == [
        "pilihan",
        "catatan",
        "data dukung diperbarui",
    ]
    pertama = clusters_selectors.perubahan_jawaban(riwayat, soal_dinkes, unit=False)[
        riwayat[1].history_id
    ]["isi"]
    assert "Data dukung diperbarui" not in pertama
