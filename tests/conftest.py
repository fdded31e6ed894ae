"""Shared fixtures: Kota Serang, its agencies, one named person per role, a small open
evaluation year with three questions, and a real Celery worker."""

import contextlib
import csv
import datetime
import functools
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import factory
import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone, translation
from pypdf import PdfWriter
from pytest_django.fixtures import _assert_num_queries

from agencies import services
from agencies.models import Opd, Peran, User, Wilayah
from clusters import instrumen
from clusters import services as clusters_services
from clusters.models import Indikator, Kelompok, Penugasan, Pertanyaan, TahunEvaluasi

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _email_in_memory(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _bahasa_indonesia():
    """A test that switched a page to English leaves the next test in Indonesian (the active
    language belongs to the thread, and the suite runs in one)."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


# --- Query counts -------------------------------------------------------------------------

PETUNJUK_VERBOSE = " (add -v option to show queries)"


def kueri_ringkas(sql: str, panjang: int = 160) -> str:
    """One line per query: a long column list elided, the rest cut at `panjang` characters."""
    sql = re.sub(r"^SELECT (DISTINCT )?.{40,}? FROM ", r"SELECT \1… FROM ", " ".join(sql.split()))
    return sql if len(sql) <= panjang else sql[: panjang - 1] + "…"


@contextlib.contextmanager
def _hitung_kueri(config, num, *args, **kwargs):
    """pytest-django's count check, whose failure always lists the numbered queries (as zulip's
    `assert_database_query_count` does), not only under `-v`."""
    selesai, pesan = False, None
    try:
        with _assert_num_queries(config, num, *args, **kwargs) as context:
            yield context
            selesai = True
    except pytest.fail.Exception as gagal:
        if not selesai:  # a failure inside the block, not the count
            raise
        pesan = str(gagal.msg).split("\n\nQueries:")[0].replace(PETUNJUK_VERBOSE, "")
    if pesan:
        daftar = "\n".join(
            f"{n:>3}. {kueri_ringkas(q['sql'])}"
            for n, q in enumerate(context.captured_queries, start=1)
        )
        pytest.fail(f"{pesan}\n\nQueries:\n{daftar}")


@pytest.fixture
def django_assert_num_queries(pytestconfig):
    return functools.partial(_hitung_kueri, pytestconfig)


@pytest.fixture
def django_assert_max_num_queries(pytestconfig):
    return functools.partial(_hitung_kueri, pytestconfig, exact=False)


# --- Regions and agencies -----------------------------------------------------------------


@pytest.fixture
def kota_serang(db) -> Wilayah:
    return services.wilayah_muat(kode="36.73").kabkota


@pytest.fixture
def kasemen(kota_serang) -> Wilayah:
    return Wilayah.objects.get(kode="36.73.02")


@pytest.fixture
def cipare(kota_serang) -> Wilayah:
    """Kelurahan Cipare in Kecamatan Serang."""
    return Wilayah.objects.get(kode="36.73.01.1002")


def kota_uji() -> Wilayah:
    """Kota Serang, served: the city of every record a test makes without naming one. Only its
    own row (and its province's); ``kota_serang`` loads its kecamatan and kelurahan too."""
    kota = Wilayah.objects.filter(kode="36.73").first()
    if kota is None:
        banten, _baru = Wilayah.objects.get_or_create(
            kode="36", defaults={"nama": "Banten", "tingkat": Wilayah.Tingkat.PROVINSI}
        )
        kota = Wilayah.objects.create(
            kode="36.73", nama="Kota Serang", tingkat=Wilayah.Tingkat.KABKOTA, induk=banten
        )
    if kota.dilayani_sejak is None:
        kota.dilayani_sejak = timezone.localdate()
        kota.save(update_fields=["dilayani_sejak"])
    return kota


class OpdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opd

    daerah = factory.LazyFunction(kota_uji)

    nama = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    singkatan = factory.Sequence(lambda n: f"DC{n}")
    jenis = Opd.Jenis.DINAS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"pengguna{n}")
    nama_lengkap = factory.Sequence(lambda n: f"Pengguna Contoh {n}")
    password = factory.django.Password("sandi-rahasia-123")


