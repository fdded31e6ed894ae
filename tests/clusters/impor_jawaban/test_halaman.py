"""The answers import pages: preview, confirmation, templates old and new."""

from decimal import Decimal

import pytest
from django.urls import reverse

from clusters import impor_jawaban, services
from clusters.models import (
    Indikator,
    Jawaban,
    Kelompok,
    Penugasan,
    Pertanyaan,
    TahunEvaluasi,
)
from kla_portal.tabel import baca_tabel
from tests.clusters.impor_jawaban.bantu import (
    IND,
    VALID,
    confirm,
    periksa,
    upload,
    xlsx,
)

# --- The pages ------------------------------------------------------------------------------


def test_the_preview_shows_row_errors_and_offers_no_confirmation(client, sekretariat, soal):
    client.force_login(sekretariat)
    response = upload(client, xlsx([VALID[0], [IND, "Pertanyaan 2", 9, None, None], VALID[2]]))
    page = response.content.decode()
    assert "1 galat: berkas tidak dapat diimpor" in page
    assert "Poin 9 melebihi nilai maksimum" in page
    assert response.context.get("token") is None
    assert reverse("clusters:impor-jawaban-konfirmasi", args=[2024]) not in page
    assert not Jawaban.objects.exists()


def test_preview_then_confirm_writes_the_answers(client, sekretariat, soal):
    client.force_login(sekretariat)
    preview = upload(client, xlsx(VALID))
    page = preview.content.decode()
    assert "Yang akan ditulis" in page
    assert "3 jawaban baru, 0 diperbarui" in page
    assert not Jawaban.objects.exists()  # nothing written by the preview

    done = confirm(client, preview.context["token"])

    assert "Jawaban 2024 diimpor. Jawaban baru 3" in done.content.decode()
    assert Jawaban.objects.count() == 3


def test_an_operator_confirms_and_lands_on_the_inbox(client, operator_dinkes, soal):
    client.force_login(operator_dinkes)
    tugas = client.get(reverse("clusters:tugas"))
    assert reverse("clusters:impor-jawaban", args=[2024]) in tugas.content.decode()
    preview = upload(client, xlsx(VALID[:1]))
    done = confirm(client, preview.context["token"])
    assert done.redirect_chain[-1][0] == reverse("clusters:tugas") + "?tahun=2024"
    assert Jawaban.objects.get().opd.singkatan == "Dinkes"


def test_confirming_twice_writes_once_and_says_why(client, sekretariat, soal):
    client.force_login(sekretariat)
    token = upload(client, xlsx(VALID)).context["token"]
    confirm(client, token)
    versions = dict(Jawaban.objects.values_list("pk", "versi"))

    again = confirm(client, token)

    assert "Pratinjau ini sudah tidak berlaku" in again.content.decode()
    assert dict(Jawaban.objects.values_list("pk", "versi")) == versions


def test_a_stale_token_is_refused(client, sekretariat, soal):
    client.force_login(sekretariat)
    upload(client, xlsx(VALID))
    response = confirm(client, "0" * 32)
    assert "Pratinjau ini sudah tidak berlaku" in response.content.decode()
    assert not Jawaban.objects.exists()


def test_a_year_closed_between_preview_and_confirmation_refuses_the_import(
    client, sekretariat, soal
):
    client.force_login(sekretariat)
    token = upload(client, xlsx(VALID)).context["token"]
    TahunEvaluasi.objects.filter(tahun=2024).update(dibuka=False)

    response = confirm(client, token)

    assert "Evaluasi KLA 2024 belum dibuka untuk pengisian" in response.content.decode()
    assert not Jawaban.objects.exists()


def test_a_change_between_preview_and_confirmation_refuses_the_import(
    client, sekretariat, operator_dinsos, soal
):
    client.force_login(sekretariat)
    token = upload(client, xlsx(VALID)).context["token"]
    services.jawaban_simpan(
        pertanyaan=soal[1], by=operator_dinsos, versi=0, poin_langsung=Decimal(1)
    )

    response = confirm(client, token)

    assert "Jawaban berubah sejak pratinjau" in response.content.decode()
    assert Jawaban.objects.count() == 1


