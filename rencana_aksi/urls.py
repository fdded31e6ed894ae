"""The RAD KLA pages, under /rad/."""

from django.urls import path  # noqa: F401 - the pages are added below

app_name = "rencana_aksi"

urlpatterns: list = []
