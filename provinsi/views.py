"""The province's pages: the dashboard of its kab/kota with PROVILA readiness, the
verification of one city's year, serving a city, assigning verifiers, deadlines; and the
city's "send to the province"."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.decorators import perlu_izin
from agencies.models import User, Wilayah
from clusters.models import TahunEvaluasi, VerifikasiProvinsi
from kla_portal.berkas import amankan_unduhan
from kla_portal.grafik import svg
from kla_portal.halaman import halaman_dari
from kla_portal.models import Pekerjaan
from kla_portal.replika import baca_replika
from provinsi import dasbor as dasbor_lib
from provinsi import grafik, impor_paket, lampiran, selectors, services
from provinsi.forms import (
    BatasForm,
    KotaTambahForm,
    PaketForm,
    VerifikasiProvinsiForm,
    VerifikatorForm,
)


def _provinsi(request) -> Wilayah:
    provinsi = services.provinsi_dari(request.user)
    if provinsi is None:
        raise Http404
    return provinsi


def _tahun(tahun) -> TahunEvaluasi:
    """The year asked for (a path's, or ``?tahun=``), else the year people mean by now."""
    tahun = str(tahun or "")
    record = (
        TahunEvaluasi.objects.filter(tahun=tahun).first()
        if tahun.isdigit()
        else TahunEvaluasi.objects.terkini()
    )
    if record is None:
        raise Http404
    return record


@perlu_izin("agencies.pantau_provinsi")
@baca_replika
def dasbor(request):
    provinsi = _provinsi(request)
    record = _tahun(request.GET.get("tahun"))
    isi = dasbor_lib.baca(provinsi, record, timezone.localdate())
    boleh = {
        b.kota.pk
        for b in isi.baris
        if request.user.has_perm("agencies.verifikasi_provinsi", b.kota)
    }
    tabel = [dasbor_lib.tabel_kota(isi, boleh), dasbor_lib.tabel_provila(isi)]
    unduh = request.GET.get("unduh")
    if unduh:
        pilihan = next((t for t in tabel if t.nama == unduh), None)
        if pilihan is None:
            raise Http404
        return pilihan.unduhan(f"{pilihan.nama}-{provinsi.nama}-{record.tahun}")
    kota = services.kota_provinsi(provinsi)
    return render(
        request,
        "provinsi/dasbor.html",
        {
            "provinsi": provinsi,
            "tahun": record,
            "tahun_pilihan": TahunEvaluasi.objects.values_list("tahun", flat=True),
            "isi": isi,
            "tabel": tabel,
            "boleh": boleh,
            "grafik": svg(grafik.kota(isi.baris, isi.provila.batas)) if isi.baris else "",
            "form_kota": KotaTambahForm(pilihan=services.kota_belum_dilayani(provinsi)),
            "form_verifikator": VerifikatorForm(kota=kota),
            "form_batas": BatasForm(kota=kota),
            "form_paket": PaketForm(),
        },
    )


def _kota_diverifikasi(request, kota_id: int) -> Wilayah:
    """A kab/kota of the province the person verifies; any other id is not found."""
    kota = get_object_or_404(services.kota_provinsi(_provinsi(request)), pk=kota_id)
    if not request.user.has_perm("agencies.verifikasi_provinsi", kota):
        raise Http404
    return kota


@perlu_izin("agencies.pantau_provinsi")
def verifikasi(request, tahun: int, kota: int):
    kota = _kota_diverifikasi(request, kota)
    record = _tahun(tahun)
    status = request.GET.get("status", VerifikasiProvinsi.Status.MENUNGGU)
    if status not in {"", *VerifikasiProvinsi.Status.values}:
        status = VerifikasiProvinsi.Status.MENUNGGU
    keadaan = selectors.keadaan_kota(record, kota.pk)
    return render(
        request,
        "provinsi/verifikasi.html",
        {
            "kota": kota,
            "tahun": record,
            "keadaan": keadaan,
            "status": status,
            "status_pilihan": [
                (nilai, label, keadaan.per_status.get(nilai, 0))
                for nilai, label in VerifikasiProvinsi.Status.choices
            ],
            # 25 answers a page: each with its form, read on a phone.
            "halaman": halaman_dari(
                request, selectors.daftar_verifikasi(record, kota.pk, status), per_halaman=25
            ),
        },
    )


@require_POST
@perlu_izin("agencies.pantau_provinsi")
def verifikasi_langkah(request, pk: int):
    vp = get_object_or_404(
        VerifikasiProvinsi.objects.select_related("jawaban__pertanyaan__tahun"), pk=pk
    )
    kota = _kota_diverifikasi(request, vp.daerah_id)
    form = VerifikasiProvinsiForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tidak diproses: isi poin dengan angka dan muat ulang halaman."))
    else:
        try:
            services.verifikasi_provinsi(verifikasi=vp, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(j)s diterima provinsi.") % {"j": vp.jawaban}
                if form.cleaned_data["langkah"] == "terima"
                else _("%(j)s dikembalikan ke %(kota)s.") % {"j": vp.jawaban, "kota": kota},
            )
    url = reverse("provinsi:verifikasi", args=[vp.jawaban.pertanyaan.tahun.tahun, kota.pk])
    status = request.POST.get("status_daftar", "")
    return redirect(f"{url}?status={status if status in VerifikasiProvinsi.Status.values else ''}")


def _sandi(request, person: User, password: str):
    return render(
        request,
        "agencies/sandi_sementara.html",
        {
            "person": person,
            "password": password,
            "baru": True,
            "kembali": reverse("provinsi:dasbor"),
        },
    )


@require_POST
@perlu_izin("agencies.kelola_provinsi")
def kota_tambah(request):
    provinsi = _provinsi(request)
    form = KotaTambahForm(request.POST, pilihan=services.kota_belum_dilayani(provinsi))
    if form.is_valid():
        try:
            kota, person, password = services.kota_tambah(
                provinsi=provinsi, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("%(kota)s kini dilayani portal.") % {"kota": kota})
            return _sandi(request, person, password)
    else:
        messages.error(
            request, _("Kab/kota tidak ditambahkan: pilih kab/kota dan isi akun Sekretariatnya.")
        )
    return redirect("provinsi:dasbor")


@require_POST
@perlu_izin("agencies.kelola_provinsi")
def verifikator_tambah(request):
    provinsi = _provinsi(request)
    form = VerifikatorForm(request.POST, kota=services.kota_provinsi(provinsi))
    if not form.is_valid():
        messages.error(
            request, _("Verifikator tidak ditugaskan: pilih kab/kota dan isi nama pengguna.")
        )
        return redirect("provinsi:dasbor")
    data = form.cleaned_data
    user = User.objects.filter(username__iexact=data["username"].strip()).first()
    try:
        person, password = services.verifikator_tugaskan(
            provinsi=provinsi,
            kota=data["kota"],
            by=request.user,
            user=user,
            **(
                {}
                if user
                else {
                    "username": data["username"],
                    "nama_lengkap": data["nama_lengkap"] or data["username"],
                }
            ),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("provinsi:dasbor")
    if password:
        return _sandi(request, person, password)
    messages.success(
        request, _("%(nama)s kini memverifikasi %(kota)s.") % {"nama": person, "kota": data["kota"]}
    )
    return redirect("provinsi:dasbor")


@require_POST
@perlu_izin("agencies.kelola_provinsi")
def paket_impor(request):
    """Import a city's export package (a city running its own installation) and send its
    year to the province's verification."""
    provinsi = _provinsi(request)
    form = PaketForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas ZIP paket kab/kota."))
        return redirect("provinsi:dasbor")
    try:
        hasil = impor_paket.paket_impor(
            provinsi=provinsi, berkas=form.cleaned_data["berkas"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, _("Paket tidak diimpor: %(m)s") % {"m": " ".join(error.messages)})
        return redirect("provinsi:dasbor")
    messages.success(
        request,
        _(
            "Paket %(kota)s %(tahun)s diimpor: %(j)s jawaban, %(b)s data dukung; "
            "menunggu verifikasi provinsi."
        )
        % {"kota": hasil.kota, "tahun": hasil.tahun.tahun, "j": hasil.jawaban, "b": hasil.bukti},
    )
    return redirect(f"{reverse('provinsi:dasbor')}?tahun={hasil.tahun.tahun}")


@require_POST
@perlu_izin("agencies.kelola_provinsi")
def batas_atur(request, tahun: int):
    provinsi = _provinsi(request)
    record = _tahun(tahun)
    form = BatasForm(request.POST, kota=services.kota_provinsi(provinsi))
    if form.is_valid():
        try:
            services.batas_atur(tahun=record, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Batas kirim %(kota)s disimpan.") % {"kota": form.cleaned_data["kota"]}
            )
    else:
        messages.error(request, _("Batas tidak disimpan: pilih kab/kota dan tanggal."))
    return redirect(f"{reverse('provinsi:dasbor')}?tahun={record.tahun}")


@require_POST
@perlu_izin("agencies.pantau_provinsi")
def lampiran_buat(request):
    """Start the governor's-letter attachment of the year; its page follows the worker."""
    provinsi = _provinsi(request)
    record = _tahun(request.POST.get("tahun"))
    try:
        job = lampiran.lampiran_minta(provinsi=provinsi, tahun=record, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('provinsi:dasbor')}?tahun={record.tahun}")
    return redirect(job)


@perlu_izin("agencies.pantau_provinsi")
def lampiran_unduh(request, pk: int):
    """A finished attachment of the person's own province."""
    job = get_object_or_404(
        Pekerjaan, pk=pk, jenis=lampiran.JENIS, parameter__provinsi=_provinsi(request).pk
    )
    nama = lampiran.berkas_lampiran(job)
    if not nama or not default_storage.exists(nama):
        raise Http404
    response = FileResponse(
        default_storage.open(nama, "rb"),
        as_attachment=True,
        filename=job.hasil.get("nama_berkas", "lampiran.pdf"),
        content_type="application/pdf",
    )
    return amankan_unduhan(response)


@require_POST
@perlu_izin("clusters.kelola_evaluasi")
def kirim(request, tahun: int):
    """The city's secretariat sends its verified year to the province."""
    record = _tahun(tahun)
    kota = request.user.daerah
    if kota is None or kota.tingkat != Wilayah.Tingkat.KABKOTA:
        raise Http404
    try:
        services.kirim_ke_provinsi(tahun=record, kota=kota, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Evaluasi %(t)s dikirim ke provinsi.") % {"t": record.tahun})
    return redirect("skor:ringkasan", tahun=record.tahun)
