"""The approval workflow shared by answers and, later, RAD realisation reports.

draft → waiting for the agency head → waiting for verification → verified (locked), or
returned with a reason at either check → draft again; a verified item can be reopened with a
reason. Each step names the states it starts from; ``jalankan`` refuses any other, so a double
submit or a stale page changes nothing.

Four eyes at the head's step: whoever sent an item may not approve it (a head who is also an
operator, or holds both roles), and an item is not sent when nobody but its sender could
approve it (an agency or kecamatan with no head account), where it would wait for ever.
``Penyetuju`` says who approves; the two ``alasan_*`` functions say why not, in one wording
for answers and RAD reports, on the page before the button and in the service that refuses.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies import services as agencies_services
from agencies.models import Keanggotaan, Opd, Peran, User, Wilayah


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    MENUNGGU_KEPALA = "menunggu_kepala", _("Menunggu persetujuan kepala")
    MENUNGGU_VERIFIKASI = "menunggu_verifikasi", _("Menunggu verifikasi")
    TERVERIFIKASI = "terverifikasi", _("Terverifikasi")
    DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")


BISA_DIUBAH = frozenset({Status.DRAFT, Status.DIKEMBALIKAN})


@dataclass(frozen=True)
class Langkah:
    nama: str
    dari: frozenset
    ke: str
    perlu_alasan: bool
    sudah: str  # said when the item is not in a starting state any more


LANGKAH = {
    langkah.nama: langkah
    for langkah in (
        Langkah("kirim", BISA_DIUBAH, Status.MENUNGGU_KEPALA, False, _("sudah dikirim")),
        Langkah(
            "setujui",
            frozenset({Status.MENUNGGU_KEPALA}),
            Status.MENUNGGU_VERIFIKASI,
            False,
            _("tidak menunggu persetujuan kepala"),
        ),
        Langkah(
            "tolak",
            frozenset({Status.MENUNGGU_KEPALA}),
            Status.DIKEMBALIKAN,
            True,
            _("tidak menunggu persetujuan kepala"),
        ),
        Langkah(
            "verifikasi",
            frozenset({Status.MENUNGGU_VERIFIKASI}),
            Status.TERVERIFIKASI,
            False,
            _("tidak menunggu verifikasi"),
        ),
        Langkah(
            "kembalikan",
            frozenset({Status.MENUNGGU_VERIFIKASI}),
            Status.DIKEMBALIKAN,
            True,
            _("tidak menunggu verifikasi"),
        ),
        Langkah(
            "buka_kembali",
            frozenset({Status.TERVERIFIKASI}),
            Status.DIKEMBALIKAN,
            True,
            _("belum terverifikasi"),
        ),
    )
}


def bisa(item, nama_langkah: str) -> bool:
    """Whether the step may start from the item's current state."""
    return item.status in LANGKAH[nama_langkah].dari


def jalankan(item, nama_langkah: str, *, alasan: str = "") -> str:
    """Move ``item`` (with ``status`` and ``alasan`` fields) one step; returns the old status.
    The notices that asked someone to act on the item are done (the caller then sends those
    of the new step).

    The caller saves the item, inside a transaction that locked its row.
    """
    langkah = LANGKAH[nama_langkah]
    if item.status not in langkah.dari:
        raise ValidationError(
            _("Tidak dapat diproses: %(item)s %(sudah)s (status: %(status)s). Muat ulang halaman.")
            % {"item": item, "sudah": langkah.sudah, "status": Status(item.status).label}
        )
    if langkah.perlu_alasan and not alasan.strip():
        raise ValidationError(
            {"alasan": _("Tuliskan alasannya agar penerima tahu apa yang harus diperbaiki.")}
        )
    lama = item.status
    item.status = langkah.ke
    if langkah.perlu_alasan:
        item.alasan = alasan.strip()
    agencies_services.notifikasi_selesai(tautan=item.get_absolute_url())
    return lama


# --- Who approves at the head's step ------------------------------------------------------


def nama_akun(user) -> str:
    """A person as a message names them, so that they can be found: "Budi (kepala.dinkes)"."""
    return f"{user.get_full_name()} ({user.username})"


def _daftar(users) -> str:
    return ", ".join(nama_akun(u) for u in users)


def pengelola_akun() -> str:
    """Who can add a head account, as a message names them: the secretariat's people, else
    the portal's admins."""
    aktif = User.objects.filter(is_active=True).order_by("nama_lengkap", "username")
    peran = Keanggotaan.objects.aktif()
    sekretariat = aktif.filter(keanggotaan__in=peran.filter(peran=Peran.SEKRETARIAT))
    admin = aktif.filter(Q(is_superuser=True) | Q(keanggotaan__in=peran.filter(peran=Peran.ADMIN)))
    for orang, pesan in (
        (sekretariat, _("Sekretariat Gugus Tugas (%(nama)s)")),
        (admin, _("admin portal (%(nama)s)")),
    ):
        nama = list(dict.fromkeys(u.get_full_name() for u in orang))
        if nama:
            return pesan % {"nama": ", ".join(nama)}
    return _("Sekretariat Gugus Tugas atau admin portal")


