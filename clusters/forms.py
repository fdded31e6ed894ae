from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from agencies.models import Opd
from clusters import scoring
from clusters.models import Pertanyaan, TahunEvaluasi
from kla_portal.forms import BanyakBerkasField, BerkasTabelForm


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


class BerkasInstrumenForm(BerkasTabelForm):
    label = _("Berkas instrumen (CSV atau XLSX)")
    help_text = _("Satu baris per pertanyaan, dengan kolom berkas instrumen resmi.")


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


class PilihanPoin(forms.RadioSelect):
    """The grades of a question as quick choices: each carries its points, so that the page
    script writes them into the points box (the box holds the answer)."""

    def __init__(self, *args, poin: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.poin = poin or {}

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if str(value) in self.poin:
            option["attrs"]["data-poin"] = self.poin[str(value)]
        return option


class JawabanForm(forms.Form):
    """The answer to one question, shaped by how the question is scored. A graded question
    (for the city) takes any points from 0 to its maximum in the points box; its grades are
    quick choices that fill the box."""

    fraksi = forms.TypedChoiceField(
        label=_("Jawaban"),
        coerce=Decimal,
        empty_value=None,
        required=False,
        widget=PilihanPoin,
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
        label=_("Poin"),
        required=False,
        localize=True,
        # Range and decimals are checked by the service, with the same message everywhere.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-poin-isian": ""}),
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
        self.fields["poin_langsung"].help_text = _(
            "Antara 0 dan %(max)s, paling banyak dua angka di belakang koma (misalnya 2,64)."
        ) % {"max": _poin(pertanyaan.nilai_max)}
        keep = {
            "catatan",
            "berkas",
            "versi",
            {"opsi": "fraksi", "cakupan": "cakupan_persen", "langsung": "poin_langsung"}[cara],
        }
        if cara == "opsi" and not unit:
            keep.add("poin_langsung")
            self.fields["fraksi"].widget.poin = {
                str(o["fraksi"]): _poin(
                    scoring.bulatkan(pertanyaan.nilai_max * Decimal(o["fraksi"]))
                )
                for o in pertanyaan.pilihan()
            }
            self.fields["fraksi"].label = _("Pilihan cepat")
            self.fields["poin_langsung"].help_text = _(
                "Pilihan di atas mengisi poin ini; poin lain antara 0 dan %(max)s (paling "
                "banyak dua angka di belakang koma, misalnya 2,64) juga diterima."
            ) % {"max": _poin(pertanyaan.nilai_max)}
        if pertanyaan.minta_angka:
            keep.add("angka_tahun_ini")
            if pertanyaan.dua_tahun:
                keep.add("angka_tahun_lalu")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def nilai(self) -> dict:
        """Cleaned values for services.jawaban_simpan, without the files. Points typed in the
        box win over a grade (the service keeps them as a grade when they are one)."""
        values = {name: value for name, value in self.cleaned_data.items() if name != "berkas"}
        if values.get("poin_langsung") is not None and "fraksi" in values:
            values["fraksi"] = None
        return values


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
    """The verifier's points: any points from 0 to the maximum (two decimals), checked by the
    service; a graded question's grades are offered as quick choices (a datalist)."""

    poin = forms.DecimalField(
        label=_("Poin verifikator"),
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text=_(
            "Poin yang diakui, terisi poin OPD; ubah bila perlu, misalnya 0,66 × nilai maksimum."
        ),
    )

    def __init__(self, *args, pertanyaan: Pertanyaan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pilihan: list[str] = []
        if pertanyaan is not None and pertanyaan.cara_penilaian == "opsi":
            self.pilihan = list(
                dict.fromkeys(
                    _poin(scoring.bulatkan(pertanyaan.nilai_max * Decimal(o["fraksi"])))
                    for o in pertanyaan.pilihan()
                )
            )
            self.fields["poin"].widget.attrs["list"] = f"poin-pilihan-{pertanyaan.pk}"
            self.fields["poin"].help_text = _(
                "Terisi poin OPD. Pilihan: %(pilihan)s; poin lain antara 0 dan %(max)s (paling "
                "banyak dua angka di belakang koma, misalnya 2,64) juga diterima."
            ) % {"pilihan": "; ".join(self.pilihan), "max": _poin(pertanyaan.nilai_max)}


class GantiBerkasForm(forms.Form):
    berkas = forms.FileField(label=_("Berkas pengganti"))


class PerpanjanganForm(forms.Form):
    opd = forms.ModelChoiceField(label=_("OPD"), queryset=Opd.objects.aktif())
    sampai = forms.DateTimeField(
        label=_("Sampai"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    alasan = forms.CharField(label=_("Alasan"), max_length=255)
