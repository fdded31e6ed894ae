"""A small evaluation year with evidence of every kind a city really uploads: a two-page PDF,
a landscape PDF, a photo, a spreadsheet, and the troublesome ones (a PDF locked with a password,
a corrupt PDF, a broken image), all attached through the real services."""

import io
import time
from contextlib import ExitStack
from decimal import Decimal
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from clusters import services
from clusters.models import Indikator, Kelompok, Penugasan, Pertanyaan
from tests.conftest import PNG


def pdf_halaman(*teks: str, lanskap: bool = False) -> bytes:
    """A real PDF with one page per text (drawn by WeasyPrint, so its text can be searched)."""
    ukuran = "A4 landscape" if lanskap else "A4"
    halaman = "".join(f'<p style="break-before: page">{t}</p>' for t in teks)
    return HTML(string=f"<style>@page {{ size: {ukuran} }}</style>{halaman}").write_pdf()


def pdf_terkunci(teks: str, *, sandi_pengguna: str) -> bytes:
    """A PDF encrypted with a user password ('' means only an owner password locks it)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_halaman(teks))))
    writer.encrypt(user_password=sandi_pengguna, owner_password="pemilik-rahasia")
    keluar = io.BytesIO()
    writer.write(keluar)
    return keluar.getvalue()


def pdf_rusak() -> bytes:
    """The start of a real PDF, cut off in the middle: what a failed upload leaves behind."""
    isi = pdf_halaman("BUKTI-RUSAK")
    return isi[: len(isi) // 3]


def foto(lebar: int = 640, tinggi: int = 400) -> bytes:
    gambar = Image.new("RGB", (lebar, tinggi), "#29a19c")
    ImageDraw.Draw(gambar).rectangle((40, 40, lebar - 40, tinggi - 40), outline="white", width=8)
    keluar = io.BytesIO()
    gambar.save(keluar, "JPEG")
    return keluar.getvalue()


def xlsx() -> bytes:
    buku = Workbook()
    buku.active.append(["Puskesmas", "Ramah anak"])
    keluar = io.BytesIO()
    buku.save(keluar)
    return keluar.getvalue()


def unggah(pertanyaan, oleh, nama, isi, wilayah=None, *, sebelum_pemeriksaan_pdf=False):
    """Upload evidence. ``sebelum_pemeriksaan_pdf``: as a portal without the PDF check stored
    it (the upload check now refuses a locked or broken PDF; the bundle still meets those)."""
    with ExitStack() as stack:
        if sebelum_pemeriksaan_pdf:
            stack.enter_context(mock.patch("kla_portal.berkas.bersihkan_pdf", return_value=""))
        return services.lampiran_tambah(
            pertanyaan=pertanyaan, by=oleh, berkas=SimpleUploadedFile(nama, isi), wilayah=wilayah
        )


@pytest.fixture
def instrumen_kecil(tahun, dp3a, dinkes, dinsos):
    """Two groups, three indicators, five questions (one per kelurahan), in instrument order."""
    kelembagaan = Kelompok.objects.create(tahun=tahun, nama="KELEMBAGAAN", urutan=1)
    klaster3 = Kelompok.objects.create(tahun=tahun, nama="KLASTER III", urutan=4)
    ind1 = Indikator.objects.create(
        tahun=tahun,
        kelompok=kelembagaan,
        kode="Indikator 1",
        nama="Perda KLA",
        urutan=1,
        nilai_max=Decimal(10),
    )
    ind15 = Indikator.objects.create(
        tahun=tahun,
        kelompok=klaster3,
        kode="Indikator 15",
        nama="Puskesmas ramah anak",
        urutan=1,
        nilai_max=Decimal(20),
    )
    ind16 = Indikator.objects.create(
        tahun=tahun,
        kelompok=klaster3,
        kode="Indikator 16",
        nama="Air minum dan sanitasi",
        urutan=2,
        nilai_max=Decimal(4),
    )

    def soal(indikator, kode, teks, nilai_max, opd, urutan=1, **values):
        p = Pertanyaan.objects.create(
            tahun=tahun,
            indikator=indikator,
            kode=kode,
            teks=teks,
            urutan=urutan,
            nilai_max=Decimal(nilai_max),
            lingkup=values.pop("lingkup", "kabkota"),
            cara_penilaian=values.pop("cara", "opsi"),
            wajib_lampiran=True,
            petunjuk_lampiran="Lampirkan SK",
            **values,
        )
        Penugasan.objects.create(pertanyaan=p, opd=opd, utama=True)
        return p

    return {
        "perda": soal(ind1, "Pertanyaan 1", "Apakah tersedia Perda KLA yang berlaku?", 10, dp3a),
        "puskesmas": soal(
            ind15,
            "Pertanyaan 1",
            "Berapa puskesmas yang memenuhi standar ramah anak?",
            12,
            dinkes,
            minta_angka=True,
            dua_tahun=True,
        ),
        "sdm": soal(
            ind15,
            "Pertanyaan 2",
            "Apakah tenaga kesehatan sudah dilatih KHA?",
            8,
            dinkes,
            urutan=2,
        ),
        "sanitasi": soal(
            ind16,
            "Pertanyaan 1",
            "Apakah ada data rumah tangga dengan akses sanitasi layak?",
            2,
            dinsos,
            cara="langsung",
        ),
        "patbm": soal(
            ind16,
            "Pertanyaan 2",
            "Berapa persentase kelurahan yang memiliki PATBM?",
            2,
            dp3a,
            urutan=2,
            lingkup="desa_kelurahan",
            cara="cakupan",
        ),
    }


@pytest.fixture
def bukti_lengkap(
    instrumen_kecil,
    sekretariat,
    operator_dinkes,
    kepala_dinkes,
    lurah_cipare,
    cipare,
    make_person,
    dp3a,
    dinsos,
):
    """Answers in several states with their evidence, good and bad."""
    soal = instrumen_kecil
    operator_dp3a = make_person("operator.dp3a", "operator_opd", opd=dp3a, nama="Yuni Astuti")
    operator_dinsos = make_person("operator.dinsos2", "operator_opd", opd=dinsos)

    services.jawaban_simpan(
        pertanyaan=soal["perda"],
        by=operator_dp3a,
        versi=0,
        fraksi=Decimal("0.75"),
        catatan='Perda Nomor 5 Tahun 2022. <img src="http://contoh.invalid/x.png">',
    )
    unggah(
        soal["perda"], operator_dp3a, "perda-kla.pdf", pdf_halaman("BUKTI-PERDA-1", "BUKTI-PERDA-2")
    )
    unggah(
        soal["perda"],
        operator_dp3a,
        "perda-terkunci.pdf",
        pdf_terkunci("BUKTI-KUNCI", sandi_pengguna="rahasia"),
        sebelum_pemeriksaan_pdf=True,
    )

    jawaban = services.jawaban_simpan(
        pertanyaan=soal["puskesmas"],
        by=operator_dinkes,
        versi=0,
        fraksi=Decimal(1),
        angka_tahun_ini=Decimal(16),
        angka_tahun_lalu=Decimal(12),
    )
    unggah(soal["puskesmas"], operator_dinkes, "foto-puskesmas.jpg", foto())
    unggah(
        soal["puskesmas"],
        operator_dinkes,
        "denah-lanskap.pdf",
        pdf_halaman("BUKTI-DENAH", lanskap=True),
    )
    unggah(
        soal["puskesmas"],
        operator_dinkes,
        "sk-pemilik.pdf",
        pdf_terkunci("BUKTI-PEMILIK", sandi_pengguna=""),
    )
    unggah(soal["puskesmas"], operator_dinkes, "rekap.xlsx", xlsx())
    jawaban = services.jawaban_kirim(jawaban=jawaban, by=operator_dinkes)
    jawaban = services.jawaban_setujui(jawaban=jawaban, by=kepala_dinkes)
    services.jawaban_verifikasi(jawaban=jawaban, by=sekretariat, poin=Decimal(9))

    services.jawaban_simpan(
        pertanyaan=soal["sdm"], by=operator_dinkes, versi=0, fraksi=Decimal("0.5")
    )
    unggah(
        soal["sdm"],
        operator_dinkes,
        "sertifikat-rusak.pdf",
        pdf_rusak(),
        sebelum_pemeriksaan_pdf=True,
    )
    unggah(soal["sdm"], operator_dinkes, "foto-rusak.png", PNG)

    services.jawaban_simpan(
        pertanyaan=soal["sanitasi"], by=operator_dinsos, versi=0, poin_langsung=Decimal("1.5")
    )
    services.jawaban_simpan(
        pertanyaan=soal["patbm"], by=lurah_cipare, versi=0, wilayah=cipare, fraksi=Decimal(1)
    )
    unggah(
        soal["patbm"],
        lurah_cipare,
        "sk-patbm-cipare.pdf",
        pdf_halaman("BUKTI-PATBM-CIPARE"),
        wilayah=cipare,
    )
    return soal


@pytest.fixture
def rapor_seketika(monkeypatch):
    """A worker that takes a report card's job the moment it is queued, in this process (as
    with CELERY_TASK_ALWAYS_EAGER): the test's transaction never commits, so a task sent on
    commit would never run. The card's URL then answers with the PDF in one GET."""
    from kla_portal import antrean

    def kirim_sekarang(task, *args, pekerjaan=None, **kwargs):
        task.apply(args=args, kwargs=kwargs, task_id=pekerjaan.task_id, throw=True)
        return antrean.Kiriman()

    monkeypatch.setattr(antrean, "kirim_saat_commit", kirim_sekarang)


