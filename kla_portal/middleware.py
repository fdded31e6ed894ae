from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """Send a person holding a temporary password to the change form before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.wajib_ganti_sandi:
            allowed = (reverse("ganti-sandi"), reverse("keluar"), "/static/", "/health/")
            if not request.path.startswith(allowed):
                return redirect("ganti-sandi")
        return self.get_response(request)
