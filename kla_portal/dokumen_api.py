"""The API's documentation pages: Swagger UI at /api/docs/ and ReDoc at /api/redoc/.

Both are served from drf-spectacular-sidecar's static files (no CDN) and run under the site's
CSP: Swagger UI loads its settings from its own address (``?script``) instead of an inline
script. ReDoc is started by static/js/dokumen_api.js; its page alone allows the ``<style>``
elements ReDoc makes: those of its components (styled-components) by this response's nonce,
handed to ReDoc's ``nonce`` option, and the two its bundle inserts as it loads, before any
option is read, by their hashes (an empty one and its scrollbar's CSS: the browser test fails
when an update of drf-spectacular-sidecar changes them); and its search worker, made from a
``blob:`` (``worker-src``). A person not logged in goes to the login
page first (the schema is for logged-in users).
"""

from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

swagger = login_required(
    SpectacularSwaggerSplitView.as_view(
        url_name="api-schema", template_name="api/swagger_ui.html", title="API Portal KLA"
    )
)

GAYA_BUNDEL_REDOC = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # an empty <style>
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # ReDoc 2.5.4's scrollbar
]

redoc = login_required(
    csp_update({"style-src": [NONCE, *GAYA_BUNDEL_REDOC], "worker-src": ["blob:"]})(
        SpectacularRedocView.as_view(
            url_name="api-schema", template_name="api/redoc.html", title="API Portal KLA"
        )
    )
)
