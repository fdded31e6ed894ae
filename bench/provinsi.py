"""The province: its dashboard for 38 kab/kota against one SQL aggregate of the same figures,
and a city's page with 38 more cities served against the same page with its city alone.

The 38 cities are East Java's (Kemendagri codes of the shipped list), each with a score
snapshot, a round sent to the province, its city-level answers of the year and the province's
check of each: what the dashboard reads for every city."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from bench.ukur import median_bergantian, report


def _jatim():
    """East Java with its 38 kab/kota served, each with the figures the dashboard reads."""
    from agencies import services as agencies_services
    from agencies.models import Peran, User, Wilayah
    from agencies.services.wilayah import kabkota_di_provinsi
    from clusters.models import (
        EvaluasiDaerah,
        Jawaban,
        Pertanyaan,
        SkorSnapshot,
        TahunEvaluasi,
        VerifikasiProvinsi,
    )

    tahun = TahunEvaluasi.objects.get(tahun=2024)
    jatim, _ = Wilayah.objects.get_or_create(
        kode="35", defaults={"nama": "Jawa Timur", "tingkat": Wilayah.Tingkat.PROVINSI}
    )
    Wilayah.objects.bulk_create(
        Wilayah(
            kode=kode,
            nama=nama,
            tingkat=Wilayah.Tingkat.KABKOTA,
            induk=jatim,
            dilayani_sejak=timezone.localdate(),
        )
        for kode, nama in kabkota_di_provinsi("35")
    )
    kota = list(Wilayah.objects.filter(induk=jatim))
    soal = list(Pertanyaan.objects.filter(tahun=tahun).values_list("pk", flat=True))
    for i, k in enumerate(kota):
        SkorSnapshot.objects.create(
            daerah=k,
            tahun=tahun,
            data_per=timezone.now(),
            total_mandiri=Decimal(400 + i * 10),
            total_verifikasi=Decimal(380 + i * 10),
            total_berbukti=Decimal(390 + i * 10),
            total_provinsi=Decimal(370 + i * 10),
        )
        EvaluasiDaerah.objects.create(
            tahun=tahun,
            daerah=k,
            status_provinsi="dikirim",
            batas_kirim=timezone.localdate() - datetime.timedelta(days=i % 5),
        )
        Jawaban.objects.bulk_create(
            Jawaban(daerah=k, pertanyaan_id=p, status="terverifikasi", poin_opd=1) for p in soal
        )
        VerifikasiProvinsi.objects.bulk_create(
            VerifikasiProvinsi(daerah=k, jawaban=j, status="diterima" if j.pk % 2 else "menunggu")
            for j in Jawaban.objects.filter(daerah=k)
        )
    admin = User.objects.create_user(username="admin.jatim", nama_lengkap="Admin Jawa Timur")
    agencies_services.keanggotaan_tambah(
        user=admin, peran=Peran.ADMIN_PROVINSI, by=admin, daerah=jatim
    )
    return tahun, jatim, kota, admin


AGREGAT_SQL = """
WITH j AS (
    SELECT j.daerah_id,
           SUM(CASE WHEN j.status NOT IN ('draft', 'dikembalikan') THEN 1 ELSE 0 END) AS terisi,
           SUM(CASE WHEN j.status = 'terverifikasi' THEN 1 ELSE 0 END) AS terverifikasi,
           SUM(CASE WHEN v.status = 'diterima' THEN 1 ELSE 0 END) AS diterima,
           COUNT(v.id) AS diperiksa
    FROM clusters_jawaban j
    JOIN clusters_pertanyaan p ON p.id = j.pertanyaan_id
    LEFT JOIN clusters_verifikasiprovinsi v ON v.jawaban_id = j.id
    WHERE p.tahun_id = %(tahun)s AND j.wilayah_id IS NULL
    GROUP BY j.daerah_id
)
SELECT w.id, s.total_mandiri, s.total_berbukti, s.total_verifikasi, s.total_provinsi,
       e.status_provinsi, e.batas_kirim, j.terisi, j.terverifikasi, j.diterima, j.diperiksa
FROM agencies_wilayah w
LEFT JOIN j ON j.daerah_id = w.id
LEFT JOIN clusters_evaluasidaerah e ON e.daerah_id = w.id AND e.tahun_id = %(tahun)s
LEFT JOIN clusters_skorsnapshot s ON s.id = (
    SELECT s2.id FROM clusters_skorsnapshot s2
    WHERE s2.daerah_id = w.id AND s2.tahun_id = %(tahun)s
    ORDER BY s2.data_per DESC LIMIT 1
)
WHERE w.induk_id = %(provinsi)s AND w.dilayani_sejak IS NOT NULL
ORDER BY w.kode
"""


def agregat_satu(tahun, jatim) -> list:
    """The dashboard's figures per city in one SQL statement (``AGREGAT_SQL``): the year's
    city-level answers grouped by city once (sent, verified, the province's checks accepted and
    in all), joined to each served city with its round and its newest snapshot's totals."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(AGREGAT_SQL, {"tahun": tahun.pk, "provinsi": jatim.pk})
        return cursor.fetchall()


def bench_provinsi() -> None:
    from agencies.models import User
    from clusters.models import Jawaban

    sekretariat = User.objects.get(username="sekretariat")
    kota_serang = Client()
    kota_serang.force_login(sekretariat)
    with override_settings(DEBUG=False):
        sendiri = {h: _median_get(kota_serang, h) for h in HALAMAN_KOTA}
    tahun, jatim, kota, admin = _jatim()
    provinsi = Client()
    provinsi.force_login(admin)
    assert provinsi.get("/provinsi/").status_code == 200
    with override_settings(DEBUG=False):
        halaman, satu = median_bergantian(
            tuple,
            lambda: provinsi.get("/provinsi/"),
            lambda: agregat_satu(tahun, jatim),
            repeat=15,
        )
        n = Jawaban.objects.filter(daerah__in=kota).count()
        report(
            f"province dashboard, {len(kota)} kab/kota",
            halaman,
            satu,
            "one SQL aggregate of the same figures",
            f"; {n} answers",
        )
        for h in HALAMAN_KOTA:
            report(
                f"city page {h}, 38 more cities",
                _median_get(kota_serang, h),
                sendiri[h],
                "the same page with its city alone",
            )


HALAMAN_KOTA = ("/", "/skor/2024/")


def _median_get(client, url) -> float:
    from bench.ukur import median_seconds

    client.get(url)
    return median_seconds(lambda: client.get(url), repeat=9)
