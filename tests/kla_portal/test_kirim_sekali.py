"""Every write is saved once (kla_portal.kirim_sekali): the same POST sent again with the same
one-time key says "sudah tersimpan" and goes where the first one went; a refused write frees
its key. Tried on small views of this module, so the rules are seen apart from any form."""

import datetime
import threading
import time

import pytest
from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect
from django.test import Client
from django.urls import include, path
from django.utils import timezone

from kla_portal.models import KunciKirim, Pekerjaan

SUDAH = "Data ini sudah tersimpan sebelumnya; tidak disimpan dua kali."
KUNCI = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
KUNCI_LAIN = "aaaabbbbccccddddeeeeffff00001111"

pytestmark = pytest.mark.urls(__name__)


def catat(request):
    """A form that records a job titled as typed; an empty title is shown again with an error."""
    judul = request.POST.get("judul", "")
    if not judul:
        return HttpResponse("Judul wajib diisi.", status=400)
    job = Pekerjaan.objects.create(jenis="uji", judul=judul, dibuat_oleh=request.user)
    messages.success(request, "Dicatat.")
    return redirect(f"/catatan/{job.pk}/")


def tolak(request):
    messages.error(request, "Ditolak: data belum lengkap.")
    return redirect("/catatan/0/")


def rusak(request):
    raise RuntimeError("galat di tengah penyimpanan")


LEPAS = threading.Event()


def lambat(request):
    LEPAS.wait(timeout=20)
    return catat(request)


def catatan(request, pk):
    return HttpResponse(" | ".join(str(m) for m in messages.get_messages(request)))


urlpatterns = [
    path("catat/", catat),
    path("catat-juga/", catat),
    path("tolak/", tolak),
    path("pindah/", lambda request: redirect("/catatan/0/")),
    path("rusak/", rusak),
    path("lambat/", lambat),
    path("catatan/<int:pk>/", catatan),
    path("", include("kla_portal.urls")),  # the pages' menu and links
]


@pytest.fixture
def budi(client, operator_dinkes):
    client.force_login(operator_dinkes)
    return client


def test_the_same_post_sent_twice_saves_once_and_goes_where_the_first_went(budi):
    first = budi.post("/catat/", {"judul": "Rekap", "kunci_kirim": KUNCI})
    again = budi.post("/catat/", {"judul": "Rekap", "kunci_kirim": KUNCI})
    job = Pekerjaan.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == f"/catatan/{job.pk}/"
    assert SUDAH in budi.get(again["Location"]).content.decode()


def test_a_form_shown_again_with_errors_can_be_corrected_and_sent_with_the_same_key(budi):
    refused = budi.post("/catat/", {"judul": "", "kunci_kirim": KUNCI})
    assert refused.status_code == 400
    assert not KunciKirim.objects.exists()  # freed: the correction is a first write
    corrected = budi.post("/catat/", {"judul": "Rekap", "kunci_kirim": KUNCI})
    assert corrected.status_code == 302
    again = budi.post("/catat/", {"judul": "Rekap", "kunci_kirim": KUNCI}, follow=True)
    assert SUDAH in again.content.decode()
    assert Pekerjaan.objects.count() == 1


def test_two_keys_are_two_writes(budi):
    budi.post("/catat/", {"judul": "Rekap", "kunci_kirim": KUNCI})
    budi.post("/catat/", {"judul": "Rekap", "kunci_kirim": KUNCI_LAIN})
    assert Pekerjaan.objects.count() == 2


def test_a_refusal_told_on_the_next_page_frees_the_key(budi):
    budi.post("/tolak/", {"kunci_kirim": KUNCI})
    assert not KunciKirim.objects.exists()


def test_a_failure_frees_the_key(budi):
    budi.raise_request_exception = False
    assert budi.post("/rusak/", {"kunci_kirim": KUNCI}).status_code == 500
    assert not KunciKirim.objects.exists()


def test_a_key_is_each_persons_own(budi, operator_dinsos):
    budi.post("/catat/", {"judul": "Rekap Dinkes", "kunci_kirim": KUNCI})
    rina = Client()
    rina.force_login(operator_dinsos)
    assert rina.post("/catat/", {"judul": "Rekap Dinsos", "kunci_kirim": KUNCI}).status_code == 302
    assert Pekerjaan.objects.count() == 2


