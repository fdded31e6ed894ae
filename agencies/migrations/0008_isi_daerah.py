"""The kab/kota an installation served before it could serve several (KLA_KABKOTA, else the
first one loaded) becomes its first served city, and every existing record of this app belongs
to it."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from agencies.daerah import KABKOTA, migrasi_isi_daerah


def tandai_kota(apps, schema_editor):
    Wilayah = apps.get_model("agencies", "Wilayah")
    kabkota = Wilayah.objects.filter(tingkat=KABKOTA)
    if kabkota.filter(dilayani_sejak__isnull=False).exists():
        return
    kota = kabkota.filter(kode=settings.KLA_KABKOTA).first() if settings.KLA_KABKOTA else None
    kota = kota or kabkota.order_by("pk").first()
    if kota is not None:
        kota.dilayani_sejak = timezone.localdate()
        kota.save(update_fields=["dilayani_sejak"])


class Migration(migrations.Migration):
    dependencies = [("agencies", "0007_daerah")]

    operations = [
        migrations.RunPython(tandai_kota, migrations.RunPython.noop, elidable=False),
        migrasi_isi_daerah(
            "agencies",
            "Opd",
            "Keanggotaan",
            "GugusTugas",
            "SkGugusTugas",
            "SubTim",
            "Personil",
            "AnggotaGugusTugas",
            "PelatihanKha",
            "Fasilitas",
        ),
    ]
