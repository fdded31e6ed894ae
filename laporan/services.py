"""Writes of the reports: asking for a bundle, keeping the file a worker built, sending the
agencies' report cards to their heads."""

from __future__ import annotations

import hashlib
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agencies.models import Opd, Peran, User
from agencies.services import notifikasi_kirim, pengguna_dengan_peran
from clusters.models import TahunEvaluasi
from kla_portal import antrean
from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.models import Pekerjaan
from laporan import bundel as bundel_mod
from laporan import rapor
from laporan.models import Bundel

log = logging.getLogger(__name__)


def bundel_minta(*, tahun: TahunEvaluasi, jenis: str, by: User) -> Bundel:
    """Queue the build of a year's bundle. Refuses a year without an instrument and a second
    build of the same year and kind while one is queued or running (a double click); a build
    whose worker is gone (Pekerjaan.objects.mati) does not block: it is marked failed. When the
    broker does not take the task, the job is marked failed and the person told to try again."""
    if jenis not in Bundel.Jenis.values:
        raise ValidationError(_("Pilih jenis bundel: PDF lengkap atau ZIP."))
    with transaction.atomic():
        # One request per year at a time: two clicks cannot both find no build running.
        list(TahunEvaluasi.objects.select_for_update().filter(pk=tahun.pk).values_list("pk"))
        if not tahun.pertanyaan.exists():
            raise ValidationError(
                _("%(t)s belum memiliki instrumen: impor instrumennya dulu.") % {"t": tahun}
            )
        for lain in Bundel.objects.belum_selesai().filter(tahun=tahun, jenis=jenis):
            job = lain.pekerjaan
            if not job.mati:
                raise ValidationError(
                    _(
                        "Bundel %(jenis)s %(tahun)s sedang dibuat oleh %(oleh)s (dimulai "
                        "%(waktu)s). Tunggu sampai selesai atau batalkan dulu."
                    )
                    % {
                        "jenis": lain.jenis.upper(),
                        "tahun": tahun.tahun,
                        "oleh": job.dibuat_oleh,
                        "waktu": date_format(timezone.localtime(job.dibuat), "j F Y H.i"),
                    }
                )
            pekerjaan_services.gagal(job, pesan=pekerjaan_services.pesan_mati(job))
        job = pekerjaan_services.buat(
            jenis="bundel",
            judul=_("Bundel evaluasi KLA %(tahun)s (%(jenis)s)")
            % {"tahun": tahun.tahun, "jenis": Bundel.Jenis(jenis).label},
            by=by,
            parameter={"tahun": tahun.pk, "jenis": jenis},
        )
        bundel = Bundel.objects.create(tahun=tahun, jenis=jenis, pekerjaan=job, dibuat_oleh=by)
        from laporan.tasks import bangun_bundel

        kiriman = antrean.kirim_saat_commit(bangun_bundel, bundel.pk, pekerjaan=job)
    if kiriman.gagal:
        raise ValidationError(antrean.TIDAK_TERSEDIA)
    return bundel


def bundel_ulangi(*, pekerjaan: Pekerjaan, by: User) -> Pekerjaan:
    """Ask again for the bundle a failed job was building (Coba lagi)."""
    tahun = TahunEvaluasi.objects.filter(pk=pekerjaan.parameter.get("tahun")).first()
    if tahun is None:
        raise ValidationError(_("Tahun evaluasi ini sudah dihapus."))
    return bundel_minta(tahun=tahun, jenis=pekerjaan.parameter.get("jenis", ""), by=by).pekerjaan


def bundel_bangun(*, bundel: Bundel, lapor: bundel_mod.Lapor) -> Bundel:
    """Build the bundle's file and keep it with its size, checksum, pages and contents."""
    bangun = bundel_mod.bangun_zip if bundel.jenis == Bundel.Jenis.ZIP else bundel_mod.bangun_pdf
    # A folder named after the job: the sweep removes it when a killed worker left it behind.
    with pekerjaan_services.folder_sementara(bundel.pekerjaan) as folder:
        tujuan = folder / f"bundel.{bundel.jenis}"
        hasil = bangun(bundel.tahun, tujuan=tujuan, oleh=bundel.dibuat_oleh, lapor=lapor)
        lapor(97, _("Menyimpan berkas bundel …"))
        digest = hashlib.sha256()
        with tujuan.open("rb") as isi:
            for potongan in iter(lambda: isi.read(1024 * 1024), b""):
                digest.update(potongan)
            isi.seek(0)
            bundel.berkas.save(f"bundel.{bundel.jenis}", File(isi), save=False)
        bundel.nama_berkas = bundel_mod.nama_berkas(bundel.tahun, hasil.isi, bundel.jenis)
        bundel.ukuran = tujuan.stat().st_size
        bundel.sha256 = digest.hexdigest()
        bundel.halaman = hasil.halaman
        bundel.isi = hasil.ringkas()
        bundel.save()
    return bundel


