"""Reads that assemble the RAD's pages: the dashboard, a quarterly report's page, Bappeda's
review queue and an action's history (the agency's inbox of reports: rencana_aksi.kotak).
Views parse the request, call one of these and render; writes stay in rencana_aksi.services.

The monitoring figures and their definitions (achievement, spending, *late*, *at risk*) are
rencana_aksi.pemantauan's: an action's quarter is late exactly when it is in
``KeadaanAksi.terlambat`` (pemantauan.keadaan), and every page and table asks that; lists and
totals over the plan ask the same in SQL (pemantauan.angka_sql) for the rows they show.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Opd
from clusters import alur
from kla_portal import sql_tersimpan
from kla_portal import versi as versi_lib
from rencana_aksi import pemantauan, services
from rencana_aksi.models import (
    Aksi,
    AnggaranDaerah,
    Klaster,
    LampiranRealisasi,
    PeriodeRad,
    Realisasi,
    SumberDana,
    TargetTahunan,
    batas_lapor,
)
from rencana_aksi.tabel import KLASTER_SINGKAT, ROMAWI, TABEL_BELUM_LAPOR, TABEL_BERISIKO

BELUM = "belum"  # the state of a quarter with no report yet


def periode_berjalan(user) -> PeriodeRad | None:
    """The plan of the person's city in force this year, else its newest."""
    return PeriodeRad.objects.visible_to(user).berlaku(timezone.localdate().year)


def triwulan_berjalan(hari_ini) -> tuple[int, int]:
    return hari_ini.year, (hari_ini.month - 1) // 3 + 1


# --- The dashboard ------------------------------------------------------------------------


@dataclass
class DasborRad:
    """The dashboard's figures for one year of a plan, from the actions the person may see."""

    berisiko: list[pemantauan.KeadaanAksi]  # the actions at risk shown, furthest behind first
    kota: pemantauan.Jumlah
    per_opd: list[pemantauan.Jumlah]
    opd_id: dict[str, int]  # lead agency's short name -> id, for the list's filter
    per_klaster: list[pemantauan.Jumlah]  # in the order of the clusters
    per_tahun: list[pemantauan.Jumlah]  # every year of the plan, when asked (else empty)
    triwulan: int | None  # the last quarter whose report is due
    # per lead agency, how many of its actions were not sent for that quarter (and, for the
    # XLSX, which)
    belum_lapor: list[dict]
    seluruh_kota: bool  # a city-wide reader (else the figures are their agency's actions)
    porsi: pemantauan.PorsiAnak | None  # the children's share of the city budget (city-wide)


BERISIKO_DI_DASBOR = 25  # the actions at risk the dashboard shows; the list and XLSX hold all


def _jumlah_per(kelompok: list[dict], tahun: int, kunci: str, nama) -> dict:
    """Totals of ``tahun`` per ``kunci`` of the grouped rows, named ``nama(row)``."""
    hasil: dict = {}
    for row in kelompok:
        j = hasil.setdefault(row[kunci], pemantauan.Jumlah(nama=nama(row)))
        j.tambah(pemantauan.jumlah_dari(row, tahun, ""))
    return hasil


def _per_klaster(kelompok: list[dict], tahun: int) -> list[pemantauan.Jumlah]:
    label = dict(Klaster.choices)
    per_klaster = sorted(
        _jumlah_per(
            kelompok, tahun, "klaster", lambda r: str(label.get(r["klaster"], r["klaster"]))
        ).values(),
        key=lambda j: j.nama,
    )
    urutan = [str(label) for label in label.values()]
    per_klaster.sort(key=lambda j: urutan.index(j.nama) if j.nama in urutan else len(urutan))
    return per_klaster


# What an action at risk shows (tabel.tabel_berisiko), besides its figures.
KOLOM_BERISIKO = ("id", "kode", "nama", "satuan", "status", "opd_utama_id", "opd_utama__singkatan")


