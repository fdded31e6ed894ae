"""Benchmarks of the KLA portal, printed as ratios against a baseline measured in the same run.

Absolute times depend on the machine; a ratio against the cheapest way of doing the same work
on the same machine, in the same run, does not. Each figure is the median of several runs.

    make bench
"""

import csv
import gzip
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kla_portal.settings")
os.environ.setdefault("DEBUG", "true")
os.environ["KLA_VAR_DIR"] = tempfile.mkdtemp(prefix="kla-bench-")
os.environ.pop("DATABASE_URL", None)
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def median_seconds(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(
    name: str, measured: float, baseline: float, baseline_name: str, extra: str = ""
) -> None:
    print(f"{name:<44} {measured / baseline:8.1f} x  {baseline_name}{extra}")


def bench_load_wilayah() -> None:
    """Loading Kota Serang against merely reading the compressed list it is loaded from."""
    from agencies import services
    from agencies.models import Wilayah

    def read_list():
        with gzip.open(services.WILAYAH_CSV, "rt", encoding="utf-8", newline="") as handle:
            return sum(1 for row in csv.DictReader(handle) if row["kode"].startswith("36.73"))

    def load():
        for tingkat in (4, 3, 2, 1):  # children first: the parent link is protected
            Wilayah.objects.filter(tingkat=tingkat).delete()
        services._baris_kabkota.cache_clear()
        services.wilayah_load(kode="36.73")

    report(
        "load_wilayah 36.73 (75 regions)",
        median_seconds(load),
        median_seconds(read_list),
        "reading the list",
    )


def bench_opd_list() -> None:
    """The scoped agency list page with 500 agencies against one SQL query of the same rows."""
    from agencies import demo
    from agencies.models import Opd, User

    demo.seed()
    Opd.objects.bulk_create(
        Opd(nama=f"Lembaga {i}", singkatan=f"L{i}", jenis="lainnya") for i in range(470)
    )
    client = Client()
    client.force_login(User.objects.get(username="sekretariat"))

    def page():
        assert client.get("/opd/").status_code == 200

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, nama, singkatan, jenis, aktif FROM agencies_opd ORDER BY nama"
            )
            cursor.fetchall()

    page()
    with CaptureQueriesContext(connection) as queries:
        page()
    report(
        f"OPD list page, {Opd.objects.count()} agencies",
        median_seconds(page),
        median_seconds(baseline),
        "one SQL select of the rows",
        f"; {len(queries.captured_queries)} queries",
    )


