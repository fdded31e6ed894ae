from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agencies.models import Opd
from clusters.models import Pertanyaan, TahunEvaluasi


def check_size(berkas) -> None:
    limit = settings.UPLOAD_MAX_MB
    if berkas.size > limit * 1024 * 1024:
        raise forms.ValidationError(
            _("Berkas %(nama)s terlalu besar (%(mb).1f MB); batasnya %(batas)s MB.")
            % {"nama": berkas.name, "mb": berkas.size / 1024 / 1024, "batas": limit}
        )


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
        check_size(berkas)
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
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Tahan Ctrl untuk memilih lebih dari satu."),
    )

    def __init__(self, *args, tahun: TahunEvaluasi, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pertanyaan"].queryset = Pertanyaan.objects.filter(tahun=tahun)


class PemetaanForm(forms.Form):
    """One agency choice per data-source name of the instrument."""

    def __init__(self, *args, sumber_list, **kwargs):
        super().__init__(*args, **kwargs)
        self.sumber_list = list(sumber_list)
        opd = Opd.objects.aktif()
        for sumber in self.sumber_list:
            self.fields[f"sumber_{sumber.pk}"] = forms.ModelChoiceField(
                label=sumber.nama,
                queryset=opd,
                required=False,
                initial=sumber.opd_id,
                empty_label=_("— belum dipetakan —"),
            )

    def pemetaan(self) -> dict:
        return {s.pk: self.cleaned_data[f"sumber_{s.pk}"] for s in self.sumber_list}
