"""A score snapshot's detail (``SkorSnapshot.rincian``) as typed, read-only records.

The worker (``clusters.services.skor``) builds a ``RincianSkor`` and stores its ``ke_json()``;
every reader gets it back as ``SkorSnapshot.rincian_skor`` (``RincianSkor.dari_json``). This
module is the only place that knows the stored keys. Figures are stored as Decimal strings
("12.50") and read back as Decimal, so a snapshot round-trips unchanged. Snapshots written
before a key existed still load: see ``RincianIndikator.dari_json`` and
``RincianPertanyaan.dari_json``.

``versi`` 2 (written since the recompute had to cost little more than one SQL aggregate)
stores the per-unit answers as lists and leaves out of a question what a reader can tell
without it (``pertanyaan_json``); versi 3 stores each question as a list too, its columns
named once in ``kolom_pertanyaan`` (``KOLOM_PERTANYAAN``). The worker writes those two
straight from what it read (``rincian_json``). Versi 1 and 2 snapshots still load, and write
back as they were.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext as _

from clusters import alur
from clusters.scoring import ANGKA, PRESISI_SKALA

NOL = Decimal(0)
# 1: every record a dict; 2: the per-unit answers as lists (RincianUnit); 3: the questions
# as lists too (KOLOM_PERTANYAAN), a unit's "meets it" as 1 or 0.
VERSI = 3


def angka(sumber, presisi: Decimal | None = None) -> dict[str, Decimal]:
    """The four figures of anything that has them (a ``Poin``, a ``scoring.Tiga``, ...)."""
    return {
        k: getattr(sumber, k) if presisi is None else getattr(sumber, k).quantize(presisi)
        for k in ANGKA
    }


def _desimal(nilai) -> Decimal:
    return Decimal(str(nilai))


def _desimal_atau_kosong(nilai) -> Decimal | None:
    return None if nilai is None else _desimal(nilai)


def _teks_atau_kosong(nilai: Decimal | None) -> str | None:
    return None if nilai is None else str(nilai)


@dataclass(frozen=True, kw_only=True)
class Poin:
    """Maximum and the three totals of one level: a question, indicator, group, agency, the city."""

    max: Decimal = NOL
    mandiri: Decimal = NOL
    verifikasi: Decimal = NOL
    berbukti: Decimal = NOL

    @classmethod
    def dari_json(cls, data: dict) -> Poin:
        return cls(**_angka_json(data))

    def ke_json(self) -> dict[str, str]:
        return poin_json(self)


def poin_json(sumber, presisi: Decimal | None = None) -> dict[str, str]:
    """The four figures of anything that has them (a ``Poin``, a ``scoring.Tiga``, ...) as
    stored: Decimal strings, optionally quantized first. Written out, not looped: the worker
    calls it for every question."""
    if presisi is not None:
        return {k: str(getattr(sumber, k).quantize(presisi)) for k in ANGKA}
    return {
        "max": str(sumber.max),
        "mandiri": str(sumber.mandiri),
        "verifikasi": str(sumber.verifikasi),
        "berbukti": str(sumber.berbukti),
    }


def _angka_json(data: dict) -> dict[str, Decimal]:
    return {k: _desimal(data[k]) for k in ANGKA}


@dataclass(frozen=True, kw_only=True)
class RincianKelompok(Poin):
    """A group (kelembagaan, klaster I–V) with its figures: sums of its capped indicators."""

    id: int
    nama: str
    urutan: int

    @classmethod
    def dari_json(cls, data: dict) -> RincianKelompok:
        return cls(id=data["id"], nama=data["nama"], urutan=data["urutan"], **_angka_json(data))

    def ke_json(self) -> dict:
        return {"id": self.id, "nama": self.nama, "urutan": self.urutan, **super().ke_json()}


@dataclass(frozen=True, kw_only=True)
class RincianIndikator(Poin):
    """An indicator with its capped figures; ``dibatasi``: the uncapped sums of its questions,
    only where the cap bites on some total (ATURAN_BATAS)."""

    id: int
    kode: str
    nama: str
    kelompok_id: int
    dibatasi: Poin | None = None

    @classmethod
    def dari_json(cls, data: dict) -> RincianIndikator:
        # Snapshots from before the cap rule have no "dibatasi" (they had "faktor").
        dibatasi = data.get("dibatasi")
        return cls(
            id=data["id"],
            kode=data["kode"],
            nama=data["nama"],
            kelompok_id=data["kelompok_id"],
            dibatasi=Poin.dari_json(dibatasi) if dibatasi else None,
            **_angka_json(data),
        )

    def ke_json(self) -> dict:
        return {
            "id": self.id,
            "kode": self.kode,
            "nama": self.nama,
            "kelompok_id": self.kelompok_id,
            **super().ke_json(),
            "dibatasi": self.dibatasi.ke_json() if self.dibatasi else None,
        }


@dataclass(frozen=True, kw_only=True)
class RincianPertanyaan(Poin):
    """A question with its own figures (before its indicator's cap), its ``skala`` (its share
    of the capped indicator: what it weighs in an agency's or any slice's figures), its
    city-level answer's state and the coverage its lead agency entered."""

    id: int
    kode: str
    teks: str
    indikator_id: int
    opd_id: int | None
    lingkup: str
    skala: Poin
    cakupan_persen: Decimal | None = None
    status: str
    terjawab: bool
    diverifikasi: bool
    kurang_bukti: bool
    wajib_lampiran: bool

    @property
    def per_unit(self) -> bool:
        """Answered by each kecamatan or kelurahan/desa (Pertanyaan.Lingkup), not the city."""
        return self.lingkup != "kabkota"

    @classmethod
    def dari_json(
        cls, data: dict | list, versi: int = 1, kolom: Iterable[str] = ()
    ) -> RincianPertanyaan:
        if isinstance(data, list):  # versi 3: in the order of the snapshot's kolom_pertanyaan
            data = dict(zip(kolom, data, strict=True))
        sendiri = _angka_json(data)
        if data.get("skala") is not None:
            skala = _angka_json(data["skala"])
        elif versi >= 2:  # left out where it equals the question's own figures
            skala = {k: n.quantize(PRESISI_SKALA) for k, n in sendiri.items()}
        else:  # snapshots from before shares and coverage were stored
            skala = sendiri
        return cls(
            **{k: data[k] for k in ("id", "kode", "teks", "indikator_id", "opd_id", "lingkup")},
            **sendiri,
            skala=Poin(**skala),
            cakupan_persen=_desimal_atau_kosong(data.get("cakupan_persen")),
            status=data["status"],
            **{k: data.get(k, False) for k in _TANDA},
        )

    def ke_json(self, versi: int = VERSI) -> dict | list:
        return pertanyaan_json(
            soal=vars(self),
            angka=self,
            skala=self.skala,
            cakupan_persen=self.cakupan_persen,
            status=self.status,
            tanda=(self.terjawab, self.diverifikasi, self.kurang_bukti, self.wajib_lampiran),
            versi=versi,
        )


