"""History entries of many rows written at once, copied by the database.

simple_history writes a history entry per save, from the saved object. A bulk write (an
import) writes its rows with bulk_create/bulk_update, then ``salin`` copies those rows into
their history table with one INSERT … SELECT per PER_KUERI rows: the same entry a save would
make (every tracked field as written, when, by whom, "+" or "~", no change reason), without
building an object per entry. Shared by every app, so it imports none of them.
"""

from __future__ import annotations

from django.db import connection, models

PER_KUERI = 500  # rows copied by one statement
BARU, UBAH = "+", "~"


def salin(model: type[models.Model], pks: list[int], *, jenis: str, oleh, waktu) -> None:
    """Copy the rows ``pks`` of ``model`` (as they are now) into its history, as entries of
    type ``jenis`` (BARU or UBAH) made at ``waktu`` by ``oleh`` (None: nobody)."""
    riwayat = model.history.model
    bidang = riwayat.tracked_fields
    qn = connection.ops.quote_name
    kolom = ", ".join(qn(riwayat._meta.get_field(f.name).column) for f in bidang)
    asal = ", ".join(qn(f.column) for f in bidang)
    waktu_db = connection.ops.adapt_datetimefield_value(waktu)
    oleh_id = oleh.pk if oleh is not None else None
    for awal in range(0, len(pks), PER_KUERI):
        bagian = pks[awal : awal + PER_KUERI]
        tempat = ", ".join(["%s"] * len(bagian))
        # Names from the models' _meta, quoted; every value is a parameter.
        sql = (
            f"INSERT INTO {qn(riwayat._meta.db_table)} ({kolom}, {qn('history_date')}, "  # noqa: S608
            f"{qn('history_change_reason')}, {qn('history_type')}, {qn('history_user_id')}) "
            f"SELECT {asal}, %s, NULL, %s, %s FROM {qn(model._meta.db_table)} "
            f"WHERE {qn(model._meta.pk.column)} IN ({tempat}) ORDER BY {qn(model._meta.pk.column)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [waktu_db, jenis, oleh_id, *bagian])
