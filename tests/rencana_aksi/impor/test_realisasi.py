"""Importing a quarter's realisation from Excel; two imports into one plan at once."""

import io
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection

from rencana_aksi import impor, services
from rencana_aksi.impor import tulis as impor_tulis
from rencana_aksi.models import Aksi, Realisasi, TargetTahunan
from tests.rencana_aksi.impor.bantu import (
    PERIODE,
    T0,
    T1,
    VALID,
    D,
    galat,
    periksa,
    realisasi_rows,
    xlsx,
)

# --- A quarter's realisation ----------------------------------------------------------------


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
    real = services.periksa_data_aksi  # each row held to aksi_simpan's rules, in the write

    def slow(periode, data):  # holds the transaction long enough for the other to collide
        time.sleep(0.2)
        return real(periode, data)

    monkeypatch.setattr(services, "periksa_data_aksi", slow)
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
