"""Points of the KLA instrument: pure arithmetic, no database.

A question is scored one of three ways (``Pertanyaan.CaraPenilaian``):
- ``opsi``: a graded option, a fraction of the maximum (by default 0, 0.25, 0.5, 0.75, 1);
- ``cakupan``: proportional to a coverage percentage (share of kecamatan/kelurahan meeting it);
- ``langsung``: points given directly, within [0, maximum].

Three totals are kept side by side at every level (question, indicator, group, agency, city):
- ``mandiri``: the agency's own points, whatever the answer's step in the workflow;
- ``verifikasi``: the verifier's points, for verified answers only;
- ``berbukti``: the agency's own points only where the evidence the question requires is
  attached; what the city would keep if the verifier accepted only what has evidence.

A fourth total, the province's, is the city's total counted the way ``verifikasi`` is, from
the answers the province accepted at the province's points (``total_provinsi``).

An indicator's points are the plain sum of its questions' points, capped at the indicator's
maximum (``ATURAN_BATAS``): indicators 19 and 21 B of the 2024 file hold questions worth more
than the indicator (54 against 51, 18 against 17), and evaluators never scale them down.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kla_portal.tabel import tulis_angka

SEN = Decimal("0.01")
# A question's share of a capped indicator is kept to four places, so sums of shares round
# like the indicator.
PRESISI_SKALA = Decimal("0.0001")
NOL = Decimal(0)
TERVERIFIKASI = "terverifikasi"
BELUM = "Belum"

ATURAN_BATAS = gettext_lazy(
    "Poin indikator = jumlah poin pertanyaannya, dibatasi pada nilai maksimum indikator "
    "(tidak pernah diperkecil secara proporsional). Bila pertanyaan suatu indikator bernilai "
    "lebih dari indikatornya (2024: indikator 19, 54 dari 51; indikator 21 B, 18 dari 17), "
    'jumlah di atas nilai maksimum dipotong dan ditandai "dibatasi pada N"; jumlah di '
    "bawahnya dihitung penuh. Kelompok dan total adalah jumlah poin indikator, sehingga total "
    "tetap paling banyak 1.000."
)
ATURAN_KATEGORI = gettext_lazy(
    "Kategori dimulai tepat pada batas bawahnya; total di antara dua batas (misalnya 600,5) "
    "masuk kategori yang lebih rendah."
)


def bulatkan(value: Decimal) -> Decimal:
    return value.quantize(SEN, rounding=ROUND_HALF_UP)


def poin_pertanyaan(
    *,
    nilai_max: Decimal,
    cara: str,
    fraksi: Decimal | None = None,
    cakupan_persen: Decimal | None = None,
    poin_langsung: Decimal | None = None,
) -> Decimal | None:
    """Points one answer earns; None while the answer gives nothing to score. A graded
    question may also be given points off its grades (2,64 of 4): those win over a grade."""
    if cara == "opsi":
        if poin_langsung is not None:
            return bulatkan(poin_langsung)
        return None if fraksi is None else bulatkan(nilai_max * fraksi)
    if cara == "cakupan":
        return None if cakupan_persen is None else bulatkan(nilai_max * cakupan_persen / 100)
    if cara == "langsung":
        return None if poin_langsung is None else bulatkan(poin_langsung)
    raise ValueError(f"cara penilaian tidak dikenal: {cara}")


def dalam_batas(poin: Decimal, nilai_max: Decimal) -> bool:
    return Decimal(0) <= poin <= nilai_max


def fraksi_untuk_poin(poin: Decimal, nilai_max: Decimal, fraksi: list[Decimal]) -> list[Decimal]:
    """The grades worth these points, exactly (4,5 × 0,75 = 3,375) or as rounded (3,38);
    empty when the points are off the grades, and then kept as given."""
    return [f for f in fraksi if poin in (nilai_max * f, bulatkan(nilai_max * f))]


def salah_poin(poin: Decimal, nilai_max: Decimal) -> str:
    """Why these points cannot be given to a question of this maximum; "" when they can.
    Any points from 0 to the maximum with at most two decimals are accepted (real
    self-assessments give 0,66 or 1/3 of the maximum, not only the grades)."""
    isi, maks = tulis_angka(poin), tulis_angka(nilai_max)
    if poin < 0:
        return _("Poin %(isi)s tidak boleh negatif; isi antara 0 dan %(max)s.") % {
            "isi": isi,
            "max": maks,
        }
    if poin > nilai_max:
        return _("Poin %(isi)s melebihi nilai maksimum %(max)s; isi antara 0 dan %(max)s.") % {
            "isi": isi,
            "max": maks,
        }
    if poin != poin.quantize(SEN):
        return _(
            "Poin %(isi)s memiliki lebih dari dua angka di belakang koma; tulis paling banyak "
            "dua, misalnya 2,64."
        ) % {"isi": isi}
    return ""


def kategori(total: Decimal, ambang: list[tuple[str, Decimal]]) -> str:
    """The category of a total: the highest band whose lower bound it reaches (ATURAN_KATEGORI)."""
    hasil = BELUM
    for nama, minimum in sorted(ambang, key=lambda a: a[1]):
        if total >= minimum:
            hasil = nama
    return hasil


def kategori_berikut(total: Decimal, ambang: list[tuple[str, Decimal]]) -> tuple[str, Decimal]:
    """The next category up and the points still needed to reach it; ("", 0) at the top."""
    for nama, minimum in sorted(ambang, key=lambda a: a[1]):
        if total < minimum:
            return nama, minimum - total
    return "", NOL


# --- The whole instrument -----------------------------------------------------------------


# Soal, Isian and Ind are plain (not frozen) slotted records: a recompute builds hundreds of
# them, and a frozen dataclass's constructor costs several times as much.


@dataclass(slots=True)
class Soal:
    """A question as the arithmetic needs it."""

    id: int
    indikator_id: int
    nilai_max: Decimal
    cara: str
    wajib_lampiran: bool = False
    opd_id: int | None = None  # the lead agency


@dataclass(slots=True)
class Isian:
    """The city-level answer to a question."""

    pertanyaan_id: int
    status: str
    fraksi: Decimal | None = None
    cakupan_persen: Decimal | None = None
    poin_langsung: Decimal | None = None
    poin_verifikator: Decimal | None = None
    ada_lampiran: bool = False
    poin_provinsi: Decimal | None = None  # the province's points, once it accepted the answer


@dataclass(slots=True)
class Ind:
    id: int
    kelompok_id: int
    nilai_max: Decimal


@dataclass
class Tiga:
    """Maximum and the three totals of one level."""

    max: Decimal = NOL
    mandiri: Decimal = NOL
    verifikasi: Decimal = NOL
    berbukti: Decimal = NOL

    def tambah(self, other: Tiga) -> None:
        self.max += other.max
        self.mandiri += other.mandiri
        self.verifikasi += other.verifikasi
        self.berbukti += other.berbukti

    def kali(self, faktor: Decimal) -> Tiga:
        return Tiga(
            max=bulatkan(self.max * faktor),
            mandiri=bulatkan(self.mandiri * faktor),
            verifikasi=bulatkan(self.verifikasi * faktor),
            berbukti=bulatkan(self.berbukti * faktor),
        )


def jumlahkan(rows) -> Tiga:
    """The sum of several levels' figures, rounded to 0,01: how an agency's or any slice's
    figures are made from its questions' shares of their capped indicators."""
    total = Tiga()
    for row in rows:
        total.tambah(row)
    return total.kali(Decimal(1))


