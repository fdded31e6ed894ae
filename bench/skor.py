"""The score recompute's baseline: one SQL statement that computes the figures a snapshot
stores (clusters.services.skor.skor_hitung), so that the bench line compares the recompute
with the database doing the same arithmetic, not a part of it.

Every level is one branch of a UNION ALL over the same per-question figures (portable to
SQLite and PostgreSQL; SQLite has no GROUPING SETS). A row is ``(tingkat, a, b, status,
max, mandiri, verifikasi, berbukti)``:

- ``soal``: a question ``a``: its maximum and three totals before its indicator's cap;
  ``mandiri`` the lead agency's own points by the question's way of scoring
  (clusters.scoring.poin_pertanyaan), at most the question's maximum; ``verifikasi`` the
  verifier's for a verified answer; ``berbukti`` the own points where the evidence the
  question requires is attached;
- ``skala``: a question ``a``'s share of its capped indicator, only where the cap bites (the
  snapshot stores it only there);
- ``indikator``: an indicator ``a`` of group ``b``, capped at its maximum; ``dibatasi``: its
  uncapped sums, only where the cap bites;
- ``kelompok``: a group ``a``; ``total``: the city; ``opd``: a lead agency ``a`` (NULL for
  the questions without one), the sum of its questions' shares;
- ``kelengkapan``: how many questions of lead agency ``a`` in group ``b`` are in ``status``
  (``mandiri`` holds the count; "belum" for no answer);
- ``unit``: a kecamatan's or kelurahan's answer ``b`` to question ``a``: ``status``, and in
  ``mandiri`` whether it meets the question (1, 0, NULL when not graded).

SQLite computes in floats: its figures are the snapshot's to the cent once rounded.
"""

from __future__ import annotations

from django.db import connections

SKOR_SQL = """
WITH jawab AS (
    SELECT p.id, p.indikator_id, i.kelompok_id, pn.opd_id, j.status,
           p.nilai_max AS mx,
           CASE
               WHEN p.cara_penilaian = 'opsi'
                   THEN COALESCE(ROUND(j.poin_langsung, 2), ROUND(p.nilai_max * j.fraksi, 2))
               WHEN p.cara_penilaian = 'cakupan'
                   THEN ROUND(p.nilai_max * j.cakupan_persen / 100.0, 2)
               WHEN p.cara_penilaian = 'langsung' THEN ROUND(j.poin_langsung, 2)
           END AS poin,
           CASE WHEN j.status = 'terverifikasi' THEN j.poin_verifikator END AS poin_v,
           CASE WHEN NOT p.wajib_lampiran OR EXISTS (
                    SELECT 1 FROM clusters_lampiran l WHERE l.jawaban_id = j.id
                    AND l.diganti_oleh_id IS NULL AND l.dihapus IS NULL)
                THEN 1 ELSE 0 END AS bukti
    FROM clusters_pertanyaan p
    JOIN clusters_indikator i ON i.id = p.indikator_id
    LEFT JOIN clusters_penugasan pn ON pn.pertanyaan_id = p.id AND pn.utama
        AND pn.daerah_id = %(daerah)s
    LEFT JOIN clusters_jawaban j ON j.pertanyaan_id = p.id AND j.wilayah_id IS NULL
        AND j.daerah_id = %(daerah)s
    WHERE p.tahun_id = %(tahun)s
),
soal AS (
    SELECT id, indikator_id, kelompok_id, opd_id, status, mx,
           COALESCE(CASE WHEN poin > mx THEN mx ELSE poin END, 0) AS mandiri,
           COALESCE(CASE WHEN poin_v > mx THEN mx ELSE poin_v END, 0) AS verifikasi,
           CASE WHEN bukti = 1
                THEN COALESCE(CASE WHEN poin > mx THEN mx ELSE poin END, 0) ELSE 0 END
               AS berbukti
    FROM jawab
),
jumlah AS (
    SELECT i.id, i.kelompok_id, i.nilai_max AS batas,
           COALESCE(SUM(s.mx), 0) AS mx, COALESCE(SUM(s.mandiri), 0) AS mandiri,
           COALESCE(SUM(s.verifikasi), 0) AS verifikasi,
           COALESCE(SUM(s.berbukti), 0) AS berbukti
    FROM clusters_indikator i LEFT JOIN soal s ON s.indikator_id = i.id
    WHERE i.tahun_id = %(tahun)s
    GROUP BY i.id, i.kelompok_id, i.nilai_max
),
indikator AS (
    SELECT id, kelompok_id, batas AS mx,
           CASE WHEN mandiri > batas THEN batas ELSE mandiri END AS mandiri,
           CASE WHEN verifikasi > batas THEN batas ELSE verifikasi END AS verifikasi,
           CASE WHEN berbukti > batas THEN batas ELSE berbukti END AS berbukti,
           CASE WHEN mandiri > batas OR verifikasi > batas OR berbukti > batas
                THEN 1 ELSE 0 END AS dibatasi,
           CASE WHEN mx > batas OR mandiri > batas OR verifikasi > batas OR berbukti > batas
                THEN 1 ELSE 0 END AS lewat
    FROM jumlah
),
skala AS (
    SELECT s.id, s.opd_id, i.lewat,
           CASE WHEN n.mx > n.batas THEN s.mx * n.batas * 1.0 / n.mx ELSE s.mx END AS mx,
           CASE WHEN n.mandiri > n.batas THEN s.mandiri * n.batas * 1.0 / n.mandiri
                ELSE s.mandiri END AS mandiri,
           CASE WHEN n.verifikasi > n.batas THEN s.verifikasi * n.batas * 1.0 / n.verifikasi
                ELSE s.verifikasi END AS verifikasi,
           CASE WHEN n.berbukti > n.batas THEN s.berbukti * n.batas * 1.0 / n.berbukti
                ELSE s.berbukti END AS berbukti
    FROM soal s JOIN jumlah n ON n.id = s.indikator_id JOIN indikator i ON i.id = n.id
)
SELECT 'soal', id, CAST(NULL AS BIGINT), status, mx, mandiri, verifikasi, berbukti FROM soal
UNION ALL
SELECT 'skala', id, NULL, NULL, ROUND(mx, 4), ROUND(mandiri, 4), ROUND(verifikasi, 4),
       ROUND(berbukti, 4)
FROM skala WHERE lewat = 1
UNION ALL
SELECT 'indikator', id, kelompok_id, NULL, mx, ROUND(mandiri, 2), ROUND(verifikasi, 2),
       ROUND(berbukti, 2)
FROM indikator
UNION ALL
SELECT 'dibatasi', n.id, n.kelompok_id, NULL, n.mx, n.mandiri, n.verifikasi, n.berbukti
FROM jumlah n JOIN indikator i ON i.id = n.id WHERE i.dibatasi = 1
UNION ALL
SELECT 'kelompok', kelompok_id, NULL, NULL, SUM(mx), ROUND(SUM(mandiri), 2),
       ROUND(SUM(verifikasi), 2), ROUND(SUM(berbukti), 2)
FROM indikator GROUP BY kelompok_id
UNION ALL
SELECT 'total', NULL, NULL, NULL, COALESCE(SUM(mx), 0), ROUND(COALESCE(SUM(mandiri), 0), 2),
       ROUND(COALESCE(SUM(verifikasi), 0), 2), ROUND(COALESCE(SUM(berbukti), 0), 2)
FROM indikator
UNION ALL
SELECT 'opd', opd_id, NULL, NULL, ROUND(SUM(mx), 2), ROUND(SUM(mandiri), 2),
       ROUND(SUM(verifikasi), 2), ROUND(SUM(berbukti), 2)
FROM skala GROUP BY opd_id
UNION ALL
SELECT 'kelengkapan', opd_id, kelompok_id, COALESCE(status, 'belum'), NULL, COUNT(*), NULL,
       NULL
FROM soal GROUP BY opd_id, kelompok_id, COALESCE(status, 'belum')
UNION ALL
SELECT 'unit', j.pertanyaan_id, j.wilayah_id, j.status, NULL,
       CASE WHEN j.fraksi IS NULL THEN NULL WHEN j.fraksi > 0 THEN 1 ELSE 0 END, NULL, NULL
FROM clusters_jawaban j JOIN clusters_pertanyaan p ON p.id = j.pertanyaan_id
WHERE p.tahun_id = %(tahun)s AND j.wilayah_id IS NOT NULL AND j.daerah_id = %(daerah)s
"""


