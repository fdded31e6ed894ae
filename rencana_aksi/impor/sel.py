"""Values of the cells of a RAD sheet: codes, numbers, choices, agencies, years, quarters."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation
from django.utils.translation import gettext as _

from agencies.models import Opd, Peran
from kla_portal.tabel import angka_id, tampil_sel, teks_sel
from rencana_aksi.impor.kolom import ROMAWI, SEN, TRIWULAN


def kunci_kode(kode: str) -> str:
    """Codes and names match whatever their case and spacing."""
    return " ".join(str(kode).split()).casefold()


def angka(kolom: str, raw, batas: Decimal) -> tuple[Decimal | None, str]:
    """A non-negative number rounded to cents, or the message saying why the cell is not one."""
    if isinstance(raw, str):
        raw = teks_sel(raw)  # "'-1,5" from a download, where the apostrophe kept it text
    value = angka_id(raw)
    if value is None:
        return None, _("%(k)s %(isi)s bukan angka.") % {"k": kolom, "isi": tampil_sel(raw)}
    if value < 0:
        return None, _("%(k)s %(isi)s negatif.") % {"k": kolom, "isi": tampil_sel(raw)}
    value = value.quantize(SEN, ROUND_HALF_UP)
    if value >= batas:
        return None, _("%(k)s %(isi)s terlalu besar.") % {"k": kolom, "isi": tampil_sel(raw)}
    return value, ""


def pilihan(choices) -> dict[str, str]:
    """Value by every way a choice may be written: its value and its label (Indonesian and the
    active language), and a label's part before the colon ("Klaster III")."""
    peta = {}
    for value, label in choices:
        peta[kunci_kode(value)] = value
        peta[kunci_kode(value.replace("_", " "))] = value
        for bahasa in dict.fromkeys(("id", translation.get_language() or "id")):
            with translation.override(bahasa):
                teks = str(label)
            peta[kunci_kode(teks)] = value
            peta[kunci_kode(teks.split(":")[0])] = value
    return peta


class DaftarOpd:
    """The city's agencies by short name and by full name; active ones win a shared name."""

    def __init__(self, daerah_id: int):
        self.opd: dict[str, Opd] = {}
        for opd in Opd.objects.filter(daerah_id=daerah_id).order_by("-aktif", "pk"):
            self.opd.setdefault(kunci_kode(opd.singkatan), opd)
            self.opd.setdefault(kunci_kode(opd.nama), opd)

    def cari(self, nama: str) -> tuple[Opd | None, str]:
        opd = self.opd.get(kunci_kode(nama))
        if opd is None:
            return None, _(
                "OPD “%(n)s” tidak dikenal: tulis singkatan atau nama lengkap OPD seperti di "
                "portal (menu OPD)."
            ) % {"n": nama}
        if not opd.aktif:
            return None, _("OPD %(n)s sudah tidak aktif.") % {"n": opd.singkatan}
        return opd, ""


def opd_boleh(pengguna) -> set[int] | None:
    """The agencies whose actions the person may import; None for every action."""
    if pengguna is None or pengguna.has_perm("rencana_aksi.kelola_rad"):
        return None
    # Only an agency's operators report on its actions (rules.pelapor_aksi).
    return {
        k.opd_id for k in pengguna.keanggotaan_aktif if k.peran == Peran.OPERATOR_OPD and k.opd_id
    }


def tahun_sel(raw) -> int | None:
    value = angka_id(raw)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


def triwulan_sel(raw) -> int | None:
    cocok = TRIWULAN.match(teks_sel(raw))
    if not cocok:
        return None
    value = cocok[1].lower()
    return ROMAWI.get(value) or int(value)
