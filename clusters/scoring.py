"""Points of the KLA instrument: pure arithmetic, no database.

A question is scored one of three ways (``Pertanyaan.CaraPenilaian``):
- ``opsi``: a graded option, a fraction of the maximum (by default 0, 0.25, 0.5, 0.75, 1);
- ``cakupan``: proportional to a coverage percentage (share of kecamatan/kelurahan meeting it);
- ``langsung``: points given directly, within [0, maximum].
"""

from decimal import ROUND_HALF_UP, Decimal

SEN = Decimal("0.01")


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
    """Points one answer earns; None while the answer gives nothing to score."""
    if cara == "opsi":
        return None if fraksi is None else bulatkan(nilai_max * fraksi)
    if cara == "cakupan":
        return None if cakupan_persen is None else bulatkan(nilai_max * cakupan_persen / 100)
    if cara == "langsung":
        return None if poin_langsung is None else bulatkan(poin_langsung)
    raise ValueError(f"cara penilaian tidak dikenal: {cara}")


def dalam_batas(poin: Decimal, nilai_max: Decimal) -> bool:
    return Decimal(0) <= poin <= nilai_max
