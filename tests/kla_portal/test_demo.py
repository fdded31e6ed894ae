"""make run loads a demo where every page has something to show."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from agencies.demo import AKUN_DEMO
from agencies.models import Keanggotaan, Opd, User
from clusters.models import Jawaban, Lampiran, Pertanyaan, TahunEvaluasi

NAMED = [akun.username for akun in AKUN_DEMO]


@pytest.mark.django_db
def test_the_demo_has_every_role_the_2024_instrument_and_answers_in_every_state():
    out = StringIO()
    call_command("muat_demo", stdout=out)
    text = out.getvalue()
    assert "Kota Serang: 6 kecamatan, 67 kelurahan/desa" in text
    # Each part says what it loads before it starts (make run is quiet for a minute otherwise).
    assert text.index("[1/5] Memuat wilayah Kota Serang") < text.index("Kota Serang: 6 kecamatan")
    assert text.index("[4/5] Memuat Gugus Tugas") < text.index("Gugus Tugas KLA Kota Serang:")
    assert text.index("[5/5] Memuat Provinsi Banten") < text.index("admin.provinsi")
    assert "Akun demo, kata sandi semuanya: demo12345" in text
    assert User.objects.filter(is_demo=True, username__in=NAMED).count() == 10
    assert Opd.objects.count() >= 30
    # Every agency and kecamatan office has a head to approve what it sends, but Kasemen's,
    # whose operator sees why nothing can be sent to the camat yet; its units' answers wait
    # as drafts.
    heads = Keanggotaan.objects.aktif().filter(peran="kepala_opd").values("opd_id")
    assert list(Opd.objects.exclude(pk__in=heads).values_list("singkatan", flat=True)) == [
        "Kec. Kasemen"
    ]
    kasemen = Jawaban.objects.filter(wilayah__kode__startswith="36.73.02")
    assert kasemen.exists() and set(kasemen.values_list("status", flat=True)) == {"draft"}
    accounts = User.objects.filter(is_demo=True).count()

    tahun = TahunEvaluasi.objects.get(tahun=2024)
    assert tahun.dibuka and tahun.batas_waktu
    assert Pertanyaan.objects.filter(tahun=tahun).count() == 274
    assert not Pertanyaan.objects.filter(tahun=tahun).exclude(penugasan__utama=True).exists()
    states = dict(Jawaban.objects.values_list("status").annotate(n=Count("pk")))
    assert set(states) == {
        "draft",
        "menunggu_kepala",
        "menunggu_verifikasi",
        "terverifikasi",
        "dikembalikan",
    }
    assert Jawaban.objects.filter(wilayah__isnull=False).exists()
    assert Jawaban.objects.filter(opd__singkatan="Dinkes").count() >= 10
    evidence = Lampiran.objects.first()
    assert evidence.berkas.open("rb").read(5) == b"%PDF-"

    # The province of Banten: Cilegon sent its year, half accepted; Pandeglang's last answer
    # returned, leaving it 1 point short of Pratama, the one readiness moves on.
    from agencies.models import Wilayah
    from provinsi import dasbor

    isi = dasbor.baca(Wilayah.objects.get(kode="36"), tahun, timezone.localdate())
    baris = {b.kota.kode: b for b in isi.baris}
    assert set(baris) == {"36.01", "36.72", "36.73"}
    assert baris["36.72"].vp == {"diterima": 137, "menunggu": 137}
    assert baris["36.01"].vp == {"diterima": 273, "dikembalikan": 1}
    assert ("36.01", Decimal(1)) in [(b.kota.kode, kurang) for b, kurang in isi.provila.kurang]
    for username in ("admin.provinsi", "verifikator.provinsi", "operator.pandeglang"):
        assert User.objects.get(username=username).check_password("demo12345")

    # Running it again changes nothing.
    before = Jawaban.objects.count()
    call_command("muat_demo", stdout=StringIO())
    assert Jawaban.objects.count() == before
    assert User.objects.filter(is_demo=True).count() == accounts
