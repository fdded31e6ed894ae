from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies import services
from agencies.decorators import perlu_izin
from agencies.forms import (
    AkhiriKeanggotaanForm,
    GantiSandiForm,
    KeanggotaanTambahForm,
    OpdForm,
    PenggunaBaruForm,
    TokenApiForm,
)
from agencies.models import Keanggotaan, Opd, Peran, TokenApi, User, Wilayah
from kla_portal.forms import form_errors_text
from kla_portal.halaman import halaman_dari

# --- Regions ------------------------------------------------------------------------------


@login_required
def wilayah_list(request):
    kabkota = request.user.daerah
    kecamatan = []
    if kabkota:
        kecamatan = (
            Wilayah.objects.di_dalam(kabkota)
            .kecamatan()
            .annotate(
                jumlah_kelurahan=Count("anak", filter=Q(anak__kode__regex=r"\.1\d{3}$")),
                jumlah_desa=Count("anak", filter=~Q(anak__kode__regex=r"\.1\d{3}$")),
            )
        )
    return render(
        request, "agencies/wilayah_list.html", {"kabkota_ini": kabkota, "kecamatan": kecamatan}
    )


@login_required
def wilayah_detail(request, kode):
    wilayah = get_object_or_404(
        Wilayah.objects.milik(request.user).select_related("induk"),
        kode=kode,
        tingkat__gte=Wilayah.Tingkat.KECAMATAN,
    )
    operator = (
        Keanggotaan.objects.aktif()
        .visible_to(request.user)
        .filter(Q(wilayah=wilayah) | Q(wilayah__induk=wilayah))
        .select_related("user", "wilayah")
    )
    return render(
        request,
        "agencies/wilayah_detail.html",
        {"wilayah": wilayah, "bawahan": wilayah.anak.all(), "operator": operator},
    )


# --- Agencies -----------------------------------------------------------------------------


@perlu_izin("agencies.lihat_opd")
def opd_list(request):
    aktif = Keanggotaan.objects.aktif()
    daftar = (
        Opd.objects.visible_to(request.user)
        .select_related("wilayah")
        .annotate(jumlah_pengguna=Count("keanggotaan", filter=Q(keanggotaan__in=aktif)))
        .order_by("nama", "pk")  # a grouped query drops Meta.ordering
    )
    jenis = request.GET.get("jenis", "")
    if jenis in Opd.Jenis.values:
        daftar = daftar.filter(jenis=jenis)
    return render(
        request,
        "agencies/opd_list.html",
        {
            "halaman": halaman_dari(request, daftar),
            "jenis_pilihan": Opd.Jenis.choices,
            "jenis": jenis,
        },
    )


PILIHAN_PALING_BANYAK = 20


@perlu_izin("agencies.lihat_opd")
def opd_pilihan(request):
    """The options of a searchable agency select (static/js/portal.js pasangPilihCari): the
    active agencies the user may see whose name or abbreviation contains ``q``, at most 20,
    by name. Each is sent by its abbreviation, which the forms read (clusters.forms.OpdField)."""
    cari = request.GET.get("q", "").strip()
    if len(cari) > 100 or "\x00" in cari:
        galat = _(
            "Kata pencarian tidak sah: tulis paling banyak 100 huruf nama atau singkatan OPD."
        )
        return JsonResponse({"galat": galat, "hasil": []}, status=400)
    daftar = Opd.objects.visible_to(request.user).aktif()
    if cari:
        daftar = daftar.filter(Q(nama__icontains=cari) | Q(singkatan__icontains=cari))
    daftar = list(daftar.order_by("nama", "pk")[: PILIHAN_PALING_BANYAK + 1])
    hasil = [
        {"value": opd.singkatan, "text": f"{opd.singkatan} — {opd.nama}"}
        for opd in daftar[:PILIHAN_PALING_BANYAK]
    ]
    return JsonResponse({"hasil": hasil, "lagi": len(daftar) > PILIHAN_PALING_BANYAK})


