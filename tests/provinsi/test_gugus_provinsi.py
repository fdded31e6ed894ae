"""The province's own task force on the existing pages: its secretariat (a membership of the
province) forms it for the province; a city's people never see it, nor it theirs."""

import pytest
from django.urls import reverse

from agencies.models import GugusTugas, Peran
from tests.provinsi.conftest import orang

pytestmark = pytest.mark.django_db


def test_the_province_forms_its_own_task_force_apart_from_the_citys(
    client, banten, kota_serang, sekretariat
):
    sekretariat_provinsi = orang("sekretariat.banten", Peran.SEKRETARIAT, daerah=banten)
    client.force_login(sekretariat_provinsi)
    halaman = client.get(reverse("koordinasi:gugus-tugas")).content.decode()
    assert "Bentuk Gugus Tugas KLA Banten" in halaman
    client.post(reverse("koordinasi:gugus-tugas-buat"), {"wilayah": "36"})
    gugus = GugusTugas.objects.get()
    assert (gugus.wilayah, gugus.daerah) == (banten, banten)
    assert client.get(reverse("koordinasi:gugus-tugas")).status_code == 200
    # Kota Serang's secretariat: its own city has none yet, and the province's is not found.
    client.force_login(sekretariat)
    assert "Bentuk Gugus Tugas KLA Kota Serang" in (
        client.get(reverse("koordinasi:gugus-tugas")).content.decode()
    )
    detail = reverse("koordinasi:gugus-tugas-detail", args=[gugus.pk])
    assert client.get(detail).status_code == 404