@dataclass
class SkorSoal(Tiga):
    terjawab: bool = False
    diverifikasi: bool = False
    kurang_bukti: bool = False  # own points claimed but the required evidence is missing


@dataclass
class HasilSkor:
    soal: dict[int, SkorSoal] = field(default_factory=dict)
    # Each question's share of its indicator's capped figures: what it weighs in the total.
    soal_skala: dict[int, Tiga] = field(default_factory=dict)
    indikator: dict[int, Tiga] = field(default_factory=dict)
    # The uncapped sums of an indicator's questions, only where the cap bites on some total.
    dibatasi: dict[int, Tiga] = field(default_factory=dict)
    kelompok: dict[int, Tiga] = field(default_factory=dict)
    opd: dict[int | None, Tiga] = field(default_factory=dict)
    total: Tiga = field(default_factory=Tiga)


def skor_soal(soal: Soal, isian: Isian | None) -> SkorSoal:
    """The three figures of one question, before its indicator's cap."""
    hasil = SkorSoal(max=soal.nilai_max)
    if isian is None:
        return hasil
    poin = poin_pertanyaan(
        nilai_max=soal.nilai_max,
        cara=soal.cara,
        fraksi=isian.fraksi,
        cakupan_persen=isian.cakupan_persen,
        poin_langsung=isian.poin_langsung,
    )
    if poin is not None:
        hasil.terjawab = True
        hasil.mandiri = min(poin, soal.nilai_max)
        bukti_cukup = isian.ada_lampiran or not soal.wajib_lampiran
        hasil.berbukti = hasil.mandiri if bukti_cukup else NOL
        hasil.kurang_bukti = not bukti_cukup and hasil.mandiri > 0
    if isian.status == TERVERIFIKASI and isian.poin_verifikator is not None:
        hasil.diverifikasi = True
        hasil.verifikasi = min(isian.poin_verifikator, soal.nilai_max)
    return hasil