def amati(job, *, sampai=lambda job: job.berakhir, batas: float = 180, jeda: float = 0.05):
    """Poll the job as the page does; returns every (percent, step) seen."""
    terlihat = []
    akhir = time.monotonic() + batas
    while time.monotonic() < akhir:
        job.refresh_from_db()
        if not terlihat or terlihat[-1] != (job.persen, job.langkah):
            terlihat.append((job.persen, job.langkah))
        if sampai(job):
            return terlihat
        time.sleep(jeda)
    raise AssertionError(f"pekerjaan belum selesai: {job.status} {job.persen}% {job.langkah}")


def tambah_soal(indikator, opd, n: int = 40, *, mulai: int = 0) -> None:
    """``n`` more one-point questions of the indicator, led by ``opd`` (numbered from
    ``mulai``, so that several calls on one indicator do not collide)."""
    for i in range(mulai, mulai + n):
        p = Pertanyaan.objects.create(
            tahun=indikator.tahun,
            indikator=indikator,
            kode=f"Pertanyaan {i + 10}",
            teks=f"Soal {i}",
            urutan=i + 10,
            nilai_max=Decimal(1),
            lingkup="kabkota",
            cara_penilaian="opsi",
        )
        Penugasan.objects.create(pertanyaan=p, opd=opd, utama=True)
