"""The attachment to the governor's letter to the ministry: the province's verification results
per kab/kota as a PDF, built by a worker (``provinsi.tasks.bangun_lampiran``) while the job's
page shows its progress. Each city's own bundle is still built by the city (laporan).

The PDF holds, for the year: the province's PROVILA readiness, every kab/kota with its four
totals, category, the province's state and the share accepted (the dashboard's table, the same
rows as its XLSX), then per city the answers the province scored differently from the city
and those it returned, with their reasons."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agencies.models import Wilayah
from clusters.models import TahunEvaluasi, VerifikasiProvinsi
from kla_portal import antrean
from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.models import Pekerjaan
from laporan import pdf
from laporan.kemajuan import Penataan
from provinsi import dasbor

JENIS = "lampiran_provinsi"


def lampiran_minta(*, provinsi: Wilayah, tahun: TahunEvaluasi, by) -> Pekerjaan:
    """Queue the attachment of ``tahun`` for ``provinsi``. Refuses a second build under way (a
    build whose worker is gone is marked failed and does not block); when the broker does not
    take the task, the job is marked failed and the person told to try again."""
    with transaction.atomic():
        list(TahunEvaluasi.objects.select_for_update().filter(pk=tahun.pk).values_list("pk"))
        for lain in Pekerjaan.objects.belum_berakhir().filter(
            jenis=JENIS, parameter__tahun=tahun.pk, parameter__provinsi=provinsi.pk
        ):
            if not lain.mati:
                raise ValidationError(
                    _("Lampiran %(tahun)s sedang dibuat oleh %(oleh)s. Tunggu sampai selesai.")
                    % {"tahun": tahun.tahun, "oleh": lain.dibuat_oleh}
                )
            pekerjaan_services.gagal(lain, pesan=pekerjaan_services.pesan_mati(lain))
        job = pekerjaan_services.buat(
            jenis=JENIS,
            judul=_("Lampiran surat gubernur: verifikasi KLA %(tahun)s %(provinsi)s")
            % {"tahun": tahun.tahun, "provinsi": provinsi.nama},
            by=by,
            parameter={"tahun": tahun.pk, "provinsi": provinsi.pk},
        )
        from provinsi.tasks import bangun_lampiran

        kiriman = antrean.kirim_saat_commit(bangun_lampiran, job.pk, pekerjaan=job)
    if kiriman.gagal:
        raise ValidationError(antrean.TIDAK_TERSEDIA)
    return job


def catatan_kota(tahun: TahunEvaluasi, kota_ids: list[int]) -> dict[int, list]:
    """Per city, the answers the province returned, or accepted at points other than the
    city's: one query."""
    baris = (
        VerifikasiProvinsi.objects.filter(daerah_id__in=kota_ids, jawaban__pertanyaan__tahun=tahun)
        .filter(
            Q(status=VerifikasiProvinsi.Status.DIKEMBALIKAN)
            | Q(status=VerifikasiProvinsi.Status.DITERIMA) & ~Q(poin=F("jawaban__poin_verifikator"))
        )
        .select_related("jawaban__pertanyaan__indikator")
        .order_by(
            "daerah_id",
            "jawaban__pertanyaan__indikator__kelompok__urutan",
            "jawaban__pertanyaan__indikator__urutan",
            "jawaban__pertanyaan__urutan",
        )
    )
    hasil: dict[int, list] = {}
    for v in baris:
        hasil.setdefault(v.daerah_id, []).append(v)
    return hasil


def pdf_bytes(
    *, provinsi: Wilayah, tahun: TahunEvaluasi, lapor: pdf.Lapor = pdf.diam
) -> tuple[bytes, int]:
    """The attachment as a PDF, in Indonesian, and its page count."""
    with translation.override("id"):
        lapor(5, _("Membaca skor dan verifikasi tiap kab/kota …"))
        isi = dasbor.baca(provinsi, tahun, timezone.localdate())
        catatan = catatan_kota(tahun, [b.kota.pk for b in isi.baris])
        sekarang = timezone.now()
        context = {
            "isi": isi,
            "tabel": dasbor.tabel_kota(isi, set()),
            "kota": [(b, catatan.get(b.kota.pk, [])) for b in isi.baris],
            "dibuat": sekarang,
            **pdf.konteks_dasar(
                judul=_("Hasil verifikasi KLA %(tahun)s Provinsi %(provinsi)s")
                % {"tahun": tahun.tahun, "provinsi": provinsi.nama},
                penulis=_("Tim Verifikasi KLA Provinsi %(provinsi)s") % {"provinsi": provinsi.nama},
                keterangan=_("Lampiran surat gubernur kepada KemenPPPA."),
                kepala=_("Provinsi %(provinsi)s · verifikasi KLA %(tahun)s")
                % {"provinsi": provinsi.nama, "tahun": tahun.tahun},
                kaki=_("Lampiran surat gubernur, dibuat %(tanggal)s dari Portal KLA")
                % {"tanggal": timezone.localtime(sekarang).strftime("%d-%m-%Y %H.%M")},
            ),
        }
        lapor(25, _("Menyusun isi lampiran …"))
        html = render_to_string("provinsi/pdf/lampiran.html", context)
        dokumen = pdf.susun(
            html,
            kemajuan=Penataan(
                lapor, dari=30, sampai=88, langkah=_("Menata halaman lampiran …"), halaman=5
            ),
        )
        lapor(90, _("Menulis %(n)s halaman PDF …") % {"n": len(dokumen.pages)})
        return dokumen.write_pdf(), len(dokumen.pages)


def bangun(job: Pekerjaan, *, lapor: pdf.Lapor = pdf.diam) -> dict:
    """Build the job's attachment, store it, and return what the finished job keeps."""
    provinsi = Wilayah.objects.get(pk=job.parameter["provinsi"])
    tahun = TahunEvaluasi.objects.get(pk=job.parameter["tahun"])
    isi, halaman = pdf_bytes(provinsi=provinsi, tahun=tahun, lapor=lapor)
    lapor(96, _("Menyimpan lampiran …"))
    nama = default_storage.save(
        f"provinsi/lampiran/{tahun.tahun}/{uuid.uuid4().hex}.pdf", ContentFile(isi)
    )
    return {
        "berkas": nama,
        "nama_berkas": f"lampiran-verifikasi-kla-{tahun.tahun}-{slugify(provinsi.nama)}.pdf",
        "halaman": halaman,
        "ringkasan": _("%(n)s halaman.") % {"n": halaman},
        "tautan": reverse("provinsi:lampiran-unduh", args=[job.pk]),
        "label_tautan": _("Unduh PDF"),
    }


def berkas_lampiran(job: Pekerjaan) -> str:
    """The stored name of a finished attachment job's file; "" when it has none."""
    if job.jenis != JENIS or job.status != Pekerjaan.Status.SELESAI:
        return ""
    return job.hasil.get("berkas", "")
