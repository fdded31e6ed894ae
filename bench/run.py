"""Benchmarks of the KLA portal, printed as ratios against a baseline measured in the same run.

Absolute times depend on the machine; a ratio against the cheapest way of doing the same work
on the same machine, in the same run, does not. Each figure is the median of several runs.
First the page survey (bench/halaman.py) at the demo size and at ten times the data
(bench/data10.py), then, on an emptied database, the other lines and the imports
(bench/impor.py). The README's "Benchmarks" section says how to read the figures.

    make bench                       # the embedded SQLite
    BENCH_DATABASE_URL=postgres://... make bench   # an empty PostgreSQL database
"""

import atexit
import contextlib
import csv
import gzip
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kla_portal.settings")
os.environ.setdefault("DEBUG", "true")
# A child process (--puncak-..., gunicorn) uses its parent's database and files. The bench's
# own folder holds them and every other folder it makes (TMPDIR), and goes when it ends.
if "KLA_VAR_DIR" not in os.environ:
    _AKAR = tempfile.mkdtemp(prefix="kla-bench-")
    atexit.register(shutil.rmtree, _AKAR, True)
    os.environ["TMPDIR"] = tempfile.tempdir = _AKAR
    os.environ["KLA_VAR_DIR"] = os.path.join(_AKAR, "var")
