from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("clusters", "0012_tanda_skor_per_daerah")]

    operations = [
        migrations.RemoveField(model_name="tahunevaluasi", name="skor_perlu_dihitung_sejak"),
    ]