# A question's flags, in this order; versi 2 stores only the true ones.
_TANDA = ("terjawab", "diverifikasi", "kurang_bukti", "wajib_lampiran")
# A question's columns as versi 3 stores them: its share ("skala") is null where it equals the
# question's own figures, its coverage null where none was entered.
KOLOM_PERTANYAAN = (
    "id",
    "kode",
    "teks",
    "indikator_id",
    "opd_id",
    "lingkup",
    *ANGKA,
    "status",
    "skala",
    "cakupan_persen",
    *_TANDA,
)


def pertanyaan_json(
    *,
    soal: dict,
    angka,
    skala,
    cakupan_persen: Decimal | None,
    status: str,
    tanda: tuple[bool, bool, bool, bool],
    presisi_skala: Decimal | None = None,
    versi: int = VERSI,
) -> dict | list:
    """A question as stored, from its own fields (``soal``: a ``RincianPertanyaan``'s, or the
    question as the worker read it), its figures and share (anything with the four figures;
    the share quantized to ``presisi_skala`` when given) and its flags (``_TANDA``).

    Versi 2 leaves out what a reader can tell without it: the share where it equals the
    question's own figures (most questions: their indicator is not capped), an unentered
    coverage, false flags. Versi 3 writes a list (KOLOM_PERTANYAAN) with those as null and
    false. A year has hundreds of questions, and building and storing them is what costs most
    when the snapshot is written."""
    if versi >= 3:
        return [
            soal["id"],
            soal["kode"],
            soal["teks"],
            soal["indikator_id"],
            soal["opd_id"],
            soal["lingkup"],
            str(angka.max),
            str(angka.mandiri),
            str(angka.verifikasi),
            str(angka.berbukti),
            status,
            None if skala is angka or _sama(skala, angka) else poin_json(skala, presisi_skala),
            None if cakupan_persen is None else str(cakupan_persen),
            *tanda,
        ]
    data = {
        "id": soal["id"],
        "kode": soal["kode"],
        "teks": soal["teks"],
        "indikator_id": soal["indikator_id"],
        "opd_id": soal["opd_id"],
        "lingkup": soal["lingkup"],
        # poin_json's four, written out: this runs for every question of a recompute.
        "max": str(angka.max),
        "mandiri": str(angka.mandiri),
        "verifikasi": str(angka.verifikasi),
        "berbukti": str(angka.berbukti),
        "status": status,
    }
    if versi < 2:
        data["skala"] = poin_json(skala, presisi_skala)
        data["cakupan_persen"] = _teks_atau_kosong(cakupan_persen)
        data.update(zip(_TANDA, tanda, strict=True))
        return data
    if skala is not angka and not _sama(skala, angka):
        data["skala"] = poin_json(skala, presisi_skala)
    if cakupan_persen is not None:
        data["cakupan_persen"] = str(cakupan_persen)
    if any(tanda):
        data.update((k, True) for k, nyala in zip(_TANDA, tanda, strict=True) if nyala)
    return data


