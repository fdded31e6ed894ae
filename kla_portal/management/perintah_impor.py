"""The base of the import commands (import_instrumen, import_jawaban, import_rad): the same
steps as the web import (kla_portal.impor) without the preview: read the file, check it and
print the report, stop on a fault or with --dry-run, else write and print the result.

A command names what it imports into (``sasaran``), how it checks (``periksa``) and how it
writes (``tulis``); ``--oleh`` is offered when it sets ``IZIN_OLEH``.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from agencies.models import User, Wilayah


class PerintahImpor(BaseCommand):
    IZIN_OLEH = ""  # the permission --oleh's user needs; "" for a command without --oleh
    PER_KOTA = False  # imports into one kab/kota's data: offers --kota
    OLEH_BANTUAN = ""
    OLEH_DITOLAK = ""  # "{oleh} tidak berhak ..."

    def add_arguments(self, parser):
        parser.add_argument("berkas", type=Path)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="hanya periksa dan laporkan; tidak menulis apa pun",
        )
        if self.IZIN_OLEH:
            parser.add_argument("--oleh", metavar="USERNAME", help=self.OLEH_BANTUAN)
        if self.PER_KOTA:
            parser.add_argument(
                "--kota",
                metavar="KODE",
                help="kab/kota yang dilayani, mis. 36.72 (tanpa ini: kota --oleh, atau kab/kota "
                "pertama yang dilayani)",
            )

    def sasaran(self, **options):
        """The year or plan to import into; raises CommandError when there is none."""
        raise NotImplementedError

    def periksa(self, sasaran, nama: str, isi: bytes, pengguna):
        """The check's report (with ``as_text``); raises ValidationError when unreadable."""
        raise NotImplementedError

    def bisa_diimpor(self, laporan) -> bool:
        return not laporan.ada_galat

    def teks(self, sasaran, laporan) -> str:
        return laporan.as_text()

    def tulis(self, sasaran, laporan, pengguna):
        """Write the report; returns (what it went into, the HasilImpor)."""
        raise NotImplementedError

    def handle(self, *args, berkas: Path, dry_run: bool, **options):
        pengguna = self._pengguna(options.get("oleh"))
        self.daerah_id = self._daerah(options.get("kota"), pengguna) if self.PER_KOTA else None
        sasaran = self.sasaran(**options)
        if not berkas.is_file():
            raise CommandError(f"Berkas {berkas} tidak ditemukan.")
        try:
            laporan = self.periksa(sasaran, berkas.name, berkas.read_bytes(), pengguna)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        self.stdout.write(self.teks(sasaran, laporan))
        if not self.bisa_diimpor(laporan):
            raise CommandError("Tidak diimpor: perbaiki galat di atas lalu jalankan lagi.")
        if dry_run:
            self.stdout.write("Pemeriksaan saja (--dry-run): tidak ada yang ditulis.")
            return
        try:
            record, hasil = self.tulis(sasaran, laporan, pengguna)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Diimpor ke {record}. {hasil.as_text()}"))

    @staticmethod
    def _daerah(kode: str | None, pengguna: User | None) -> int:
        """The kab/kota imported into: --kota's (the --oleh person's own), else the person's,
        else the first served."""
        if kode:
            kota = Wilayah.objects.dilayani().filter(kode=kode).first()
            if kota is None:
                raise CommandError(f"Kab/kota {kode} tidak dilayani portal ini.")
            if pengguna is not None and pengguna.daerah_id != kota.pk:
                raise CommandError(f"{pengguna.username} bukan orang {kota.nama}.")
            return kota.pk
        if pengguna is not None:
            return pengguna.daerah_id
        kota = Wilayah.objects.kabkota_dilayani()
        if kota is None:
            raise CommandError("Belum ada kab/kota yang dilayani (manage.py load_wilayah KODE).")
        return kota.pk

    def _pengguna(self, oleh: str | None) -> User | None:
        """The active user --oleh names, who must be allowed to import; None without it."""
        if not oleh:
            return None
        pengguna = User.objects.filter(username=oleh, is_active=True).first()
        if pengguna is None:
            raise CommandError(f"Pengguna {oleh} tidak ditemukan atau tidak aktif.")
        if not pengguna.has_perm(self.IZIN_OLEH):
            raise CommandError(self.OLEH_DITOLAK.format(oleh=oleh))
        return pengguna
