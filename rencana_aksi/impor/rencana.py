"""Checking the rows of a plan sheet: one row per action, with its yearly targets."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kla_portal.impor import Galat, periksa_baris
from kla_portal.tabel import nilai_sel, tampil_sel, teks_sel
from rencana_aksi.forms import KODE_NOMENKLATUR, kode_indikator
from rencana_aksi.impor.keadaan import aksi_lengkap, perubahan, sidik_aksi
from rencana_aksi.impor.kolom import (
    BATAS_ANGKA,
    BATAS_RUPIAH,
    BIDANG,
    KOLOM_TAHUNAN,
    NOMENKLATUR,
    PER_NAMA,
    SKALAR,
    WAJIB_AKSI_BARU,
    daftar_kolom,
)
from rencana_aksi.impor.laporan import BarisAksi, LaporanRad
from rencana_aksi.impor.sel import DaftarOpd, angka, kunci_kode, opd_boleh, pilihan
from rencana_aksi.models import Aksi, Klaster, SumberDana
from rencana_aksi.services import DataAksi

Masalah = list[tuple[str, str]]


class PemeriksaRencana:
    """Checks the rows of a plan sheet into a report."""

    def __init__(self, laporan: LaporanRad, kolom: list[str], pengguna):
        self.laporan = laporan
        self.periode = laporan.periode
        self.kolom_aksi = [k for k in kolom if k in BIDANG]
        self.kolom_tahun: dict[int, list[str]] = {}
        for k in kolom:
            cocok = KOLOM_TAHUNAN.match(k)
            if cocok:
                self.kolom_tahun.setdefault(int(cocok[2]), []).append(k)
        self.boleh = opd_boleh(pengguna)
        self.klaster = pilihan(Klaster.choices)
        self.status = pilihan(Aksi.Status.choices)
        self.sumber = pilihan(SumberDana.choices)
        self.opd = DaftarOpd(self.periode.daerah_id)
        self.aksi = {
            kunci_kode(a.kode): a for a in aksi_lengkap(Aksi.objects.filter(periode=self.periode))
        }
        self.seen: dict[str, int] = {}
        self.sebelumnya: dict = {}

    def periksa(self, rows: list[dict], kemajuan) -> None:
        if not self.kolom_aksi and not self.kolom_tahun:
            self.laporan.galat.append(
                Galat(
                    1,
                    "",
                    _("Tidak ada kolom untuk diimpor selain kode_aksi; kolom yang dikenali %(k)s.")
                    % {"k": daftar_kolom()},
                )
            )
            return
        periksa_baris(self.laporan, rows, self._baris_ini, kemajuan=kemajuan)

    def _baris_ini(self, row: dict, baris: int) -> Masalah:
        try:
            return self._baris(row, baris)
        finally:
            self.sebelumnya = row

    def _baris(self, row: dict, baris: int) -> Masalah:
        laporan = self.laporan
        isi = {k: nilai_sel(row.get(k)) for k in self.kolom_aksi}
        for kolom_list in self.kolom_tahun.values():
            isi.update({k: nilai_sel(row.get(k)) for k in kolom_list})
        if all(value is None for value in isi.values()):
            laporan.kosong += 1
            return []
        kode = teks_sel(row.get("kode_aksi"))
        masalah = self._kode_salah(kode, baris)
        if masalah:
            return masalah
        aksi = self.aksi.get(kunci_kode(kode))
        masalah = self._bukan_wewenang(aksi, kode)
        if masalah:
            return masalah
        nilai = self._nilai(aksi, isi, masalah)
        target = self._target(aksi, isi, masalah)
        if masalah:
            return masalah
        data = DataAksi(kode=aksi.kode if aksi else kode, target=target, **nilai)
        if aksi is None:
            laporan.tulis.append(BarisAksi(baris, data, None, "", ("baru",)))
            return []
        berubah = perubahan(aksi, data)
        if not berubah:
            laporan.tidak_berubah += 1
            return []
        laporan.tulis.append(BarisAksi(baris, data, aksi, sidik_aksi(aksi), berubah))
        return []

    def _kode_salah(self, kode: str, baris: int) -> Masalah:
        """The fault of the row's action code: blank, too long, or already in the file."""
        if not kode:
            return [("kode_aksi", _("kode_aksi kosong, padahal baris ini berisi data."))]
        if len(kode) > Aksi._meta.get_field("kode").max_length:
            return [("kode_aksi", _("kode_aksi %(k)s terlalu panjang.") % {"k": tampil_sel(kode)})]
        if kunci_kode(kode) in self.seen:
            return [
                (
                    "kode_aksi",
                    _("Kode aksi %(k)s sudah ada di baris %(b)s; satu aksi cukup satu baris.")
                    % {"k": kode, "b": self.seen[kunci_kode(kode)]},
                )
            ]
        self.seen[kunci_kode(kode)] = baris
        return []

    def _bukan_wewenang(self, aksi: Aksi | None, kode: str) -> Masalah:
        """An operator may change only the actions its agency leads, and add none."""
        if self.boleh is None:
            return []
        if aksi is None:
            return [
                (
                    "kode_aksi",
                    _(
                        "Aksi %(k)s belum ada di %(p)s; aksi baru hanya dapat ditambahkan "
                        "Bappeda, sekretariat, atau admin."
                    )
                    % {"k": kode, "p": self.periode},
                )
            ]
        if aksi.opd_utama_id not in self.boleh:
            return [
                (
                    "kode_aksi",
                    _("Aksi %(k)s bukan aksi OPD Anda (penanggung jawabnya %(opd)s).")
                    % {"k": aksi.kode, "opd": aksi.opd_utama.singkatan},
                )
            ]
        return []

    # --- The action's columns -----------------------------------------------------------------

    def _nilai(self, aksi, isi: dict, masalah: Masalah) -> dict:
        """The action's values after the row: a cell's where it holds one, else the current
        (a new action's defaults). Faults go to ``masalah``."""
        sekarang = self._sekarang(aksi)
        nilai = dict(sekarang)
        for kolom in self.kolom_aksi:
            if isi[kolom] is None:
                continue
            value, pesan = self._urai(kolom, isi[kolom])
            if not pesan and aksi is not None and _setara(kolom, value, sekarang[BIDANG[kolom]]):
                continue  # keep the stored spelling: re-importing changes nothing
            if not pesan and self.boleh is not None:
                pesan = _(
                    "Kolom %(k)s hanya dapat diubah Bappeda, sekretariat, atau admin; "
                    "operator OPD mengisi target_, pagu_ dan sumber_. Kosongkan sel "
                    "ini atau samakan dengan RAD (%(isi)s)."
                ) % {"k": kolom, "isi": _tulis_nilai(kolom, sekarang[BIDANG[kolom]])}
            if pesan:
                masalah.append((kolom, pesan))
            else:
                nilai[BIDANG[kolom]] = value
        if aksi is None:
            self._wajib_baru(nilai, masalah)
        if any(isi.get(k) is not None for k in NOMENKLATUR):
            _nomenklatur(nilai, masalah)
        _opd_aktif(nilai, masalah)
        return nilai

    def _wajib_baru(self, nilai: dict, masalah: Masalah) -> None:
        """A new action needs its name, cluster, indicator, unit and agency."""
        for kolom in WAJIB_AKSI_BARU:
            if nilai[BIDANG[kolom]] or any(k == kolom for k, _pesan in masalah):
                continue
            pesan = _("%(k)s wajib diisi untuk aksi baru.") % {"k": kolom}
            if nilai_sel(self.sebelumnya.get(kolom)) is not None:
                pesan += " " + _(
                    "Sel yang digabung (merge) hanya berisi nilai di baris pertamanya: isi "
                    "setiap baris."
                )
            masalah.append((kolom, pesan))

    @staticmethod
    def _sekarang(aksi: Aksi | None) -> dict:
        """The action's values as DataAksi fields; a new action's defaults."""
        if aksi is None:
            nilai = dict.fromkeys(BIDANG.values(), "")
            nilai.update(
                baseline=None,
                opd_utama=None,
                opd_pendukung=[],
                indikator_kla=[],
                status=Aksi.Status.DIRENCANAKAN,
            )
            return nilai
        nilai = {name: getattr(aksi, name) for name in BIDANG.values() if name in SKALAR}
        nilai["opd_pendukung"] = [o for o in aksi.opd_pendukung.all() if o.pk != aksi.opd_utama_id]
        nilai["indikator_kla"] = [i.kode for i in aksi.indikator.all()]
        return nilai

    def _urai(self, kolom: str, raw) -> tuple[object, str]:
        """A cell's value for its column, or the message saying what is wrong with it."""
        pembaca = {
            "angka": lambda: angka(kolom, raw, BATAS_ANGKA),
            "klaster": lambda: self._klaster(raw),
            "status": lambda: self._status(raw),
            "indikator": lambda: _indikator(raw),
            "opd": lambda: self.opd.cari(teks_sel(raw)),
            "opd_daftar": lambda: self._opd_daftar(raw),
        }
        baca = pembaca.get(PER_NAMA[kolom].jenis)
        return baca() if baca else _teks(kolom, raw)

    def _klaster(self, raw) -> tuple[object, str]:
        value = self.klaster.get(kunci_kode(teks_sel(raw)))
        if value is None:
            return None, _("klaster %(isi)s tidak dikenal: tulis salah satu dari %(k)s.") % {
                "isi": tampil_sel(raw),
                "k": ", ".join(str(label).split(":")[0] for label in Klaster.labels),
            }
        return value, ""

    def _status(self, raw) -> tuple[object, str]:
        value = self.status.get(kunci_kode(teks_sel(raw)))
        if value is None:
            return None, _("status %(isi)s tidak dikenal: %(pilihan)s.") % {
                "isi": tampil_sel(raw),
                "pilihan": ", ".join(str(label) for label in Aksi.Status.labels),
            }
        return value, ""

    def _opd_daftar(self, raw) -> tuple[object, str]:
        daftar, salah = [], []
        for bagian in re.split(r"[;\n]+", str(raw)):
            if not teks_sel(bagian):
                continue
            opd, pesan = self.opd.cari(teks_sel(bagian))
            if opd is None:
                salah.append(pesan)
            elif opd not in daftar:
                daftar.append(opd)
        return (None, " ".join(salah)) if salah else (daftar, "")

    # --- The years' columns -------------------------------------------------------------------

    def _target(self, aksi: Aksi | None, isi: dict, masalah: Masalah) -> dict:
        """Year → (target, ceiling, source) for the years the row fills; the others are not
        touched."""
        sekarang = {t.tahun: t for t in aksi.target.all()} if aksi else {}
        target = {}
        for tahun, kolom_list in sorted(self.kolom_tahun.items()):
            terisi = [k for k in kolom_list if isi[k] is not None]
            if not terisi:
                continue
            if tahun not in self.periode.tahun_list:
                masalah.extend(
                    (
                        k,
                        _(
                            "Tahun %(t)s di luar %(p)s: kosongkan kolom ini, atau impor ke "
                            "periode yang benar."
                        )
                        % {"t": tahun, "p": self.periode},
                    )
                    for k in terisi
                )
                continue
            nilai = self._satu_tahun(sekarang.get(tahun), terisi, isi, masalah)
            if nilai is not None:
                target[tahun] = nilai
        return target

    def _satu_tahun(self, lama, terisi: list[str], isi: dict, masalah: Masalah) -> tuple | None:
        """(target, ceiling, source) of a year after the row; None when a cell is wrong."""
        nilai = {
            "target": lama.target if lama else None,
            "pagu": lama.pagu if lama else None,
            "sumber": lama.sumber_dana if lama else SumberDana.APBD,
        }
        salah = False
        for kolom in terisi:
            jenis = kolom.split("_")[0]
            if jenis == "sumber":
                value, pesan = self._sumber(kolom, isi[kolom])
            else:
                value, pesan = angka(
                    kolom, isi[kolom], BATAS_RUPIAH if jenis == "pagu" else BATAS_ANGKA
                )
            if pesan:
                masalah.append((kolom, pesan))
                salah = True
            else:
                nilai[jenis] = value
        return None if salah else (nilai["target"], nilai["pagu"], nilai["sumber"])

    def _sumber(self, kolom: str, raw) -> tuple[object, str]:
        value = self.sumber.get(kunci_kode(teks_sel(raw)))
        if value:
            return value, ""
        return None, _("%(k)s %(isi)s tidak dikenal: %(pilihan)s.") % {
            "k": kolom,
            "isi": tampil_sel(raw),
            "pilihan": ", ".join(str(label) for label in SumberDana.labels),
        }


