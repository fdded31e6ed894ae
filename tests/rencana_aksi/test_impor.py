"""Importing the RAD from Excel: the plan (actions, targets, ceilings) and a quarter's
realisation, checked row by row with nothing written, then written all or nothing through the
RAD services; the templates, the pages, the command, two imports at once."""

import base64
import io
import threading
import time
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.ekspor import buku_xlsx
from kla_portal.models import Pekerjaan
from kla_portal.tabel import baca_tabel
from rencana_aksi import impor, services, tasks
from rencana_aksi.impor import tulis as impor_tulis
from rencana_aksi.models import Aksi, PeriodeRad, Realisasi, TargetTahunan
from rencana_aksi.services import DataAksi
from rencana_aksi.views import impor as impor_views

D = Decimal
TAHUN = timezone.localdate().year  # the plan runs from last year, so it has past and future
TW_KINI = (timezone.localdate().month - 1) // 3 + 1
T0, T1 = TAHUN - 1, TAHUN
PERIODE = f"RAD KLA {T0}–{T0 + 4}"

KOLOM = [
    "kode_aksi",
    "aksi",
    "klaster",
    "indikator_kla",
    "indikator_kinerja",
    "satuan",
    "opd",
    "opd_pendukung",
    f"target_{T1}",
    f"pagu_{T1}",
    f"sumber_{T1}",
]
# A valid plan: a new Dinkes action and a new Dinsos one, targets and ceilings for this year.
VALID = [
    [
        "K3.1",
        "Puskesmas ramah anak",
        "Klaster III",
        "Indikator 15; indikator 16",
        "Puskesmas ramah anak",
        "puskesmas",
        "Dinkes",
        "Dinsos",
        12,
        "1.250.000.000",
        "APBD",
    ],
    [
        "K2.1",
        "Layanan PUSPAGA",
        "klaster_2",
        "Indikator 8",
        "Keluarga terlayani",
        "keluarga",
        "Dinas Sosial",
        None,
        "1.500,5",
        250_000_000,
        "dak",
    ],
]
KOLOM_REALISASI = ["kode_aksi", "tahun", "triwulan", "capaian", "anggaran", "uraian"]


def xlsx(rows, kolom=KOLOM) -> bytes:
    return buku_xlsx("RAD", kolom, rows)


def periksa(content: bytes, periode, pengguna, name="rad.xlsx"):
    return impor.periksa_berkas(name, content, periode=periode, pengguna=pengguna)


def jumlah() -> tuple[int, int, int]:
    return Aksi.objects.count(), TargetTahunan.objects.count(), Realisasi.objects.count()


def galat(laporan) -> list[str]:
    return [str(g) for g in laporan.galat]


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_rad", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def periode(bappeda) -> PeriodeRad:
    return services.periode_buat(tahun_mulai=T0, by=bappeda)


def data_aksi(kode, opd, **values) -> DataAksi:
    defaults = {
        "nama": f"Aksi {kode}",
        "klaster": "klaster_3",
        "indikator_kinerja": "Cakupan layanan",
        "satuan": "persen",
        "opd_utama": opd,
        "indikator_kla": ["Indikator 15"],
        "target": {T1: (D(50), D(100_000_000), "apbd")},
    }
    return DataAksi(kode=kode, **(defaults | values))


@pytest.fixture
def aksi_dinkes(periode, dinkes, bappeda) -> Aksi:
    """An action Dinas Kesehatan leads: 50 % this year, Rp 100 million from the APBD."""
    return services.aksi_simpan(periode=periode, data=data_aksi("A.1", dinkes), by=bappeda)[0]


@pytest.fixture
def aksi_dinsos(periode, dinsos, bappeda) -> Aksi:
    return services.aksi_simpan(periode=periode, data=data_aksi("B.1", dinsos), by=bappeda)[0]


