"""Every existing record of this app belongs to the kab/kota the installation served."""

from django.db import migrations

from agencies.daerah import migrasi_isi_daerah


class Migration(migrations.Migration):
    dependencies = [("laporan", "0003_daerah"), ("agencies", "0008_isi_daerah")]

    operations = [migrasi_isi_daerah("laporan", "Bundel", "RaporOpd")]
