"""Progress that keeps moving through the long calls that report little of themselves:
WeasyPrint's layout of a few hundred pages, and its writing of them.

WeasyPrint lays a document out in one call. Its progress log names each page of the first
pass, but the preparation before the first page, the passes that lay pages out again once the
table of contents knows its page numbers, and the writing of the PDF are silent, and each can
last a minute on a large bundle. So while such a call runs, a helper thread reports every
``DETIK_SETIAP`` seconds what WeasyPrint is doing (read from its log) with the time spent and
an honest estimate of the time left. The bar covers, at each report, the part of the way left
that the time passed is of the time left (``maju``): it never goes back, never reaches
``sampai``, the next real step's percentage, and a call that runs longer than expected creeps
on towards it and says so.

The main thread also reports on each page it lays out, so ``lapor`` still stops a build that
was cancelled in the middle of the layout (it raises there). The thread reports through the
same lock; a cancellation it hears of is raised in the main thread once the call returns.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable

from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

DETIK_SETIAP = 2.0  # how often the helper thread reports

# The rough shape of a layout, measured on the 2024 instrument's bundle: the preparation
# before the first page takes about 0.7 of the first pass, the passes again and the finish
# about a quarter of it (the finish alone a fifth of a page per page), and writing the PDF
# about 0.6 of it. Before the first pages are laid
# out, a page is guessed at DETIK_PER_HALAMAN seconds.
PERSIAPAN, EKOR, MENULIS = 0.7, 0.25, 0.6
DETIK_PER_HALAMAN = 0.15
SELESAI = 0.2


def lama(detik: float) -> str:
    """'45 dtk', '3 mnt 5 dtk'."""
    detik = max(0, round(detik))
    if detik < 60:
        return _("%(d)s dtk") % {"d": detik}
    return _("%(m)s mnt %(d)s dtk") % {"m": detik // 60, "d": detik % 60}


def maju(bagian: float, selang: float, sisa: float, berjalan: float) -> float:
    """The share of a call done (0 towards 1, never reached) after ``selang`` more seconds,
    ``sisa`` seconds being expected still: the share left shrinks by the part of the time left
    that has passed. Past the expected time, a quarter of the time spent is taken as still to
    come, so the bar creeps on instead of stopping or jumping to the end."""
    tersisa = max(sisa, berjalan / 4, 0.001)
    return bagian + (1 - bagian) * selang / (selang + tersisa)


class Kemajuan:
    """One long call reported from ``dari`` towards ``sampai`` as ``langkah`` with the time
    spent and left, against an expected ``detik``. Use it as a context manager around the call.
    ``jam`` is the clock (tests pass their own)."""

    def __init__(
        self,
        lapor: Callable[[int, str], None],
        *,
        dari: int,
        sampai: int,
        langkah: str = "",
        detik: float = 0,
        jam: Callable[[], float] = time.monotonic,
        setiap: float = DETIK_SETIAP,
    ):
        self.lapor, self.dari, self.sampai = lapor, dari, sampai
        self.langkah, self.detik, self.jam, self.setiap = langkah, detik, jam, setiap
        self.mulai = jam()
        self.persen, self.bagian, self.waktu = dari, 0.0, self.mulai
        self._kunci = threading.Lock()
        self._berhenti = threading.Event()
        self._galat: BaseException | None = None
        self._utas: threading.Thread | None = None

    # What is being done and how long it should take; Penataan reads them from the log.
    def judul(self) -> str:
        return self.langkah

    def perkiraan(self, sekarang: float) -> float | None:
        """The expected length of the whole call in seconds; None when it cannot be told."""
        return self.detik or None

    def keadaan(self, sekarang: float) -> tuple[int, str]:
        """The percentage and the words to report at ``sekarang``."""
        berjalan = sekarang - self.mulai
        perkiraan = self.perkiraan(sekarang)
        if perkiraan is None:
            waktu = _("berjalan %(lama)s") % {"lama": lama(berjalan)}
            persen = self.dari
        else:
            if berjalan >= perkiraan:
                waktu = _("berjalan %(lama)s, lebih lama dari perkiraan") % {"lama": lama(berjalan)}
            elif perkiraan - berjalan < 1:
                waktu = _("berjalan %(lama)s, hampir selesai") % {"lama": lama(berjalan)}
            else:
                waktu = _("berjalan %(lama)s, perkiraan sisa waktu %(sisa)s") % {
                    "lama": lama(berjalan),
                    "sisa": lama(perkiraan - berjalan),
                }
            self.bagian = maju(self.bagian, sekarang - self.waktu, perkiraan - berjalan, berjalan)
            persen = self.dari + int((self.sampai - self.dari) * self.bagian)
        self.waktu = sekarang
        self.persen = max(self.persen, min(persen, self.sampai - 1))
        return self.persen, f"{self.judul()} ({waktu})"

    def kabarkan(self) -> None:
        with self._kunci:
            self.lapor(*self.keadaan(self.jam()))

    def _berdetak(self) -> None:
        from django.db import connections

        try:
            while not self._berhenti.wait(self.setiap):
                self.kabarkan()
        except Exception as galat:  # kept for the main thread: see __exit__
            self._galat = galat
        finally:
            connections.close_all()  # this thread's own connection

    def __enter__(self) -> Kemajuan:
        self.mulai = self.waktu = self.jam()
        self.kabarkan()  # at once, and before the thread: a cancellation stops here
        self._utas = threading.Thread(target=self._berdetak, name="kemajuan", daemon=True)
        self._utas.start()
        return self

    def __exit__(self, *exc) -> None:
        self._berhenti.set()
        if self._utas:
            self._utas.join()
        if exc[0] is None and self._galat is not None:
            from kla_portal.pekerjaan import Dibatalkan

            if isinstance(self._galat, Dibatalkan):
                raise self._galat
            log.warning("Kemajuan tidak terlapor", exc_info=self._galat)


class Penataan(Kemajuan):
    """WeasyPrint laying out a document of about ``halaman`` pages, followed from its progress
    log (install with ``pdf.susun(..., kemajuan=...)``). Each new page of the first pass is
    reported at once; the silent parts by the helper thread."""

    # "Page 12", or "Page 12 (up-to-date)" in a pass again when the page has not changed.
    HALAMAN = re.compile(r"Creating layout - Page (\d+)")
    ULANG = re.compile(r"Creating layout - Repagination #(\d+)")

    def __init__(self, lapor, *, halaman: int, **kwargs):
        super().__init__(lapor, **kwargs)
        self.halaman_perkiraan = max(1, halaman)
        self.halaman = 0  # pages of the first pass laid out so far
        self.ulang = 0  # the pass laying pages out again, 0 in the first pass
        self.ulang_halaman = 0  # where that pass is
        self.awal_halaman: float | None = None  # when the first page was laid out
        self.waktu_halaman: float | None = None  # when the last new page was

    def catat(self, pesan: str) -> None:
        """One line of WeasyPrint's progress log."""
        sekarang = self.jam()
        if cocok := self.ULANG.search(pesan):
            with self._kunci:
                self.ulang, self.ulang_halaman = int(cocok[1]), 0
            return
        cocok = self.HALAMAN.search(pesan)
        if not cocok:
            return
        n = int(cocok[1])
        if self.ulang:
            with self._kunci:
                self.ulang_halaman = n
            return
        if n > self.halaman:
            with self._kunci:
                self.halaman, self.waktu_halaman = n, sekarang
                self.awal_halaman = self.awal_halaman or sekarang
            self.kabarkan()

    def _per_halaman(self) -> float:
        if self.halaman >= 3:
            return (self.waktu_halaman - self.awal_halaman) / (self.halaman - 1)
        return DETIK_PER_HALAMAN

    def perkiraan(self, sekarang: float) -> float:
        per = self._per_halaman()
        if self.ulang:
            # The pages count is known now; each page left may be laid out again.
            sisa = self.halaman - self.ulang_halaman + SELESAI * self.halaman
            return sekarang - self.mulai + per * sisa
        total = max(self.halaman_perkiraan, self.halaman + 1)
        persiapan = self.awal_halaman - self.mulai if self.awal_halaman else PERSIAPAN * per * total
        return persiapan + per * total * (1 + EKOR)

    def perkiraan_menulis(self) -> float:
        """The expected time to write the laid out pages to PDF."""
        return MENULIS * self._per_halaman() * max(self.halaman, 1)

    def judul(self) -> str:
        if self.ulang:
            return _("Menata halaman lagi %(n)s dari %(dari)s (nomor halaman daftar isi) …") % {
                "n": self.ulang_halaman,
                "dari": self.halaman,
            }
        if self.halaman:
            return _("Menata halaman %(n)s …") % {"n": self.halaman}
        return self.langkah

    def __enter__(self) -> Penataan:
        super().__enter__()
        self._log = _Log(self)
        logger = logging.getLogger("weasyprint.progress")
        self._semula = (logger.level, logger.propagate)
        logger.addHandler(self._log)
        logger.setLevel(logging.INFO)
        logger.propagate = False  # the page-by-page log is for the progress bar, not the log file
        return self

    def __exit__(self, *exc) -> None:
        logger = logging.getLogger("weasyprint.progress")
        logger.removeHandler(self._log)
        logger.setLevel(self._semula[0])
        logger.propagate = self._semula[1]
        super().__exit__(*exc)


class _Log(logging.Handler):
    def __init__(self, penataan: Penataan):
        super().__init__(logging.INFO)
        self.penataan = penataan

    def emit(self, record: logging.LogRecord) -> None:
        # Not handleError: a cancellation raised by ``lapor`` must stop the layout.
        self.penataan.catat(record.getMessage())
