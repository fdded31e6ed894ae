"""The score endpoint keeps its answer under its ETag: a second read is served from the cache,
and a new snapshot is read afresh, never an older figure."""

from decimal import Decimal as D

from clusters import services
from tests.clusters import test_dasbor

skor = test_dasbor.skor
_fresh_cache = test_dasbor._fresh_cache
URL = "/api/v1/skor/2024/"


def _mandiri(response) -> float:
    return next(t["poin"] for t in response.json()["totals"] if t["kunci"] == "mandiri")


def test_a_new_snapshot_is_never_answered_from_the_old_one(
    client, sekretariat, operator_dinsos, soal_dinsos, skor, tahun
):
    client.force_login(sekretariat)
    assert _mandiri(client.get(URL)) == 11.0  # Dinkes 6 + Dinsos 5, by hand
    jawaban = soal_dinsos.jawaban.get()
    services.jawaban_simpan(
        pertanyaan=soal_dinsos, by=operator_dinsos, versi=jawaban.versi, poin_langsung=D(7)
    )
    services.skor_hitung(tahun=tahun)
    assert _mandiri(client.get(URL)) == 13.0  # Dinsos now claims 7


def test_the_same_read_twice_serialises_once(client, sekretariat, skor, monkeypatch):
    from clusters.api import skor as api_skor

    client.force_login(sekretariat)
    pertama = client.get(URL).json()
    panggilan = []
    monkeypatch.setattr(api_skor, "skor_tahun", lambda *a: panggilan.append(a))
    assert client.get(URL).json() == pertama
    assert panggilan == []
