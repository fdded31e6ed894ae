"""Notices written before they were a to-do list (0004): those about an answer or a RAD report
that has changed since are done, as they would have been had the step closed them (a step
always writes the record, and sends a new notice when someone has something to do next)."""

import re

from django.db import migrations

JAWABAN = re.compile(r"^/evaluasi/jawaban/(\d+)/$")
LAPORAN = re.compile(r"^/rad/aksi/(\d+)/(\d+)/(\d+)/$")


def tutup(apps, schema_editor):
    Notifikasi = apps.get_model("agencies", "Notifikasi")
    Jawaban = apps.get_model("clusters", "Jawaban")
    Realisasi = apps.get_model("rencana_aksi", "Realisasi")
    terbuka = Notifikasi.objects.filter(selesai__isnull=True, dibaca__isnull=True)
    selesai = []
    for n in terbuka.filter(tautan__regex=JAWABAN.pattern).only("pk", "tautan", "dibuat"):
        diubah = (
            Jawaban.objects.filter(pk=JAWABAN.match(n.tautan)[1])
            .values_list("diubah", flat=True)
            .first()
        )
        if diubah is not None and diubah > n.dibuat:
            selesai.append((n.pk, diubah))
    for n in terbuka.filter(tautan__regex=LAPORAN.pattern).only("pk", "tautan", "dibuat"):
        aksi, tahun, triwulan = LAPORAN.match(n.tautan).groups()
        diubah = (
            Realisasi.objects.filter(aksi_id=aksi, tahun=tahun, triwulan=triwulan)
            .values_list("diubah", flat=True)
            .first()
        )
        if diubah is not None and diubah > n.dibuat:
            selesai.append((n.pk, diubah))
    for pk, pada in selesai:
        Notifikasi.objects.filter(pk=pk).update(selesai=pada)


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0004_notifikasi_tugas"),
        ("clusters", "0006_skor_perlu_dihitung_sejak"),
        ("rencana_aksi", "0005_realisasi_antrean_tinjauan"),
    ]

    operations = [migrations.RunPython(tutup, migrations.RunPython.noop)]
