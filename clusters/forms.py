from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from agencies.models import Opd
from clusters.models import Pertanyaan, TahunEvaluasi
from kla_portal.berkas import periksa_ukuran
from kla_portal.forms import BanyakBerkasField


class TahunForm(forms.Form):
    tahun = forms.IntegerField(label=_("Tahun evaluasi"), min_value=2000, max_value=2100)


class TahunAturForm(forms.ModelForm):
    class Meta:
        model = TahunEvaluasi
        fields = ["batas_waktu", "dibuka"]
        widgets = {
            "batas_waktu": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            )
        }


class BerkasInstrumenForm(forms.Form):
    berkas = forms.FileField(
        label=_("Berkas instrumen (CSV atau XLSX)"),
        help_text=_("Satu baris per pertanyaan, dengan kolom berkas instrumen resmi."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        periksa_ukuran(berkas)
        return berkas


class PenugasanForm(forms.Form):
    """One lead agency and supporting agencies, for the questions ticked in the list."""

    pertanyaan = forms.ModelMultipleChoiceField(
        queryset=Pertanyaan.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Centang paling sedikit satu pertanyaan.")},
    )
    utama = forms.ModelChoiceField(label=_("OPD penanggung jawab"), queryset=Opd.objects.aktif())
    pendukung = forms.ModelMultipleChoiceField(
        label=_("OPD pendukung"),
        queryset=Opd.objects.aktif(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Tahan Ctrl untuk memilih lebih dari satu."),
    )

    def __init__(self, *args, tahun: TahunEvaluasi, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pertanyaan"].queryset = Pertanyaan.objects.filter(tahun=tahun)


class PemetaanForm(forms.Form):
    """One agency choice per data-source name of the instrument (agencies read once)."""

    def __init__(self, *args, sumber_list, **kwargs):
        super().__init__(*args, **kwargs)
        self.sumber_list = list(sumber_list)
        self.opd = {str(opd.pk): opd for opd in Opd.objects.aktif()}
        choices = [
            ("", _("— belum dipetakan —")),
            *((pk, opd.nama) for pk, opd in self.opd.items()),
        ]
        for sumber in self.sumber_list:
            self.fields[f"sumber_{sumber.pk}"] = forms.ChoiceField(
                label=sumber.nama,
                choices=choices,
                required=False,
                initial=str(sumber.opd_id or ""),
            )

    def pemetaan(self) -> dict:
        return {s.pk: self.opd.get(self.cleaned_data[f"sumber_{s.pk}"]) for s in self.sumber_list}


def _poin(value: Decimal) -> str:
    return number_format(value.normalize(), use_l10n=True)


class JawabanForm(forms.Form):
    """The answer to one question, shaped by how the question is scored."""

    fraksi = forms.TypedChoiceField(
        label=_("Jawaban"),
        coerce=Decimal,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    cakupan_persen = forms.DecimalField(
        label=_("Cakupan (%)"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        localize=True,
        help_text=_("Persentase kecamatan atau kelurahan/desa yang memenuhi."),
    )
    poin_langsung = forms.DecimalField(
        label=_("Poin"), min_value=0, decimal_places=2, required=False, localize=True
    )
    angka_tahun_ini = forms.DecimalField(
        label=_("Angka tahun ini"),
        required=False,
        localize=True,
        max_digits=16,
        decimal_places=2,
        help_text=_("Boleh ditulis seperti 1.250,5."),
    )
    angka_tahun_lalu = forms.DecimalField(
        label=_("Angka tahun lalu"), required=False, localize=True, max_digits=16, decimal_places=2
    )
    catatan = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    berkas = BanyakBerkasField(
        label=_("Tambah data dukung"),
        required=False,
        help_text=_("PDF, JPG, PNG, XLSX atau DOCX; boleh beberapa berkas sekaligus."),
    )
    versi = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, pertanyaan: Pertanyaan, unit: bool, **kwargs):
        super().__init__(*args, **kwargs)
        cara = "opsi" if unit else pertanyaan.cara_penilaian
        self.fields["fraksi"].choices = [
            (
                o["fraksi"],
                o["label"]
                if unit
                else f"{o['label']} · {_poin(pertanyaan.nilai_max * Decimal(o['fraksi']))} poin",
            )
            for o in pertanyaan.pilihan(untuk_unit=unit)
        ]
        self.fields["poin_langsung"].max_value = pertanyaan.nilai_max
        self.fields["poin_langsung"].help_text = _("Antara 0 dan %(max)s.") % {
            "max": _poin(pertanyaan.nilai_max)
        }
        keep = {
            "catatan",
            "berkas",
            "versi",
            {"opsi": "fraksi", "cakupan": "cakupan_persen", "langsung": "poin_langsung"}[cara],
        }
        if pertanyaan.minta_angka:
            keep.add("angka_tahun_ini")
            if pertanyaan.dua_tahun:
                keep.add("angka_tahun_lalu")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def nilai(self) -> dict:
        """Cleaned values for services.jawaban_simpan, without the files."""
        return {name: value for name, value in self.cleaned_data.items() if name != "berkas"}


class AlasanForm(forms.Form):
    alasan = forms.CharField(
        label=_("Alasan"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={
            "required": _("Tuliskan alasannya agar penerima tahu apa yang harus diperbaiki.")
        },
    )


class VerifikasiForm(forms.Form):
    poin = forms.DecimalField(
        label=_("Poin verifikator"),
        min_value=0,
        decimal_places=2,
        required=False,
        localize=True,
        help_text=_(
            "Poin yang diakui, terisi poin OPD; ubah bila perlu, misalnya 0,66 × nilai maksimum."
        ),
    )


class GantiBerkasForm(forms.Form):
    berkas = forms.FileField(label=_("Berkas pengganti"))


class PerpanjanganForm(forms.Form):
    opd = forms.ModelChoiceField(label=_("OPD"), queryset=Opd.objects.aktif())
    sampai = forms.DateTimeField(
        label=_("Sampai"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    alasan = forms.CharField(label=_("Alasan"), max_length=255)
