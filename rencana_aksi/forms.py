"""Forms of the RAD pages. Numbers are read the Indonesian way ("1.250.000,50"), as in the
answer form (localized DecimalFields); every write goes on to rencana_aksi.services."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Opd
from kla_portal.berkas import periksa_berkas
from kla_portal.forms import BanyakBerkasField, BerkasTabelForm
from kla_portal.tabel import rapi
from rencana_aksi.models import Aksi, Klaster, PeriodeRad, SumberDana
from rencana_aksi.services import DataAksi

TANGGAL = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# "Indikator 21 A", also typed as "21a", "indikator 21 a" or "Indikator 4".
KODE_INDIKATOR = re.compile(r"^(?:indikator\s*)?(\d{1,2})\s*([a-z])?$", re.IGNORECASE)
# Kepmendagri 050-5889/2021 nomenclature: 2.08, 2.08.07, 2.08.07.2.01, 2.08.07.2.01.0001
# (X for the cross-cutting supporting programmes, as in X.XX.01).
KODE_NOMENKLATUR = re.compile(r"^[0-9X]{1,2}(\.[0-9X]{1,4})*$")


def angka(label, *, rupiah: bool = False, **kwargs) -> forms.DecimalField:
    """A number field that reads "1.250.000,50" and refuses negatives with a plain message."""
    return forms.DecimalField(
        label=label,
        required=False,
        localize=True,
        min_value=0,
        max_digits=18 if rupiah else 14,
        decimal_places=2,
        error_messages={
            "min_value": _("Tidak boleh negatif."),
            "invalid": _("Tulis angka, misalnya 1.250.000 atau 12,5."),
        },
        **kwargs,
    )


def dokumen_pdf(berkas) -> None:
    """The RAD document must be a PDF (its content, not its name)."""
    if berkas and periksa_berkas(berkas).jenis != "application/pdf":
        raise ValidationError(_("Dokumen RAD harus berupa PDF."))


# --- Plan periods and the city budget ------------------------------------------------------


class PeriodeForm(forms.Form):
    tahun_mulai = forms.IntegerField(
        label=_("Tahun mulai"),
        min_value=2000,
        max_value=2100,
        help_text=_("RAD berlaku lima tahun: 2025 berarti 2025–2029."),
    )
    dasar_hukum = forms.CharField(
        label=_("Dasar hukum"),
        max_length=200,
        required=False,
        help_text=_("Misalnya Peraturan Wali Kota Serang Nomor 12 Tahun 2025."),
    )
    tanggal_penetapan = forms.DateField(
        label=_("Tanggal penetapan"), required=False, widget=TANGGAL
    )
    dokumen = forms.FileField(
        label=_("Dokumen RAD (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf"}),
    )

    def __init__(self, *args, periode: PeriodeRad | None = None, **kwargs):
        if periode is not None:
            kwargs.setdefault(
                "initial",
                {
                    "dasar_hukum": periode.dasar_hukum,
                    "tanggal_penetapan": periode.tanggal_penetapan,
                },
            )
        super().__init__(*args, **kwargs)
        if periode is not None:
            del self.fields["tahun_mulai"]  # the years stay once actions hang on them
            self.fields["dokumen"].label = _("Ganti dokumen RAD (PDF)")
            self.fields["dokumen"].widget = forms.FileInput(attrs={"accept": ".pdf"})

    def clean_dokumen(self):
        berkas = self.cleaned_data.get("dokumen")
        dokumen_pdf(berkas)
        return berkas or None


class AnggaranDaerahForm(forms.Form):
    """The city's total APBD, one field per year of the plan; a blank year is left as it is."""

    def __init__(self, *args, periode: PeriodeRad, sekarang: dict[int, Decimal], **kwargs):
        super().__init__(*args, **kwargs)
        self.tahun_list = periode.tahun_list
        for tahun in self.tahun_list:
            self.fields[f"apbd_{tahun}"] = angka(
                _("APBD %(t)s (Rp)") % {"t": tahun}, rupiah=True, initial=rapi(sekarang.get(tahun))
            )

    def nilai(self) -> dict[int, Decimal]:
        return {
            t: self.cleaned_data[f"apbd_{t}"]
            for t in self.tahun_list
            if self.cleaned_data.get(f"apbd_{t}") is not None
        }


# --- Actions ------------------------------------------------------------------------------


def kode_indikator(teks: str) -> list[str]:
    """KLA indicator codes from "21 A; Indikator 4" as "Indikator 21 A", "Indikator 4"."""
    hasil, salah = [], []
    for bagian in re.split(r"[,;\n]+", teks or ""):
        bagian = " ".join(bagian.split())
        if not bagian:
            continue
        cocok = KODE_INDIKATOR.match(bagian)
        if not cocok or not 1 <= int(cocok[1]) <= 26:
            salah.append(bagian)
            continue
        kode = f"Indikator {int(cocok[1])}" + (f" {cocok[2].upper()}" if cocok[2] else "")
        if kode not in hasil:
            hasil.append(kode)
    if salah:
        raise ValidationError(
            _("Kode indikator tidak dikenali: %(k)s. Tulis seperti Indikator 21 A, Indikator 4.")
            % {"k": ", ".join(salah)}
        )
    return hasil