def merged_header() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["kode_aksi", "aksi", f"target_{T1}", None, "opd"])
    sheet.merge_cells("C1:D1")
    sheet.append(["A.1", "Aksi", 1, 2, "Dinkes"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def two_sheets() -> bytes:
    """A workbook whose first sheet is the instructions; the plan is on the second."""
    book = openpyxl.Workbook()
    book.active.title = "Petunjuk"
    book.active.append(["Isi lembar Rencana, lalu unggah ke portal."])
    rencana = book.create_sheet("Rencana")
    rencana.append(KOLOM)
    for row in VALID:
        rencana.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Malformed files: refused with the row and column, nothing written -----------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "gabung.xlsx",
            merged_header(),
            "baris 1: Ada sel judul kolom yang kosong atau digabung (merge) sesudah kolom "
            f"target_{T1}.",
        ),
        (
            "teks.xlsx",
            xlsx([VALID[0], [*VALID[1][:8], "dua puluh", 1, "APBD"]]),
            f"baris 3, kolom target_{T1}: target_{T1} “dua puluh” bukan angka.",
        ),
        (
            "pagu-negatif.xlsx",
            xlsx([VALID[0], [*VALID[1][:9], -5_000_000, "APBD"]]),
            f"baris 3, kolom pagu_{T1}: pagu_{T1} -5.000.000 negatif.",
        ),
        (
            "target-negatif.xlsx",
            xlsx([[*VALID[0][:8], "-1,5", None, None], VALID[1]]),
            f"baris 2, kolom target_{T1}: target_{T1} “-1,5” negatif.",
        ),
        (
            "opd.xlsx",
            xlsx([[*VALID[0][:6], "Dinas Entah", *VALID[0][7:]], VALID[1]]),
            "baris 2, kolom opd: OPD “Dinas Entah” tidak dikenal",
        ),
        (
            "pendukung.xlsx",
            xlsx([[*VALID[0][:7], "Dinsos; Dinas Entah", *VALID[0][8:]]]),
            "baris 2, kolom opd_pendukung: OPD “Dinas Entah” tidak dikenal",
        ),
        (
            "dua-kali.xlsx",
            xlsx([*VALID, [" k3.1 ", *VALID[0][1:]]]),
            "baris 4, kolom kode_aksi: Kode aksi k3.1 sudah ada di baris 2; satu aksi cukup satu "
            "baris.",
        ),
        (
            "tahun.xlsx",
            xlsx([[*VALID[0], 7]], [*KOLOM, f"target_{T0 + 5}"]),
            f"baris 2, kolom target_{T0 + 5}: Tahun {T0 + 5} di luar {PERIODE}",
        ),
        (
            "klaster.xlsx",
            xlsx([[*VALID[0][:2], "Klaster VII", *VALID[0][3:]]]),
            "baris 2, kolom klaster: klaster “Klaster VII” tidak dikenal",
        ),
        (
            "indikator.xlsx",
            xlsx([[*VALID[0][:3], "Indikator 99", *VALID[0][4:]]]),
            "baris 2, kolom indikator_kla: Kode indikator tidak dikenali: Indikator 99.",
        ),
        (
            "sumber.xlsx",
            xlsx([[*VALID[0][:10], "Hibah"]]),
            f"baris 2, kolom sumber_{T1}: sumber_{T1} “Hibah” tidak dikenal: APBD, APBN, DAK",
        ),
        (
            "wajib.xlsx",
            xlsx([["K9.9", "Aksi baru tanpa OPD", "Klaster I"]], KOLOM[:3]),
            "baris 2, kolom indikator_kinerja: indikator_kinerja wajib diisi untuk aksi baru.",
        ),
        (
            "tanpa-kode.xlsx",
            xlsx([[None, *VALID[0][1:]]]),
            "baris 2, kolom kode_aksi: kode_aksi kosong, padahal baris ini berisi data.",
        ),
        (
            "lembar.xlsx",
            two_sheets(),
            "Lembar “Petunjuk” bukan lembar impor RAD. Judul kolom harus di baris 1",
        ),
        ("kosong.xlsx", b"", "Berkas kosong"),
        (
            "csv.xlsx",
            ";".join(KOLOM).encode() + b"\nK3.1;Aksi\n",
            "csv.xlsx bernama .xlsx tetapi isinya teks (CSV), bukan buku kerja Excel",
        ),
        ("rad.xlsx", b"%PDF-1.4\n1 0 obj<<>>endobj\n", "rad.xlsx adalah PDF"),
        (
            "bukan-rad.xlsx",
            xlsx([["x", "y"]], ["nama", "alamat"]),
            "kolom yang dikenali rencana: kode_aksi, aksi, klaster",
        ),
    ],
)
def test_a_malformed_plan_is_refused_with_its_row_and_writes_nothing(
    tmp_path, periode, dinkes, dinsos, aksi_dinkes, name, content, message
):
    before = jumlah()
    path = tmp_path / name
    path.write_bytes(content)
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_rad", str(path), stdout=out)
    assert message in out.getvalue() + str(refused.value), out.getvalue()
    assert jumlah() == before


def test_a_wrong_first_sheet_names_the_sheet_that_has_the_columns(periode):
    laporan = periksa(two_sheets(), periode, None)
    assert len(laporan.galat) == 1
    pesan = laporan.galat[0].pesan
    assert "kode_aksi, aksi, klaster, indikator_kla" in pesan
    assert "target_<tahun>, pagu_<tahun>, sumber_<tahun>" in pesan
    assert "realisasi: kode_aksi, tahun, triwulan, capaian, anggaran, uraian" in pesan
    assert "Kolom rencana ada di lembar “Rencana”" in pesan


def test_a_missing_required_column_is_named(periode, aksi_dinkes):
    laporan = periksa(xlsx([["A.1", 1, 5]], ["kode_aksi", "triwulan", "capaian"]), periode, None)
    assert galat(laporan) == [
        "baris 1, kolom tahun: Kolom tidak ada: tahun. Unduh templat dari portal dan pakai "
        "kolomnya."
    ]


def test_every_fault_of_a_file_is_listed_at_once(periode, dinkes, dinsos):
    rows = [
        [*VALID[0][:6], "Dinas Entah", None, "dua", -1, "Hibah"],
        VALID[1],
    ]
    assert galat(periksa(xlsx(rows), periode, None)) == [
        "baris 2, kolom opd: OPD “Dinas Entah” tidak dikenal: tulis singkatan atau nama lengkap "
        "OPD seperti di portal (menu OPD).",
        f"baris 2, kolom target_{T1}: target_{T1} “dua” bukan angka.",
        f"baris 2, kolom pagu_{T1}: pagu_{T1} -1 negatif.",
        f"baris 2, kolom sumber_{T1}: sumber_{T1} “Hibah” tidak dikenal: APBD, APBN, DAK, "
        "APBDes, CSR, Lainnya.",
    ]


def test_blank_rows_are_skipped_not_errors(periode, dinkes, dinsos):
    rows = [VALID[0], [None] * len(KOLOM), ["  ", None, "", *[None] * 8], VALID[1]]
    laporan = periksa(xlsx(rows), periode, None)
    assert (laporan.ada_galat, laporan.kosong, laporan.baru) == (False, 2, 2)


# --- Writing the plan ----------------------------------------------------------------------


