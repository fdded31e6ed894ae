"""A RAD action is kept with a version, like answers and quarterly reports: two people editing
the same action cannot overwrite each other unknowingly, and one form saves once."""

import re
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from rencana_aksi import services
from rencana_aksi.models import Aksi
from tests.rencana_aksi.bantu import halaman
from tests.rencana_aksi.test_pages import data_form

SUDAH = "Data ini sudah tersimpan sebelumnya; tidak disimpan dua kali."
KUNCI = "0cc175b9c0f1b6a831c399e269772661"


def versi_di_form(client, aksi) -> int:
    """The version the edit form was built from, as the browser sends it back."""
    page = client.get(halaman("aksi-update", aksi.pk)).content.decode()
    return int(re.search(r'name="versi" value="(\d+)"', page).group(1))


def ubah(client, aksi, versi, **values):
    data = data_form(aksi.periode, aksi.opd_utama, kode=aksi.kode, versi=versi, **values)
    return client.post(halaman("aksi-update", aksi.pk), data)


def test_the_second_of_two_people_editing_an_action_is_refused_and_nothing_changes(
    client, bappeda, sekretariat, aksi_dinkes
):
    # Agus (Bappeda) and Rina (secretariat) open the same action.
    client.force_login(bappeda)
    versi_agus = versi_di_form(client, aksi_dinkes)
    client.force_login(sekretariat)
    versi_rina = versi_di_form(client, aksi_dinkes)
    assert versi_agus == versi_rina == aksi_dinkes.versi

    # Rina saves first.
    assert ubah(client, aksi_dinkes, versi_rina, satuan="taman").status_code == 302
    aksi_dinkes.refresh_from_db()
    assert (aksi_dinkes.satuan, aksi_dinkes.versi) == ("taman", versi_rina + 1)

    # Agus's form was built before: refused, with who changed it, and what he typed is kept.
    client.force_login(bappeda)
    refused = ubah(client, aksi_dinkes, versi_agus, satuan="kelurahan")
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "Aksi ini sudah diubah oleh Rina Marlina" in page
    assert "Tidak ada yang disimpan" in page and "Isian Anda masih ada" in page
    assert 'value="kelurahan"' in page
    assert f'name="versi" value="{versi_rina + 1}"' in page
    aksi_dinkes.refresh_from_db()
    assert (aksi_dinkes.satuan, aksi_dinkes.versi) == ("taman", versi_rina + 1)
    assert aksi_dinkes.diubah_oleh == sekretariat


def test_a_fresh_form_saves(client, bappeda, sekretariat, aksi_dinkes):
    client.force_login(sekretariat)
    ubah(client, aksi_dinkes, versi_di_form(client, aksi_dinkes), satuan="taman")
    client.force_login(bappeda)
    assert ubah(client, aksi_dinkes, versi_di_form(client, aksi_dinkes), satuan="unit").status_code
    aksi_dinkes.refresh_from_db()
    assert (aksi_dinkes.satuan, aksi_dinkes.diubah_oleh) == ("unit", bappeda)


def test_the_same_form_sent_twice_saves_once(client, bappeda, aksi_dinkes):
    client.force_login(bappeda)
    versi = versi_di_form(client, aksi_dinkes)
    data = data_form(
        aksi_dinkes.periode, aksi_dinkes.opd_utama, kode=aksi_dinkes.kode, versi=versi
    ) | {"satuan": "taman", "kunci_kirim": KUNCI}
    first = client.post(halaman("aksi-update", aksi_dinkes.pk), data)
    again = client.post(halaman("aksi-update", aksi_dinkes.pk), data, follow=True)
    assert first.status_code == 302 and SUDAH in again.content.decode()
    aksi_dinkes.refresh_from_db()
    assert aksi_dinkes.versi == versi + 1
    # Without the page script (no one-time key) the second arrival is a stale form.
    del data["kunci_kirim"]
    stale = client.post(halaman("aksi-update", aksi_dinkes.pk), data)
    assert stale.status_code == 400 and "sudah diubah oleh" in stale.content.decode()
    aksi_dinkes.refresh_from_db()
    assert aksi_dinkes.versi == versi + 1


def test_any_change_is_one_new_version_and_the_same_data_none(
    periode, aksi_dinkes, dinsos, bappeda
):
    from tests.rencana_aksi.bantu import buat_aksi

    versi = aksi_dinkes.versi
    # The same data again: nothing changes, not even the version.
    assert buat_aksi(periode, "K3.01", aksi_dinkes.opd_utama, bappeda, nama="Puskesmas ramah anak")
    aksi_dinkes.refresh_from_db()
    assert aksi_dinkes.versi == versi
    # Only a supporting agency added (no field of its own): still one new version.
    buat_aksi(
        periode,
        "K3.01",
        aksi_dinkes.opd_utama,
        bappeda,
        nama="Puskesmas ramah anak",
        pendukung=[dinsos],
    )
    aksi_dinkes.refresh_from_db()
    assert (aksi_dinkes.versi, aksi_dinkes.diubah_oleh) == (versi + 1, bappeda)


def test_the_service_refuses_a_stale_version_and_an_import_is_not_checked(
    periode, aksi_dinkes, bappeda
):
    from rencana_aksi.forms import AksiForm

    data = AksiForm(periode=periode, aksi=aksi_dinkes).initial
    assert data["versi"] == aksi_dinkes.versi
    lama = services.DataAksi(
        kode=aksi_dinkes.kode,
        nama="Nama baru",
        klaster=aksi_dinkes.klaster,
        indikator_kinerja=aksi_dinkes.indikator_kinerja,
        satuan=aksi_dinkes.satuan,
        opd_utama=aksi_dinkes.opd_utama,
        indikator_kla=["Indikator 15"],
        status=aksi_dinkes.status,
    )
    with pytest.raises(ValidationError, match="sudah diubah oleh"):
        services.aksi_simpan(periode=periode, data=lama, by=bappeda, versi=aksi_dinkes.versi - 1)
    assert Aksi.objects.get(pk=aksi_dinkes.pk).nama == "Puskesmas ramah anak"
    hasil, berubah = services.aksi_simpan(periode=periode, data=lama, by=bappeda)
    assert berubah and hasil.nama == "Nama baru" and hasil.versi == aksi_dinkes.versi + 1
    assert hasil.baseline is None and hasil.target.get(tahun=periode.tahun_mulai).target == D(100)
