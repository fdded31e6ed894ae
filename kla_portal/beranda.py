"""What the home page shows each role: one function per section, each reading through the
selectors the section's own pages use (the task inbox, the RAD inbox and dashboard, the score
snapshot, the follow-ups), so a figure on the home page is the figure its page shows.

``bagian(user, hari_ini)`` picks the sections a person has, by their roles and permissions; a
person with several roles gets each. Every section costs a fixed number of queries, whatever
the number of answers, reports and follow-ups (tests/kla_portal/test_beranda_peran.py).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.utils import timezone

from agencies.fasilitas import KECAMATAN, baca_cakupan
from agencies.models import Opd, Peran, User, Wilayah
from clusters import alur, dasbor
from clusters import selectors as clusters_selectors
from clusters.models import SkorSnapshot, TahunEvaluasi
from koordinasi.models import TindakLanjut, opd_kerja
from rencana_aksi import kotak as kotak_rad
from rencana_aksi import selectors as rad_selectors

TENGGAT_DEKAT = 14  # days ahead in which an open follow-up counts as "due soon"
TERATAS = 5  # agencies listed in the leadership's "points at stake"


@dataclass
class Beranda:
    """The sections of one person's home page (None: the person does not have it)."""

    tahun: TahunEvaluasi | None = None
    tugas: dict | None = None  # operators: questions, deadline, RAD reports, follow-ups
    unit: list[dict] = field(default_factory=list)  # area operators: their units
    persetujuan: dict | None = None  # heads: what waits for their approval
    verifikasi: dict | None = None  # the secretariat's queue
    tinjauan: dict | None = None  # Bappeda's queue
    pimpinan: dict | None = None  # city-wide roles: score, distance, late agencies, at stake
    skor: dict | None = None  # agency staff: the city's score card
    angka_kota: dict | None = None  # city-wide roles: agencies, people, areas
    provinsi: dict | None = None  # the province's roles: PROVILA, the verifier's cities


def bagian(user, hari_ini: datetime.date) -> Beranda:
    """The person's home page: each section they have, by role and permission."""
    tahun = TahunEvaluasi.objects.terkini()
    hasil = Beranda(tahun=tahun)
    operator = user.has_role(Peran.OPERATOR_OPD, Peran.OPERATOR_WILAYAH)
    if operator:
        hasil.tugas = tugas_operator(user, tahun, hari_ini)
    if user.has_role(Peran.OPERATOR_WILAYAH):
        hasil.unit = unit_operator(user, hasil.tugas["items"] if hasil.tugas else [])
    if user.has_role(Peran.KEPALA_OPD):
        hasil.persetujuan = persetujuan_kepala(user, tahun, hari_ini)
    if user.has_perm("clusters.verifikasi_jawaban"):
        hasil.verifikasi = antrean_sekretariat(user, tahun, hari_ini)
    if user.has_perm("rencana_aksi.tinjau_realisasi"):
        hasil.tinjauan = antrean_bappeda(hari_ini)
    seluruh_kota = user.has_perm("agencies.view_seluruh_kota")
    if seluruh_kota and user.has_perm("clusters.lihat_skor"):
        hasil.pimpinan = ringkasan_pimpinan(user, tahun, hari_ini)
    elif user.has_role(Peran.OPERATOR_OPD, Peran.KEPALA_OPD):
        # Agency staff keep the city's card; an area operator reads their unit's progress.
        hasil.skor = skor_kota(tahun, user)
    if seluruh_kota:
        hasil.angka_kota = angka_kota(user)
    if tahun is not None and user.has_perm("agencies.pantau_provinsi"):
        hasil.provinsi = ringkasan_provinsi(user, tahun, hari_ini)
    return hasil


def ringkasan_provinsi(user, tahun: TahunEvaluasi, hari_ini) -> dict | None:
    """The province's readiness for PROVILA (provinsi.dasbor) and, for a verifier, the
    answers waiting in each of their cities."""
    from provinsi import dasbor as dasbor_provinsi
    from provinsi.services import provinsi_dari

    provinsi = provinsi_dari(user)
    if provinsi is None:
        return None
    isi = dasbor_provinsi.baca(provinsi, tahun, hari_ini)
    return {
        "provinsi": provinsi,
        "provila": isi.provila,
        "kota": [
            (b.kota, b.vp.get("menunggu", 0))
            for b in isi.baris
            if b.kota.pk in user.kota_verifikasi_ids()
        ],
    }