@pytest.mark.parametrize("person", ["bappeda", "pimpinan", "operator_kasemen", "kepala_dinkes"])
def test_people_who_do_not_answer_may_not_import(client, request, soal, person):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("clusters:impor-jawaban", args=[2024])).status_code == 403
    assert upload(client, xlsx(VALID)).status_code == 403
    assert confirm(client, "0" * 32).status_code == 403
    assert not Jawaban.objects.exists()


def test_the_downloaded_template_goes_back_in_unchanged(client, sekretariat, operator_dinkes, soal):
    services.jawaban_simpan(pertanyaan=soal[0], by=operator_dinkes, versi=0, fraksi=Decimal("0.25"))
    client.force_login(sekretariat)
    detail = client.get(reverse("clusters:tahun-detail", args=[2024]))
    assert reverse("clusters:impor-jawaban", args=[2024]) in detail.content.decode()

    download = client.get(reverse("clusters:impor-jawaban", args=[2024]), {"templat": 1})

    assert download["Content-Disposition"].startswith('attachment; filename="jawaban-kla-2024-')
    rows = baca_tabel("templat.xlsx", download.content)
    assert [(r["kode_pertanyaan"], r["poin"], r["status"]) for r in rows] == [
        ("Pertanyaan 1", 2, "Draf"),
        ("Pertanyaan 2", None, "Belum dijawab"),
        ("Pertanyaan 3", None, "Belum dijawab"),
    ]
    laporan = upload(client, download.content).context["laporan"]
    assert (laporan.ada_galat, laporan.tidak_berubah, laporan.kosong) == (False, 1, 2)


def test_a_template_older_than_the_answer_does_not_undo_a_newer_save(
    sekretariat, operator_dinkes, soal
):
    first = services.jawaban_simpan(
        pertanyaan=soal[0], by=operator_dinkes, versi=0, fraksi=Decimal("0.25")
    )
    kolom, rows = impor_jawaban.templat(tahun=soal[0].tahun, pengguna=sekretariat)
    # Someone saves 6 points after the template was downloaded ...
    services.jawaban_simpan(
        pertanyaan=soal[0], by=operator_dinkes, versi=first.versi, fraksi=Decimal("0.75")
    )
    # ... and the old file comes back with that row changed by its reader to 8 points. (A row
    # left at its 2 points is untouched: see test_untouched_rows_of_a_stale_template_...)
    poin = kolom.index("poin")
    rows[0][poin] = 8
    laporan = periksa(xlsx(rows, kolom), soal[0].tahun, sekretariat)
    assert [(g.baris, g.kolom) for g in laporan.galat] == [(2, "versi_jawaban")]
    assert "sudah diubah sejak templat diunduh" in laporan.galat[0].pesan
    # Clearing the version cell says "overwrite it anyway".
    versi = kolom.index("versi_jawaban")
    rows[0][versi] = None
    assert not periksa(xlsx(rows, kolom), soal[0].tahun, sekretariat).ada_galat


