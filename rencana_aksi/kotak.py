"""The agency's inbox of quarterly reports: every quarter of the window (``jendela_laporan``) of
the actions the person's agencies lead that asks something of them (to fill in, late, returned,
waiting for the head), read a page at a time from the database. A quarter's categories are
worked out in SQL by rencana_aksi.pemantauan.angka_sql, the same definitions as ``keadaan``
(tests/rencana_aksi/test_kecepatan.py compares both). Building those expressions costs far more
than running them, so the counts and the page are read through sql_tersimpan.baca_tersimpan: their
SQL is built once per agencies, day, category and page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Peran
from clusters import alur
from kla_portal import sql_tersimpan
from kla_portal.templatetags.portal import sel
from rencana_aksi import pemantauan, services
from rencana_aksi.models import Aksi, Realisasi, batas_lapor
from rencana_aksi.selectors import BELUM, triwulan_berjalan
from rencana_aksi.tabel import ROMAWI

KATEGORI = [
    ("perlu_diisi", gettext_lazy("Perlu diisi")),
    ("terlambat", gettext_lazy("Terlambat")),
    ("dikembalikan", gettext_lazy("Dikembalikan")),
    ("menunggu_kepala", gettext_lazy("Menunggu persetujuan kepala")),
]


def jendela_laporan(hari_ini) -> list[tuple[int, int]]:
    """The quarters an agency works on now: every quarter of this year up to the current one,
    and the last quarter of last year while its report (due 15 January) is still recent."""
    tahun, tw = triwulan_berjalan(hari_ini)
    jendela = [(tahun, q) for q in range(1, tw + 1)]
    if tw == 1:
        jendela.insert(0, (tahun - 1, 4))
    return jendela


@dataclass
class KotakLaporan:
    """The agency's inbox of reports, named as the page's template reads it."""

    halaman: Page | None = None  # the page of rows shown (of the chosen category)
    items: list[dict] = field(default_factory=list)  # that page's rows
    jumlah: int = 0
    tabs: list[tuple] = field(default_factory=list)  # (category, label, count)
    pilihan: str = ""
    kepala: bool = False
    alasan_setujui: list[str] = field(default_factory=list)
    punya_opd: bool = False


LAPORAN_PER_HALAMAN = 50
KOLOM_AKSI = ("kode", "nama", "indikator_kinerja", "satuan")  # read by the page's rows
_KOLOM_KATEGORI = [f"l_{k}" for k, _label in KATEGORI]


# The columns of pemantauan.angka_sql the inbox reads.
DIPAKAI = {"target", *(f"{k}{tw}" for k in ("s", "telat", "d") for tw in pemantauan.TRIWULAN)}


def _kategori_sql(tahun: int, tw: int) -> dict[str, Q]:
    """What a quarter's report asks of the agency now, on actions through angka_sql(tahun)."""
    status = f"k{tahun}_s{tw}"
    telat = Q(**{f"k{tahun}_telat{tw}": True})
    return {
        "perlu_diisi": (Q(**{f"{status}__isnull": True}) | Q(**{status: alur.Status.DRAFT}))
        & ~telat
        & ~Q(status__in=pemantauan.BERHENTI),
        "terlambat": telat,
        "dikembalikan": Q(**{status: alur.Status.DIKEMBALIKAN}),
        "menunggu_kepala": Q(**{status: alur.Status.MENUNGGU_KEPALA}),
    }


def _apa_saja(kondisi) -> Q:
    hasil = Q()
    for q in kondisi:
        hasil |= q
    return hasil


def _aksi_opd(opd_ids: set[int]):
    """The actions the agencies lead, in any plan: what the kept SQL is keyed by."""
    return Aksi.objects.filter(opd_utama_id__in=sorted(opd_ids))


def _aksi_laporan(opd_ids: set[int], tahun: int, hari_ini):
    """The actions the agencies lead in the plan covering ``tahun``, with its figures."""
    return (
        _aksi_opd(opd_ids)
        .filter(
            periode__tahun_mulai__lte=tahun,
            periode__tahun_selesai__gte=tahun,
        )
        .alias(**pemantauan.angka_sql(tahun, hari_ini, hanya=DIPAKAI))
    )


def _baris_laporan(opd_ids: set[int], hari_ini, kategori: str):
    """Every quarter of the window (jendela_laporan) of the actions the agencies lead that asks
    something of them (``kategori`` only, when given), by due date then code: one query over
    the window, a row per quarter (pk, kode, l_tahun, l_tw, l_status, l_target, l_dikirim,
    l_<category>)."""
    bagian = []
    for tahun, tw in jendela_laporan(hari_ini):
        kondisi = _kategori_sql(tahun, tw)
        pilih = kondisi[kategori] if kategori else _apa_saja(kondisi.values())
        bagian.append(
            _aksi_laporan(opd_ids, tahun, hari_ini)
            .annotate(
                l_tahun=Value(tahun),
                l_tw=Value(tw),
                l_status=Coalesce(f"k{tahun}_s{tw}", Value(BELUM)),
                l_target=F(f"k{tahun}_target"),
                l_dikirim=F(f"k{tahun}_d{tw}"),
                **{f"l_{k}": pemantauan.kondisi(q) for k, q in kondisi.items()},
            )
            .filter(pilih)
            .order_by()
            .values(
                "pk",
                "kode",
                "l_tahun",
                "l_tw",
                "l_status",
                "l_target",
                "l_dikirim",
                *_KOLOM_KATEGORI,
            )
        )
    semua = bagian[0].union(*bagian[1:], all=True) if len(bagian) > 1 else bagian[0]
    return semua.order_by("l_tahun", "l_tw", "kode")


