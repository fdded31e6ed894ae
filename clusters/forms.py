import json
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse_lazy
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from agencies.models import Opd
from clusters import scoring
from clusters.models import Pertanyaan, TahunEvaluasi
from clusters.opsi import label_opsi
from kla_portal.forms import BanyakBerkasField, BerkasTabelForm, PilihBanyak


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


class PilihOpd(forms.TextInput):
    """A text box for agencies by abbreviation ("Dinkes"; several separated by commas), which
    the page script (pasangPilihCari) turns into a searchable select whose options come from
    agencies:opd-pilihan as one types: the page carries only the chosen agencies."""

    Media = PilihBanyak.Media

    def __init__(self, *, banyak: bool = False, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "placeholder": _("Ketik nama atau singkatan OPD"),
                "data-pilih-cari": reverse_lazy("agencies:opd-pilihan"),
                "data-kosong": _("Tidak ada OPD yang cocok."),
                "data-memuat": _("Mencari…"),
                "data-hapus": _("Hapus"),
                **({"data-banyak": ""} if banyak else {}),
                **(attrs or {}),
            }
        )
        self.banyak = banyak
        self.dikenal: dict[str, Opd] = {}  # what was typed, once opd_menurut_isian read it

    def value_from_datadict(self, data, files, name):
        # The script sends one comma-separated value; a plain form may repeat the name.
        if self.banyak and hasattr(data, "getlist"):
            return ",".join(data.getlist(name))
        return data.get(name)

    def _pilihan(self, value) -> list[dict]:
        if isinstance(value, Opd):
            return [{"value": value.singkatan, "text": f"{value.singkatan} — {value.nama}"}]
        if isinstance(value, (list, tuple)):
            return [p for item in value for p in self._pilihan(item)]
        return [
            self._pilihan(self.dikenal[v])[0] if v in self.dikenal else {"value": v, "text": v}
            for v in OpdField.isian(value)
        ]

    def get_context(self, name, value, attrs):
        pilihan = self._pilihan(value)
        context = super().get_context(name, ",".join(p["value"] for p in pilihan), attrs)
        context["widget"]["attrs"]["data-pilihan"] = json.dumps(pilihan)
        return context


class OpdField(forms.CharField):
    """Agencies typed by abbreviation (or number), as a list of what was typed; the form
    reads them all in one query with ``opd_menurut_isian``."""

    def __init__(self, *, banyak: bool = False, **kwargs):
        super().__init__(widget=PilihOpd(banyak=banyak), **kwargs)

    @staticmethod
    def isian(value) -> list[str]:
        return [part.strip() for part in str(value or "").split(",") if part.strip()]

    def to_python(self, value) -> list[str]:
        teks = super().to_python(value)
        if "\x00" in teks:  # refused here: the database would fail on it
            raise ValidationError(_("Isian ini berisi karakter yang tidak sah."))
        isian = self.isian(teks)
        if len(isian) > 100:
            raise ValidationError(_("Paling banyak 100 OPD sekaligus."))
        return isian


OPD_TIDAK_DIKENAL = _(
    "OPD “%(isian)s” tidak dikenal: ketik singkatan OPD yang aktif, misalnya Dinkes."
)


def _opd_aktif(isian: set[str], daerah_id: int | None) -> dict[str, Opd]:
    """The city's active agencies named by abbreviation (any case) or number, in one query."""
    angka = [int(t) for t in isian if t.isascii() and t.isdigit() and len(t) < 10]
    ditemukan = Opd.objects.aktif().filter(daerah_id=daerah_id).annotate(kecil=Lower("singkatan"))
    ditemukan = ditemukan.filter(Q(kecil__in=[t.lower() for t in isian]) | Q(pk__in=angka))
    menurut_nomor = {str(opd.pk): opd for opd in ditemukan}
    menurut_singkatan = {opd.kecil: opd for opd in menurut_nomor.values()}
    hasil = {t: menurut_singkatan.get(t.lower()) or menurut_nomor.get(t) for t in isian}
    return {t: opd for t, opd in hasil.items() if opd is not None}


