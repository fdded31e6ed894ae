"""The view side of the shared approval workflow (clusters.alur): answers and RAD reports run
their steps from a POST the same way. After a head's, the secretariat's or Bappeda's step the
next item waiting for the same person opens ("3 lagi"), so a queue is worked through without
going back to it between items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from clusters.forms import AlasanForm


def langkah(request, step, *, tujuan, success: str, antrean=None, alamat=None, **kwargs):
    """Run one step (a service taking ``by`` and ``versi``) with the version the page showed;
    say what happened, or why it was refused (nothing changed), and go back to ``tujuan``.

    ``antrean``: what still waits for this person at the same step, in the queue's order (a
    queryset, read after the step, so the item just done has left it); when something is
    left, its page opens next (``alamat(record)``, or the record's own address), and the
    message says how many are left."""
    versi = request.POST.get("versi", "")
    try:
        step(by=request.user, versi=int(versi) if versi.isdigit() else None, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(tujuan)
    sisa = antrean.count() if antrean is not None else 0
    if sisa:
        berikut = antrean.first()
        tujuan = alamat(berikut) if alamat else berikut.get_absolute_url()
        lagi = ngettext(
            "%(n)s lagi menunggu Anda; ini berikutnya.",
            "%(n)s lagi menunggu Anda; ini berikutnya.",
            sisa,
        )
        success = f"{success} {lagi % {'n': sisa}}"
    messages.success(request, success)
    return redirect(tujuan)


def alasan(request) -> str:
    """The reason typed for a return or a reopening; empty when there is none."""
    form = AlasanForm(request.POST)
    return form.cleaned_data["alasan"] if form.is_valid() else ""


def langkah_view(
    ambil,
    jalankan,
    permission: str,
    step,
    success,
    *,
    dengan_alasan=False,
    izin=login_required,
    antrean=None,
):
    """A POST view running one step: ``ambil(request, pk, permission)`` finds the record the
    person may act on (404/403 otherwise), ``jalankan(request, record, step, success, **kw)``
    runs it (as ``langkah`` does, back to the record's page); ``dengan_alasan``: the step takes
    the reason typed; ``izin``: the decorator that guards the view before the record is read;
    ``antrean(request, record)``: what waits for this person at the same step (see ``langkah``).
    """

    @require_POST
    @izin
    def view(request, pk):
        record = ambil(request, pk, permission)
        kwargs = {"alasan": alasan(request)} if dengan_alasan else {}
        if antrean is not None:
            kwargs["antrean"] = antrean(request, record)
        return jalankan(request, record, step, str(success), **kwargs)

    return view
