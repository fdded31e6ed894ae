"""Importing the RAD from Excel: the templates, the checked preview, the confirmation.

A file of up to BATAS_BARIS_LANGSUNG rows is written in the confirming request; a larger one by
a worker (queue ``berat``), while the person watches its progress on /pekerjaan/<id>/.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.decorators import perlu_izin
from agencies.models import Opd
from kla_portal import impor as kerangka
from kla_portal.ekspor import unduhan_xlsx
from rencana_aksi import impor
from rencana_aksi.forms import BerkasRadForm
from rencana_aksi.impor import tulis as impor_tulis
from rencana_aksi.models import PeriodeRad

BATAS_BARIS_LANGSUNG = 300  # larger files are written by a worker


def _kunci_sesi(periode: PeriodeRad) -> str:
    return f"impor-rad-{periode.pk}"


def _opd_pilihan(request, periode: PeriodeRad) -> list[Opd]:
    """Agencies a template may be narrowed to: those leading an action of the plan, for those
    who manage it; none to choose for an operator (its own actions only)."""
    if not request.user.has_perm("rencana_aksi.kelola_rad"):
        return []
    return list(Opd.objects.filter(aksi_rad__periode=periode).distinct().order_by("singkatan"))


def _triwulan_kini(periode: PeriodeRad) -> tuple[int, int]:
    """The quarter under way, or the plan's nearest one when today is outside it."""
    hari_ini = timezone.localdate()
    tahun = min(max(hari_ini.year, periode.tahun_mulai), periode.tahun_selesai)
    if tahun != hari_ini.year:
        return tahun, 4 if tahun < hari_ini.year else 1
    return tahun, (hari_ini.month - 1) // 3 + 1


def _templat(request, periode: PeriodeRad):
    """The XLSX template asked for with ``?templat=rencana`` or ``?templat=realisasi``
    (with ``tahun`` and ``triwulan``); ``opd`` narrows it to one agency's actions."""
    opd = None
    if request.GET.get("opd"):
        opd = next(
            (o for o in _opd_pilihan(request, periode) if str(o.pk) == request.GET["opd"]), None
        )
    bagian = opd.singkatan if opd else _("semua")
    if request.GET["templat"] == impor.RENCANA:
        kolom, baris = impor.templat_rencana(periode=periode, pengguna=request.user, opd=opd)
        return unduhan_xlsx(
            f"rad-rencana-{periode.tahun_mulai}-{bagian}", kolom, baris, judul="Rencana"
        )
    if request.GET["templat"] != impor.REALISASI:
        raise Http404
    try:
        tahun, triwulan = int(request.GET.get("tahun")), int(request.GET.get("triwulan"))
    except (TypeError, ValueError):
        tahun, triwulan = _triwulan_kini(periode)
    if tahun not in periode.tahun_list or triwulan not in (1, 2, 3, 4):
        raise Http404
    kolom, baris = impor.templat_realisasi(
        periode=periode, pengguna=request.user, tahun=tahun, triwulan=triwulan, opd=opd
    )
    return unduhan_xlsx(
        f"rad-realisasi-{tahun}-tw{triwulan}-{bagian}", kolom, baris, judul="Realisasi"
    )


@perlu_izin("rencana_aksi.impor_rad")
def impor_unggah(request, periode_id):
    """The explanation, the template downloads, then the upload and its preview report;
    nothing is written until the confirmation."""
    periode = get_object_or_404(PeriodeRad.objects.visible_to(request.user), pk=periode_id)
    if request.GET.get("templat"):
        return _templat(request, periode)
    form = BerkasRadForm(request.POST or None, request.FILES or None)
    tahun_kini, triwulan_kini = _triwulan_kini(periode)
    context = {
        "periode": periode,
        "form": form,
        "opd_pilihan": _opd_pilihan(request, periode),
        "kelola": request.user.has_perm("rencana_aksi.kelola_rad"),
        "tahun_kini": tahun_kini,
        "triwulan_kini": triwulan_kini,
        "triwulan_pilihan": list(impor.ROMAWI_TULIS.items()),
        "batas_baris": BATAS_BARIS_LANGSUNG,
    }
    if request.method == "POST" and form.is_valid():
        berkas = form.cleaned_data["berkas"]
        isi = berkas.read()
        laporan = impor.periksa_berkas(berkas.name, isi, periode=periode, pengguna=request.user)
        context["laporan"] = laporan
        context["token"] = kerangka.pratinjau_simpan(
            request,
            _kunci_sesi(periode),
            nama=berkas.name,
            isi=isi,
            laporan=laporan,
            baris=laporan.baris_berkas,
            jenis=laporan.jenis,
        )
        context["di_latar"] = laporan.baris_berkas > BATAS_BARIS_LANGSUNG
    return render(request, "rencana_aksi/impor.html", context)


@require_POST
@perlu_izin("rencana_aksi.impor_rad")
def impor_konfirmasi(request, periode_id):
    """Write a previewed file: in this request when it is small, else queue it for a worker and
    show its progress. Either way the file is checked again and refused if anything the
    preview saw has changed."""
    periode = get_object_or_404(PeriodeRad.objects.visible_to(request.user), pk=periode_id)
    kept = kerangka.pratinjau_ambil(request, _kunci_sesi(periode))
    if kept is None:
        messages.error(request, kerangka.PRATINJAU_KEDALUWARSA)
        return redirect("rencana_aksi:impor", periode_id=periode.pk)
    if kept.data.get("baris", 0) > BATAS_BARIS_LANGSUNG:
        job = impor_tulis.rad_impor_antre(
            periode=periode,
            nama=kept.nama,
            isi=kept.isi,
            versi=kept.data["versi"],
            jenis=kept.data.get("jenis", ""),
            by=request.user,
        )
        return redirect(job)
    try:
        hasil = impor_tulis.rad_impor_berkas(
            periode=periode,
            nama=kept.nama,
            isi=kept.isi,
            versi_pratinjau=kept.data["versi"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rencana_aksi:impor", periode_id=periode.pk)
    messages.success(
        request, _("%(p)s diimpor. %(hasil)s") % {"p": periode, "hasil": hasil.as_text()}
    )
    return redirect(periode)