def _hitung_laporan(opd_ids: set[int], hari_ini) -> tuple[int, Counter]:
    """How many quarters of the window ask something, and how many each category: a query a
    year of the window."""
    jumlah, counts = 0, Counter()
    jendela = jendela_laporan(hari_ini)
    for tahun in sorted({t for t, _tw in jendela}):
        kuartal = [tw for t, tw in jendela if t == tahun]

        def bangun(tahun=tahun, kuartal=kuartal):
            agregat = {}
            for tw in kuartal:
                kondisi = _kategori_sql(tahun, tw)
                agregat[f"semua{tw}"] = Count("pk", filter=_apa_saja(kondisi.values()))
                agregat |= {f"{k}{tw}": Count("pk", filter=q) for k, q in kondisi.items()}
            # A constant is left out of GROUP BY: one row of counts over every action.
            return (
                _aksi_laporan(opd_ids, tahun, hari_ini)
                .annotate(satu=Value(1))
                .values("satu")
                .annotate(**agregat)
                .order_by()
            )

        kunci = sql_tersimpan.kunci_sql(_aksi_opd(opd_ids), "kotak", tahun, hari_ini)
        [baris] = sql_tersimpan.baca_tersimpan(kunci, bangun)
        for nama, n in baris.items():
            if nama.startswith("semua"):
                jumlah += n
            elif nama != "satu":
                counts[nama[:-1]] += n
    return jumlah, counts


class _Baris:
    """The rows of ``_baris_laporan`` as Paginator reads them: how many (known from the
    counts, so the paginator asks no COUNT of its own) and a slice, read through the kept SQL."""

    def __init__(self, opd_ids: set[int], hari_ini, kategori: str, jumlah: int):
        self.opd_ids, self.hari_ini, self.kategori, self.jumlah = (
            opd_ids,
            hari_ini,
            kategori,
            jumlah,
        )

    def __len__(self) -> int:
        return self.jumlah

    def __getitem__(self, irisan: slice) -> list[dict]:
        if irisan.start >= irisan.stop:
            return []

        def bangun():
            return _baris_laporan(self.opd_ids, self.hari_ini, self.kategori)[irisan]

        kunci = sql_tersimpan.kunci_sql(
            _aksi_opd(self.opd_ids),
            "kotak-baris",
            self.hari_ini,
            self.kategori,
            irisan.start,
            irisan.stop,
        )
        return sql_tersimpan.baca_tersimpan(kunci, bangun)


def _item(row: dict, aksi: dict[int, Aksi], hari_ini) -> dict:
    tahun, tw = row["l_tahun"], row["l_tw"]
    return {
        "hari_terlambat": pemantauan.hari_terlambat(
            tahun,
            tw,
            status=row["l_status"],
            dikirim=row["l_dikirim"],
            terlambat=bool(row["l_terlambat"]),
            hari_ini=hari_ini,
        ),
        "aksi": aksi[row["pk"]],
        "tahun": tahun,
        "triwulan": tw,
        "romawi": ROMAWI[tw],
        "status": row["l_status"],
        "kategori": {k for k, _label in KATEGORI if row[f"l_{k}"]},
        "batas": batas_lapor(tahun, tw),
        "target": row["l_target"],
    }


def _teks(items: list[dict]) -> None:
    """What the page prints of each row besides its state, formatted here once per action,
    target and quarter rather than by the template on every row: the report's address, the
    action's name and indicator cut as the page cuts them, the target and the due date."""
    per_aksi: dict[int, tuple[str, str]] = {}
    per_target: dict = {}
    per_batas: dict = {}
    for item in items:
        a = item["aksi"]
        if a.pk not in per_aksi:
            per_aksi[a.pk] = (truncatechars(a.nama, 120), truncatechars(a.indikator_kinerja, 100))
        if item["target"] not in per_target:
            per_target[item["target"]] = sel(item["target"], "bilangan")
        if item["batas"] not in per_batas:
            per_batas[item["batas"]] = date_format(item["batas"], "j M Y")
        item["nama"], item["indikator"] = per_aksi[a.pk]
        item["target_teks"] = per_target[item["target"]]
        item["batas_teks"] = per_batas[item["batas"]]
        item["url"] = reverse(
            "rencana_aksi:realisasi", args=[a.pk, item["tahun"], item["triwulan"]]
        )


