"""Checking the rows of a quarter's realisation sheet: one row per action and quarter."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kla_portal.impor import Galat, periksa_baris
from kla_portal.tabel import angka_id, catatan_sel, nilai_sel, tampil_sel, teks_sel
from rencana_aksi import services
from rencana_aksi.impor.kolom import BATAS_ANGKA, BATAS_RUPIAH, NILAI_REALISASI, ROMAWI_TULIS
from rencana_aksi.impor.laporan import BarisRealisasi, Dilewati, LaporanRad
from rencana_aksi.impor.sel import angka, kunci_kode, tahun_sel, triwulan_sel
from rencana_aksi.models import Aksi, Realisasi

Masalah = list[tuple[str, str]]


class PemeriksaRealisasi:
    """Checks the rows of a realisation sheet into a report."""

    def __init__(self, laporan: LaporanRad, kolom: list[str], pengguna):
        self.laporan = laporan
        self.periode = laporan.periode
        self.pengguna = pengguna
        self.kelola = pengguna is None or pengguna.has_perm("rencana_aksi.kelola_rad")
        self.kolom_nilai = [k for k in NILAI_REALISASI if k in kolom]
        self.versi_templat = "versi_laporan" in kolom
        self.aksi = {
            kunci_kode(a.kode): a
            for a in Aksi.objects.filter(periode=self.periode).select_related(
                "periode", "opd_utama"
            )
        }
        self.realisasi: dict[tuple[int, int, int], Realisasi] = {}
        self.seen: dict[tuple, int] = {}

    def periksa(self, rows: list[dict], kemajuan) -> None:
        if not self.kolom_nilai:
            self.laporan.galat.append(
                Galat(
                    1,
                    "",
                    _("Tidak ada kolom laporan: beri paling sedikit salah satu kolom %(k)s.")
                    % {"k": ", ".join(NILAI_REALISASI)},
                )
            )
            return
        tahun_berkas = {tahun_sel(row.get("tahun")) for row in rows} - {None}
        self.realisasi = {
            (r.aksi_id, r.tahun, r.triwulan): r
            for r in Realisasi.objects.filter(aksi__periode=self.periode, tahun__in=tahun_berkas)
        }
        periksa_baris(self.laporan, rows, self._baris, kemajuan=kemajuan)

    def _baris(self, row: dict, baris: int) -> Masalah:
        laporan = self.laporan
        isi = {k: nilai_sel(row.get(k)) for k in self.kolom_nilai}
        if all(value is None for value in isi.values()):
            laporan.kosong += 1
            return []
        aksi, masalah = self._aksi(row)
        if masalah:
            return masalah
        tahun, triwulan, masalah = self._triwulan(row, aksi, baris)
        if masalah:
            return masalah
        realisasi = self.realisasi.get((aksi.pk, tahun, triwulan))
        if realisasi is not None and not realisasi.bisa_diubah:
            label = f"{aksi.kode} {tahun} TW {ROMAWI_TULIS[triwulan]}"
            laporan.dilewati.append(Dilewati(baris, label, realisasi.get_status_display()))
            return []
        basi = self._templat_basi(row, realisasi)
        if basi:
            return [("versi_laporan", basi)]
        nilai, masalah = _nilai(isi, realisasi)
        if masalah:
            return masalah
        if realisasi is not None and (
            realisasi.capaian,
            realisasi.anggaran,
            realisasi.narasi,
        ) == (nilai["capaian"], nilai["anggaran"], nilai["narasi"]):
            laporan.tidak_berubah += 1
            return []
        laporan.tulis.append(BarisRealisasi(baris, aksi, tahun, triwulan, realisasi, **nilai))
        return []

    def _aksi(self, row: dict) -> tuple[Aksi | None, Masalah]:
        """The action a row names, or why there is none."""
        kode = teks_sel(row.get("kode_aksi"))
        if not kode:
            return None, [("kode_aksi", _("kode_aksi kosong, padahal baris ini berisi laporan."))]
        aksi = self.aksi.get(kunci_kode(kode))
        if aksi is None:
            return None, [
                (
                    "kode_aksi",
                    _("Kode aksi %(k)s tidak ada di %(p)s.") % {"k": kode, "p": self.periode},
                )
            ]
        return aksi, []

    def _triwulan(self, row: dict, aksi: Aksi, baris: int) -> tuple[int, int, Masalah]:
        """The row's year and quarter, once in the file, reported by the person, and open."""
        tahun, triwulan, masalah = _tahun_triwulan(row, self.periode)
        if masalah:
            return tahun, triwulan, masalah
        kunci = (aksi.pk, tahun, triwulan)
        if kunci in self.seen:
            return (
                tahun,
                triwulan,
                [
                    (
                        "kode_aksi",
                        _("Laporan %(k)s %(t)s triwulan %(tw)s sudah ada di baris %(b)s.")
                        % {
                            "k": aksi.kode,
                            "t": tahun,
                            "tw": ROMAWI_TULIS[triwulan],
                            "b": self.seen[kunci],
                        },
                    )
                ],
            )
        self.seen[kunci] = baris
        if not self.kelola and not self.pengguna.has_perm("rencana_aksi.lapor_realisasi", aksi):
            pesan = _(
                "Aksi %(k)s bukan aksi OPD Anda (penanggung jawabnya %(opd)s); "
                "realisasinya dilaporkan OPD tersebut."
            ) % {"k": aksi.kode, "opd": aksi.opd_utama.singkatan}
            return tahun, triwulan, [("kode_aksi", pesan)]
        try:
            services.triwulan_periksa(aksi=aksi, tahun=tahun, triwulan=triwulan)
        except ValidationError as error:
            return tahun, triwulan, [("triwulan", error.messages[0])]
        return tahun, triwulan, []

    def _templat_basi(self, row: dict, realisasi: Realisasi | None) -> str:
        """Why a template row must not be written: the report was saved by someone after the
        template was downloaded, and writing the row would undo that."""
        if not self.versi_templat:
            return ""
        versi = angka_id(nilai_sel(row.get("versi_laporan")))
        kini = realisasi.versi if realisasi else 0
        if versi is None or versi == kini:
            return ""
        return _(
            "Laporan ini sudah diubah sejak templat diunduh (versi %(lama)s, kini %(kini)s); "
            "baris ini akan menimpa perubahan itu. Unduh templat baru, atau kosongkan sel "
            "versi_laporan bila memang ingin menimpanya."
        ) % {"lama": int(versi), "kini": kini}


