"""The reads of the plan's list of actions (views.aksi.aksi_list): a page of 50 read from the
database with its figures, the totals line of every row of the filter, the filters' choices,
and every row of the filter for the XLSX.

The page's actions are read by code alone, without their figures (the plan is one: for the
whole plan the database walks the index and stops at the page; for an agency's actions it sorts
their codes, not their joined reports), then the figures of those rows only
(pemantauan.dengan_baris); the totals through pemantauan.jumlah_tersimpan, which also counts
the rows for the paginator.
"""

from __future__ import annotations

import datetime
from dataclasses import astuple

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import QueryDict

from agencies.models import Opd
from kla_portal.halaman import PER_HALAMAN, tautan_halaman
from rencana_aksi import pemantauan
from rencana_aksi.models import Aksi, AksiIndikator
from rencana_aksi.saringan import Saringan
from rencana_aksi.tabel import baris_daftar, urutan_indikator


def halaman_daftar(
    terlihat,
    tahun: int,
    hari_ini: datetime.date,
    saring: Saringan,
    *,
    nomor: str | None,
    query: QueryDict,
) -> dict:
    """What the list page shows of ``terlihat`` (the actions the person may see) in ``tahun``:
    ``halaman`` (page ``nomor``, its links kept with ``query``), ``baris`` (its rows, formatted),
    ``jumlah`` (rows of the filter), ``ringkas`` (their totals), ``opd_pilihan`` and
    ``indikator_pilihan`` (the filters' choices)."""
    ringkas = pemantauan.jumlah_tersimpan(
        terlihat, tahun, hari_ini, lambda qs: saring.terapkan(qs, tahun), "daftar", astuple(saring)
    )
    kode = terlihat
    if saring.angka:
        kode = kode.alias(**pemantauan.angka_sql(tahun, hari_ini, hanya=set(saring.angka)))
    kode = saring.terapkan(kode, tahun).order_by("kode")
    paginator = Paginator(kode.values_list("pk", flat=True), PER_HALAMAN)
    paginator.count = ringkas.aksi  # the totals counted the same rows
    halaman = tautan_halaman(paginator.get_page(nomor), query)
    aksi = _dengan_rincian(
        pemantauan.dengan_baris(
            Aksi.objects.filter(pk__in=list(halaman.object_list)), tahun, hari_ini
        )
    )
    pendukung = Aksi.opd_pendukung.through.objects.filter(aksi__in=terlihat)
    return {
        "halaman": halaman,
        "baris": [baris_daftar(pemantauan.keadaan_baris(a, tahun, hari_ini)) for a in aksi],
        "jumlah": paginator.count,
        "ringkas": ringkas,
        "opd_pilihan": Opd.objects.filter(
            Q(pk__in=terlihat.values("opd_utama")) | Q(pk__in=pendukung.values("opd"))
        ).order_by("singkatan"),
        "indikator_pilihan": sorted(
            set(
                AksiIndikator.objects.filter(aksi__in=terlihat)
                .values_list("kode", flat=True)
                .distinct()
            ),
            key=urutan_indikator,
        ),
    }


def semua_baris(terlihat, tahun: int, hari_ini: datetime.date, saring: Saringan) -> list:
    """Every row of the filter with its figures (pemantauan.KeadaanAksi), by code: the XLSX."""
    aksi = saring.terapkan(pemantauan.dengan_baris(terlihat, tahun, hari_ini, saring.angka), tahun)
    return [
        pemantauan.keadaan_baris(a, tahun, hari_ini)
        for a in _dengan_rincian(aksi).iterator(chunk_size=500)
    ]


def _dengan_rincian(aksi):
    """The actions by code with what a row shows besides its figures: the lead agency, the
    supporting agencies' short names, the KLA codes."""
    return (
        aksi.select_related("opd_utama")
        .prefetch_related(
            Prefetch("opd_pendukung", queryset=Opd.objects.only("singkatan")), "indikator"
        )
        .order_by("kode")
    )
