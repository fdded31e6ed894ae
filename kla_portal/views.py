from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kla_portal import beranda as beranda_selectors
from kla_portal import pekerjaan as pekerjaan_services
from kla_portal.api import masalah_json
from kla_portal.health import health_token_valid, run_checks
from kla_portal.models import Pekerjaan


@login_required
def beranda(request):
    """Greets the person with their roles and units, and shows what each of their roles has
    to do now (kla_portal.beranda), then what they may open."""
    isi = beranda_selectors.bagian(request.user, timezone.localdate())
    context = {"keanggotaan": request.user.keanggotaan_aktif, **vars(isi)}
    return render(request, "kla_portal/beranda.html", context)


@login_required
@never_cache
def pekerjaan(request, pk):
    """A background job's progress: the whole page, or (htmx poll) just its panel. Only the
    person who started it sees it; POST with ``batal`` asks to cancel, with ``ulangi`` starts
    a failed job again. A job whose worker is gone is shown (and marked) failed."""
    job = get_object_or_404(Pekerjaan, pk=pk, dibuat_oleh=request.user)
    if request.method == "POST" and "ulangi" in request.POST:
        try:
            baru = pekerjaan_services.ulangi(job, by=request.user)
        except ValidationError as e:
            messages.error(request, e.messages[0])
            return redirect(job)
        return redirect(baru)
    if request.method == "POST" and "batal" in request.POST:
        pekerjaan_services.minta_batal(job)
    elif not job.berakhir:
        pekerjaan_services.tandai_mati(job)
    job.refresh_from_db()
    if request.htmx and job.berakhir and request.GET.get("muat") == "1":
        # The page that shows this panel among other things (a list it adds a row to) reloads
        # itself, with the job's outcome as a message on top.
        _pesan_akhir(request, job)
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    template = "partials/pekerjaan.html" if request.htmx else "kla_portal/pekerjaan.html"
    return render(request, template, {"job": job, "muat_ulang": request.GET.get("muat") == "1"})


def _pesan_akhir(request, job: Pekerjaan) -> None:
    if job.status == Pekerjaan.Status.SELESAI:
        messages.success(request, f"{job.judul}: {job.hasil.get('ringkasan') or _('selesai.')}")
    elif job.status == Pekerjaan.Status.GAGAL:
        messages.error(request, f"{job.judul}: {job.pesan}")
    else:
        messages.info(request, _("%(judul)s dibatalkan.") % {"judul": job.judul})


@never_cache
@require_safe
def health(request):
    """200 when database, broker and a worker answer, 503 otherwise. Anonymous callers (a load
    balancer, the container healthcheck) learn only that; staff and a caller bringing
    HEALTH_TOKEN also learn which part is down and what runs (driver, broker)."""
    checks = run_checks()
    ok = all(check.ok for check in checks.values())
    body = {"status": "ok" if ok else "gagal"}
    if request.user.is_staff or health_token_valid(request):
        body["checks"] = {k: c.as_dict() for k, c in checks.items()}
    return JsonResponse(body, status=200 if ok else 503)


def tidak_ditemukan(request, exception=None):
    """handler404: an address under /api/ that matches no route is a problem+json like every
    other answer of the API; any other address gets the site's 404 page."""
    if request.path.startswith("/api/"):
        return masalah_json(404, _("Alamat ini tidak ada di API."))
    return defaults.page_not_found(request, exception)


def permintaan_rusak(request, exception=None):
    """handler400: a body Django cannot read (a multipart without its boundary) under /api/
    is a problem+json too."""
    if request.path.startswith("/api/"):
        return masalah_json(400, _("Isi permintaan tidak dapat dibaca."))
    return defaults.bad_request(request, exception)


def galat_server(request):
    """handler500: a fault under /api/ is a problem+json too. It cannot know whether a write
    committed before the fault, so it asks the client to read before sending again."""
    if request.path.startswith("/api/"):
        return masalah_json(
            500,
            _(
                "Terjadi kesalahan di server. Baca ulang datanya untuk melihat apakah "
                "perubahan Anda tersimpan sebelum mengirim lagi."
            ),
        )
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    """A stale or foreign form: say so in plain words, change nothing."""
    return render(request, "403_csrf.html", status=403)