@pytest.fixture
def dinkes(db) -> Opd:
    return OpdFactory(nama="Dinas Kesehatan", singkatan="Dinkes")


@pytest.fixture
def dinsos(db) -> Opd:
    return OpdFactory(nama="Dinas Sosial", singkatan="Dinsos")


@pytest.fixture
def dp3a(db) -> Opd:
    return OpdFactory(
        nama="Dinas Pemberdayaan Perempuan dan Perlindungan Anak", singkatan="DP3AP2KB"
    )


@pytest.fixture
def bappeda_opd(db) -> Opd:
    return OpdFactory(
        nama="Badan Perencanaan Pembangunan Daerah", singkatan="Bappeda", jenis="badan"
    )


# --- People -------------------------------------------------------------------------------


@pytest.fixture
def make_person(db):
    """A person with one active membership, set up through the real service."""

    def make(username: str, peran: str, *, opd=None, wilayah=None, nama: str = "") -> User:
        user = UserFactory(
            username=username, nama_lengkap=nama or username.replace(".", " ").title()
        )
        services.keanggotaan_tambah(
            user=user,
            peran=peran,
            opd=opd,
            wilayah=wilayah,
            by=user,
            daerah=None if opd or wilayah else kota_uji(),
        )
        return User.objects.get(pk=user.pk)

    return make


@pytest.fixture
def admin_portal(make_person) -> User:
    return make_person("admin", Peran.ADMIN, nama="Admin Portal")


@pytest.fixture
def sekretariat(make_person, dp3a) -> User:
    return make_person("sekretariat", Peran.SEKRETARIAT, opd=dp3a, nama="Rina Marlina")


@pytest.fixture
def bappeda(make_person, bappeda_opd) -> User:
    return make_person("bappeda", Peran.BAPPEDA, opd=bappeda_opd, nama="Agus Setiawan")


@pytest.fixture
def pimpinan(make_person) -> User:
    return make_person("pimpinan", Peran.PIMPINAN, nama="Sri Wahyuni")


@pytest.fixture
def kepala_dinkes(make_person, dinkes) -> User:
    return make_person("kepala.dinkes", Peran.KEPALA_OPD, opd=dinkes, nama="dr. Hendra Gunawan")


@pytest.fixture
def kepala_dinsos(make_person, dinsos) -> User:
    """The head of Dinas Sosial: without one, nobody could approve what its operators send."""
    return make_person("kepala.dinsos", Peran.KEPALA_OPD, opd=dinsos, nama="Drs. Rahmat Hidayat")


@pytest.fixture
def operator_dinkes(make_person, dinkes) -> User:
    return make_person("operator.dinkes", Peran.OPERATOR_OPD, opd=dinkes, nama="Siti Nurhaliza")


@pytest.fixture
def operator_dinsos(make_person, dinsos) -> User:
    return make_person("operator.dinsos", Peran.OPERATOR_OPD, opd=dinsos, nama="Budi Santoso")


@pytest.fixture
def operator_kasemen(make_person, kasemen) -> User:
    return make_person(
        "operator.kasemen", Peran.OPERATOR_WILAYAH, wilayah=kasemen, nama="Ahmad Fauzi"
    )


@pytest.fixture
def lurah_cipare(make_person, cipare) -> User:
    return make_person("lurah.cipare", Peran.OPERATOR_WILAYAH, wilayah=cipare, nama="Dewi Lestari")


# --- An open evaluation year ---------------------------------------------------------------


def _pdf_satu_halaman() -> bytes:
    # A real (blank, one-page) PDF: uploads are opened and checked for scripts.
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    isi = io.BytesIO()
    writer.write(isi)
    return isi.getvalue()


