"""Follow-ups: the list (an agency's own; the whole city for city-wide roles), one follow-up
with its progress form and evidence."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.decorators import perlu_izin
from agencies.models import Opd
from kla_portal import berkas as berkas_check
from kla_portal.ekspor import Kolom, Tabel
from kla_portal.forms import tambah_galat
from koordinasi import services
from koordinasi.forms import TindakLanjutPerbaruiForm, nomor
from koordinasi.models import LampiranTindakLanjut, TindakLanjut


@perlu_izin("koordinasi.lihat_koordinasi")
def daftar(request):
    """Follow-ups by due date; filters: state (open, past due, done) and agency."""
    semua = TindakLanjut.objects.visible_to(request.user).select_related("opd", "rapat")
    saring = request.GET.get("status", "terbuka")
    hari_ini = timezone.localdate()
    if saring == "terbuka":
        semua = semua.terbuka()
    elif saring == "lewat":
        semua = semua.lewat_tenggat(hari_ini)
    elif saring == "selesai":
        semua = semua.filter(status=TindakLanjut.Status.SELESAI)
    opd_id = nomor(request.GET.get("opd"))
    if opd_id is not None:
        semua = semua.filter(opd_id=opd_id)
    tabel = Tabel(
        "tindak-lanjut",
        _("Tindak lanjut rapat"),
        [
            Kolom(_("Keputusan")),
            Kolom(_("OPD")),
            Kolom(_("Rapat")),
            Kolom(_("Tenggat")),
            Kolom(_("Status")),
            Kolom(_("Selesai pada")),
        ],
    )
    for t in semua.order_by("tenggat", "pk"):
        tabel.tambah(
            t.keputusan,
            t.opd.singkatan,
            t.rapat.judul,
            t.tenggat,
            t.get_status_display(),
            t.selesai_pada or "",
            tautan=t.get_absolute_url(),
            kelas="table-danger" if t.lewat_tenggat else "",
        )
    if request.GET.get("unduh") == tabel.nama:
        return tabel.unduhan()
    seluruh_kota = request.user.has_perm("agencies.view_seluruh_kota")
    return render(
        request,
        "koordinasi/tindak_lanjut_list.html",
        {
            "aktif": "tindak_lanjut",
            "tabel": tabel,
            "saring": saring,
            "opd_id": opd_id,
            "opd_pilihan": (
                Opd.objects.di_daerah(request.user).aktif().order_by("singkatan")
                if seluruh_kota
                else []
            ),
        },
    )


@perlu_izin("koordinasi.lihat_koordinasi")
def detail(request, pk):
    """One follow-up; its owner agency (and the secretariat) reports progress and closes it."""
    tindak = get_object_or_404(
        TindakLanjut.objects.visible_to(request.user).select_related("opd", "rapat", "diubah_oleh"),
        pk=pk,
    )
    boleh = request.user.has_perm("koordinasi.ubah_tindak_lanjut", tindak)
    form = TindakLanjutPerbaruiForm(
        request.POST or None,
        request.FILES or None,
        tindak_lanjut=tindak,
        boleh_buka=request.user.has_perm("koordinasi.buka_tindak_lanjut"),
        initial={
            "status": tindak.status,
            "hasil": tindak.hasil,
            "selesai_pada": tindak.selesai_pada,
            "versi": tindak.versi,
        },
    )
    if request.method == "POST":
        if not boleh:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.tindak_lanjut_perbarui(
                    tindak_lanjut=tindak,
                    status=form.cleaned_data["status"],
                    hasil=form.cleaned_data["hasil"],
                    selesai_pada=form.cleaned_data["selesai_pada"],
                    berkas=form.cleaned_data["berkas"],
                    alasan=form.cleaned_data.get("alasan", ""),
                    versi=form.cleaned_data["versi"],
                    by=request.user,
                )
            except ValidationError as error:
                tambah_galat(form, error)
            else:
                messages.success(request, _("Tindak lanjut diperbarui."))
                return redirect(tindak)
    return render(
        request,
        "koordinasi/tindak_lanjut_detail.html",
        {
            "aktif": "tindak_lanjut",
            "tindak": tindak,
            "lampiran": tindak.lampiran.select_related("diunggah_oleh"),
            "riwayat": tindak.history.select_related("history_user").order_by("-history_date")[:20],
            "form": form if boleh else None,
        },
        status=400 if form.errors else 200,
    )


@perlu_izin("koordinasi.lihat_koordinasi")
def lampiran_unduh(request, pk):
    """Evidence of a follow-up, to those who may read the follow-up."""
    lampiran = get_object_or_404(
        LampiranTindakLanjut.objects.filter(
            tindak_lanjut__in=TindakLanjut.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    return berkas_check.respons_unduh(lampiran)
