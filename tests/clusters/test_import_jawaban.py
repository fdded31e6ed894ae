"""Importing answers from a spreadsheet: a preview with every row's fault, then one transaction
that writes drafts through the normal answer service."""

import csv
import io
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db.models import Sum
from django.urls import reverse

from clusters import impor_jawaban, instrumen, services
from clusters.models import (
    Indikator,
    Jawaban,
    Kelompok,
    Penugasan,
    Pertanyaan,
    TahunEvaluasi,
)
from kla_portal.ekspor import buku_xlsx
from kla_portal.tabel import baca_tabel

FILE_2024 = Path(__file__).resolve().parents[2] / "clusters" / "data" / "instrumen_kla_2024.csv"
KOLOM = ["kode_indikator", "kode_pertanyaan", "poin", "cakupan_persen", "catatan"]
IND = "Indikator 15"


def xlsx(rows, kolom=KOLOM) -> bytes:
    return buku_xlsx("Jawaban", kolom, rows)


def periksa(content: bytes, tahun, pengguna, name="jawaban.xlsx"):
    return impor_jawaban.periksa(baca_tabel(name, content), tahun=tahun, pengguna=pengguna)


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_jawaban", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def soal(soal_dinkes, soal_dinsos, soal_kelurahan):
    """Graded (Dinkes, max 8), direct points (Dinsos, max 8), per-kelurahan coverage (DP3A)."""
    return soal_dinkes, soal_dinsos, soal_kelurahan


# A valid file: 6 of 8 points, 3,5 points direct, 50 % of the kelurahan.
VALID = [
    [IND, "Pertanyaan 1", 6, None, "Data Puskesmas 2024"],
    [IND, "Pertanyaan 2", 3.5, None, None],
    [IND, "Pertanyaan 3", None, 50, None],
]


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


# --- The pages ------------------------------------------------------------------------------


def upload(client, content, tahun=2024, name="jawaban.xlsx"):
    return client.post(
        reverse("clusters:impor-jawaban", args=[tahun]),
        {"berkas": SimpleUploadedFile(name, content)},
    )


def confirm(client, token, tahun=2024):
    return client.post(
        reverse("clusters:impor-jawaban-konfirmasi", args=[tahun]), {"token": token}, follow=True
    )


def test_the_preview_shows_row_errors_and_offers_no_confirmation(client, sekretariat, soal):
    client.force_login(sekretariat)
    response = upload(client, xlsx([VALID[0], [IND, "Pertanyaan 2", 9, None, None], VALID[2]]))
    page = response.content.decode()
    assert "1 galat: berkas tidak dapat diimpor" in page
    assert "Poin 9 melebihi nilai maksimum" in page
    assert response.context.get("token") is None
    assert reverse("clusters:impor-jawaban-konfirmasi", args=[2024]) not in page
    assert not Jawaban.objects.exists()


def test_preview_then_confirm_writes_the_answers(client, sekretariat, soal):
    client.force_login(sekretariat)
    preview = upload(client, xlsx(VALID))
    page = preview.content.decode()
    assert "Yang akan ditulis" in page
    assert "3 jawaban baru, 0 diperbarui" in page
    assert not Jawaban.objects.exists()  # nothing written by the preview

    done = confirm(client, preview.context["token"])

    assert "Jawaban 2024 diimpor. Jawaban baru 3" in done.content.decode()
    assert Jawaban.objects.count() == 3


def test_an_operator_confirms_and_lands_on_the_inbox(client, operator_dinkes, soal):
    client.force_login(operator_dinkes)
    tugas = client.get(reverse("clusters:tugas"))
    assert reverse("clusters:impor-jawaban", args=[2024]) in tugas.content.decode()
    preview = upload(client, xlsx(VALID[:1]))
    done = confirm(client, preview.context["token"])
    assert done.redirect_chain[-1][0] == reverse("clusters:tugas") + "?tahun=2024"
    assert Jawaban.objects.get().opd.singkatan == "Dinkes"


def test_confirming_twice_writes_once_and_says_why(client, sekretariat, soal):
    client.force_login(sekretariat)
    token = upload(client, xlsx(VALID)).context["token"]
    confirm(client, token)
    versions = dict(Jawaban.objects.values_list("pk", "versi"))

    again = confirm(client, token)

    assert "Pratinjau ini sudah tidak berlaku" in again.content.decode()
    assert dict(Jawaban.objects.values_list("pk", "versi")) == versions


def test_a_stale_token_is_refused(client, sekretariat, soal):
    client.force_login(sekretariat)
    upload(client, xlsx(VALID))
    response = confirm(client, "0" * 32)
    assert "Pratinjau ini sudah tidak berlaku" in response.content.decode()
    assert not Jawaban.objects.exists()


