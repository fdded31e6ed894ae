"""Importing the RAD plan from Excel: malformed files refused with their row and column and
nothing written; a valid plan written all or nothing; what an agency operator may import."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from rencana_aksi import impor, services
from rencana_aksi.impor import tulis as impor_tulis
from rencana_aksi.models import Aksi, TargetTahunan
from tests.rencana_aksi.impor.bantu import (
    KOLOM,
    PERIODE,
    T0,
    T1,
    VALID,
    D,
    data_aksi,
    galat,
    jumlah,
    merged_header,
    periksa,
    two_sheets,
    xlsx,
)

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
    # The import holds each row to aksi_simpan's rules (services.periksa_data_aksi), then
    # writes them all: the second row's refusal comes before anything is written.
    real = services.periksa_data_aksi

    def fail_on_second(periode, data):
        if data.kode == "K2.1":
            raise ValidationError("OPD Dinas Sosial sudah tidak aktif.")
        return real(periode, data)

    monkeypatch.setattr(services, "periksa_data_aksi", fail_on_second)
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