def _berisiko(aksi, tahun: int, hari_ini, batas: int | None) -> list[pemantauan.KeadaanAksi]:
    """The actions at risk, furthest behind first (the first ``batas``, or all): one query
    whose SQL is built once per actions read, day and ``batas``."""
    p = f"k{tahun}_"

    def bangun():
        rows = (
            pemantauan.dengan_angka(aksi, tahun, hari_ini)
            .filter(**{f"{p}berisiko": True})
            .order_by(Coalesce(f"{p}persen10", 0), "kode")
            .values(*KOLOM_BERISIKO, *(p + n for n in pemantauan.BARIS))
        )
        return rows[:batas]

    kunci = sql_tersimpan.kunci_sql(aksi, "berisiko", tahun, hari_ini, batas)
    hasil = []
    for b in sql_tersimpan.baca_tersimpan(kunci, bangun):
        a = Aksi(
            **{k: b[k] for k in KOLOM_BERISIKO if not k.startswith("opd_utama")},
            opd_utama=Opd(pk=b["opd_utama_id"], singkatan=b["opd_utama__singkatan"]),
        )
        for n in pemantauan.BARIS:
            setattr(a, p + n, b[p + n])
        hasil.append(pemantauan.keadaan_baris(a, tahun, hari_ini))
    return hasil


def _kelompok(
    aksi, tahun_list: list[int], hari_ini: datetime.date, telat: tuple[int, int] | None = None
) -> list[dict]:
    """The figures of every year of ``tahun_list`` (pemantauan.agregat_sql) per lead agency
    and cluster of the actions ``aksi``, and with ``telat`` (a year of the list and a quarter)
    ``n_telat``: how many have that quarter's report late (the agencies yet to report, without
    a pass over the actions of their own). One query, its SQL built once per actions read, day
    and ``telat`` (sql_tersimpan.baca_tersimpan)."""

    def bangun():
        kolom, agregat = {}, {}
        for t in tahun_list:
            lagi = {f"telat{telat[1]}"} if telat and telat[0] == t else set()
            kolom |= pemantauan.angka_sql(t, hari_ini, hanya=pemantauan.DIJUMLAH | lagi)
            agregat |= pemantauan.agregat_sql(t)
        if telat:
            agregat["n_telat"] = Count("pk", filter=Q(**{f"k{telat[0]}_telat{telat[1]}": True}))
        return (
            aksi.alias(**kolom)
            .values("opd_utama_id", "opd_utama__singkatan", "klaster")
            .annotate(**agregat)
            .order_by()
        )

    return sql_tersimpan.baca_tersimpan(
        sql_tersimpan.kunci_sql(aksi, "kelompok", tuple(tahun_list), hari_ini, telat), bangun
    )


def _belum_per_opd(kelompok: list[dict]) -> list[dict]:
    """Per lead agency (by short name), how many of its actions have the report asked of
    _kelompok late (``jumlah``; ``aksi`` None: their codes are read for the XLSX only)."""
    per_opd: dict[tuple, int] = defaultdict(int)
    for r in kelompok:
        if r["n_telat"]:
            per_opd[r["opd_utama_id"], r["opd_utama__singkatan"]] += r["n_telat"]
    return pemantauan.baris_belum((*opd, n) for opd, n in per_opd.items())


def _belum_lapor(aksi, tahun: int, triwulan: int, hari_ini: datetime.date) -> list[dict]:
    """For the XLSX: per lead agency (by short name), its actions of ``aksi`` whose report for
    ``triwulan`` is late (``aksi``, by code, pemantauan.per_opd_utama) and how many: codes and
    agencies read as plain values, in one query whose SQL is built once per actions read and
    day."""

    def bangun():
        return (
            pemantauan.aksi_telat(aksi, tahun, triwulan, hari_ini)
            .values("kode", "opd_utama_id", "opd_utama__singkatan")
            .order_by()
        )

    kunci = sql_tersimpan.kunci_sql(aksi, "belum", tahun, triwulan, hari_ini)
    opd: dict[int, Opd] = {}
    return [
        {**row, "jumlah": len(row["aksi"])}
        for row in pemantauan.per_opd_utama(
            SimpleNamespace(
                kode=b["kode"],
                opd_utama=opd.setdefault(
                    b["opd_utama_id"],
                    Opd(pk=b["opd_utama_id"], singkatan=b["opd_utama__singkatan"]),
                ),
            )
            for b in sql_tersimpan.baca_tersimpan(kunci, bangun)
        )
    ]


