"""Queries whose SQL is built once per process.

Building a queryset's SQL (its expressions, joins and conditions) can cost more in Python than
the database takes to run it: the RAD's dashboard figures (rencana_aksi.pemantauan) and the
score recompute's reads (clusters.services.skor) are read often, with the same SQL each time.
``baca_tersimpan`` and ``baris_tersimpan`` build it once per key, whatever it depends on, then
run it straight through a cursor, converting the values as Django would.
"""

from __future__ import annotations

import threading

from django.db import connections

_SQL_TERSIMPAN: dict[tuple, tuple[str, tuple, list[str], list]] = {}
_SQL_KUNCI = threading.Lock()
SQL_TERSIMPAN_PALING_BANYAK = 64  # each some tens of kilobytes; the oldest goes when full


def _tersimpan(kunci: tuple, bangun) -> tuple[str, tuple, list[str], list]:
    tersimpan = _SQL_TERSIMPAN.get(kunci)
    if tersimpan is None:
        qs = bangun()
        compiler = qs.query.get_compiler(qs.db)
        sql, params = compiler.as_sql()
        q = qs.query  # the columns' names, as ValuesIterable reads them
        nama = list(q.selected or [*q.extra_select, *q.values_select, *q.annotation_select])
        # The database's values made Python's (decimals on SQLite), as Django would.
        ubah = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
        tersimpan = (sql, tuple(params), nama, list(ubah.items()))
        with _SQL_KUNCI:
            while len(_SQL_TERSIMPAN) >= SQL_TERSIMPAN_PALING_BANYAK:
                _SQL_TERSIMPAN.pop(next(iter(_SQL_TERSIMPAN)))
            _SQL_TERSIMPAN[kunci] = tersimpan
    return tersimpan


def baris_tersimpan(kunci: tuple, bangun) -> list:
    """The rows (tuples, the values converted as Django converts them) of the ``values()`` or
    ``values_list()`` queryset ``bangun()`` makes, its SQL built once per ``kunci``: whatever
    the SQL depends on, the database alias first (then, for instance, the SQL and parameters
    of the rows read, the years, the day, the filters: kunci_sql)."""
    sql, params, _nama, ubah = _tersimpan(kunci, bangun)
    koneksi = connections[kunci[0]]
    with koneksi.cursor() as cursor:
        cursor.execute(sql, params)
        hasil = cursor.fetchall()
    if not ubah or not hasil:
        return hasil
    # Column by column: a call per value, without rebuilding each row.
    kolom = list(zip(*hasil, strict=True))
    for posisi, (fungsi, ekspresi) in ubah:
        nilai = kolom[posisi]
        for f in fungsi:
            nilai = [f(v, ekspresi, koneksi) for v in nilai]
        kolom[posisi] = nilai
    return list(zip(*kolom, strict=True))


def baca_tersimpan(kunci: tuple, bangun) -> list[dict]:
    """``baris_tersimpan``'s rows as dicts by the columns' names."""
    nama = _tersimpan(kunci, bangun)[2]
    return [dict(zip(nama, baris, strict=True)) for baris in baris_tersimpan(kunci, bangun)]


def kunci_sql(qs, *lain) -> tuple:
    """``baca_tersimpan``'s key for a query built on ``qs``: its database, SQL and parameters,
    and ``lain``."""
    sql, params = qs.query.sql_with_params()
    return (qs.db, sql, tuple(params), *lain)
