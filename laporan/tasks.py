"""The report workers' tasks (queue ``laporan``): they load ids and call a service, reporting
progress on the job the page shows."""

from __future__ import annotations

import contextlib
import logging
import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agencies.models import Opd
from agencies.services import notifikasi_kirim
from clusters.models import TahunEvaluasi
from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.models import Pekerjaan
from laporan import services
from laporan.models import Bundel

logger = logging.getLogger(__name__)


class Pelapor:
    """Reports progress on a job: at once when the percentage moves, otherwise at most once a
    second, so five hundred pages laid out do not make five hundred writes."""

    def __init__(self, job: Pekerjaan):
        self.job, self.persen, self.waktu = job, -1, 0.0

    def __call__(self, persen: int, langkah: str) -> None:
        sekarang = time.monotonic()
        if persen != self.persen or sekarang - self.waktu >= 1:
            self.persen, self.waktu = persen, sekarang
            pekerjaan_services.lapor(self.job, persen=persen, langkah=langkah)


def _gagal(job: Pekerjaan, pesan: str, tahun: int | None = None) -> str:
    if pekerjaan_services.gagal(job, pesan=pesan):
        _kabari(job, _("%(judul)s gagal.") % {"judul": job.judul}, tahun)
    return Pekerjaan.Status.GAGAL


def _gagal_sistem(job: Pekerjaan, pesan: str, tahun: int) -> None:
    """Mark the job failed by an unexpected error; ``pesan`` names the step it had reached
    (``%(langkah)s``) and the job's number (``%(nomor)s``)."""
    with contextlib.suppress(DatabaseError):  # the database may be what failed
        job.refresh_from_db(fields=["langkah"])
    _gagal(job, pesan % {"langkah": job.langkah or _("persiapan"), "nomor": job.pk}, tahun)


def _kabari(job: Pekerjaan, judul: str, tahun: int | None) -> None:
    """Tell the person who started the job how it ended: they may have closed the page."""
    tautan = reverse("laporan:beranda") + (f"?tahun={tahun}" if tahun else "")
    notifikasi_kirim(penerima=[job.dibuat_oleh], judul=judul, tautan=tautan, email=False)