def test_a_year_closed_between_preview_and_confirmation_refuses_the_import(
    client, sekretariat, soal
):
    client.force_login(sekretariat)
    token = upload(client, xlsx(VALID)).context["token"]
    TahunEvaluasi.objects.filter(tahun=2024).update(dibuka=False)

    response = confirm(client, token)

    assert "Evaluasi KLA 2024 belum dibuka untuk pengisian" in response.content.decode()
    assert not Jawaban.objects.exists()


def test_a_change_between_preview_and_confirmation_refuses_the_import(
    client, sekretariat, operator_dinsos, soal
):
    client.force_login(sekretariat)
    token = upload(client, xlsx(VALID)).context["token"]
    services.jawaban_simpan(
        pertanyaan=soal[1], by=operator_dinsos, versi=0, poin_langsung=Decimal(1)
    )

    response = confirm(client, token)

    assert "Jawaban berubah sejak pratinjau" in response.content.decode()
    assert Jawaban.objects.count() == 1


@pytest.mark.parametrize("person", ["bappeda", "pimpinan", "operator_kasemen", "kepala_dinkes"])
def test_people_who_do_not_answer_may_not_import(client, request, soal, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("clusters:impor-jawaban", args=[2024])).status_code == 403
    assert upload(client, xlsx(VALID)).status_code == 403
    assert confirm(client, "0" * 32).status_code == 403
    assert not Jawaban.objects.exists()


def test_the_downloaded_template_goes_back_in_unchanged(client, sekretariat, operator_dinkes, soal):
    services.jawaban_simpan(pertanyaan=soal[0], by=operator_dinkes, versi=0, fraksi=Decimal("0.25"))
    client.force_login(sekretariat)
    detail = client.get(reverse("clusters:tahun-detail", args=[2024]))
    assert reverse("clusters:impor-jawaban", args=[2024]) in detail.content.decode()

    download = client.get(reverse("clusters:impor-jawaban", args=[2024]), {"templat": 1})

    assert download["Content-Disposition"].startswith('attachment; filename="jawaban-kla-2024-')
    rows = baca_tabel("templat.xlsx", download.content)
    assert [(r["kode_pertanyaan"], r["poin"], r["status"]) for r in rows] == [
        ("Pertanyaan 1", 2, "Draf"),
        ("Pertanyaan 2", None, "Belum dijawab"),
        ("Pertanyaan 3", None, "Belum dijawab"),
    ]
    laporan = upload(client, download.content).context["laporan"]
    assert (laporan.ada_galat, laporan.tidak_berubah, laporan.kosong) == (False, 1, 2)


def test_a_template_older_than_the_answer_does_not_undo_a_newer_save(
    sekretariat, operator_dinkes, soal
):
    first = services.jawaban_simpan(
        pertanyaan=soal[0], by=operator_dinkes, versi=0, fraksi=Decimal("0.25")
    )
    kolom, rows = impor_jawaban.templat(tahun=soal[0].tahun, pengguna=sekretariat)
    # Someone saves 6 points after the template was downloaded ...
    services.jawaban_simpan(
        pertanyaan=soal[0], by=operator_dinkes, versi=first.versi, fraksi=Decimal("0.75")
    )
    # ... and the old file comes back with that row changed by its reader to 8 points. (A row
    # left at its 2 points is untouched: see test_untouched_rows_of_a_stale_template_...)
    poin = kolom.index("poin")
    rows[0][poin] = 8
    laporan = periksa(xlsx(rows, kolom), soal[0].tahun, sekretariat)
    assert [(g.baris, g.kolom) for g in laporan.galat] == [(2, "versi_jawaban")]
    assert "sudah diubah sejak templat diunduh" in laporan.galat[0].pesan
    # Clearing the version cell says "overwrite it anyway".
    versi = kolom.index("versi_jawaban")
    rows[0][versi] = None
    assert not periksa(xlsx(rows, kolom), soal[0].tahun, sekretariat).ada_galat