def dasbor_rad(
    *,
    user,
    periode: PeriodeRad,
    tahun: int,
    hari_ini: datetime.date,
    unduh: str = "",
    semua_tahun: bool = False,
) -> DasborRad:
    """Totals computed in the database: one query grouped by lead agency and cluster for
    ``tahun`` (for every year of the plan with ``semua_tahun``: each year is a pass over the
    plan's actions, so only when the years are compared), counting also the actions not sent
    for the last quarter due; one for the actions at risk shown (``BERISIKO_DI_DASBOR``, or
    all with ``unduh`` the at-risk table); one for the city budget (only for city-wide
    readers); and, only when ``unduh`` is the late reports' table, one for their codes. The
    count and the rows read do not grow with the actions."""
    seluruh_kota = user.has_perm("agencies.view_seluruh_kota")
    aksi = Aksi.objects.filter(periode=periode).visible_to(user)
    jatuh_tempo = pemantauan.triwulan_jatuh_tempo(tahun, hari_ini)
    triwulan = jatuh_tempo[-1] if jatuh_tempo else None
    tahun_list = periode.tahun_list if semua_tahun else [tahun]
    kelompok = _kelompok(aksi, tahun_list, hari_ini, (tahun, triwulan) if triwulan else None)
    per_tahun = []
    for t in tahun_list:
        j = pemantauan.Jumlah(nama=str(t))
        for row in kelompok:
            j.tambah(pemantauan.jumlah_dari(row, t, ""))
        per_tahun.append(j)
    kota = per_tahun[tahun_list.index(tahun)]
    if triwulan is None:
        belum = []
    elif unduh == TABEL_BELUM_LAPOR:
        belum = _belum_lapor(aksi, tahun, triwulan, hari_ini)
    else:
        belum = _belum_per_opd(kelompok)
    return DasborRad(
        berisiko=_berisiko(
            aksi, tahun, hari_ini, None if unduh == TABEL_BERISIKO else BERISIKO_DI_DASBOR
        ),
        kota=dataclasses.replace(kota, nama=_("Seluruh aksi")),
        per_opd=sorted(
            _jumlah_per(
                kelompok, tahun, "opd_utama_id", lambda r: r["opd_utama__singkatan"]
            ).values(),
            key=lambda j: j.nama,
        ),
        opd_id={r["opd_utama__singkatan"]: r["opd_utama_id"] for r in kelompok},
        per_klaster=_per_klaster(kelompok, tahun),
        per_tahun=per_tahun if semua_tahun else [],
        triwulan=triwulan,
        belum_lapor=belum,
        seluruh_kota=seluruh_kota,
        porsi=pemantauan.porsi_dari(
            kelompok,
            tahun,
            AnggaranDaerah.objects.filter(tahun=tahun).values_list("total", flat=True).first(),
        )
        if seluruh_kota
        else None,
    )


def belum_lapor_kota(*, user, hari_ini: datetime.date) -> tuple[int | None, list[dict]]:
    """The last quarter whose report is due in the plan in force, and per lead agency how many
    of its actions (that the person may see) have that report late: the dashboard's
    *belum lapor*, for the home page. One kept query (pemantauan.telat_per_opd)."""
    periode = PeriodeRad.objects.visible_to(user).berlaku(hari_ini.year)
    jatuh_tempo = pemantauan.triwulan_jatuh_tempo(hari_ini.year, hari_ini)
    if periode is None or hari_ini.year not in periode.tahun_list or not jatuh_tempo:
        return None, []
    aksi = Aksi.objects.filter(periode=periode).visible_to(user)
    return jatuh_tempo[-1], pemantauan.telat_per_opd(aksi, hari_ini.year, jatuh_tempo[-1], hari_ini)


# --- A quarterly report's page ------------------------------------------------------------

RIWAYAT_REALISASI = [
    ("capaian", "bilangan"),
    ("anggaran", "rupiah"),
    ("narasi", "teks"),
]


