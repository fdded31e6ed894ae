"""Quarterly reports: the report page with its form, evidence and workflow buttons, the
evidence downloads, Bappeda's review queue and the agency's inbox of reports.

The workflow is the answers' (clusters.alur): the lead agency's operator saves and sends, its
head approves or returns with a reason, Bappeda accepts or returns with a reason. A form built
from an older version, or a step pressed twice, changes nothing and says why.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.decorators import perlu_izin
from agencies.models import Opd
from clusters import alur
from clusters.forms import AlasanForm
from clusters.views import alur as alur_views
from kla_portal import berkas as berkas_check
from kla_portal.forms import tambah_galat, tambah_galat_kedaluwarsa
from kla_portal.halaman import tautan_halaman
from rencana_aksi import kotak, selectors, services
from rencana_aksi.forms import RealisasiForm, rapi
from rencana_aksi.kotak import kotak_laporan
from rencana_aksi.models import (
    Aksi,
    LampiranRealisasi,
    Realisasi,
    batas_lapor,
)
from rencana_aksi.selectors import periode_berjalan, triwulan_berjalan
from rencana_aksi.tabel import ROMAWI, TABEL_TINJAUAN, tabel_tinjauan

PER_HALAMAN = 50


def _aksi(request, pk: int) -> Aksi:
    """The action, or 404 when the person may not see it (ids in addresses reveal nothing)."""
    return get_object_or_404(
        Aksi.objects.visible_to(request.user).select_related("periode", "opd_utama"), pk=pk
    )


def _laporan(aksi: Aksi, tahun: int, triwulan: int) -> Realisasi:
    if tahun not in aksi.periode.tahun_list or triwulan not in ROMAWI:
        raise Http404
    realisasi = (
        Realisasi.objects.select_related("diubah_oleh")
        .filter(aksi=aksi, tahun=tahun, triwulan=triwulan)
        .first()
    )
    return realisasi or Realisasi(aksi=aksi, tahun=tahun, triwulan=triwulan, versi=0)


def _awal(realisasi: Realisasi) -> dict:
    return {
        "capaian": rapi(realisasi.capaian),
        "anggaran": rapi(realisasi.anggaran),
        "narasi": realisasi.narasi,
        "versi": realisasi.versi,
    }


def _ingatkan_berkas(request, form) -> None:
    # Without the page script a reloaded form cannot keep chosen files; with it, it does.
    if request.FILES and request.headers.get("X-Requested-With") != "XMLHttpRequest":
        form.add_error(None, _("Berkas yang tadi dipilih belum tersimpan: pilih lagi berkasnya."))


@perlu_izin("rencana_aksi.lihat_rad")
def realisasi(request, pk, tahun, triwulan):
    """One quarter of one action: read it, and for the lead agency's operator, fill it in."""
    aksi = _aksi(request, pk)
    laporan = _laporan(aksi, tahun, triwulan)
    boleh_isi = request.user.has_perm("rencana_aksi.lapor_realisasi", aksi)
    form = RealisasiForm(
        request.POST or None, request.FILES or None, initial=_awal(laporan), satuan=aksi.satuan
    )
    if request.method == "POST":
        if not boleh_isi:
            raise PermissionDenied
        if form.is_valid():
            try:
                laporan = services.realisasi_simpan(
                    aksi=aksi,
                    tahun=tahun,
                    triwulan=triwulan,
                    by=request.user,
                    versi=form.cleaned_data["versi"],
                    berkas=form.cleaned_data.get("berkas", []),
                    **form.nilai(),
                )
            except services.RealisasiKedaluwarsa as error:
                # Unless the newer version was sent on: the form is not shown any more.
                masih_diisi = _laporan(aksi, tahun, triwulan).bisa_diubah
                tambah_galat_kedaluwarsa(form, error, masih_diisi=masih_diisi)
                _ingatkan_berkas(request, form)
            except ValidationError as error:
                tambah_galat(form, error)
                _ingatkan_berkas(request, form)
            else:
                messages.success(request, _("Laporan disimpan sebagai draf."))
                return redirect(laporan)
        laporan = _laporan(aksi, tahun, triwulan)  # as it is now, after the refusal
    context = _konteks(request, aksi, laporan, boleh_isi)
    context["form"] = form
    return render(
        request, "rencana_aksi/realisasi.html", context, status=400 if form.errors else 200
    )


def _konteks(request, aksi: Aksi, laporan: Realisasi, boleh_isi: bool) -> dict:
    return {
        **selectors.halaman_realisasi(
            user=request.user, aksi=aksi, laporan=laporan, boleh_isi=boleh_isi
        ),
        "form_alasan": AlasanForm(),
    }


# --- Workflow steps -----------------------------------------------------------------------


def _laporan_untuk(request, pk: int, permission: str) -> Realisasi:
    laporan = get_object_or_404(
        Realisasi.objects.visible_to(request.user).select_related("aksi__periode"), pk=pk
    )
    if not request.user.has_perm(permission, laporan.aksi):
        raise PermissionDenied
    return laporan


def _langkah(request, laporan: Realisasi, step, success: str, **kwargs):
    return alur_views.langkah(
        request, step, tujuan=laporan, success=success, realisasi=laporan, **kwargs
    )


_alasan = alur_views.alasan


def _antrean_kepala(request, laporan: Realisasi):
    return kotak.antrean_setujui(user=request.user, hari_ini=timezone.localdate())


