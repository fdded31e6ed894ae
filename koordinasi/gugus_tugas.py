"""The task force's tables: its members, and members and KHA-trained members grouped by
sub-team or by body. Drawn on the task force's page and on the effectiveness panel, so both
count the same way. The models and writes are agencies' (agencies.gugus_tugas, services)."""

from __future__ import annotations

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from agencies.models import AnggotaGugusTugas, GugusTugas
from kla_portal.ekspor import Kolom, Tabel
from kla_portal.persen import persen


def anggota_aktif(gugus: GugusTugas) -> list[AnggotaGugusTugas]:
    """The task force's seats in force, with their people, bodies, sub-teams and whether each
    person is trained in KHA (``terlatih``): one query."""
    return list(
        gugus.anggota.aktif()
        .dengan_terlatih()
        .select_related("personil__opd", "sub_tim")
        .order_by("sub_tim__urutan", "jabatan", "personil__nama")
    )


def nama_sub_tim(anggota: AnggotaGugusTugas) -> str:
    return anggota.sub_tim.nama if anggota.sub_tim else _("(tanpa sub-tim)")


def lembaga(anggota: AnggotaGugusTugas) -> str:
    return anggota.personil.opd.singkatan


def tabel_terlatih(nama: str, judul: str, pertama: str, anggota: list, kunci) -> Tabel:
    """Members, technical staff and trained members grouped by ``kunci(anggota)`` (a sub-team,
    a body); yellow where nobody is trained."""
    hitung: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for a in anggota:
        baris = hitung[kunci(a)]
        baris[0] += 1
        baris[1] += a.terlatih
        baris[2] += a.unsur == AnggotaGugusTugas.Unsur.TEKNIS
    tabel = Tabel(
        nama,
        judul,
        [
            Kolom(pertama),
            Kolom(_("Anggota"), "jumlah"),
            Kolom(_("Staf teknis"), "jumlah"),
            Kolom(_("Terlatih KHA"), "jumlah"),
            Kolom(_("Terlatih"), "persen"),
        ],
    )
    for label, (n, terlatih, teknis) in sorted(hitung.items(), key=lambda kv: kv[0].lower()):
        tabel.tambah(
            label,
            n,
            teknis,
            terlatih,
            persen(terlatih, n),
            kelas="table-warning" if not terlatih else "",
        )
    return tabel


def tabel_anggota(anggota: list) -> Tabel:
    tabel = Tabel(
        "anggota-gugus-tugas",
        _("Anggota"),
        [
            Kolom(_("Nama")),
            Kolom(_("Lembaga")),
            Kolom(_("Jabatan")),
            Kolom(_("Kedudukan")),
            Kolom(_("Sub-tim")),
            Kolom(_("Unsur")),
            Kolom(_("Terlatih KHA")),
        ],
    )
    for a in anggota:
        tabel.tambah(
            a.personil.nama,
            lembaga(a),
            a.personil.jabatan,
            a.get_jabatan_display(),
            nama_sub_tim(a),
            a.get_unsur_display(),
            "✓" if a.terlatih else "✗",
            tautan=reverse("koordinasi:personil", args=[a.personil.pk]),
        )
    return tabel


def tabel_halaman(anggota: list) -> list[Tabel]:
    """The task force page's tables: trained per sub-team, per body, and the members."""
    return [
        tabel_terlatih(
            "terlatih-per-sub-tim",
            _("Terlatih KHA per sub-tim"),
            _("Sub-tim"),
            anggota,
            nama_sub_tim,
        ),
        tabel_terlatih(
            "terlatih-per-lembaga", _("Terlatih KHA per lembaga"), _("Lembaga"), anggota, lembaga
        ),
        tabel_anggota(anggota),
    ]
