"""The province dashboard: every kab/kota of the province in one table, and PROVILA readiness.

Read in a fixed number of queries whatever the number of cities (tests/provinsi): the cities,
their newest snapshots, their rounds of the year, their answers and the province's checks
counted per city, their RAD figures and budgets per city (rencana_aksi.pemantauan's SQL, for
the calendar year under way: the plan's current year), the year's questions and categories.

Which total places a city (``dasar``): the province's, once the province finished verifying
it; before that the total its secretariat verified. A province earns PROVILA when every
kab/kota of the Kemendagri list reaches a KLA category (Pratama or higher); a kab/kota the
portal does not serve yet stands between the province and PROVILA too, its figures unknown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Wilayah
from agencies.services.wilayah import kabkota_di_provinsi
from clusters import alur, scoring
from clusters.models import EvaluasiDaerah, Jawaban, Pertanyaan, SkorSnapshot, TahunEvaluasi
from clusters.models import VerifikasiProvinsi as Vp
from clusters.services.skor import ambang
from kla_portal.ekspor import Kolom, Tabel
from kla_portal.persen import persen
from rencana_aksi import pemantauan
from rencana_aksi.models import Aksi, AnggaranDaerah

DIKIRIM_OPD = (
    alur.Status.MENUNGGU_KEPALA,
    alur.Status.MENUNGGU_VERIFIKASI,
    alur.Status.TERVERIFIKASI,
)
DASAR = gettext_lazy(
    "Poin yang menempatkan kab/kota: poin verifikasi provinsi bila provinsi sudah selesai "
    "memverifikasinya, selain itu poin terverifikasi Sekretariat kab/kota."
)


@dataclass
class BarisKota:
    kota: Wilayah
    evaluasi: EvaluasiDaerah | None
    snapshot: SkorSnapshot | None
    pertanyaan: int
    terisi: int = 0  # city-level answers sent by the agencies (or further)
    terverifikasi: int = 0
    vp: dict = field(default_factory=dict)  # the province's checks per status
    rad: pemantauan.Jumlah | None = None
    porsi: pemantauan.PorsiAnak | None = None
    ambang: list = field(default_factory=list)
    hari_ini: datetime.date | None = None

    @property
    def status(self) -> str:
        return (
            self.evaluasi.status_provinsi if self.evaluasi else EvaluasiDaerah.StatusProvinsi.BELUM
        )

    @property
    def status_label(self) -> str:
        return EvaluasiDaerah.StatusProvinsi(self.status).label

    @property
    def dasar(self) -> Decimal | None:
        if self.snapshot is None:
            return None
        if (
            self.status == EvaluasiDaerah.StatusProvinsi.SELESAI
            and self.snapshot.total_provinsi is not None
        ):
            return self.snapshot.total_provinsi
        return self.snapshot.total_verifikasi

    @property
    def kategori(self) -> str:
        return (
            scoring.kategori(self.dasar, self.ambang) if self.dasar is not None else scoring.BELUM
        )

    @property
    def berikut(self) -> tuple[str, Decimal | None]:
        if self.dasar is None:
            return "", None
        return scoring.kategori_berikut(self.dasar, self.ambang)

    @property
    def kelengkapan(self) -> Decimal | None:
        return persen(Decimal(self.terisi), Decimal(self.pertanyaan))

    @property
    def terlambat_hari(self) -> int | None:
        """Days past the province's deadline with the year not sent."""
        batas = self.evaluasi.batas_kirim if self.evaluasi else None
        if batas is None or self.status != EvaluasiDaerah.StatusProvinsi.BELUM:
            return None
        lewat = (self.hari_ini - batas).days
        return lewat if lewat > 0 else None

    @property
    def progres_provinsi(self) -> Decimal | None:
        semua = sum(self.vp.values())
        return persen(Decimal(self.vp.get(Vp.Status.DITERIMA, 0)), Decimal(semua))


@dataclass
class Provila:
    """Which kab/kota stand between the province and PROVILA, by how many points."""

    semua: int  # kab/kota of the province in the Kemendagri list
    berkategori: list[BarisKota]
    kurang: list[tuple[BarisKota, Decimal]]  # served, below the first category: points short
    belum_dilayani: list[tuple[str, str]]
    batas: Decimal | None  # the first category's lower bound

    @property
    def siap(self) -> bool:
        return len(self.berkategori) == self.semua


