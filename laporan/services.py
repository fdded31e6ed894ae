"""Writes of the reports: asking for a bundle, keeping the file a worker built, asking for an
agency's report card (built by a worker, kept until its data changes), sending the cards to
the agencies' heads."""

from __future__ import annotations

import hashlib
import logging
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
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
from laporan import pdf, rapor
from laporan.models import Bundel, RaporOpd

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
        sekota = Bundel.objects.filter(daerah_id=by.daerah_id)
        for lain in sekota.belum_selesai().filter(tahun=tahun, jenis=jenis):
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
        bundel = Bundel.objects.create(
            daerah_id=by.daerah_id, tahun=tahun, jenis=jenis, pekerjaan=job, dibuat_oleh=by
        )
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


def bundel_bangun(*, bundel: Bundel, lapor: pdf.Lapor) -> Bundel:
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


def rapor_minta(*, tahun: TahunEvaluasi, opd: Opd, by: User) -> RaporOpd:
    """An agency's report card. ``kartu.segar`` says whether its stored file shows the data of
    now; when it does not, a worker builds it: the build already under way (a double click, a
    colleague asking too), else a new job queued. A build whose worker is gone is marked failed
    and queued again. When the broker does not take the task, the job is marked failed and the
    person told to try again."""
    kunci = rapor.kunci(tahun=tahun, opd=opd)
    kartu = RaporOpd.objects.filter(tahun=tahun, opd=opd).first()
    if kartu is None or not kartu.siap(kunci):
        _rapor_antrekan(tahun=tahun, opd=opd, by=by)
        # Read again: a worker as quick as this request (tasks run eagerly) has built it.
        kartu = RaporOpd.objects.select_related("pekerjaan").get(tahun=tahun, opd=opd)
    kartu.segar = kartu.siap(kunci)
    return kartu


def rapor_kemajuan(*, tahun: TahunEvaluasi, opd: Opd) -> RaporOpd | None:
    """The card with its last build, for the page following it; a build whose worker is gone
    is marked failed (its page then offers to try again). Never starts a build."""
    kartu = RaporOpd.objects.select_related("pekerjaan").filter(tahun=tahun, opd=opd).first()
    if kartu is not None and kartu.pekerjaan is not None and not kartu.pekerjaan.berakhir:
        pekerjaan_services.tandai_mati(kartu.pekerjaan)
        kartu.pekerjaan.refresh_from_db()
    return kartu


def _rapor_antrekan(*, tahun: TahunEvaluasi, opd: Opd, by: User) -> None:
    with transaction.atomic():
        # One request per card at a time: two clicks cannot both find no build under way.
        kartu, _baru = RaporOpd.objects.select_for_update().get_or_create(tahun=tahun, opd=opd)
        job = kartu.pekerjaan
        if job is not None and not job.berakhir:
            if not job.mati:
                return
            pekerjaan_services.gagal(job, pesan=pekerjaan_services.pesan_mati(job))
        kartu.pekerjaan = pekerjaan_services.buat(
            jenis="rapor_opd",
            judul=_("Rapor KLA %(tahun)s %(opd)s") % {"tahun": tahun.tahun, "opd": opd.singkatan},
            by=by,
            parameter={"tahun": tahun.pk, "opd": [opd.pk], "kirim": False},
        )
        kartu.save(update_fields=["pekerjaan"])
        from laporan.tasks import kirim_rapor

        job = kartu.pekerjaan
        kiriman = antrean.kirim_saat_commit(
            kirim_rapor, job.pk, tahun.pk, [opd.pk], pekerjaan=job, kirim=False
        )
    if kiriman.gagal:
        raise ValidationError(antrean.TIDAK_TERSEDIA)


def rapor_bangun(*, tahun: TahunEvaluasi, opd: Opd, lapor: pdf.Lapor = pdf.diam) -> RaporOpd:
    """The agency's report card as a stored file: the one kept while it still shows the data of
    now, else built again (``lapor`` hears the steps) and kept in place of the old one."""
    kunci = rapor.kunci(tahun=tahun, opd=opd)
    kartu, _baru = RaporOpd.objects.get_or_create(tahun=tahun, opd=opd)
    if kartu.siap(kunci):
        return kartu
    isi, halaman = rapor.pdf_bytes(tahun=tahun, opd=opd, lapor=lapor)
    lapor(95, _("Menyimpan rapor …"))
    with transaction.atomic():
        kartu = RaporOpd.objects.select_for_update().get(pk=kartu.pk)
        kartu.tahun, lama = tahun, kartu.berkas.name  # the year names the stored file's folder
        kartu.berkas.save("rapor.pdf", ContentFile(isi), save=False)
        kartu.kunci, kartu.halaman, kartu.dibuat = kunci, halaman, timezone.now()
        kartu.nama_berkas = rapor.nama_berkas(tahun=tahun, opd=opd)
        kartu.save(update_fields=["berkas", "kunci", "halaman", "dibuat", "nama_berkas"])
        if lama:
            # After the commit: a reader that got the old row still finds its file until then.
            transaction.on_commit(lambda: kartu.berkas.storage.delete(lama))
    return kartu


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
    """Start again what a failed report-card job was doing (Coba lagi): build the card, or
    send the cards again (heads already told are told once more)."""
    tahun = TahunEvaluasi.objects.filter(pk=pekerjaan.parameter.get("tahun")).first()
    if tahun is None:
        raise ValidationError(_("Tahun evaluasi ini sudah dihapus."))
    opd_list = list(Opd.objects.filter(pk__in=pekerjaan.parameter.get("opd", [])))
    if pekerjaan.parameter.get("kirim", True):
        if not by.has_perm("laporan.buat_bundel"):  # as the sending page (kla_portal.pekerjaan)
            raise PermissionDenied(_("Peran Anda tidak berhak memulai pekerjaan ini."))
        return rapor_minta_kirim(tahun=tahun, opd_list=opd_list, by=by)
    if not opd_list:
        raise ValidationError(_("OPD ini sudah dihapus."))
    if not by.has_perm("laporan.lihat_rapor_opd", opd_list[0]):  # as the card's page
        raise PermissionDenied(_("Peran Anda tidak berhak memulai pekerjaan ini."))
    return rapor_minta(tahun=tahun, opd=opd_list[0], by=by).pekerjaan


@dataclass
class HasilKirimRapor:
    """What sending one agency's report card reached."""

    kepala: int = 0  # heads told in the portal (0: the agency has no head's account yet)
    email: int = 0  # of them, e-mailed the PDF
    ditolak: list[str] = field(default_factory=list)  # addresses the mail server refused


def rapor_kirim(
    *, tahun: TahunEvaluasi, opd: Opd, by: User, lapor: pdf.Lapor = pdf.diam
) -> HasilKirimRapor:
    """Tell each of the agency's heads in the portal and e-mail them the report card (PDF
    attached, the stored one while still up to date) when they have an address."""
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
    kartu = rapor_bangun(tahun=tahun, opd=opd, lapor=lapor)
    with kartu.berkas.open("rb") as berkas:
        lampiran = (kartu.nama_berkas, berkas.read())
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