def test_a_valid_plan_creates_the_actions_with_their_targets(periode, dinkes, dinsos, bappeda):
    laporan = periksa(xlsx(VALID), periode, bappeda)
    assert not laporan.ada_galat, galat(laporan)
    assert (laporan.baru, laporan.diperbarui) == (2, 0)

    hasil = impor_tulis.rad_impor(periode=periode, laporan=laporan, by=bappeda)

    assert hasil.as_text() == "Aksi baru 2, diperbarui 0, tidak berubah 0, dilewati 0."
    puskesmas = Aksi.objects.get(kode="K3.1")
    assert (puskesmas.klaster, puskesmas.opd_utama, puskesmas.satuan) == (
        "klaster_3",
        dinkes,
        "puskesmas",
    )
    assert list(puskesmas.opd_pendukung.all()) == [dinsos]
    assert sorted(puskesmas.indikator.values_list("kode", flat=True)) == [
        "Indikator 15",
        "Indikator 16",
    ]
    target = puskesmas.target.get(tahun=T1)
    assert (target.target, target.pagu, target.sumber_dana) == (D(12), D(1_250_000_000), "apbd")
    puspaga = Aksi.objects.get(kode="K2.1")
    assert (puspaga.opd_utama, puspaga.klaster) == (dinsos, "klaster_2")
    target = puspaga.target.get(tahun=T1)
    assert (target.target, target.pagu, target.sumber_dana) == (D("1500.5"), D(250_000_000), "dak")
    assert set(Aksi.history.filter(history_user=bappeda).values_list("kode", flat=True)) == {
        "K3.1",
        "K2.1",
    }


def test_importing_the_same_plan_twice_changes_nothing(periode, dinkes, dinsos, bappeda):
    impor_tulis.rad_impor(
        periode=periode, laporan=periksa(xlsx(VALID), periode, bappeda), by=bappeda
    )
    history = (Aksi.history.count(), TargetTahunan.history.count())
    changed = dict(Aksi.objects.values_list("kode", "diubah"))

    again = periksa(xlsx(VALID), periode, bappeda)
    assert (again.tulis, again.tidak_berubah) == ([], 2)
    assert "0 aksi baru, 0 diperbarui, 2 tidak berubah" in again.ringkasan()
    hasil = impor_tulis.rad_impor(periode=periode, laporan=again, by=bappeda)

    assert hasil.tidak_berubah == 2
    assert (Aksi.history.count(), TargetTahunan.history.count()) == history
    assert dict(Aksi.objects.values_list("kode", "diubah")) == changed


def test_a_blank_cell_keeps_what_the_action_holds(periode, aksi_dinkes, bappeda, dinsos):
    kolom = ["kode_aksi", "aksi", "opd_pendukung", f"target_{T1}", f"pagu_{T1}", f"target_{T0}"]
    laporan = periksa(
        xlsx([["A.1", None, "Dinsos", None, "150.000.000", 20]], kolom), periode, None
    )
    assert [row.berubah for row in laporan.tulis] == [
        ("opd_pendukung", f"target_{T0}", f"sumber_{T0}", f"pagu_{T1}")
    ]

    impor_tulis.rad_impor(periode=periode, laporan=laporan, by=bappeda)

    aksi_dinkes.refresh_from_db()
    assert aksi_dinkes.nama == "Aksi A.1"
    assert list(aksi_dinkes.opd_pendukung.all()) == [dinsos]
    assert list(aksi_dinkes.indikator.values_list("kode", flat=True)) == ["Indikator 15"]
    ini = aksi_dinkes.target.get(tahun=T1)
    assert (ini.target, ini.pagu, ini.sumber_dana) == (D(50), D(150_000_000), "apbd")
    lalu = aksi_dinkes.target.get(tahun=T0)
    assert (lalu.target, lalu.pagu, lalu.sumber_dana) == (D(20), None, "apbd")


def test_a_semicolon_csv_with_indonesian_numbers_is_imported(periode, dinkes, bappeda):
    content = (
        f"Kode Aksi;Aksi;Klaster;Indikator Kinerja;Satuan;OPD;Baseline;Target {T1};Pagu {T1}\n"
        "C.1;Posyandu;Klaster III: Kesehatan Dasar dan Kesejahteraan;Balita ditimbang;"
        "persen;Dinas Kesehatan;12,5;1,5;1.250.000,50\n"
    ).encode("cp1252")
    laporan = periksa(content, periode, bappeda, name="rad.csv")
    assert not laporan.ada_galat, galat(laporan)
    impor_tulis.rad_impor(periode=periode, laporan=laporan, by=bappeda)
    aksi = Aksi.objects.get(kode="C.1")
    target = aksi.target.get()
    assert (aksi.baseline, target.target, target.pagu) == (D("12.5"), D("1.5"), D("1250000.50"))


def test_an_action_changed_after_the_check_refuses_the_whole_file(
    periode, aksi_dinkes, dinkes, dinsos, bappeda, sekretariat
):
    rows = [["A.1", None, None, None, None, None, None, None, 70, None, None], VALID[1]]
    laporan = periksa(xlsx(rows), periode, sekretariat)
    # Bappeda saves the action from its form between the check and the write.
    services.aksi_simpan(periode=periode, data=data_aksi("A.1", dinkes, nama="Baru"), by=bappeda)
    before = jumlah()

    with pytest.raises(ValidationError, match=r"aksi A\.1 sudah diubah orang lain"):
        impor_tulis.rad_impor(periode=periode, laporan=laporan, by=sekretariat)

    assert jumlah() == before
    assert aksi_dinkes.target.get(tahun=T1).target == D(50)


def test_a_refusal_midway_undoes_the_rows_before_it(periode, dinkes, dinsos, bappeda, monkeypatch):
    laporan = periksa(xlsx(VALID), periode, bappeda)
    real = services.aksi_simpan

    def fail_on_second(*, periode, data, by):
        if data.kode == "K2.1":
            raise ValidationError("OPD Dinas Sosial sudah tidak aktif.")
        return real(periode=periode, data=data, by=by)

    monkeypatch.setattr(services, "aksi_simpan", fail_on_second)
    with pytest.raises(ValidationError, match=r"Baris 3 \(K2.1 Layanan PUSPAGA\): OPD Dinas"):
        impor_tulis.rad_impor(periode=periode, laporan=laporan, by=bappeda)
    assert jumlah() == (0, 0, 0)  # K3.1, written first, was undone


