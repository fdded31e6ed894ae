"""A snapshot's detail (some 120 KB of JSON, written by every recompute and read by every score
page) compressed with lz4 instead of PostgreSQL's default pglz: about 1 ms less a write. Only
on PostgreSQL 14 and later built with lz4; elsewhere (SQLite, an older server) nothing changes."""

from django.db import migrations

KOMPRESI = """
DO $$
BEGIN
    EXECUTE 'ALTER TABLE clusters_skorsnapshot ALTER COLUMN rincian SET COMPRESSION {}';
EXCEPTION WHEN feature_not_supported OR syntax_error OR invalid_parameter_value THEN
    NULL;
END $$;
"""


def kompresi(cara: str):
    def ubah(apps, schema_editor):
        koneksi = schema_editor.connection
        if koneksi.vendor == "postgresql" and koneksi.pg_version >= 140000:
            schema_editor.execute(KOMPRESI.format(cara))

    return ubah


class Migration(migrations.Migration):
    dependencies = [("clusters", "0015_verifikasi_provinsi")]

    operations = [migrations.RunPython(kompresi("lz4"), kompresi("pglz"))]