def perubahan_realisasi(riwayat: list) -> dict:
    """For each history record, what it changed (newest first; compared in memory). A record
    that changed neither figures nor state is a change of evidence."""
    hasil = {}
    for i, baru in enumerate(riwayat):
        lama = riwayat[i + 1] if i + 1 < len(riwayat) else None
        isi = []
        for name, jenis in RIWAYAT_REALISASI:
            value = getattr(baru, name)
            if (lama is None and value in (None, "")) or (
                lama is not None and getattr(lama, name) == value
            ):
                continue
            isi.append((capfirst(Realisasi._meta.get_field(name).verbose_name), value, jenis))
        sama = lama is not None and lama.status == baru.status
        bukti = (not isi and sama) or baru.history_change_reason == versi_lib.ALASAN_BERKAS
        alasan = baru.alasan if (lama is None or lama.alasan != baru.alasan) else ""
        hasil[baru.history_id] = {"isi": isi, "bukti": bukti, "alasan": alasan}
    return hasil


def _langkah_realisasi(user, aksi: Aksi, laporan: Realisasi, isi: bool) -> dict:
    """Which workflow buttons the person sees, and why one of them would be refused. ``isi``:
    the person may fill the report in and its quarter has begun."""
    boleh_setujui = laporan.status == alur.Status.MENUNGGU_KEPALA and user.has_perm(
        "rencana_aksi.setujui_realisasi", aksi
    )

    def penyetuju():
        return services.penyetuju(laporan)

    return {
        # Said before sending: a report nobody but its sender could approve would wait for ever.
        "alasan_kirim": isi and alur.alasan_tidak_dapat_dikirim(penyetuju(), user),
        "boleh_setujui": boleh_setujui,
        "alasan_setujui": boleh_setujui
        and alur.alasan_tidak_dapat_disetujui(
            laporan, user, penyetuju=penyetuju, jenis=_("laporan")
        ),
        "boleh_tinjau": laporan.status == alur.Status.MENUNGGU_VERIFIKASI
        and user.has_perm("rencana_aksi.tinjau_realisasi", aksi),
    }


def _tetangga(aksi: Aksi, tahun: int, triwulan: int, sekarang: tuple) -> dict:
    """The previous and next quarter to move to: those begun, and this one."""
    langkah = [
        (t, tw)
        for t in aksi.periode.tahun_list
        for tw in ROMAWI
        if (t, tw) <= sekarang or (t, tw) == (tahun, triwulan)
    ]
    posisi = langkah.index((tahun, triwulan)) if (tahun, triwulan) in langkah else None
    return {
        "sebelum": langkah[posisi - 1] if posisi else None,
        "berikut": langkah[posisi + 1]
        if posisi is not None and posisi + 1 < len(langkah)
        else None,
    }


def halaman_realisasi(*, user, aksi: Aksi, laporan: Realisasi, boleh_isi: bool) -> dict:
    """What a quarterly report's page shows besides its forms: the action's figures for the
    year, whether the quarter is late, the evidence (in force and removed), the history with
    what each record changed, the buttons the person sees, and the neighbouring quarters,
    named as the template reads them."""
    hari_ini = timezone.localdate()
    tahun, triwulan = laporan.tahun, laporan.triwulan
    sekarang = triwulan_berjalan(hari_ini)
    laporan_tahun = [
        *Realisasi.objects.filter(aksi=aksi, tahun=tahun).exclude(triwulan=triwulan),
        *([laporan] if laporan.pk else []),
    ]
    target = TargetTahunan.objects.filter(aksi=aksi, tahun=tahun).first()
    keadaan = pemantauan.keadaan(aksi, tahun, target, laporan_tahun, hari_ini)
    lampiran, riwayat = [], []
    if laporan.pk:
        lampiran = list(laporan.lampiran.select_related("diunggah_oleh"))
        riwayat = list(
            laporan.history.select_related("history_user").order_by("-history_date", "-history_id")[
                :50
            ]
        )
    dimulai = (tahun, triwulan) <= sekarang
    isi = boleh_isi and laporan.bisa_diubah and dimulai
    return {
        "aksi": aksi,
        "periode": aksi.periode,
        "laporan": laporan,
        "tahun": tahun,
        "triwulan": triwulan,
        "romawi": ROMAWI[triwulan],
        "keadaan": keadaan,
        "target": target,
        "batas": batas_lapor(tahun, triwulan),
        "terlambat": triwulan in keadaan.terlambat,
        "hari_terlambat": pemantauan.hari_terlambat(
            tahun,
            triwulan,
            status=laporan.status if laporan.pk else None,
            dikirim=laporan.dikirim,
            terlambat=triwulan in keadaan.terlambat,
            hari_ini=hari_ini,
        ),
        "dimulai": dimulai,
        "lampiran_aktif": [b for b in lampiran if not b.dihapus],
        "lampiran_lama": [b for b in lampiran if b.dihapus],
        "riwayat": riwayat,
        "perubahan": perubahan_realisasi(riwayat),
        "boleh_isi": isi,
        "boleh_kirim": boleh_isi and laporan.pk and laporan.bisa_diubah,
        **_langkah_realisasi(user, aksi, laporan, isi),
        **_tetangga(aksi, tahun, triwulan, sekarang),
    }


