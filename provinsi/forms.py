"""The province's forms: a kab/kota to serve, a verifier to assign, a city's deadline, one
answer's verification."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Wilayah


class KotaTambahForm(forms.Form):
    kode = forms.ChoiceField(label=_("Kabupaten/kota"))
    username = forms.CharField(
        label=_("Nama pengguna Sekretariat"),
        max_length=150,
        help_text=_(
            "Akun pertama Sekretariat Gugus Tugas kab/kota ini, misalnya sekretariat.cilegon."
        ),
    )
    nama_lengkap = forms.CharField(label=_("Nama lengkap"), max_length=150)

    def __init__(self, *args, pilihan=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kode"].choices = [("", "---------"), *((k, f"{k} {n}") for k, n in pilihan)]


class VerifikatorForm(forms.Form):
    kota = forms.ModelChoiceField(
        label=_("Kabupaten/kota yang diverifikasi"), queryset=Wilayah.objects.none()
    )
    username = forms.CharField(
        label=_("Nama pengguna"),
        max_length=150,
        help_text=_("Akun provinsi yang sudah ada, atau nama pengguna baru untuk dibuatkan akun."),
    )
    nama_lengkap = forms.CharField(
        label=_("Nama lengkap"), max_length=150, required=False, help_text=_("Untuk akun baru.")
    )

    def __init__(self, *args, kota=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kota"].queryset = kota if kota is not None else Wilayah.objects.none()


class BatasForm(forms.Form):
    kota = forms.ModelChoiceField(label=_("Kabupaten/kota"), queryset=Wilayah.objects.none())
    batas = forms.DateField(
        label=_("Batas kirim ke provinsi"), widget=forms.DateInput(attrs={"type": "date"})
    )
    alasan = forms.CharField(
        label=_("Alasan perpanjangan"),
        max_length=255,
        required=False,
        help_text=_("Wajib bila batas yang sudah ada dimundurkan."),
    )

    def __init__(self, *args, kota=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kota"].queryset = kota if kota is not None else Wilayah.objects.none()


class VerifikasiProvinsiForm(forms.Form):
    langkah = forms.ChoiceField(choices=[("terima", _("Terima")), ("kembalikan", _("Kembalikan"))])
    versi = forms.IntegerField(min_value=1)
    poin = forms.DecimalField(
        label=_("Poin provinsi"),
        required=False,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    alasan = forms.CharField(label=_("Alasan dikembalikan"), max_length=2000, required=False)


class PaketForm(forms.Form):
    berkas = forms.FileField(
        label=_("Paket ekspor kab/kota (ZIP)"),
        help_text=_("Paket yang dibuat portal kab/kota sendiri (Laporan → Paket ekspor)."),
    )