def test_untouched_rows_of_a_stale_template_are_unchanged_and_skipped(
    client, sekretariat, operator_dinkes, soal
):
    """The secretariat downloads the template while Dinkes's answer holds 2 points; Dinkes
    then saves 6. The secretariat fills only Pertanyaan 2 (3,5 points) and leaves Dinkes's row
    as downloaded: that row is "tidak berubah", the file is not refused, and Dinkes's 6 stay."""
    first = services.jawaban_simpan(
        pertanyaan=soal[0], by=operator_dinkes, versi=0, fraksi=Decimal("0.25")
    )
    client.force_login(sekretariat)
    download = client.get(reverse("clusters:impor-jawaban", args=[2024]), {"templat": 1})
    services.jawaban_simpan(
        pertanyaan=soal[0], by=operator_dinkes, versi=first.versi, fraksi=Decimal("0.75")
    )
    rows = baca_tabel("templat.xlsx", download.content)
    kolom = list(rows[0])
    rows[1]["poin"] = 3.5  # Pertanyaan 2, the only row the secretariat changes
    preview = upload(client, xlsx([list(r.values()) for r in rows], kolom))

    laporan = preview.context["laporan"]
    assert not laporan.ada_galat
    assert (laporan.baru, laporan.tidak_berubah, laporan.kosong) == (1, 1, 1)
    assert [(d.baris, d.pertanyaan.kode) for d in laporan.tidak_berubah_basi] == [
        (2, "Pertanyaan 1")
    ]
    page = preview.content.decode()
    assert "1 jawaban baru, 0 diperbarui, 1 tidak berubah" in page
    assert "Tidak berubah: baris ini tidak Anda ubah" in page
    confirm(client, preview.context["token"])

    dinkes_answer = Jawaban.objects.get(pertanyaan=soal[0])
    assert (dinkes_answer.fraksi, dinkes_answer.poin_opd, dinkes_answer.versi) == (
        Decimal("0.75"),
        Decimal("6.00"),
        2,
    )
    assert Jawaban.objects.get(pertanyaan=soal[1]).poin_opd == Decimal("3.50")


def test_a_stale_row_equal_to_the_answer_as_it_is_now_is_unchanged(
    sekretariat, operator_dinkes, soal
):
    """Dinkes saved 6 after the download and the reader typed the same 6 into the row."""
    first = services.jawaban_simpan(
        pertanyaan=soal[0], by=operator_dinkes, versi=0, fraksi=Decimal("0.25")
    )
    kolom, rows = impor_jawaban.templat(tahun=soal[0].tahun, pengguna=sekretariat)
    services.jawaban_simpan(
        pertanyaan=soal[0], by=operator_dinkes, versi=first.versi, fraksi=Decimal("0.75")
    )
    rows[0][kolom.index("poin")] = 6
    laporan = periksa(xlsx(rows, kolom), soal[0].tahun, sekretariat)
    assert (laporan.ada_galat, laporan.tidak_berubah, len(laporan.tulis)) == (False, 1, 0)


def test_last_years_answers_carry_over_to_the_new_year(sekretariat, operator_dinkes, soal, dinkes):
    services.jawaban_simpan(pertanyaan=soal[0], by=operator_dinkes, versi=0, fraksi=Decimal("0.75"))
    # The same instrument codes in the next year, led by the same agency.
    baru = TahunEvaluasi.objects.create(tahun=2025, dibuka=True)
    kelompok = Kelompok.objects.create(tahun=baru, nama="KLASTER III", urutan=4)
    indikator = Indikator.objects.create(
        tahun=baru, kelompok=kelompok, kode=IND, nama="Kesehatan", urutan=1, nilai_max=20
    )
    pertanyaan = Pertanyaan.objects.create(
        tahun=baru,
        indikator=indikator,
        kode="Pertanyaan 1",
        teks="Apakah tersedia layanan?",
        urutan=1,
        nilai_max=8,
        lingkup="kabkota",
        cara_penilaian="opsi",
    )
    Penugasan.objects.create(pertanyaan=pertanyaan, opd=dinkes, utama=True)
    kolom, rows = impor_jawaban.templat(tahun=soal[0].tahun, pengguna=operator_dinkes)

    laporan = periksa(xlsx(rows, kolom), baru, operator_dinkes)
    services.jawaban_impor(tahun=baru, laporan=laporan, by=operator_dinkes)

    carried = Jawaban.objects.get(pertanyaan__tahun=baru)
    assert (carried.fraksi, carried.poin_opd, carried.status) == (
        Decimal("0.75"),
        Decimal("6.00"),
        "draft",
    )


# --- The command ----------------------------------------------------------------------------


def test_the_command_checks_with_dry_run_and_imports_without(tmp_path, soal):
    path = tmp_path / "jawaban.xlsx"
    path.write_bytes(xlsx(VALID))

    checked = run("2024", str(path), "--dry-run")
    assert "Evaluasi KLA 2024: 3 jawaban baru, 0 diperbarui" in checked
    assert "tidak ada yang ditulis" in checked
    assert not Jawaban.objects.exists()

    done = run("2024", str(path))
    assert "Diimpor ke Evaluasi KLA 2024. Jawaban baru 3" in done
    assert Jawaban.objects.count() == 3
    assert "0 jawaban baru, 0 diperbarui, 3 tidak berubah" in run("2024", str(path))


