"""Importing answers from a spreadsheet: the template, the checked preview, the confirmation."""

import secrets
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.decorators import perlu_izin
from clusters import impor_jawaban, services
from clusters.berkas import periksa_ukuran
from clusters.models import TahunEvaluasi
from clusters.views.persiapan import FOLDER_IMPOR, _buang_pratinjau_lama
from kla_portal.ekspor import unduhan_xlsx
from kla_portal.tabel import baca_tabel


class BerkasJawabanForm(forms.Form):
    berkas = forms.FileField(
        label=gettext_lazy("Berkas jawaban (XLSX atau CSV)"),
        help_text=gettext_lazy("Templat dari halaman ini, atau berkas dengan kolom yang sama."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        periksa_ukuran(berkas)
        return berkas


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
            if not laporan.ada_galat and laporan.tulis:
                # Keep the checked file until it is confirmed; the token names it.
                token = secrets.token_hex(16)
                folder = Path(settings.MEDIA_ROOT) / FOLDER_IMPOR
                folder.mkdir(parents=True, exist_ok=True)
                _buang_pratinjau_lama(folder)
                (folder / token).write_bytes(isi)
                request.session[_kunci_sesi(record)] = {
                    "token": token,
                    "nama": berkas.name,
                    "versi": laporan.versi_dilihat(),
                }
                context["token"] = token
    return render(request, "clusters/impor_jawaban.html", context)


@require_POST
@perlu_izin("clusters.impor_jawaban")
def impor_jawaban_konfirmasi(request, tahun):
    record = get_object_or_404(TahunEvaluasi, tahun=tahun)
    pending = request.session.get(_kunci_sesi(record)) or {}
    path = Path(settings.MEDIA_ROOT) / FOLDER_IMPOR / str(pending.get("token", "-"))
    if pending.get("token") != request.POST.get("token") or not path.is_file():
        messages.error(
            request,
            _(
                "Pratinjau ini sudah tidak berlaku (sudah diimpor atau kedaluwarsa). "
                "Unggah berkasnya lagi."
            ),
        )
        return redirect("clusters:impor-jawaban", tahun=record.tahun)
    try:
        rows = baca_tabel(pending["nama"], path.read_bytes())
        laporan = impor_jawaban.periksa(rows, tahun=record, pengguna=request.user)
        if laporan.ada_galat:  # e.g. the year was closed or a question reassigned since
            raise ValidationError([str(galat) for galat in laporan.galat])
        if laporan.versi_dilihat() != pending["versi"]:
            raise ValidationError(
                _(
                    "Jawaban berubah sejak pratinjau (seseorang menyimpan, mengirim, atau "
                    "mengimpor di antaranya). Tidak ada yang diimpor: unggah berkasnya lagi untuk "
                    "melihat pratinjau terbaru."
                )
            )
        hasil = services.jawaban_impor(tahun=record, laporan=laporan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("clusters:impor-jawaban", tahun=record.tahun)
    finally:
        path.unlink(missing_ok=True)
        request.session.pop(_kunci_sesi(record), None)
    messages.success(
        request,
        _("Jawaban %(t)s diimpor. %(hasil)s") % {"t": record.tahun, "hasil": hasil.as_text()},
    )
    if request.user.has_perm("clusters.pantau_evaluasi"):
        return redirect(record)
    return redirect(f"{reverse('clusters:tugas')}?tahun={record.tahun}")
