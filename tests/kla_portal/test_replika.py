"""A real streaming replica: a PostgreSQL cluster of the test's own (initdb on a free port) and
its standby made with pg_basebackup, both stopped by their PIDs at the end (never the
machine's shared server). The portal (gunicorn) reads the RAD dashboard from the replica, and
a person who has just written reads it from the primary until the pin expires.

The replica's replay is paused, so it is visibly behind: what the dashboard shows tells which
database answered."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg2
import pytest
import requests

from tests.kla_portal.test_dua_host import Host, kirim, periode_bappeda, satu
from tests.s3 import port_bebas

pytestmark = [pytest.mark.banyak_host, pytest.mark.timeout(400)]

PG_BIN = next(Path("/usr/lib/postgresql").glob("*/bin"), None)


def _sebagai_postgres(*argv) -> None:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *map(str, argv)], check=True, stdout=subprocess.DEVNULL)


def _pid(folder: Path) -> int:
    return int((folder / "postmaster.pid").read_text().split()[0])


@pytest.fixture(scope="module")
def primer_replika():
    # Under /tmp, not pytest's folder (closed to other users): the clusters run as postgres.
    akar = Path(tempfile.mkdtemp(prefix="kla-replika-"))
    if os.geteuid() == 0:
        shutil.chown(akar, "postgres")
    primer, replika = akar / "primer", akar / "replika"
    p_port, r_port = port_bebas(55400, 55500), port_bebas(55500, 55600)
    opsi = "-c listen_addresses=127.0.0.1 -k {akar} -p {port}"
    _sebagai_postgres(PG_BIN / "initdb", "-D", primer, "-A", "trust", "-U", "postgres")
    _sebagai_postgres(
        PG_BIN / "pg_ctl", "-D", primer, "-w", "-l", akar / "primer.log",
        "-o", opsi.format(akar=akar, port=p_port), "start",
    )  # fmt: skip
    pids = [_pid(primer)]
    try:
        _sebagai_postgres(
            PG_BIN / "pg_basebackup", "-h", "127.0.0.1", "-p", p_port, "-U", "postgres",
            "-D", replika, "-R", "-X", "stream",
        )  # fmt: skip
        _sebagai_postgres(
            PG_BIN / "pg_ctl", "-D", replika, "-w", "-l", akar / "replika.log",
            "-o", opsi.format(akar=akar, port=r_port), "start",
        )  # fmt: skip
        pids.append(_pid(replika))
        yield p_port, r_port
    finally:
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)  # shuts down that postmaster only
        for pid in pids:
            batas = time.monotonic() + 30
            while time.monotonic() < batas:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.2)
        shutil.rmtree(akar, ignore_errors=True)


def test_dashboards_read_the_replica_and_a_writer_reads_the_primary(primer_replika, tmp_path):
    p_port, r_port = primer_replika
    db = psycopg2.connect(host="127.0.0.1", port=p_port, user="postgres", dbname="postgres")
    db.autocommit = True
    db.cursor().execute("CREATE DATABASE kla")
    db.close()
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{p_port}/kla",
        "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{r_port}/kla",
        "REPLIKA_SEMATKAN_DETIK": "3",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "false",
        "STATIC_MANIFEST": "false",
    }
    web = Host("web", env, tmp_path, "skor")
    web.muat_demo()
    primer = psycopg2.connect(host="127.0.0.1", port=p_port, user="postgres", dbname="kla")
    primer.autocommit = True
    replika = psycopg2.connect(host="127.0.0.1", port=r_port, user="postgres", dbname="kla")
    replika.autocommit = True
    assert satu(replika, "SELECT pg_is_in_recovery()") == (True,)
    try:
        web.mulai_web()
        bappeda = web.masuk("bappeda")
        sekretariat = web.masuk("sekretariat")
        periode = periode_bappeda(primer)
        dasbor = f"{web.url}/rad/{periode}/pemantauan/"

        # The replica catches up, then stops replaying; the primary changes.
        lsn = satu(primer, "SELECT pg_current_wal_lsn()")[0]
        batas = time.monotonic() + 30
        while satu(replika, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", lsn)[0] is False:
            assert time.monotonic() < batas, "replika tidak menyusul"
            time.sleep(0.2)
        satu(replika, "SELECT pg_wal_replay_pause()")
        primer.cursor().execute(
            "UPDATE rencana_aksi_perioderad SET dasar_hukum = 'Perwal Baru 7/2026'"
        )
        time.sleep(3.5)  # the pin of the login (a POST) has expired

        halaman = bappeda.get(dasbor, timeout=60)
        assert halaman.status_code == 200
        assert "Perwal Baru 7/2026" not in halaman.text  # read from the replica, behind

        # A write by this person (any POST): the next reads come from the primary.
        kirim(bappeda, web, "/i18n/setlang/", {"language": "id", "next": "/"})
        assert "Perwal Baru 7/2026" in bappeda.get(dasbor, timeout=60).text
        # Someone who wrote nothing still reads the replica.
        assert "Perwal Baru 7/2026" not in sekretariat.get(dasbor, timeout=60).text
        # Past the pin, and once the replica replays again, everyone sees it from there.
        satu(replika, "SELECT pg_wal_replay_resume()")
        time.sleep(3.5)
        batas = time.monotonic() + 30
        while "Perwal Baru 7/2026" not in bappeda.get(dasbor, timeout=60).text:
            assert time.monotonic() < batas, "replika tidak menyusul setelah dilanjutkan"
            time.sleep(0.5)
    except requests.RequestException:
        print((web.var / "web.log").read_text(errors="replace")[-3000:])
        raise
    finally:
        web.hentikan()
        primer.close()
        replika.close()