def _tahun_triwulan(row: dict, periode) -> tuple[int | None, int | None, Masalah]:
    masalah = []
    tahun = tahun_sel(row.get("tahun"))
    if tahun is None:
        masalah.append(
            ("tahun", _("tahun %(isi)s bukan tahun.") % {"isi": tampil_sel(row.get("tahun"))})
        )
    elif tahun not in periode.tahun_list:
        masalah.append(("tahun", _("Tahun %(t)s di luar %(p)s.") % {"t": tahun, "p": periode}))
    triwulan = triwulan_sel(row.get("triwulan"))
    if triwulan is None:
        masalah.append(
            (
                "triwulan",
                _("triwulan %(isi)s tidak dikenal: tulis 1 sampai 4, atau I sampai IV.")
                % {"isi": tampil_sel(row.get("triwulan"))},
            )
        )
    return tahun, triwulan, masalah


def _nilai(isi: dict, realisasi: Realisasi | None) -> tuple[dict, Masalah]:
    """The report's values after the row: a cell's where it holds one, else the current."""
    masalah = []
    nilai = {
        "capaian": realisasi.capaian if realisasi else None,
        "anggaran": realisasi.anggaran if realisasi else None,
        "narasi": realisasi.narasi if realisasi else "",
    }
    for kolom, batas in (("capaian", BATAS_ANGKA), ("anggaran", BATAS_RUPIAH)):
        if isi.get(kolom) is None:
            continue
        value, pesan = angka(kolom, isi[kolom], batas)
        if pesan:
            masalah.append((kolom, pesan))
        else:
            nilai[kolom] = value
    if isi.get("uraian") is not None:
        narasi = catatan_sel(isi["uraian"])
        if narasi.split() != nilai["narasi"].split():  # else keep the stored spacing
            nilai["narasi"] = narasi
    return nilai, masalah