def opd_menurut_isian(form: forms.Form, names: list[str]) -> dict[str, Opd]:
    """What was typed in the agency fields ``names``, mapped to the active agencies of the
    form's city (``form.daerah_id``; one query); an unknown one is an error on its field."""
    isian = {name: form.cleaned_data.get(name) or [] for name in names}
    hasil = _opd_aktif({t for bagian in isian.values() for t in bagian}, form.daerah_id)
    for name, bagian in isian.items():
        form.fields[name].widget.dikenal = hasil
        for t in bagian:
            if t not in hasil:
                form.add_error(name, OPD_TIDAK_DIKENAL % {"isian": t})
    return hasil


class PenugasanForm(forms.Form):
    """One lead agency and supporting agencies, for the questions ticked in the list."""

    pertanyaan = forms.ModelMultipleChoiceField(
        queryset=Pertanyaan.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Centang paling sedikit satu pertanyaan.")},
    )
    utama = OpdField(
        label=_("OPD penanggung jawab"),
        error_messages={"required": _("Pilih OPD penanggung jawab.")},
    )
    pendukung = OpdField(
        label=_("OPD pendukung"),
        banyak=True,
        required=False,
        help_text=_("Boleh lebih dari satu; ketik singkatannya, dipisah koma."),
    )

    def __init__(self, *args, tahun: TahunEvaluasi, daerah_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.daerah_id = daerah_id
        self.fields["pertanyaan"].queryset = Pertanyaan.objects.filter(tahun=tahun)

    def clean(self):
        cleaned = super().clean()
        utama = cleaned.get("utama") or []
        if len(utama) > 1:
            self.add_error("utama", _("Pilih satu OPD penanggung jawab saja."))
        opd = opd_menurut_isian(self, ["utama", "pendukung"])
        if "utama" in cleaned:
            cleaned["utama"] = opd.get(utama[0]) if utama else None
        if "pendukung" in cleaned:
            cleaned["pendukung"] = list(dict.fromkeys(opd[t] for t in cleaned["pendukung"]))
        return cleaned


class SaringOpdForm(forms.Form):
    """The agency filter of the assignment list, typed or chosen like the agencies above."""

    opd = OpdField(label=_("OPD"), required=False)

    def __init__(self, *args, daerah_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.daerah_id = daerah_id

    def opd_dipilih(self) -> Opd | None:
        isian = self.cleaned_data["opd"] if self.is_valid() else []
        return opd_menurut_isian(self, ["opd"]).get(isian[0]) if isian else None


class PemetaanForm(forms.Form):
    """One agency per data-source name of the instrument, typed or chosen by abbreviation
    (all read in one query)."""

    def __init__(self, *args, sumber_list, daerah_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.daerah_id = daerah_id
        self.sumber_list = list(sumber_list)
        for sumber in self.sumber_list:
            self.fields[f"sumber_{sumber.pk}"] = OpdField(
                label=sumber.nama, required=False, initial=sumber.opd
            )

    def clean(self):
        cleaned = super().clean()
        names = [name for name in self.fields if name in cleaned]
        for name in names:
            if len(cleaned[name]) > 1:
                self.add_error(name, _("Pilih satu OPD saja."))
        self.opd = opd_menurut_isian(self, names)
        return cleaned

    def pemetaan(self) -> dict:
        pilihan = {s.pk: self.cleaned_data[f"sumber_{s.pk}"] for s in self.sumber_list}
        return {pk: self.opd.get(isian[0]) if isian else None for pk, isian in pilihan.items()}


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
                label_opsi(o["label"])
                if unit
                else _("%(pilihan)s · %(poin)s poin")
                % {
                    "pilihan": label_opsi(o["label"]),
                    "poin": _poin(pertanyaan.nilai_max * Decimal(o["fraksi"])),
                },
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
    opd = forms.ModelChoiceField(label=_("OPD"), queryset=Opd.objects.none())
    sampai = forms.DateTimeField(
        label=_("Sampai"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    alasan = forms.CharField(label=_("Alasan"), max_length=255)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = Opd.objects.di_daerah(user).aktif()