def test_untouched_rows_of_a_stale_template_are_unchanged_and_skipped(
    client, sekretariat, operator_dinkes, soal
):
    """The secretariat downloads the template while Dinkes's answer holds 2 points; Dinkes
    then saves 6. The secretariat fills only Pertanyaan 2 (3,5 points) and leaves Dinkes's row
    as downloaded: that row is "tidak berubah", the file is not refused, and Dinkes's 6 stay."""
    first = services.jawaban_simpan(
        pertanyaan=soal[0], by=operator_dinkes, versi=0, fraksi=Decimal("0.25")
    )
    client.force_login(sekretariat)
    download = client.get(reverse("clusters:impor-jawaban", args=[2024]), {"templat": 1})
    services.jawaban_simpan(
        pertanyaan=soal[0], by=operator_dinkes, versi=first.versi, fraksi=Decimal("0.75")
    )
    rows = baca_tabel("templat.xlsx", download.content)
    kolom = list(rows[0])
    rows[1]["poin"] = 3.5  # Pertanyaan 2, the only row the secretariat changes
    preview = upload(client, xlsx([list(r.values()) for r in rows], kolom))

    laporan = preview.context["laporan"]
    assert not laporan.ada_galat
    assert (laporan.baru, laporan.tidak_berubah, laporan.kosong) == (1, 1, 1)
    assert [(d.baris, d.pertanyaan.kode) for d in laporan.tidak_berubah_basi] == [
        (2, "Pertanyaan 1")
    ]
    page = preview.content.decode()
    assert "1 jawaban baru, 0 diperbarui, 1 tidak berubah" in page
    assert "Tidak berubah: baris ini tidak Anda ubah" in page
    confirm(client, preview.context["token"])

    dinkes_answer = Jawaban.objects.get(pertanyaan=soal[0])
    assert (dinkes_answer.fraksi, dinkes_answer.poin_opd, dinkes_answer.versi) == (
        Decimal("0.75"),
        Decimal("6.00"),
        2,
    )
    assert Jawaban.objects.get(pertanyaan=soal[1]).poin_opd == Decimal("3.50")


def test_a_stale_row_equal_to_the_answer_as_it_is_now_is_unchanged(
    sekretariat, operator_dinkes, soal
):
    """Dinkes saved 6 after the download and the reader typed the same 6 into the row."""
    first = services.jawaban_simpan(
        pertanyaan=soal[0], by=operator_dinkes, versi=0, fraksi=Decimal("0.25")
    )
    kolom, rows = impor_jawaban.templat(tahun=soal[0].tahun, pengguna=sekretariat)
    services.jawaban_simpan(
        pertanyaan=soal[0], by=operator_dinkes, versi=first.versi, fraksi=Decimal("0.75")
    )
    rows[0][kolom.index("poin")] = 6
    laporan = periksa(xlsx(rows, kolom), soal[0].tahun, sekretariat)
    assert (laporan.ada_galat, laporan.tidak_berubah, len(laporan.tulis)) == (False, 1, 0)


def test_last_years_answers_carry_over_to_the_new_year(sekretariat, operator_dinkes, soal, dinkes):
    services.jawaban_simpan(pertanyaan=soal[0], by=operator_dinkes, versi=0, fraksi=Decimal("0.75"))
    # The same instrument codes in the next year, led by the same agency.
    baru = TahunEvaluasi.objects.create(tahun=2025, dibuka=True)
    kelompok = Kelompok.objects.create(tahun=baru, nama="KLASTER III", urutan=4)
    indikator = Indikator.objects.create(
        tahun=baru, kelompok=kelompok, kode=IND, nama="Kesehatan", urutan=1, nilai_max=20
    )
    pertanyaan = Pertanyaan.objects.create(
        tahun=baru,
        indikator=indikator,
        kode="Pertanyaan 1",
        teks="Apakah tersedia layanan?",
        urutan=1,
        nilai_max=8,
        lingkup="kabkota",
        cara_penilaian="opsi",
    )
    Penugasan.objects.create(pertanyaan=pertanyaan, opd=dinkes, utama=True)
    kolom, rows = impor_jawaban.templat(tahun=soal[0].tahun, pengguna=operator_dinkes)

    laporan = periksa(xlsx(rows, kolom), baru, operator_dinkes)
    services.jawaban_impor(tahun=baru, laporan=laporan, by=operator_dinkes)

    carried = Jawaban.objects.get(pertanyaan__tahun=baru)
    assert (carried.fraksi, carried.poin_opd, carried.status) == (
        Decimal("0.75"),
        Decimal("6.00"),
        "draft",
    )
