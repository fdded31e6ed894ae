"""The page survey: every page of every demo role's menu, and the pages issue 14 names, fetched
over HTTP as a browser would (logged in, redirects followed, the whole body read), each page's
lower-quartile time over shuffled rounds as a ratio to a trivial authenticated page of the same
person fetched in the same rounds.

Each size of the data has its own server, a real gunicorn (one sync worker, production
settings: DEBUG off) on a free port of 127.0.0.1, started and stopped by its PID; both are
surveyed in the same rounds (survei_bersama).
"""

from __future__ import annotations

import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
# The trivial page: the password form, the portal's layout and menu around a three-field form,
# open to every signed-in person and reading nothing but the session and its person.
TRIVIAL = "/akun/sandi/ganti/"
TRIVIAL_KALI = 3
GOAL_MEDIAN, GOAL_SETIAP, GOAL_TUMBUH = 3.0, 6.0, 1.5


@dataclass(frozen=True, order=True)
class Halaman:
    """One page as one person sees it."""

    username: str
    url: str

    def __str__(self) -> str:
        return f"{self.username} {self.url}"


def daftar_halaman() -> list[Halaman]:
    """Every menu entry of every demo role (kla_portal.navigation), then the pages issue 14
    names, each once."""
    from agencies.demo import AKUN_DEMO
    from agencies.models import User
    from kla_portal.navigation import menu_for

    halaman = []
    for akun in AKUN_DEMO:
        user = User.objects.get(username=akun.username)
        halaman += [Halaman(akun.username, entri["url"]) for entri in menu_for(user)]
    return list(dict.fromkeys(halaman + _halaman_isu()))


def _halaman_isu() -> list[Halaman]:
    """The pages issue 14 found growing with the data, each as the person who works on it."""
    from django.urls import reverse

    from clusters.models import TahunEvaluasi
    from rencana_aksi.models import PeriodeRad

    periode = PeriodeRad.objects.order_by("tahun_mulai").first()
    tahun = TahunEvaluasi.objects.filter(dibuka=True).order_by("-tahun").first()
    return [
        Halaman("bappeda", reverse("rencana_aksi:aksi-list", args=[periode.pk])),
        Halaman("bappeda", reverse("rencana_aksi:dasbor", args=[periode.pk])),
        Halaman("bappeda", reverse("rencana_aksi:tinjauan")),
        Halaman("operator.dinkes", reverse("rencana_aksi:laporan")),
        Halaman("sekretariat", reverse("clusters:pemetaan")),
        Halaman("sekretariat", reverse("clusters:penugasan", args=[tahun.tahun])),
        Halaman("sekretariat", reverse("koordinasi:efektivitas")),
        Halaman("sekretariat", reverse("laporan:beranda")),
        Halaman("sekretariat", reverse("agencies:opd-list")),
        Halaman("admin", reverse("agencies:pengguna-list")),
    ]


class Gunicorn:
    """gunicorn serving the portal from the bench's database and files, for a ``with`` block."""

    def __init__(self, env: dict[str, str] | None = None):
        self.env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "SECURE_COOKIES": "false",
            "STATIC_MANIFEST": "false",  # pages only; the assets are not fetched
            "ALLOWED_HOSTS": "127.0.0.1",
            **(env or {}),
        }
        self.proses: subprocess.Popen | None = None
        self.url = ""

    def __enter__(self) -> Gunicorn:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        gunicorn = Path(sys.executable).parent / "gunicorn"
        argumen = ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "300"]
        self.proses = subprocess.Popen(
            [str(gunicorn), "kla_portal.wsgi", *argumen, "--log-level", "warning"],
            cwd=ROOT,
            env=self.env,
        )
        batas = time.monotonic() + 60
        while time.monotonic() < batas and self.proses.poll() is None:
            try:
                if requests.get(self.url + "/akun/masuk/", timeout=30).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("gunicorn tidak menjawab")

    def __exit__(self, *exc) -> None:
        if self.proses and self.proses.poll() is None:
            self.proses.terminate()
            try:
                self.proses.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proses.kill()
                self.proses.wait()


def masuk(base: str, username: str, password: str) -> requests.Session:
    """A browser session signed in through the login form."""
    sesi = requests.Session()
    alamat = base + "/akun/masuk/"
    sesi.get(alamat)
    jawaban = sesi.post(
        alamat,
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": sesi.cookies["csrftoken"],
        },
        headers={"Referer": alamat},
    )
    if jawaban.status_code != 200 or "/akun/masuk/" in jawaban.url:
        raise RuntimeError(f"{username} tidak bisa masuk ({jawaban.status_code})")
    return sesi


def _ambil(sesi: requests.Session, alamat: str) -> tuple[float, int]:
    mulai = time.perf_counter()
    jawaban = sesi.get(alamat)  # redirects followed, the whole body read
    return time.perf_counter() - mulai, jawaban.status_code


def survei(
    base: str,
    halaman: Iterable[Halaman],
    *,
    password: str,
    ronde: int = 5,
    seed: int = 14,
    cetak: Callable[[str], None] = print,
) -> dict[Halaman, float]:
    """``survei_bersama`` of one server."""
    return survei_bersama(
        {"": base}, halaman, password=password, ronde=ronde, seed=seed, cetak=cetak
    )[""]


