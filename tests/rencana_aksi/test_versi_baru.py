"""RAD saves on kla_portal.versi: a new action whose code was taken a moment ago is refused, and a
quarter report saved with files says so in its history beside its figures."""

from decimal import Decimal as D

import pytest

from kla_portal import versi as versi_lib
from rencana_aksi import selectors as rad_selectors
from rencana_aksi import services as rad_services
from tests.conftest import berkas
from tests.rencana_aksi.bantu import TAHUN


def test_a_new_action_whose_code_was_just_taken_is_refused(aksi_dinkes, periode, bappeda):
    data = rad_services.DataAksi(
        kode=aksi_dinkes.kode,
        nama="Puskesmas ramah anak, dibuat lagi",
        klaster=aksi_dinkes.klaster,
        indikator_kinerja="Puskesmas terstandar",
        satuan="unit",
        opd_utama=aksi_dinkes.opd_utama,
    )
    with pytest.raises(versi_lib.Kedaluwarsa):
        rad_services.aksi_simpan(periode=periode, data=data, by=bappeda, versi=0)
    aksi_dinkes.refresh_from_db()
    assert aksi_dinkes.nama == "Puskesmas ramah anak"


def test_a_quarter_report_saved_with_files_says_so_beside_its_figures(aksi_dinkes, operator_dinkes):
    laporan = rad_services.realisasi_simpan(
        aksi=aksi_dinkes, tahun=TAHUN - 1, triwulan=1, by=operator_dinkes, versi=0, capaian=D(1)
    )
    laporan = rad_services.realisasi_simpan(
        aksi=aksi_dinkes,
        tahun=TAHUN - 1,
        triwulan=1,
        by=operator_dinkes,
        versi=laporan.versi,
        capaian=D(2),
        berkas=[berkas("foto-kegiatan.pdf")],
    )
    riwayat = list(laporan.history.all())
    terbaru = rad_selectors.perubahan_realisasi(riwayat)[riwayat[0].history_id]
    assert terbaru["bukti"] is True
    assert [label for label, _value, _jenis in terbaru["isi"]] == ["Capaian s.d. triwulan ini"]