@dataclass
class Dasbor:
    provinsi: Wilayah
    tahun: TahunEvaluasi
    baris: list[BarisKota]
    provila: Provila
    tahun_rad: int  # the RAD's figures are this calendar year's (the plan under way)


def baca(provinsi: Wilayah, tahun: TahunEvaluasi, hari_ini: datetime.date) -> Dasbor:
    kota = list(Wilayah.objects.dilayani().filter(induk=provinsi).order_by("kode"))
    ids = [k.pk for k in kota]
    terbaru = (
        SkorSnapshot.objects.filter(tahun=tahun, daerah_id=OuterRef("daerah_id"))
        .order_by("-data_per")
        .values("pk")[:1]
    )
    snapshot = {
        s.daerah_id: s
        for s in SkorSnapshot.objects.filter(tahun=tahun, daerah_id__in=ids)
        .filter(pk=Subquery(terbaru))
        .defer("rincian")
    }
    evaluasi = {
        e.daerah_id: e for e in EvaluasiDaerah.objects.filter(tahun=tahun, daerah_id__in=ids)
    }
    jawaban = {
        row["daerah_id"]: row
        for row in Jawaban.objects.filter(daerah_id__in=ids, pertanyaan__tahun=tahun, wilayah=None)
        .values("daerah_id")
        .annotate(
            terisi=Count("pk", filter=Q(status__in=DIKIRIM_OPD)),
            terverifikasi=Count("pk", filter=Q(status=alur.Status.TERVERIFIKASI)),
        )
        .order_by()
    }
    vp: dict[int, dict] = {}
    for daerah_id, status, n in (
        Vp.objects.filter(daerah_id__in=ids, jawaban__pertanyaan__tahun=tahun)
        .values_list("daerah_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        vp.setdefault(daerah_id, {})[status] = n
    rad, porsi = _rad(ids, hari_ini.year, hari_ini)
    pertanyaan = Pertanyaan.objects.filter(tahun=tahun).count()
    batas = ambang(tahun)
    baris = [
        BarisKota(
            kota=k,
            evaluasi=evaluasi.get(k.pk),
            snapshot=snapshot.get(k.pk),
            pertanyaan=pertanyaan,
            terisi=jawaban.get(k.pk, {}).get("terisi", 0),
            terverifikasi=jawaban.get(k.pk, {}).get("terverifikasi", 0),
            vp=vp.get(k.pk, {}),
            rad=rad.get(k.pk),
            porsi=porsi.get(k.pk),
            ambang=batas,
            hari_ini=hari_ini,
        )
        for k in kota
    ]
    return Dasbor(provinsi, tahun, baris, _provila(provinsi, baris, batas), hari_ini.year)


def _rad(ids: list[int], tahun: int, hari_ini: datetime.date) -> tuple[dict, dict]:
    """Per city, its RAD figures of the year (the plans covering it) and the children's share
    of its budget: one aggregate grouped by city, and the budgets."""
    rows = (
        Aksi.objects.filter(
            daerah_id__in=ids, periode__tahun_mulai__lte=tahun, periode__tahun_selesai__gte=tahun
        )
        .alias(**pemantauan.angka_sql(tahun, hari_ini))
        .values("daerah_id")
        .annotate(**pemantauan.agregat_sql(tahun))
        .order_by()
    )
    apbd = dict(
        AnggaranDaerah.objects.filter(daerah_id__in=ids, tahun=tahun).values_list(
            "daerah_id", "total"
        )
    )
    rad, porsi = {}, {}
    for row in rows:
        rad[row["daerah_id"]] = pemantauan.jumlah_dari(row, tahun, "")
        porsi[row["daerah_id"]] = pemantauan.porsi_dari([row], tahun, apbd.get(row["daerah_id"]))
    return rad, porsi


def _provila(provinsi: Wilayah, baris: list[BarisKota], batas: list) -> Provila:
    pertama = batas[0][1] if batas else None
    dilayani = {b.kota.kode for b in baris}
    berkategori = [b for b in baris if b.kategori != scoring.BELUM]
    kurang = sorted(
        (
            (b, pertama - (b.dasar or Decimal(0)))
            for b in baris
            if b.kategori == scoring.BELUM and pertama is not None
        ),
        key=lambda pasangan: pasangan[1],
    )
    semua = kabkota_di_provinsi(provinsi.kode)
    return Provila(
        semua=len(semua),
        berkategori=berkategori,
        kurang=kurang,
        belum_dilayani=[(kode, nama) for kode, nama in semua if kode not in dilayani],
        batas=pertama,
    )


def tabel_kota(dasbor: Dasbor, boleh_verifikasi: set[int]) -> Tabel:
    """Every kab/kota: the four totals, category and distance to the next, completeness,
    lateness, the province's progress, RAD achievement and the children's budget share. A
    city the reader verifies links to its verification."""
    tabel = Tabel(
        nama="kab-kota",
        judul=_("Kabupaten/kota"),
        catatan=str(DASAR),
        kolom=[
            Kolom(_("Kabupaten/kota")),
            Kolom(_("Mandiri"), "angka", judul=_("Poin mandiri OPD")),
            Kolom(_("Berbukti"), "angka", judul=_("Poin berbukti")),
            Kolom(_("Verif. kota"), "angka", judul=_("Poin terverifikasi Sekretariat kab/kota")),
            Kolom(_("Verif. prov."), "angka", judul=_("Poin yang diterima provinsi")),
            Kolom(_("Kategori")),
            Kolom(_("Kurang"), "angka", judul=_("Poin menuju kategori berikutnya")),
            Kolom(_("Terisi"), "persen", judul=_("Jawaban kab/kota yang sudah dikirim OPD")),
            Kolom(_("Status provinsi")),
            Kolom(_("Telat"), "jumlah", judul=_("Hari lewat batas kirim ke provinsi")),
            Kolom(_("Diterima"), "persen", judul=_("Jawaban yang sudah diterima provinsi")),
            Kolom(
                _("RAD %(t)s") % {"t": dasbor.tahun_rad},
                "persen",
                judul=_("Rata-rata capaian aksi RAD tahun berjalan"),
            ),
            Kolom(
                _("Angg. anak %(t)s") % {"t": dasbor.tahun_rad},
                "persen",
                judul=_("Pagu aksi RAD dari APBD terhadap total APBD"),
            ),
        ],
    )
    for b in dasbor.baris:
        s = b.snapshot
        berikut, kurang = b.berikut
        tabel.tambah(
            str(b.kota),
            s.total_mandiri if s else None,
            s.total_berbukti if s else None,
            s.total_verifikasi if s else None,
            s.total_provinsi if s else None,
            b.kategori if b.dasar is not None else "–",
            kurang if berikut else None,
            b.kelengkapan,
            b.status_label,
            b.terlambat_hari,
            b.progres_provinsi,
            b.rad.rata_capaian if b.rad else None,
            b.porsi.persen_pagu if b.porsi else None,
            tautan=reverse("provinsi:verifikasi", args=[dasbor.tahun.tahun, b.kota.pk])
            if b.kota.pk in boleh_verifikasi
            else "",
            kelas="table-warning" if b.terlambat_hari else "",
        )
    return tabel


def tabel_provila(dasbor: Dasbor) -> Tabel:
    """The kab/kota below the first category (and those not served), nearest first."""
    p = dasbor.provila
    tabel = Tabel(
        nama="provila",
        judul=_("Yang masih menghalangi PROVILA"),
        catatan=_("Kab/kota di bawah kategori Pratama, yang paling dekat lebih dulu."),
        kolom=[
            Kolom(_("Kabupaten/kota")),
            Kolom(_("Poin"), "angka"),
            Kolom(_("Kurang poin"), "angka"),
            Kolom(_("Keterangan")),
        ],
    )
    for b, kurang in p.kurang:
        if b.dasar is None:
            tabel.tambah(str(b.kota), None, None, _("skor belum dihitung"))
        else:
            tabel.tambah(str(b.kota), b.dasar, kurang, "")
    for _kode, nama in p.belum_dilayani:
        tabel.tambah(nama, None, None, _("belum dilayani portal"))
    return tabel