@dataclass(frozen=True)
class Penyetuju:
    """The heads who approve an item at the head's step: those of the office it belongs to.

    ``kantor`` names the office ("Dinas Kesehatan", "Kecamatan Kasemen"); ``camat`` says its
    head is a camat; ``terdaftar`` is False for a kecamatan with no office in the portal, which
    therefore can have no head account either.
    """

    kantor: str
    kepala: tuple
    camat: bool = False
    terdaftar: bool = True

    def selain(self, user) -> list:
        return [kepala for kepala in self.kepala if kepala.pk != user.pk]


def penyetuju_kantor(opd: Opd | None, *, kecamatan: Wilayah | None = None) -> Penyetuju:
    """The heads of ``opd`` today; with no office, the kecamatan it should have been."""
    if opd is None:
        nama = str(kecamatan) if kecamatan else _("OPD penanggung jawab")
        return Penyetuju(kantor=nama, kepala=(), camat=kecamatan is not None, terdaftar=False)
    kepala = User.objects.filter(
        is_active=True,
        keanggotaan__in=Keanggotaan.objects.aktif().filter(peran=Peran.KEPALA_OPD, opd=opd),
    )
    return Penyetuju(
        kantor=opd.nama,
        kepala=tuple(kepala.distinct().order_by("nama_lengkap", "username")),
        camat=opd.jenis == Opd.Jenis.KECAMATAN,
    )


def alasan_tidak_dapat_dikirim(penyetuju: Penyetuju, by) -> str:
    """Why ``by`` should not send now: nobody but them could approve it, so it would wait for
    ever. Names who can put that right. Empty when someone else can approve."""
    if penyetuju.selain(by):
        return ""
    if not penyetuju.terdaftar and penyetuju.camat:
        pesan = _(
            "%(kantor)s belum terdaftar sebagai OPD kecamatan di portal, jadi belum ada camat "
            "yang dapat menyetujui kiriman ini. Minta %(minta)s mendaftarkan kantor "
            "kecamatannya dan menambahkan akun camat, lalu kirim."
        )
    elif not penyetuju.kepala and penyetuju.camat:
        pesan = _(
            "%(kantor)s belum punya akun camat/kepala di portal, jadi tidak ada yang dapat "
            "menyetujui kiriman ini. Minta %(minta)s menambahkan akun camat untuk %(kantor)s, "
            "lalu kirim."
        )
    elif not penyetuju.kepala:
        pesan = _(
            "%(kantor)s belum punya akun kepala di portal, jadi tidak ada yang dapat "
            "menyetujui kiriman ini. Minta %(minta)s menambahkan akun kepala untuk "
            "%(kantor)s, lalu kirim."
        )
    else:
        pesan = _(
            "Anda satu-satunya kepala %(kantor)s di portal, dan pengirim tidak dapat menyetujui "
            "kirimannya sendiri. Minta operator lain yang mengirim, atau minta %(minta)s "
            "menambahkan akun kepala lain."
        )
    return pesan % {"kantor": penyetuju.kantor, "minta": pengelola_akun()}


def alasan_tidak_dapat_disetujui(
    item, by, *, penyetuju: Callable[[], Penyetuju], jenis: str
) -> str:
    """Why ``by`` may not approve ``item`` (with ``dikirim_oleh``): they sent it themselves.
    Names who can approve it instead, or who must add a head. Empty when they may."""
    if item.dikirim_oleh_id is None or item.dikirim_oleh_id != by.pk:
        return ""
    siapa = penyetuju()
    lain = siapa.selain(by)
    if lain:
        return _(
            "Anda yang mengirim %(jenis)s ini, jadi tidak dapat menyetujuinya sendiri. "
            "Yang dapat menyetujui: %(nama)s."
        ) % {"jenis": jenis, "nama": _daftar(lain)}
    return _(
        "Anda yang mengirim %(jenis)s ini, jadi tidak dapat menyetujuinya sendiri, dan belum "
        "ada kepala lain di %(kantor)s yang dapat menyetujuinya. Minta %(minta)s menambahkan "
        "akun kepala; sementara itu Anda dapat mengembalikannya ke operator."
    ) % {"jenis": jenis, "kantor": siapa.kantor, "minta": pengelola_akun()}


def periksa_setujui(item, by, *, penyetuju: Callable[[], Penyetuju], jenis: str) -> None:
    """Refuse the sender's own approval (see alasan_tidak_dapat_disetujui)."""
    alasan = alasan_tidak_dapat_disetujui(item, by, penyetuju=penyetuju, jenis=jenis)
    if alasan:
        raise ValidationError(alasan)


def periksa_kirim(penyetuju: Penyetuju, by) -> None:
    """Refuse to send an item nobody but its sender could approve (alasan_tidak_dapat_dikirim)."""
    alasan = alasan_tidak_dapat_dikirim(penyetuju, by)
    if alasan:
        raise ValidationError(alasan)