def skor_dasar(tahun_id: int, daerah_id: int, alias: str = "default") -> list[tuple]:
    """The rows of ``SKOR_SQL`` for one city's year: every figure its snapshot stores."""
    with connections[alias].cursor() as cursor:
        cursor.execute(SKOR_SQL, {"tahun": tahun_id, "daerah": daerah_id})
        return cursor.fetchall()


def jumlah_indikator(tahun_id: int, alias: str = "default") -> list[tuple]:
    """The baseline before issue 14, printed for information only: the per-indicator sums of
    the agencies' stored points (``poin_opd``), the verifier's and the evidenced ones, and the
    count of units meeting each question (a subquery, so that a question's units do not
    multiply its city answer's points); fewer figures than the snapshot holds."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            """
            SELECT i.kelompok_id, i.id, SUM(j.poin_opd),
                   SUM(CASE WHEN j.status = 'terverifikasi' THEN j.poin_verifikator END),
                   SUM(CASE WHEN NOT p.wajib_lampiran OR EXISTS (
                           SELECT 1 FROM clusters_lampiran l WHERE l.jawaban_id = j.id
                           AND l.diganti_oleh_id IS NULL AND l.dihapus IS NULL)
                       THEN j.poin_opd END),
                   SUM((SELECT COUNT(*) FROM clusters_jawaban u WHERE u.pertanyaan_id = p.id
                        AND u.wilayah_id IS NOT NULL AND u.fraksi > 0))
            FROM clusters_pertanyaan p
            JOIN clusters_indikator i ON i.id = p.indikator_id
            LEFT JOIN clusters_jawaban j ON j.pertanyaan_id = p.id AND j.wilayah_id IS NULL
            WHERE p.tahun_id = %s
            GROUP BY i.kelompok_id, i.id
            """,
            [tahun_id],
        )
        return cursor.fetchall()
