"""The main menu: one list, each item shown only to people with its permission."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url_name: str
    icon: str
    description: str | Promise
    permission: str | None = None

    def visible_for(self, user) -> bool:
        return self.permission is None or user.has_perm(self.permission)


MENU = [
    MenuItem(_("Beranda"), "beranda", "house", _("Ringkasan peran dan tugas Anda.")),
    MenuItem(
        _("Provinsi"),
        "provinsi:dasbor",
        "map",
        _("Semua kab/kota provinsi: skor, verifikasi provinsi dan kesiapan PROVILA."),
        "agencies.pantau_provinsi",
    ),
    MenuItem(
        _("Tugas saya"),
        "clusters:tugas",
        "list-check",
        _("Pertanyaan evaluasi yang Anda jawab atau setujui, dengan statusnya."),
        "clusters.lihat_tugas",
    ),
    MenuItem(
        _("Verifikasi"),
        "clusters:antrean-verifikasi",
        "patch-check",
        _("Jawaban yang sudah disetujui kepala OPD dan menunggu verifikasi."),
        "clusters.verifikasi_jawaban",
    ),
    MenuItem(
        _("Skor"),
        "skor:terbaru",
        "bar-chart-line",
        _("Total poin, kategori, kelengkapan dan poin yang hilang, per OPD dan wilayah."),
        "clusters.lihat_skor",
    ),
    MenuItem(
        _("RAD KLA"),
        "rencana_aksi:beranda",
        "journal-check",
        _("Rencana aksi daerah lima tahun: aksi, target, anggaran dan laporan triwulan."),
        "rencana_aksi.lihat_rad",
    ),
    MenuItem(
        _("Koordinasi"),
        "koordinasi:beranda",
        "calendar-week",
        _("Gugus Tugas, kalender rapat, tindak lanjut, fasilitas wilayah dan efektivitasnya."),
        "koordinasi.lihat_koordinasi",
    ),
    MenuItem(
        _("Laporan"),
        "laporan:beranda",
        "file-earmark-pdf",
        _("Bundel evaluasi untuk KemenPPPA (PDF atau ZIP) dan rapor tiap OPD."),
        "laporan.lihat_laporan",
    ),
    MenuItem(
        _("Evaluasi"),
        "clusters:tahun-list",
        "clipboard-check",
        _("Tahun evaluasi, instrumen, pemetaan dan penugasan OPD."),
        "clusters.pantau_evaluasi",
    ),
    MenuItem(
        _("OPD"),
        "agencies:opd-list",
        "building",
        _("Perangkat daerah dan lembaga anggota Gugus Tugas beserta penggunanya."),
        "agencies.lihat_opd",
    ),
    MenuItem(
        _("Wilayah"),
        "agencies:wilayah-list",
        "geo-alt",
        _("Kecamatan dan kelurahan/desa dengan kode Kemendagri."),
    ),
    MenuItem(
        _("Pengguna"),
        "agencies:pengguna-list",
        "people",
        _("Buat akun, atur peran, akhiri keanggotaan, atur ulang kata sandi."),
        "agencies.kelola_pengguna",
    ),
]


def menu_for(user, path: str = "") -> list[dict]:
    """Menu entries the user may open; the one whose address holds ``path`` most closely is
    marked active (/evaluasi/verifikasi/ is Verifikasi, not Evaluasi)."""
    entries = [
        {
            "label": item.label,
            "url": reverse(item.url_name),
            "icon": item.icon,
            "description": item.description,
            "active": False,
        }
        for item in MENU
        if item.visible_for(user)
    ]
    matching = [
        e for e in entries if path == e["url"] or (e["url"] != "/" and path.startswith(e["url"]))
    ]
    if matching:
        max(matching, key=lambda e: len(e["url"]))["active"] = True
    return entries
