"""The database restarts in the middle of a large background RAD import: the job ends failed
with nothing written (never "berjalan" for ever), and Coba lagi then writes every row once.

Self-contained, so it runs in both suites (SQLite and PostgreSQL): the test makes a
PostgreSQL cluster of its own (initdb in a temporary folder, ``postgres`` on a free port
5440-5449), runs the import task in a child process against it, and stops and restarts that
postmaster by its PID while the rows are being written. The shared database is never touched.

Run as a module, this file is that child process: ``python -m <this module> siapkan|jalankan
PK|ulangi PK``.
"""

from __future__ import annotations

import base64
import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BARIS = 1200
PESAN_GAGAL = (
    "Impor berhenti karena kesalahan sistem; tidak ada yang diimpor. Coba lagi, atau hubungi "
    "admin bila terulang."
)


# --- The cluster --------------------------------------------------------------------------


def _bin(nama: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{nama}"))
    if not found:
        pytest.fail(f"{nama} PostgreSQL tidak terpasang (paket postgresql)")
    return found[-1]


def _port_bebas() -> int:
    for port in range(5440, 5450):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.fail("Tidak ada port bebas di 5440-5449")


def _sebagai_postgres() -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


class Klaster:
    def __init__(self, folder: Path, port: int):
        self.data, self.port, self.proses = folder / "data", port, None
        self.log = open(folder / "postgres.log", "ab")  # noqa: SIM115 - closed in hentikan

    def mulai(self) -> None:
        self.proses = subprocess.Popen(
            [
                *_sebagai_postgres(),
                _bin("postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={self.data}",
                "-c",
                "fsync=off",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        akhir = time.monotonic() + 60
        while time.monotonic() < akhir:
            siap = subprocess.run(
                [_bin("pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(self.port)], check=False
            )
            if siap.returncode == 0:
                return
            assert self.proses.poll() is None, "postgres berhenti saat mulai"
            time.sleep(0.2)
        pytest.fail("postgres tidak siap dalam 60 detik")

    def postmaster_pid(self) -> int:
        """The postmaster's own PID (under runuser, Popen's PID is runuser's)."""
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def hentikan(self) -> None:
        """Fast shutdown by the postmaster's PID: clients are cut off at once."""
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            os.kill(self.postmaster_pid(), signal.SIGINT)
        self.proses.wait(timeout=60)


@pytest.fixture
def klaster():
    folder = Path(tempfile.mkdtemp(prefix="kla-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _port_bebas()
    subprocess.run(
        [
            *_sebagai_postgres(),
            *(_bin("initdb"), "-D", str(folder / "data"), "-U", "postgres", "--auth=trust"),
            *("--no-sync", "-E", "UTF8", "--locale=C.UTF-8"),
        ],
        check=True,
        capture_output=True,
    )
    k = Klaster(folder, port)
    k.mulai()
    try:
        yield k
    finally:
        if k.proses.poll() is None:
            k.hentikan()
        k.log.close()
        shutil.rmtree(folder, ignore_errors=True)


# --- The test -----------------------------------------------------------------------------


def test_a_database_restart_mid_import_ends_the_job_failed_and_a_retry_writes_it_once(
    klaster, tmp_path
):
    import psycopg2

    env = dict(os.environ)
    env.pop("REDIS_URL", None)  # the folder broker and cache, in a folder of this test
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{klaster.port}/kla",
        KLA_VAR_DIR=str(tmp_path / "var"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PEKERJAAN_JEDA_SAMBUNG="4",
    )
    dsn = {"host": "127.0.0.1", "port": klaster.port, "user": "postgres"}
    with contextlib.closing(psycopg2.connect(dbname="postgres", **dsn)) as conn:
        conn.autocommit = True
        conn.cursor().execute("CREATE DATABASE kla")

    def anak(*args: str, **kwargs) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, **kwargs
        )

    def selesai(proses: subprocess.Popen) -> dict:
        keluaran, _ = proses.communicate(timeout=600)
        assert proses.returncode == 0, keluaran
        return json.loads(keluaran.strip().splitlines()[-1])

    migrate = anak("manage.py", "migrate", "-v", "0")
    assert migrate.wait(timeout=600) == 0
    job = selesai(anak("-m", __name__, "siapkan"))["pekerjaan"]

    def baca(sql: str, *params):
        # A new connection per read: this one must not hold anything across the restart.
        with (
            contextlib.closing(psycopg2.connect(dbname="kla", **dsn)) as conn,
            conn.cursor() as cur,
        ):
            cur.execute(sql, params)
            return cur.fetchone()

    impor = anak("-m", __name__, "jalankan", str(job))
    akhir = time.monotonic() + 300
    while (persen := baca("SELECT persen FROM kla_portal_pekerjaan WHERE id=%s", job)[0]) <= 40:
        assert time.monotonic() < akhir and impor.poll() is None, f"tidak sampai menulis: {persen}"
        time.sleep(0.05)
    assert persen < 99, "sudah selesai menulis sebelum basis data dihentikan"

    klaster.hentikan()  # in the middle of writing the rows
    time.sleep(1)
    klaster.mulai()
    hasil = selesai(impor)

    status, pesan, persen = baca(
        "SELECT status, pesan, persen FROM kla_portal_pekerjaan WHERE id=%s", job
    )
    assert hasil["status"] == "gagal"
    assert (status, pesan) == ("gagal", PESAN_GAGAL)
    assert baca("SELECT count(*) FROM rencana_aksi_aksi") == (0,)  # all or nothing

    baru = selesai(anak("-m", __name__, "ulangi", str(job)))["pekerjaan"]
    status, persen = baca("SELECT status, persen FROM kla_portal_pekerjaan WHERE id=%s", baru)
    assert (status, persen) == ("selesai", 100)
    assert baca("SELECT count(*) FROM rencana_aksi_aksi") == (BARIS,)


# --- The child process --------------------------------------------------------------------


def _siapkan() -> dict:
    from agencies import services as agencies_services
    from agencies.models import Peran
    from kla_portal import pekerjaan as pekerjaan_services
    from rencana_aksi import impor
    from rencana_aksi import services as rad_services
    from tests.conftest import OpdFactory, UserFactory
    from tests.rencana_aksi.impor.bantu import T0, besar

    OpdFactory(nama="Dinas Kesehatan", singkatan="Dinkes")
    bappeda_opd = OpdFactory(nama="Badan Perencanaan", singkatan="Bappeda", jenis="badan")
    bappeda = UserFactory(username="bappeda", nama_lengkap="Agus Setiawan")
    agencies_services.keanggotaan_tambah(
        user=bappeda, peran=Peran.BAPPEDA, opd=bappeda_opd, by=bappeda
    )
    periode = rad_services.periode_buat(tahun_mulai=T0, by=bappeda)
    isi = besar(BARIS)
    laporan = impor.periksa_berkas("rad.xlsx", isi, periode=periode, pengguna=bappeda)
    job = pekerjaan_services.buat(
        jenis="impor_rad",
        judul="Impor rencana",
        by=bappeda,
        parameter={
            "periode": periode.pk,
            "nama": "rad.xlsx",
            "isi": base64.b64encode(isi).decode("ascii"),
            "versi": laporan.versi_dilihat(),
            "jenis": laporan.jenis,
        },
    )
    return {"pekerjaan": job.pk}


def _jalankan(pk: int) -> dict:
    """What the worker does with the queued message."""
    from kla_portal.models import Pekerjaan
    from rencana_aksi import tasks

    p = Pekerjaan.objects.get(pk=pk).parameter
    try:
        status = tasks.impor_rad(pk, p["periode"], p["nama"], p["isi"], p["versi"])
    except Exception as error:  # the worker logs it; the job says what happened
        status = f"gagal ({type(error).__name__})"
    return {"status": status.split(" ")[0]}


def _ulangi(pk: int) -> dict:
    from kla_portal import pekerjaan as pekerjaan_services
    from kla_portal.celery import app
    from kla_portal.models import Pekerjaan

    app.conf.task_always_eager = True  # the retry's task runs here, as a worker would
    job = Pekerjaan.objects.select_related("dibuat_oleh").get(pk=pk)
    return {"pekerjaan": pekerjaan_services.ulangi(job, by=job.dibuat_oleh).pk}


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kla_portal.settings")
    sys.path.insert(0, str(ROOT))
    django.setup()
    langkah, *argumen = sys.argv[1:]
    if langkah == "siapkan":
        hasil = _siapkan()
    elif langkah == "jalankan":
        hasil = _jalankan(int(argumen[0]))
    else:
        hasil = _ulangi(int(argumen[0]))
    print(json.dumps(hasil))
