"""How the benches measure: medians of repeated runs, a line per figure, and the peak memory of
a child process (``bench/run.py --puncak-...``) doing one piece of work on the same database."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

RUN = Path(__file__).resolve().parent / "run.py"


def median_seconds(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_run(siapkan, kerjakan, repeat: int = 3) -> float:
    """The median time of ``kerjakan(*siapkan())``, the preparation left out."""
    times = []
    for _ in range(repeat):
        args = siapkan()
        start = time.perf_counter()
        kerjakan(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_bergantian(siapkan, kerjakan, baseline, repeat: int = 3) -> tuple[float, float]:
    """The median times of ``kerjakan(*siapkan())`` and of ``baseline(*siapkan())``, the
    preparation left out, run in turn (one of each a round, which goes first alternating, as
    each leaves its rows in the tables): a machine that slows down meanwhile slows both, not
    the one measured then."""
    waktu: dict = {kerjakan: [], baseline: []}
    for ronde in range(repeat):
        urutan = list(waktu.items())
        for fungsi, daftar in urutan[:: -1 if ronde % 2 else 1]:
            args = siapkan()
            start = time.perf_counter()
            fungsi(*args)
            daftar.append(time.perf_counter() - start)
    return statistics.median(waktu[kerjakan]), statistics.median(waktu[baseline])


def report(
    name: str, measured: float, baseline: float, baseline_name: str, extra: str = ""
) -> None:
    print(f"{name:<44} {measured / baseline:8.1f} x  {baseline_name}{extra}", flush=True)


def puncak(*args: str) -> float:
    """Run ``bench/run.py --puncak-... args`` in a fresh process (the parent's database and
    files: the environment is inherited) and return the peak resident memory it printed, MB."""
    keluaran = subprocess.run(
        [sys.executable, str(RUN), *args], check=True, capture_output=True, text=True
    ).stdout
    return int(keluaran.split()[-1]) / 1024


def cetak_puncak() -> None:
    """In the child: print the peak resident memory of this process's own address space, kB
    (its VmHWM: ru_maxrss would carry over the parent's)."""
    status = Path("/proc/self/status").read_text()
    print(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