def test_a_report_for_another_period_or_with_faults_is_refused(periode, dinkes, bappeda):
    other = services.periode_buat(tahun_mulai=T0 + 5, by=bappeda)
    laporan = periksa(xlsx(VALID), periode, bappeda)
    with pytest.raises(ValidationError, match="periode RAD lain"):
        impor_tulis.rad_impor(periode=other, laporan=laporan, by=bappeda)
    with pytest.raises(ValidationError, match="galat"):
        impor_tulis.rad_impor(periode=periode, laporan=periksa(b"", periode, bappeda), by=bappeda)


# --- An agency operator ---------------------------------------------------------------------


def test_an_operator_imports_only_the_targets_of_its_own_actions(
    periode, aksi_dinkes, aksi_dinsos, operator_dinkes
):
    kolom = ["kode_aksi", "aksi", "opd", f"target_{T1}", f"pagu_{T1}", f"sumber_{T1}"]
    rows = [
        ["A.1", "Aksi A.1", "Dinkes", 60, "120.000.000", "APBN"],  # own action, same name: fine
        ["B.1", None, None, 60, None, None],  # Dinsos leads it
        ["A.2", "Aksi baru", "Dinkes", 5, None, None],  # a new action
    ]
    laporan = periksa(xlsx(rows, kolom), periode, operator_dinkes)
    assert galat(laporan) == [
        "baris 3, kolom kode_aksi: Aksi B.1 bukan aksi OPD Anda (penanggung jawabnya Dinsos).",
        f"baris 4, kolom kode_aksi: Aksi A.2 belum ada di {PERIODE}; aksi baru hanya dapat "
        "ditambahkan Bappeda, sekretariat, atau admin.",
    ]
    renamed = periksa(
        xlsx([["A.1", "Nama lain", "Dinsos", 60, None, None]], kolom), periode, operator_dinkes
    )
    assert galat(renamed) == [
        "baris 2, kolom aksi: Kolom aksi hanya dapat diubah Bappeda, sekretariat, atau admin; "
        "operator OPD mengisi target_, pagu_ dan sumber_. Kosongkan sel ini atau samakan dengan "
        "RAD (“Aksi A.1”).",
        "baris 2, kolom opd: Kolom opd hanya dapat diubah Bappeda, sekretariat, atau admin; "
        "operator OPD mengisi target_, pagu_ dan sumber_. Kosongkan sel ini atau samakan dengan "
        "RAD (Dinkes).",
    ]

    own = periksa(xlsx(rows[:1], kolom), periode, operator_dinkes)
    impor_tulis.rad_impor(periode=periode, laporan=own, by=operator_dinkes)
    target = aksi_dinkes.target.get(tahun=T1)
    assert (target.target, target.pagu, target.sumber_dana) == (D(60), D(120_000_000), "apbn")
    assert target.history.latest().history_user == operator_dinkes


def test_the_plan_template_holds_an_operators_own_actions_and_goes_back_unchanged(
    periode, aksi_dinkes, aksi_dinsos, operator_dinkes, sekretariat, dinsos, bappeda
):
    services.aksi_simpan(
        periode=periode,
        data=data_aksi("A.1", aksi_dinkes.opd_utama, opd_pendukung=[dinsos], nama="=HYPERLINK(1)"),
        by=bappeda,
    )
    kolom, rows = impor.templat_rencana(periode=periode, pengguna=operator_dinkes)
    assert [row[0] for row in rows] == ["A.1"]
    row = dict(zip(kolom, rows[0], strict=True))
    expected = {
        "kode_aksi": "A.1",
        "aksi": "=HYPERLINK(1)",
        "klaster": "Klaster III: Kesehatan Dasar dan Kesejahteraan",
        "indikator_kla": "Indikator 15",
        "opd": "Dinkes",
        "opd_pendukung": "Dinsos",
        "status": "Direncanakan",
        f"target_{T1}": D(50),
        f"pagu_{T1}": D(100_000_000),
        f"sumber_{T1}": "APBD",
        f"target_{T0}": None,
        f"sumber_{T0}": "",
    }
    assert {k: row[k] for k in expected} == expected
    assert kolom[-3:] == [f"target_{T0 + 4}", f"pagu_{T0 + 4}", f"sumber_{T0 + 4}"]
    # Uploaded again (the formula-looking name came back with an apostrophe), nothing changes.
    for pengguna in (operator_dinkes, sekretariat):
        kolom, rows = impor.templat_rencana(periode=periode, pengguna=pengguna)
        laporan = periksa(xlsx(rows, kolom), periode, pengguna)
        assert (laporan.galat, laporan.tulis, laporan.tidak_berubah) == ([], [], len(rows))


# --- A quarter's realisation ----------------------------------------------------------------


def realisasi_rows(*rows):
    return xlsx(list(rows), KOLOM_REALISASI)