os.environ.pop("DATABASE_URL", None)
if os.environ.get("BENCH_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from bench import api, data10, halaman, impor, provinsi, skala, skor  # noqa: E402
from bench.ukur import cetak_puncak, median_bergantian, median_seconds, puncak, report  # noqa: E402

RONDE = int(os.environ.get("BENCH_RONDE", "15"))


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


def bench_opd_list(ratio: float) -> None:
    """The secretariat's agency list at ten times the demo, from the page survey, against the
    trivial page; and its queries, counted in the test client."""
    from agencies.models import Opd, User

    client = Client()
    client.force_login(User.objects.get(username="sekretariat"))
    client.get("/opd/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/opd/").status_code == 200
    report(
        f"OPD list page, {Opd.objects.count()} agencies",
        ratio,
        1.0,
        "the trivial page (page survey)",
        f"; {len(queries.captured_queries)} queries",
    )


def bench_skor() -> None:
    """A full score recompute of the 2024 instrument, every city-level question answered and
    every kecamatan and kelurahan of Kota Serang answering its questions, against one SQL
    statement computing the same figures (bench/skor.py)."""
    from decimal import Decimal

    from agencies import demo as agencies_demo
    from agencies.models import Wilayah
    from clusters import demo
    from clusters.models import Jawaban, Pertanyaan, TahunEvaluasi

    agencies_demo.seed()
    demo.seed()
    tahun = TahunEvaluasi.objects.get(tahun=2024)
    kota = Wilayah.objects.kabkota_dilayani()
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
            fresh.append(
                Jawaban(
                    daerah=kota,
                    pertanyaan=p,
                    fraksi=Decimal("0.5"),
                    cakupan_persen=Decimal(50),
                )
            )
        for unit in units.get(p.lingkup, []):
            if (p.pk, unit.pk) not in answered:
                fresh.append(Jawaban(pertanyaan=p, wilayah=unit, fraksi=Decimal(1)))
    Jawaban.objects.bulk_create(fresh)
    ukur_skor(tahun, "score recompute 2024, demo")


def ukur_skor(tahun, judul: str) -> None:
    """Kota Serang's full recompute against one SQL statement computing the same figures."""
    from agencies.models import Wilayah
    from clusters import services
    from clusters.models import Jawaban

    statistik_segar()
    serang = Wilayah.objects.get(kode="36.73").pk
    kota = Jawaban.objects.filter(pertanyaan__tahun=tahun, daerah_id=serang).count()
    semua = Jawaban.objects.count()

    def recompute():
        services.skor_hitung(tahun=tahun, daerah_id=serang)

    def same_figures():
        skor.skor_dasar(tahun.pk, serang)

    connection.queries_log.clear()  # the demo's thousands of queries fill the log
    with CaptureQueriesContext(connection) as queries:
        recompute()
    # Each some milliseconds: many rounds, in turn, so that a machine slowing down slows both.
    # As a worker runs, DEBUG off: under DEBUG, Django logs each query, and on SQLite asks the
    # database to quote every parameter for the log (one more statement a query, the
    # snapshot's 120 KB among them), which the one-statement baseline barely pays.
    with override_settings(DEBUG=False):
        measured, baseline = median_bergantian(tuple, recompute, same_figures, repeat=41)
    report(
        f"{judul} ({connection.vendor})",
        measured,
        baseline,
        "one SQL statement computing every figure the snapshot stores (bench/skor.py)",
        f"; the city's {kota} answers of {semua} in the database; "
        f"{len(queries.captured_queries)} queries",
    )


def bench_skor_10x(*, pekerja: bool = False) -> None:
    """After bench_provinsi: the same recompute with East Java's 38 cities' answers beside
    Kota Serang's (ten times the answers and more); with ``pekerja``, those 38 cities
    recomputed by one real worker and by two (on Redis: a folder broker polls)."""
    from agencies.models import Wilayah
    from clusters.models import TahunEvaluasi

    tahun = TahunEvaluasi.objects.get(tahun=2024)
    ukur_skor(tahun, "score recompute 2024, 10x data")
    if pekerja:
        skala.bench_dua_pekerja(tahun, list(Wilayah.objects.filter(induk__kode="35")))


def bench_skor_postgres() -> None:
    """The score lines again on PostgreSQL (BENCH_PG_URL, by default a database of the
    machine's server), in a child process of their own, unless the bench itself runs there."""
    if connection.vendor == "postgresql":
        return
    url = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/kla_bench_skor")
    parts = urlsplit(url)
    import psycopg2

    try:
        admin = psycopg2.connect(
            host=parts.hostname, port=parts.port or 5432, user=parts.username or "postgres",
            password=parts.password, dbname="postgres", connect_timeout=5,
        )  # fmt: skip
    except psycopg2.OperationalError as error:
        print(f"score recompute on PostgreSQL: not measured ({error})".strip(), flush=True)
        return
    admin.autocommit = True
    nama = parts.path.lstrip("/")
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{nama}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{nama}"')
    try:
        var = tempfile.mkdtemp(prefix="kla-bench-pg-")
        env = {**os.environ, "BENCH_DATABASE_URL": url, "KLA_VAR_DIR": var}
        env.pop("DATABASE_URL", None)
        # The workers' line needs a broker that hands tasks out at once: Redis, if it answers.
        redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
        if (
            subprocess.run(["redis-cli", "-u", redis, "flushdb"], capture_output=True).returncode
            == 0
        ):
            env["REDIS_URL"] = redis
        subprocess.run([sys.executable, __file__, "--skor"], env=env, check=True)
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{nama}" WITH (FORCE)')
        admin.close()


def bench_hanya_skor() -> None:
    """``bench/run.py --skor``: the score lines alone, on the database of the environment."""
    from agencies.services import wilayah

    call_command("migrate", verbosity=0)
    wilayah.wilayah_muat(kode="36.73")
    bench_skor()
    provinsi._jatim()
    bench_skor_10x(pekerja=bool(os.environ.get("REDIS_URL")))


def _pdf_berat(mb: int) -> bytes:
    """A three-page evidence PDF of about ``mb`` megabytes: each page a scan-like image of
    random (incompressible) grey pixels."""
    import os as _os

    import pikepdf

    pdf = pikepdf.new()
    sisi = int((mb * 1024 * 1024 / 3) ** 0.5)
    for _ in range(3):
        halaman = pdf.add_blank_page(page_size=(595, 842))
        gambar = pikepdf.Stream(pdf, _os.urandom(sisi * sisi))
        gambar.Type, gambar.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        gambar.Width = gambar.Height = sisi
        gambar.ColorSpace, gambar.BitsPerComponent = pikepdf.Name.DeviceGray, 8
        halaman.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=gambar))
        halaman.Contents = pikepdf.Stream(pdf, b"q 545 0 0 792 25 25 cm /Im0 Do Q")
    keluaran = io.BytesIO()
    pdf.save(keluaran, compress_streams=False)
    return keluaran.getvalue()


