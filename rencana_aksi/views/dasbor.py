"""The RAD dashboard for Bappeda: target against achievement and ceiling against spending by
agency, cluster and year; the children's share of the city budget; actions behind pace;
agencies that have not reported. Agency staff see the same page for their own actions.

Figures come from rencana_aksi.selectors.dasbor_rad (totals computed in the database, the
actions at risk furthest behind shown, all of them in the XLSX; the late reports counted per
agency, their codes in the XLSX): neither the query count nor the rows read grow with the
actions. The year shown is one pass over the plan; every plan year side by side is one pass
each, so it is drawn only when asked for (``?antartahun=1``) or downloaded.
"""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from agencies.decorators import perlu_izin
from kla_portal.grafik import svg
from kla_portal.replika import baca_replika
from rencana_aksi import grafik, selectors
from rencana_aksi.models import Klaster, PeriodeRad
from rencana_aksi.saringan import tahun_dalam
from rencana_aksi.tabel import (
    TABEL_PER_TAHUN,
    tabel_belum_lapor,
    tabel_berisiko,
    tabel_jumlah,
)


def _tabel(d: selectors.DasborRad, ke_daftar) -> list:
    """The dashboard's tables, each row leading to the list of actions it counts."""
    klaster_kode = {label: value for value, label in Klaster.choices}
    return [
        tabel_jumlah(
            "rad-per-opd",
            _("Per OPD penanggung jawab"),
            _("OPD"),
            d.per_opd,
            tautan=lambda j: ke_daftar(opd=d.opd_id[j.nama]),
        ),
        tabel_jumlah(
            "rad-per-klaster",
            _("Per kelompok/klaster"),
            _("Klaster"),
            d.per_klaster,
            tautan=lambda j: ke_daftar(klaster=klaster_kode.get(j.nama, "")),
        ),
        tabel_berisiko(d.berisiko, semua=d.kota.berisiko),
        tabel_belum_lapor(
            d.triwulan, d.belum_lapor, tautan=lambda opd: ke_daftar(opd=opd.pk, terlambat=1)
        ),
        *(
            [tabel_jumlah(TABEL_PER_TAHUN, _("Per tahun rencana"), _("Tahun"), d.per_tahun)]
            if d.per_tahun
            else []
        ),
    ]


def _grafik(d: selectors.DasborRad) -> dict:
    """Ceiling against spending for the 15 largest agencies and per year (when the years are
    compared); achievement per cluster (when any has a target)."""
    opd_grafik = sorted(d.per_opd, key=lambda j: -j.pagu)[:15]
    klaster = [{"nama": j.nama, "persen": j.rata_capaian} for j in d.per_klaster]
    return {
        "grafik_opd": svg(
            grafik.pagu_dan_serapan(
                [{"nama": j.nama, "pagu": j.pagu, "terserap": j.terserap} for j in opd_grafik],
                judul_sumbu=_("OPD"),
            )
        )
        if opd_grafik
        else "",
        "grafik_klaster": svg(grafik.capaian(klaster))
        if any(j["persen"] is not None for j in klaster)
        else "",
        "grafik_tahun": svg(
            grafik.pagu_dan_serapan(
                [{"nama": j.nama, "pagu": j.pagu, "terserap": j.terserap} for j in d.per_tahun],
                judul_sumbu=_("Tahun"),
            )
        )
        if d.per_tahun
        else "",
    }


@perlu_izin("rencana_aksi.lihat_rad")
@baca_replika
def dasbor(request, periode_id):
    periode = get_object_or_404(PeriodeRad.objects.visible_to(request.user), pk=periode_id)
    hari_ini = datetime.date.today()
    tahun = tahun_dalam(periode, request.GET.get("tahun"), hari_ini)
    unduh = request.GET.get("unduh") or ""
    # The years side by side cost a pass over the plan per year: only when asked for.
    antartahun = request.GET.get("antartahun") == "1"
    d = selectors.dasbor_rad(
        user=request.user,
        periode=periode,
        tahun=tahun,
        hari_ini=hari_ini,
        unduh=unduh,
        semua_tahun=antartahun or unduh == TABEL_PER_TAHUN,
    )
    daftar_url = reverse("rencana_aksi:aksi-list", args=[periode.pk])

    def daftar_url_tahun(**query):
        return f"{daftar_url}?{urlencode({'tahun': tahun, **query})}"

    tabel = _tabel(d, daftar_url_tahun)
    pilihan = next((t for t in tabel if t.nama == unduh), None)
    if pilihan is not None:
        return pilihan.unduhan(f"{pilihan.nama}-{tahun}")
    context = {
        "periode": periode,
        "tahun": tahun,
        "seluruh_kota": d.seluruh_kota,
        "kota": d.kota,
        "porsi": d.porsi,
        "triwulan": d.triwulan,
        "tabel": tabel,
        "semua_berisiko": daftar_url_tahun(berisiko=1) if d.kota.berisiko > len(d.berisiko) else "",
        "antartahun": antartahun,
        "antartahun_url": f"?{urlencode({'tahun': tahun, 'antartahun': 1})}#judul-grafik-tahun",
        "per_tahun_xlsx": f"?{urlencode({'tahun': tahun, 'unduh': TABEL_PER_TAHUN})}",
        **_grafik(d),
    }
    return render(request, "rencana_aksi/dasbor.html", context)


@perlu_izin("rencana_aksi.lihat_rad")
@baca_replika
def indikator(request):
    """From a KLA indicator (its code, as on the score pages) to the actions that serve it, in
    the plan period covering ``tahun`` (the evaluation year) or the newest one."""
    kode = (request.GET.get("kode") or "").strip()
    tahun = request.GET.get("tahun")
    rencana = PeriodeRad.objects.visible_to(request.user)
    periode = rencana.berlaku(int(tahun)) if tahun and tahun.isdigit() else rencana.first()
    if periode is None:
        return redirect("rencana_aksi:beranda")
    url = reverse("rencana_aksi:aksi-list", args=[periode.pk])
    return redirect(f"{url}?{urlencode({'indikator': kode})}")