def survei_bersama(
    server: dict[str, str],
    halaman: Iterable[Halaman],
    *,
    password: str,
    ronde: int = 5,
    seed: int = 14,
    cetak: Callable[[str], None] = print,
) -> dict[str, dict[Halaman, float]]:
    """Per server (a name and its base address: the demo size and ten times the data), each
    page's time over ``ronde`` rounds (kuartil_bawah) as a ratio to the person's trivial page
    of the same server. Every round fetches every page of every server in one shuffled order,
    so that what else runs on the machine meanwhile weighs on each server alike. A page that
    does not answer 200 is reported and left out (of that server)."""
    halaman = list(halaman)
    waktu = ukur_bersama(server, halaman, password=password, ronde=ronde, seed=seed, cetak=cetak)
    kuartil = {k: kuartil_bawah(t) for k, t in waktu.items()}
    return {
        s: {
            h: kuartil[s, h] / kuartil[s, Halaman(h.username, TRIVIAL)]
            for h in halaman
            if (s, h) in kuartil and h.url != TRIVIAL
        }
        for s in server
    }


def kuartil_bawah(detik: list[float]) -> float:
    """The lower quartile of a page's times: what the page costs when nothing else on the
    machine took the processor from it meanwhile. On a loaded machine two servers of the same
    data, surveyed together over 15 rounds, read up to 2.1x apart by the median, within 1.5x
    by the lower quartile (README, Benchmarks)."""
    if len(detik) < 2:
        return detik[0]
    return statistics.quantiles(detik, n=4, method="inclusive")[0]


def ukur_bersama(
    server: dict[str, str],
    halaman: list[Halaman],
    *,
    password: str,
    ronde: int,
    seed: int,
    cetak: Callable[[str], None],
) -> dict[tuple[str, Halaman], list[float]]:
    """The seconds of each (server, page) in each round, and of each (server, trivial page)
    ``TRIVIAL_KALI`` times a round."""
    orang = sorted({h.username for h in halaman})
    trivial = [Halaman(u, TRIVIAL) for u in orang]
    sesi = {(s, u): masuk(base, u, password) for s, base in server.items() for u in orang}
    entri = []
    for s, base in server.items():
        for h in halaman + trivial:
            _detik, status = _ambil(sesi[s, h.username], base + h.url)  # warm-up, not counted
            if status == 200:
                # Every page of a person is divided by their trivial page: its figure is read
                # from more fetches than any one page's (TRIVIAL_KALI a round).
                entri += [(s, h)] * (TRIVIAL_KALI if h.url == TRIVIAL else 1)
            else:
                cetak(f"  dilewati (HTTP {status}{', ' + s if s else ''}): {h}")
    waktu: dict[tuple[str, Halaman], list[float]] = defaultdict(list)
    rng = random.Random(seed)
    for _i in range(ronde):
        rng.shuffle(entri)
        for s, h in entri:
            waktu[s, h].append(_ambil(sesi[s, h.username], server[s] + h.url)[0])
    return waktu


def saring(halaman: list[Halaman], pola: str) -> list[Halaman]:
    """The pages whose "person address" contains one of the comma-separated parts of ``pola``
    (BENCH_HALAMAN), all of them when it is empty."""
    bagian = [b.strip() for b in pola.split(",") if b.strip()]
    return [h for h in halaman if not bagian or any(b in str(h) for b in bagian)]


def cetak_tabel(
    kecil: dict[Halaman, float],
    besar: dict[Halaman, float] | None = None,
    *,
    label_besar: str = "10x",
    cetak: Callable[[str], None] = print,
) -> None:
    """The survey table, the median page, the five slowest, and each goal met or missed."""
    besar = besar or {}
    cetak(f"{'page (person, address)':<62} {'demo':>7} {label_besar:>7} {'growth':>7}")
    for h in sorted(kecil):
        if h in besar:
            cetak(f"{h!s:<62} {kecil[h]:6.1f}x {besar[h]:6.1f}x {besar[h] / kecil[h]:6.2f}x")
        else:
            cetak(f"{h!s:<62} {kecil[h]:6.1f}x")
    ukuran = [("demo", kecil)] + ([(label_besar, besar)] if besar else [])
    for nama, rasio in ukuran:
        cetak(f"median page at {nama}: {statistics.median(rasio.values()):.1f}x")
    acuan = besar or kecil
    lambat = sorted(acuan, key=acuan.get, reverse=True)[:5]
    cetak(f"five slowest at {ukuran[-1][0]}: " + "; ".join(f"{h} {acuan[h]:.1f}x" for h in lambat))
    for nama, rasio in ukuran:
        _cetak_tujuan(
            f"median page <= {GOAL_MEDIAN:g}x at {nama}",
            statistics.median(rasio.values()) <= GOAL_MEDIAN,
            cetak,
        )
        lewat = [h for h in rasio if rasio[h] > GOAL_SETIAP]
        _cetak_tujuan(f"every page <= {GOAL_SETIAP:g}x at {nama}", not lewat, cetak, lewat)
    if besar:
        tumbuh = [h for h in besar if h in kecil and besar[h] / kecil[h] > GOAL_TUMBUH]
        _cetak_tujuan(f"growth {label_besar}/demo <= {GOAL_TUMBUH:g}x", not tumbuh, cetak, tumbuh)


def _cetak_tujuan(nama: str, lulus: bool, cetak, halaman: list[Halaman] | None = None) -> None:
    hasil = "PASS" if lulus else f"MISS ({len(halaman)} pages)" if halaman else "MISS"
    cetak(f"  {hasil:<16} {nama}")