def test_a_quarter_is_reported_for_the_operators_own_actions(
    periode, aksi_dinkes, aksi_dinsos, operator_dinkes
):
    content = realisasi_rows(
        ["A.1", T1, "I", "12,5", "25.000.000", "Sosialisasi di 3 puskesmas"],
        ["A.1", T1, 2, None, None, None],  # not filled: skipped
    )
    laporan = periksa(content, periode, operator_dinkes)
    assert (laporan.jenis, laporan.baru, laporan.kosong, laporan.galat) == ("realisasi", 1, 1, [])

    hasil = impor_tulis.rad_impor(periode=periode, laporan=laporan, by=operator_dinkes)

    assert hasil.as_text() == "Laporan baru 1, diperbarui 0, tidak berubah 0, dilewati 0."
    laporan_tw = Realisasi.objects.get(aksi=aksi_dinkes, tahun=T1, triwulan=1)
    assert (laporan_tw.capaian, laporan_tw.anggaran, laporan_tw.narasi) == (
        D("12.5"),
        D(25_000_000),
        "Sosialisasi di 3 puskesmas",
    )
    assert (laporan_tw.status, laporan_tw.versi, laporan_tw.diubah_oleh) == (
        "draft",
        1,
        operator_dinkes,
    )
    again = periksa(content, periode, operator_dinkes)
    assert (again.tulis, again.tidak_berubah) == ([], 1)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            ["Z.9", T1, 1, 5, None, None],
            f"baris 2, kolom kode_aksi: Kode aksi Z.9 tidak ada di {PERIODE}.",
        ),
        (["B.1", T1, 1, 5, None, None], "baris 2, kolom kode_aksi: Aksi B.1 bukan aksi OPD Anda"),
        (
            ["A.1", T0 + 5, 1, 5, None, None],
            f"baris 2, kolom tahun: Tahun {T0 + 5} di luar {PERIODE}.",
        ),
        (
            ["A.1", "tahun ini", 1, 5, None, None],
            "baris 2, kolom tahun: tahun “tahun ini” bukan tahun.",
        ),
        (["A.1", T1, "V", 5, None, None], "baris 2, kolom triwulan: triwulan “V” tidak dikenal"),
        (["A.1", T1 + 1, 1, 5, None, None], "baris 2, kolom triwulan: Triwulan ini belum dimulai"),
        (["A.1", T1, 1, "lima", None, None], "baris 2, kolom capaian: capaian “lima” bukan angka."),
        (["A.1", T1, 1, 5, -100, None], "baris 2, kolom anggaran: anggaran -100 negatif."),
    ],
)
def test_a_malformed_quarter_is_refused_with_its_row(
    tmp_path, periode, aksi_dinkes, aksi_dinsos, operator_dinkes, row, message
):
    path = tmp_path / "realisasi.xlsx"
    path.write_bytes(realisasi_rows(row))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_rad", str(path), "--oleh", "operator.dinkes", stdout=out)
    assert message in out.getvalue()
    assert not Realisasi.objects.exists()


def test_the_same_quarter_twice_in_a_file_is_refused(periode, aksi_dinkes):
    laporan = periksa(
        realisasi_rows(["A.1", T1, 1, 5, None, None], ["a.1", T1, "TW I", 6, None, None]),
        periode,
        None,
    )
    assert galat(laporan) == [
        f"baris 3, kolom kode_aksi: Laporan A.1 {T1} triwulan I sudah ada di baris 2."
    ]


def test_a_sent_report_is_skipped_not_changed(
    periode, aksi_dinkes, operator_dinkes, kepala_dinkes, sekretariat
):
    sent = services.realisasi_simpan(
        aksi=aksi_dinkes, tahun=T1, triwulan=1, by=operator_dinkes, versi=0, capaian=D(5)
    )
    services.realisasi_kirim(realisasi=sent, by=operator_dinkes)
    laporan = periksa(realisasi_rows(["A.1", T1, 1, 9, None, None]), periode, sekretariat)
    assert [(d.baris, d.label, d.status) for d in laporan.dilewati] == [
        (2, f"A.1 {T1} TW I", "Menunggu persetujuan kepala")
    ]
    assert not laporan.ada_galat
    sent.refresh_from_db()
    assert (sent.capaian, sent.status) == (D(5), "menunggu_kepala")


def test_a_report_saved_after_the_check_undoes_every_row(
    periode, aksi_dinkes, aksi_dinsos, operator_dinkes, sekretariat
):
    content = realisasi_rows(["B.1", T1, 1, 7, None, None], ["A.1", T1, 1, 9, None, None])
    laporan = periksa(content, periode, sekretariat)
    # Siti saves the Dinkes report between the check and the write.
    services.realisasi_simpan(
        aksi=aksi_dinkes, tahun=T1, triwulan=1, by=operator_dinkes, versi=0, capaian=D(3)
    )

    with pytest.raises(ValidationError, match=r"Baris 3 .*diubah oleh Siti Nurhaliza"):
        impor_tulis.rad_impor(periode=periode, laporan=laporan, by=sekretariat)

    assert list(Realisasi.objects.values_list("aksi__kode", "capaian")) == [("A.1", D(3))]


def test_the_quarter_template_is_prefilled_and_an_old_one_does_not_undo_a_newer_save(
    periode, aksi_dinkes, aksi_dinsos, operator_dinkes
):
    first = services.realisasi_simpan(
        aksi=aksi_dinkes, tahun=T1, triwulan=1, by=operator_dinkes, versi=0, capaian=D(4)
    )
    kolom, rows = impor.templat_realisasi(
        periode=periode, pengguna=operator_dinkes, tahun=T1, triwulan=1
    )
    assert [dict(zip(kolom, row, strict=True)) for row in rows] == [
        {
            "kode_aksi": "A.1",
            "aksi": "Aksi A.1",
            "opd": "Dinkes",
            "indikator_kinerja": "Cakupan layanan",
            "satuan": "persen",
            "target": D(50),
            "tahun": T1,
            "triwulan": "I",
            "capaian": D(4),
            "anggaran": None,
            "uraian": "",
            "status": "Draf",
            "versi_laporan": 1,
        }
    ]
    assert not periksa(xlsx(rows, kolom), periode, operator_dinkes).tulis  # unchanged
    services.realisasi_simpan(
        aksi=aksi_dinkes, tahun=T1, triwulan=1, by=operator_dinkes, versi=first.versi, capaian=D(8)
    )
    rows[0][kolom.index("capaian")] = 6
    laporan = periksa(xlsx(rows, kolom), periode, operator_dinkes)
    assert [(g.baris, g.kolom) for g in laporan.galat] == [(2, "versi_laporan")]
    assert "sudah diubah sejak templat diunduh (versi 1, kini 2)" in laporan.galat[0].pesan


