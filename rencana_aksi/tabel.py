"""The RAD's tables: built once from rencana_aksi.pemantauan, shown on the pages, downloaded as
XLSX and printed in the evaluation bundle (laporan), so every place says the same."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from kla_portal.ekspor import Kolom, Tabel
from kla_portal.tabel import tulis_angka
from rencana_aksi import pemantauan
from rencana_aksi.models import Klaster

KLASTER_SINGKAT = {
    Klaster.KELEMBAGAAN: "Kelembagaan",
    Klaster.KLASTER_1: "Klaster I",
    Klaster.KLASTER_2: "Klaster II",
    Klaster.KLASTER_3: "Klaster III",
    Klaster.KLASTER_4: "Klaster IV",
    Klaster.KLASTER_5: "Klaster V",
    Klaster.KELANA_DEKELA: "Kelana-Dekela",
}
ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}
TABEL_AKSI = "aksi"  # the list's table, and ``?unduh=aksi`` its XLSX
TABEL_BERISIKO = "aksi-berisiko"
TABEL_BELUM_LAPOR = "opd-belum-melapor"
TABEL_PER_TAHUN = "rad-per-tahun"
TABEL_TINJAUAN = "tinjauan"


def urutan_indikator(kode: str) -> tuple:
    """ "Indikator 4" before "Indikator 21 A" before "Indikator 21 B"."""
    bagian = kode.split()
    nomor = int(bagian[1]) if len(bagian) > 1 and bagian[1].isdigit() else 99
    return (nomor, kode)


def teks_terlambat(k: pemantauan.KeadaanAksi) -> str:
    if not k.terlambat:
        return ""
    return _("terlambat TW %(tw)s") % {"tw": ", ".join(ROMAWI[t] for t in k.terlambat)}


def keterangan_keadaan(k: pemantauan.KeadaanAksi) -> str:
    """ "terlambat TW II, III; berisiko": what the list and the XLSX say about an action."""
    return "; ".join(t for t in (teks_terlambat(k), _("berisiko") if k.berisiko else "") if t)


def rincian(k: pemantauan.KeadaanAksi) -> dict:
    """What a row of the list says about an action besides its figures."""
    a = k.aksi
    return {
        "k": k,
        "klaster": KLASTER_SINGKAT.get(a.klaster, a.klaster),
        "pendukung": ", ".join(sorted(o.singkatan for o in a.opd_pendukung.all())),
        "indikator": ", ".join(
            i.kode for i in sorted(a.indikator.all(), key=lambda i: urutan_indikator(i.kode))
        ),
        "keadaan": keterangan_keadaan(k),
        "terlambat": teks_terlambat(k),
        "kelas": "table-danger" if k.terlambat else "table-warning" if k.berisiko else "",
        "url": a.get_absolute_url(),
    }


def baris_daftar(k: pemantauan.KeadaanAksi) -> dict:
    """A row of the list page: ``rincian`` and its figures formatted once here as the ``sel``
    filter formats them, so the template of a page of rows only prints them."""
    from kla_portal.templatetags.portal import sel

    return rincian(k) | {
        "target": sel(k.target, "bilangan"),
        "capaian": sel(k.capaian, "bilangan"),
        "persen_capaian": sel(k.persen_capaian, "persen"),
        "bar": "" if k.persen_capaian is None else str(k.persen_capaian),
        "pagu": sel(k.pagu, "rupiah"),
        "terserap": sel(k.terserap, "rupiah"),
        "persen_serap": sel(k.persen_serap, "persen"),
    }


def tabel_aksi(daftar: list[pemantauan.KeadaanAksi], tahun: int) -> Tabel:
    """The list's table."""
    tabel = Tabel(
        TABEL_AKSI,
        _("Aksi RAD KLA, angka tahun %(t)s") % {"t": tahun},
        [
            Kolom(_("Kode")),
            Kolom(_("Aksi")),
            Kolom(_("Klaster")),
            Kolom(_("OPD penanggung jawab")),
            Kolom(_("OPD pendukung")),
            Kolom(_("Indikator KLA")),
            Kolom(_("Target"), "bilangan"),
            Kolom(_("Capaian"), "bilangan"),
            Kolom(_("Satuan")),
            Kolom(_("Capaian"), "persen"),
            Kolom(_("Pagu (Rp)"), "rupiah"),
            Kolom(_("Terserap (Rp)"), "rupiah"),
            Kolom(_("Serapan"), "persen"),
            Kolom(_("Status aksi")),
            Kolom(_("Keadaan")),
        ],
        catatan=_(
            "Terlambat: laporan triwulan yang sudah lewat batas (tanggal 15 bulan berikutnya) "
            "belum dikirim. Berisiko: capaian di bawah 75% dari laju yang diharapkan."
        ),
    )
    for k in daftar:
        a, r = k.aksi, rincian(k)
        tabel.tambah(
            a.kode,
            a.nama,
            r["klaster"],
            a.opd_utama.singkatan,
            r["pendukung"],
            r["indikator"],
            k.target,
            k.capaian,
            a.satuan,
            k.persen_capaian,
            k.pagu,
            k.terserap,
            k.persen_serap,
            a.get_status_display(),
            r["keadaan"],
            tautan=r["url"],
            kelas=r["kelas"],
        )
    return tabel


