"""The answers import command, and the real 2024 instrument answered in full."""

import csv
import io
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from clusters import instrumen, services
from clusters.models import (
    Jawaban,
    Pertanyaan,
)
from tests.clusters.impor_jawaban.bantu import (
    FILE_2024,
    FRAKSI,
    PERSEN,
    SEN,
    VALID,
    periksa,
    run,
    xlsx,
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


def test_points_for_all_274_questions_add_up_per_group_and_overall(sekretariat, dinkes, dinsos):
    tahun = services.tahun_buat(tahun=2024, by=sekretariat)
    rows = instrumen.baca_tabel(FILE_2024.name, FILE_2024.read_bytes())
    services.instrumen_impor(
        tahun=tahun, laporan=instrumen.periksa(rows, nama_dikenal=set()), by=sekretariat
    )
    semua = list(Pertanyaan.objects.filter(tahun=tahun))
    half = len(semua) // 2
    services.penugasan_atur(
        pertanyaan_list=semua[:half], utama=dinkes, pendukung=[], by=sekretariat
    )
    services.penugasan_atur(
        pertanyaan_list=semua[half:], utama=dinsos, pendukung=[], by=sekretariat
    )
    services.tahun_ubah(tahun=tahun, by=sekretariat, batas_waktu=None, dibuka=True)

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