PDF = _pdf_satu_halaman()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def berkas(name: str = "sk-gugus-tugas.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def tahun(db) -> TahunEvaluasi:
    record = TahunEvaluasi.objects.create(
        tahun=2024, dibuka=True, batas_waktu=timezone.now() + datetime.timedelta(days=30)
    )
    clusters_services.kategori_isi_baku(tahun=record)
    return record


@pytest.fixture
def indikator(tahun) -> Indikator:
    kelompok = Kelompok.objects.create(tahun=tahun, nama="KLASTER III", urutan=4)
    return Indikator.objects.create(
        tahun=tahun,
        kelompok=kelompok,
        kode="Indikator 15",
        nama="Pelayanan kesehatan ramah anak",
        urutan=1,
        nilai_max=Decimal(20),
    )


def _pertanyaan(indikator, kode, **values) -> Pertanyaan:
    defaults = {
        "teks": f"{kode}: apakah tersedia layanan? (Lampirkan SK dan foto kegiatan)",
        "urutan": 1,
        "nilai_max": Decimal(8),
        "lingkup": Pertanyaan.Lingkup.KABKOTA,
        "cara_penilaian": Pertanyaan.CaraPenilaian.OPSI,
        "wajib_lampiran": True,
        "petunjuk_lampiran": "Lampirkan SK dan foto kegiatan",
    }
    return Pertanyaan.objects.create(
        tahun=indikator.tahun, indikator=indikator, kode=kode, **(defaults | values)
    )


@pytest.fixture
def soal_dinkes(indikator, dinkes, dinsos) -> Pertanyaan:
    """A graded question led by Dinas Kesehatan, supported by Dinas Sosial, evidence required."""
    pertanyaan = _pertanyaan(indikator, "Pertanyaan 1", minta_angka=True, dua_tahun=True)
    Penugasan.objects.create(pertanyaan=pertanyaan, opd=dinkes, utama=True)
    Penugasan.objects.create(pertanyaan=pertanyaan, opd=dinsos, utama=False)
    return pertanyaan


@pytest.fixture
def soal_dinsos(indikator, dinsos) -> Pertanyaan:
    """Points given directly, led by Dinas Sosial, no evidence required."""
    pertanyaan = _pertanyaan(
        indikator,
        "Pertanyaan 2",
        cara_penilaian=Pertanyaan.CaraPenilaian.LANGSUNG,
        wajib_lampiran=False,
        petunjuk_lampiran="",
    )
    Penugasan.objects.create(pertanyaan=pertanyaan, opd=dinsos, utama=True)
    return pertanyaan


@pytest.fixture
def soal_kelurahan(indikator, dp3a, kota_serang) -> Pertanyaan:
    """A per-kelurahan question scored on coverage, led by the child-protection agency."""
    pertanyaan = _pertanyaan(
        indikator,
        "Pertanyaan 3",
        lingkup=Pertanyaan.Lingkup.DESA_KELURAHAN,
        cara_penilaian=Pertanyaan.CaraPenilaian.CAKUPAN,
        teks="Berapa persentase kelurahan yang memiliki PATBM? (Lampirkan SK PATBM)",
    )
    Penugasan.objects.create(pertanyaan=pertanyaan, opd=dp3a, utama=True)
    return pertanyaan


@pytest.fixture
def kantor_kec_serang(kota_serang) -> Opd:
    return OpdFactory(
        nama="Kecamatan Serang",
        singkatan="Kec. Serang",
        jenis=Opd.Jenis.KECAMATAN,
        wilayah=Wilayah.objects.get(kode="36.73.01"),
    )


@pytest.fixture
def camat_serang(make_person, kantor_kec_serang):
    return make_person("camat.serang", Peran.KEPALA_OPD, opd=kantor_kec_serang, nama="Camat Serang")


@pytest.fixture
def tahun_2024(sekretariat, dinkes, kota_serang):
    """The 2024 instrument with all 274 questions answered (graded points from the CSV)."""
    from tests.clusters.impor_jawaban.bantu import FILE_2024, FRAKSI, PERSEN, periksa, xlsx

    tahun = clusters_services.tahun_buat(tahun=2024, by=sekretariat)
    rows = instrumen.baca_tabel(FILE_2024.name, FILE_2024.read_bytes())
    clusters_services.instrumen_impor(
        tahun=tahun, laporan=instrumen.periksa(rows, nama_dikenal=set()), by=sekretariat
    )
    semua = list(tahun.pertanyaan.all())
    clusters_services.penugasan_atur(
        pertanyaan_list=semua, utama=dinkes, pendukung=[], by=sekretariat
    )
    clusters_services.tahun_ubah(tahun=tahun, by=sekretariat, batas_waktu=None, dibuka=True)
    lines, urutan = [], []
    with FILE_2024.open(newline="", encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            unit = "1" in (row["untuk_kecamatan"], row["untuk_desa"])
            nilai_max = Decimal(row["nilai_max"])
            poin = None if unit else nilai_max * FRAKSI[i % len(FRAKSI)]
            cakupan = PERSEN[i % len(PERSEN)] if unit else None
            lines.append([row["indikator_kode"], row["pertanyaan_kode"], poin, cakupan, ""])
            urutan.append((row["indikator_kode"].strip(), row["pertanyaan_kode"].strip()))
    clusters_services.jawaban_impor(
        tahun=tahun, laporan=periksa(xlsx(lines), tahun, sekretariat), by=sekretariat
    )
    return tahun, urutan


# --- A real Celery worker -----------------------------------------------------------------


def mulai_pekerja(media_root, *, env_tambahan: dict | None = None) -> subprocess.Popen:
    """Start a real ``celery worker`` process on the test database and the same uploaded
    files (and on the suite's broker, unless ``env_tambahan`` names another REDIS_URL); waits
    until it answers a ping through the app's current broker."""

    env = dict(os.environ)
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    else:
        login = quote(db["USER"] or "") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        env["DATABASE_URL"] = f"postgres://{login}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env["MEDIA_ROOT"] = str(media_root)
    env.update(env_tambahan or {})
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / "worker.log", "ab")  # noqa: SIM115 - closed by hentikan_pekerja
    celery = shutil.which("celery", path=str(Path(sys.executable).parent))
    process = subprocess.Popen(
        [
            celery,
            "-A",
            "kla_portal",
            "worker",
            "-Q",
            ",".join(django_settings.ANTREAN),
            "--concurrency",
            "1",
            "--pool",
            "solo",
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    process.log = log
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError("Worker berhenti saat mulai; lihat artifacts/worker.log")
            if ping_pekerja():
                return process
        raise RuntimeError("Worker tidak menjawab ping dalam 90 detik")
    except BaseException:
        hentikan_pekerja(process)
        raise


def ping_pekerja(timeout: float = 0.5) -> list:
    """The workers' answers to a ping, over a new connection to the app's current broker (a
    pooled one may have died with a Redis that was stopped); [] if the broker does not answer."""
    from kombu.exceptions import OperationalError
    from redis.exceptions import ConnectionError as RedisConnectionError

    from kla_portal.celery import app

    try:
        with app.connection_for_write() as koneksi:
            return app.control.ping(timeout=timeout, connection=koneksi)
    except (OperationalError, RedisConnectionError, OSError):
        return []


def hentikan_pekerja(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    process.log.close()


@pytest.fixture
def celery_worker_process(transactional_db, settings):
    """A real ``celery worker`` process on the same broker, the same test database and the
    same uploaded files."""
    from kla_portal.celery import app

    # Nothing left over from earlier runs: no stale messages, no "recompute queued" flags.
    cache.clear()
    app.control.purge()
    process = mulai_pekerja(settings.MEDIA_ROOT)
    yield process
    hentikan_pekerja(process)


# --- A Redis of the test's own, to stop and start -----------------------------------------


def port_bebas(dari: int, sampai: int) -> int:
    """A free port of 127.0.0.1 in [dari, sampai), tried in a random order: parallel runs
    (and other tests that start a server) rarely meet."""
    import random
    import socket

    for port in random.sample(range(dari, sampai), sampai - dari):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"Tidak ada port bebas di {dari}-{sampai - 1}")


class RedisSendiri:
    """A ``redis-server`` on a free port in 6390-6399, keeping nothing on disk, stopped and
    started again by its PID (never the machine's shared Redis). It has a password of its own,
    so a client of this test never talks to another process's server on the same port."""

    def __init__(self, folder: Path):
        import secrets

        self.folder = folder
        self.port = self._port_bebas()
        self.sandi = secrets.token_hex(8)
        self.url = f"redis://:{self.sandi}@127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    @staticmethod
    def _port_bebas() -> int:
        return port_bebas(6390, 6400)

    def klien(self):
        import redis

        return redis.Redis(port=self.port, password=self.sandi, socket_connect_timeout=0.5)

    def mulai(self) -> None:
        import redis

        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "/usr/bin/redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--requirepass",
                self.sandi,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server uji tidak dapat mulai di port {self.port}")
            try:
                with self.klien() as klien:
                    if klien.info("server")["process_id"] == self.process.pid:
                        return
            except redis.RedisError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server uji di port {self.port} tidak menjawab")

    def hentikan(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def redis_sendiri(tmp_path):
    """A running Redis of the test's own; stopped at the end whatever happened."""
    server = RedisSendiri(tmp_path)
    server.mulai()
    yield server
    server.hentikan()


@pytest.fixture
def antrean_di_redis_sendiri(redis_sendiri, settings, monkeypatch):
    """This process's broker and cache point at the test's own Redis (the worker a test
    starts is pointed there with ``env_tambahan={"REDIS_URL": redis_sendiri.url}``)."""
    from kla_portal.celery import app

    def lepas_koneksi():
        # The app forgets its pools (kombu keeps one per broker), so the next send uses the new.
        app._pool = None
        app.amqp._producer_pool = None

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_sendiri.url,
            "KEY_PREFIX": "kla",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Where the app sends and reads, which an earlier test may have pinned to a value. Pinned
    # before the broker setting changes: their old values are read through it, and undoing
    # must restore the suite's broker, not this test's.
    monkeypatch.setattr(app.conf, "broker_write_url", redis_sendiri.url)
    monkeypatch.setattr(app.conf, "broker_read_url", redis_sendiri.url)
    settings.CELERY_BROKER_URL = redis_sendiri.url  # read by the app at each new connection
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
    lepas_koneksi()
    yield redis_sendiri
    lepas_koneksi()


# --- A city's score mark ------------------------------------------------------------------


def tanda_skor(tahun: TahunEvaluasi):
    """Since when Kota Serang's year waits for a score recompute (None: it does not)."""
    from clusters.models import EvaluasiDaerah

    return (
        EvaluasiDaerah.objects.filter(tahun=tahun, daerah=kota_uji())
        .values_list("skor_perlu_dihitung_sejak", flat=True)
        .first()
    )


def atur_tanda_skor(tahun: TahunEvaluasi, sejak) -> None:
    """Set (or clear, with None) Kota Serang's mark on the year."""
    from clusters.models import EvaluasiDaerah

    EvaluasiDaerah.objects.update_or_create(
        tahun=tahun, daerah=kota_uji(), defaults={"skor_perlu_dihitung_sejak": sejak}
    )


# --- An S3-compatible object store --------------------------------------------------------


@pytest.fixture(scope="session")
def server_s3():
    """moto's S3 server, a process of its own over HTTP (tests/s3.py), for the whole run."""
    from tests.s3 import ServerS3

    server = ServerS3().mulai()
    yield server
    server.hentikan()


@pytest.fixture
def s3(server_s3, settings):
    """Files of this test go to a new bucket of the object store (``s3.bucket``), and the
    media folder is a new empty one, to show that nothing is written there."""
    from types import SimpleNamespace

    bucket = server_s3.bucket_baru()
    settings.STORAGES = {**settings.STORAGES, "default": server_s3.storages(bucket)}
    return SimpleNamespace(server=server_s3, bucket=bucket, isi=lambda: server_s3.isi(bucket))
