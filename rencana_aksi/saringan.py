"""The list of actions: its year and its filters, read from the address by the page and from
the query by the API (rencana_aksi.views.aksi, rencana_aksi.api)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from rencana_aksi.models import Aksi, Klaster, PeriodeRad


def tahun_dalam(periode: PeriodeRad, raw, hari_ini) -> int:
    """The year asked for (``?tahun=``), else this year, brought inside the plan's years."""
    try:
        tahun = int(raw)
    except (TypeError, ValueError):
        tahun = hari_ini.year
    return min(max(tahun, periode.tahun_mulai), periode.tahun_selesai)


@dataclass
class Saringan:
    """The list's filters, read from the address; a value that makes no sense is ignored."""

    q: str = ""
    opd: int | None = None
    klaster: str = ""
    status: str = ""
    indikator: str = ""
    berisiko: bool = False
    terlambat: bool = False

    @classmethod
    def dari(cls, get) -> Saringan:
        opd = get.get("opd", "")
        return cls(
            q=" ".join(get.get("q", "").split())[:100],
            opd=int(opd) if opd.isdigit() else None,
            klaster=get.get("klaster", "") if get.get("klaster") in Klaster.values else "",
            status=get.get("status", "") if get.get("status") in Aksi.Status.values else "",
            indikator=" ".join(get.get("indikator", "").split())[:40],
            berisiko=get.get("berisiko") == "1",
            terlambat=get.get("terlambat") == "1",
        )

    def terapkan(self, qs, tahun: int):
        """``qs``: actions through pemantauan.dengan_angka (or dengan_baris) for ``tahun``."""
        for nama in self.angka:
            qs = qs.filter(**{f"k{tahun}_{nama}": True})
        if self.q:
            kata = Q()
            for name in (
                "kode",
                "nama",
                "program",
                "kegiatan",
                "sub_kegiatan",
                "sub_kegiatan_kode",
                "indikator_kinerja",
            ):
                kata |= Q(**{f"{name}__icontains": self.q})
            qs = qs.filter(kata)
        if self.opd is not None:
            qs = qs.milik_opd([self.opd])
        if self.klaster:
            qs = qs.filter(klaster=self.klaster)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.indikator:
            qs = qs.filter(indikator__kode__iexact=self.indikator)
        return qs

    @property
    def angka(self) -> list[str]:
        """The figures (pemantauan.angka_sql's names) the filters read: the checkboxes of the
        same names."""
        return [nama for nama in ("berisiko", "terlambat") if getattr(self, nama)]

    @property
    def aktif(self) -> bool:
        nilai = (self.q, self.opd, self.klaster, self.status, self.indikator)
        return any(nilai) or self.berisiko or self.terlambat
