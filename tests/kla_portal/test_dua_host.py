"""Two hosts that share nothing local: web A and web B (gunicorn) and their workers, each with a
var folder of its own, against one PostgreSQL, one Redis (the test's own) and the object store
(moto's S3 server). Evidence uploaded on A downloads from B; a bundle built by either host's
worker downloads from either web; an import previewed on A is confirmed on B; and with a
bundle running on the report queue, a verification's score recompute (its own queue) finishes
within seconds.

Runs once per CI (the first ``make test``): it starts its own database on the machine's
PostgreSQL whichever database the suite uses, so the PostgreSQL pass deselects it.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import psycopg2
import pytest
import requests

from tests.conftest import PDF, ROOT, hentikan_pekerja
from tests.laporan.test_antrean_mati import tunggu
from tests.s3 import port_bebas

pytestmark = [pytest.mark.banyak_host, pytest.mark.timeout(600)]

BIN = Path(sys.executable).parent
SANDI = "demo12345"


class Host:
    """One host: its web server and its worker, its own var folder."""

    def __init__(self, nama: str, env: dict, folder: Path, antrean: str):
        self.nama = nama
        self.port = port_bebas(8600, 8700)
        self.url = f"http://127.0.0.1:{self.port}"
        self.var = folder / nama
        self.var.mkdir()
        self.env = {**env, "KLA_VAR_DIR": str(self.var)}
        self.antrean = antrean
        self.proses: list[subprocess.Popen] = []

    def _mulai(self, argv: list[str], nama: str) -> subprocess.Popen:
        log = open(self.var / f"{nama}.log", "wb")  # noqa: SIM115 - the process owns it
        proses = subprocess.Popen(
            argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        proses.log = log  # closed by hentikan_pekerja
        self.proses.append(proses)
        return proses

    def muat_demo(self) -> None:
        """Migrate this host's database and load the demo into it."""
        for perintah in (["migrate", "--noinput", "-v0"], ["muat_demo"]):
            subprocess.run(
                [sys.executable, "manage.py", *perintah], cwd=ROOT, env=self.env, check=True,
                stdout=subprocess.DEVNULL,
            )  # fmt: skip

    def mulai_web(self) -> None:
        self._mulai(
            [str(BIN / "gunicorn"), "kla_portal.wsgi", "--bind", f"127.0.0.1:{self.port}",
             "--workers", "2", "--timeout", "120"],
            "web",
        )  # fmt: skip
        batas = time.monotonic() + 60
        while time.monotonic() < batas:
            try:
                requests.get(f"{self.url}/akun/masuk/", timeout=5)
                return
            except requests.ConnectionError:
                time.sleep(0.3)
        raise RuntimeError(f"web {self.nama} tidak menjawab")

    def mulai_pekerja(self, antrean: str | None = None) -> subprocess.Popen:
        return self._mulai(
            [str(BIN / "celery"), "-A", "kla_portal", "worker", "-Q", antrean or self.antrean,
             "--concurrency", "1", "--pool", "solo", "-n", f"{self.nama}-{uuid.uuid4().hex[:6]}@%h",
             "--without-gossip", "--without-mingle", "-l", "info"],
            f"pekerja-{antrean or self.antrean}",
        )  # fmt: skip

    def hentikan(self, proses: subprocess.Popen | None = None) -> None:
        for p in [proses] if proses else self.proses:
            hentikan_pekerja(p)

    def masuk(self, username: str) -> requests.Session:
        sesi = requests.Session()
        halaman = sesi.get(f"{self.url}/akun/masuk/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', halaman.text).group(1)
        r = sesi.post(
            f"{self.url}/akun/masuk/",
            data={"username": username, "password": SANDI, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.url}/akun/masuk/"},
            timeout=30,
        )
        assert "sessionid" in sesi.cookies, r.text[:500]
        return sesi


def kirim(sesi: requests.Session, host: Host, path: str, data=None, files=None, **kw):
    """A POST the way the browser sends it: the CSRF token of the session's cookie."""
    return sesi.post(
        f"{host.url}{path}",
        data={**(data or {}), "csrfmiddlewaretoken": sesi.cookies["csrftoken"]},
        files=files,
        headers={"Referer": f"{host.url}{path}"},
        timeout=120,
        **kw,
    )


@pytest.fixture(scope="module")
def dua_host(tmp_path_factory, server_s3):
    """Demo data on a database of its own; host A (worker on the report and import queues)
    and host B (worker on the score and mail queues), each its own var folder."""
    folder = tmp_path_factory.mktemp("dua-host")
    nama_db = f"kla_dua_host_{secrets.token_hex(4)}"
    admin = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    admin.autocommit = True
    admin.cursor().execute(f"CREATE DATABASE {nama_db}")
    from tests.conftest import RedisSendiri

    redis = RedisSendiri(folder)
    redis.mulai()
    bucket = server_s3.bucket_baru()
    env = {
        **os.environ,
        **server_s3.env(bucket),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{nama_db}",
        "REDIS_URL": redis.url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "STATIC_MANIFEST": "false",
        "SKOR_JEDA_DETIK": "1",
    }
    a = Host("a", env, folder, "laporan,impor")
    b = Host("b", env, folder, "skor,surel")
    try:
        a.muat_demo()
        for host in (a, b):
            host.mulai_web()
            host.mulai_pekerja()
        db = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname=nama_db)
        db.autocommit = True
        yield a, b, db, server_s3, bucket
        db.close()
    finally:
        a.hentikan()
        b.hentikan()
        redis.hentikan()
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {nama_db} WITH (FORCE)")
        admin.close()
        shutil.rmtree(folder, ignore_errors=True)


