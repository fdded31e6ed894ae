"""Meetings: the shared calendar (month and list), scheduling, one meeting's page with its
invitations and attendance, minutes, decisions, the WhatsApp summary, and the ICS feeds."""

from __future__ import annotations

import calendar
import datetime
import re
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from agencies.decorators import perlu_izin
from agencies.models import GugusTugas, Opd
from kla_portal.berkas import respons_berkas
from kla_portal.ekspor import Kolom, Tabel
from kla_portal.forms import tambah_galat
from koordinasi import ics, services
from koordinasi.forms import (
    AlasanForm,
    KehadiranForm,
    NotulenForm,
    RapatForm,
    TindakLanjutForm,
    nomor,
)
from koordinasi.models import Rapat, TokenKalender, Undangan, opd_kerja


def _bulan(request) -> datetime.date:
    """The month asked for (?bulan=2025-03), else this month; a month that is not one (or
    outside 2000–2100) says so and shows this month."""
    teks = request.GET.get("bulan", "")
    cocok = re.fullmatch(r"(\d{4})-(\d{1,2})", teks)
    if cocok and 2000 <= int(cocok[1]) <= 2100 and 1 <= int(cocok[2]) <= 12:
        return datetime.date(int(cocok[1]), int(cocok[2]), 1)
    if teks:
        messages.warning(
            request, _("Bulan %(b)s tidak dikenal; ditampilkan bulan ini.") % {"b": teks[:20]}
        )
    return timezone.localdate().replace(day=1)


