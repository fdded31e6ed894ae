"""Importing answers from a spreadsheet: the template, the checked preview, the confirmation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.decorators import perlu_izin
from clusters import impor_jawaban, selectors, services
from clusters.models import Jawaban, TahunEvaluasi
from kla_portal import impor as kerangka
from kla_portal.ekspor import unduhan_xlsx
from kla_portal.forms import BerkasTabelForm
from kla_portal.tabel import baca_tabel


class BerkasJawabanForm(BerkasTabelForm):
    label = gettext_lazy("Berkas jawaban (XLSX atau CSV)")


def _halaman(jawaban) -> str:
    return selectors.halaman_jawaban(jawaban.pertanyaan, jawaban.wilayah)


def _kunci_sesi(tahun: TahunEvaluasi) -> str:
    return f"impor-jawaban-{tahun.tahun}"


@perlu_izin("clusters.impor_jawaban")
def impor_jawaban_unggah(request, tahun):
    """The template download (``?templat=1``), then the upload and its preview report;
    nothing is written until the confirmation."""
    record = get_object_or_404(TahunEvaluasi, tahun=tahun)
    if request.GET.get("templat"):
        kolom, baris = impor_jawaban.templat(tahun=record, pengguna=request.user)
        return unduhan_xlsx(f"jawaban-kla-{record.tahun}", kolom, baris, judul="Jawaban")
    form = BerkasJawabanForm(request.POST or None, request.FILES or None)
    context = {"tahun": record, "form": form}
    if request.method == "POST" and form.is_valid():
        berkas = form.cleaned_data["berkas"]
        isi = berkas.read()
        try:
            rows = baca_tabel(berkas.name, isi)
        except ValidationError as error:
            form.add_error("berkas", error)
        else:
            laporan = impor_jawaban.periksa(rows, tahun=record, pengguna=request.user)
            context["laporan"] = laporan
            context["token"] = kerangka.pratinjau_simpan(
                request, _kunci_sesi(record), nama=berkas.name, isi=isi, laporan=laporan
            )
    return render(request, "clusters/impor_jawaban.html", context)


@require_POST
@perlu_izin("clusters.impor_jawaban")
def impor_jawaban_konfirmasi(request, tahun):
    record = get_object_or_404(TahunEvaluasi, tahun=tahun)
    kept = kerangka.pratinjau_ambil(request, _kunci_sesi(record))
    if kept is None:
        messages.error(request, kerangka.PRATINJAU_KEDALUWARSA)
        return redirect("clusters:impor-jawaban", tahun=record.tahun)
    try:
        hasil = services.jawaban_impor_berkas(
            tahun=record,
            nama=kept.nama,
            isi=kept.isi,
            versi_pratinjau=kept.data["versi"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("clusters:impor-jawaban", tahun=record.tahun)
    messages.success(
        request,
        _("Jawaban %(t)s diimpor. %(hasil)s") % {"t": record.tahun, "hasil": hasil.as_text()},
    )
    if request.user.has_perm("clusters.pantau_evaluasi"):
        return redirect(record)
    return redirect(f"{reverse('clusters:tugas')}?tahun={record.tahun}")


def _kunci_hasil(tahun: TahunEvaluasi) -> str:
    return f"kirim-semua-{tahun.tahun}"


@login_required
def jawaban_kirim_semua(request, tahun):
    """POST: send every finished draft of the year at once, then show (GET, so a reload sends
    nothing again and keeps the report) what was sent and what was not, and why, answer by
    answer."""
    record = get_object_or_404(TahunEvaluasi, tahun=tahun)
    if request.method == "POST":
        hasil = services.jawaban_kirim_semua(tahun=record, by=request.user)
        request.session[_kunci_hasil(record)] = {
            "terkirim": [j.pk for j in hasil.terkirim],
            "tidak": [[j.pk, alasan] for j, alasan in hasil.tidak],
        }
        return redirect("clusters:jawaban-kirim-semua", tahun=record.tahun)
    laporan = request.session.get(_kunci_hasil(record), {"terkirim": [], "tidak": []})
    alasan = dict(laporan["tidak"])
    jawaban = (
        Jawaban.objects.visible_to(request.user)
        .filter(pk__in=[*laporan["terkirim"], *alasan])
        .select_related("pertanyaan__indikator", "wilayah")
        .in_bulk()
    )
    return render(
        request,
        "clusters/kirim_semua.html",
        {
            "tahun": record,
            "terkirim": [
                (jawaban[pk], _halaman(jawaban[pk])) for pk in laporan["terkirim"] if pk in jawaban
            ],
            "tidak": [
                (jawaban[pk], _halaman(jawaban[pk]), teks)
                for pk, teks in laporan["tidak"]
                if pk in jawaban
            ],
        },
    )