def _buat_tahun_bundel(tahun_angka: int, *, mb_per_pdf: int = 0) -> object:
    """The 2024 instrument in a year of its own, every city-level question answered, and 200
    pages of evidence on the first questions: 40 PDFs of three pages and 80 photos; Kota
    Serang's demo RAD (150 actions) for appendix A."""
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw
    from weasyprint import HTML

    from agencies import demo as agencies_demo
    from agencies.models import User
    from clusters import services
    from clusters.models import Jawaban, Pertanyaan
    from rencana_aksi import demo as rencana_aksi_demo

    agencies_demo.seed()
    rencana_aksi_demo.seed()
    admin = User.objects.get(username="admin")
    tahun = impor.tahun_terbuka(tahun_angka)
    soal = list(Pertanyaan.objects.filter(tahun=tahun))
    Jawaban.objects.bulk_create(
        Jawaban(
            daerah_id=admin.daerah_id,
            pertanyaan=p,
            fraksi=Decimal("0.5"),
            cakupan_persen=Decimal(50),
        )
        for p in soal
    )
    pdf = (
        _pdf_berat(mb_per_pdf)
        if mb_per_pdf
        else HTML(
            string="".join(
                f'<h1 style="break-before: page">Data dukung halaman {i}</h1>'
                + "<p>SK Wali Kota</p>" * 10
                for i in (1, 2, 3)
            )
        ).write_pdf()
    )
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

    puncak_portal = puncak("--puncak-bundel", str(tahun.tahun), str(folder / "anak.pdf"))
    puncak_saja = puncak("--puncak-weasyprint", str(folder))
    ukuran = sum(b.berkas.stat().st_size for b in bukti if b.jenis == "pdf") / 1024 / 1024
    report(
        "bundle PDF 2024 instrument, 200 evidence pages",
        measured,
        baseline,
        "WeasyPrint alone on the same HTML",
        f"; {halaman} pages; evidence PDFs {ukuran:.0f} MB; peak {puncak_portal:.1f} MB "
        f"(WeasyPrint alone {puncak_saja:.1f} MB)",
    )
    # The same bundle with 40 evidence PDFs of 8 MB each (scans): the merge holds at most
    # GABUNG_PER_LANGKAH of them at a time, so its peak stays where it was.
    berat = _buat_tahun_bundel(2032, mb_per_pdf=8)
    puncak_berat = puncak("--puncak-bundel", str(berat.tahun), str(folder / "berat.pdf"))
    ukuran_berat = (folder / "berat.pdf").stat().st_size / 1024 / 1024
    report(
        "  its peak memory with 8 MB evidence PDFs",
        puncak_berat,
        puncak_portal,
        "the peak with the small evidence PDFs above",
        f"; the bundle {ukuran_berat:.0f} MB; peak {puncak_berat:.1f} MB",
    )


def _puncak_anak(args: list[str]) -> None:
    """In a fresh process: build the bundle, render its HTML alone, or import a RAD plan; print
    the peak resident memory."""
    if args[0] == "--puncak-bundel":
        from clusters.models import TahunEvaluasi
        from laporan import bundel

        bundel.bangun_pdf(TahunEvaluasi.objects.get(tahun=int(args[1])), tujuan=Path(args[2]))
    elif args[0] == "--puncak-impor-rad":
        impor.puncak_impor_rad(*args[1:])
    else:
        from weasyprint import HTML

        from laporan import pdf

        folder = Path(args[1])
        HTML(
            string=(folder / "bundel.html").read_text(encoding="utf-8"),
            base_url=folder.as_uri() + "/",
            url_fetcher=pdf.PengambilAman(folder),
        ).write_pdf(folder / "anak-saja.pdf")
    cetak_puncak()


