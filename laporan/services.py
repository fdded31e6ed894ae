"""Writes of the reports: asking for a bundle, keeping the file a worker built, sending the
agencies' report cards to their heads."""

from __future__ import annotations

import datetime
import hashlib
import logging
import smtplib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

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


def _macet(job: Pekerjaan) -> bool:
    """A job that has not ended long after any worker would have ended it (the worker was
    killed, the broker lost the message): it no longer blocks a new build."""
    batas = datetime.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT) + datetime.timedelta(
        hours=1
    )
    return job.dibuat < timezone.now() - batas


def bundel_minta(*, tahun: TahunEvaluasi, jenis: str, by: User) -> Bundel:
    """Queue the build of a year's bundle. Refuses a year without an instrument and a second
    build of the same year and kind while one is queued or running (a double click). When the
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
            if not _macet(job):
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
            pekerjaan_services.gagal(
                job, pesan=_("Pembuatan bundel terhenti tanpa kabar dari pekerja; dibuat ulang.")
            )
        job = pekerjaan_services.buat(
            jenis="bundel",
            judul=_("Bundel evaluasi KLA %(tahun)s (%(jenis)s)")
            % {"tahun": tahun.tahun, "jenis": Bundel.Jenis(jenis).label},
            by=by,
        )
        bundel = Bundel.objects.create(tahun=tahun, jenis=jenis, pekerjaan=job, dibuat_oleh=by)
        from laporan.tasks import bangun_bundel

        kiriman = antrean.kirim_saat_commit(bangun_bundel, bundel.pk, pekerjaan=job)
    if kiriman.gagal:
        raise ValidationError(antrean.TIDAK_TERSEDIA)
    return bundel


def bundel_bangun(*, bundel: Bundel, lapor: bundel_mod.Lapor) -> Bundel:
    """Build the bundle's file and keep it with its size, checksum, pages and contents."""
    bangun = bundel_mod.bangun_zip if bundel.jenis == Bundel.Jenis.ZIP else bundel_mod.bangun_pdf
    with tempfile.TemporaryDirectory(prefix="kla-bundel-") as folder:
        tujuan = Path(folder) / f"bundel.{bundel.jenis}"
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
    with transaction.atomic():
        job = pekerjaan_services.buat(
            jenis="rapor_opd",
            judul=_("Kirim rapor OPD %(tahun)s ke kepala OPD") % {"tahun": tahun.tahun},
            by=by,
        )
        from laporan.tasks import kirim_rapor

        ids = [o.pk for o in opd_list]
        kiriman = antrean.kirim_saat_commit(kirim_rapor, job.pk, tahun.pk, ids, pekerjaan=job)
    if kiriman.gagal:
        raise ValidationError(antrean.TIDAK_TERSEDIA)
    return job


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