@login_required
def opd_detail(request, pk):
    opd = get_object_or_404(Opd.objects.visible_to(request.user).select_related("wilayah"), pk=pk)
    keanggotaan = opd.keanggotaan.select_related("user").order_by("selesai", "user__nama_lengkap")
    aktif_ids = set(Keanggotaan.objects.aktif().filter(opd=opd).values_list("pk", flat=True))
    return render(
        request,
        "agencies/opd_detail.html",
        {
            "opd": opd,
            "aktif": [k for k in keanggotaan if k.pk in aktif_ids],
            "riwayat": [k for k in keanggotaan if k.pk not in aktif_ids],
        },
    )


@perlu_izin("agencies.kelola_opd")
def opd_buat(request):
    form = OpdForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            opd = services.opd_buat(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("OPD %(opd)s ditambahkan.") % {"opd": opd})
            return redirect(opd)
    return render(request, "agencies/opd_form.html", {"form": form})


@perlu_izin("agencies.kelola_opd")
def opd_edit(request, pk):
    opd = get_object_or_404(Opd.objects.visible_to(request.user), pk=pk)
    form = OpdForm(request.POST or None, instance=opd, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.opd_ubah(opd=opd, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Perubahan OPD %(opd)s disimpan.") % {"opd": opd})
            return redirect(opd)
    return render(request, "agencies/opd_form.html", {"form": form, "opd": opd})


# --- People -------------------------------------------------------------------------------


@perlu_izin("agencies.kelola_pengguna")
def pengguna_list(request):
    aktif = Keanggotaan.objects.aktif().select_related("opd", "wilayah")
    daftar = User.objects.filter(is_active=True).prefetch_related(
        Prefetch("keanggotaan", queryset=aktif, to_attr="peran_aktif")
    )
    cari = request.GET.get("q", "").strip()
    if cari:
        # A subquery rather than a join: one row per person, without DISTINCT.
        di_opd = Keanggotaan.objects.filter(opd__singkatan__icontains=cari).values("user_id")
        daftar = daftar.filter(
            Q(nama_lengkap__icontains=cari) | Q(username__icontains=cari) | Q(pk__in=di_opd)
        )
    return render(
        request,
        "agencies/pengguna_list.html",
        {"halaman": halaman_dari(request, daftar), "cari": cari},
    )


@login_required
def pengguna_detail(request, pk):
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    keanggotaan = person.keanggotaan.select_related("opd", "wilayah", "dibuat_oleh")
    context = {
        "person": person,
        "keanggotaan": keanggotaan,
        "boleh_kelola": request.user.has_perm("agencies.kelola_orang_ini", person),
        "form_tambah": KeanggotaanTambahForm(pemberi=request.user),
        "form_akhiri": AkhiriKeanggotaanForm(),
    }
    if person.pk == request.user.pk:  # one's own account page: the API tokens too
        context.update(
            daftar_token=TokenApi.objects.visible_to(request.user),
            form_token=TokenApiForm(),
            token_baru=request.session.pop(TOKEN_BARU, None),
        )
    response = render(request, "agencies/pengguna_detail.html", context)
    if context.get("token_baru"):
        add_never_cache_headers(response)  # the token is on this page: no copy in a cache
    return response


@perlu_izin("agencies.kelola_pengguna")
def pengguna_create(request):
    initial = {"opd": request.GET.get("opd")}
    if initial["opd"]:
        initial["peran"] = Peran.OPERATOR_OPD
    form = PenggunaBaruForm(request.POST or None, initial=initial, pemberi=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person, password = services.pengguna_buat(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return render(
                request,
                "agencies/sandi_sementara.html",
                {"person": person, "password": password, "baru": True},
            )
    return render(request, "agencies/pengguna_form.html", {"form": form})


def _orang_dikelola(request, pk) -> User:
    """A person this manager may manage (403 otherwise)."""
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("agencies.kelola_orang_ini", person):
        raise PermissionDenied
    return person


@require_POST
@perlu_izin("agencies.kelola_pengguna")
def keanggotaan_tambah(request, pk):
    person = _orang_dikelola(request, pk)
    form = KeanggotaanTambahForm(request.POST, pemberi=request.user)
    if form.is_valid():
        try:
            services.keanggotaan_tambah(user=person, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Peran baru ditambahkan untuk %(user)s.") % {"user": person}
            )
    else:
        messages.error(request, _("Peran tidak ditambahkan. %(s)s") % {"s": form_errors_text(form)})
    return redirect(person)


@require_POST
@perlu_izin("agencies.kelola_pengguna")
def keanggotaan_akhiri(request, pk):
    keanggotaan = get_object_or_404(
        Keanggotaan.objects.visible_to(request.user).select_related("user"), pk=pk
    )
    if not request.user.has_perm("agencies.kelola_orang_ini", keanggotaan.user):
        raise PermissionDenied
    form = AkhiriKeanggotaanForm(request.POST)
    if form.is_valid():
        try:
            services.keanggotaan_akhiri(
                keanggotaan=keanggotaan,
                by=request.user,
                alasan=form.cleaned_data["alasan"],
                selesai=form.cleaned_data["selesai"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Keanggotaan diakhiri dan disimpan dalam riwayat."))
    else:
        messages.error(
            request, _("Keanggotaan tidak diakhiri. %(s)s") % {"s": form_errors_text(form)}
        )
    return redirect(keanggotaan.user)


@require_POST
@perlu_izin("agencies.kelola_pengguna")
def pengguna_reset_sandi(request, pk):
    person = _orang_dikelola(request, pk)
    try:
        password = services.pengguna_sandi_atur_ulang(user=person, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(person)
    return render(
        request, "agencies/sandi_sementara.html", {"person": person, "password": password}
    )


@login_required
def akun_saya(request):
    return redirect(request.user)


# A token just made, kept in the session for its one showing on the account page (never in
# the address, which browsers and proxies write down).
TOKEN_BARU = "token_api_baru"  # noqa: S105 - a session key


def _ke_token(request):
    return redirect(f"{request.user.get_absolute_url()}#token-api")


@require_POST
@login_required
def token_buat(request):
    form = TokenApiForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Token tidak dibuat. %(s)s") % {"s": form_errors_text(form)})
        return _ke_token(request)
    try:
        token, rahasia = services.token_buat(
            user=request.user,
            nama=form.cleaned_data["nama"],
            akses=form.cleaned_data["akses"],
            kedaluwarsa=form.kedaluwarsa(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _ke_token(request)
    request.session[TOKEN_BARU] = {"id": token.pk, "nama": token.nama, "token": rahasia}
    return _ke_token(request)


@require_POST
@login_required
def token_cabut(request, pk):
    token = get_object_or_404(TokenApi.objects.visible_to(request.user), pk=pk)
    try:
        services.token_cabut(token=token, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Token “%(nama)s” dicabut dan tidak berlaku lagi.") % {"nama": token.nama}
        )
    return _ke_token(request)


@login_required
def ganti_sandi(request):
    """Change one's own password; clears the temporary-password flag."""
    form = GantiSandiForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        messages.success(request, _("Kata sandi Anda sudah diganti."))
        return redirect("beranda")
    return render(request, "registration/ganti_sandi.html", {"form": form})


def login_terkunci(request, original_response=None, credentials=None):
    """Shown by django-axes instead of the login form while a username (from this address) or
    the address itself is locked out."""
    menit = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    alamat = getattr(request, "kla_alamat_terkunci", False)
    context = {"menit": menit, "alamat": alamat}
    return render(request, "registration/terkunci.html", context, status=429)


@login_required
def notifikasi_list(request):
    if request.method == "POST":
        services.notifikasi_baca_semua(user=request.user)
        return redirect("agencies:notifikasi")
    daftar = request.user.notifikasi.all()[:100]
    return render(request, "agencies/notifikasi.html", {"daftar": daftar})


@login_required
def notifikasi_buka(request, pk):
    """Mark one notification read and go where it points (only inside the portal)."""
    notifikasi = get_object_or_404(request.user.notifikasi, pk=pk)
    services.notifikasi_baca(notifikasi=notifikasi)
    tujuan = notifikasi.tautan
    if not tujuan.startswith("/") or tujuan.startswith("//"):
        tujuan = reverse("agencies:notifikasi")
    return redirect(tujuan)