def tabel_jumlah(nama: str, judul: str, pertama: str, rows: list, tautan=None) -> Tabel:
    tabel = Tabel(
        nama,
        judul,
        [
            Kolom(pertama),
            Kolom(_("Aksi"), "jumlah"),
            Kolom(_("Rata-rata capaian"), "persen"),
            Kolom(_("Pagu (Rp)"), "rupiah"),
            Kolom(_("Terserap (Rp)"), "rupiah"),
            Kolom(_("Serapan"), "persen"),
            Kolom(_("Berisiko"), "jumlah"),
            Kolom(_("Laporan terlambat"), "jumlah"),
        ],
    )
    for j in rows:
        tabel.tambah(
            j.nama,
            j.aksi,
            j.rata_capaian,
            j.pagu,
            j.terserap,
            j.persen_serap,
            j.berisiko,
            j.terlambat,
            tautan=tautan(j) if tautan else "",
            kelas="table-warning" if j.berisiko or j.terlambat else "",
        )
    return tabel


def tabel_berisiko(daftar: list[pemantauan.KeadaanAksi], *, semua: int = 0) -> Tabel:
    """The actions behind pace, the furthest behind first. ``semua``: how many are at risk,
    when ``daftar`` holds only the first of them."""
    tabel = Tabel(
        TABEL_BERISIKO,
        _("Aksi berisiko: tertinggal dari laju yang diharapkan"),
        [
            Kolom(_("Aksi")),
            Kolom(_("OPD")),
            Kolom(_("Target")),
            Kolom(_("Capaian")),
            Kolom(_("Capaian"), "persen"),
            Kolom(_("Triwulan terakhir dilaporkan")),
        ],
        catatan=_(
            "Capaian di bawah 75% dari laju yang diharapkan: target × triwulan yang sudah "
            "berakhir ÷ 4."
        ),
    )
    for k in sorted((k for k in daftar if k.berisiko), key=lambda k: k.persen_capaian or 0):
        tabel.tambah(
            f"{k.aksi.kode} {k.aksi.nama}",
            k.aksi.opd_utama.singkatan,
            f"{tulis_angka(k.target)} {k.aksi.satuan}" if k.target is not None else "",
            f"{tulis_angka(k.capaian)} {k.aksi.satuan}"
            if k.capaian is not None
            else _("belum ada"),
            k.persen_capaian,
            k.triwulan_terakhir or "",
            tautan=k.aksi.get_absolute_url(),
        )
    if semua > len(tabel.baris):
        tabel.catatan += " " + _(
            "Ditampilkan %(n)s dari %(semua)s aksi berisiko, yang paling tertinggal; semuanya "
            "ada di unduhan XLSX dan di daftar aksi yang disaring berisiko."
        ) % {"n": len(tabel.baris), "semua": semua}
    return tabel


def tabel_belum_lapor(triwulan: int | None, belum: list[dict], tautan) -> Tabel:
    """Per lead agency, how many actions had their report for ``triwulan`` not sent
    (selectors.dasbor_rad) and, when the rows hold them (the XLSX), their codes; on the page
    each row leads to the agency's late actions (``tautan(opd)``), so its length does not grow
    with the plan."""
    kode = any(row["aksi"] is not None for row in belum)
    tabel = Tabel(
        TABEL_BELUM_LAPOR,
        _("OPD yang belum mengirim laporan triwulan %(tw)s") % {"tw": triwulan or "-"},
        [
            Kolom(_("OPD")),
            Kolom(_("Aksi belum dilaporkan"), "jumlah"),
            *([Kolom(_("Kode aksi"))] if kode else []),
        ],
        catatan=_("Batas kirim: tanggal 15 bulan setelah triwulan berakhir.")
        + ("" if kode else " " + _("Kode aksinya ada di unduhan XLSX.")),
    )
    for row in belum:
        tabel.tambah(
            row["opd"].singkatan,
            row["jumlah"],
            *([", ".join(a.kode for a in row["aksi"])] if kode else []),
            tautan=tautan(row["opd"]),
        )
    return tabel


def tabel_tinjauan(laporan) -> Tabel:
    """Bappeda's queue (selectors.antrean_tinjauan): the page's reports, or all for XLSX."""
    tabel = Tabel(
        TABEL_TINJAUAN,
        _("Laporan menunggu tinjauan Bappeda"),
        [
            Kolom(_("Aksi")),
            Kolom(_("OPD")),
            Kolom(_("Triwulan")),
            Kolom(_("Target tahun"), "bilangan"),
            Kolom(_("Capaian s.d. triwulan"), "bilangan"),
            Kolom(_("Satuan")),
            Kolom(_("Terserap triwulan (Rp)"), "rupiah"),
            Kolom(_("Bukti"), "jumlah"),
            Kolom(_("Disetujui kepala")),
        ],
        catatan=_("Buka laporan untuk menerima atau mengembalikannya dengan alasan."),
    )
    for r in laporan:
        tabel.tambah(
            f"{r.aksi.kode} {r.aksi.nama}",
            r.aksi.opd_utama.singkatan,
            f"{r.tahun} TW {ROMAWI[r.triwulan]}",
            r.target_tahun,
            r.capaian,
            r.aksi.satuan,
            r.anggaran,
            r.bukti,
            timezone.localtime(r.diubah).strftime("%d/%m/%Y %H.%M"),
            tautan=r.get_absolute_url(),
        )
    return tabel
