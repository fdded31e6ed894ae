"""Lock-and-version: how every record people edit refuses a form built from an older version.

A record people edit carries ``versi`` (grows by one at each save), ``diubah_oleh`` and
``diubah`` (auto_now). Its forms send back the version they were built from (a hidden field);
a write locks the row (``kunci``), refuses when the version moved on since (someone saved in
between: overwriting would lose their change) and saves with the next version (``simpan``).
Answers, quarterly reports, RAD actions, meetings and follow-ups are all kept this way. Shared
by every app, so it imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kla_portal.berkas import dibuang_bila_gagal

# %(nama)s is who saved last, %(waktu)s when; an app's own wording may leave either out.
PESAN_KEDALUWARSA = gettext_lazy(
    "Data ini sudah diubah oleh %(nama)s pada %(waktu)s, setelah Anda membuka "
    "halaman. Tidak ada yang disimpan: muat ulang halaman lalu ulangi."
)


# The history's change reason of a save that came with new evidence files.
ALASAN_BERKAS = "berkas"


class Kedaluwarsa(ValidationError):
    """The form was built from an older version: someone saved in between. ``versi`` is the
    current one, for a form shown again to carry (saving then knowingly replaces it)."""

    def __init__(self, message, *, versi: int):
        super().__init__(message)
        self.versi = versi


def periksa_versi(obj, versi: int | None, *, pesan=PESAN_KEDALUWARSA, konteks=None) -> None:
    """Refuse (Kedaluwarsa) when ``versi`` is given and is not the record's version; the
    message names who saved last and when (and what ``konteks`` adds, for the message's other
    placeholders). A record not saved yet has version 0."""
    if versi is None or versi == obj.versi:
        return
    raise Kedaluwarsa(
        pesan
        % {
            "nama": obj.diubah_oleh or _("orang lain"),
            "waktu": date_format(timezone.localtime(obj.diubah), "DATETIME_FORMAT"),
            **(konteks or {}),
        },
        versi=obj.versi,
    )


def kunci(
    model_or_qs,
    obj,
    versi: int | None = None,
    *,
    pesan=PESAN_KEDALUWARSA,
    berlaku: Callable[[models.Model], bool] | None = None,
):
    """Lock ``obj``'s row (in the caller's transaction) and return it as it is now, refusing
    a stale ``versi`` (None: no check). ``model_or_qs`` may be a queryset with the relations the
    caller reads; ``berlaku(locked)`` false skips the check (a workflow step that cannot start
    anyway says so itself, rather than that someone changed the record)."""
    qs = model_or_qs if isinstance(model_or_qs, models.QuerySet) else model_or_qs.objects.all()
    locked = qs.select_for_update(of=("self",)).select_related("diubah_oleh").get(pk=obj.pk)
    if berlaku is None or berlaku(locked):
        periksa_versi(locked, versi, pesan=pesan)
    return locked


def kunci_atau_baru(
    qs: models.QuerySet,
    baru: Callable[[], models.Model],
    versi: int | None,
    *,
    wajib: bool = True,
    pesan=PESAN_KEDALUWARSA,
    konteks=None,
):
    """The record a create-or-update save works on: the one ``qs`` finds, locked (in the
    caller's transaction), or a new one from ``baru()`` (version 0, not saved yet). Refuses a
    stale ``versi`` as ``kunci`` does. ``wajib``: the caller's form always sends its version,
    so a missing one is refused too (as stale) rather than taken as "overwrite whatever is
    there"; an import that checks its rows itself passes ``wajib=False``."""
    obj = qs.select_for_update(of=("self",)).select_related("diubah_oleh").first()
    if obj is None:
        obj = baru()
        obj.versi = 0
    if versi is None and wajib:
        versi = -1
    periksa_versi(obj, versi, pesan=pesan, konteks=konteks)
    return obj


def simpan(obj, oleh, fields: list[str] | None = None, *, ganda=None):
    """Save with the next version, stamped with who (``oleh``, also the history's user);
    ``fields`` None saves every field (a new record), else only those and the stamps. Returns
    ``obj``.

    ``ganda`` is what to say when the database refuses the record as a duplicate (a double
    submit, or two people creating it at the same moment): the save then runs in a savepoint,
    so the refusal is told as a ValidationError and the caller's transaction can go on."""
    obj.versi += 1
    obj.diubah_oleh = oleh
    obj._history_user = oleh
    if ganda is None:
        _tulis(obj, fields)
        return obj
    try:
        with transaction.atomic():
            _tulis(obj, fields)
    except IntegrityError:
        raise ValidationError(ganda) from None
    return obj


def simpan_dengan_berkas(obj, oleh, *, berkas, lampirkan, ganda=None, tulis=simpan):
    """Save a record as its form gave it (every field) with the form's new evidence files
    (``lampirkan(berkas)`` stores them and returns their records, as
    kla_portal.berkas.simpan_lampiran_semua does), in the caller's transaction: one new
    version, whose history says the evidence changed (ALASAN_BERKAS). A record not made yet is
    made first (version 1), then given its evidence (version 2), as when a file comes before
    any value. ``tulis`` is the record's own save when it does more than ``simpan``."""
    baru = obj.pk is None
    if berkas and not baru:  # the history says the evidence changed, beside any value that did
        obj._change_reason = ALASAN_BERKAS
    tulis(obj, oleh, None, ganda=ganda)
    if berkas:
        # The files are stored before the record's second save: a failure there leaves none.
        with dibuang_bila_gagal() as tersimpan:
            tersimpan.extend(lampiran.berkas for lampiran in lampirkan(berkas))
            if baru:
                obj._change_reason = ALASAN_BERKAS
                tulis(obj, oleh, [])
    obj.__dict__.pop("_change_reason", None)
    return obj


def _tulis(obj, fields: list[str] | None) -> None:
    if fields is None:
        obj.save()
    else:
        obj.save(update_fields=[*fields, "versi", "diubah_oleh", "diubah"])