# --- Bappeda's queue ------------------------------------------------------------------------


def antrean_tinjauan(*, opd_id: int | None):
    """Reports approved by their agency heads, waiting for Bappeda, oldest first (of the lead
    agency ``opd_id``, or all), each with its evidence in force (``bukti``) and its action's
    target of the year (``target_tahun``): a queryset, so a page reads only its rows."""
    # Correlated look-ups rather than a join grouped over the whole queue: counting the queue
    # (the paginator) reads the reports alone, and only a page's rows are looked up.
    bukti = (
        LampiranRealisasi.objects.filter(realisasi=OuterRef("pk"), dihapus__isnull=True)
        .order_by()
        .values("realisasi")
        .annotate(n=Count("pk"))
        .values("n")
    )
    antrean = (
        Realisasi.objects.filter(status=alur.Status.MENUNGGU_VERIFIKASI)
        .select_related("aksi__opd_utama")
        # what the queue's table shows (rencana_aksi.tabel.tabel_tinjauan), not the reports'
        # narratives nor the actions' long descriptions
        .only(
            *("aksi", "tahun", "triwulan", "capaian", "anggaran", "status", "diubah"),
            *("aksi__kode", "aksi__nama", "aksi__satuan", "aksi__opd_utama__singkatan"),
        )
        .annotate(
            bukti=Coalesce(Subquery(bukti), 0),
            target_tahun=Subquery(
                TargetTahunan.objects.filter(aksi=OuterRef("aksi"), tahun=OuterRef("tahun"))
                .order_by()
                .values("target")[:1]
            ),
        )
        .order_by("diubah", "pk")
    )
    return antrean if opd_id is None else antrean.filter(aksi__opd_utama_id=opd_id)


# --- An action's page ----------------------------------------------------------------------


def keadaan_aksi(aksi: Aksi, hari_ini) -> list[pemantauan.KeadaanAksi]:
    """The action's figures in each year of its plan, from its targets and reports (prefetched:
    no query of its own)."""
    target = {row.tahun: row for row in aksi.target.all()}
    laporan = defaultdict(list)
    for r in aksi.realisasi.all():
        laporan[r.tahun].append(r)
    return [
        pemantauan.keadaan(aksi, t, target.get(t), laporan[t], hari_ini)
        for t in aksi.periode.tahun_list
    ]


def triwulan_aksi(aksi: Aksi, keadaan: list[pemantauan.KeadaanAksi], hari_ini) -> list[dict]:
    """Per year, the action's four quarters: the report (if any), its state, due date, whether
    it is late or has begun, and the address of its page."""
    sekarang = triwulan_berjalan(hari_ini)
    per_laporan = {(r.tahun, r.triwulan): r for r in aksi.realisasi.all()}
    return [
        {
            "tahun": k.tahun,
            "keadaan": k,
            "kuartal": [
                {
                    "triwulan": tw,
                    "romawi": ROMAWI[tw],
                    "laporan": per_laporan.get((k.tahun, tw)),
                    "status": k.status.get(tw, BELUM),
                    "batas": batas_lapor(k.tahun, tw),
                    "terlambat": tw in k.terlambat,
                    "hari_terlambat": pemantauan.hari_terlambat(
                        k.tahun,
                        tw,
                        status=k.status.get(tw),
                        dikirim=getattr(per_laporan.get((k.tahun, tw)), "dikirim", None),
                        terlambat=tw in k.terlambat,
                        hari_ini=hari_ini,
                    ),
                    "dimulai": (k.tahun, tw) <= sekarang,
                    "url": reverse("rencana_aksi:realisasi", args=[aksi.pk, k.tahun, tw]),
                }
                for tw in ROMAWI
            ],
        }
        for k in keadaan
    ]


