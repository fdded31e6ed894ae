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
    assert conf.task_routes["laporan.tasks.*"] == {"queue": "laporan"}
    assert conf.task_routes["rencana_aksi.tasks.impor_rad"] == {"queue": "berat"}


def test_tasks_of_each_app_are_discovered():
    app.loader.import_default_modules()
    assert "kla_portal.ping" in app.tasks
    assert "laporan.tasks.bangun_bundel" in app.tasks


@pytest.mark.worker
def test_a_task_makes_the_round_trip_through_a_real_worker(celery_worker_process):
    result = ping.delay()
    assert result.get(timeout=30) == "pong"
    assert result.successful()