# --- Report cards -------------------------------------------------------------------------


def rapor_minta_kirim(*, tahun: TahunEvaluasi, opd_list: list[Opd], by: User) -> Pekerjaan:
    """Queue sending each agency's report card to its head (a worker renders and mails them).
    When the broker does not take the task, the job is marked failed and the person told."""
    if not opd_list:
        raise ValidationError(_("Tidak ada OPD yang dipilih."))
    ids = [o.pk for o in opd_list]
    with transaction.atomic():
        job = pekerjaan_services.buat(
            jenis="rapor_opd",
            judul=_("Kirim rapor OPD %(tahun)s ke kepala OPD") % {"tahun": tahun.tahun},
            by=by,
            parameter={"tahun": tahun.pk, "opd": ids},
        )
        from laporan.tasks import kirim_rapor

        kiriman = antrean.kirim_saat_commit(kirim_rapor, job.pk, tahun.pk, ids, pekerjaan=job)
    if kiriman.gagal:
        raise ValidationError(antrean.TIDAK_TERSEDIA)
    return job


def rapor_ulangi(*, pekerjaan: Pekerjaan, by: User) -> Pekerjaan:
    """Send again the report cards a failed job was sending (Coba lagi); heads already told
    are told once more."""
    tahun = TahunEvaluasi.objects.filter(pk=pekerjaan.parameter.get("tahun")).first()
    if tahun is None:
        raise ValidationError(_("Tahun evaluasi ini sudah dihapus."))
    opd_list = list(Opd.objects.filter(pk__in=pekerjaan.parameter.get("opd", [])))
    return rapor_minta_kirim(tahun=tahun, opd_list=opd_list, by=by)


@dataclass
class HasilKirimRapor:
    """What sending one agency's report card reached."""

    kepala: int = 0  # heads told in the portal (0: the agency has no head's account yet)
    email: int = 0  # of them, e-mailed the PDF
    ditolak: list[str] = field(default_factory=list)  # addresses the mail server refused


def rapor_kirim(*, tahun: TahunEvaluasi, opd: Opd, by: User) -> HasilKirimRapor:
    """Tell each of the agency's heads in the portal and e-mail them the report card (PDF
    attached) when they have an address."""
    kepala = list(pengguna_dengan_peran(peran=Peran.KEPALA_OPD, opd=opd))
    hasil = HasilKirimRapor(kepala=len(kepala))
    if not kepala:
        return hasil
    tautan = reverse("laporan:rapor-opd", args=[tahun.tahun, opd.pk])
    judul = _("Rapor KLA %(tahun)s %(opd)s") % {"tahun": tahun.tahun, "opd": opd.singkatan}
    notifikasi_kirim(penerima=kepala, judul=judul, tautan=tautan, email=False)
    dengan_email = [orang for orang in kepala if orang.email]
    if not dengan_email:
        return hasil
    lampiran = (rapor.nama_berkas(tahun=tahun, opd=opd), rapor.pdf_bytes(tahun=tahun, opd=opd))
    for orang in dengan_email:
        pesan = EmailMessage(
            subject=f"[Portal KLA] {judul}",
            body=_(
                "Yth. %(nama)s,\n\nTerlampir rapor %(opd)s pada evaluasi Kabupaten/Kota Layak "
                "Anak %(tahun)s: pertanyaan OPD Anda dan statusnya, poin yang masih dapat "
                "diraih, dan kemajuan aksi RAD KLA yang dipimpin OPD Anda.\n\nRapor terbaru "
                "selalu dapat diunduh di %(url)s\n\nSekretariat Gugus Tugas KLA\n(dikirim oleh "
                "%(pengirim)s)"
            )
            % {
                "nama": orang.get_full_name(),
                "opd": opd.nama,
                "tahun": tahun.tahun,
                "url": settings.KLA_URL + tautan,
                "pengirim": by.get_full_name(),
            },
            to=[orang.email],
        )
        pesan.attach(*lampiran, "application/pdf")
        try:
            pesan.send()
        except (smtplib.SMTPException, OSError):
            log.warning("Rapor %s tidak terkirim ke %s", opd.singkatan, orang.email, exc_info=True)
            hasil.ditolak.append(orang.email)
        else:
            hasil.email += 1
    return hasil