def _sama(a, b) -> bool:
    """Whether two things with the four figures hold the same figures."""
    return (
        a.max == b.max
        and a.mandiri == b.mandiri
        and a.verifikasi == b.verifikasi
        and a.berbukti == b.berbukti
    )


@dataclass(frozen=True, kw_only=True)
class RincianOpd(Poin):
    """A lead agency's figures: its questions' shares of their capped indicators. ``id`` is
    None for the questions without a lead agency."""

    id: int | None
    singkatan: str
    nama: str

    @classmethod
    def dari_json(cls, data: dict) -> RincianOpd:
        return cls(
            id=data["id"], singkatan=data["singkatan"], nama=data["nama"], **_angka_json(data)
        )

    def ke_json(self) -> dict:
        return {
            "id": self.id,
            "singkatan": self.singkatan,
            "nama": self.nama,
            **super().ke_json(),
        }


@dataclass(frozen=True)
class RincianKelengkapan:
    """How many of a lead agency's questions in a group are in each state (``jumlah``, by
    state: "belum", "draft", "dikembalikan", "menunggu_kepala", ...)."""

    opd_id: int | None
    kelompok_id: int
    jumlah: dict[str, int] = field(default_factory=dict)

    @property
    def semua(self) -> int:
        return sum(self.jumlah.values())

    def dalam(self, status: Collection[str]) -> int:
        """How many are in one of these states."""
        return sum(n for k, n in self.jumlah.items() if k in status)

    def terlambat(self, lewat_batas: Collection[int]) -> int:
        """How many are overdue: not sent yet (not answered, a draft, returned) while the
        agency's sending is closed (``lewat_batas``, TahunEvaluasi.opd_lewat_batas): the rule
        of TahunEvaluasi.jawaban_terlambat, counted."""
        if self.opd_id not in lewat_batas:
            return 0
        return self.dalam({"belum", *alur.BISA_DIUBAH})

    @classmethod
    def dari_json(cls, data: dict) -> RincianKelengkapan:
        jumlah = {k: n for k, n in data.items() if k not in ("opd_id", "kelompok_id")}
        return cls(data["opd_id"], data["kelompok_id"], jumlah)

    def ke_json(self) -> dict:
        return {"opd_id": self.opd_id, "kelompok_id": self.kelompok_id, **self.jumlah}


@dataclass(frozen=True)
class RincianUnit:
    """A kecamatan's or kelurahan's answer to a per-unit question: meets it or not (None when
    not answered yet), and its state. Stored as ``[pertanyaan_id, wilayah_id, memenuhi,
    status]`` since versi 2 (a dict of those keys in versi 1): a year has thousands. Versi 3
    stores ``memenuhi`` as 1, 0 or null, as the database gives it: nothing is converted."""

    pertanyaan_id: int
    wilayah_id: int
    memenuhi: bool | None
    status: str

    @classmethod
    def dari_json(cls, data: dict | list) -> RincianUnit:
        if isinstance(data, list):
            pertanyaan_id, wilayah_id, memenuhi, status = data
            return cls(
                pertanyaan_id, wilayah_id, None if memenuhi is None else bool(memenuhi), status
            )
        return cls(data["pertanyaan_id"], data["wilayah_id"], data["memenuhi"], data["status"])

    @staticmethod
    def baris_json(baris: Iterable[tuple]) -> list[list]:
        """Per-unit answers as stored (versi 3), straight from rows of (pertanyaan_id,
        wilayah_id, memenuhi as 1, 0 or None, status)."""
        return [list(b) for b in baris]

    def ke_json(self, versi: int = VERSI) -> dict | list:
        if versi >= 3:
            memenuhi = None if self.memenuhi is None else int(self.memenuhi)
            return [self.pertanyaan_id, self.wilayah_id, memenuhi, self.status]
        if versi == 2:
            return [self.pertanyaan_id, self.wilayah_id, self.memenuhi, self.status]
        return {
            "pertanyaan_id": self.pertanyaan_id,
            "wilayah_id": self.wilayah_id,
            "memenuhi": self.memenuhi,
            "status": self.status,
        }


