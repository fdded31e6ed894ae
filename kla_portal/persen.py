"""The one percentage of the portal: a part of a whole, rounded half up to a number of decimal
places, as every table and card shows it. Infrastructure: imports none of the portal's apps, so
agencies, clusters, rencana_aksi and koordinasi all use it."""

from decimal import ROUND_HALF_UP, Decimal


def _desimal(nilai) -> Decimal:
    # Through str, so a float read from a JSON snapshot (0.1) is the number it prints as.
    return nilai if isinstance(nilai, Decimal) else Decimal(str(nilai))


def persen(bagian, seluruh, *, desimal: int = 1) -> Decimal | None:
    """``bagian`` as a percentage of ``seluruh``, rounded half up to ``desimal`` places; None
    when the whole is zero (nothing to take a share of)."""
    seluruh = _desimal(seluruh)
    if not seluruh:
        return None
    hasil = _desimal(bagian) * 100 / seluruh
    return hasil.quantize(Decimal(1).scaleb(-desimal), rounding=ROUND_HALF_UP)
