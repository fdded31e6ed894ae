"""Demo data for the 2024 evaluation in Kota Serang: the real instrument, the agency mapping
and answers in every state, so every page has something to show.

Answers are made through the real services (draft, evidence, send, approve, verify, return),
so histories, notifications and points are what the portal would have made itself. Seeded, so
every run of ``muat_demo`` on an empty database gives the same picture; a year that already
has answers is left as it is.
"""

import datetime
import random
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from agencies.models import Opd, Peran, User, Wilayah
from clusters import instrumen, services
from clusters.models import Jawaban, Pertanyaan, SumberData, TahunEvaluasi

BERKAS_2024 = Path(__file__).resolve().parent / "data" / "instrumen_kla_2024.csv"

# How Kota Serang's agencies are named in the 2024 instrument (retyped by another region).
PEMETAAN_KOTA_SERANG = {
    "DPPPAPPKB": "DP3AP2KB",
    "UPTD PPA": "DP3AP2KB",
    "Dinkes": "Dinkes",
    "Dinsos": "Dinsos",
    "Disdikbud": "Dindikbud",
    "BAPPEDA": "Bappeda",
    "Kemenag": "Kemenag",
    "Bagian Hukum": "Bagian Hukum",
    "JDIH": "Bagian Hukum",
    "Kominfo": "Diskominfo",
    "Disdukcapil": "Disdukcapil",
    "BPBD": "BPBD",
    "Disnaker": "Disnaker",
    "Kejaksaan": "Kejari",
    "UPPA Polres": "Polresta",
    "Polres": "Polresta",
    "Satpol PP": "Satpol PP",
    "Perpustakaan": "Dispusip",
    "BNN": "BNNK",
    "Dinas PUPR": "DPUPR",
    "Dinas PU": "DPUPR",
    "Dinas PU Perkim": "Disperkim",
    "Dishub": "Dishub",
    "Kesbangpol": "Kesbangpol",
    "Dinas Pariwisata": "Disporapar",
    "Disparpor": "Disporapar",
    "Dispora": "Disporapar",
    "DLH": "DLH",
    "Forum Anak Daerah (FAD)": "Forum Anak",
    "Dunia Usaha": "Forum CSR",
    "Bapenda": "BPKAD",
    "PAN": "PA Serang",
}
# Where an answer ends up, and how often (the rest stay unanswered).
NASIB = [
    ("belum", 20),
    ("draft", 22),
    ("menunggu_kepala", 14),
    ("menunggu_verifikasi", 16),
    ("terverifikasi", 18),
    ("dikembalikan", 10),
]
ALASAN_KEMBALI = [
    "SK yang dilampirkan sudah kedaluwarsa; lampirkan SK tahun berjalan.",
    "Data dua tahun terakhir belum ada; lengkapi angka tahun lalu.",
    "Foto kegiatan tidak menunjukkan tanggal dan lokasi.",
    "Matriks belum ditandatangani kepala OPD.",
]


