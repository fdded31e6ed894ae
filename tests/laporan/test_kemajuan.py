"""Progress through the long calls of a bundle build: the estimate, on a clock the test
controls, and a real build of the 2024 bundle whose reports keep coming while it lays out."""

import itertools
import time

import pytest
from pypdf import PdfReader

from laporan import bundel
from laporan.kemajuan import Kemajuan, Penataan, lama, maju


class Jam:
    """A clock that moves only when the test says so."""

    t = 0.0

    def __call__(self) -> float:
        return self.t


def test_the_time_words():
    assert lama(0.4) == "0 dtk"
    assert lama(45) == "45 dtk"
    assert lama(185) == "3 mnt 5 dtk"


def test_the_bar_keeps_step_with_the_time_left_then_creeps_on_without_reaching_the_end():
    # Half of 100 s gone, 50 left: half the way.
    assert maju(0.0, 50, 50, 50) == pytest.approx(0.5)
    # When the estimate holds, the way done is the time spent: 20 s more of 50 left.
    assert maju(0.5, 20, 30, 70) == pytest.approx(0.7)
    # Past the estimate, a quarter of the time spent (200 s) is taken as still to come.
    assert maju(0.9, 50, -100, 200) == pytest.approx(0.9 + 0.1 * 50 / 100)


def test_a_silent_call_is_reported_from_its_step_towards_the_next_never_reaching_it():
    jam = Jam()
    dilaporkan = []
    kemajuan = Kemajuan(
        lambda persen, langkah: dilaporkan.append((persen, langkah)),
        dari=60,
        sampai=65,
        langkah="Menulis 70 halaman …",
        detik=100,
        jam=jam,
        setiap=3600,  # the test reports by hand, at the times it chooses
    )
    with kemajuan:
        for jam.t in (50, 99.6, 100, 200, 10_000):
            kemajuan.kabarkan()
    assert dilaporkan == [
        (60, "Menulis 70 halaman … (berjalan 0 dtk, perkiraan sisa waktu 1 mnt 40 dtk)"),
        (62, "Menulis 70 halaman … (berjalan 50 dtk, perkiraan sisa waktu 50 dtk)"),
        (64, "Menulis 70 halaman … (berjalan 1 mnt 40 dtk, hampir selesai)"),
        (64, "Menulis 70 halaman … (berjalan 1 mnt 40 dtk, lebih lama dari perkiraan)"),
        (64, "Menulis 70 halaman … (berjalan 3 mnt 20 dtk, lebih lama dari perkiraan)"),
        (64, "Menulis 70 halaman … (berjalan 166 mnt 40 dtk, lebih lama dari perkiraan)"),
    ]


def test_the_layout_is_followed_from_weasyprints_log_and_never_goes_back():
    jam = Jam()
    dilaporkan = []
    penataan = Penataan(
        lambda persen, langkah: dilaporkan.append((persen, langkah)),
        dari=35,
        sampai=60,
        langkah="Menata halaman bundel …",
        halaman=12,
        jam=jam,
        setiap=3600,
    )
    with penataan:
        jam.t = 4  # still preparing, longer than 12 pages guessed at 0.15 s each allow
        penataan.kabarkan()
        for n in range(1, 6):  # then a page a second from t=10
            jam.t = 9 + n
            penataan.catat(f"Step 5 - Creating layout - Page {n}")
        penataan.catat("Step 5 - Creating layout - Repagination #1")
        jam.t = 16
        penataan.catat("Step 5 - Creating layout - Page 1")
        penataan.catat("Step 5 - Creating layout - Page 2 (up-to-date)")
        penataan.kabarkan()
    persen = [p for p, _langkah in dilaporkan]
    assert persen == sorted(persen) and persen[0] == 35 and persen[-1] < 60
    assert len(set(persen)) >= 4
    langkah = [teks for _p, teks in dilaporkan]
    # 12 pages guessed: 0.7 × 12 × 0.15 s preparing, 1.25 × 12 × 0.15 s laying out = 3.51 s.
    assert langkah[0] == "Menata halaman bundel … (berjalan 0 dtk, perkiraan sisa waktu 4 dtk)"
    assert langkah[1] == "Menata halaman bundel … (berjalan 4 dtk, lebih lama dari perkiraan)"
    # Each new page is reported by the log, at once. Until 3 pages are timed, a page is
    # guessed at 0.15 s (10 s preparing + 12 × 0.15 × 1.25 = 12.25 s); then 1 s a page for 12
    # pages and a quarter more for the passes again: 10 + 15 = 25 s.
    assert langkah[2:7] == [
        f"Menata halaman {n} … (berjalan {9 + n} dtk, perkiraan sisa waktu {sisa} dtk)"
        for n, sisa in [(1, 2), (2, 1), (3, 13), (4, 12), (5, 11)]
    ]
    # Again, at page 2 of 5: pages 3 to 5 may be laid out again, and the finish is a fifth
    # of a page per page: 3 + 1 s left.
    assert langkah[7:] == [
        "Menata halaman lagi 2 dari 5 (nomor halaman daftar isi) … "
        "(berjalan 16 dtk, perkiraan sisa waktu 4 dtk)"
    ]


@pytest.mark.django_db
def test_a_real_bundle_build_keeps_reporting_while_weasyprint_lays_it_out(tahun_2024, tmp_path):
    """The 2024 bundle (about 70 pages, a table of contents that sends WeasyPrint through the
    document again): reports come at least every few seconds from the start of the layout to
    the end of the writing, and the percentage only grows."""
    tahun, _urutan = tahun_2024
    mulai = time.monotonic()
    dilaporkan = []

    def lapor(persen, langkah):
        dilaporkan.append((time.monotonic() - mulai, persen, langkah))

    hasil = bundel.bangun_pdf(tahun, tujuan=tmp_path / "bundel.pdf", lapor=lapor)
    assert len(PdfReader(tmp_path / "bundel.pdf").pages) == hasil.halaman
    persen = [p for _t, p, _langkah in dilaporkan]
    assert persen == sorted(persen)
    tata = [(t, p, teks) for t, p, teks in dilaporkan if teks.startswith(("Menata", "Menulis"))]
    assert tata[0][1] == 35 and tata[0][2].startswith("Menata halaman bundel …")
    assert all(p < 60 for _t, p, teks in tata if teks.startswith("Menata"))
    assert all(60 <= p < 65 for _t, p, teks in tata if teks.startswith("Menulis"))
    # The helper thread reports every 2 s; a loaded machine may delay it a little.
    jeda = [b[0] - a[0] for a, b in itertools.pairwise(tata)]
    assert max(jeda) < 5, jeda
    # The silent preparation before the first page was reported too, with the time spent:
    # once it lasted longer than the helper's 2 s beat (with a second's slack for a loaded
    # machine), a second report of it came. Its percentage may stay 35 when the estimate is long.
    persiapan = [t for t, _p, teks in tata if teks.startswith("Menata halaman bundel … (berjalan")]
    halaman_1 = next(t for t, _p, teks in tata if teks.startswith("Menata halaman 1 "))
    if halaman_1 - persiapan[0] > 3:
        assert len(persiapan) >= 2, tata[:5]