def test_the_command_as_an_operator_is_scoped_to_their_agency(tmp_path, operator_dinkes, soal):
    path = tmp_path / "jawaban.xlsx"
    path.write_bytes(xlsx(VALID))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Tidak diimpor"):
        call_command("import_jawaban", "2024", str(path), "--oleh", "operator.dinkes", stdout=out)
    assert "baris 3, kolom kode_pertanyaan: Indikator 15 · Pertanyaan 2 bukan tugas OPD Anda" in (
        out.getvalue()
    )
    assert not Jawaban.objects.exists()


def test_the_command_refuses_a_person_who_may_not_import(tmp_path, bappeda, soal):
    path = tmp_path / "jawaban.xlsx"
    path.write_bytes(xlsx(VALID))
    with pytest.raises(CommandError, match="bappeda tidak berhak mengimpor jawaban"):
        run("2024", str(path), "--oleh", "bappeda")


# --- The real 2024 instrument ---------------------------------------------------------------

SEN = Decimal("0.01")
FRAKSI = [Decimal(1), Decimal("0.75"), Decimal("0.5"), Decimal("0.25"), Decimal(0)]
PERSEN = [Decimal(100), Decimal("62.5"), Decimal(0), Decimal("33.33")]


def test_points_for_all_274_questions_add_up_per_group_and_overall(sekretariat, dinkes, dinsos):
    tahun = services.tahun_create(tahun=2024, by=sekretariat)
    rows = instrumen.baca_tabel(FILE_2024.name, FILE_2024.read_bytes())
    services.instrumen_import(
        tahun=tahun, laporan=instrumen.periksa(rows, nama_dikenal=set()), by=sekretariat
    )
    semua = list(Pertanyaan.objects.filter(tahun=tahun))
    half = len(semua) // 2
    services.penugasan_set(pertanyaan_list=semua[:half], utama=dinkes, pendukung=[], by=sekretariat)
    services.penugasan_set(pertanyaan_list=semua[half:], utama=dinsos, pendukung=[], by=sekretariat)
    services.tahun_update(tahun=tahun, by=sekretariat, batas_waktu=None, dibuka=True)

    # The file and the expected sums, straight from the national CSV.
    lines, expected = [], defaultdict(Decimal)
    per_indikator = defaultdict(lambda: {"poin": Decimal(0), "soal": Decimal(0)})
    with FILE_2024.open(newline="", encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            ind = per_indikator[row["indikator_kode"]]
            ind["kelompok"], ind["max"] = row["kelompok"], Decimal(row["indikator_nilai_max"])
            nilai_max = Decimal(row["nilai_max"])
            if "1" in (row["untuk_kecamatan"], row["untuk_desa"]):
                persen = PERSEN[i % len(PERSEN)]
                poin, cakupan = None, persen
                points = nilai_max * persen / 100
            else:
                points = nilai_max * FRAKSI[i % len(FRAKSI)]
                poin, cakupan = points, None
            expected[row["kelompok"]] += points.quantize(SEN, rounding=ROUND_HALF_UP)
            ind["poin"] += points.quantize(SEN, rounding=ROUND_HALF_UP)
            ind["soal"] += nilai_max
            lines.append([row["indikator_kode"], row["pertanyaan_kode"], poin, cakupan, ""])
    assert len(lines) == 274

    laporan = periksa(xlsx(lines), tahun, sekretariat)
    assert not laporan.ada_galat, [str(g) for g in laporan.galat[:5]]
    assert laporan.baru == 274
    services.jawaban_impor(tahun=tahun, laporan=laporan, by=sekretariat)

    per_kelompok = dict(
        Jawaban.objects.filter(pertanyaan__tahun=tahun)
        .values_list("pertanyaan__indikator__kelompok__nama")
        .annotate(total=Sum("poin_opd"))
    )
    assert per_kelompok == dict(expected)
    total = Jawaban.objects.filter(pertanyaan__tahun=tahun).aggregate(t=Sum("poin_opd"))["t"]
    assert total == sum(expected.values())
    assert Jawaban.objects.filter(status="draft", opd__in=[dinkes, dinsos]).count() == 274

    # The snapshot's group totals, by hand: an indicator's points are the plain sum of its
    # questions' points, capped at its maximum (19: questions worth 54 under 51, 21 B: 18
    # under 17). The old expectation scaled them by maximum ÷ questions' sum: the wrong rule.
    scaled = defaultdict(Decimal)
    for ind in per_indikator.values():
        scaled[ind["kelompok"]] += min(ind["poin"], ind["max"])
    assert sum(1 for ind in per_indikator.values() if ind["soal"] != ind["max"]) == 2
    snapshot = services.skor_hitung(tahun=tahun)
    assert {g["nama"]: Decimal(g["mandiri"]) for g in snapshot.rincian["kelompok"]} == dict(scaled)
    assert snapshot.total_mandiri == sum(scaled.values())
    assert Decimal(snapshot.rincian["total"]["max"]) == 1000