# --- Two imports at once ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_imports_at_once_write_one_file_whole_and_refuse_the_other(
    periode, dinkes, dinsos, bappeda, sekretariat, monkeypatch
):
    """Both check the same new actions, then write at the same moment: the second waits for
    the first (the plan period's lock; SQLite's single writer), then finds the actions taken
    and refuses with a message; the data is one file's, never a mix."""
    files = {
        "bappeda": (bappeda, xlsx(VALID)),
        "sekretariat": (sekretariat, xlsx([[*row[:8], 99, 1, "CSR"] for row in VALID])),
    }
    laporan = {name: periksa(content, periode, who) for name, (who, content) in files.items()}
    assert all(lap.baru == 2 for lap in laporan.values())
    real = services.aksi_simpan

    def slow(**kwargs):  # holds the transaction long enough for the other to collide
        time.sleep(0.2)
        return real(**kwargs)

    monkeypatch.setattr(services, "aksi_simpan", slow)
    barrier = threading.Barrier(2)
    outcome = {}

    def write(name):
        try:
            barrier.wait()
            impor_tulis.rad_impor(periode=periode, laporan=laporan[name], by=files[name][0])
            outcome[name] = ("ok", time.monotonic())
        except ValidationError as error:
            outcome[name] = (" ".join(error.messages), time.monotonic())
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(name,)) for name in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    (winner, (first, _t1)), (_loser, (refusal, _t2)) = sorted(
        outcome.items(), key=lambda item: item[1][1]
    )
    assert first == "ok", outcome
    assert "aksi K3.1 baru saja ditambahkan orang lain" in refusal, refusal
    assert "Tidak ada yang diimpor" in refusal, refusal
    expected = {"bappeda": D(12), "sekretariat": D(99)}[winner]
    assert Aksi.objects.count() == 2
    assert TargetTahunan.objects.count() == 2
    assert TargetTahunan.objects.get(aksi__kode="K3.1").target == expected


# --- The background job, run in this process ------------------------------------------------


def besar(n: int, opd_nama: str = "Dinkes") -> bytes:
    rows = [
        [
            f"X.{i:04d}",
            f"Aksi {i}",
            "Klaster IV",
            "Indikator 18",
            "Sekolah",
            "sekolah",
            opd_nama,
            None,
            i % 7,
            1_000_000 * i,
            "APBD",
        ]
        for i in range(1, n + 1)
    ]
    return xlsx(rows)


def job_for(user) -> Pekerjaan:
    return pekerjaan_services.buat(jenis="impor_rad", judul="Impor rencana", by=user)


@pytest.mark.django_db(transaction=True)  # on PostgreSQL a helper thread reports the write
def test_the_task_reports_rising_progress_and_ends_at_100(periode, dinkes, bappeda, monkeypatch):
    content = besar(450)
    versi = periksa(content, periode, bappeda).versi_dilihat()
    job = job_for(bappeda)
    seen = []
    real = pekerjaan_services.lapor

    def spy(pekerjaan, *, persen, langkah):
        seen.append(persen)
        real(pekerjaan, persen=persen, langkah=langkah)

    monkeypatch.setattr(pekerjaan_services, "lapor", spy)
    status = tasks.impor_rad(
        job.pk, periode.pk, "besar.xlsx", base64.b64encode(content).decode(), versi
    )

    job.refresh_from_db()
    assert (status, job.status, job.persen) == ("selesai", "selesai", 100)
    assert seen == sorted(seen) and seen[0] == 0
    assert any(0 < p < impor_tulis.PERSEN_PERIKSA for p in seen)
    assert impor_tulis.PERSEN_PERIKSA in seen
    assert job.hasil == {
        "ringkasan": "Aksi baru 450, diperbarui 0, tidak berubah 0, dilewati 0.",
        "tautan": reverse("rencana_aksi:aksi-list", args=[periode.pk]),
        "label_tautan": "Kembali ke daftar aksi",
    }
    assert Aksi.objects.count() == 450


def test_a_cancel_asked_while_the_task_runs_stops_it_before_writing(periode, dinkes, bappeda):
    content = besar(350)
    versi = periksa(content, periode, bappeda).versi_dilihat()
    job = job_for(bappeda)
    Pekerjaan.objects.filter(pk=job.pk).update(status="berjalan", minta_batal=True)

    status = tasks.impor_rad(
        job.pk, periode.pk, "besar.xlsx", base64.b64encode(content).decode(), versi
    )

    job.refresh_from_db()
    assert (status, job.status) == ("dibatalkan", "dibatalkan")
    assert jumlah() == (0, 0, 0)


def test_the_task_fails_with_the_reason_when_the_plan_changed_since_the_preview(
    periode, dinkes, bappeda
):
    content = besar(320)
    versi = periksa(content, periode, bappeda).versi_dilihat()
    services.aksi_simpan(periode=periode, data=data_aksi("X.0001", dinkes), by=bappeda)
    job = job_for(bappeda)

    tasks.impor_rad(job.pk, periode.pk, "besar.xlsx", base64.b64encode(content).decode(), versi)

    job.refresh_from_db()
    assert job.status == "gagal"
    assert "Data RAD berubah sejak pratinjau" in job.pesan
    assert Aksi.objects.count() == 1


def test_a_redelivered_task_of_an_ended_job_does_nothing(periode, dinkes, bappeda):
    job = job_for(bappeda)
    pekerjaan_services.selesai(job, hasil={"ringkasan": "sudah"})
    assert tasks.impor_rad(job.pk, periode.pk, "x.xlsx", "", {}) == "selesai"
    job.refresh_from_db()
    assert job.hasil == {"ringkasan": "sudah"}


