"""Bappeda's review queue (selectors.antrean_tinjauan) looks up each page's evidence and
targets by their own indexes: counting the queue reads the waiting reports alone, and the
evidence counted is the evidence in force."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clusters import alur
from rencana_aksi import services
from rencana_aksi.models import Realisasi
from tests.conftest import berkas
from tests.rencana_aksi.bantu import LALU_DUA, halaman, lapor


def test_the_queue_counts_evidence_in_force_and_reads_its_count_alone(
    client, bappeda, aksi_dinkes, aksi_dinsos, operator_dinkes, operator_dinsos
):
    laporan = lapor(aksi_dinkes, LALU_DUA, operator_dinkes)
    tetap = services.bukti_tambah(realisasi=laporan, berkas=berkas("a.pdf"), by=operator_dinkes)
    lepas = services.bukti_tambah(realisasi=laporan, berkas=berkas("b.pdf"), by=operator_dinkes)
    lepas.dihapus = timezone.now()
    lepas.save(update_fields=["dihapus"])
    lapor(aksi_dinsos, LALU_DUA, operator_dinsos)
    Realisasi.objects.update(status=alur.Status.MENUNGGU_VERIFIKASI)
    client.force_login(bappeda)
    with CaptureQueriesContext(connection) as kueri:
        response = client.get(halaman("tinjauan"))
    bukti = {b["sel"][0].split()[0]: b["sel"][7] for b in response.context["tabel"].baris}
    assert bukti == {aksi_dinkes.kode: 1, aksi_dinsos.kode: 0}
    assert tetap.dihapus is None
    hitung = [
        q["sql"]
        for q in kueri.captured_queries
        if q["sql"].startswith("SELECT COUNT(*)") and "rencana_aksi_realisasi" in q["sql"]
    ]
    # the paginator's count: the waiting reports, no join to their evidence or actions
    assert len(hitung) == 1 and "JOIN" not in hitung[0]
