"""Importing the RAD KLA from a spreadsheet, on the importer skeleton of ``kla_portal.impor``.

Two kinds of sheet, told apart by their header row:

- **rencana**, the plan: one row per action (``kode_aksi``) with its cluster and KLA indicators,
  its place in the budget nomenclature, its performance indicator, lead and supporting agencies,
  and for each year of the period ``target_<tahun>``, ``pagu_<tahun>`` and ``sumber_<tahun>``;
- **realisasi**, a quarter's realisation: one row per action and quarter (``kode_aksi``,
  ``tahun``, ``triwulan``) with ``capaian`` (cumulative within the year), ``anggaran`` (spent in
  the quarter) and ``uraian``; other columns (the action's name, unit, target) are there to read.

``periksa_berkas`` turns an upload into a report: what it would write, the rows it skips, how
many rows would change nothing, and every fault with its Excel row and column. Nothing is
written until ``tulis.rad_impor``. A blank cell, or a column the file does not have, keeps what
the action or the report already holds, so a template downloaded, partly filled and uploaded
again changes only what was typed; a row without any value is skipped.

Who may import what: ``rencana_aksi.kelola_rad`` (Bappeda, the secretariat, the admin) the whole
plan and every report; an agency operator the targets, ceilings and funding sources of the
actions its agency leads (the other columns must be blank or as in the RAD) and those actions'
quarterly reports. ``pengguna`` None (the command without ``--oleh``) may import everything.

The modules: ``kolom`` (the columns, declared once), ``baca`` (the sheet and its kind),
``rencana`` and ``realisasi`` (a row of each kind), ``sel`` (cell values), ``keadaan`` (an action
as the import compares it), ``laporan`` (the report), ``templat`` (the downloads), ``tulis``
(the write, in the request or in a worker).
"""

from rencana_aksi.impor.baca import periksa_berkas
from rencana_aksi.impor.keadaan import aksi_lengkap, sidik_aksi
from rencana_aksi.impor.kolom import (
    KOLOM_RENCANA,
    REALISASI,
    RENCANA,
    ROMAWI_TULIS,
    TAHUNAN,
    jenis_lembar,
)
from rencana_aksi.impor.laporan import BarisAksi, BarisRealisasi, Dilewati, LaporanRad
from rencana_aksi.impor.sel import kunci_kode
from rencana_aksi.impor.templat import aksi_templat, templat_realisasi, templat_rencana

__all__ = [
    "KOLOM_RENCANA",
    "REALISASI",
    "RENCANA",
    "ROMAWI_TULIS",
    "TAHUNAN",
    "BarisAksi",
    "BarisRealisasi",
    "Dilewati",
    "LaporanRad",
    "aksi_lengkap",
    "aksi_templat",
    "jenis_lembar",
    "kunci_kode",
    "periksa_berkas",
    "sidik_aksi",
    "templat_realisasi",
    "templat_rencana",
]
