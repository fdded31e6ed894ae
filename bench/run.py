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
# A child process measuring memory (--puncak-...) uses its parent's database and files.
os.environ.setdefault("KLA_VAR_DIR", tempfile.mkdtemp(prefix="kla-bench-"))
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
    from agencies.models import Wilayah
    from agencies.services import wilayah

    def read_list():
        with gzip.open(wilayah.WILAYAH_CSV, "rt", encoding="utf-8", newline="") as handle:
            return sum(1 for row in csv.DictReader(handle) if row["kode"].startswith("36.73"))

    def load():
        for tingkat in (4, 3, 2, 1):  # children first: the parent link is protected
            Wilayah.objects.filter(tingkat=tingkat).delete()
        wilayah._baris_kabkota.cache_clear()
        wilayah.wilayah_muat(kode="36.73")

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
    portal's import path (rencana_aksi.impor check, then impor.tulis.rad_impor writing through
    services.aksi_simpan in one transaction), against bulk_create of the same parsed rows (Aksi,
    then TargetTahunan); and the import's peak memory, traced in a run of its own."""
    import tracemalloc

    from agencies import demo as agencies_demo
    from agencies.models import Opd, User
    from kla_portal.ekspor import buku_xlsx
    from rencana_aksi import impor
    from rencana_aksi.impor import tulis as impor_tulis
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


def _buat_tahun_bundel(tahun_angka: int) -> object:
    """The 2024 instrument in a year of its own, every city-level question answered, and 200
    pages of evidence on the first questions: 40 PDFs of three pages and 80 photos; Kota
    Serang's demo RAD (150 actions) for appendix A."""
    import io
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw
    from weasyprint import HTML

    from agencies import demo as agencies_demo
    from agencies.models import Opd, User
    from clusters import demo, instrumen, services
    from clusters.models import Jawaban, Pertanyaan
    from rencana_aksi import demo as rencana_aksi_demo

    agencies_demo.seed()
    rencana_aksi_demo.seed()
    admin = User.objects.get(username="admin")
    tahun = services.tahun_buat(tahun=tahun_angka, by=admin)
    rows = instrumen.baca_tabel(demo.BERKAS_2024.name, demo.BERKAS_2024.read_bytes())
    services.instrumen_impor(
        tahun=tahun, laporan=instrumen.periksa(rows, nama_dikenal=set()), by=admin
    )
    soal = list(Pertanyaan.objects.filter(tahun=tahun))
    services.penugasan_atur(
        pertanyaan_list=soal, utama=Opd.objects.get(singkatan="DP3AP2KB"), pendukung=[], by=admin
    )
    services.tahun_ubah(tahun=tahun, by=admin, dibuka=True, batas_waktu=None)
    Jawaban.objects.bulk_create(
        Jawaban(
            pertanyaan=p,
            fraksi=Decimal("0.5"),
            cakupan_persen=Decimal(50),
        )
        for p in soal
    )
    pdf = HTML(
        string="".join(
            f'<h1 style="break-before: page">Data dukung halaman {i}</h1>'
            + "<p>SK Wali Kota</p>" * 10
            for i in (1, 2, 3)
        )
    ).write_pdf()
    gambar = Image.new("RGB", (1600, 1200), "#29a19c")
    ImageDraw.Draw(gambar).rectangle((100, 100, 1500, 1100), outline="white", width=20)
    foto = io.BytesIO()
    gambar.save(foto, "JPEG", quality=85)
    for i, p in enumerate(soal[:120]):
        nama, isi = ("sk.pdf", pdf) if i < 40 else ("foto.jpg", foto.getvalue())
        services.lampiran_tambah(pertanyaan=p, by=admin, berkas=SimpleUploadedFile(nama, isi))
    return tahun


def bench_bundel() -> None:
    """Building the 2024 instrument's bundle with 200 pages of evidence (the score recomputed,
    the contents read, the evidence checked and prepared, the pages laid out, the PDFs merged)
    against WeasyPrint rendering the same HTML alone; and the peak memory of a fresh process
    doing each, as a worker would (its VmHWM: ru_maxrss would carry over the parent's)."""
    import subprocess
    import tempfile

    from pypdf import PdfReader
    from weasyprint import HTML

    from clusters import services
    from laporan import bundel, pdf
    from laporan import isi as isi_mod

    tahun = _buat_tahun_bundel(2030)
    folder = Path(tempfile.mkdtemp(prefix="kla-bench-bundel-"))
    isi = isi_mod.muat(tahun, services.skor_hitung(tahun=tahun), oleh=None)
    bukti = bundel._siapkan_bukti(isi, folder, lambda persen, langkah: None)
    assert sum(b.halaman for b in bukti) == 200 and all(b.disisipkan for b in bukti)
    html = bundel.html(isi)
    (folder / "bundel.html").write_text(html, encoding="utf-8")

    def weasyprint_saja():
        HTML(
            string=html, base_url=folder.as_uri() + "/", url_fetcher=pdf.PengambilAman(folder)
        ).write_pdf(folder / "saja.pdf")

    def portal():
        bundel.bangun_pdf(tahun, tujuan=folder / "bundel.pdf")

    connection.queries_log.clear()
    measured = median_seconds(portal, repeat=3)
    baseline = median_seconds(weasyprint_saja, repeat=3)
    halaman = len(PdfReader(folder / "bundel.pdf").pages)

    def puncak(*args) -> float:
        keluaran = subprocess.run(
            [sys.executable, __file__, *args], check=True, capture_output=True, text=True
        ).stdout
        return int(keluaran.split()[-1]) / 1024

    puncak_portal = puncak("--puncak-bundel", str(tahun.tahun), str(folder / "anak.pdf"))
    puncak_saja = puncak("--puncak-weasyprint", str(folder))
    report(
        "bundle PDF 2024 instrument, 200 evidence pages",
        measured,
        baseline,
        "WeasyPrint alone on the same HTML",
        f"; {halaman} pages; peak {puncak_portal:.1f} MB (WeasyPrint alone {puncak_saja:.1f} MB)",
    )


def _puncak_anak(args: list[str]) -> None:
    """In a fresh process: build the bundle (or render the HTML alone), print the peak resident
    memory of this process's own address space, in kB."""
    if args[0] == "--puncak-bundel":
        from clusters.models import TahunEvaluasi
        from laporan import bundel

        bundel.bangun_pdf(TahunEvaluasi.objects.get(tahun=int(args[1])), tujuan=Path(args[2]))
    else:
        from weasyprint import HTML

        from laporan import pdf

        folder = Path(args[1])
        HTML(
            string=(folder / "bundel.html").read_text(encoding="utf-8"),
            base_url=folder.as_uri() + "/",
            url_fetcher=pdf.PengambilAman(folder),
        ).write_pdf(folder / "anak-saja.pdf")
    status = Path("/proc/self/status").read_text()
    print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("--puncak-"):
        _puncak_anak(sys.argv[1:])
        sys.exit(0)
    call_command("migrate", verbosity=0)
    print(f"{'benchmark':<44} {'ratio':>10}  against")
    bench_load_wilayah()
    bench_opd_list()
    bench_skor()
    bench_bundel()  # before the RAD import's 5,000-action plans, which appendix A would print
    bench_impor_rad()