def _antrean_tinjauan(request, laporan: Realisasi):
    return selectors.antrean_tinjauan(opd_id=None)


def _langkah_view(
    permission: str,
    step,
    success,
    *,
    dengan_alasan: bool = False,
    izin: str = "rencana_aksi.lihat_rad",
    antrean=None,
):
    return alur_views.langkah_view(
        _laporan_untuk,
        _langkah,
        permission,
        step,
        success,
        dengan_alasan=dengan_alasan,
        izin=perlu_izin(izin),
        antrean=antrean,
    )


realisasi_kirim = _langkah_view(
    "rencana_aksi.lapor_realisasi",
    services.realisasi_kirim,
    gettext_lazy("Laporan dikirim ke kepala OPD untuk disetujui."),
)
realisasi_setujui = _langkah_view(
    "rencana_aksi.setujui_realisasi",
    services.realisasi_setujui,
    gettext_lazy("Laporan disetujui dan diteruskan ke Bappeda."),
    antrean=_antrean_kepala,
)
realisasi_tolak = _langkah_view(
    "rencana_aksi.setujui_realisasi",
    services.realisasi_tolak,
    gettext_lazy("Laporan dikembalikan ke operator."),
    dengan_alasan=True,
    antrean=_antrean_kepala,
)
realisasi_terima = _langkah_view(
    "rencana_aksi.tinjau_realisasi",
    services.realisasi_tinjau,
    gettext_lazy("Laporan diterima Bappeda dan dikunci."),
    izin="rencana_aksi.tinjau_realisasi",
    antrean=_antrean_tinjauan,
)
realisasi_kembalikan = _langkah_view(
    "rencana_aksi.tinjau_realisasi",
    services.realisasi_kembalikan,
    gettext_lazy("Laporan dikembalikan ke OPD dengan alasan."),
    dengan_alasan=True,
    izin="rencana_aksi.tinjau_realisasi",
    antrean=_antrean_tinjauan,
)


# --- Evidence -----------------------------------------------------------------------------


def _lampiran_untuk(request, pk: int, permission: str | None = None) -> LampiranRealisasi:
    """Evidence of a report the person may read (404 otherwise) and, when a permission is
    named, may change (403 otherwise)."""
    lampiran = get_object_or_404(
        LampiranRealisasi.objects.filter(
            realisasi__in=Realisasi.objects.visible_to(request.user)
        ).select_related("realisasi__aksi"),
        pk=pk,
    )
    if permission and not request.user.has_perm(permission, lampiran.realisasi.aksi):
        raise PermissionDenied
    return lampiran


@perlu_izin("rencana_aksi.lihat_rad")
def lampiran_unduh(request, pk):
    """Serve an evidence file to someone who may read its report; nothing is public."""
    return berkas_check.respons_unduh(_lampiran_untuk(request, pk))


@require_POST
@perlu_izin("rencana_aksi.lihat_rad")
def lampiran_lepas(request, pk):
    lampiran = _lampiran_untuk(request, pk, "rencana_aksi.lapor_realisasi")
    try:
        services.bukti_lepas(lampiran=lampiran, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Bukti dilepas dari laporan; tetap tercatat di riwayat."))
    return redirect(lampiran.realisasi)


# --- Bappeda's queue ----------------------------------------------------------------------


@perlu_izin("rencana_aksi.tinjau_realisasi")
def tinjauan(request):
    """Reports approved by their agency heads, waiting for Bappeda, oldest first; 50 a page,
    the XLSX holds them all."""
    opd = request.GET.get("opd", "")
    antrean = selectors.antrean_tinjauan(opd_id=int(opd) if opd.isdigit() else None)
    if request.GET.get("unduh") == TABEL_TINJAUAN:
        return tabel_tinjauan(antrean.iterator(chunk_size=500)).unduhan("rad-tinjauan")
    halaman = tautan_halaman(
        Paginator(antrean, PER_HALAMAN).get_page(request.GET.get("halaman")), request.GET
    )
    return render(
        request,
        "rencana_aksi/tinjauan.html",
        {
            "tabel": tabel_tinjauan(halaman.object_list),
            "halaman": halaman,
            "opd": opd,
            "opd_pilihan": Opd.objects.filter(
                aksi_rad__realisasi__status=alur.Status.MENUNGGU_VERIFIKASI
            )
            .distinct()
            .order_by("singkatan"),
            "periode": periode_berjalan(request.user),
        },
    )


# --- The agency's inbox ---------------------------------------------------------------------


@perlu_izin("rencana_aksi.lihat_rad")
def laporan_opd(request):
    """The quarterly reports of the actions the person's agency leads: to fill in, late,
    returned, waiting for the head. Heads see what waits for their approval first."""
    hari_ini = timezone.localdate()
    kotak = kotak_laporan(
        user=request.user,
        kategori=request.GET.get("kategori", ""),
        hari_ini=hari_ini,
        halaman=request.GET.get("halaman"),
    )
    if kotak.halaman is not None:
        tautan_halaman(kotak.halaman, request.GET)
    sekarang = triwulan_berjalan(hari_ini)
    return render(
        request,
        "rencana_aksi/laporan_opd.html",
        {
            **vars(kotak),
            "triwulan_ini": sekarang,
            "romawi_ini": ROMAWI[sekarang[1]],
            "batas_ini": batas_lapor(*sekarang),
            "periode": periode_berjalan(request.user),
        },
    )