# --- Operators ----------------------------------------------------------------------------


def _batas(tahun: TahunEvaluasi | None, perpanjangan: list, hari_ini) -> dict | None:
    """The sending deadline that holds for the person (their agency's extension, if any, else
    the year's) and the days left (negative once passed)."""
    if tahun is None or tahun.batas_waktu is None:
        return None
    waktu = max([tahun.batas_waktu, *(p.sampai for p in perpanjangan)])
    sisa = (timezone.localtime(waktu).date() - hari_ini).days
    return {
        "waktu": waktu,
        "diperpanjang": waktu != tahun.batas_waktu,
        "sisa_hari": sisa,
        "lewat_hari": max(-sisa, 0),
    }


def _tindak_lanjut(opd_ids: set[int], hari_ini) -> dict:
    """The agencies' open follow-ups: how many, past due, due within TENGGAT_DEKAT days, and
    the nearest due date. One query."""
    dekat = hari_ini + datetime.timedelta(days=TENGGAT_DEKAT)
    return (
        TindakLanjut.objects.filter(opd_id__in=opd_ids)
        .terbuka()
        .aggregate(
            terbuka=Count("pk"),
            lewat=Count("pk", filter=Q(tenggat__lt=hari_ini)),
            segera=Count("pk", filter=Q(tenggat__gte=hari_ini, tenggat__lte=dekat)),
            terdekat=Min("tenggat", filter=Q(tenggat__gte=hari_ini)),
        )
    )


def tugas_operator(user, tahun: TahunEvaluasi | None, hari_ini) -> dict:
    """An operator's work now: their questions unanswered, draft and returned (the *Tugas
    saya* inbox's counts) and overdue, the deadline and days left, their agency's quarterly
    RAD reports to send, and their follow-ups."""
    kotak = clusters_selectors.kotak_masuk(user=user, tahun=tahun)
    jumlah = {value: n for value, _label, n in kotak.tabs}
    opd = opd_kerja(user)
    return {
        "items": kotak.items,
        "belum": jumlah.get(clusters_selectors.BELUM, 0),
        "draft": jumlah.get(alur.Status.DRAFT, 0),
        "dikembalikan": jumlah.get(alur.Status.DIKEMBALIKAN, 0),
        "terlambat": sum(1 for item in kotak.items if item["terlambat"]),
        "jumlah": kotak.jumlah,
        "batas": _batas(tahun, kotak.perpanjangan, hari_ini),
        "rad": kotak_rad.jumlah_kategori(user=user, hari_ini=hari_ini)
        if user.has_role(Peran.OPERATOR_OPD)
        else {},
        "tindak_lanjut": _tindak_lanjut(opd, hari_ini) if opd else None,
    }


def unit_operator(user, items: list[dict]) -> list[dict]:
    """An area operator's units: their questions' progress (from the inbox's rows) and the
    facilities registered there (a kecamatan also counts its kelurahan that have each)."""
    hasil = []
    for k in user.keanggotaan_aktif:
        if k.peran != Peran.OPERATOR_WILAYAH or not k.wilayah_id:
            continue
        unit = k.wilayah
        status = Counter(item["status"] for item in items if item["unit"] == unit)
        terkirim = sum(status[s] for s in dasbor.SELESAI)
        jumlah = sum(status.values())
        cakupan = baca_cakupan(Wilayah.objects.di_dalam(unit))
        fasilitas = []
        for jenis in cakupan.jenis:
            if not jenis.berlaku_untuk(unit.tingkat):
                continue
            kelurahan = None
            if unit.tingkat == KECAMATAN and jenis.untuk_kelurahan:
                kelurahan = cakupan.per_kecamatan.get((unit.pk, jenis.pk))
            fasilitas.append(
                {"jenis": jenis, "ada": cakupan.punya(unit.pk, jenis), "kelurahan": kelurahan}
            )
        hasil.append(
            {
                "wilayah": unit,
                "jumlah": jumlah,
                "terkirim": terkirim,
                "terverifikasi": status[alur.Status.TERVERIFIKASI],
                "persen": dasbor.persen(terkirim, jumlah),
                "fasilitas": fasilitas,
            }
        )
    return hasil


# --- Heads --------------------------------------------------------------------------------


