"""The kecamatan and kelurahan score tables name their question columns: the code (P3), a
few words saying what it asks, and the whole question on hover and in the XLSX header."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from clusters.instrumen import label_pendek
from tests.clusters.test_dasbor import _fresh_cache, skor, url  # noqa: F401


@pytest.mark.parametrize(
    ("teks", "label"),
    [
        (
            "Berapa persentase kecamatan yang memiliki Kawasan Tanpa Rokok? Lampirkan Foto Lokasi",
            "Kawasan Tanpa Rokok",
        ),
        (
            "Berapa persentase desa/kelurahan yang memiliki anggaran untuk perlindungan anak? "
            "Tunjukkan data dukung",
            "Anggaran untuk perlindungan anak",
        ),
        (
            "Berapa persentase kecamatan yang memiliki mekanisme pencegahan dan respon cepat "
            "penanganan korban kekerasan pada anak? (Lampirkan dokumen)",
            "Mekanisme pencegahan dan respon…",
        ),
        (
            "Berapa persentase desa/kelurahan yang melaksanakan fungsi Perlindungan Anak Terpadu "
            "Berbasis Masyarakat (PATBM) atau sejenisnya? (LAMPIRKAN DOKUMEN PENDUKUNG)",
            "PATBM",
        ),
        ("Apakah terdapat anak yang bekerja di perkebunan?", "Anak yang bekerja di…"),
    ],
)
def test_a_question_is_named_by_its_subject_in_a_few_words(teks, label):
    assert label_pendek(teks) == label


def test_the_kelurahan_columns_show_code_words_and_the_whole_question(
    client,
    sekretariat,
    skor,  # noqa: F811
):
    client.force_login(sekretariat)
    html = client.get(url("skor:unit")).content.decode()
    # soal_kelurahan: "Pertanyaan 3", "Berapa persentase kelurahan yang memiliki PATBM? (…)"
    assert (
        '<abbr title="Berapa persentase kelurahan yang memiliki PATBM? (Lampirkan SK PATBM)">'
        'P3</abbr><span class="d-block small fw-normal">PATBM</span></th>'
    ) in html
    assert ">P3</th>" not in html

    sheet = load_workbook(
        BytesIO(client.get(url("skor:unit", unduh="unit-kelurahan-per-kecamatan")).content)
    ).active
    assert [c.value for c in sheet[1]] == ["Kecamatan", "Kel./desa", "P3 PATBM"]
