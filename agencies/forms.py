from datetime import timedelta

from django import forms
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies import services
from agencies.models import PERAN_PROVINSI, Opd, Peran, TokenApi, Wilayah


def _wilayah_kota(user):
    """The regions of the kab/kota the person works for."""
    kabkota = user.daerah
    return Wilayah.objects.di_dalam(kabkota) if kabkota else Wilayah.objects.none()


class WilayahChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Wilayah) -> str:
        return f"{obj} ({obj.kode})"


class OpdForm(forms.ModelForm):
    class Meta:
        model = Opd
        fields = ["nama", "singkatan", "jenis", "wilayah", "aktif"]
        field_classes = {"wilayah": WilayahChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wilayah"].queryset = _wilayah_kota(user).kecamatan()
        self.fields["wilayah"].label = _("Kecamatan")
        if not self.instance.pk:
            del self.fields["aktif"]


class KeanggotaanForm(forms.Form):
    """A role in an agency or an area. Only an admin may give the admin role."""

    # The province's roles are given on the province's pages (provinsi), not in a city's.
    peran = forms.ChoiceField(
        label=_("Peran"),
        choices=[("", "---------"), *(c for c in Peran.choices if c[0] not in PERAN_PROVINSI)],
    )
    opd = forms.ModelChoiceField(
        label=_("OPD"),
        queryset=Opd.objects.aktif(),
        required=False,
        help_text=_("Wajib untuk Kepala OPD dan Operator OPD; boleh diisi untuk peran lain."),
    )
    wilayah = WilayahChoiceField(
        label=_("Kecamatan/kelurahan"),
        queryset=Wilayah.objects.none(),
        required=False,
        help_text=_("Hanya untuk operator kecamatan/kelurahan."),
    )

    def __init__(self, *args, pemberi, **kwargs):
        super().__init__(*args, **kwargs)
        if not pemberi.has_perm("agencies.beri_peran_admin"):
            self.fields["peran"].choices = [
                choice for choice in self.fields["peran"].choices if choice[0] != Peran.ADMIN
            ]
        self.fields["opd"].queryset = Opd.objects.visible_to(pemberi).aktif()
        self.fields["wilayah"].queryset = _wilayah_kota(pemberi).filter(
            tingkat__in=[Wilayah.Tingkat.KECAMATAN, Wilayah.Tingkat.DESA_KELURAHAN]
        )


class KeanggotaanTambahForm(KeanggotaanForm):
    mulai = forms.DateField(
        label=_("Mulai"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class PenggunaBaruForm(KeanggotaanForm):
    username = forms.RegexField(
        label=_("Nama pengguna"),
        regex=r"^[a-zA-Z0-9._-]{3,50}$",
        help_text=_("Huruf, angka, titik, garis bawah atau tanda hubung; 3–50 karakter."),
        error_messages={
            "invalid": _("Gunakan huruf, angka, titik, garis bawah atau tanda hubung.")
        },
    )
    nama_lengkap = forms.CharField(label=_("Nama lengkap"), max_length=150)
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("Dengan email, pemilik akun dapat mengatur ulang kata sandinya sendiri."),
    )
    nip = forms.RegexField(
        label=_("NIP"),
        regex=r"^\d{18}$",
        required=False,
        error_messages={"invalid": _("NIP terdiri atas 18 angka.")},
    )
    jabatan = forms.CharField(label=_("Jabatan"), max_length=150, required=False)
    telepon = forms.RegexField(
        label=_("Nomor WhatsApp"),
        regex=r"^\+?[0-9 ]{8,20}$",
        required=False,
        error_messages={"invalid": _("Tulis nomor seperti 0812 3456 7890.")},
    )

    field_order = ["username", "nama_lengkap", "email", "nip", "jabatan", "telepon"]


class GantiSandiForm(PasswordChangeForm):
    """Change one's password; a temporary password cannot be kept as the new one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = (
            _("Kata sandi sementara") if self.user.wajib_ganti_sandi else _("Kata sandi saat ini")
        )
        self.fields["new_password1"].label = _("Kata sandi baru")
        self.fields["new_password2"].label = _("Ulangi kata sandi baru")

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password1")
        if password and password == cleaned.get("old_password"):
            self.add_error(
                "new_password1", _("Kata sandi baru harus berbeda dari kata sandi lama.")
            )
        return cleaned

    def save(self, commit=True):
        user = super().save(commit)
        if commit:
            services.pengguna_sandi_diganti(user=user)
        return user


class AkhiriKeanggotaanForm(forms.Form):
    selesai = forms.DateField(
        label=_("Berakhir pada"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    alasan = forms.CharField(
        label=_("Alasan"),
        max_length=255,
        help_text=_("Misalnya: mutasi ke OPD lain, pensiun, diganti pejabat baru."),
    )


class AturSandiForm(SetPasswordForm):
    """Setting a password from an e-mailed link also ends the temporary-password state."""

    def save(self, commit=True):
        user = super().save(commit)
        if commit:
            services.pengguna_sandi_diganti(user=user)
        return user


class TokenApiForm(forms.Form):
    """A new personal API token: its name, what it may do and how long it lasts."""

    MASA = [
        ("", _("Tanpa batas")),
        ("30", _("30 hari")),
        ("90", _("90 hari")),
        ("365", _("1 tahun")),
    ]

    nama = forms.CharField(
        label=_("Nama token"),
        max_length=100,
        help_text=_("Untuk apa token ini, misalnya “Dasbor Bappeda” atau “Skrip impor”."),
    )
    akses = forms.ChoiceField(
        label=_("Akses"), choices=TokenApi.Akses.choices, initial=TokenApi.Akses.BACA
    )
    masa = forms.TypedChoiceField(
        label=_("Berlaku"), choices=MASA, coerce=int, empty_value=None, required=False
    )

    def kedaluwarsa(self):
        hari = self.cleaned_data.get("masa")
        return timezone.now() + timedelta(days=hari) if hari else None
