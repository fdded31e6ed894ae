"""The task force's page: its decree in force and their history, its members by sub-team with
who is trained in KHA, counts per sub-team and per agency; a person's page with their training.
The models and writes are agencies' (agencies.gugus_tugas, agencies.services)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies import services as agencies_services
from agencies.decorators import perlu_izin
from agencies.forms import AkhiriKeanggotaanForm
from agencies.models import (
    AnggotaGugusTugas,
    GugusTugas,
    PelatihanKha,
    Personil,
    SkGugusTugas,
    Wilayah,
)
from kla_portal.berkas import respons_berkas
from kla_portal.forms import form_errors_text, tambah_galat
from koordinasi.forms import AnggotaForm, PelatihanForm, SkForm
from koordinasi.gugus_tugas import anggota_aktif, tabel_halaman


def _boleh_kelola(request, gugus: GugusTugas | None) -> None:
    if not request.user.has_perm("agencies.kelola_gugus_tugas", gugus):
        raise PermissionDenied


@perlu_izin("agencies.lihat_gugus_tugas")
def detail(request, pk=None):
    """The city's task force, or (pk) a kecamatan's."""
    if pk is None:
        gugus = GugusTugas.objects.kota()
        if gugus is None:
            return render(
                request,
                "koordinasi/gugus_tugas_belum.html",
                {"aktif": "gugus", "kabkota": Wilayah.objects.kabkota_dilayani()},
            )
    else:
        gugus = get_object_or_404(GugusTugas.objects.select_related("wilayah"), pk=pk)
    anggota = anggota_aktif(gugus)
    tabel = tabel_halaman(anggota)
    unduh = request.GET.get("unduh")
    if unduh:
        pilihan = next((t for t in tabel if t.nama == unduh), None)
        if pilihan is not None:
            return pilihan.unduhan()
    kelola = request.user.has_perm("agencies.kelola_gugus_tugas", gugus)
    sk = list(gugus.sk.select_related("diganti_oleh"))
    context = {
        "aktif": "gugus",
        "gugus": gugus,
        "sk_berlaku": next((s for s in sk if s.diganti_oleh_id is None), None),
        "sk": sk,
        "anggota": anggota,
        "tabel": tabel,
        "jumlah": len(anggota),
        "terlatih": sum(a.terlatih for a in anggota),
        "teknis": sum(a.unsur == AnggotaGugusTugas.Unsur.TEKNIS for a in anggota),
        "kecamatan": GugusTugas.objects.filter(wilayah__tingkat=Wilayah.Tingkat.KECAMATAN)
        .select_related("wilayah")
        .order_by("wilayah__kode"),
        "kelola": kelola,
    }
    if kelola:
        context.update(
            form_sk=SkForm(),
            form_anggota=AnggotaForm(gugus_tugas=gugus),
            form_akhiri=AkhiriKeanggotaanForm(),
        )
    return render(request, "koordinasi/gugus_tugas.html", context)


@require_POST
@perlu_izin("agencies.lihat_gugus_tugas")
def buat(request):
    """Form the city's task force (the secretariat), or a kecamatan's (its operator too)."""
    wilayah = get_object_or_404(
        Wilayah.objects.filter(tingkat__in=[Wilayah.Tingkat.KABKOTA, Wilayah.Tingkat.KECAMATAN]),
        kode=request.POST.get("wilayah", ""),
    )
    _boleh_kelola(request, GugusTugas(wilayah=wilayah))
    try:
        gugus = agencies_services.gugus_tugas_buat(wilayah=wilayah, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("koordinasi:gugus-tugas")
    messages.success(request, _("%(g)s dibentuk dengan enam sub-tim baku.") % {"g": gugus})
    return redirect("koordinasi:gugus-tugas-detail", gugus.pk)


def _kembali(gugus: GugusTugas):
    if gugus.wilayah.tingkat == Wilayah.Tingkat.KABKOTA:
        return redirect("koordinasi:gugus-tugas")
    return redirect("koordinasi:gugus-tugas-detail", gugus.pk)


@require_POST
@perlu_izin("agencies.lihat_gugus_tugas")
def sk_tambah(request, pk):
    gugus = get_object_or_404(GugusTugas.objects.select_related("wilayah"), pk=pk)
    _boleh_kelola(request, gugus)
    form = SkForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(form_errors_text(form))
        agencies_services.sk_gugus_tugas_tambah(
            gugus_tugas=gugus, by=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, _("SK tidak dicatat. %(s)s") % {"s": " ".join(error.messages)})
    else:
        messages.success(request, _("SK dicatat; SK sebelumnya ditandai sudah diganti."))
    return _kembali(gugus)


@perlu_izin("agencies.lihat_gugus_tugas")
def sk_unduh(request, pk):
    sk = get_object_or_404(SkGugusTugas, pk=pk)
    if not sk.berkas:
        raise Http404
    return respons_berkas(sk.berkas, nama=sk.berkas_nama)


@require_POST
@perlu_izin("agencies.lihat_gugus_tugas")
def anggota_tambah(request, pk):
    gugus = get_object_or_404(GugusTugas.objects.select_related("wilayah"), pk=pk)
    _boleh_kelola(request, gugus)
    form = AnggotaForm(request.POST, gugus_tugas=gugus)
    try:
        if not form.is_valid():
            raise ValidationError(form_errors_text(form))
        d = form.cleaned_data
        personil = d["personil"] or agencies_services.personil_simpan(
            nama=d["nama"],
            jabatan=d["jabatan_dinas"],
            opd=d["opd"],
            email=d["email"],
            user=d["user"],
            by=request.user,
        )
        agencies_services.anggota_tambah(
            gugus_tugas=gugus,
            personil=personil,
            jabatan=d["jabatan"],
            sub_tim=d["sub_tim"],
            unsur=d["unsur"],
            sk=gugus.sk.filter(diganti_oleh__isnull=True).first(),
            mulai=d["mulai"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(
            request, _("Anggota tidak ditambahkan. %(s)s") % {"s": " ".join(error.messages)}
        )
    else:
        messages.success(request, _("%(p)s ditambahkan ke Gugus Tugas.") % {"p": personil})
    return _kembali(gugus)


@require_POST
@perlu_izin("agencies.lihat_gugus_tugas")
def anggota_akhiri(request, pk):
    anggota = get_object_or_404(
        AnggotaGugusTugas.objects.select_related("gugus_tugas__wilayah"), pk=pk
    )
    _boleh_kelola(request, anggota.gugus_tugas)
    form = AkhiriKeanggotaanForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form_errors_text(form))
        agencies_services.anggota_akhiri(anggota=anggota, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        messages.error(
            request, _("Keanggotaan tidak diakhiri. %(s)s") % {"s": " ".join(error.messages)}
        )
    else:
        messages.success(request, _("Keanggotaan diakhiri dan disimpan dalam riwayat."))
    return _kembali(anggota.gugus_tugas)


@perlu_izin("agencies.lihat_gugus_tugas")
def personil(request, pk):
    """A person: their seats (past ones too) and KHA training."""
    orang = get_object_or_404(Personil.objects.select_related("opd", "user"), pk=pk)
    kelola = request.user.has_perm("agencies.kelola_gugus_tugas")
    form = PelatihanForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not kelola:
            raise PermissionDenied
        if form.is_valid():
            try:
                agencies_services.pelatihan_catat(
                    personil=orang, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                tambah_galat(form, error)
            else:
                messages.success(request, _("Pelatihan KHA dicatat."))
                return redirect("koordinasi:personil", orang.pk)
    return render(
        request,
        "koordinasi/personil.html",
        {
            "aktif": "gugus",
            "orang": orang,
            "kursi": orang.kursi.select_related("gugus_tugas", "sub_tim").order_by("-mulai"),
            "pelatihan": orang.pelatihan.all(),
            "boleh_sertifikat": _boleh_sertifikat(request.user, orang),
            "form": form if kelola else None,
        },
        status=400 if form.errors else 200,
    )


def _boleh_sertifikat(user, orang: Personil) -> bool:
    """A certificate is a personal document: city-wide roles and the person's own agency."""
    return user.has_perm("agencies.view_seluruh_kota") or orang.opd_id in user.opd_ids()


@perlu_izin("agencies.lihat_gugus_tugas")
def sertifikat_unduh(request, pk):
    pelatihan = get_object_or_404(PelatihanKha.objects.select_related("personil"), pk=pk)
    if not pelatihan.sertifikat or not _boleh_sertifikat(request.user, pelatihan.personil):
        raise Http404
    return respons_berkas(pelatihan.sertifikat, nama=pelatihan.sertifikat_nama)