def _teks(kolom: str, raw) -> tuple[object, str]:
    """A text cell within its field's length; a nomenclature code as digits and dots."""
    teks = teks_sel(raw)
    panjang = Aksi._meta.get_field(BIDANG[kolom]).max_length
    if len(teks) > panjang:
        return None, _("%(k)s terlalu panjang (%(n)s karakter; paling banyak %(maks)s).") % {
            "k": kolom,
            "n": len(teks),
            "maks": panjang,
        }
    if kolom in NOMENKLATUR and not KODE_NOMENKLATUR.match(teks):
        return None, _(
            "%(k)s %(isi)s bukan kode nomenklatur: tulis angka dan titik, misalnya "
            "2.08.07.2.01.0001."
        ) % {"k": kolom, "isi": tampil_sel(raw)}
    return teks, ""


def _indikator(raw) -> tuple[object, str]:
    try:
        return kode_indikator(teks_sel(raw)), ""
    except ValidationError as error:
        return None, error.messages[0]


def _nomenklatur(nilai: dict, masalah: Masalah) -> None:
    """A kegiatan sits inside its programme, a sub-kegiatan inside its kegiatan."""
    for induk, anak in (("program_kode", "kegiatan_kode"), ("kegiatan_kode", "sub_kegiatan_kode")):
        a, b = nilai[induk], nilai[anak]
        if a and b and not b.startswith(f"{a}."):
            masalah.append((anak, _("%(k)s harus diawali %(a)s.") % {"k": anak, "a": f"{a}."}))


