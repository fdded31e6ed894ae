"""The RAD dashboard for Bappeda: target against achievement and ceiling against spending by
agency, cluster and year; the children's share of the city budget; actions behind pace;
agencies that have not reported. Agency staff see the same page for their own actions.

Figures come from rencana_aksi.pemantauan (three queries for all actions in every year of the
plan, one for the city budget): the query count does not grow with the actions.
"""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from agencies.decorators import perlu_izin
from kla_portal.ekspor import Kolom, Tabel
from kla_portal.grafik import svg
from kla_portal.tabel import tulis_angka
from rencana_aksi import grafik, pemantauan
from rencana_aksi.models import Aksi, Klaster, PeriodeRad
from rencana_aksi.tabel import tabel_jumlah
from rencana_aksi.views.aksi import tahun_dalam


@perlu_izin("rencana_aksi.lihat_rad")
def dasbor(request, periode_id):
    periode = get_object_or_404(PeriodeRad, pk=periode_id)
    hari_ini = datetime.date.today()
    tahun = tahun_dalam(periode, request.GET.get("tahun"), hari_ini)
    seluruh_kota = request.user.has_perm("agencies.view_seluruh_kota")
    aksi = Aksi.objects.filter(periode=periode).visible_to(request.user)
    semua_tahun = pemantauan.muat_tahun(aksi, periode.tahun_list, hari_ini)
    daftar = semua_tahun[tahun]
    daftar_url = reverse("rencana_aksi:aksi-list", args=[periode.pk])

    def ke_daftar(**query):
        return f"{daftar_url}?{urlencode({'tahun': tahun, **query})}"

    per_opd = pemantauan.kelompokkan(
        daftar, lambda k: k.aksi.opd_utama_id, lambda k: k.aksi.opd_utama.singkatan
    )
    opd_id = {k.aksi.opd_utama.singkatan: k.aksi.opd_utama_id for k in daftar}
    per_klaster = pemantauan.kelompokkan(
        daftar, lambda k: k.aksi.klaster, lambda k: k.aksi.get_klaster_display()
    )
    klaster_kode = {label: value for value, label in Klaster.choices}
    urutan = [label for _value, label in Klaster.choices]
    per_klaster.sort(key=lambda j: urutan.index(j.nama) if j.nama in urutan else len(urutan))
    kota = pemantauan.total(daftar, _("Seluruh aksi"))

    per_tahun = [pemantauan.total(semua_tahun[t], str(t)) for t in periode.tahun_list]

    berisiko = Tabel(
        "aksi-berisiko",
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
        berisiko.tambah(
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

    triwulan, belum = pemantauan.opd_belum_lapor(daftar, tahun, hari_ini)
    belum_lapor = Tabel(
        "opd-belum-melapor",
        _("OPD yang belum mengirim laporan triwulan %(tw)s") % {"tw": triwulan or "-"},
        [Kolom(_("OPD")), Kolom(_("Aksi belum dilaporkan"), "jumlah"), Kolom(_("Kode aksi"))],
        catatan=_("Batas kirim: tanggal 15 bulan setelah triwulan berakhir."),
    )
    for row in belum:
        belum_lapor.tambah(
            row["opd"].singkatan,
            len(row["aksi"]),
            ", ".join(a.kode for a in row["aksi"]),
            tautan=ke_daftar(opd=row["opd"].pk, terlambat=1),
        )

    tabel = [
        tabel_jumlah(
            "rad-per-opd",
            _("Per OPD penanggung jawab"),
            _("OPD"),
            per_opd,
            tautan=lambda j: ke_daftar(opd=opd_id[j.nama]),
        ),
        tabel_jumlah(
            "rad-per-klaster",
            _("Per kelompok/klaster"),
            _("Klaster"),
            per_klaster,
            tautan=lambda j: ke_daftar(klaster=klaster_kode.get(j.nama, "")),
        ),
        berisiko,
        belum_lapor,
        tabel_jumlah("rad-per-tahun", _("Per tahun rencana"), _("Tahun"), per_tahun),
    ]
    unduh = request.GET.get("unduh")
    if unduh:
        pilihan = next((t for t in tabel if t.nama == unduh), None)
        if pilihan is not None:
            return pilihan.unduhan(f"{pilihan.nama}-{tahun}")

    opd_grafik = sorted(per_opd, key=lambda j: -j.pagu)[:15]
    context = {
        "periode": periode,
        "tahun": tahun,
        "seluruh_kota": seluruh_kota,
        "kota": kota,
        "porsi": pemantauan.porsi_anak(daftar, tahun) if seluruh_kota else None,
        "triwulan": triwulan,
        "tabel": tabel,
        "grafik_opd": svg(
            grafik.pagu_dan_serapan(
                [{"nama": j.nama, "pagu": j.pagu, "terserap": j.terserap} for j in opd_grafik],
                judul_sumbu=_("OPD"),
            )
        )
        if opd_grafik
        else "",
        "grafik_klaster": svg(
            grafik.capaian([{"nama": j.nama, "persen": j.rata_capaian} for j in per_klaster])
        )
        if any(j.rata_capaian is not None for j in per_klaster)
        else "",
        "grafik_tahun": svg(
            grafik.pagu_dan_serapan(
                [{"nama": j.nama, "pagu": j.pagu, "terserap": j.terserap} for j in per_tahun],
                judul_sumbu=_("Tahun"),
            )
        ),
    }
    return render(request, "rencana_aksi/dasbor.html", context)


@perlu_izin("rencana_aksi.lihat_rad")
def indikator(request):
    """From a KLA indicator (its code, as on the score pages) to the actions that serve it, in
    the plan period covering ``tahun`` (the evaluation year) or the newest one."""
    kode = (request.GET.get("kode") or "").strip()
    tahun = request.GET.get("tahun")
    periode = (
        PeriodeRad.objects.berlaku(int(tahun))
        if tahun and tahun.isdigit()
        else PeriodeRad.objects.first()
    )
    if periode is None:
        return redirect("rencana_aksi:beranda")
    url = reverse("rencana_aksi:aksi-list", args=[periode.pk])
    return redirect(f"{url}?{urlencode({'indikator': kode})}")
