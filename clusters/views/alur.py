"""The view side of the shared approval workflow (clusters.alur): answers and RAD reports run
their steps from a POST the same way."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from clusters.forms import AlasanForm


def langkah(request, step, *, tujuan, success: str, **kwargs):
    """Run one step (a service taking ``by`` and ``versi``) with the version the page showed;
    say what happened, or why it was refused (nothing changed), and go back to ``tujuan``."""
    versi = request.POST.get("versi", "")
    try:
        step(by=request.user, versi=int(versi) if versi.isdigit() else None, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(tujuan)


def alasan(request) -> str:
    """The reason typed for a return or a reopening; empty when there is none."""
    form = AlasanForm(request.POST)
    return form.cleaned_data["alasan"] if form.is_valid() else ""
