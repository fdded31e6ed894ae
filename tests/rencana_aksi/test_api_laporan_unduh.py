"""A quarterly report's own evidence list (``bukti[].unduh``) gives the full download address,
as the report's evidence endpoint does: a script follows either link the same way."""

import pytest

from rencana_aksi import services
from tests.conftest import berkas
from tests.rencana_aksi.bantu import LALU, lapor


@pytest.fixture
def laporan(aksi_dinkes, operator_dinkes):
    laporan = lapor(aksi_dinkes, LALU, operator_dinkes)
    services.bukti_tambah(realisasi=laporan, berkas=berkas("sk.pdf"), by=operator_dinkes)
    laporan.refresh_from_db()
    return laporan


def test_report_evidence_links_are_absolute_like_the_evidence_list(
    client, laporan, operator_dinkes
):
    client.force_login(operator_dinkes)
    tahun, triwulan = LALU
    isi = client.get(f"/api/v1/rad/aksi/{laporan.aksi_id}/laporan/{tahun}/{triwulan}/").json()
    daftar = client.get(f"/api/v1/rad/realisasi/{laporan.pk}/bukti/").json()["results"]
    assert [b["unduh"] for b in isi["bukti"]] == [b["unduh"] for b in daftar]
    assert isi["bukti"][0]["unduh"].startswith("http://testserver/api/v1/rad/bukti/")
    assert client.get(isi["bukti"][0]["unduh"]).status_code == 200