@dataclass(frozen=True, kw_only=True)
class RincianSkor:
    """A year's figures at every level, as the worker computed them.

    ``kategori``: the year's category bands (name, from how many points);
    ``kategori_total``: the category of each total ("mandiri", "verifikasi", "berbukti");
    ``status_label``: the answer states' labels when the snapshot was computed.
    """

    versi: int = VERSI
    total: Poin
    kategori: tuple[tuple[str, Decimal], ...]
    kategori_total: dict[str, str]
    kelompok: tuple[RincianKelompok, ...]
    indikator: tuple[RincianIndikator, ...]
    pertanyaan: tuple[RincianPertanyaan, ...]
    opd: tuple[RincianOpd, ...]
    kelengkapan: tuple[RincianKelengkapan, ...]
    unit: tuple[RincianUnit, ...]
    status_label: dict[str, str] = field(default_factory=dict)

    @classmethod
    def dari_json(cls, data: dict) -> RincianSkor:
        """The one place a stored ``SkorSnapshot.rincian`` is read."""
        versi = data.get("versi", 1)
        return cls(
            versi=versi,
            total=Poin.dari_json(data["total"]),
            kategori=tuple((nama, _desimal(minimum)) for nama, minimum in data["kategori"]),
            kategori_total=dict(data["kategori_total"]),
            kelompok=tuple(RincianKelompok.dari_json(g) for g in data["kelompok"]),
            indikator=tuple(RincianIndikator.dari_json(i) for i in data["indikator"]),
            pertanyaan=tuple(
                RincianPertanyaan.dari_json(p, versi, data.get("kolom_pertanyaan", ()))
                for p in data["pertanyaan"]
            ),
            opd=tuple(RincianOpd.dari_json(o) for o in data["opd"]),
            kelengkapan=tuple(RincianKelengkapan.dari_json(k) for k in data["kelengkapan"]),
            unit=tuple(RincianUnit.dari_json(u) for u in data["unit"]),
            status_label=dict(data.get("status_label", {})),
        )

    def ke_json(self) -> dict:
        return rincian_json(
            versi=self.versi,
            total=self.total,
            kategori=self.kategori,
            kategori_total=self.kategori_total,
            kelompok=self.kelompok,
            indikator=self.indikator,
            pertanyaan=[p.ke_json(self.versi) for p in self.pertanyaan],
            opd=self.opd,
            kelengkapan=self.kelengkapan,
            unit=[u.ke_json(self.versi) for u in self.unit],
            status_label=self.status_label,
        )

    @cached_property
    def singkatan_opd(self) -> dict[int | None, str]:
        """Lead agency id → its short name ("" for the questions without one)."""
        return {o.id: o.singkatan for o in self.opd}

    @cached_property
    def kode_indikator(self) -> dict[int, str]:
        return {i.id: i.kode for i in self.indikator}

    def label_status(self, status: str) -> str:
        """An answer state's label; "Belum dijawab" for a question with no answer."""
        return self.status_label.get(status, _("Belum dijawab"))


def rincian_json(
    *,
    versi: int = VERSI,
    total: Poin,
    kategori,
    kategori_total: dict[str, str],
    kelompok: Collection[RincianKelompok],
    indikator: Collection[RincianIndikator],
    pertanyaan: list[dict],
    opd: Collection[RincianOpd],
    kelengkapan: Collection[RincianKelengkapan],
    unit: list,
    status_label: dict[str, str],
) -> dict:
    """The one place ``SkorSnapshot.rincian`` is written from: the few groups, indicators and
    agencies as records, the questions (``pertanyaan_json``) and per-unit answers
    (``RincianUnit.ke_json``) already as stored, since a year has hundreds and thousands of
    them and the worker writes them straight from what it read."""
    data = {
        "versi": versi,
        "total": total.ke_json(),
        "kategori": [[nama, str(minimum)] for nama, minimum in kategori],
        "kategori_total": dict(kategori_total),
        "kelompok": [g.ke_json() for g in kelompok],
        "indikator": [i.ke_json() for i in indikator],
        "pertanyaan": pertanyaan,
        "opd": [o.ke_json() for o in opd],
        "kelengkapan": [k.ke_json() for k in kelengkapan],
        "unit": unit,
        "status_label": dict(status_label),
    }
    if versi >= 3:
        data["kolom_pertanyaan"] = list(KOLOM_PERTANYAAN)
    return data
