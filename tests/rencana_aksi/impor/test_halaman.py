"""The RAD import pages (upload, preview, confirmation, templates, large files) and the command."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from kla_portal.models import Pekerjaan
from kla_portal.tabel import baca_tabel
from rencana_aksi import services, tasks
from rencana_aksi.models import Aksi, Realisasi
from rencana_aksi.views import impor as impor_views
from tests.rencana_aksi.impor.bantu import (
    PERIODE,
    T0,
    T1,
    VALID,
    D,
    besar,
    confirm,
    jumlah,
    realisasi_rows,
    run,
    upload,
    xlsx,
)

# --- The pages ------------------------------------------------------------------------------


def test_the_preview_shows_row_errors_and_offers_no_confirmation(
    client, periode, dinkes, dinsos, bappeda
):
    client.force_login(bappeda)
    response = upload(client, periode, xlsx([VALID[0], [*VALID[1][:9], -5, "APBD"]]))
    page = response.content.decode()
    assert "1 galat: berkas tidak dapat diimpor" in page
    assert f"pagu_{T1} -5 negatif." in page
    assert response.context.get("token") is None
    assert reverse("rencana_aksi:impor-konfirmasi", args=[periode.pk]) not in page
    assert jumlah() == (0, 0, 0)


def test_preview_then_confirm_writes_the_plan(client, periode, dinkes, dinsos, sekretariat):
    client.force_login(sekretariat)
    page = client.get(reverse("rencana_aksi:impor", args=[periode.pk])).content.decode()
    assert "Templat rencana dan target" in page and "Templat realisasi triwulan" in page
    preview = upload(client, periode, xlsx(VALID))
    assert "Yang akan ditulis" in preview.content.decode()
    assert "2 aksi baru, 0 diperbarui" in preview.content.decode()
    assert jumlah() == (0, 0, 0)  # nothing written by the preview

    done = confirm(client, periode, preview.context["token"])

    assert done.redirect_chain[-1][0] == reverse("rencana_aksi:aksi-list", args=[periode.pk])
    assert f"{PERIODE} diimpor. Aksi baru 2" in done.content.decode()
    assert jumlah() == (2, 2, 0)


def test_confirming_twice_writes_once_and_a_stale_token_is_refused(
    client, periode, dinkes, dinsos, bappeda
):
    client.force_login(bappeda)
    token = upload(client, periode, xlsx(VALID)).context["token"]
    assert (
        "Pratinjau ini sudah tidak berlaku" in confirm(client, periode, "0" * 32).content.decode()
    )
    token = upload(client, periode, xlsx(VALID)).context["token"]
    confirm(client, periode, token)
    history = Aksi.history.count()

    again = confirm(client, periode, token)

    assert "Pratinjau ini sudah tidak berlaku" in again.content.decode()
    assert Aksi.history.count() == history


def test_a_change_between_preview_and_confirmation_refuses_the_import(
    client, periode, aksi_dinkes, dinkes, dinsos, bappeda, operator_dinkes
):
    client.force_login(operator_dinkes)
    content = realisasi_rows(["A.1", T1, 1, 9, None, None])
    token = upload(client, periode, content).context["token"]
    services.realisasi_simpan(
        aksi=aksi_dinkes, tahun=T1, triwulan=1, by=operator_dinkes, versi=0, capaian=D(3)
    )

    response = confirm(client, periode, token)

    assert "Data RAD berubah sejak pratinjau" in response.content.decode()
    assert Realisasi.objects.get().capaian == D(3)


def test_an_operator_downloads_its_templates(
    client, periode, aksi_dinkes, aksi_dinsos, operator_dinkes
):
    client.force_login(operator_dinkes)
    url = reverse("rencana_aksi:impor", args=[periode.pk])
    page = client.get(url).content.decode()
    assert "Semua OPD" not in page  # no choice of agency for an operator

    plan = client.get(url, {"templat": "rencana", "opd": aksi_dinsos.opd_utama_id})
    assert plan["Content-Disposition"].startswith(f'attachment; filename="rad-rencana-{T0}-semua-')
    assert [r["kode_aksi"] for r in baca_tabel("t.xlsx", plan.content)] == ["A.1"]
    quarter = client.get(url, {"templat": "realisasi", "tahun": T1, "triwulan": 2})
    rows = baca_tabel("t.xlsx", quarter.content)
    assert [(r["kode_aksi"], r["tahun"], r["triwulan"], r["target"]) for r in rows] == [
        ("A.1", T1, "II", 50)
    ]
    assert (
        client.get(url, {"templat": "realisasi", "tahun": T0 + 9, "triwulan": 1}).status_code == 404
    )


def test_the_secretariat_downloads_one_agencys_template(
    client, periode, aksi_dinkes, aksi_dinsos, sekretariat
):
    client.force_login(sekretariat)
    url = reverse("rencana_aksi:impor", args=[periode.pk])
    assert "Semua OPD" in client.get(url).content.decode()
    every = baca_tabel("t.xlsx", client.get(url, {"templat": "rencana"}).content)
    assert [r["kode_aksi"] for r in every] == ["A.1", "B.1"]
    one = client.get(url, {"templat": "rencana", "opd": aksi_dinsos.opd_utama_id})
    assert [r["kode_aksi"] for r in baca_tabel("t.xlsx", one.content)] == ["B.1"]


@pytest.mark.parametrize("person", ["pimpinan", "kepala_dinkes", "operator_kasemen"])
def test_people_who_do_not_import_are_refused(client, request, periode, dinkes, dinsos, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("rencana_aksi:impor", args=[periode.pk])).status_code == 403
    assert upload(client, periode, xlsx(VALID)).status_code == 403
    assert confirm(client, periode, "0" * 32, follow=False).status_code == 403
    assert jumlah() == (0, 0, 0)


def test_a_large_file_is_queued_and_followed_on_its_job_page(
    client, periode, dinkes, bappeda, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(
        tasks.impor_rad, "apply_async", lambda args, task_id: queued.append((*args, task_id))
    )
    client.force_login(bappeda)
    preview = upload(client, periode, besar(impor_views.BATAS_BARIS_LANGSUNG + 1))
    assert "impor berjalan di latar" in preview.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, periode, preview.context["token"], follow=False)

    job = Pekerjaan.objects.get()
    assert response["Location"] == reverse("pekerjaan", args=[job.pk])
    assert (job.jenis, job.dibuat_oleh, job.status) == ("impor_rad", bappeda, "antre")
    assert job.judul == f"Impor rencana {PERIODE}: rad.xlsx"
    assert [(args[0], args[1], args[2], args[-1]) for args in queued] == [
        (job.pk, periode.pk, "rad.xlsx", job.task_id)
    ]
    assert jumlah() == (0, 0, 0)  # the worker writes it


@pytest.mark.django_db(transaction=True)
def test_a_large_file_confirmed_while_the_queue_is_down_says_so_and_its_job_ends_failed(
    client, periode, dinkes, bappeda, antrean_di_redis_sendiri
):
    from kla_portal.antrean import TIDAK_TERSEDIA

    client.force_login(bappeda)
    preview = upload(client, periode, besar(impor_views.BATAS_BARIS_LANGSUNG + 1))
    antrean_di_redis_sendiri.hentikan()

    response = confirm(client, periode, preview.context["token"])

    job = Pekerjaan.objects.get()
    assert response.redirect_chain == [(reverse("pekerjaan", args=[job.pk]), 302)]
    assert str(TIDAK_TERSEDIA) in response.content.decode()
    assert (job.status, job.pesan) == ("gagal", str(TIDAK_TERSEDIA))
    assert jumlah() == (0, 0, 0)


# --- The command ----------------------------------------------------------------------------


def test_the_command_checks_with_dry_run_and_imports_without(tmp_path, periode, dinkes, dinsos):
    path = tmp_path / "rad.xlsx"
    path.write_bytes(xlsx(VALID))

    checked = run(str(path), "--dry-run")
    assert f"{PERIODE}, rencana aksi: 2 baris: 2 aksi baru, 0 diperbarui" in checked
    assert "tidak ada yang ditulis" in checked
    assert jumlah() == (0, 0, 0)

    done = run(str(path), "--periode", str(T0))
    assert f"Diimpor ke {PERIODE}. Aksi baru 2" in done
    assert jumlah() == (2, 2, 0)
    assert "0 aksi baru, 0 diperbarui, 2 tidak berubah" in run(str(path))


def test_the_command_as_an_operator_is_scoped_to_its_agency(
    tmp_path, periode, aksi_dinkes, aksi_dinsos, operator_dinkes
):
    path = tmp_path / "realisasi.xlsx"
    path.write_bytes(realisasi_rows(["A.1", T1, 1, 5, None, None], ["B.1", T1, 1, 5, None, None]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Tidak diimpor"):
        call_command("import_rad", str(path), "--oleh", "operator.dinkes", stdout=out)
    assert "baris 3, kolom kode_aksi: Aksi B.1 bukan aksi OPD Anda" in out.getvalue()
    assert not Realisasi.objects.exists()


def test_the_command_refuses_an_unknown_period_or_a_person_who_may_not_import(
    tmp_path, periode, pimpinan
):
    path = tmp_path / "rad.xlsx"
    path.write_bytes(xlsx(VALID))
    with pytest.raises(CommandError, match=f"Periode RAD yang mulai {T0 + 10} belum ada"):
        run(str(path), "--periode", str(T0 + 10))
    with pytest.raises(CommandError, match="pimpinan tidak berhak mengimpor RAD"):
        run(str(path), "--oleh", "pimpinan")


def test_the_rad_import_refuses_a_workbook_that_unpacks_to_300_mb(client, sekretariat, periode):
    from tests.kla_portal.test_impor_bom import bom_300_mb

    before = jumlah()
    client.force_login(sekretariat)
    response = client.post(
        reverse("rencana_aksi:impor", args=[periode.pk]),
        {"berkas": SimpleUploadedFile("rad.xlsx", bom_300_mb())},
    )
    assert "rad.xlsx terlalu besar untuk diimpor" in response.content.decode()
    assert response.context.get("token") is None
    assert jumlah() == before
