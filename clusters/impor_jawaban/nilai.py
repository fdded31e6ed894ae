"""The values a row gives an answer, checked against its question's way of scoring."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from clusters import scoring
from clusters.impor_jawaban.laporan import BATAS_ANGKA, KOLOM_ANGKA
from clusters.models import Jawaban, Pertanyaan
from kla_portal.tabel import angka_id, catatan_sel, tampil_sel, tulis_angka


def nilai_baris(
    pertanyaan: Pertanyaan, jawaban: Jawaban | None, isi: dict
) -> tuple[dict, list[tuple[str, str]]]:
    """The answer's values after the row, and the faults of the row's cells."""
    angka, masalah = _angka(isi)
    nilai = {name: getattr(jawaban, name) if jawaban else None for name in Jawaban.ISIAN}
    nilai["catatan"] = jawaban.catatan if jawaban else ""
    cara = pertanyaan.cara_penilaian
    # Only the field of the question's kind is kept, as the answer form does.
    for name, kinds in (
        ("fraksi", {Pertanyaan.CaraPenilaian.OPSI}),
        ("cakupan_persen", {Pertanyaan.CaraPenilaian.CAKUPAN}),
        ("poin_langsung", {Pertanyaan.CaraPenilaian.OPSI, Pertanyaan.CaraPenilaian.LANGSUNG}),
    ):
        if cara not in kinds:
            nilai[name] = None
    if cara == Pertanyaan.CaraPenilaian.CAKUPAN:
        _cakupan(pertanyaan, isi, angka, nilai, masalah)
    else:
        _poin(pertanyaan, isi, angka, nilai, masalah)
    _angka_tahun(pertanyaan, isi, angka, nilai, masalah)
    if isi.get("catatan") is not None:
        nilai["catatan"] = catatan_sel(isi["catatan"])
    return nilai, masalah


def _angka(isi: dict) -> tuple[dict[str, Decimal], list[tuple[str, str]]]:
    """The number of each numeric cell filled, and the cells that hold no number or a
    negative one."""
    masalah: list[tuple[str, str]] = []
    angka: dict[str, Decimal] = {}
    for kolom in KOLOM_ANGKA:
        raw = isi.get(kolom)
        if raw is None:
            continue
        if kolom == "cakupan_persen" and isinstance(raw, str):
            raw = raw.removesuffix("%")
        if kolom == "poin" and isinstance(raw, float):
            # Excel's binary noise (4 × 0,6 = 2.4000000000000004) is not a third decimal.
            raw = round(raw, 9)
        value = angka_id(raw)
        if value is None:
            masalah.append(
                (kolom, _("%(k)s %(isi)s bukan angka.") % {"k": kolom, "isi": tampil_sel(raw)})
            )
        elif value < 0:
            masalah.append(
                (kolom, _("%(k)s %(isi)s negatif.") % {"k": kolom, "isi": tampil_sel(raw)})
            )
        else:
            angka[kolom] = value
    return angka, masalah


def _cakupan(pertanyaan: Pertanyaan, isi: dict, angka: dict, nilai: dict, masalah: list) -> None:
    """A coverage question takes cakupan_persen, from 1 to 100, and no points."""
    if isi.get("poin") is not None:
        masalah.append(
            (
                "poin",
                _(
                    "%(soal)s dinilai dari persentase cakupan: isi kolom cakupan_persen "
                    "(0 sampai 100), bukan poin."
                )
                % {"soal": pertanyaan},
            )
        )
    cakupan = angka.get("cakupan_persen")
    if cakupan is None:
        return
    if cakupan > 100:
        masalah.append(
            (
                "cakupan_persen",
                _("cakupan_persen %(isi)s melebihi 100.")
                % {"isi": tampil_sel(isi["cakupan_persen"])},
            )
        )
    elif 0 < cakupan < 1:
        # The smallest real coverage is one unit of all the city's units (one of six
        # kecamatan, one of 67 kelurahan): at least 1%. Below that it is a cell Excel
        # formatted as a percentage (85% is stored as 0,85).
        masalah.append(
            (
                "cakupan_persen",
                _(
                    "cakupan_persen %(isi)s terlalu kecil: tampaknya sel berformat persen "
                    "di Excel (85%% tersimpan sebagai 0,85). Tulis angkanya saja, misalnya "
                    "85."
                )
                % {"isi": tampil_sel(isi["cakupan_persen"])},
            )
        )
    else:
        nilai["cakupan_persen"] = scoring.bulatkan(cakupan)


def _poin(pertanyaan: Pertanyaan, isi: dict, angka: dict, nilai: dict, masalah: list) -> None:
    """A graded or direct question takes points from 0 to its maximum, and no coverage; a
    grade's points are kept as that grade."""
    if isi.get("cakupan_persen") is not None:
        masalah.append(
            (
                "cakupan_persen",
                _("%(soal)s tidak dinilai dari cakupan: isi kolom poin.") % {"soal": pertanyaan},
            )
        )
    poin = angka.get("poin")
    if poin is None:
        return
    opsi = pertanyaan.cara_penilaian == Pertanyaan.CaraPenilaian.OPSI
    fraksi = _fraksi(pertanyaan, poin, sekarang=nilai["fraksi"]) if opsi else None
    salah = "" if fraksi is not None else scoring.salah_poin(poin, pertanyaan.nilai_max)
    if salah:
        masalah.append(("poin", f"{pertanyaan}: {salah}"))
    elif opsi:
        nilai["fraksi"] = fraksi
        nilai["poin_langsung"] = poin if fraksi is None else None
    else:
        nilai["poin_langsung"] = poin