def test_the_same_key_sent_to_another_address_is_not_taken_for_a_repeat(budi):
    budi.post("/catat/", {"judul": "Rekap", "kunci_kirim": KUNCI})
    budi.post("/catat-juga/", {"judul": "Rekap", "kunci_kirim": KUNCI})
    assert Pekerjaan.objects.count() == 2


def test_posts_without_a_key_or_without_a_person_are_left_alone(client, budi):
    budi.post("/catat/", {"judul": "Tanpa kunci"})
    budi.post("/catat/", {"judul": "Kunci rusak", "kunci_kirim": "<script>"})
    budi.logout()
    budi.post("/pindah/", {"kunci_kirim": KUNCI})
    assert not KunciKirim.objects.exists()


def test_htmx_is_told_where_to_go(budi):
    budi.post("/catat/", {"judul": "Rekap", "kunci_kirim": KUNCI})
    again = budi.post("/catat/", {"judul": "Rekap", "kunci_kirim": KUNCI}, HTTP_HX_REQUEST="true")
    assert again["HX-Redirect"] == f"/catatan/{Pekerjaan.objects.get().pk}/"


def test_a_repeat_while_the_first_is_still_saving_is_told_so(budi, operator_dinkes):
    KunciKirim.objects.create(user=operator_dinkes, kunci=KUNCI, jalur="/catat/")
    again = budi.post("/catat/", {"judul": "Rekap", "kunci_kirim": KUNCI})
    assert again.status_code == 409
    assert "masih sedang diproses" in again.content.decode()
    upload = budi.post(
        "/catat/", {"judul": "Rekap", "kunci_kirim": KUNCI}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert upload.status_code == 409 and upload["Content-Type"].startswith("text/plain")
    assert not Pekerjaan.objects.exists()


def test_a_key_left_in_progress_by_a_dead_request_is_taken_over(budi, operator_dinkes):
    KunciKirim.objects.create(
        user=operator_dinkes,
        kunci=KUNCI,
        jalur="/catat/",
        mulai=timezone.now() - datetime.timedelta(minutes=6),
    )
    assert budi.post("/catat/", {"judul": "Rekap", "kunci_kirim": KUNCI}).status_code == 302
    assert Pekerjaan.objects.count() == 1
    assert KunciKirim.objects.get().status == "selesai"


@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_the_same_moment_save_once(operator_dinkes):
    """Real concurrency: the first request holds in its view while the second arrives."""
    LEPAS.clear()
    first, second = Client(), Client()
    first.force_login(operator_dinkes)
    second.force_login(operator_dinkes)
    answers = {}

    def send_first():
        try:
            answers["first"] = first.post("/lambat/", {"judul": "Rekap", "kunci_kirim": KUNCI})
        finally:
            connection.close()

    thread = threading.Thread(target=send_first)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not KunciKirim.objects.filter(kunci=KUNCI).exists():
            assert time.monotonic() < deadline, "the first request never recorded its key"
            time.sleep(0.05)
        answers["second"] = second.post("/lambat/", {"judul": "Rekap", "kunci_kirim": KUNCI})
    finally:
        LEPAS.set()
        thread.join(timeout=30)
    assert answers["second"].status_code == 409
    assert answers["first"].status_code == 302
    assert Pekerjaan.objects.count() == 1
    third = second.post("/lambat/", {"judul": "Rekap", "kunci_kirim": KUNCI})
    assert third["Location"] == answers["first"]["Location"]


def test_keys_are_forgotten_after_a_day(operator_dinkes):
    sekarang = timezone.now()
    for jam, kunci in ((25, KUNCI), (23, KUNCI_LAIN)):
        KunciKirim.objects.create(
            user=operator_dinkes,
            kunci=kunci,
            jalur="/catat/",
            mulai=sekarang - datetime.timedelta(hours=jam),
        )
    from kla_portal.tasks import bersihkan_kunci_kirim

    assert bersihkan_kunci_kirim() == 1
    assert list(KunciKirim.objects.values_list("kunci", flat=True)) == [KUNCI_LAIN]


def test_forgetting_old_keys_is_a_scheduled_task():
    entry = settings.CELERY_BEAT_SCHEDULE["bersihkan-kunci-kirim"]
    from kla_portal.celery import app

    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
