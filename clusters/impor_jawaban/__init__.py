"""Importing answers from a spreadsheet, on the importer skeleton of ``kla_portal.impor``:
reading and checking a spreadsheet of answers before anything is written.

Cities prepare their answers in Excel, often starting from last year's: ``templat`` gives the
rows a person may import, prefilled with the current answers, and the same codes fit the next
year's instrument. ``periksa`` turns an uploaded table into a report: the answers it would
write, the rows it skips (an answer already sent or verified), how many rows would change
nothing, and every fault with its Excel row and column. Nothing here writes; that is
``services.jawaban_impor``.

One row per question, found by ``kode_indikator`` and ``kode_pertanyaan``. Only the city-level
answer is imported: a per-unit question is answered with its coverage (``cakupan_persen``) like
any coverage question, and the units' own answers are entered by the units. A blank cell, or a
column the file does not have, keeps what the answer already holds.

The modules: ``laporan`` (the columns and the report), ``periksa`` (a file and its rows),
``nilai`` (the values a row gives an answer), ``templat`` (the download).
"""

from clusters.impor_jawaban.laporan import (
    KOLOM_TEMPLAT,
    BarisJawaban,
    Dilewati,
    LaporanJawaban,
)
from clusters.impor_jawaban.nilai import poin_pilihan
from clusters.impor_jawaban.periksa import periksa
from clusters.impor_jawaban.templat import templat
from kla_portal.impor import Galat

__all__ = [
    "KOLOM_TEMPLAT",
    "BarisJawaban",
    "Dilewati",
    "Galat",
    "LaporanJawaban",
    "periksa",
    "poin_pilihan",
    "templat",
]
