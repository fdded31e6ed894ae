from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from agencies import api as agencies_api
from agencies import views as agencies_views
from agencies.forms import AturSandiForm
from clusters import api as clusters_api
from kla_portal import dokumen_api, views
from koordinasi import api as koordinasi_api
from laporan import api as laporan_api
from rencana_aksi import api as rencana_aksi_api

# Each app's api module lists its viewsets (RUTE) and plain paths (URLS): kla_portal.api.
API = (agencies_api, clusters_api, rencana_aksi_api, koordinasi_api, laporan_api)
router = DefaultRouter()
for modul in API:
    for prefix, viewset, basename in modul.RUTE:
        router.register(prefix, viewset, basename=basename)

akun = [
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            template_name="registration/masuk.html", redirect_authenticated_user=True
        ),
        name="masuk",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="keluar"),
    path("sandi/ganti/", agencies_views.ganti_sandi, name="ganti-sandi"),
    path(
        "sandi/lupa/",
        auth_views.PasswordResetView.as_view(
            template_name="registration/sandi_lupa.html",
            email_template_name="registration/sandi_lupa_email.txt",
            subject_template_name="registration/sandi_lupa_subjek.txt",
            success_url=reverse_lazy("sandi-lupa-terkirim"),
        ),
        name="sandi-lupa",
    ),
    path(
        "sandi/lupa/terkirim/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="registration/sandi_lupa_terkirim.html"
        ),
        name="sandi-lupa-terkirim",
    ),
    path(
        "sandi/atur/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="registration/sandi_atur.html",
            form_class=AturSandiForm,
            success_url=reverse_lazy("sandi-atur-selesai"),
        ),
        name="sandi-atur",
    ),
    path(
        "sandi/atur/selesai/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="registration/sandi_atur_selesai.html"
        ),
        name="sandi-atur-selesai",
    ),
]

handler400 = views.permintaan_rusak
handler404 = views.tidak_ditemukan
handler500 = views.galat_server

urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("akun/", include(akun)),
    path("", include("agencies.urls")),
    path("evaluasi/", include("clusters.urls")),
    path("skor/", include("clusters.urls_skor")),
    path("rad/", include("rencana_aksi.urls")),
    path("koordinasi/", include("koordinasi.urls")),
    path("laporan/", include("laporan.urls")),
    path("provinsi/", include("provinsi.urls")),
    path("health/", views.health, name="health"),
    path("pekerjaan/<int:pk>/", views.pekerjaan, name="pekerjaan"),
    path("api/v1/", include([*router.urls, *(url for m in API for url in m.URLS)])),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", dokumen_api.swagger, name="api-docs"),
    path("api/redoc/", dokumen_api.redoc, name="api-redoc"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin-teknis/", admin.site.urls),
]
