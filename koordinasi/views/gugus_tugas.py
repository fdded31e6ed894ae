"""The task force's page: its decree in force and their history, its members by sub-team with
who is trained in KHA, counts per sub-team and per agency; a person's page with their training.
A person reads the task forces GugusTugas.objects.visible_to allows (another kecamatan's is not
found). The models and writes are agencies' (agencies.gugus_tugas, agencies.services)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
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
from koordinasi.forms import AnggotaForm, PelatihanForm, PindahForm, SkForm
from koordinasi.gugus_tugas import anggota_aktif, tabel_halaman


def _gugus_terlihat(request, pk) -> GugusTugas:
    return get_object_or_404(
        GugusTugas.objects.visible_to(request.user).select_related("wilayah"), pk=pk
    )


def _boleh_kelola(request, gugus: GugusTugas) -> None:
    if not request.user.has_perm("agencies.kelola_gugus_tugas", gugus):
        raise PermissionDenied


def _bisa_dibentuk(user, kota: Wilayah | None) -> list[Wilayah]:
    """The served city's kecamatan without a task force that ``user`` may form one for: every
    one for the secretariat, their own for a kecamatan's operator, none for anyone else."""
    if kota is None or not (
        user.has_perm("agencies.kelola_gugus_tugas") or user.kecamatan_operator_ids()
    ):
        return []
    calon = Wilayah.objects.kecamatan().filter(induk=kota, gugus_tugas__isnull=True)
    return [w for w in calon if user.has_perm("agencies.kelola_gugus_tugas", GugusTugas(wilayah=w))]


@perlu_izin("agencies.lihat_gugus_tugas")
def detail(request, pk=None):
    """The city's task force, or (pk) a kecamatan's."""
    user = request.user
    kota = None
    if pk is None:
        kota = user.daerah
        gugus = GugusTugas.objects.filter(wilayah=kota).first() if kota else None
        if gugus is None:
            return render(
                request,
                "koordinasi/gugus_tugas_belum.html",
                {
                    "aktif": "gugus",
                    "kabkota": kota,
                    "boleh_bentuk_kota": kota is not None
                    and user.has_perm("agencies.kelola_gugus_tugas", GugusTugas(wilayah=kota)),
                    "bisa_dibentuk": _bisa_dibentuk(user, kota),
                    "kecamatan": _gugus_kecamatan(user),
                },
            )
        gugus.wilayah = kota
    else:
        gugus = _gugus_terlihat(request, pk)
    anggota = anggota_aktif(gugus)
    tabel = tabel_halaman(anggota)
    unduh = request.GET.get("unduh")
    if unduh:
        pilihan = next((t for t in tabel if t.nama == unduh), None)
        if pilihan is not None:
            return pilihan.unduhan()
    kelola = user.has_perm("agencies.kelola_gugus_tugas", gugus)
    context = {
        "aktif": "gugus",
        "gugus": gugus,
        "sk_berlaku": gugus.sk.berlaku(),
        "sk": list(gugus.sk.select_related("diganti_oleh")),
        "hari_ini": timezone.localdate(),
        "anggota": anggota,
        "tabel": tabel,
        "jumlah": len(anggota),
        "terlatih": sum(a.terlatih for a in anggota),
        "teknis": sum(a.unsur == AnggotaGugusTugas.Unsur.TEKNIS for a in anggota),
        "halaman_kota": pk is None,
        "kecamatan": _gugus_kecamatan(user) if pk is None else [],
        "bisa_dibentuk": _bisa_dibentuk(user, kota) if pk is None else [],
        "boleh_jadwal": user.has_perm("koordinasi.kelola_rapat", gugus),
        "kelola": kelola,
    }
    if kelola:
        context.update(
            form_sk=SkForm(),
            form_anggota=AnggotaForm(gugus_tugas=gugus, user=user),
            form_pindah=PindahForm(gugus_tugas=gugus),
            form_akhiri=AkhiriKeanggotaanForm(),
        )
    return render(request, "koordinasi/gugus_tugas.html", context)


def _gugus_kecamatan(user):
    return (
        GugusTugas.objects.visible_to(user)
        .filter(wilayah__tingkat=Wilayah.Tingkat.KECAMATAN)
        .select_related("wilayah")
        .order_by("wilayah__kode")
    )


