"""Helpers of the RAD page tests: the quarters relative to today, actions and reports written
through the services, addresses and XLSX reading."""

import datetime
from decimal import Decimal as D
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from rencana_aksi import services
from rencana_aksi.models import Aksi, Klaster, SumberDana
from rencana_aksi.services import DataAksi

HARI_INI = datetime.date.today()
TAHUN = HARI_INI.year
SEKARANG = (TAHUN, (HARI_INI.month - 1) // 3 + 1)


def geser(kuartal: tuple[int, int], n: int) -> tuple[int, int]:
    """The quarter ``n`` quarters after (or before) ``kuartal``."""
    urut = kuartal[0] * 4 + kuartal[1] - 1 + n
    return urut // 4, urut % 4 + 1


# The quarter before this one (its report may not be due yet) and the one before it (always
# due: the 15th of the month after it ended has passed).
LALU = geser(SEKARANG, -1)
LALU_DUA = geser(SEKARANG, -2)
JT = D(1_000_000)


def buat_aksi(
    periode,
    kode,
    opd,
    by,
    *,
    pendukung=(),
    indikator=("Indikator 15",),
    klaster=Klaster.KLASTER_3,
    nama="",
    target=D(100),
    pagu=D(200),
    status=Aksi.Status.BERJALAN,
):
    aksi, _changed = services.aksi_simpan(
        periode=periode,
        data=DataAksi(
            kode=kode,
            nama=nama or f"Aksi {kode}",
            klaster=klaster,
            indikator_kinerja="Jumlah layanan ramah anak",
            satuan="layanan",
            opd_utama=opd,
            opd_pendukung=list(pendukung),
            indikator_kla=list(indikator),
            status=status,
            target={t: (target, pagu * JT, SumberDana.APBD) for t in periode.tahun_list},
        ),
        by=by,
    )
    return aksi


def lapor(aksi, kuartal, operator, *, capaian=D(10), kirim=False):
    r = services.realisasi_simpan(
        aksi=aksi,
        tahun=kuartal[0],
        triwulan=kuartal[1],
        by=operator,
        versi=0,
        capaian=capaian,
        anggaran=D(5) * JT,
    )
    return services.realisasi_kirim(realisasi=r, by=operator) if kirim else r


def halaman(nama, *args, **query):
    from django.utils.http import urlencode

    url = reverse(f"rencana_aksi:{nama}", args=args)
    return f"{url}?{urlencode(query)}" if query else url


def xlsx(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    return [[c.value for c in row] for row in sheet.iter_rows()]
