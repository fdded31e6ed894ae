from django.urls import path

from clusters import views

app_name = "clusters"

urlpatterns = [
    path("", views.tahun_list, name="tahun-list"),
    path("baru/", views.tahun_create, name="tahun-create"),
    path("pemetaan-opd/", views.pemetaan, name="pemetaan"),
    path("<int:tahun>/", views.tahun_detail, name="tahun-detail"),
    path("<int:tahun>/instrumen/", views.instrumen_unggah, name="instrumen-unggah"),
    path(
        "<int:tahun>/instrumen/konfirmasi/", views.instrumen_konfirmasi, name="instrumen-konfirmasi"
    ),
    path("<int:tahun>/penugasan/", views.penugasan, name="penugasan"),
]