# --- An action's history --------------------------------------------------------------------

# The supporting agencies as each history record saw them (simple-history's m2m history).
PENDUKUNG_LAMA = "historicalaksi_opd_pendukung_set"
RIWAYAT_AKSI = [name for name in services.DataAksi.FIELDS if name != "opd_utama"]
RIWAYAT_TARGET = [
    ("target", gettext_lazy("target"), "bilangan"),
    ("pagu", gettext_lazy("pagu"), "rupiah"),
    ("sumber_dana", gettext_lazy("sumber dana"), "teks"),
]


def _nilai_riwayat(record, name) -> str:
    value = getattr(record, name)
    if name == "klaster":
        return KLASTER_SINGKAT.get(value, value)
    if name == "status":
        return str(Aksi.Status(value).label) if value in Aksi.Status.values else value
    return "—" if value in (None, "") else str(value)[:120]


def _isi_aksi(baru, lama, nama_opd: dict) -> list[str]:
    """What an action's history record changed against the one before (None: it was made)."""
    if lama is None:
        return [_("Aksi dibuat")]
    isi = []
    for name in RIWAYAT_AKSI:
        if getattr(lama, name) != getattr(baru, name):
            label = capfirst(Aksi._meta.get_field(name).verbose_name)
            isi.append(f"{label}: {_nilai_riwayat(baru, name)}")
    if lama.opd_utama_id != baru.opd_utama_id:
        isi.append(f"{_('OPD penanggung jawab')}: {nama_opd.get(baru.opd_utama_id, '—')}")
    pendukung_lama = {m.opd_id for m in getattr(lama, PENDUKUNG_LAMA).all()}
    pendukung_baru = {m.opd_id for m in getattr(baru, PENDUKUNG_LAMA).all()}
    if pendukung_lama != pendukung_baru:
        nama = sorted(nama_opd.get(p, "?") for p in pendukung_baru)
        isi.append(f"{_('OPD pendukung')}: {', '.join(nama) or '—'}")
    return isi


def _isi_target(baru, lama) -> list[tuple]:
    """What a yearly target's history record changed against the year's one before."""
    isi = []
    for name, label, jenis in RIWAYAT_TARGET:
        value = getattr(baru, name)
        if (lama is None and value not in (None, "")) or (
            lama is not None and getattr(lama, name) != value
        ):
            if name == "sumber_dana" and value in SumberDana.values:
                value = SumberDana(value).label
            isi.append((str(label), value, jenis))
    return isi


def riwayat_aksi(aksi: Aksi) -> list[dict]:
    """The action's changes, newest first: its own fields, its lead and supporting agencies
    (names read once) and its yearly targets, compared in memory (no query per record)."""
    rekaman = list(
        aksi.history.select_related("history_user")
        .prefetch_related(PENDUKUNG_LAMA)
        .order_by("-history_date", "-history_id")[:60]
    )
    target = list(
        TargetTahunan.history.filter(aksi_id=aksi.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:100]
    )
    nama_opd = dict(
        Opd.objects.filter(
            Q(pk__in={r.opd_utama_id for r in rekaman})
            | Q(pk__in={m.opd_id for r in rekaman for m in getattr(r, PENDUKUNG_LAMA).all()})
        ).values_list("pk", "singkatan")
    )
    hasil = []
    for i, baru in enumerate(rekaman):
        lama = rekaman[i + 1] if i + 1 < len(rekaman) else None
        isi = _isi_aksi(baru, lama, nama_opd)
        if isi:
            hasil.append({"waktu": baru.history_date, "oleh": baru.history_user, "isi": isi})
    for i, baru in enumerate(target):
        lama = next((r for r in target[i + 1 :] if r.tahun == baru.tahun), None)
        isi = _isi_target(baru, lama)
        if isi:
            hasil.append(
                {
                    "waktu": baru.history_date,
                    "oleh": baru.history_user,
                    "tahun": baru.tahun,
                    "target": isi,
                }
            )
    hasil.sort(key=lambda h: h["waktu"], reverse=True)
    return hasil
