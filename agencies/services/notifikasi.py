"""Notifications: in the portal and, after the transaction commits, by e-mail."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from agencies.models import Keanggotaan, Notifikasi, Opd, User, Wilayah
from agencies.models import satu_baris as judul_satu_baris


@dataclass(frozen=True)
class Teks:
    """A notice's words as the code wrote them (marked with gettext_noop) and their values,
    kept so that each reader sees the notice in their own language; its Indonesian rendering
    is the notice's title and the e-mail's subject. ``Teks.dari(msgid, j=jawaban)``."""

    msgid: str
    isi: dict = field(default_factory=dict)

    @classmethod
    def dari(cls, msgid: str, **isi) -> Teks:
        return cls(msgid, {nama: str(nilai) for nama, nilai in isi.items()})

    def __str__(self) -> str:
        return gettext(self.msgid) % self.isi

    def indonesia(self) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return judul_satu_baris(str(self))


def notifikasi_kirim(*, penerima, judul: str | Teks, tautan: str = "", email: bool = True) -> int:
    """Tell people something in the portal and, after the transaction commits, by e-mail."""
    pesan = {"m": judul.msgid, "isi": judul.isi} if isinstance(judul, Teks) else None
    judul = judul.indonesia() if isinstance(judul, Teks) else judul_satu_baris(judul)
    people = [user for user in dict.fromkeys(penerima) if user.is_active]
    Notifikasi.objects.bulk_create(
        Notifikasi(penerima=u, judul=judul, pesan=pesan, tautan=tautan) for u in people
    )
    if email:
        email_kirim(penerima=people, judul=judul, tautan=tautan)
    return len(people)


def email_kirim(*, penerima, judul: str | Teks, tautan: str = "") -> None:
    """E-mail people (those with an address) after the transaction commits, without a notice
    in the portal: what ``notifikasi_kirim`` sends, and a batch's one summary."""
    judul = judul.indonesia() if isinstance(judul, Teks) else judul_satu_baris(judul)
    addresses = [u.email for u in dict.fromkeys(penerima) if u.is_active and u.email]
    if not addresses:
        return
    body = f"{judul}\n\n{settings.KLA_URL}{tautan}" if tautan else judul

    def send():
        send_mass_mail(
            [(f"[Portal KLA] {judul}", body, None, [address]) for address in addresses],
            fail_silently=True,
        )

    transaction.on_commit(send)


def notifikasi_baca(*, notifikasi: Notifikasi) -> None:
    if notifikasi.dibaca is None:
        notifikasi.dibaca = timezone.now()
        notifikasi.save(update_fields=["dibaca"])


def notifikasi_baca_semua(*, user: User) -> int:
    return user.notifikasi.terbuka().update(dibaca=timezone.now())


def notifikasi_selesai(*, tautan: str) -> int:
    """Mark done every open notice linking to a record that has just moved on in its workflow:
    what it asked (approve, verify, fix what was returned) is done or has been overtaken."""
    return Notifikasi.objects.filter(tautan=tautan, selesai__isnull=True).update(
        selesai=timezone.now()
    )


def pengguna_dengan_peran(*, peran: str, opd: Opd | None = None, wilayah: Wilayah | None = None):
    """People holding a role today in an agency or an area."""
    memberships = Keanggotaan.objects.aktif().filter(peran=peran)
    if opd is not None:
        memberships = memberships.filter(opd=opd)
    if wilayah is not None:
        memberships = memberships.filter(wilayah=wilayah)
    return User.objects.filter(is_active=True, keanggotaan__in=memberships).distinct()
