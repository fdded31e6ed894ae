"""The REST API against one SQL query of the same rows (issue 16): the answers list read whole
(1,000 answers, in pages of 200, as an integrator syncing them would) and the score endpoint.
Run after ``bench_skor``, which leaves the 2024 instrument answered for all of Kota Serang."""

from __future__ import annotations

from django.db import connection
from django.test import Client

from bench.ukur import median_seconds, report

N_JAWABAN = 1000
UKURAN = 200


def _klien():
    from agencies.models import User

    client = Client()
    client.force_login(User.objects.get(username="sekretariat"))
    return client


def bench_jawaban() -> None:
    """Reading 1,000 answers through ``/api/v1/jawaban/`` against one SQL query of the same
    1,000 rows with what each item names (question, indicator, agency, unit)."""
    client = _klien()
    alamat = f"/api/v1/jawaban/?tahun=2024&page_size={UKURAN}"

    def lewat_api():
        terbaca = 0
        for halaman in range(1, N_JAWABAN // UKURAN + 1):
            response = client.get(f"{alamat}&page={halaman}")
            assert response.status_code == 200, response.content[:300]
            terbaca += len(response.json()["results"])
        assert terbaca == N_JAWABAN, terbaca

    def satu_kueri():
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT j.*, p.kode, p.teks, i.kode, o.nama, w.kode
                FROM clusters_jawaban j
                JOIN clusters_pertanyaan p ON p.id = j.pertanyaan_id
                JOIN clusters_indikator i ON i.id = p.indikator_id
                JOIN clusters_tahunevaluasi t ON t.id = p.tahun_id
                LEFT JOIN agencies_opd o ON o.id = j.opd_id
                LEFT JOIN agencies_wilayah w ON w.id = j.wilayah_id
                WHERE t.tahun = 2024
                ORDER BY j.id
                LIMIT %s
                """,
                [N_JAWABAN],
            )
            assert len(cursor.fetchall()) == N_JAWABAN

    lewat_api()  # warm: the first request loads the URL conf and the schema's classes
    report(
        f"API answers list, {N_JAWABAN} in pages of {UKURAN}",
        median_seconds(lewat_api),
        median_seconds(satu_kueri),
        "one SQL query of the same rows",
    )


def bench_skor_api() -> None:
    """The score of a year through ``/api/v1/skor/2024/`` (totals, every group, indicator,
    question and agency, from the stored snapshot) against one SQL query reading that
    snapshot's row."""
    from clusters.models import TahunEvaluasi

    client = _klien()
    tahun = TahunEvaluasi.objects.get(tahun=2024)

    def lewat_api():
        response = client.get("/api/v1/skor/2024/")
        assert response.status_code == 200, response.content[:300]

    def satu_kueri():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT * FROM clusters_skorsnapshot WHERE tahun_id = %s "
                "ORDER BY data_per DESC, id DESC LIMIT 1",
                [tahun.pk],
            )
            assert cursor.fetchone() is not None

    lewat_api()
    report(
        "API score of a year (snapshot)",
        median_seconds(lewat_api),
        median_seconds(satu_kueri),
        "one SQL query of the snapshot row",
    )