def _geser(bulan: datetime.date, n: int) -> datetime.date:
    urut = bulan.year * 12 + bulan.month - 1 + n
    return datetime.date(urut // 12, urut % 12 + 1, 1)


@perlu_izin("koordinasi.lihat_koordinasi")
def kalender(request):
    """The month's meetings as a calendar grid, or (?tampilan=daftar) as a table with XLSX."""
    bulan = _bulan(request)
    zona = timezone.get_current_timezone()
    awal = datetime.datetime.combine(bulan, datetime.time(), tzinfo=zona)
    akhir = datetime.datetime.combine(_geser(bulan, 1), datetime.time(), tzinfo=zona)
    daftar = list(
        Rapat.objects.visible_to(request.user)
        .filter(mulai__gte=awal, mulai__lt=akhir)
        .select_related("gugus_tugas")
        .annotate(
            diundang=Count("undangan", distinct=True),
            tindak=Count("tindak_lanjut", distinct=True),
        )
    )
    tabel = Tabel(
        "rapat",
        _("Rapat %(bulan)s") % {"bulan": _nama_bulan(bulan)},
        [
            Kolom(_("Rapat")),
            Kolom(_("Waktu")),
            Kolom(_("Tempat")),
            Kolom(_("Gugus Tugas")),
            Kolom(_("Status")),
            Kolom(_("Diundang"), "jumlah"),
            Kolom(_("Tindak lanjut"), "jumlah"),
        ],
    )
    for r in daftar:
        tabel.tambah(
            r.judul,
            services.waktu(r),
            r.tempat or r.tautan_daring,
            r.gugus_tugas.nama,
            r.get_status_display(),
            r.diundang,
            r.tindak,
            tautan=r.get_absolute_url(),
            kelas="text-decoration-line-through" if r.status == Rapat.Status.DIBATALKAN else "",
        )
    if request.GET.get("unduh") == tabel.nama:
        return tabel.unduhan(f"rapat-{bulan:%Y-%m}")
    per_hari: dict[datetime.date, list[Rapat]] = {}
    for r in daftar:
        per_hari.setdefault(r.mulai_lokal.date(), []).append(r)
    minggu = [
        [{"tanggal": d, "rapat": per_hari.get(d, [])} for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(bulan.year, bulan.month)
    ]
    user = request.user
    kecamatan = user.kecamatan_operator_ids()
    boleh_jadwal = user.has_perm("koordinasi.kelola_rapat") or (
        bool(kecamatan) and GugusTugas.objects.filter(wilayah_id__in=kecamatan).exists()
    )
    return render(
        request,
        "koordinasi/kalender.html",
        {
            "aktif": "rapat",
            "boleh_jadwal": boleh_jadwal,
            "bulan": bulan,
            "nama_bulan": _nama_bulan(bulan),
            "sebelum": _geser(bulan, -1),
            "sesudah": _geser(bulan, 1),
            "minggu": minggu,
            "hari_ini": timezone.localdate(),
            "tampilan": "daftar" if request.GET.get("tampilan") == "daftar" else "bulan",
            "tabel": tabel,
        },
    )


def _nama_bulan(bulan: datetime.date) -> str:
    return date_format(bulan, "F Y")


def _gugus_untuk_jadwal(request) -> GugusTugas:
    """The task force a new meeting is for: ?gugus=<id> (one the person may read), else the
    first they keep: the city's for the secretariat, their own kecamatan's for its operator.
    Refuses (403) a task force the person does not keep."""
    user = request.user
    terlihat = GugusTugas.objects.visible_to(user).select_related("wilayah")
    gugus_id = nomor(request.GET.get("gugus") or request.POST.get("gugus"))
    if gugus_id is not None:
        gugus = get_object_or_404(terlihat, pk=gugus_id)
    else:
        calon = list(terlihat.order_by("wilayah__tingkat", "wilayah__kode"))
        if not calon:
            raise Http404(_("Gugus Tugas belum dibentuk."))
        gugus = next((g for g in calon if user.has_perm("koordinasi.kelola_rapat", g)), calon[0])
    if not user.has_perm("koordinasi.kelola_rapat", gugus):
        raise PermissionDenied
    return gugus


@perlu_izin("koordinasi.lihat_koordinasi")
def rapat_baru(request):
    """Schedule a meeting of a task force the person keeps (see _gugus_untuk_jadwal)."""
    gugus = _gugus_untuk_jadwal(request)
    form = RapatForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            rapat = services.rapat_jadwalkan(
                gugus_tugas=gugus,
                data=form.data_rapat(),
                opd=list(form.cleaned_data["opd"]),
                personil=list(form.cleaned_data["personil"]),
                pintasan=form.pintasan(),
                by=request.user,
            )
        except ValidationError as error:
            tambah_galat(form, error)
        else:
            if rapat.selesai > timezone.now():
                messages.success(request, _("Rapat dijadwalkan dan undangan dikirim."))
            else:
                messages.success(
                    request,
                    _(
                        "Rapat yang sudah berlangsung dicatat; tidak ada undangan yang dikirim. "
                        "Catat kehadiran dan notulennya di bawah."
                    ),
                )
            return redirect(rapat)
    return render(
        request,
        "koordinasi/rapat_form.html",
        {"aktif": "rapat", "form": form, "gugus": gugus},
        status=400 if form.errors else 200,
    )


@perlu_izin("koordinasi.lihat_koordinasi")
def rapat_ubah(request, pk):
    rapat = _rapat_dikelola(request, pk)
    mulai, selesai = rapat.mulai_lokal, timezone.localtime(rapat.selesai)
    awal = {
        "judul": rapat.judul,
        "tanggal": mulai.date(),
        "jam_mulai": mulai.time(),
        "jam_selesai": selesai.time(),
        "tempat": rapat.tempat,
        "tautan_daring": rapat.tautan_daring,
        "agenda": rapat.agenda,
        "opd": [u.opd_id for u in rapat.undangan.all() if u.personil_id is None],
        "personil": [u.personil_id for u in rapat.undangan.all() if u.personil_id],
        "versi": rapat.versi,
    }
    form = RapatForm(request.POST or None, initial=awal, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.rapat_ubah(
                rapat=rapat,
                data=form.data_rapat(),
                opd=list(form.cleaned_data["opd"]),
                personil=list(form.cleaned_data["personil"]),
                pintasan=form.pintasan(),
                versi=form.cleaned_data["versi"] or 0,
                by=request.user,
            )
        except ValidationError as error:
            tambah_galat(form, error)
        else:
            messages.success(request, _("Perubahan rapat disimpan."))
            return redirect(rapat)
    return render(
        request,
        "koordinasi/rapat_form.html",
        {"aktif": "rapat", "form": form, "rapat": rapat, "gugus": rapat.gugus_tugas},
        status=400 if form.errors else 200,
    )


def _rapat_terlihat(request, pk) -> Rapat:
    return get_object_or_404(
        Rapat.objects.visible_to(request.user).select_related(
            "gugus_tugas__wilayah", "dibuat_oleh", "diubah_oleh"
        ),
        pk=pk,
    )


def _rapat_dikelola(request, pk) -> Rapat:
    """A meeting the person may read (else 404) and keeps (else 403)."""
    rapat = _rapat_terlihat(request, pk)
    if not request.user.has_perm("koordinasi.kelola_rapat", rapat.gugus_tugas):
        raise PermissionDenied
    return rapat


@perlu_izin("koordinasi.lihat_koordinasi")
def rapat_detail(request, pk, *, form_kehadiran=None, form_notulen=None, form_tindak=None):
    """One meeting: when and where, who is invited and who came, minutes, decisions."""
    rapat = _rapat_terlihat(request, pk)
    undangan = list(rapat.undangan.select_related("opd", "personil"))
    tindak = list(rapat.tindak_lanjut.select_related("opd").order_by("tenggat", "pk"))
    kelola = request.user.has_perm("koordinasi.kelola_rapat", rapat.gugus_tugas)
    saya = opd_kerja(request.user)
    context = {
        "aktif": "rapat",
        "rapat": rapat,
        "waktu": services.waktu(rapat),
        "undangan": undangan,
        "tindak_lanjut": tindak,
        "tindak_saya": {t.pk for t in tindak if kelola or t.opd_id in saya},
        "kelola": kelola,
        "whatsapp": "https://wa.me/?text="
        + quote(services.ringkasan_rapat(rapat, dengan_tindak_lanjut=True)),
        "hitung": {
            k: sum(1 for u in undangan if u.kehadiran == k) for k in Undangan.Kehadiran.values
        },
    }
    if kelola and rapat.status != Rapat.Status.DIBATALKAN:
        context.update(
            form_kehadiran=form_kehadiran
            or KehadiranForm(undangan=undangan, initial={"versi": rapat.versi}),
            form_notulen=form_notulen
            or NotulenForm(initial={"notulen": rapat.notulen, "versi": rapat.versi}),
            form_tindak=form_tindak or TindakLanjutForm(rapat=rapat),
            form_batal=AlasanForm() if not tindak else None,
        )
    galat = any(f is not None for f in (form_kehadiran, form_notulen, form_tindak))
    return render(request, "koordinasi/rapat_detail.html", context, status=400 if galat else 200)


def _simpan_bagian(request, rapat: Rapat, form, simpan, *, bagian: str, nama_form: str, pesan: str):
    """Save one section of the meeting's page: ``simpan()`` for a valid form, then back to the
    section (``bagian``, its anchor); a refusal shows the page again with the form (passed to
    rapat_detail as ``nama_form``) and why."""
    if form.is_valid():
        try:
            simpan()
        except ValidationError as error:
            tambah_galat(form, error)
        else:
            messages.success(request, pesan)
            return redirect(reverse("koordinasi:rapat-detail", args=[rapat.pk]) + f"#{bagian}")
    return rapat_detail(request, rapat.pk, **{nama_form: form})


@require_POST
@perlu_izin("koordinasi.lihat_koordinasi")
def kehadiran_simpan(request, pk):
    rapat = _rapat_dikelola(request, pk)
    form = KehadiranForm(request.POST, undangan=list(rapat.undangan.select_related("opd")))
    return _simpan_bagian(
        request,
        rapat,
        form,
        lambda: services.kehadiran_catat(
            rapat=rapat, isian=form.isian(), versi=form.cleaned_data["versi"], by=request.user
        ),
        bagian="kehadiran",
        nama_form="form_kehadiran",
        pesan=_("Kehadiran disimpan."),
    )


@require_POST
@perlu_izin("koordinasi.lihat_koordinasi")
def notulen_simpan(request, pk):
    rapat = _rapat_dikelola(request, pk)
    form = NotulenForm(request.POST, request.FILES)
    return _simpan_bagian(
        request,
        rapat,
        form,
        lambda: services.notulen_simpan(
            rapat=rapat,
            notulen=form.cleaned_data["notulen"],
            berkas=form.cleaned_data["berkas"],
            versi=form.cleaned_data["versi"],
            by=request.user,
        ),
        bagian="notulen",
        nama_form="form_notulen",
        pesan=_("Notulen disimpan."),
    )


@require_POST
@perlu_izin("koordinasi.lihat_koordinasi")
def tindak_lanjut_tambah(request, pk):
    rapat = _rapat_dikelola(request, pk)
    form = TindakLanjutForm(request.POST, rapat=rapat)
    return _simpan_bagian(
        request,
        rapat,
        form,
        lambda: services.tindak_lanjut_tambah(rapat=rapat, by=request.user, **form.cleaned_data),
        bagian="tindak-lanjut",
        nama_form="form_tindak",
        pesan=_("Keputusan dicatat sebagai tindak lanjut."),
    )


@require_POST
@perlu_izin("koordinasi.lihat_koordinasi")
def rapat_batalkan(request, pk):
    rapat = _rapat_dikelola(request, pk)
    form = AlasanForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Tuliskan alasan pembatalan."))
        services.rapat_batalkan(rapat=rapat, alasan=form.cleaned_data["alasan"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Rapat dibatalkan; para undangan diberi tahu."))
    return redirect(rapat)


@perlu_izin("koordinasi.lihat_koordinasi")
def notulen_unduh(request, pk):
    rapat = _rapat_terlihat(request, pk)
    if not rapat.notulen_berkas:
        raise Http404
    return respons_berkas(rapat.notulen_berkas, nama=rapat.notulen_berkas_nama)


@perlu_izin("koordinasi.lihat_koordinasi")
def rapat_ics(request, pk):
    """One meeting as a calendar file, for "add to my calendar"."""
    rapat = _rapat_terlihat(request, pk)
    response = HttpResponse(
        ics.kalender([rapat], nama=rapat.gugus_tugas.nama), content_type="text/calendar"
    )
    response["Content-Disposition"] = f'attachment; filename="rapat-{rapat.pk}.ics"'
    return response


# --- Calendar feeds -------------------------------------------------------------------------


@perlu_izin("koordinasi.lihat_koordinasi")
def langganan(request):
    """The person's secret calendar addresses (their own, and one for each agency they belong
    to), and replacing one."""
    user = request.user
    opd_boleh = (
        Opd.objects.filter(pk__in=user.opd_ids()).order_by("singkatan")
        if user.has_perm("koordinasi.kalender_opd")
        else Opd.objects.none()
    )
    if request.method == "POST":
        ganti = request.POST.get("ganti", "")
        if ganti == "saya":
            token = services.token_kalender_ambil(user=user)
        else:
            opd_id = nomor(ganti)
            if opd_id is None:
                raise Http404
            token = services.token_kalender_ambil(
                user=user, opd=get_object_or_404(opd_boleh, pk=opd_id)
            )
        services.token_kalender_ganti(token=token)
        messages.success(
            request, _("Alamat baru dibuat; alamat lama tidak berlaku lagi. Perbarui langganan.")
        )
        return redirect("koordinasi:langganan")
    alamat = [
        {
            "nama": _("Kalender saya"),
            "keterangan": _("Rapat yang mengundang Anda atau OPD Anda."),
            "url": request.build_absolute_uri(
                services.token_kalender_ambil(user=user).get_absolute_url()
            ),
            "ganti": "saya",
        }
    ]
    for opd in opd_boleh:
        alamat.append(
            {
                "nama": _("Kalender %(opd)s") % {"opd": opd.singkatan},
                "keterangan": _(
                    "Rapat yang mengundang %(opd)s. Alamat ini milik Anda: berhenti berlaku "
                    "bila Anda tidak lagi menjadi staf %(opd)s."
                )
                % {"opd": opd.singkatan},
                "url": request.build_absolute_uri(
                    services.token_kalender_ambil(user=user, opd=opd).get_absolute_url()
                ),
                "ganti": opd.pk,
            }
        )
    return render(request, "koordinasi/langganan.html", {"aktif": "rapat", "alamat": alamat})


@never_cache
@require_safe
def ics_feed(request, token):
    """A calendar feed, read by calendar apps without logging in: the secret address is the
    key. A person's own feed holds what they may see; an agency's, the meetings it is invited
    to, for as long as the person still belongs to that agency. A wrong or replaced address,
    a deactivated account, or an agency the person has left is not found."""
    pemilik = get_object_or_404(TokenKalender.objects.select_related("user", "opd"), token=token)
    user = pemilik.user
    if not user.is_active:
        raise Http404
    batas = timezone.now() - datetime.timedelta(days=400)
    if pemilik.opd_id:
        if pemilik.opd_id not in user.opd_ids() or not user.has_perm("koordinasi.kalender_opd"):
            raise Http404
        rapat = Rapat.objects.untuk_opd(pemilik.opd)
        nama = _("Rapat KLA — %(opd)s") % {"opd": pemilik.opd.singkatan}
    else:
        rapat = Rapat.objects.visible_to(user)
        nama = _("Rapat KLA — %(nama)s") % {"nama": user.get_full_name()}
    isi = ics.kalender(
        rapat.filter(mulai__gte=batas).select_related("gugus_tugas").order_by("mulai"), nama=nama
    )
    return HttpResponse(isi, content_type="text/calendar; charset=utf-8")