def persetujuan_kepala(user, tahun: TahunEvaluasi | None, hari_ini) -> dict:
    """What waits for this head's approval: answers (*Tugas saya*'s box) and quarterly RAD
    reports (the RAD inbox's *Menunggu persetujuan kepala*) that this head may approve (not
    what they sent themselves), the same queues the approval steps walk through. Two
    COUNTs."""
    jawaban = clusters_selectors.antrean_setujui(user, tahun).count() if tahun else 0
    rad = kotak_rad.antrean_setujui(user=user, hari_ini=hari_ini).count()
    return {"jawaban": jawaban, "rad": rad, "jumlah": jawaban + rad}


# --- The secretariat and Bappeda ----------------------------------------------------------


def antrean_sekretariat(user, tahun: TahunEvaluasi | None, hari_ini) -> dict:
    """The secretariat's queues: answers approved by their heads waiting for verification (how
    many, since when) and the city's follow-ups past due. Two queries."""
    antrean = {"jumlah": 0, "sejak": None}
    if tahun is not None:
        antrean = (
            clusters_selectors.antrean_verifikasi(tahun, daerah_id=user.daerah_id)
            .order_by()
            .aggregate(jumlah=Count("pk"), sejak=Min("diubah"))
        )
    return {
        **antrean,
        "tindak_lanjut_lewat": TindakLanjut.objects.visible_to(user)
        .lewat_tenggat(hari_ini)
        .count(),
    }


def antrean_bappeda(hari_ini) -> dict:
    """Bappeda's queue: quarterly reports approved by their heads waiting for review (the
    *Tinjauan Bappeda* queue), how many and since when. One query."""
    return (
        rad_selectors.antrean_tinjauan(opd_id=None)
        .order_by()
        .aggregate(jumlah=Count("pk"), sejak=Min("diubah"))
    )


# --- Leadership ---------------------------------------------------------------------------


def skor_kota(tahun: TahunEvaluasi | None, user) -> dict | None:
    """The newest year's score card of the person's city: totals and categories from its
    snapshot."""
    snapshot = SkorSnapshot.objects.terbaru(tahun, daerah_id=user.daerah_id) if tahun else None
    if snapshot is None:
        return None
    return {
        "tahun": tahun,
        "snapshot": snapshot,
        "sedang_dihitung": snapshot.perlu_dihitung_sejak is not None,
        **dasbor.ringkasan(snapshot.rincian_skor),
    }


def ringkasan_pimpinan(user, tahun: TahunEvaluasi | None, hari_ini) -> dict | None:
    """One screen for the leadership: the score card with each total's category and the points
    to the next one (the summary's ``ringkasan``), the agencies late with answers (past their
    deadline with questions unsent, as *Kelengkapan* counts them) and with this quarter's RAD
    reports (the RAD dashboard's *belum lapor*), and the agencies with most points at stake
    (*Poin yang hilang*)."""
    skor = skor_kota(tahun, user)
    if skor is None:
        return None
    rincian = skor["snapshot"].rincian_skor
    lewat = tahun.opd_lewat_batas({o.id for o in rincian.opd if o.id})
    terlambat: Counter = Counter()
    for row in rincian.kelengkapan:
        if row.opd_id:
            terlambat[row.opd_id] += row.terlambat(lewat)
    nama = rincian.singkatan_opd
    _tabel, hilang = dasbor.hilang_per_opd(rincian, dasbor.Lingkup(seluruh_kota=True))
    triwulan, belum_lapor = rad_selectors.belum_lapor_kota(user=user, hari_ini=hari_ini)
    return {
        **skor,
        "jawaban_terlambat": sorted(
            ({"id": i, "nama": nama.get(i, ""), "jumlah": n} for i, n in terlambat.items() if n),
            key=lambda r: (-r["jumlah"], r["nama"]),
        ),
        "rad_triwulan": triwulan,
        "rad_terlambat": sorted(belum_lapor, key=lambda r: (-r["jumlah"], r["opd"].singkatan)),
        "hilang": [r for r in hilang if r["id"] and r["berisiko"] > 0][:TERATAS],
    }


def angka_kota(user) -> dict:
    """The agencies, people, kecamatan and kelurahan of the person's city."""
    kabkota = user.daerah
    wilayah = Wilayah.objects.di_dalam(kabkota) if kabkota else Wilayah.objects.none()
    return {
        "opd": Opd.objects.visible_to(user).aktif().count(),
        "pengguna": User.objects.visible_to(user).filter(is_active=True).count(),
        "kecamatan": wilayah.kecamatan().count(),
        "desa_kelurahan": wilayah.desa_kelurahan().count(),
    }