def _opd_aktif(nilai: dict, masalah: Masalah) -> None:
    opd = nilai["opd_utama"]
    if opd is not None and not opd.aktif and "opd" not in dict(masalah):
        masalah.append(
            (
                "opd",
                _(
                    "OPD penanggung jawab %(opd)s sudah tidak aktif; isi kolom opd dengan OPD "
                    "penggantinya."
                )
                % {"opd": opd.singkatan},
            )
        )


def _setara(kolom: str, a, b) -> bool:
    """Whether a cell's value is what the action already holds."""
    if kolom == "opd":
        return a is not None and b is not None and a.pk == b.pk
    if kolom == "opd_pendukung":
        return {o.pk for o in a} == {o.pk for o in b}
    if kolom == "indikator_kla":
        return set(a) == set(b)
    if isinstance(a, str) and isinstance(b, str):
        return " ".join(a.split()) == " ".join(b.split())
    return a == b


def _tulis_nilai(kolom: str, value) -> str:
    """The current value of a column as the template writes it, for a message."""
    if value is None or value == "" or value == []:
        return _("kosong")
    if kolom == "opd":
        return value.singkatan
    if kolom == "opd_pendukung":
        return "; ".join(o.singkatan for o in value)
    if kolom == "indikator_kla":
        return "; ".join(value)
    if kolom == "klaster":
        return str(Klaster(value).label)
    if kolom == "status":
        return str(Aksi.Status(value).label)
    return tampil_sel(value)