def statistik_segar() -> None:
    """The planner's statistics of data loaded a moment ago, as the database keeps them for
    data that grew over time (PostgreSQL's autovacuum analyzes a table after enough changes;
    without it, a freshly filled table is planned as one row: the RAD home took 14 s at 10x)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def survei_halaman() -> float:
    """The page survey at the demo size and at ten times the data, both served at once (the
    demo kept in a copy of the database and its files) and fetched in the same rounds; returns
    the agency list's ratio at ten times. ``BENCH_HALAMAN`` keeps only the pages it names
    (halaman.saring)."""
    from agencies.demo import SANDI_DEMO

    call_command("muat_demo", stdout=io.StringIO())
    statistik_segar()
    daftar = halaman.saring(halaman.daftar_halaman(), os.environ.get("BENCH_HALAMAN", ""))
    print(f"page survey: {len(daftar)} pages, {RONDE} shuffled rounds", flush=True)
    print(f"  demo: {data10.ringkasan()}", flush=True)
    with salinan_demo() as env_demo:
        mulai = time.perf_counter()
        data10.perbanyak(10, cetak=lambda teks: print(f"  10x:  {teks}", flush=True))
        statistik_segar()
        print(f"  10x built in {time.perf_counter() - mulai:.0f} s", flush=True)
        # Each server its own file cache (a shared Redis would serve one size's pages to the
        # other).
        with (
            halaman.Gunicorn({**env_demo, "REDIS_URL": ""}) as demo,
            halaman.Gunicorn({"REDIS_URL": ""}) as besar,
        ):
            mulai = time.perf_counter()
            rasio = halaman.survei_bersama(
                {"demo": demo.url, "10x": besar.url}, daftar, password=SANDI_DEMO, ronde=RONDE
            )
            print(f"  surveyed in {time.perf_counter() - mulai:.0f} s", flush=True)
    halaman.cetak_tabel(rasio["demo"], rasio["10x"])
    return rasio["10x"].get(halaman.Halaman("sekretariat", "/opd/"), float("nan"))


@contextlib.contextmanager
def salinan_demo():
    """A copy of the database and of KLA_VAR_DIR as they are now, for a second server: gives
    the environment that points a process at it; removed after."""
    from django.conf import settings

    folder = Path(tempfile.mkdtemp(prefix="kla-bench-demo-"))
    basis = settings.DATABASES["default"]["NAME"]
    salinan = f"{basis}_demo" if connection.vendor == "postgresql" else ""
    if not salinan and not Path(basis).is_relative_to(settings.VAR_DIR):
        raise RuntimeError("BENCH_DATABASE_URL: PostgreSQL, or SQLite inside KLA_VAR_DIR")
    connection.close()  # SQLite: the file whole (its WAL folded in); PostgreSQL: a free template
    try:
        shutil.copytree(settings.VAR_DIR, folder / "var", symlinks=True)
        env = {"KLA_VAR_DIR": str(folder / "var")}
        if salinan:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{salinan}"')
                cursor.execute(f'CREATE DATABASE "{salinan}" TEMPLATE "{basis}"')
            alamat = urlsplit(os.environ["DATABASE_URL"])
            env["DATABASE_URL"] = urlunsplit(alamat._replace(path=f"/{salinan}"))
        yield env
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if salinan:  # even while a server's worker still holds a connection to it
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{salinan}" WITH (FORCE)')


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("--puncak-"):
        _puncak_anak(sys.argv[1:])
        sys.exit(0)
    if sys.argv[1:] == ["--skor"]:
        bench_hanya_skor()
        sys.exit(0)
    mulai = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)  # BENCH_DATABASE_URL: start empty
    rasio_opd = survei_halaman()
    print(f"\n{'benchmark':<44} {'ratio':>10}  against", flush=True)
    if rasio_opd == rasio_opd:  # not NaN: BENCH_HALAMAN may leave the agency list out
        bench_opd_list(rasio_opd)
    call_command("flush", interactive=False, verbosity=0)
    bench_load_wilayah()
    bench_skor()
    api.bench_jawaban()  # on bench_skor's answered 2024
    api.bench_skor_api()
    provinsi.bench_provinsi()  # on bench_skor's Kota Serang: the city's pages, then 38 more cities
    bench_skor_10x()  # on bench_provinsi's 38 cities
    bench_skor_postgres()
    bench_bundel()  # before the RAD import's 5,000-action plans, which appendix A would print
    impor.bench_impor_rad()
    impor.bench_impor_jawaban()
    print(f"\nbench took {(time.perf_counter() - mulai) / 60:.1f} minutes")
