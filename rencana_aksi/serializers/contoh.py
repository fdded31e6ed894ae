"""Examples of the RAD API's requests and answers in the OpenAPI document."""

from drf_spectacular.utils import OpenApiExample

AKSI = OpenApiExample(
    "Aksi baru",
    request_only=True,
    value={
        "periode": 1,
        "kode": "K3.05",
        "nama": "Puskesmas ramah anak di setiap kecamatan",
        "klaster": "klaster_3",
        "indikator_kla": ["Indikator 15"],
        "indikator_kinerja": "Jumlah puskesmas ramah anak",
        "satuan": "puskesmas",
        "opd_utama": 3,
        "opd_pendukung": [5],
        "status": "berjalan",
        "target": [{"tahun": 2026, "target": 6, "pagu": 250000000, "sumber_dana": "apbd"}],
    },
)
UBAH = OpenApiExample(
    "Ubah target 2026",
    request_only=True,
    value={"versi": 3, "target": [{"tahun": 2026, "target": 8, "pagu": 300000000}]},
)
LAPOR = OpenApiExample(
    "Laporan triwulan",
    request_only=True,
    value={
        "capaian": 4,
        "anggaran": 62500000,
        "narasi": "Empat puskesmas sudah dinilai; dua lagi triwulan depan.",
        "versi": 0,
    },
)
APBD = OpenApiExample(
    "APBD 2026",
    request_only=True,
    value={"apbd": [{"tahun": 2026, "total": 1900000000000}]},
)
LANGKAH = OpenApiExample("Dengan versi", request_only=True, value={"versi": 2})
LANGKAH_ALASAN = OpenApiExample(
    "Dengan alasan",
    request_only=True,
    value={"versi": 2, "alasan": "Capaian belum sesuai bukti."},
)
PEMANTAUAN = OpenApiExample(
    "Pemantauan 2026",
    response_only=True,
    value={
        "periode": 1,
        "tahun": 2026,
        "seluruh_kota": True,
        "triwulan": 3,
        "kota": {
            "nama": "Seluruh aksi",
            "aksi": 84,
            "pagu": 12500000000.0,
            "terserap": 7300000000.0,
            "persen_serap": 58.4,
            "rata_capaian": 71.2,
            "berisiko": 9,
            "terlambat": 4,
        },
        "per_opd": [],
        "per_klaster": [],
        "per_tahun": [],
        "berisiko": [],
        "belum_lapor": [{"opd": 7, "singkatan": "Dinsos", "jumlah": 2}],
        "porsi": {
            "apbd": 1900000000000.0,
            "pagu": 12500000000.0,
            "terserap": 7300000000.0,
            "persen_pagu": 0.7,
            "persen_serap": 0.4,
        },
    },
)
