"""Importing answers from a spreadsheet: malformed files refused with their row, a valid file
written as drafts through the answer service, what an agency operator may import."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from clusters import impor_jawaban, services
from clusters.models import (
    Jawaban,
    Penugasan,
)
from tests.clusters.impor_jawaban.bantu import (
    IND,
    VALID,
    periksa,
    xlsx,
)

# --- Malformed files: refused with the row, nothing written ----------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "kode.xlsx",
            xlsx([*VALID, [IND, "Pertanyaan 99", 4, None, None]]),
            "baris 5, kolom kode_pertanyaan: Indikator 15 Pertanyaan 99 tidak ada di instrumen",
        ),
        (
            "indikator.xlsx",
            xlsx([["Indikator 99", "Pertanyaan 1", 4, None, None], *VALID]),
            "baris 2, kolom kode_indikator: Indikator 99 tidak ada di instrumen 2024",
        ),
        (
            "lebih.xlsx",
            xlsx([VALID[0], [IND, "Pertanyaan 2", 9, None, None]]),
            "baris 3, kolom poin: Indikator 15 · Pertanyaan 2: Poin 9 melebihi nilai maksimum 8",
        ),
        (
            "negatif.xlsx",
            xlsx([VALID[0], [IND, "Pertanyaan 2", -1, None, None]]),
            "baris 3, kolom poin: poin -1 negatif",
        ),
        (
            "teks.xlsx",
            xlsx([VALID[0], [IND, "Pertanyaan 2", "delapan", None, None]]),
            "baris 3, kolom poin: poin “delapan” bukan angka",
        ),
        (
            "pilihan.xlsx",
            # Any points up to the maximum are taken (5 of 8 is fine), but not three decimals.
            xlsx([[IND, "Pertanyaan 1", "5,125", None, None], VALID[1]]),
            "baris 2, kolom poin: Indikator 15 · Pertanyaan 1: Poin 5,125 memiliki lebih dari "
            "dua angka di belakang koma",
        ),
        (
            "cakupan.xlsx",
            xlsx([VALID[0], [IND, "Pertanyaan 3", None, 120, None]]),
            "baris 3, kolom cakupan_persen: cakupan_persen 120 melebihi 100",
        ),
        (
            "persen-excel.xlsx",
            xlsx([VALID[0], [IND, "Pertanyaan 3", None, 0.85, None]]),
            "baris 3, kolom cakupan_persen: cakupan_persen 0,85 terlalu kecil: tampaknya sel "
            "berformat persen",
        ),
        (
            "poin-cakupan.xlsx",
            xlsx([VALID[0], [IND, "Pertanyaan 3", 4, None, None]]),
            "baris 3, kolom poin: Indikator 15 · Pertanyaan 3 dinilai dari persentase cakupan",
        ),
        (
            "dua-kali.xlsx",
            xlsx([*VALID, [IND, "pertanyaan  1", 8, None, None]]),
            "baris 5, kolom kode_pertanyaan: Indikator 15 · Pertanyaan 1 sudah ada di baris 2",
        ),
        (
            "kolom.xlsx",
            xlsx([[IND, 6]], kolom=["kode_indikator", "poin"]),
            "baris 1, kolom kode_pertanyaan: Kolom tidak ada: kode_pertanyaan",
        ),
        ("kosong.xlsx", b"", "Berkas kosong"),
        ("jawaban.xlsx", b"%PDF-1.4\n1 0 obj<<>>endobj\n", "jawaban.xlsx adalah PDF"),
    ],
)
def test_a_malformed_file_is_refused_with_its_row_and_writes_nothing(
    tmp_path, soal, name, content, message
):
    path = tmp_path / name
    path.write_bytes(content)
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_jawaban", "2024", str(path), stdout=out)
    assert message in out.getvalue() + str(refused.value), out.getvalue()
    assert not Jawaban.objects.exists()


def test_figures_for_a_question_that_asks_none_are_refused(sekretariat, soal):
    kolom = ["kode_indikator", "kode_pertanyaan", "poin", "angka_tahun_ini"]
    laporan = periksa(xlsx([[IND, "Pertanyaan 2", 4, 120]], kolom), soal[0].tahun, sekretariat)
    assert [str(g) for g in laporan.galat] == [
        "baris 2, kolom angka_tahun_ini: Indikator 15 · Pertanyaan 2 tidak meminta "
        "angka_tahun_ini; kosongkan sel ini."
    ]


def test_a_question_without_a_lead_agency_is_refused(sekretariat, soal):
    Penugasan.objects.filter(pertanyaan=soal[1]).delete()
    laporan = periksa(xlsx(VALID), soal[0].tahun, sekretariat)
    assert [str(g) for g in laporan.galat] == [
        "baris 3, kolom kode_pertanyaan: Indikator 15 · Pertanyaan 2 belum punya OPD penanggung "
        "jawab; tetapkan di Penugasan OPD sebelum mengimpor jawabannya."
    ]


def test_a_semicolon_csv_with_indonesian_numbers_is_imported(sekretariat, soal):
    soal_dinkes, soal_dinsos, _soal_kelurahan = soal
    content = (
        "kode_indikator;kode_pertanyaan;pertanyaan;poin;angka_tahun_ini;angka_tahun_lalu\n"
        f"{IND};Pertanyaan 1;(diabaikan);4;1.250.000,50;1.100.000\n"
        f"{IND};Pertanyaan 2;(diabaikan);1,5;;\n"
    ).encode()
    laporan = periksa(content, soal_dinkes.tahun, sekretariat, name="jawaban.csv")
    assert not laporan.ada_galat, [str(g) for g in laporan.galat]

    services.jawaban_impor(tahun=soal_dinkes.tahun, laporan=laporan, by=sekretariat)

    dinkes = Jawaban.objects.get(pertanyaan=soal_dinkes)
    assert (dinkes.fraksi, dinkes.poin_opd) == (Decimal("0.5"), Decimal("4"))
    assert (dinkes.angka_tahun_ini, dinkes.angka_tahun_lalu) == (
        Decimal("1250000.50"),
        Decimal("1100000"),
    )
    assert Jawaban.objects.get(pertanyaan=soal_dinsos).poin_opd == Decimal("1.5")


# --- Writing -------------------------------------------------------------------------------


def test_a_valid_file_writes_drafts_of_the_lead_agencies(sekretariat, soal, dinkes, dinsos, dp3a):
    soal_dinkes, soal_dinsos, soal_kelurahan = soal
    laporan = periksa(xlsx(VALID), soal_dinkes.tahun, sekretariat)
    assert (laporan.baru, laporan.diperbarui, laporan.ada_galat) == (3, 0, False)

    hasil = services.jawaban_impor(tahun=soal_dinkes.tahun, laporan=laporan, by=sekretariat)

    assert hasil.as_text() == "Jawaban baru 3, diperbarui 0, tidak berubah 0, dilewati 0."
    answers = {j.pertanyaan_id: j for j in Jawaban.objects.select_related("opd")}
    assert {j.status for j in answers.values()} == {"draft"}
    assert {j.wilayah_id for j in answers.values()} == {None}
    got = {
        p.kode: (answers[p.pk].opd, answers[p.pk].poin_opd)
        for p in (soal_dinkes, soal_dinsos, soal_kelurahan)
    }
    assert got == {
        "Pertanyaan 1": (dinkes, Decimal("6.00")),
        "Pertanyaan 2": (dinsos, Decimal("3.50")),
        "Pertanyaan 3": (dp3a, Decimal("4.00")),
    }
    assert answers[soal_dinkes.pk].fraksi == Decimal("0.75")
    assert answers[soal_dinkes.pk].catatan == "Data Puskesmas 2024"
    assert Jawaban.history.filter(history_user=sekretariat).count() == 3


def test_importing_the_same_file_twice_changes_nothing(sekretariat, soal):
    tahun = soal[0].tahun
    services.jawaban_impor(
        tahun=tahun, laporan=periksa(xlsx(VALID), tahun, sekretariat), by=sekretariat
    )
    versions = dict(Jawaban.objects.values_list("pk", "versi"))

    again = periksa(xlsx(VALID), tahun, sekretariat)
    assert (len(again.tulis), again.tidak_berubah) == (0, 3)
    hasil = services.jawaban_impor(tahun=tahun, laporan=again, by=sekretariat)

    assert hasil.tidak_berubah == 3
    assert dict(Jawaban.objects.values_list("pk", "versi")) == versions


def test_a_blank_cell_keeps_what_the_answer_holds(sekretariat, soal):
    soal_dinkes = soal[0]
    tahun = soal_dinkes.tahun
    services.jawaban_impor(
        tahun=tahun, laporan=periksa(xlsx(VALID), tahun, sekretariat), by=sekretariat
    )

    only_points = periksa(xlsx([[IND, "Pertanyaan 1", 8, None, None]]), tahun, sekretariat)
    services.jawaban_impor(tahun=tahun, laporan=only_points, by=sekretariat)

    jawaban = Jawaban.objects.get(pertanyaan=soal_dinkes)
    assert (jawaban.poin_opd, jawaban.catatan) == (Decimal("8.00"), "Data Puskesmas 2024")


def test_unfilled_template_rows_are_skipped_silently(sekretariat, soal):
    rows = [[IND, "Pertanyaan 1", None, None, None], [IND, "Pertanyaan 99", "", None, "  "]]
    laporan = periksa(xlsx(rows), soal[0].tahun, sekretariat)
    assert (laporan.ada_galat, laporan.kosong, laporan.tulis) == (False, 2, [])


def test_a_sent_answer_is_skipped_not_changed(sekretariat, operator_dinsos, kepala_dinsos, soal):
    soal_dinsos = soal[1]
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal(2)
    )
    services.jawaban_kirim(jawaban=jawaban, by=operator_dinsos)

    laporan = periksa(xlsx(VALID), soal_dinsos.tahun, sekretariat)
    assert [(d.baris, d.status) for d in laporan.dilewati] == [(3, "Menunggu persetujuan kepala")]
    services.jawaban_impor(tahun=soal_dinsos.tahun, laporan=laporan, by=sekretariat)

    jawaban.refresh_from_db()
    assert (jawaban.poin_langsung, jawaban.status) == (Decimal(2), "menunggu_kepala")
    assert Jawaban.objects.count() == 3


def test_a_year_not_open_refuses_the_file(sekretariat, soal):
    tahun = soal[0].tahun
    tahun.dibuka = False
    tahun.save()
    laporan = periksa(xlsx(VALID), tahun, sekretariat)
    assert [str(g) for g in laporan.galat] == [
        "Evaluasi KLA 2024 belum dibuka untuk pengisian; jawaban tidak dapat diimpor."
    ]
    with pytest.raises(ValidationError, match="galat"):
        services.jawaban_impor(tahun=tahun, laporan=laporan, by=sekretariat)


def test_an_answer_changed_after_the_check_undoes_every_row(sekretariat, operator_dinsos, soal):
    soal_dinsos = soal[1]
    tahun = soal_dinsos.tahun
    services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=0, poin_langsung=Decimal(1)
    )
    laporan = periksa(xlsx(VALID), tahun, sekretariat)
    # Budi saves the Dinsos answer between the check and the write.
    services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=1, poin_langsung=Decimal(2)
    )

    with pytest.raises(ValidationError, match=r"Baris 3 .*sudah diubah oleh Budi Santoso"):
        services.jawaban_impor(tahun=tahun, laporan=laporan, by=sekretariat)

    assert Jawaban.objects.count() == 1  # the Dinkes row, written first, was undone
    assert Jawaban.objects.get().poin_langsung == Decimal(2)


# --- An agency operator ---------------------------------------------------------------------


def test_an_operator_imports_only_their_agencys_questions(operator_dinkes, soal):
    laporan = periksa(xlsx(VALID), soal[0].tahun, operator_dinkes)
    assert [str(g) for g in laporan.galat] == [
        "baris 3, kolom kode_pertanyaan: Indikator 15 · Pertanyaan 2 bukan tugas OPD Anda "
        "(penanggung jawabnya Dinsos).",
        "baris 4, kolom kode_pertanyaan: Indikator 15 · Pertanyaan 3 bukan tugas OPD Anda "
        "(penanggung jawabnya DP3AP2KB).",
    ]
    own = periksa(xlsx(VALID[:1]), soal[0].tahun, operator_dinkes)
    services.jawaban_impor(tahun=soal[0].tahun, laporan=own, by=operator_dinkes)
    assert Jawaban.objects.get().diubah_oleh == operator_dinkes


def test_the_template_holds_an_operators_own_questions_prefilled(operator_dinkes, soal):
    soal_dinkes = soal[0]
    services.jawaban_simpan(
        pertanyaan=soal_dinkes,
        by=operator_dinkes,
        versi=0,
        fraksi=Decimal("0.5"),
        angka_tahun_ini=Decimal("1250.5"),
        catatan="=SUM(A1)",
    )
    kolom, rows = impor_jawaban.templat(tahun=soal_dinkes.tahun, pengguna=operator_dinkes)
    assert len(rows) == 1
    row = dict(zip(kolom, rows[0], strict=True))
    assert row | {"pertanyaan": ""} == {
        "kelompok": "KLASTER III",
        "kode_indikator": IND,
        "indikator": "Pelayanan kesehatan ramah anak",
        "kode_pertanyaan": "Pertanyaan 1",
        "pertanyaan": "",
        "nilai_max": Decimal(8),
        "cara_penilaian": "Pilihan bertingkat",
        "poin_pilihan": "0; 2; 4; 6; 8",
        "angka_diminta": "tahun ini dan tahun lalu",
        "poin": Decimal(4),
        "cakupan_persen": None,
        "angka_tahun_ini": Decimal("1250.5"),
        "angka_tahun_lalu": None,
        "catatan": "=SUM(A1)",
        "opd": "Dinkes",
        "status": "Draf",
        "tahun": 2024,
        "versi_jawaban": 1,
    }