def contoh_pdf(judul: str) -> bytes:
    """A one-page PDF saying what it stands for: demo evidence that opens in any reader."""
    text = judul.replace("\\", "").replace("(", "[").replace(")", "]")[:90]
    stream = (
        "BT /F1 14 Tf 60 780 Td (Contoh data dukung - Portal KLA) Tj "
        f"0 -24 Td /F1 11 Tf ({text}) Tj ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Length {len(stream.encode('latin-1'))} >>\nstream\n{stream}\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def seed(*, stdout=None) -> None:
    admin = User.objects.get(username="admin")
    _tahun_lalu(admin)
    tahun, _created = TahunEvaluasi.objects.get_or_create(tahun=2024)
    services.kategori_isi_baku(tahun=tahun)
    if Jawaban.objects.filter(pertanyaan__tahun=tahun).exists():
        return
    _instrumen(tahun, admin)
    services.tahun_ubah(
        tahun=tahun, by=admin, dibuka=True, batas_waktu=timezone.now() + datetime.timedelta(days=21)
    )
    _jawab(tahun, admin)
    # The dashboards have figures at once; later changes are recomputed by the worker.
    services.skor_hitung(tahun=tahun)
    if stdout:
        jumlah = Jawaban.objects.filter(pertanyaan__tahun=tahun).count()
        stdout.write(
            f"{tahun}: instrumen 274 pertanyaan, {jumlah} jawaban contoh dalam semua status."
        )


def _instrumen(tahun: TahunEvaluasi, admin: User) -> None:
    """The 2024 instrument, its mapping to Kota Serang's agencies, the rest to DP3AP2KB."""
    for nama, singkatan in PEMETAAN_KOTA_SERANG.items():
        SumberData.objects.update_or_create(
            daerah_id=admin.daerah_id,
            nama=nama,
            defaults={"opd": Opd.objects.get(daerah_id=admin.daerah_id, singkatan=singkatan)},
        )
    if not tahun.pertanyaan.exists():
        rows = instrumen.baca_tabel(BERKAS_2024.name, BERKAS_2024.read_bytes())
        laporan = instrumen.periksa(rows, nama_dikenal=set(PEMETAAN_KOTA_SERANG))
        services.instrumen_impor(tahun=tahun, laporan=laporan, by=admin)
    dp3a = Opd.objects.get(singkatan="DP3AP2KB")
    tanpa_opd = list(Pertanyaan.objects.filter(tahun=tahun).exclude(penugasan__utama=True))
    if tanpa_opd:
        services.penugasan_atur(pertanyaan_list=tanpa_opd, utama=dp3a, pendukung=[], by=admin)


def _tahun_lalu(admin: User) -> None:
    """Last year's round, closed and verified, so the summary shows a trend across years.

    The 2023 instrument file is not in the repository: the demo reuses the 2024 questions.
    Answers are saved through the service, then marked verified at 90% of the agencies' own
    points in one go (a demo shortcut: last year's workflow is history, not something to show).
    """
    if TahunEvaluasi.objects.filter(tahun=2023).exists():
        return
    tahun = services.tahun_buat(tahun=2023, by=admin)
    _instrumen(tahun, admin)
    services.tahun_ubah(tahun=tahun, by=admin, dibuka=True, batas_waktu=None)
    rng = random.Random(2023)
    for pertanyaan in Pertanyaan.objects.filter(tahun=tahun).select_related("tahun"):
        if rng.random() < 0.15:
            continue
        services.jawaban_simpan(pertanyaan=pertanyaan, by=admin, versi=0, **_nilai(pertanyaan, rng))
        if pertanyaan.wajib_lampiran and rng.random() < 0.85:
            judul = f"{pertanyaan.indikator.kode} {pertanyaan.kode} (2023)"
            berkas = ContentFile(contoh_pdf(judul), name=f"data-dukung-{pertanyaan.pk}.pdf")
            services.lampiran_tambah(pertanyaan=pertanyaan, berkas=berkas, by=admin)
    terjawab = list(Jawaban.objects.filter(pertanyaan__tahun=tahun, poin_opd__isnull=False))
    for jawaban in terjawab:
        jawaban.status = Jawaban.Status.TERVERIFIKASI
        jawaban.poin_verifikator = (jawaban.poin_opd * Decimal("0.9")).quantize(Decimal("0.01"))
    Jawaban.objects.bulk_update(terjawab, ["status", "poin_verifikator"])
    batas = timezone.make_aware(datetime.datetime(2023, 8, 31, 23, 59))
    services.tahun_ubah(tahun=tahun, by=admin, dibuka=False, batas_waktu=batas)
    services.skor_hitung(tahun=tahun)


def _orang(
    peran: str, opd: Opd | None = None, wilayah: Wilayah | None = None, cadangan: User = None
) -> User:
    """The demo account holding a role there, or the admin acting on its behalf."""
    from agencies.services import pengguna_dengan_peran

    return pengguna_dengan_peran(peran=peran, opd=opd, wilayah=wilayah).first() or cadangan


def _jawab(tahun: TahunEvaluasi, admin: User) -> None:
    rng = random.Random(2024)
    sekretariat = User.objects.get(username="sekretariat")
    nasib_list = [nasib for nasib, weight in NASIB for _i in range(weight)]
    city = (
        Pertanyaan.objects.filter(tahun=tahun)
        .select_related("tahun")
        .prefetch_related("penugasan__opd")
    )
    for pertanyaan in city:
        lead = next((t.opd for t in pertanyaan.penugasan.all() if t.utama), None)
        nasib = rng.choice(nasib_list)
        if nasib == "belum" or lead is None:
            continue
        operator = _orang(Peran.OPERATOR_OPD, opd=lead, cadangan=admin)
        kepala = _orang(Peran.KEPALA_OPD, opd=lead)
        if kepala is None:  # nobody could approve: the answer cannot be sent
            nasib = "draft"
        nilai = _nilai(pertanyaan, rng)
        _satu(pertanyaan, None, nasib, nilai, operator, kepala, sekretariat, rng)
    kelurahan = list(Wilayah.objects.desa_kelurahan().filter(kode__startswith="36.73."))
    kecamatan = list(Wilayah.objects.kecamatan().filter(kode__startswith="36.73."))
    for pertanyaan in Pertanyaan.objects.filter(tahun=tahun).exclude(
        lingkup=Pertanyaan.Lingkup.KABKOTA
    ):
        units = kelurahan if pertanyaan.lingkup == Pertanyaan.Lingkup.DESA_KELURAHAN else kecamatan
        # A realistic minority of units report, and fewer still meet the question.
        for unit in rng.sample(units, k=max(2, len(units) // 4)):
            operator = _orang(Peran.OPERATOR_WILAYAH, wilayah=unit, cadangan=admin)
            kantor = services.kantor_kecamatan(unit)
            camat = _orang(Peran.KEPALA_OPD, opd=kantor) if kantor else None
            nasib = rng.choice([n for n in nasib_list if n != "belum"])
            if camat is None:  # a kecamatan with no camat account: its answers cannot be sent
                nasib = "draft"
            fraksi = Decimal(1) if rng.random() < 0.35 else Decimal(0)
            _satu(pertanyaan, unit, nasib, {"fraksi": fraksi}, operator, camat, sekretariat, rng)


def _nilai(pertanyaan: Pertanyaan, rng: random.Random) -> dict:
    cara = pertanyaan.cara_penilaian
    if cara == Pertanyaan.CaraPenilaian.CAKUPAN:
        return {"cakupan_persen": Decimal(rng.choice([3, 12, 25, 40, 60, 85]))}
    if cara == Pertanyaan.CaraPenilaian.LANGSUNG:
        return {
            "poin_langsung": (
                pertanyaan.nilai_max * Decimal(rng.choice(["0.5", "0.8", "1"]))
            ).quantize(Decimal("0.01"))
        }
    values = {"fraksi": Decimal(rng.choice(["0.5", "0.75", "1", "1", "0.25"]))}
    if pertanyaan.minta_angka:
        values["angka_tahun_ini"] = Decimal(rng.randint(60, 98))
        if pertanyaan.dua_tahun:
            values["angka_tahun_lalu"] = values["angka_tahun_ini"] - rng.randint(1, 9)
    return values


def _satu(pertanyaan, unit, nasib, nilai, operator, kepala, sekretariat, rng) -> None:
    jawaban = services.jawaban_simpan(
        pertanyaan=pertanyaan, wilayah=unit, by=operator, versi=0, **nilai
    )
    evidence = rng.random() < 0.75 or nasib not in {"draft", "belum"}
    if pertanyaan.wajib_lampiran and evidence:
        judul = f"{pertanyaan.indikator.kode} {pertanyaan.kode}" + (f" - {unit}" if unit else "")
        berkas = ContentFile(contoh_pdf(judul), name=f"data-dukung-{pertanyaan.pk}.pdf")
        services.lampiran_tambah(pertanyaan=pertanyaan, wilayah=unit, berkas=berkas, by=operator)
    if nasib == "draft":
        return
    jawaban = services.jawaban_kirim(jawaban=jawaban, by=operator)
    if nasib == "menunggu_kepala":
        return
    jawaban = services.jawaban_setujui(jawaban=jawaban, by=kepala)
    if nasib == "menunggu_verifikasi":
        return
    if nasib == "dikembalikan":
        services.jawaban_kembalikan(
            jawaban=jawaban, by=sekretariat, alasan=rng.choice(ALASAN_KEMBALI)
        )
        return
    poin = None
    if jawaban.poin_opd is not None and rng.random() < 0.3:
        poin = (jawaban.poin_opd * Decimal("0.66")).quantize(Decimal("0.01"))
    services.jawaban_verifikasi(jawaban=jawaban, by=sekretariat, poin=poin)
