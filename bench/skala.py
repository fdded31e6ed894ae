"""Recomputing many cities' scores with one worker and with two: real ``celery worker``
processes on the bench's database and broker, each city's recompute a task (as a province's
cities are after an instrument change). On two cores, two workers should take little more
than half the time of one."""

from __future__ import annotations

import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.ukur import report

CELERY = str(Path(sys.executable).parent / "celery")
ROOT = Path(__file__).resolve().parent.parent


def _mulai(n: int) -> list[subprocess.Popen]:
    env = {**os.environ, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50)}
    proses = []
    for i in range(n):
        argv = [CELERY, "-A", "kla_portal", "worker", "-Q", "skor", "--pool", "solo",
                "-n", f"bench{i}-{os.getpid()}@%h", "--without-gossip", "--without-mingle",
                "-l", "warning"]  # fmt: skip
        proses.append(
            subprocess.Popen(
                argv,
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )
    return proses


def _siap(n: int) -> None:
    from kla_portal.celery import app

    batas = time.monotonic() + 120
    while time.monotonic() < batas:
        if len(app.control.ping(timeout=1) or []) >= n:
            return
    raise RuntimeError(f"{n} pekerja tidak menjawab")


def _berhenti(proses: list[subprocess.Popen]) -> None:
    for p in proses:
        os.killpg(p.pid, signal.SIGTERM)
    for p in proses:
        p.wait(timeout=60)


def _sekali(tahun, kota) -> float:
    from clusters.tasks import hitung_skor

    mulai = time.perf_counter()
    hasil = [hitung_skor.apply_async((tahun.pk, k.pk)) for k in kota]
    for h in hasil:
        h.get(timeout=600)
    return time.perf_counter() - mulai


def bench_dua_pekerja(tahun, kota, ronde: int = 5) -> None:
    waktu = {}
    for n in (1, 2):
        proses = _mulai(n)
        try:
            _siap(n)
            # Warm: each worker builds a city's SQL once (kla_portal.sql_tersimpan), and
            # which worker takes which city is chance.
            for _ in range(2):
                _sekali(tahun, kota)
            waktu[n] = statistics.median(_sekali(tahun, kota) for _ in range(ronde))
        finally:
            _berhenti(proses)
    report(
        f"score recompute of {len(kota)} cities, 2 workers",
        waktu[2],
        waktu[1],
        "the same with 1 worker (real celery workers)",
        f"; {waktu[1]:.2f} s with one, {waktu[2]:.2f} s with two",
    )
