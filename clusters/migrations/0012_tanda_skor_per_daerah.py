"""A year marked for a score recompute becomes marked for the kab/kota the installation served
(the first one served): the mark now belongs to each city's round of the year."""

from django.db import migrations

from agencies.daerah import KABKOTA


def pindahkan(apps, schema_editor):
    TahunEvaluasi = apps.get_model("clusters", "TahunEvaluasi")
    EvaluasiDaerah = apps.get_model("clusters", "EvaluasiDaerah")
    Wilayah = apps.get_model("agencies", "Wilayah")
    kota = (
        Wilayah.objects.filter(tingkat=KABKOTA, dilayani_sejak__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if kota is None:
        return
    for tahun_id, sejak in TahunEvaluasi.objects.filter(
        skor_perlu_dihitung_sejak__isnull=False
    ).values_list("pk", "skor_perlu_dihitung_sejak"):
        EvaluasiDaerah.objects.update_or_create(
            tahun_id=tahun_id, daerah_id=kota, defaults={"skor_perlu_dihitung_sejak": sejak}
        )


class Migration(migrations.Migration):
    dependencies = [("clusters", "0011_evaluasi_daerah")]

    operations = [migrations.RunPython(pindahkan, migrations.RunPython.noop, elidable=False)]
