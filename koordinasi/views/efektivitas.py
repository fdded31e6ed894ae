"""The coordination effectiveness panel, the mayor's summary: which agencies show up, follow
through and have trained people, and whether the task force meets as often as it should. The
figures and tables are koordinasi.efektivitas's."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from agencies.decorators import perlu_izin
from kla_portal.grafik import svg
from koordinasi import efektivitas, grafik
from koordinasi.forms import nomor


@perlu_izin("koordinasi.lihat_efektivitas")
def panel(request):
    hari_ini = timezone.localdate()
    tahun = nomor(request.GET.get("tahun"))
    if tahun is None or not 2000 <= tahun <= hari_ini.year:
        tahun = hari_ini.year
    isi = efektivitas.panel(tahun=tahun, hari_ini=hari_ini, daerah_id=request.user.daerah_id)
    unduh = request.GET.get("unduh")
    if unduh:
        pilihan = next((t for t in isi.tabel if t.nama == unduh), None)
        if pilihan is not None:
            return pilihan.unduhan(f"{pilihan.nama}-{tahun}")
    return render(
        request,
        "koordinasi/efektivitas.html",
        {
            "aktif": "efektivitas",
            "tahun": tahun,
            "tahun_pilihan": range(hari_ini.year, hari_ini.year - 5, -1),
            "gugus": isi.gugus,
            "kartu": isi.kartu,
            "tabel": isi.tabel,
            "grafik_bulan": svg(grafik.rapat_per_bulan(isi.bulan)) if isi.bulan else "",
            "grafik_hadir": svg(grafik.kehadiran(isi.hadir)) if isi.hadir else "",
        },
    )