def _angka_tahun(
    pertanyaan: Pertanyaan, isi: dict, angka: dict, nilai: dict, masalah: list
) -> None:
    """The figures of this year and last, where the question asks for them."""
    for kolom in ("angka_tahun_ini", "angka_tahun_lalu"):
        if kolom not in angka:
            continue
        if kolom not in angka_diminta(pertanyaan):
            masalah.append(
                (
                    kolom,
                    _("%(soal)s tidak meminta %(k)s; kosongkan sel ini.")
                    % {"soal": pertanyaan, "k": kolom},
                )
            )
        elif angka[kolom] >= BATAS_ANGKA:
            masalah.append(
                (
                    kolom,
                    _("%(k)s %(isi)s terlalu besar.") % {"k": kolom, "isi": tampil_sel(isi[kolom])},
                )
            )
        else:
            nilai[kolom] = scoring.bulatkan(angka[kolom])


def _pilihan(pertanyaan: Pertanyaan) -> list[tuple[Decimal, Decimal]]:
    """(points, fraction) of each grade of a graded question."""
    return [
        (scoring.bulatkan(pertanyaan.nilai_max * Decimal(o["fraksi"])), Decimal(o["fraksi"]))
        for o in pertanyaan.pilihan()
    ]


def poin_pilihan(pertanyaan: Pertanyaan) -> str:
    """The points a graded question allows, written the Indonesian way: "0; 3; 6; 9; 12"."""
    points = dict.fromkeys(poin for poin, _fraksi in _pilihan(pertanyaan))
    return "; ".join(tulis_angka(poin) for poin in points)


def _fraksi(pertanyaan: Pertanyaan, poin: Decimal, *, sekarang: Decimal | None) -> Decimal | None:
    """The grade worth these points; the current one when several are (a 0-point question)."""
    cocok = scoring.fraksi_untuk_poin(
        poin, pertanyaan.nilai_max, [fraksi for _nilai, fraksi in _pilihan(pertanyaan)]
    )
    if not cocok:
        return None
    return sekarang if sekarang in cocok else cocok[0]


def angka_diminta(pertanyaan: Pertanyaan) -> tuple[str, ...]:
    if not pertanyaan.minta_angka:
        return ()
    return ("angka_tahun_ini", "angka_tahun_lalu") if pertanyaan.dua_tahun else ("angka_tahun_ini",)
