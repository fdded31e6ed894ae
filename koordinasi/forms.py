"""Forms of coordination, the task force and the facility register. They read what people type;
every write goes on to koordinasi.services or agencies.services."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.models import (
    AnggotaGugusTugas,
    GugusTugas,
    JenisFasilitas,
    Opd,
    Personil,
    StatusFasilitas,
    SubTim,
    User,
)
from kla_portal.forms import BanyakBerkasField, PilihBanyak
from koordinasi.models import Rapat, TindakLanjut, Undangan
from koordinasi.services import DataRapat, IsianKehadiran, Pintasan

TANGGAL = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
JAM = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def nomor(nilai) -> int | None:
    """A whole number from the address or a hidden field (an id, a year), else None: nonsense,
    a negative or a number too big for the database never reaches a query."""
    nilai = (nilai or "").strip()
    if not (nilai.isascii() and nilai.isdigit() and len(nilai) <= 9):
        return None
    return int(nilai)


class OpdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Opd) -> str:
        return f"{obj.singkatan} — {obj.nama}"


class OpdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Opd) -> str:
        return f"{obj.singkatan} — {obj.nama}"


class PersonilMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Personil) -> str:
        return f"{obj.nama} ({obj.opd.singkatan})"


# --- Meetings -----------------------------------------------------------------------------


class RapatForm(forms.Form):
    judul = forms.CharField(label=_("Judul"), max_length=200)
    tanggal = forms.DateField(label=_("Tanggal"), widget=TANGGAL)
    jam_mulai = forms.TimeField(label=_("Mulai pukul"), widget=JAM)
    jam_selesai = forms.TimeField(label=_("Selesai pukul"), widget=JAM)
    tempat = forms.CharField(label=_("Tempat"), max_length=200, required=False)
    tautan_daring = forms.URLField(
        label=_("Tautan rapat daring"),
        required=False,
        assume_scheme="https",
        help_text=_("Kosongkan bila rapat tatap muka saja."),
    )
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 4}))
    semua_anggota = forms.BooleanField(
        label=_("Semua anggota Gugus Tugas"),
        required=False,
        help_text=_("Setiap anggota Gugus Tugas ini saat rapat disimpan."),
    )
    semua_kepala_opd = forms.BooleanField(
        label=_("Semua kepala OPD"),
        required=False,
        help_text=_(
            "Setiap OPD yang kepalanya tercatat di portal saat rapat disimpan; kepala dan "
            "operatornya menerima undangan."
        ),
    )
    opd = OpdMultipleChoiceField(
        label=_("OPD/lembaga yang diundang"),
        queryset=Opd.objects.none(),
        required=False,
        widget=PilihBanyak(attrs={"data-placeholder": _("Ketik nama atau singkatan OPD")}),
        help_text=_("Kepala dan operator OPD ini menerima undangan."),
        error_messages={
            "invalid_choice": _(
                "OPD/lembaga nomor %(value)s tidak ada atau tidak aktif. Muat ulang halaman "
                "lalu pilih lagi."
            ),
            "invalid_pk_value": _("“%(pk)s” bukan nomor OPD/lembaga."),
        },
    )
    personil = PersonilMultipleChoiceField(
        label=_("Orang yang diundang"),
        queryset=Personil.objects.none(),
        required=False,
        widget=PilihBanyak(attrs={"data-placeholder": _("Ketik nama orang atau singkatan OPD")}),
        help_text=_("Anggota Gugus Tugas atau personil lain; yang punya email ikut diundang."),
        error_messages={
            "invalid_choice": _(
                "Orang nomor %(value)s tidak ada atau tidak dapat Anda undang. Muat ulang "
                "halaman lalu pilih lagi."
            ),
            "invalid_pk_value": _("“%(pk)s” bukan nomor orang."),
        },
    )
    versi = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opd"].queryset = Opd.objects.di_daerah(user).aktif().order_by("singkatan")
        self.fields["personil"].queryset = Personil.objects.visible_to(user).select_related("opd")

    def data_rapat(self) -> DataRapat:
        d = self.cleaned_data
        zona = timezone.get_current_timezone()
        mulai = datetime.datetime.combine(d["tanggal"], d["jam_mulai"], tzinfo=zona)
        selesai = datetime.datetime.combine(d["tanggal"], d["jam_selesai"], tzinfo=zona)
        return DataRapat(
            judul=d["judul"],
            mulai=mulai,
            selesai=selesai,
            agenda=d["agenda"],
            tempat=d["tempat"],
            tautan_daring=d["tautan_daring"],
        )

    def pintasan(self) -> Pintasan:
        d = self.cleaned_data
        return Pintasan(semua_anggota=d["semua_anggota"], semua_kepala_opd=d["semua_kepala_opd"])


class AlasanForm(forms.Form):
    alasan = forms.CharField(label=_("Alasan"), max_length=255)


class NotulenForm(forms.Form):
    notulen = forms.CharField(
        label=_("Notulen"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    berkas = forms.FileField(
        label=_("Berkas notulen yang ditandatangani"),
        required=False,
        help_text=_("PDF, JPG, PNG, XLSX atau DOCX."),
    )
    versi = forms.IntegerField(widget=forms.HiddenInput)


class KehadiranForm(forms.Form):
    """One row per invitation: present in person, represented (by whom), absent."""

    versi = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, undangan: list[Undangan], **kwargs):
        super().__init__(*args, **kwargs)
        self.undangan = undangan
        for u in undangan:
            self.fields[f"hadir_{u.pk}"] = forms.ChoiceField(
                label=str(u.personil or u.opd),
                choices=Undangan.Kehadiran.choices,
                initial=u.kehadiran,
            )
            self.fields[f"wakil_{u.pk}"] = forms.CharField(
                label=_("Diwakili oleh"), max_length=200, required=False, initial=u.diwakili_oleh
            )
            self.fields[f"catatan_{u.pk}"] = forms.CharField(
                label=_("Catatan"), max_length=255, required=False, initial=u.catatan
            )

    def baris(self) -> list[dict]:
        return [
            {
                "undangan": u,
                "hadir": self[f"hadir_{u.pk}"],
                "wakil": self[f"wakil_{u.pk}"],
                "catatan": self[f"catatan_{u.pk}"],
            }
            for u in self.undangan
        ]

    def isian(self) -> dict[int, IsianKehadiran]:
        d = self.cleaned_data
        return {
            u.pk: IsianKehadiran(d[f"hadir_{u.pk}"], d[f"wakil_{u.pk}"], d[f"catatan_{u.pk}"])
            for u in self.undangan
        }


class TindakLanjutForm(forms.Form):
    keputusan = forms.CharField(
        label=_("Keputusan yang harus ditindaklanjuti"), widget=forms.Textarea(attrs={"rows": 2})
    )
    opd = OpdChoiceField(label=_("OPD penanggung jawab"), queryset=Opd.objects.none())
    tenggat = forms.DateField(label=_("Tenggat"), widget=TANGGAL)

    def __init__(self, *args, rapat: Rapat, **kwargs):
        super().__init__(*args, **kwargs)
        sekota = Opd.objects.aktif().filter(daerah_id=rapat.daerah_id)
        self.fields["opd"].queryset = sekota.order_by("singkatan")


class TindakLanjutPerbaruiForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=TindakLanjut.Status.choices, widget=forms.RadioSelect
    )
    hasil = forms.CharField(
        label=_("Hasil dan bukti"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Apa yang sudah dikerjakan. Wajib diisi (atau lampirkan bukti) saat selesai."),
    )
    selesai_pada = forms.DateField(
        label=_("Selesai pada"),
        required=False,
        widget=TANGGAL,
        help_text=_("Kosong: hari ini."),
    )
    berkas = BanyakBerkasField(label=_("Bukti (berkas)"), required=False)
    alasan = forms.CharField(
        label=_("Alasan membuka kembali"),
        max_length=255,
        required=False,
        help_text=_("Wajib bila tindak lanjut yang sudah selesai dibuka kembali; OPD diberi tahu."),
    )
    versi = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, tindak_lanjut: TindakLanjut, boleh_buka: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if tindak_lanjut.status != TindakLanjut.Status.SELESAI:
            del self.fields["alasan"]
        elif not boleh_buka:
            # A closed follow-up stays closed for its owner: only the secretariat reopens it.
            del self.fields["alasan"]
            self.fields["status"].choices = [
                c for c in TindakLanjut.Status.choices if c[0] == TindakLanjut.Status.SELESAI
            ]


# --- The task force -----------------------------------------------------------------------


class SkForm(forms.Form):
    nomor = forms.CharField(label=_("Nomor SK"), max_length=150)
    tanggal = forms.DateField(label=_("Tanggal SK"), widget=TANGGAL)
    berlaku_mulai = forms.DateField(label=_("Berlaku mulai"), widget=TANGGAL)
    berkas = forms.FileField(label=_("Berkas SK"), required=False)


class AnggotaForm(forms.Form):
    """A seat for a person already known, or for a new person typed in."""

    personil = forms.ModelChoiceField(
        label=_("Personil yang sudah tercatat"),
        queryset=Personil.objects.none(),
        required=False,
        help_text=_("Atau isi nama dan lembaga di bawah untuk orang baru."),
    )
    nama = forms.CharField(label=_("Nama"), max_length=150, required=False)
    jabatan_dinas = forms.CharField(
        label=_("Jabatan di lembaganya"), max_length=150, required=False
    )
    opd = OpdChoiceField(
        label=_("Lembaga"),
        queryset=Opd.objects.none(),
        required=False,
        help_text=_("Untuk Forum Anak, catat pendamping dewasanya: jangan data pribadi anak."),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    user = forms.ModelChoiceField(
        label=_("Akun portal (bila ada)"), queryset=User.objects.none(), required=False
    )
    jabatan = forms.ChoiceField(
        label=_("Kedudukan dalam Gugus Tugas"),
        choices=AnggotaGugusTugas.Jabatan.choices,
        initial=AnggotaGugusTugas.Jabatan.ANGGOTA,
    )
    sub_tim = forms.ModelChoiceField(
        label=_("Sub-tim"), queryset=SubTim.objects.none(), required=False
    )
    unsur = forms.ChoiceField(
        label=_("Unsur"), choices=AnggotaGugusTugas.Unsur.choices, widget=forms.RadioSelect
    )
    mulai = forms.DateField(label=_("Mulai"), initial=timezone.localdate, widget=TANGGAL)

    def __init__(self, *args, gugus_tugas: GugusTugas, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["personil"].queryset = Personil.objects.visible_to(user).select_related("opd")
        self.fields["opd"].queryset = Opd.objects.di_daerah(user).aktif().order_by("singkatan")
        # Only the accounts this person may link: all for the secretariat, the kecamatan's own
        # for its operator (agencies.services.personil_simpan refuses any other).
        akun = User.objects.dapat_ditautkan_oleh(user)
        self.fields["user"].queryset = akun
        if not user.has_perm("agencies.kelola_pengguna"):
            self.fields["user"].help_text = _("Akun yang bekerja di kecamatan ini.")
        self.fields["sub_tim"].queryset = gugus_tugas.sub_tim.all()

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("personil") and not (cleaned.get("nama") and cleaned.get("opd")):
            raise ValidationError(
                _("Pilih personil yang sudah tercatat, atau isi nama dan lembaga orang baru.")
            )
        return cleaned


class PindahForm(forms.Form):
    """A member's new position or sub-team in the same task force."""

    anggota = forms.ModelChoiceField(label=_("Anggota"), queryset=AnggotaGugusTugas.objects.none())
    jabatan = forms.ChoiceField(
        label=_("Kedudukan baru"),
        choices=AnggotaGugusTugas.Jabatan.choices,
        initial=AnggotaGugusTugas.Jabatan.ANGGOTA,
    )
    sub_tim = forms.ModelChoiceField(
        label=_("Sub-tim baru"), queryset=SubTim.objects.none(), required=False
    )
    unsur = forms.ChoiceField(
        label=_("Unsur"), choices=AnggotaGugusTugas.Unsur.choices, widget=forms.RadioSelect
    )
    mulai = forms.DateField(
        label=_("Mulai"),
        initial=timezone.localdate,
        widget=TANGGAL,
        help_text=_("Kedudukan lama berakhir sehari sebelumnya."),
    )

    def __init__(self, *args, gugus_tugas: GugusTugas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["anggota"].queryset = (
            gugus_tugas.anggota.aktif().select_related("personil").order_by("personil__nama")
        )
        self.fields["anggota"].label_from_instance = lambda a: (
            f"{a.personil.nama} ({a.get_jabatan_display()})"
        )
        self.fields["sub_tim"].queryset = gugus_tugas.sub_tim.all()


class PelatihanForm(forms.Form):
    tanggal = forms.DateField(label=_("Tanggal pelatihan"), widget=TANGGAL)
    penyelenggara = forms.CharField(label=_("Penyelenggara"), max_length=200)
    nama = forms.CharField(
        label=_("Nama pelatihan"),
        max_length=200,
        required=False,
        help_text=_("Kosong: Pelatihan Konvensi Hak Anak (KHA)."),
    )
    sertifikat = forms.FileField(label=_("Sertifikat"), required=False)


# --- The facility register ----------------------------------------------------------------


class FasilitasForm(forms.Form):
    status = forms.TypedChoiceField(
        label=_("Status"),
        choices=StatusFasilitas.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    nomor_sk = forms.CharField(label=_("Nomor SK"), max_length=150, required=False)
    tanggal_sk = forms.DateField(label=_("Tanggal SK"), required=False, widget=TANGGAL)
    berkas_sk = forms.FileField(label=_("Berkas SK"), required=False)
    foto = forms.FileField(
        label=_("Foto"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
    )
    keterangan = forms.CharField(
        label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    versi = forms.IntegerField(widget=forms.HiddenInput)


class PemetaanForm(forms.Form):
    jenis = forms.ModelChoiceField(
        label=_("Dihitung dari fasilitas"),
        queryset=JenisFasilitas.objects.all(),
        required=False,
        empty_label=_("(tidak dihitung dari register)"),
    )