TOTAL = ("mandiri", "verifikasi", "berbukti")
ANGKA = ("max", *TOTAL)


def batasi(jumlah: Tiga, nilai_max: Decimal) -> Tiga:
    """An indicator's figures (ATURAN_BATAS): each total is the plain sum of its questions'
    points, capped at the indicator's maximum; never scaled down."""
    return Tiga(
        max=nilai_max,
        **{k: bulatkan(min(getattr(jumlah, k), nilai_max)) for k in TOTAL},
    )


def _bagian(nilai: Decimal, jumlah: Decimal, batas: Decimal) -> Decimal:
    """A question's share of a capped sum: its own figure, or its proportion of the cap where
    the sum passes it (so an agency's figures still add up to the indicator's)."""
    return nilai * batas / jumlah if jumlah > batas else nilai


def hitung(
    *,
    indikator: list[Ind],
    soal: list[Soal],
    isian: list[Isian],
) -> HasilSkor:
    """Every level's figures from the questions and the city-level answers.

    Indicator figures are the capped sums of their questions (ATURAN_BATAS); group and city
    figures are sums of indicators, so the levels always add up. An agency's figures are its
    questions' shares of their indicators' capped figures.
    """
    hasil = HasilSkor()
    per_soal = {i.pertanyaan_id: i for i in isian}
    mentah: dict[int, Tiga] = defaultdict(Tiga)
    per_opd: dict[int | None, list[Tiga]] = defaultdict(list)
    for s in soal:
        hasil.soal[s.id] = skor_soal(s, per_soal.get(s.id))
        mentah[s.indikator_id].tambah(hasil.soal[s.id])
    for ind in indikator:
        figures = batasi(mentah[ind.id], ind.nilai_max)
        if any(getattr(mentah[ind.id], k) > ind.nilai_max for k in TOTAL):
            hasil.dibatasi[ind.id] = mentah[ind.id]
        hasil.indikator[ind.id] = figures
        hasil.kelompok.setdefault(ind.kelompok_id, Tiga()).tambah(figures)
        hasil.total.tambah(figures)
    nilai_max = {ind.id: ind.nilai_max for ind in indikator}
    # Where no sum of an indicator passes its cap, its questions' shares are their own figures.
    lewat = {
        ind_id: any(getattr(jumlah, k) > nilai_max.get(ind_id, jumlah.max) for k in ANGKA)
        for ind_id, jumlah in mentah.items()
    }
    for s in soal:
        q, jumlah = hasil.soal[s.id], mentah[s.indikator_id]
        if lewat[s.indikator_id]:
            batas = nilai_max.get(s.indikator_id, jumlah.max)
            q = Tiga(
                max=_bagian(q.max, jumlah.max, batas),
                **{k: _bagian(getattr(q, k), getattr(jumlah, k), batas) for k in TOTAL},
            )
        hasil.soal_skala[s.id] = q
        per_opd[s.opd_id].append(q)
    hasil.opd = {opd: jumlahkan(rows) for opd, rows in per_opd.items()}
    return hasil


def total_provinsi(*, indikator: list[Ind], soal: list[Soal], isian: list[Isian]) -> Decimal | None:
    """The city's total verified by the province: the answers the province accepted, at its
    points, capped per indicator as every total is; None while it accepted none."""
    diterima = [
        Isian(i.pertanyaan_id, TERVERIFIKASI, poin_verifikator=i.poin_provinsi)
        for i in isian
        if i.poin_provinsi is not None
    ]
    if not diterima:
        return None
    return hitung(indikator=indikator, soal=soal, isian=diterima).total.verifikasi
