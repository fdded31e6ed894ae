"""Celery: configuration and a round trip through a real worker process."""

import pytest

from kla_portal.celery import app
from kla_portal.tasks import ping


def test_tasks_use_json_time_limits_and_late_acks():
    conf = app.conf
    assert conf.task_serializer == conf.result_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.worker_prefetch_multiplier == 1


def test_each_kind_of_work_has_its_own_queue():
    """Scores (and the portal's upkeep), reports, imports and mail: each on a queue whose
    worker pool nothing else occupies."""
    app.loader.import_default_modules()
    router = app.amqp.router

    def antrean(nama):
        return router.route({}, nama)["queue"].name

    assert antrean("clusters.tasks.hitung_skor") == "skor"
    assert antrean("clusters.tasks.periksa_skor_basi") == "skor"
    assert antrean("kla_portal.ping") == "skor"
    assert antrean("kla_portal.sapu_pekerjaan") == "skor"
    assert antrean("laporan.tasks.bangun_bundel") == "laporan"
    assert antrean("laporan.tasks.kirim_rapor") == "laporan"
    assert antrean("provinsi.tasks.bangun_lampiran") == "laporan"
    assert antrean("rencana_aksi.tasks.impor_rad") == "impor"
    assert antrean("koordinasi.tasks.kirim_email_rapat") == "surel"
    assert antrean("koordinasi.tasks.ingatkan_rapat") == "surel"
    assert antrean("clusters.tasks.ingatkan_batas_waktu") == "surel"


def test_tasks_of_each_app_are_discovered():
    app.loader.import_default_modules()
    assert "kla_portal.ping" in app.tasks
    assert "laporan.tasks.bangun_bundel" in app.tasks


@pytest.mark.worker
def test_a_task_makes_the_round_trip_through_a_real_worker(celery_worker_process):
    result = ping.delay()
    assert result.get(timeout=30) == "pong"
    assert result.successful()
