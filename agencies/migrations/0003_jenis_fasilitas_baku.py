"""The kinds of sub-district facility the 2024 instrument counts (its Kelana-Dekela questions)
and DOMAIN lists, with the words that find their questions. Data, editable afterwards."""

from django.db import migrations

# kode, nama, singkatan, per kecamatan, per kelurahan, counted from state, keywords
DIBENTUK, DITETAPKAN = 1, 2
JENIS = [
    ("forum_anak", "Forum Anak", "Forum Anak", True, True, DIBENTUK, "Forum Anak"),
    (
        "patbm",
        "Perlindungan Anak Terpadu Berbasis Masyarakat (PATBM)",
        "PATBM",
        False,
        True,
        DIBENTUK,
        "PATBM; Perlindungan Anak Terpadu Berbasis Masyarakat",
    ),
    ("gugus_tugas", "Gugus Tugas KLA", "Gugus Tugas", True, True, DITETAPKAN, "Gugus Tugas"),
    (
        "ruang_bermain",
        "Ruang bermain ramah anak (RBRA/RPTRA)",
        "RBRA",
        True,
        True,
        DIBENTUK,
        "ruang/taman bermain; ruang bermain; taman bermain; RBRA; RPTRA",
    ),
    (
        "puskesmas",
        "Puskesmas Ramah Anak",
        "PRA",
        True,
        False,
        DIBENTUK,
        "Puskesmas Ramah Anak",
    ),
    ("sekolah", "Sekolah Ramah Anak (SRA)", "SRA", True, True, DIBENTUK, "Sekolah Ramah Anak"),
    (
        "puspaga",
        "Layanan konsultasi keluarga (PUSPAGA)",
        "PUSPAGA",
        True,
        True,
        DIBENTUK,
        "PUSPAGA; konsultasi keluarga",
    ),
    (
        "ila",
        "Ruang baca anak / Informasi Layak Anak (ILA)",
        "ILA",
        True,
        True,
        DIBENTUK,
        "ruang baca; pojok baca; informasi layak anak",
    ),
    (
        "rumah_ibadah",
        "Rumah ibadah ramah anak",
        "Rumah ibadah",
        True,
        True,
        DIBENTUK,
        "rumah ibadah ramah anak",
    ),
    ("ktr", "Kawasan Tanpa Rokok (KTR)", "KTR", True, True, DITETAPKAN, "Kawasan Tanpa Rokok"),
    ("paud_hi", "Layanan PAUD-HI", "PAUD-HI", False, True, DIBENTUK, "PAUD-HI; PAUD HI"),
    (
        "kelompok_anak",
        "Kelompok olahraga/kesenian anak",
        "Kelompok anak",
        True,
        True,
        DIBENTUK,
        "kelompok olahraga; kesenian anak",
    ),
    (
        "regulasi",
        "Peraturan desa/kebijakan kelurahan tentang perlindungan anak",
        "Perdes/kebijakan",
        False,
        True,
        DITETAPKAN,
        "peraturan desa; kebijakan kelurahan",
    ),
    (
        "anggaran",
        "Anggaran desa/kelurahan untuk perlindungan anak",
        "Anggaran",
        False,
        True,
        DITETAPKAN,
        "anggaran untuk perlindungan anak",
    ),
]


def isi(apps, schema_editor):
    JenisFasilitas = apps.get_model("agencies", "JenisFasilitas")
    for urutan, (kode, nama, singkatan, kec, kel, minimal, kunci) in enumerate(JENIS, start=1):
        JenisFasilitas.objects.update_or_create(
            kode=kode,
            defaults={
                "nama": nama,
                "singkatan": singkatan,
                "untuk_kecamatan": kec,
                "untuk_kelurahan": kel,
                "status_minimal": minimal,
                "kata_kunci": kunci,
                "urutan": urutan,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("agencies", "0002_gugus_tugas_fasilitas")]

    operations = [migrations.RunPython(isi, migrations.RunPython.noop)]