@require_POST
@perlu_izin("agencies.lihat_gugus_tugas")
def buat(request):
    """Form the city's task force (the secretariat), or a kecamatan's (its operator too): only
    for the person's own city and its kecamatan."""
    kota = [request.user.daerah_id]
    wilayah = get_object_or_404(
        Wilayah.objects.filter(
            Q(pk__in=kota) | Q(tingkat=Wilayah.Tingkat.KECAMATAN, induk__in=kota)
        ),
        kode=request.POST.get("wilayah", ""),
    )
    _boleh_kelola(request, GugusTugas(wilayah=wilayah))
    try:
        gugus = agencies_services.gugus_tugas_buat(wilayah=wilayah, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("koordinasi:gugus-tugas")
    messages.success(request, _("%(g)s dibentuk dengan enam sub-tim baku.") % {"g": gugus})
    return _kembali(gugus)


def _kembali(gugus: GugusTugas):
    if gugus.wilayah.tingkat != Wilayah.Tingkat.KECAMATAN:  # a city's or the province's
        return redirect("koordinasi:gugus-tugas")
    return redirect("koordinasi:gugus-tugas-detail", gugus.pk)


@require_POST
@perlu_izin("agencies.lihat_gugus_tugas")
def sk_tambah(request, pk):
    gugus = _gugus_terlihat(request, pk)
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
    sk = get_object_or_404(
        SkGugusTugas.objects.filter(gugus_tugas__in=GugusTugas.objects.visible_to(request.user)),
        pk=pk,
    )
    if not sk.berkas:
        raise Http404
    return respons_berkas(sk.berkas, nama=sk.berkas_nama)


@require_POST
@perlu_izin("agencies.lihat_gugus_tugas")
def anggota_tambah(request, pk):
    """A seat for a person already recorded, or for a new person (recorded with the seat, in
    one transaction); the decree is the one in force on the seat's first day."""
    gugus = _gugus_terlihat(request, pk)
    _boleh_kelola(request, gugus)
    form = AnggotaForm(request.POST, gugus_tugas=gugus, user=request.user)
    try:
        if not form.is_valid():
            raise ValidationError(form_errors_text(form))
        d = form.cleaned_data
        kursi = {
            "gugus_tugas": gugus,
            "jabatan": d["jabatan"],
            "sub_tim": d["sub_tim"],
            "unsur": d["unsur"],
            "sk": gugus.sk.berlaku(pada=d["mulai"]),
            "mulai": d["mulai"],
            "by": request.user,
        }
        if d["personil"]:
            anggota = agencies_services.anggota_tambah(personil=d["personil"], **kursi)
        else:
            anggota = agencies_services.anggota_baru_tambah(
                nama=d["nama"],
                jabatan_dinas=d["jabatan_dinas"],
                opd=d["opd"],
                email=d["email"],
                user=d["user"],
                **kursi,
            )
    except ValidationError as error:
        messages.error(
            request, _("Anggota tidak ditambahkan. %(s)s") % {"s": " ".join(error.messages)}
        )
    else:
        messages.success(request, _("%(p)s ditambahkan ke Gugus Tugas.") % {"p": anggota.personil})
    return _kembali(gugus)


@require_POST
@perlu_izin("agencies.lihat_gugus_tugas")
def anggota_pindah(request, pk):
    """A member moves to another position or sub-team of the same task force."""
    gugus = _gugus_terlihat(request, pk)
    _boleh_kelola(request, gugus)
    form = PindahForm(request.POST, gugus_tugas=gugus)
    try:
        if not form.is_valid():
            raise ValidationError(form_errors_text(form))
        d = form.cleaned_data
        anggota = agencies_services.anggota_pindah(
            anggota=d["anggota"],
            jabatan=d["jabatan"],
            sub_tim=d["sub_tim"],
            unsur=d["unsur"],
            mulai=d["mulai"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(
            request, _("Kedudukan tidak diubah. %(s)s") % {"s": " ".join(error.messages)}
        )
    else:
        messages.success(
            request,
            _("%(p)s kini %(j)s; kedudukan lamanya disimpan dalam riwayat.")
            % {"p": anggota.personil, "j": anggota.get_jabatan_display().lower()},
        )
    return _kembali(gugus)


@require_POST
@perlu_izin("agencies.lihat_gugus_tugas")
def anggota_akhiri(request, pk):
    anggota = get_object_or_404(
        AnggotaGugusTugas.objects.filter(
            gugus_tugas__in=GugusTugas.objects.visible_to(request.user)
        ).select_related("gugus_tugas__wilayah"),
        pk=pk,
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
    """A person on a task force the reader may see: their seats (past ones too) and KHA
    training, which whoever manages one of their task forces records."""
    user = request.user
    orang = get_object_or_404(
        Personil.objects.visible_to(user).select_related("opd", "user"), pk=pk
    )
    kursi = list(orang.kursi.select_related("gugus_tugas__wilayah", "sub_tim").order_by("-mulai"))
    hari_ini = timezone.localdate()
    kelola = user.has_perm("agencies.kelola_gugus_tugas") or any(
        user.has_perm("agencies.kelola_gugus_tugas", k.gugus_tugas)
        for k in kursi
        if k.selesai is None or k.selesai > hari_ini
    )
    form = PelatihanForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not kelola:
            raise PermissionDenied
        if form.is_valid():
            try:
                agencies_services.pelatihan_catat(personil=orang, by=user, **form.cleaned_data)
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
            "kursi": kursi,
            "pelatihan": orang.pelatihan.all(),
            "boleh_sertifikat": _boleh_sertifikat(user, orang),
            "form": form if kelola else None,
        },
        status=400 if form.errors else 200,
    )


def _boleh_sertifikat(user, orang: Personil) -> bool:
    """A certificate is a personal document: city-wide roles and the person's own agency."""
    return user.has_perm("agencies.view_seluruh_kota") or orang.opd_id in user.opd_ids()


@perlu_izin("agencies.lihat_gugus_tugas")
def sertifikat_unduh(request, pk):
    pelatihan = get_object_or_404(
        PelatihanKha.objects.filter(
            personil__in=Personil.objects.visible_to(request.user)
        ).select_related("personil"),
        pk=pk,
    )
    if not pelatihan.sertifikat or not _boleh_sertifikat(request.user, pelatihan.personil):
        raise Http404
    return respons_berkas(pelatihan.sertifikat, nama=pelatihan.sertifikat_nama)