def periode_bappeda(db) -> int:
    """The RAD period of the demo Bappeda's city."""
    return satu(
        db,
        """SELECT p.id FROM rencana_aksi_perioderad p WHERE p.daerah_id = (
               SELECT k.daerah_id FROM agencies_keanggotaan k JOIN agencies_user u
               ON u.id = k.user_id WHERE u.username = 'bappeda' LIMIT 1)
           ORDER BY p.id LIMIT 1""",
    )[0]


def satu(db, sql: str, *args):
    with db.cursor() as cur:
        cur.execute(sql, args)
        return cur.fetchone()


def berkas_lokal(host: Host) -> list[Path]:
    media = host.var / "media"
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_evidence_uploaded_on_a_downloads_from_b(dua_host):
    a, b, db, s3, bucket = dua_host
    operator = a.masuk("operator.dinkes")
    # A question of the health office with no answer yet (the demo leaves some).
    soal_id = satu(
        db,
        """SELECT p.id FROM clusters_pertanyaan p
           JOIN clusters_penugasan g ON g.pertanyaan_id = p.id AND g.utama
           JOIN agencies_keanggotaan k ON k.opd_id = g.opd_id
           JOIN agencies_user u ON u.id = k.user_id AND u.username = 'operator.dinkes'
           JOIN clusters_tahunevaluasi t ON t.id = p.tahun_id AND t.dibuka
           WHERE p.lingkup = 'kabkota'
             AND NOT EXISTS (SELECT 1 FROM clusters_jawaban j WHERE j.pertanyaan_id = p.id
                             AND j.daerah_id = g.daerah_id)
           ORDER BY p.id LIMIT 1""",
    )[0]
    path = f"/evaluasi/pertanyaan/{soal_id}/"
    isi = PDF + b"\n%" + secrets.token_hex(8).encode()  # unlike any other file
    r = kirim(
        operator, a, path, {"versi": 0, "fraksi": "1"},
        files={"berkas": ("sk-dua-host.pdf", io.BytesIO(isi), "application/pdf")},
        allow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 302, re.findall(r'alert-danger" role="alert">(.+?)</div></div>', r.text)
    lampiran_id, nama = satu(
        db, "SELECT id, berkas FROM clusters_lampiran WHERE nama_asli = 'sk-dua-host.pdf'"
    )
    assert s3.isi(bucket)[nama] == isi

    kepala = b.masuk("kepala.dinkes")
    unduh = kepala.get(f"{b.url}/evaluasi/lampiran/{lampiran_id}/", timeout=30)
    assert unduh.status_code == 200 and unduh.content == isi
    assert unduh.headers["X-Content-Type-Options"] == "nosniff"
    assert unduh.headers["Content-Security-Policy"] == "sandbox"
    assert berkas_lokal(a) == [] and berkas_lokal(b) == []


def _bundel(sesi, host, db, jenis: str) -> tuple[int, int]:
    tahun = satu(db, "SELECT tahun FROM clusters_tahunevaluasi WHERE dibuka LIMIT 1")[0]
    sebelum = satu(db, "SELECT coalesce(max(id), 0) FROM laporan_bundel")[0]
    r = kirim(sesi, host, "/laporan/bundel/buat/", {"tahun": tahun, "jenis": jenis})
    assert r.status_code == 200, r.text[:500]
    bundel_id, pekerjaan_id = satu(
        db, "SELECT id, pekerjaan_id FROM laporan_bundel WHERE id > %s", sebelum
    )
    return bundel_id, pekerjaan_id


def _status(db, pekerjaan_id) -> str:
    return satu(db, "SELECT status FROM kla_portal_pekerjaan WHERE id = %s", pekerjaan_id)[0]


def test_a_bundle_runs_while_a_score_recompute_finishes_within_seconds(dua_host):
    """Host A's report worker builds the bundle; meanwhile the secretariat verifies an answer
    on web B and host B's score worker stores the new snapshot within seconds. The bundle
    then downloads from both webs, byte for byte the object in the store."""
    a, b, db, s3, bucket = dua_host
    sekretariat_a = a.masuk("sekretariat")
    bundel_id, pekerjaan_id = _bundel(sekretariat_a, a, db, "pdf")
    tunggu(
        lambda: _status(db, pekerjaan_id) == "berjalan",
        batas=120,
        pesan="bundel tidak mulai dibangun",
    )

    jawaban_id, versi, daerah_id = satu(
        db,
        """SELECT id, versi, daerah_id FROM clusters_jawaban
           WHERE status = 'menunggu_verifikasi' AND wilayah_id IS NULL AND daerah_id = (
               SELECT k.daerah_id FROM agencies_keanggotaan k JOIN agencies_user u
               ON u.id = k.user_id WHERE u.username = 'sekretariat' LIMIT 1)
           ORDER BY id LIMIT 1""",
    )
    sekretariat_b = b.masuk("sekretariat")
    mulai = time.monotonic()
    r = kirim(
        sekretariat_b, b, f"/evaluasi/jawaban/{jawaban_id}/verifikasi/",
        {"versi": versi, "poin": "0"}, allow_redirects=False,
    )  # fmt: skip
    assert r.status_code == 302, r.text[:500]
    # A snapshot of the city that reads the data as of the verification (or later).
    tunggu(
        lambda: satu(
            db,
            """SELECT 1 FROM clusters_skorsnapshot s WHERE s.daerah_id = %s
               AND s.rincian IS NOT NULL
               AND s.data_per >= (SELECT diubah FROM clusters_jawaban WHERE id = %s)""",
            daerah_id,
            jawaban_id,
        ),
        batas=20,
        pesan="skor tidak dihitung ulang dalam 20 detik selagi bundel dibangun",
    )
    detik = time.monotonic() - mulai
    assert _status(db, pekerjaan_id) == "berjalan", "the bundle was still being built"
    print(f"score recompute stored {detik:.1f} s after the verification, bundle still running")

    tunggu(lambda: _status(db, pekerjaan_id) == "selesai", batas=400, pesan="bundel tidak selesai")
    nama = satu(db, "SELECT berkas FROM laporan_bundel WHERE id = %s", bundel_id)[0]
    disimpan = s3.isi(bucket)[nama]
    for host in (a, b):
        unduh = host.masuk("sekretariat").get(
            f"{host.url}/laporan/bundel/{bundel_id}/unduh/", timeout=60
        )
        assert unduh.status_code == 200 and unduh.content == disimpan
        assert unduh.headers["Content-Type"] == "application/pdf"
    assert berkas_lokal(a) == [] and berkas_lokal(b) == []


def test_a_bundle_built_by_host_b_downloads_from_both(dua_host):
    """Host A's report worker stops; host B starts one: the ZIP bundle it builds reads the
    evidence from the store and both webs serve it."""
    a, b, db, s3, bucket = dua_host
    for p in [p for p in a.proses if "laporan" in " ".join(map(str, p.args))]:
        a.hentikan(p)
    b.mulai_pekerja("laporan")
    bundel_id, pekerjaan_id = _bundel(b.masuk("sekretariat"), b, db, "zip")
    tunggu(
        lambda: _status(db, pekerjaan_id) == "selesai", batas=400, pesan="bundel ZIP tidak selesai"
    )
    nama = satu(db, "SELECT berkas FROM laporan_bundel WHERE id = %s", bundel_id)[0]
    for host in (a, b):
        unduh = host.masuk("sekretariat").get(
            f"{host.url}/laporan/bundel/{bundel_id}/unduh/", timeout=60
        )
        assert unduh.status_code == 200 and unduh.content == s3.isi(bucket)[nama]
        assert unduh.content[:2] == b"PK"


def test_an_import_previewed_on_a_is_confirmed_on_b(dua_host):
    """Bappeda previews a RAD file on web A (the file waits in the object store, not in A's
    folder) and confirms on web B: written once; the pending file is gone from the store."""
    import openpyxl

    a, b, db, s3, bucket = dua_host
    periode = periode_bappeda(db)
    bappeda = a.masuk("bappeda")
    path = f"/rad/{periode}/impor/"
    templat = bappeda.get(f"{a.url}{path}?templat=rencana", timeout=60)
    assert templat.status_code == 200
    buku = openpyxl.load_workbook(io.BytesIO(templat.content))
    lembar = buku.worksheets[0]
    kepala = [str(c.value or "") for c in lembar[1]]
    kolom = next(i for i, k in enumerate(kepala) if k.startswith("pagu_")) + 1
    lembar.cell(row=2, column=kolom).value = 123_456_789
    isi = io.BytesIO()
    buku.save(isi)

    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    pratinjau = kirim(bappeda, a, path, files={"berkas": ("rad.xlsx", isi.getvalue(), xlsx)})
    token = re.search(r'name="token" value="([^"]+)"', pratinjau.text)
    assert token, re.findall(r"galat[^<]*", pratinjau.text)[:3]
    menunggu = [k for k in s3.isi(bucket) if k.startswith("impor-sementara/")]
    assert menunggu == [f"impor-sementara/{token.group(1)}"]
    assert berkas_lokal(a) == []

    selesai = kirim(bappeda, b, f"{path}konfirmasi/", {"token": token.group(1)})
    assert selesai.status_code == 200 and "diimpor" in selesai.text
    assert (
        satu(db, "SELECT count(*) FROM rencana_aksi_targettahunan WHERE pagu = 123456789")[0] == 1
    )
    assert [k for k in s3.isi(bucket) if k.startswith("impor-sementara/")] == []
    # The same confirmation again (a double click, a response lost): nothing more written.
    lagi = kirim(bappeda, b, f"{path}konfirmasi/", {"token": token.group(1)})
    assert "sudah diimpor atau kedaluwarsa" in lagi.text
    assert (
        satu(db, "SELECT count(*) FROM rencana_aksi_targettahunan WHERE pagu = 123456789")[0] == 1
    )