class AksiForm(forms.Form):
    """An action with its target, ceiling and funding source for each year of the plan."""

    kode = forms.CharField(
        label=_("Kode aksi"),
        max_length=40,
        help_text=_("Unik dalam RAD ini, misalnya K3.05. Tidak dapat diubah setelah disimpan."),
    )
    nama = forms.CharField(label=_("Aksi"), max_length=500, widget=forms.Textarea({"rows": 2}))
    klaster = forms.ChoiceField(label=_("Kelompok/klaster"), choices=Klaster.choices)
    indikator_kla = forms.CharField(
        label=_("Indikator KLA"),
        max_length=300,
        required=False,
        help_text=_("Kode indikator instrumen KLA, dipisah koma: Indikator 21 A, Indikator 22 A."),
    )
    program = forms.CharField(label=_("Program"), max_length=300, required=False)
    program_kode = forms.CharField(label=_("Kode program"), max_length=40, required=False)
    kegiatan = forms.CharField(label=_("Kegiatan"), max_length=300, required=False)
    kegiatan_kode = forms.CharField(label=_("Kode kegiatan"), max_length=40, required=False)
    sub_kegiatan = forms.CharField(label=_("Sub-kegiatan"), max_length=300, required=False)
    sub_kegiatan_kode = forms.CharField(
        label=_("Kode sub-kegiatan"),
        max_length=40,
        required=False,
        help_text=_("Nomenklatur Kepmendagri 050-5889/2021, misalnya 2.08.07.2.01.0001."),
    )
    indikator_kinerja = forms.CharField(label=_("Indikator kinerja"), max_length=300)
    satuan = forms.CharField(
        label=_("Satuan"), max_length=50, help_text=_("Misalnya kelurahan, anak, persen.")
    )
    baseline = angka(_("Baseline"))
    opd_utama = forms.ModelChoiceField(label=_("OPD penanggung jawab"), queryset=Opd.objects.none())
    opd_pendukung = forms.ModelMultipleChoiceField(
        label=_("OPD pendukung"),
        queryset=Opd.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Tahan Ctrl untuk memilih lebih dari satu."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Aksi.Status.choices)
    # The version the form was built from: a stale form is refused (services.aksi_simpan).
    versi = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    TERKUNCI = ("kode",)

    def __init__(self, *args, periode: PeriodeRad, aksi: Aksi | None = None, **kwargs):
        self.periode, self.aksi = periode, aksi
        if aksi is not None:
            kwargs.setdefault("initial", self.awal(aksi))
        super().__init__(*args, **kwargs)
        aktif = Q(aktif=True)
        if aksi is not None:  # an agency that closed since stays readable in the form
            aktif |= Q(pk=aksi.opd_utama_id) | Q(pk__in=[o.pk for o in aksi.opd_pendukung.all()])
            self.fields["kode"].disabled = True
        opd = Opd.objects.filter(aktif, daerah_id=periode.daerah_id).order_by("nama")
        self.fields["opd_utama"].queryset = opd
        self.fields["opd_pendukung"].queryset = opd
        for tahun in periode.tahun_list:
            self.fields[f"target_{tahun}"] = angka(_("Target %(t)s") % {"t": tahun})
            self.fields[f"pagu_{tahun}"] = angka(_("Pagu %(t)s (Rp)") % {"t": tahun}, rupiah=True)
            self.fields[f"sumber_{tahun}"] = forms.ChoiceField(
                label=_("Sumber dana %(t)s") % {"t": tahun},
                choices=SumberDana.choices,
                initial=SumberDana.APBD,
            )

    @staticmethod
    def awal(aksi: Aksi) -> dict:
        initial = {name: getattr(aksi, name) for name in DataAksi.FIELDS if name != "opd_utama"}
        initial.update(
            baseline=rapi(aksi.baseline),
            kode=aksi.kode,
            versi=aksi.versi,
            opd_utama=aksi.opd_utama_id,
            opd_pendukung=[o.pk for o in aksi.opd_pendukung.all()],
            indikator_kla=", ".join(i.kode for i in aksi.indikator.all()),
        )
        for row in aksi.target.all():
            initial[f"target_{row.tahun}"] = rapi(row.target)
            initial[f"pagu_{row.tahun}"] = rapi(row.pagu)
            initial[f"sumber_{row.tahun}"] = row.sumber_dana
        return initial

    def bidang_umum(self):
        return [self[n] for n in self.fields if not n.split("_")[-1].isdigit()]

    def baris_tahun(self):
        """(year, target field, ceiling field, source field) for the template's grid."""
        return [
            (t, self[f"target_{t}"], self[f"pagu_{t}"], self[f"sumber_{t}"])
            for t in self.periode.tahun_list
        ]

    def clean_kode(self):
        kode = self.cleaned_data["kode"].strip()
        if self.aksi is None and Aksi.objects.filter(periode=self.periode, kode=kode).exists():
            raise ValidationError(_("Kode %(k)s sudah dipakai aksi lain di RAD ini.") % {"k": kode})
        return kode

    def clean_indikator_kla(self):
        return kode_indikator(self.cleaned_data["indikator_kla"])

    def _clean_nomenklatur(self, name):
        kode = self.cleaned_data[name].strip()
        if kode and not KODE_NOMENKLATUR.match(kode):
            raise ValidationError(
                _("Tulis kode nomenklatur dengan angka dan titik, misalnya 2.08.07.2.01.0001.")
            )
        return kode

    def clean_program_kode(self):
        return self._clean_nomenklatur("program_kode")

    def clean_kegiatan_kode(self):
        return self._clean_nomenklatur("kegiatan_kode")

    def clean_sub_kegiatan_kode(self):
        return self._clean_nomenklatur("sub_kegiatan_kode")

    def clean(self):
        data = super().clean()
        # A kegiatan sits inside its programme, a sub-kegiatan inside its kegiatan.
        for induk, anak in (
            ("program_kode", "kegiatan_kode"),
            ("kegiatan_kode", "sub_kegiatan_kode"),
        ):
            a, b = data.get(induk), data.get(anak)
            if a and b and not b.startswith(f"{a}."):
                self.add_error(
                    anak, _("Kode ini harus diawali kode di atasnya (%(a)s.).") % {"a": a}
                )
        opd_utama = data.get("opd_utama")
        if opd_utama and opd_utama in (data.get("opd_pendukung") or []):
            self.add_error("opd_pendukung", _("OPD penanggung jawab tidak perlu jadi pendukung."))
        return data

    def data_aksi(self) -> DataAksi:
        c = self.cleaned_data
        lama = {row.tahun for row in self.aksi.target.all()} if self.aksi else set()
        target = {}
        for t in self.periode.tahun_list:
            nilai = (c[f"target_{t}"], c[f"pagu_{t}"], c[f"sumber_{t}"])
            # A year left blank in a new action gets no row; an existing row is cleared.
            if t in lama or nilai[0] is not None or nilai[1] is not None:
                target[t] = nilai
        return DataAksi(
            kode=self.aksi.kode if self.aksi else c["kode"],
            nama=c["nama"].strip(),
            klaster=c["klaster"],
            indikator_kinerja=c["indikator_kinerja"].strip(),
            satuan=c["satuan"].strip(),
            opd_utama=c["opd_utama"],
            opd_pendukung=list(c["opd_pendukung"]),
            indikator_kla=c["indikator_kla"],
            program=c["program"].strip(),
            program_kode=c["program_kode"],
            kegiatan=c["kegiatan"].strip(),
            kegiatan_kode=c["kegiatan_kode"],
            sub_kegiatan=c["sub_kegiatan"].strip(),
            sub_kegiatan_kode=c["sub_kegiatan_kode"],
            baseline=c["baseline"],
            status=c["status"],
            target=target,
        )


# --- Quarterly reports --------------------------------------------------------------------


class RealisasiForm(forms.Form):
    capaian = angka(
        _("Capaian s.d. triwulan ini"),
        help_text=_("Kumulatif sejak awal tahun, dalam satuan indikator kinerja."),
    )
    anggaran = angka(
        _("Anggaran terserap triwulan ini (Rp)"),
        rupiah=True,
        help_text=_("Hanya triwulan ini, misalnya 1.250.000 atau 1.250.000,50."),
    )
    narasi = forms.CharField(
        label=_("Uraian"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Apa yang dikerjakan, kendala, dan rencana triwulan berikutnya."),
    )
    berkas = BanyakBerkasField(
        label=_("Tambah bukti"),
        required=False,
        help_text=_("PDF, JPG, PNG, XLSX atau DOCX; boleh beberapa berkas sekaligus."),
    )
    versi = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, satuan: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if satuan:
            self.fields["capaian"].label = _("Capaian s.d. triwulan ini (%(s)s)") % {"s": satuan}

    def nilai(self) -> dict:
        c = self.cleaned_data
        return {"capaian": c["capaian"], "anggaran": c["anggaran"], "narasi": c["narasi"]}


class BerkasRadForm(BerkasTabelForm):
    """The RAD import's file (the import page and the API's impor-rad)."""

    label = _("Berkas RAD (XLSX atau CSV)")
