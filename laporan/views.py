"""The reports page: build the evaluation bundle, download past ones, the agencies' report
cards. Every bundle holds the whole city, so only city-wide roles see them; agency staff see
their own agency's report card."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agencies.decorators import perlu_izin
from agencies.models import Opd
from clusters.models import Jawaban, SkorSnapshot, TahunEvaluasi
from kla_portal.berkas import amankan_unduhan
from kla_portal.halaman import halaman_dari
from kla_portal.models import Pekerjaan
from laporan import rapor, services
from laporan.models import Bundel

JUMLAH_RIWAYAT = 30


def _tahun(request) -> TahunEvaluasi | None:
    """The year asked for (``?tahun=``), else the newest open one."""
    nilai = request.GET.get("tahun") or request.POST.get("tahun")
    if nilai and str(nilai).isdigit():
        return get_object_or_404(TahunEvaluasi, tahun=int(nilai))
    return TahunEvaluasi.objects.terkini()


@perlu_izin("laporan.lihat_laporan")
def beranda(request):
    tahun = _tahun(request)
    user = request.user
    context = {
        "tahun": tahun,
        "tahun_list": TahunEvaluasi.objects.filter(pertanyaan__isnull=False).distinct(),
        "boleh_buat": user.has_perm("laporan.buat_bundel"),
        "boleh_unduh": user.has_perm("laporan.unduh_bundel"),
        "jenis_pilihan": Bundel.Jenis.choices,
    }
    if context["boleh_unduh"]:
        context["riwayat"] = list(
            Bundel.objects.visible_to(user)
            .select_related("tahun", "dibuat_oleh", "pekerjaan")
            .order_by("-dibuat", "-pk")[:JUMLAH_RIWAYAT]
        )
        # The person's own jobs still running show their progress bar here.
        context["berjalan"] = [
            b.pekerjaan
            for b in context["riwayat"]
            if not b.pekerjaan.berakhir and b.pekerjaan.dibuat_oleh_id == user.pk
        ]
        context["rapor_berjalan"] = list(
            Pekerjaan.objects.filter(jenis="rapor_opd", dibuat_oleh=user).exclude(
                status__in=Pekerjaan.SELESAI_SEMUA
            )
        )
    if tahun is not None:
        snapshot = (
            SkorSnapshot.objects.filter(tahun=tahun, daerah_id=user.daerah_id)
            .defer("rincian")
            .first()
        )
        context["snapshot"] = snapshot
        context["jawaban"] = (
            Jawaban.objects.visible_to(user)
            .filter(pertanyaan__tahun=tahun)
            .aggregate(
                semua=Count("pk"), terverifikasi=Count("pk", filter=Q(status="terverifikasi"))
            )
        )
        # a page of agencies at a time: the list grows with the city's agencies
        context["rapor_opd"] = halaman_dari(request, _opd_rapor(request, tahun))
    return render(request, "laporan/beranda.html", context)


def _opd_rapor(request, tahun: TahunEvaluasi):
    """Agencies with a report card that the person may read: all for city-wide roles, their
    own for agency staff."""
    opd = Opd.objects.visible_to(request.user)
    if not request.user.has_perm("agencies.view_seluruh_kota"):
        opd = opd.filter(pk__in=request.user.opd_ids())
    return rapor.opd_dengan_rapor(tahun, opd, daerah_id=request.user.daerah_id)


@require_POST
@perlu_izin("laporan.buat_bundel")
def bundel_buat(request):
    tahun = _tahun(request)
    if tahun is None:
        raise Http404
    try:
        bundel = services.bundel_minta(
            tahun=tahun, jenis=request.POST.get("jenis", ""), by=request.user
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _(
                "Bundel %(tahun)s mulai dibuat. Kemajuannya tampil di bawah; Anda boleh menutup "
                "halaman ini."
            )
            % {"tahun": tahun.tahun},
        )
        return redirect(
            f"{reverse('laporan:beranda')}?tahun={tahun.tahun}#pekerjaan-{bundel.pekerjaan_id}"
        )
    return redirect(f"{reverse('laporan:beranda')}?tahun={tahun.tahun}")


@perlu_izin("laporan.unduh_bundel")
def bundel_unduh(request, pk):
    bundel = get_object_or_404(Bundel.objects.visible_to(request.user).jadi(), pk=pk)
    response = FileResponse(
        bundel.berkas.open("rb"),
        as_attachment=True,
        filename=bundel.nama_berkas,
        content_type="application/zip" if bundel.jenis == Bundel.Jenis.ZIP else "application/pdf",
    )
    return amankan_unduhan(response)


@never_cache
@perlu_izin("laporan.lihat_laporan")
def rapor_opd(request, tahun, opd_id):
    """One agency's report card: its PDF when the stored one shows the data of now, else the
    page following the worker that builds it (polled by htmx, which never starts a build)."""
    record = get_object_or_404(TahunEvaluasi, tahun=tahun)
    opd = get_object_or_404(Opd.objects.visible_to(request.user), pk=opd_id)
    if not request.user.has_perm("laporan.lihat_rapor_opd", opd):
        raise Http404
    if request.htmx:
        kartu = services.rapor_kemajuan(tahun=record, opd=opd)
        return render(
            request, "laporan/_rapor_kemajuan.html", {"kartu": kartu, "opd": opd, "tahun": record}
        )
    try:
        kartu = services.rapor_minta(tahun=record, opd=opd, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(f"{reverse('laporan:beranda')}?tahun={record.tahun}#rapor")
    if kartu.segar:
        # A card is some tens of kilobytes (47 KB for the demo Dinkes): read whole.
        with kartu.berkas.open("rb") as berkas:
            response = HttpResponse(berkas.read(), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{kartu.nama_berkas}"'
        return amankan_unduhan(response)
    return render(request, "laporan/rapor.html", {"kartu": kartu, "opd": opd, "tahun": record})


@require_POST
@perlu_izin("laporan.buat_bundel")
def rapor_kirim(request, tahun):
    """Send the report cards to the agency heads: every agency with questions, or one."""
    record = get_object_or_404(TahunEvaluasi, tahun=tahun)
    opd_list = list(_opd_rapor(request, record))
    pilih = request.POST.get("opd")
    if pilih:
        opd_list = [o for o in opd_list if str(o.pk) == pilih]
        if not opd_list:
            raise Http404
    try:
        services.rapor_minta_kirim(tahun=record, opd_list=opd_list, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("Rapor %(n)s OPD sedang dikirim ke kepala OPD; kemajuannya tampil di bawah.")
            % {"n": len(opd_list)},
        )
    return redirect(f"{reverse('laporan:beranda')}?tahun={record.tahun}#rapor")


@require_POST
@perlu_izin("laporan.buat_bundel")
def paket_buat(request):
    """Start a year's export package (laporan.paket); its page follows the worker."""
    from laporan import paket

    tahun = _tahun(request)
    if tahun is None:
        raise Http404
    try:
        job = paket.paket_minta(tahun=tahun, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(f"{reverse('laporan:beranda')}?tahun={tahun.tahun}")
    return redirect(job)


@perlu_izin("laporan.unduh_bundel")
def paket_unduh(request, pk):
    """A finished export package (laporan.paket), for the city-wide roles, as a bundle."""
    from django.core.files.storage import default_storage

    from laporan import paket

    job = get_object_or_404(Pekerjaan, pk=pk, jenis=paket.JENIS)
    nama = paket.berkas_paket(job)
    if not nama or not default_storage.exists(nama):
        raise Http404
    response = FileResponse(
        default_storage.open(nama, "rb"),
        as_attachment=True,
        filename=job.hasil.get("nama_berkas", "paket.zip"),
        content_type="application/zip",
    )
    return amankan_unduhan(response)
