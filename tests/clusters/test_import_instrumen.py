"""Importing the yearly instrument: preview with every fault, then one transaction."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Sum

from clusters import instrumen, scoring, services
from clusters.models import (
    Indikator,
    Jawaban,
    Kelompok,
    Penugasan,
    Pertanyaan,
    SumberData,
    TahunEvaluasi,
)
from tests.conftest import kota_uji

FILE_2024 = Path(__file__).resolve().parents[2] / "clusters" / "data" / "instrumen_kla_2024.csv"


def rows_2024() -> list[dict]:
    return instrumen.baca_tabel(FILE_2024.name, FILE_2024.read_bytes())


def as_csv(rows: list[dict], delimiter: str = ",") -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_instrumen", *args, stdout=out)
    return out.getvalue()


def test_the_2024_file_is_read_with_all_its_questions():
    laporan = instrumen.periksa(rows_2024(), nama_dikenal=set())
    assert len(laporan.pertanyaan) == 274
    groups = {g["nama"]: g["nilai_max"] for g in laporan.per_kelompok()}
    assert groups == {
        "KELEMBAGAAN": 164,
        "KLASTER I": 115,
        "KLASTER II": 156,
        "KLASTER III": 150,
        "KLASTER IV": 110,
        "KLASTER V": 205,
        "KELANA DEKELA": 100,
    }
    assert laporan.total_max == 1000
    assert laporan.bisa_diimpor


def test_the_2024_file_reports_its_three_known_faults():
    laporan = instrumen.periksa(rows_2024(), nama_dikenal=set())
    messages = [str(t) for t in laporan.peringatan]
    assert any(
        "Indikator 19: jumlah nilai pertanyaannya 54, tidak sama dengan nilai indikator 51" in m
        for m in messages
    )
    assert any(
        "Indikator 21 B: jumlah nilai pertanyaannya 18, tidak sama dengan nilai indikator 17" in m
        for m in messages
    )
    assert any("baris 274: Indikator 26 Pertanyaan 17 bernilai 0 poin" in m for m in messages)
    assert any(
        "nama sumber data belum dipetakan ke OPD" in m and "DPPPAPPKB" in m for m in messages
    )
    assert laporan.galat == []


@pytest.mark.django_db
def test_the_command_imports_2024_with_its_report(dinkes):
    output = run("2024", str(FILE_2024))
    assert (
        "Instrumen 2024: 7 kelompok, 31 indikator, 274 pertanyaan, nilai maksimum 1.000." in output
    )
    assert "Indikator 19: jumlah nilai pertanyaannya 54" in output
    assert "Pertanyaan baru 274" in output
    tahun = TahunEvaluasi.objects.get(tahun=2024)
    assert Kelompok.objects.filter(tahun=tahun).count() == 7
    assert Pertanyaan.objects.filter(tahun=tahun).count() == 274
    assert Indikator.objects.filter(tahun=tahun).aggregate(t=Sum("nilai_max"))["t"] == 1000
    # "Dinkes" matches the agency's short name, so its questions are assigned at once
    assert SumberData.objects.get(nama="Dinkes").opd == dinkes
    assert Penugasan.objects.filter(opd=dinkes, utama=True).exists()
    per_desa = Pertanyaan.objects.filter(lingkup=Pertanyaan.Lingkup.DESA_KELURAHAN)
    assert per_desa.count() == 13
    assert set(per_desa.values_list("cara_penilaian", flat=True)) == {"cakupan"}
    asked = Pertanyaan.objects.get(indikator__kode="Indikator 1", kode="Pertanyaan 1")
    assert asked.cara_penilaian == "opsi"


@pytest.mark.django_db
def test_the_command_makes_a_new_year_with_its_category_bands_as_the_web_form_does(dinkes):
    """Pratama 500–600, Madya 601–700, Nindya 701–800, Utama 801–900, KLA 901–1000: each band
    is stored by its lower bound."""
    output = run("2025", str(FILE_2024))
    assert "Evaluasi KLA 2025 dibuat, dengan kategori bakunya." in output
    tahun = TahunEvaluasi.objects.get(tahun=2025)
    assert list(tahun.kategori.order_by("poin_min").values_list("nama", "poin_min")) == [
        ("Pratama", Decimal(500)),
        ("Madya", Decimal(601)),
        ("Nindya", Decimal(701)),
        ("Utama", Decimal(801)),
        ("KLA", Decimal(901)),
    ]
    assert tahun.pertanyaan.count() == 274
    # Importing again into the year it made keeps its five bands (no second set).
    run("2025", str(FILE_2024))
    assert tahun.kategori.count() == 5
    # A 2025 total of 600,00 is Pratama and 601,00 Madya: the bands are the year's own.
    assert scoring.kategori(Decimal("600.00"), services.ambang(tahun)) == "Pratama"
    assert scoring.kategori(Decimal("601.00"), services.ambang(tahun)) == "Madya"


@pytest.mark.django_db
def test_the_command_refuses_a_year_out_of_range_and_writes_nothing():
    with pytest.raises(CommandError, match="Tahun harus antara 2000 dan 2100"):
        run("1999", str(FILE_2024))
    assert not TahunEvaluasi.objects.exists()


@pytest.mark.django_db
def test_dry_run_writes_nothing():
    output = run("2024", str(FILE_2024), "--dry-run")
    assert "tidak ada yang ditulis" in output
    assert not TahunEvaluasi.objects.exists()
    assert not SumberData.objects.exists()


@pytest.mark.django_db
def test_importing_again_keeps_every_answer(admin_portal, dinkes):
    run("2024", str(FILE_2024))
    pertanyaan = Pertanyaan.objects.get(indikator__kode="Indikator 1", kode="Pertanyaan 1")
    jawaban = Jawaban.objects.create(
        daerah=kota_uji(), pertanyaan=pertanyaan, opd=dinkes, fraksi=Decimal("0.5")
    )
    rows = [
        r
        for r in rows_2024()
        if not (r["indikator_kode"] == "Indikator 1" and r["pertanyaan_kode"] == "Pertanyaan 1")
    ]
    rows[0]["pertanyaan_teks"] = "Teks yang diperbaiki"
    tahun = TahunEvaluasi.objects.get(tahun=2024)

    hasil = services.instrumen_impor(
        tahun=tahun, laporan=instrumen.periksa(rows, nama_dikenal=set()), by=admin_portal
    )

    assert hasil.dipertahankan == ["Indikator 1 Pertanyaan 1"]
    assert (hasil.baru, hasil.diperbarui, hasil.dihapus) == (0, 1, 0)  # only the changed text
    assert Jawaban.objects.get(pk=jawaban.pk).fraksi == Decimal("0.5")
    assert Pertanyaan.objects.filter(tahun=tahun).count() == 274
    assert Pertanyaan.objects.filter(teks="Teks yang diperbaiki").count() == 1


@pytest.mark.django_db
def test_an_xlsx_file_with_semicolons_or_sheets_reads_the_same(tmp_path):
    from openpyxl import Workbook

    rows = rows_2024()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    path = tmp_path / "instrumen.xlsx"
    workbook.save(path)
    from_xlsx = instrumen.periksa(
        instrumen.baca_tabel("instrumen.xlsx", path.read_bytes()), nama_dikenal=set()
    )
    from_semicolons = instrumen.periksa(
        instrumen.baca_tabel("x.csv", as_csv(rows, ";")), nama_dikenal=set()
    )
    assert len(from_xlsx.pertanyaan) == len(from_semicolons.pertanyaan) == 274
    assert from_xlsx.total_max == from_semicolons.total_max == 1000


def broken(change) -> list[dict]:
    rows = rows_2024()[:6]
    change(rows)
    return rows


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda rows: [r.pop("nilai_max") for r in rows], "Kolom tidak ada: nilai_max"),
        (
            lambda rows: rows[2].update(nilai_max="dua belas"),
            "baris 4: nilai_max 'dua belas' bukan angka",
        ),
        (lambda rows: rows[3].update(nilai_max="-1"), "baris 5: nilai_max -1 negatif"),
        (lambda rows: rows[1].update(pertanyaan_kode=""), "baris 3: kode pertanyaan kosong"),
        (
            lambda rows: rows[4].update(pertanyaan_kode=rows[1]["pertanyaan_kode"]),
            "baris 6: kode Pertanyaan 2a dipakai dua kali di Indikator 1 (juga baris 3)",
        ),
        (
            lambda rows: rows[2].update(indikator_nilai_max="95"),
            "baris 4: nilai Indikator 1 95 berbeda dengan baris 2 (96)",
        ),
        (lambda rows: rows[2].update(untuk_desa="mungkin"), "untuk_desa 'mungkin' harus 0 atau 1"),
    ],
)
def test_a_faulty_file_is_refused_with_row_level_messages(change, message):
    laporan = instrumen.periksa(broken(change), nama_dikenal=set())
    assert not laporan.bisa_diimpor
    assert any(message in str(t) for t in laporan.galat), [str(t) for t in laporan.temuan]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("kosong.csv", b"", "Berkas kosong"),
        (
            "instrumen.xlsx",
            b"%PDF-1.7\n1 0 obj\n",
            "instrumen.xlsx adalah PDF, bukan CSV atau XLSX",
        ),
        ("rusak.xlsx", b"PK\x03\x04bukan-zip-sebenarnya", "tidak dapat dibuka sebagai XLSX"),
        ("program.csv", b"MZ\x90\x00\x03\x00\x00\x00", "bukan CSV atau XLSX"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(name, content, message):
    with pytest.raises(ValidationError, match=message):
        instrumen.baca_tabel(name, content)


@pytest.mark.django_db
def test_the_command_refuses_a_faulty_file_and_writes_nothing(tmp_path):
    path = tmp_path / "rusak.csv"
    path.write_bytes(as_csv(broken(lambda rows: rows[2].update(nilai_max="dua belas"))))
    with pytest.raises(CommandError, match="Tidak diimpor"):
        run("2024", str(path))
    assert not TahunEvaluasi.objects.exists()
    assert not Pertanyaan.objects.exists()


@pytest.mark.django_db
def test_a_service_refuses_a_report_with_faults(admin_portal):
    tahun = services.tahun_buat(tahun=2025, by=admin_portal)
    laporan = instrumen.periksa(
        broken(lambda rows: rows[1].update(pertanyaan_kode="")), nama_dikenal=set()
    )
    with pytest.raises(ValidationError, match="galat"):
        services.instrumen_impor(tahun=tahun, laporan=laporan, by=admin_portal)
    assert not Pertanyaan.objects.exists()
