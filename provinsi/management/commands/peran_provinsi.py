from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies import services
from agencies.models import PERAN_PROVINSI, Peran, User, Wilayah


class Command(BaseCommand):
    help = (
        "Beri seseorang peran provinsi (admin, tim verifikasi per kab/kota, pimpinan); akun "
        "baru dibuat dengan kata sandi sementara bila belum ada."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("provinsi", help="kode provinsi Kemendagri, misalnya 36 untuk Banten")
        # sekretariat: the province's own task force, meetings and follow-ups (Koordinasi).
        parser.add_argument(
            "--peran",
            default=Peran.ADMIN_PROVINSI,
            choices=[*sorted(PERAN_PROVINSI), Peran.SEKRETARIAT],
        )
        parser.add_argument("--kota", help="untuk tim verifikasi: kode kab/kota, misalnya 36.72")
        parser.add_argument("--nama", default="", help="nama lengkap untuk akun baru")

    @transaction.atomic
    def handle(self, *args, username, provinsi, peran, kota=None, nama="", **options):
        daerah = Wilayah.objects.filter(kode=provinsi, tingkat=Wilayah.Tingkat.PROVINSI).first()
        if daerah is None:
            raise CommandError(
                f"Provinsi {provinsi} belum dimuat: muat dahulu salah satu kab/kotanya "
                f"(manage.py load_wilayah {provinsi}.KK)."
            )
        wilayah = None
        if peran == Peran.VERIFIKATOR_PROVINSI:
            wilayah = Wilayah.objects.dilayani().filter(kode=kota or "", induk=daerah).first()
            if wilayah is None:
                raise CommandError(
                    "Tim verifikasi butuh --kota: kab/kota provinsi ini yang dilayani."
                )
        user = User.objects.filter(username__iexact=username).first()
        try:
            if user is None:
                user, sandi = services.pengguna_buat(
                    username=username,
                    nama_lengkap=nama or username,
                    peran=peran,
                    wilayah=wilayah,
                    daerah=daerah,
                    by=None,  # from the command line: nobody in the portal
                )
                self.stdout.write(f"Akun {user.username} dibuat; kata sandi sementara: {sandi}")
            else:
                services.keanggotaan_tambah(
                    user=user, peran=peran, wilayah=wilayah, daerah=daerah, by=user
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(f"{user.username}: {Peran(peran).label}, Provinsi {daerah.nama}.")
        )
