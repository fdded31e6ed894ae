"""Form pieces every app shares: the renderer, several files in one field, and a service's
refusal put onto its form. Infrastructure: imports none of the portal's apps."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kla_portal.berkas import periksa_ukuran


class PortalFormRenderer(TemplatesSetting):
    """Forms get Bootstrap widget classes, errors beside their field, form errors in one alert."""

    form_template_name = "partials/form.html"
    field_template_name = "partials/form_field.html"


class PilihBanyak(forms.SelectMultiple):
    """A list to choose several from, which the page script (pasangPilihCari) turns into a
    searchable select over the same options, each choice a chip with a button to remove it.
    Without the script it stays the plain list."""

    class Media:
        css = {"all": ["vendor/tom-select/tom-select.bootstrap5.min.css"]}
        js = ["vendor/tom-select/tom-select.popular.min.js"]

    def __init__(self, attrs=None):
        super().__init__(
            {
                "size": 8,
                "data-pilih-cari": "",  # no address: the options are in the page
                "data-kosong": gettext_lazy("Tidak ada yang cocok."),
                "data-hapus": gettext_lazy("Hapus"),
                **(attrs or {}),
            }
        )


class BanyakBerkasInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class BanyakBerkasField(forms.FileField):
    """Several evidence files in one field (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", BanyakBerkasInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.xlsx,.docx"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class BerkasTabelForm(forms.Form):
    """One table to import (XLSX or CSV), refused when over the upload limit before it is
    read. An importer's form names the file (``label``) and what it holds (``help_text``)."""

    label = gettext_lazy("Berkas (XLSX atau CSV)")
    help_text = gettext_lazy("Templat dari halaman ini, atau berkas dengan kolom yang sama.")
    berkas = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["berkas"].label = self.label
        self.fields["berkas"].help_text = self.help_text

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        periksa_ukuran(berkas)
        return berkas


def tambah_galat(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal onto the form: beside the field it names, else at the top."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def tambah_galat_kedaluwarsa(form: forms.Form, error, *, masih_diisi: bool = True) -> None:
    """A stale form's refusal (kla_portal.versi.Kedaluwarsa) onto the form, which keeps what
    was typed and now carries the current version: saving again knowingly replaces the newer
    one. ``masih_diisi`` False: the record can no longer be changed, the form is not shown."""
    form.data = form.data.copy()
    form.data["versi"] = error.versi
    tambah_galat(form, error)
    if masih_diisi:
        form.add_error(None, _("Isian Anda masih ada di bawah; simpan lagi untuk menggantikannya."))


def form_errors_text(form) -> str:
    """A form's errors as one sentence for a message: 'Alasan: Bidang ini harus diisi.'"""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return " ".join(parts)