@shared_task(acks_late=True)
def bangun_bundel(bundel_id: int) -> str | None:
    """Build a bundle. Idempotent: a job that has ended (done, failed, cancelled while queued)
    is left alone, so a redelivered message builds nothing twice."""
    bundel = (
        Bundel.objects.select_related("pekerjaan__dibuat_oleh", "tahun", "dibuat_oleh")
        .filter(pk=bundel_id)
        .first()
    )
    if bundel is None or bundel.pekerjaan.berakhir:
        return bundel.pekerjaan.status if bundel else None
    job = bundel.pekerjaan
    try:
        with pekerjaan_services.berdetak(job):
            services.bundel_bangun(bundel=bundel, lapor=Pelapor(job))
    except pekerjaan_services.Dibatalkan:
        return Pekerjaan.Status.DIBATALKAN
    except SoftTimeLimitExceeded:
        return _gagal(
            job,
            _(
                "Pembuatan bundel dihentikan karena melewati batas waktu %(menit)s menit; "
                "tidak ada berkas yang disimpan. Coba versi ZIP, atau minta admin menaikkan "
                "CELERY_TASK_SOFT_TIME_LIMIT."
            )
            % {"menit": settings.CELERY_TASK_SOFT_TIME_LIMIT // 60},
            bundel.tahun.tahun,
        )
    except Exception:
        logger.exception("Bundel %s gagal dibuat", bundel_id)
        _gagal_sistem(
            job,
            _(
                "Bundel gagal dibuat karena kesalahan sistem pada langkah “%(langkah)s”; "
                "tidak ada berkas yang disimpan. Coba lagi; bila terulang, hubungi admin "
                "(pekerjaan nomor %(nomor)s)."
            ),
            bundel.tahun.tahun,
        )
        raise
    tidak = len(bundel.isi.get("tidak_disisipkan", []))
    ringkasan = _("%(halaman)s halaman, %(ukuran)s.") % {
        "halaman": bundel.halaman,
        "ukuran": filesizeformat(bundel.ukuran),
    }
    if tidak:
        ringkasan += " " + ngettext(
            "%(n)s data dukung tidak dapat disisipkan; lihat Lampiran C.",
            "%(n)s data dukung tidak dapat disisipkan; lihat Lampiran C.",
            tidak,
        ) % {"n": tidak}
    if not pekerjaan_services.selesai(
        job,
        hasil={
            "ringkasan": ringkasan,
            "tautan": bundel.get_absolute_url(),
            "label_tautan": _("Unduh bundel"),
        },
        langkah=_("Selesai."),
    ):
        # Cancelled or judged dead meanwhile: the job stays as it was ended, without a file.
        bundel.berkas.delete(save=True)
        return Pekerjaan.objects.get(pk=job.pk).status
    _kabari(
        job,
        _("%(judul)s selesai: %(ringkasan)s") % {"judul": job.judul, "ringkasan": ringkasan},
        bundel.tahun.tahun,
    )
    return Pekerjaan.Status.SELESAI


@shared_task(acks_late=True)
def kirim_rapor(
    pekerjaan_id: int, tahun_id: int, opd_ids: list[int], kirim: bool = True
) -> str | None:
    """The report-card job: build each agency's card (the stored one while it is still up to
    date) and, with ``kirim``, send it to the agency's heads, reporting progress per agency
    and per step of a card. Idempotent: a job that has ended is left alone."""
    job = Pekerjaan.objects.select_related("dibuat_oleh").filter(pk=pekerjaan_id).first()
    if job is None or job.berakhir:
        return job.status if job else None
    tahun = TahunEvaluasi.objects.filter(pk=tahun_id).first()
    if tahun is None:
        return _gagal(job, _("Tahun evaluasi ini sudah dihapus."))
    if not kirim:
        return _bangun_rapor(job, tahun, opd_ids)
    daftar = list(Opd.objects.filter(pk__in=opd_ids).order_by("singkatan"))
    kepala, email, tanpa_kepala, ditolak = 0, 0, [], []
    lapor = Pelapor(job)
    try:
        with pekerjaan_services.berdetak(job):
            for n, opd in enumerate(daftar, start=1):
                awalan = _("Rapor %(opd)s (%(n)s dari %(dari)s):") % {
                    "opd": opd.singkatan,
                    "n": n,
                    "dari": len(daftar),
                }
                lapor(100 * (n - 1) // len(daftar), f"{awalan} …")
                hasil = services.rapor_kirim(
                    tahun=tahun,
                    opd=opd,
                    by=job.dibuat_oleh,
                    lapor=lambda persen, langkah, n=n, awalan=awalan: lapor(
                        (100 * (n - 1) + persen) // len(daftar), f"{awalan} {langkah}"
                    ),
                )
                kepala, email, ditolak = (
                    kepala + hasil.kepala,
                    email + hasil.email,
                    ditolak + hasil.ditolak,
                )
                if not hasil.kepala:
                    tanpa_kepala.append(opd.singkatan)
    except pekerjaan_services.Dibatalkan:
        return Pekerjaan.Status.DIBATALKAN
    except Exception:
        logger.exception("Kirim rapor %s gagal", pekerjaan_id)
        _gagal(
            job,
            _(
                "Pengiriman rapor berhenti karena kesalahan sistem setelah %(n)s kepala OPD. "
                "Coba lagi; bila terulang, hubungi admin."
            )
            % {"n": kepala},
            tahun.tahun,
        )
        raise
    ringkasan = ngettext(
        "Rapor diberitahukan kepada %(n)s kepala OPD di portal",
        "Rapor diberitahukan kepada %(n)s kepala OPD di portal",
        kepala,
    ) % {"n": kepala}
    ringkasan += "; " + _("%(n)s di antaranya juga menerima e-mail dengan PDF terlampir.") % {
        "n": email
    }
    tanpa_email = kepala - email - len(ditolak)
    if tanpa_email:
        ringkasan += " " + _("%(n)s kepala belum mencantumkan alamat e-mail di akunnya.") % {
            "n": tanpa_email
        }
    if ditolak:
        ringkasan += " " + _(
            "E-mail tidak terkirim ke: %(daftar)s (rapor tetap ada di portal)."
        ) % {"daftar": ", ".join(ditolak)}
    if tanpa_kepala:
        ringkasan += " " + _("Belum ada akun kepala OPD untuk: %(daftar)s.") % {
            "daftar": ", ".join(tanpa_kepala)
        }
    if not pekerjaan_services.selesai(job, hasil={"ringkasan": ringkasan}, langkah=_("Selesai.")):
        return Pekerjaan.objects.get(pk=job.pk).status
    _kabari(job, _("%(judul)s selesai.") % {"judul": job.judul}, tahun.tahun)
    return Pekerjaan.Status.SELESAI


def _bangun_rapor(job: Pekerjaan, tahun: TahunEvaluasi, opd_ids: list[int]) -> str:
    """Build one agency's report card (asked for on its page), which then links to it."""
    opd = Opd.objects.filter(pk__in=opd_ids).first()
    if opd is None:
        return _gagal(job, _("OPD ini sudah dihapus."))
    try:
        with pekerjaan_services.berdetak(job):
            kartu = services.rapor_bangun(tahun=tahun, opd=opd, lapor=Pelapor(job))
    except pekerjaan_services.Dibatalkan:
        return Pekerjaan.Status.DIBATALKAN
    except Exception:
        logger.exception("Rapor %s %s gagal dibuat", tahun.tahun, opd.singkatan)
        _gagal_sistem(
            job,
            _(
                "Rapor gagal dibuat karena kesalahan sistem pada langkah “%(langkah)s”. Coba "
                "lagi; bila terulang, hubungi admin (pekerjaan nomor %(nomor)s)."
            ),
            tahun.tahun,
        )
        raise
    pekerjaan_services.selesai(
        job,
        hasil={
            "ringkasan": ngettext("%(n)s halaman.", "%(n)s halaman.", kartu.halaman or 0)
            % {"n": kartu.halaman},
            "tautan": reverse("laporan:rapor-opd", args=[tahun.tahun, opd.pk]),
            "label_tautan": _("Unduh rapor"),
        },
        langkah=_("Selesai."),
    )
    return Pekerjaan.objects.get(pk=job.pk).status


@shared_task(acks_late=True)
def bangun_paket(pekerjaan_id: int) -> str | None:
    """Build a year's export package (laporan.paket), reporting progress on its job.
    Idempotent: a job that has ended is left alone."""
    from laporan import paket

    job = Pekerjaan.objects.select_related("dibuat_oleh").filter(pk=pekerjaan_id).first()
    if job is None or job.berakhir:
        return job.status if job else None
    tahun = TahunEvaluasi.objects.filter(pk=job.parameter.get("tahun")).first()
    if tahun is None:
        return _gagal(job, _("Tahun evaluasi ini sudah dihapus."))
    try:
        with (
            pekerjaan_services.berdetak(job),
            pekerjaan_services.folder_sementara(job) as folder,
        ):
            # The city of whoever asked (a job queued before packages were per city).
            daerah_id = job.parameter.get("daerah") or job.dibuat_oleh.daerah_id
            dibangun = paket.bangun(
                tahun, daerah_id, folder=folder, oleh=job.dibuat_oleh, lapor=Pelapor(job)
            )
    except pekerjaan_services.Dibatalkan:
        return Pekerjaan.Status.DIBATALKAN
    except Exception:
        logger.exception("Paket %s gagal dibuat", pekerjaan_id)
        _gagal_sistem(
            job,
            _(
                "Paket ekspor gagal dibuat karena kesalahan sistem pada langkah “%(langkah)s”; "
                "tidak ada berkas yang disimpan. Coba lagi; bila terulang, hubungi admin "
                "(pekerjaan nomor %(nomor)s)."
            ),
            tahun.tahun,
        )
        raise
    if not pekerjaan_services.selesai(
        job, hasil=paket.hasil_job(job, dibangun), langkah=_("Selesai.")
    ):
        # Cancelled or judged dead meanwhile: no file is kept.
        default_storage.delete(dibangun.berkas)
        return Pekerjaan.objects.get(pk=job.pk).status
    _kabari(job, _("%(judul)s selesai.") % {"judul": job.judul}, tahun.tahun)
    return Pekerjaan.Status.SELESAI