@pytest.mark.skipif("connection.vendor == 'sqlite'", reason="SQLite has one writer at a time")
@pytest.mark.django_db(transaction=True)
def test_a_cancel_during_the_write_undoes_every_row(periode, dinkes, bappeda, monkeypatch):
    """On PostgreSQL progress is written through its own connection while the import's
    transaction is open: the bar moves, and a cancel stops and undoes the write."""
    content = besar(450)
    laporan = periksa(content, periode, bappeda)
    job = job_for(bappeda)
    real = services.aksi_simpan
    calls = []

    def cancel_at_250(**kwargs):
        calls.append(1)
        if len(calls) == 250:  # the person presses Batalkan, from another connection
            thread = threading.Thread(
                target=lambda: (pekerjaan_services.minta_batal(job), connection.close())
            )
            thread.start()
            thread.join()
        return real(**kwargs)

    monkeypatch.setattr(services, "aksi_simpan", cancel_at_250)
    Pekerjaan.objects.filter(pk=job.pk).update(status="berjalan")
    with pytest.raises(pekerjaan_services.Dibatalkan):
        impor_tulis.rad_impor(periode=periode, laporan=laporan, by=bappeda, pekerjaan=job)

    job.refresh_from_db()
    assert (job.status, job.persen) == ("dibatalkan", impor_tulis.PERSEN_PERIKSA + 70 * 200 // 450)
    assert jumlah() == (0, 0, 0)


# --- The pages ------------------------------------------------------------------------------


def upload(client, periode, content, name="rad.xlsx"):
    return client.post(
        reverse("rencana_aksi:impor", args=[periode.pk]),
        {"berkas": SimpleUploadedFile(name, content)},
    )


def confirm(client, periode, token, follow=True):
    return client.post(
        reverse("rencana_aksi:impor-konfirmasi", args=[periode.pk]), {"token": token}, follow=follow
    )


def test_the_preview_shows_row_errors_and_offers_no_confirmation(
    client, periode, dinkes, dinsos, bappeda
):
    client.force_login(bappeda)
    response = upload(client, periode, xlsx([VALID[0], [*VALID[1][:9], -5, "APBD"]]))
    page = response.content.decode()
    assert "1 galat: berkas tidak dapat diimpor" in page
    assert f"pagu_{T1} -5 negatif." in page
    assert response.context.get("token") is None
    assert reverse("rencana_aksi:impor-konfirmasi", args=[periode.pk]) not in page
    assert jumlah() == (0, 0, 0)


def test_preview_then_confirm_writes_the_plan(client, periode, dinkes, dinsos, sekretariat):
    client.force_login(sekretariat)
    page = client.get(reverse("rencana_aksi:impor", args=[periode.pk])).content.decode()
    assert "Templat rencana dan target" in page and "Templat realisasi triwulan" in page
    preview = upload(client, periode, xlsx(VALID))
    assert "Yang akan ditulis" in preview.content.decode()
    assert "2 aksi baru, 0 diperbarui" in preview.content.decode()
    assert jumlah() == (0, 0, 0)  # nothing written by the preview

    done = confirm(client, periode, preview.context["token"])

    assert done.redirect_chain[-1][0] == reverse("rencana_aksi:aksi-list", args=[periode.pk])
    assert f"{PERIODE} diimpor. Aksi baru 2" in done.content.decode()
    assert jumlah() == (2, 2, 0)


def test_confirming_twice_writes_once_and_a_stale_token_is_refused(
    client, periode, dinkes, dinsos, bappeda
):
    client.force_login(bappeda)
    token = upload(client, periode, xlsx(VALID)).context["token"]
    assert (
        "Pratinjau ini sudah tidak berlaku" in confirm(client, periode, "0" * 32).content.decode()
    )
    token = upload(client, periode, xlsx(VALID)).context["token"]
    confirm(client, periode, token)
    history = Aksi.history.count()

    again = confirm(client, periode, token)

    assert "Pratinjau ini sudah tidak berlaku" in again.content.decode()
    assert Aksi.history.count() == history


def test_a_change_between_preview_and_confirmation_refuses_the_import(
    client, periode, aksi_dinkes, dinkes, dinsos, bappeda, operator_dinkes
):
    client.force_login(operator_dinkes)
    content = realisasi_rows(["A.1", T1, 1, 9, None, None])
    token = upload(client, periode, content).context["token"]
    services.realisasi_simpan(
        aksi=aksi_dinkes, tahun=T1, triwulan=1, by=operator_dinkes, versi=0, capaian=D(3)
    )

    response = confirm(client, periode, token)

    assert "Data RAD berubah sejak pratinjau" in response.content.decode()
    assert Realisasi.objects.get().capaian == D(3)


def test_an_operator_downloads_its_templates(
    client, periode, aksi_dinkes, aksi_dinsos, operator_dinkes
):
    client.force_login(operator_dinkes)
    url = reverse("rencana_aksi:impor", args=[periode.pk])
    page = client.get(url).content.decode()
    assert "Semua OPD" not in page  # no choice of agency for an operator

    plan = client.get(url, {"templat": "rencana", "opd": aksi_dinsos.opd_utama_id})
    assert plan["Content-Disposition"].startswith(f'attachment; filename="rad-rencana-{T0}-semua-')
    assert [r["kode_aksi"] for r in baca_tabel("t.xlsx", plan.content)] == ["A.1"]
    quarter = client.get(url, {"templat": "realisasi", "tahun": T1, "triwulan": 2})
    rows = baca_tabel("t.xlsx", quarter.content)
    assert [(r["kode_aksi"], r["tahun"], r["triwulan"], r["target"]) for r in rows] == [
        ("A.1", T1, "II", 50)
    ]
    assert (
        client.get(url, {"templat": "realisasi", "tahun": T0 + 9, "triwulan": 1}).status_code == 404
    )


def test_the_secretariat_downloads_one_agencys_template(
    client, periode, aksi_dinkes, aksi_dinsos, sekretariat
):
    client.force_login(sekretariat)
    url = reverse("rencana_aksi:impor", args=[periode.pk])
    assert "Semua OPD" in client.get(url).content.decode()
    every = baca_tabel("t.xlsx", client.get(url, {"templat": "rencana"}).content)
    assert [r["kode_aksi"] for r in every] == ["A.1", "B.1"]
    one = client.get(url, {"templat": "rencana", "opd": aksi_dinsos.opd_utama_id})
    assert [r["kode_aksi"] for r in baca_tabel("t.xlsx", one.content)] == ["B.1"]


@pytest.mark.parametrize("person", ["pimpinan", "kepala_dinkes", "operator_kasemen"])
def test_people_who_do_not_import_are_refused(client, request, periode, dinkes, dinsos, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("rencana_aksi:impor", args=[periode.pk])).status_code == 403
    assert upload(client, periode, xlsx(VALID)).status_code == 403
    assert confirm(client, periode, "0" * 32, follow=False).status_code == 403
    assert jumlah() == (0, 0, 0)


def test_a_large_file_is_queued_and_followed_on_its_job_page(
    client, periode, dinkes, bappeda, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(
        tasks.impor_rad, "apply_async", lambda args, task_id: queued.append((*args, task_id))
    )
    client.force_login(bappeda)
    preview = upload(client, periode, besar(impor_views.BATAS_BARIS_LANGSUNG + 1))
    assert "impor berjalan di latar" in preview.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, periode, preview.context["token"], follow=False)

    job = Pekerjaan.objects.get()
    assert response["Location"] == reverse("pekerjaan", args=[job.pk])
    assert (job.jenis, job.dibuat_oleh, job.status) == ("impor_rad", bappeda, "antre")
    assert job.judul == f"Impor rencana {PERIODE}: rad.xlsx"
    assert [(args[0], args[1], args[2], args[-1]) for args in queued] == [
        (job.pk, periode.pk, "rad.xlsx", job.task_id)
    ]
    assert jumlah() == (0, 0, 0)  # the worker writes it


@pytest.mark.django_db(transaction=True)
def test_a_large_file_confirmed_while_the_queue_is_down_says_so_and_its_job_ends_failed(
    client, periode, dinkes, bappeda, antrean_di_redis_sendiri
):
    from kla_portal.antrean import TIDAK_TERSEDIA

    client.force_login(bappeda)
    preview = upload(client, periode, besar(impor_views.BATAS_BARIS_LANGSUNG + 1))
    antrean_di_redis_sendiri.hentikan()

    response = confirm(client, periode, preview.context["token"])

    job = Pekerjaan.objects.get()
    assert response.redirect_chain == [(reverse("pekerjaan", args=[job.pk]), 302)]
    assert str(TIDAK_TERSEDIA) in response.content.decode()
    assert (job.status, job.pesan) == ("gagal", str(TIDAK_TERSEDIA))
    assert jumlah() == (0, 0, 0)


# --- The command ----------------------------------------------------------------------------


def test_the_command_checks_with_dry_run_and_imports_without(tmp_path, periode, dinkes, dinsos):
    path = tmp_path / "rad.xlsx"
    path.write_bytes(xlsx(VALID))

    checked = run(str(path), "--dry-run")
    assert f"{PERIODE}, rencana aksi: 2 baris: 2 aksi baru, 0 diperbarui" in checked
    assert "tidak ada yang ditulis" in checked
    assert jumlah() == (0, 0, 0)

    done = run(str(path), "--periode", str(T0))
    assert f"Diimpor ke {PERIODE}. Aksi baru 2" in done
    assert jumlah() == (2, 2, 0)
    assert "0 aksi baru, 0 diperbarui, 2 tidak berubah" in run(str(path))


def test_the_command_as_an_operator_is_scoped_to_its_agency(
    tmp_path, periode, aksi_dinkes, aksi_dinsos, operator_dinkes
):
    path = tmp_path / "realisasi.xlsx"
    path.write_bytes(realisasi_rows(["A.1", T1, 1, 5, None, None], ["B.1", T1, 1, 5, None, None]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Tidak diimpor"):
        call_command("import_rad", str(path), "--oleh", "operator.dinkes", stdout=out)
    assert "baris 3, kolom kode_aksi: Aksi B.1 bukan aksi OPD Anda" in out.getvalue()
    assert not Realisasi.objects.exists()


def test_the_command_refuses_an_unknown_period_or_a_person_who_may_not_import(
    tmp_path, periode, pimpinan
):
    path = tmp_path / "rad.xlsx"
    path.write_bytes(xlsx(VALID))
    with pytest.raises(CommandError, match=f"Periode RAD yang mulai {T0 + 10} belum ada"):
        run(str(path), "--periode", str(T0 + 10))
    with pytest.raises(CommandError, match="pimpinan tidak berhak mengimpor RAD"):
        run(str(path), "--oleh", "pimpinan")


def test_the_rad_import_refuses_a_workbook_that_unpacks_to_300_mb(client, sekretariat, periode):
    from tests.kla_portal.test_impor_bom import bom_300_mb

    before = jumlah()
    client.force_login(sekretariat)
    response = client.post(
        reverse("rencana_aksi:impor", args=[periode.pk]),
        {"berkas": SimpleUploadedFile("rad.xlsx", bom_300_mb())},
    )
    assert "rad.xlsx terlalu besar untuk diimpor" in response.content.decode()
    assert response.context.get("token") is None
    assert jumlah() == before