def _menunggu(opd_ids: set[int], hari_ini):
    """The reports of the window waiting for a head, of the actions the agencies lead in the plan
    covering their year: the inbox's *Menunggu persetujuan kepala*."""
    di_jendela = _apa_saja(Q(tahun=t, triwulan=tw) for t, tw in jendela_laporan(hari_ini))
    return Realisasi.objects.filter(
        di_jendela,
        aksi__opd_utama_id__in=opd_ids,
        aksi__periode__tahun_mulai__lte=F("tahun"),
        aksi__periode__tahun_selesai__gte=F("tahun"),
        status=alur.Status.MENUNGGU_KEPALA,
    )


def _kirim_sendiri(user, opd_ids: set[int], hari_ini) -> dict[tuple[int, int, int], str]:
    """For the reports of the window waiting for the head that this head sent themselves, why
    they may not approve them and who can: (action, year, quarter) → reason. One query, and
    one per lead agency concerned (a head leads one or two)."""
    sendiri = (
        _menunggu(opd_ids, hari_ini).filter(dikirim_oleh=user).select_related("aksi__opd_utama")
    )
    per_opd: dict[int, str] = {}
    hasil = {}
    for laporan in sendiri:
        opd_id = laporan.aksi.opd_utama_id
        if opd_id not in per_opd:
            per_opd[opd_id] = alur.alasan_tidak_dapat_disetujui(
                laporan, user, penyetuju=lambda r=laporan: services.penyetuju(r), jenis=_("laporan")
            )
        hasil[(laporan.aksi_id, laporan.tahun, laporan.triwulan)] = per_opd[opd_id]
    return hasil


def antrean_kepala(*, user, hari_ini):
    """The reports of the window waiting for this head's approval, oldest first; none for
    anyone else (without a query)."""
    opd_ids = {k.opd_id for k in user.keanggotaan_aktif if k.opd_id and k.peran == Peran.KEPALA_OPD}
    if not opd_ids:
        return Realisasi.objects.none()
    return _menunggu(opd_ids, hari_ini).order_by("diubah", "pk")


def antrean_setujui(*, user, hari_ini):
    """What this head may approve now: the reports waiting for them that they did not send
    themselves (four eyes), oldest first."""
    return antrean_kepala(user=user, hari_ini=hari_ini).exclude(dikirim_oleh=user)


def menunggu_kepala(*, user, hari_ini) -> int:
    """How many reports of the head's agencies wait for a head's approval (0 for anyone else,
    without a query): *Tugas saya* shows them beside the answers waiting for the same head."""
    return antrean_kepala(user=user, hari_ini=hari_ini).count()


def _opd_pelapor(user) -> set[int]:
    """The agencies whose reports the person fills in or approves."""
    return {
        k.opd_id
        for k in user.keanggotaan_aktif
        if k.opd_id and k.peran in (Peran.OPERATOR_OPD, Peran.KEPALA_OPD)
    }


def jumlah_kategori(*, user, hari_ini) -> dict[str, int]:
    """The inbox's counts per category (KATEGORI) without its rows, for the home page: the
    same kept queries as ``kotak_laporan``'s tabs; empty, without a query, for a person of
    no agency."""
    opd_ids = _opd_pelapor(user)
    if not opd_ids:
        return {}
    _jumlah, counts = _hitung_laporan(opd_ids, hari_ini)
    return {v: counts.get(v, 0) for v, _label in KATEGORI}


def kotak_laporan(*, user, kategori: str, hari_ini, halaman=None) -> KotakLaporan:
    """The quarterly reports of the actions the person's agencies lead: to fill in, late,
    returned, waiting for the head (only ``kategori`` when it is one of KATEGORI), 50 a page
    read from the database (``halaman``: the page number asked for); for a head, why they may
    not approve the reports they sent themselves."""
    opd_ids = _opd_pelapor(user)
    kepala = user.has_role(Peran.KEPALA_OPD)
    if kategori not in dict(KATEGORI):
        kategori = ""
    if not opd_ids:
        return KotakLaporan(tabs=[(v, label, 0) for v, label in KATEGORI], kepala=kepala)
    jumlah, counts = _hitung_laporan(opd_ids, hari_ini)
    baris = _Baris(opd_ids, hari_ini, kategori, counts[kategori] if kategori else jumlah)
    page = Paginator(baris, LAPORAN_PER_HALAMAN).get_page(halaman)
    # what the rows show of their actions, not the long descriptions
    aksi = Aksi.objects.only(*KOLOM_AKSI).in_bulk({row["pk"] for row in page})
    items = [_item(row, aksi, hari_ini) for row in page]
    _teks(items)
    kirim_sendiri = _kirim_sendiri(user, opd_ids, hari_ini) if kepala else {}
    for item in items:
        item["alasan_setujui"] = kirim_sendiri.get(
            (item["aksi"].pk, item["tahun"], item["triwulan"]), ""
        )
    return KotakLaporan(
        halaman=page,
        items=items,
        jumlah=jumlah,
        tabs=[(v, label, counts.get(v, 0)) for v, label in KATEGORI],
        pilihan=kategori,
        kepala=kepala,
        alasan_setujui=sorted(set(kirim_sendiri.values())),
        punya_opd=True,
    )