def bench_skor() -> None:
    """A full score recompute of the 2024 instrument, every city-level question answered and
    every kecamatan and kelurahan of Kota Serang answering its questions, against one SQL
    aggregate of the same per-indicator sums."""
    from decimal import Decimal

    from agencies import demo as agencies_demo
    from agencies.models import Wilayah
    from clusters import demo, services
    from clusters.models import Jawaban, Pertanyaan, TahunEvaluasi

    agencies_demo.seed()
    demo.seed()
    tahun = TahunEvaluasi.objects.get(tahun=2024)
    answered = set(
        Jawaban.objects.filter(pertanyaan__tahun=tahun).values_list("pertanyaan_id", "wilayah_id")
    )
    units = {
        Pertanyaan.Lingkup.KECAMATAN: list(
            Wilayah.objects.kecamatan().filter(kode__startswith="36.73.")
        ),
        Pertanyaan.Lingkup.DESA_KELURAHAN: list(
            Wilayah.objects.desa_kelurahan().filter(kode__startswith="36.73.")
        ),
    }
    fresh = []
    for p in Pertanyaan.objects.filter(tahun=tahun):
        if (p.pk, None) not in answered:
            fresh.append(Jawaban(pertanyaan=p, fraksi=Decimal("0.5"), cakupan_persen=Decimal(50)))
        for unit in units.get(p.lingkup, []):
            if (p.pk, unit.pk) not in answered:
                fresh.append(Jawaban(pertanyaan=p, wilayah=unit, fraksi=Decimal(1)))
    Jawaban.objects.bulk_create(fresh)
    n = Jawaban.objects.filter(pertanyaan__tahun=tahun).count()

    def recompute():
        services.skor_hitung(tahun=tahun)

    def aggregate():
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT i.kelompok_id, i.id, SUM(j.poin_opd),
                       SUM(CASE WHEN j.status = 'terverifikasi' THEN j.poin_verifikator END),
                       SUM(CASE WHEN NOT p.wajib_lampiran OR EXISTS (
                               SELECT 1 FROM clusters_lampiran l WHERE l.jawaban_id = j.id
                               AND l.diganti_oleh_id IS NULL AND l.dihapus IS NULL)
                           THEN j.poin_opd END),
                       COUNT(u.id)
                FROM clusters_pertanyaan p
                JOIN clusters_indikator i ON i.id = p.indikator_id
                LEFT JOIN clusters_jawaban j ON j.pertanyaan_id = p.id AND j.wilayah_id IS NULL
                LEFT JOIN clusters_jawaban u ON u.pertanyaan_id = p.id
                     AND u.wilayah_id IS NOT NULL AND u.fraksi > 0
                WHERE p.tahun_id = %s
                GROUP BY i.kelompok_id, i.id
                """,
                [tahun.pk],
            )
            cursor.fetchall()

    connection.queries_log.clear()  # the demo's thousands of queries fill the log
    with CaptureQueriesContext(connection) as queries:
        recompute()
    report(
        f"score recompute 2024, {n} answers",
        median_seconds(recompute),
        median_seconds(aggregate),
        "one SQL aggregate of the sums",
        f"; {len(queries.captured_queries)} queries",
    )


def bench_impor_rad() -> None:
    """Importing a 5,000-row RAD plan (new actions, five years of targets each) through the
    portal's import path (rencana_aksi.impor check, then impor_tulis.rad_impor writing through
    services.aksi_simpan in one transaction), against bulk_create of the same parsed rows (Aksi,
    then TargetTahunan); and the import's peak memory, traced in a run of its own."""
    import tracemalloc

    from agencies import demo as agencies_demo
    from agencies.models import Opd, User
    from kla_portal.ekspor import buku_xlsx
    from rencana_aksi import impor, impor_tulis
    from rencana_aksi.models import Aksi, PeriodeRad, TargetTahunan
    from rencana_aksi.services import DataAksi

    agencies_demo.seed()
    bappeda = User.objects.get(username="bappeda")
    opd = list(
        Opd.objects.aktif()
        .exclude(jenis=Opd.Jenis.KECAMATAN)
        .order_by("pk")
        .values_list("singkatan", flat=True)[:20]
    )
    n = 5000
    tahun_mulai = iter(range(2040, 2100, 5))  # a plan period of its own for every run

    def berkas() -> tuple:
        periode = PeriodeRad.objects.create(
            tahun_mulai=(t := next(tahun_mulai)), tahun_selesai=t + 4
        )
        kolom = list(impor.KOLOM_RENCANA)
        kolom += [f"{jenis}_{tahun}" for tahun in periode.tahun_list for jenis in impor.TAHUNAN]
        rows = []
        for i in range(n):
            row = [
                f"{i % 6}.{i:05d}",
                f"Aksi {i}",
                f"Klaster {('I', 'II', 'III', 'IV', 'V')[i % 5]}",
                f"Indikator {i % 26 + 1}",
                "1.02.02",
                "Program pemenuhan upaya kesehatan",
                "1.02.02.2.01",
                "Penyediaan fasilitas pelayanan kesehatan",
                "1.02.02.2.01.0001",
                "Pengembangan puskesmas ramah anak",
                "Puskesmas ramah anak",
                "unit",
                "1,5",
                opd[i % len(opd)],
                opd[(i + 1) % len(opd)],
                "Berjalan",
            ]
            for tahun in periode.tahun_list:
                row += [tahun % 7 + 1, 1_000_000 * (i % 97 + 1), "APBD"]
            rows.append(row)
        return periode, buku_xlsx("Rencana", kolom, rows)

    def impor_portal(periode, isi) -> None:
        laporan = impor.periksa_berkas("rencana.xlsx", isi, periode=periode, pengguna=bappeda)
        assert laporan.baru == n and not laporan.ada_galat, laporan.galat[:3]
        impor_tulis.rad_impor(periode=periode, laporan=laporan, by=bappeda)

    def bulk(periode, laporan) -> None:
        data = [row.data for row in laporan.tulis]
        bidang = [name for name in DataAksi.FIELDS if name != "opd_utama"]
        aksi = Aksi.objects.bulk_create(
            Aksi(
                periode=periode,
                kode=d.kode,
                opd_utama=d.opd_utama,
                **{name: getattr(d, name) for name in bidang},
            )
            for d in data
        )
        TargetTahunan.objects.bulk_create(
            TargetTahunan(aksi=a, tahun=tahun, target=target, pagu=pagu, sumber_dana=sumber)
            for a, d in zip(aksi, data, strict=True)
            for tahun, (target, pagu, sumber) in d.target.items()
        )

    def median_run(siapkan, kerjakan, repeat: int = 3) -> float:
        times = []
        for _ in range(repeat):
            args = siapkan()
            start = time.perf_counter()
            kerjakan(*args)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    def berkas_terbaca() -> tuple:
        periode, isi = berkas()
        return periode, impor.periksa_berkas("rencana.xlsx", isi, periode=periode, pengguna=bappeda)

    connection.queries_log.clear()
    # One timed run: it takes over a minute, long enough for the ratio to hold still.
    measured = median_run(berkas, impor_portal, repeat=1)
    baseline = median_run(berkas_terbaca, bulk)
    periode, isi = berkas()
    tracemalloc.start()
    impor_portal(periode, isi)
    puncak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    report(
        "RAD plan import, 5000 rows (check + write)",
        measured,
        baseline,
        "bulk_create of the parsed rows",
        f"; peak {puncak / 2**20:.0f} MB (tracemalloc), file {len(isi) / 2**20:.1f} MB",
    )


if __name__ == "__main__":
    call_command("migrate", verbosity=0)
    print(f"{'benchmark':<44} {'ratio':>10}  against")
    bench_load_wilayah()
    bench_opd_list()
    bench_skor()
    bench_impor_rad()
