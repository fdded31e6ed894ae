"""Nobody reads, changes or downloads another agency's or another area's answer by id; bad
files are refused in Indonesian and change nothing; pages cost the same at any size."""

from decimal import Decimal

import pytest
from django.urls import reverse

from agencies.models import Wilayah
from clusters import services
from clusters.models import Jawaban, Lampiran, Pertanyaan
from tests.conftest import PDF, _pertanyaan, berkas, kota_uji


def page(pertanyaan, unit=None) -> str:
    if unit is None:
        return reverse("clusters:pertanyaan-detail", args=[pertanyaan.pk])
    return reverse("clusters:pertanyaan-unit", args=[pertanyaan.pk, unit.kode])


@pytest.fixture
def dinkes_answer(operator_dinkes, soal_dinkes) -> Jawaban:
    jawaban = services.jawaban_simpan(
        pertanyaan=soal_dinkes, by=operator_dinkes, versi=0, fraksi=Decimal("0.5")
    )
    services.lampiran_tambah(pertanyaan=soal_dinkes, berkas=berkas(), by=operator_dinkes)
    return Jawaban.objects.get(pk=jawaban.pk)


def test_another_agency_cannot_read_change_or_download_an_answer(
    client, make_person, dp3a, dinkes_answer, soal_dinkes
):
    outsider = make_person("operator.dp3a", "operator_opd", opd=dp3a)
    lampiran = Lampiran.objects.get()
    client.force_login(outsider)
    assert client.get(page(soal_dinkes)).status_code == 404
    assert client.post(page(soal_dinkes), {"versi": 1, "fraksi": "1"}).status_code == 404
    assert (
        client.get(reverse("clusters:jawaban-detail", args=[dinkes_answer.pk])).status_code == 404
    )
    for step in ("kirim", "setujui", "tolak", "verifikasi", "kembalikan", "buka-kembali"):
        assert (
            client.post(reverse(f"clusters:jawaban-{step}", args=[dinkes_answer.pk])).status_code
            == 404
        ), step
    assert client.get(lampiran.get_absolute_url()).status_code == 404
    assert client.post(reverse("clusters:lampiran-lepas", args=[lampiran.pk])).status_code == 404
    assert Jawaban.objects.get().fraksi == Decimal("0.5")


def test_a_supporting_agency_reads_but_does_not_answer(
    client, operator_dinsos, dinkes_answer, soal_dinkes
):
    client.force_login(operator_dinsos)
    assert client.get(page(soal_dinkes)).status_code == 200
    assert client.get(Lampiran.objects.get().get_absolute_url()).status_code == 200
    assert client.post(page(soal_dinkes), {"versi": 1, "fraksi": "1"}).status_code == 403
    assert (
        client.post(reverse("clusters:jawaban-kirim", args=[dinkes_answer.pk])).status_code == 403
    )


def test_the_head_approves_but_the_operator_cannot_approve_its_own(
    client, operator_dinkes, kepala_dinkes, dinkes_answer
):
    services.jawaban_kirim(jawaban=dinkes_answer, by=operator_dinkes)
    client.force_login(operator_dinkes)
    assert (
        client.post(reverse("clusters:jawaban-setujui", args=[dinkes_answer.pk])).status_code == 403
    )
    assert (
        client.post(reverse("clusters:jawaban-verifikasi", args=[dinkes_answer.pk])).status_code
        == 403
    )


def test_the_evidence_download_is_the_file_itself(client, operator_dinkes, dinkes_answer):
    client.force_login(operator_dinkes)
    response = client.get(Lampiran.objects.get().get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content) == PDF


def test_a_kelurahan_operator_sees_only_their_kelurahan(
    client, lurah_cipare, make_person, cipare, soal_kelurahan
):
    other = Wilayah.objects.get(kode="36.73.02.1001")  # Kelurahan Kasemen
    tetangga = make_person("lurah.kasemen", "operator_wilayah", wilayah=other)
    services.jawaban_simpan(
        pertanyaan=soal_kelurahan, wilayah=other, by=tetangga, versi=0, fraksi=Decimal(1)
    )
    client.force_login(lurah_cipare)
    assert client.get(page(soal_kelurahan, cipare)).status_code == 200
    assert client.get(page(soal_kelurahan, other)).status_code == 404
    assert client.post(page(soal_kelurahan, other), {"versi": 1, "fraksi": "0"}).status_code == 404
    assert (
        client.get(reverse("clusters:jawaban-detail", args=[Jawaban.objects.get().pk])).status_code
        == 404
    )
    # and not the city-level questions of agencies
    city_question = _pertanyaan(soal_kelurahan.indikator, "Pertanyaan 9")
    assert client.get(page(city_question)).status_code == 404


def test_a_question_page_for_a_unit_needs_a_per_unit_question(
    client, sekretariat, cipare, soal_dinkes
):
    client.force_login(sekretariat)
    assert client.get(page(soal_dinkes, cipare)).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "laporan.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 60,
            "berkas program tidak boleh diunggah",
        ),
        (
            "foto.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "berkas SVG/HTML dapat berisi skrip",
        ),
        (
            "halaman.pdf",
            b"<!DOCTYPE html><html><script>x</script></html>",
            "berkas SVG/HTML dapat berisi skrip",
        ),
        ("kosong.pdf", b"", "kosong"),
        ("catatan.txt", b"sekadar teks", "isinya bukan PDF, JPG, PNG, XLSX atau DOCX"),
    ],
)
def test_a_bad_file_is_refused_in_indonesian_and_keeps_what_was_typed(
    client, operator_dinkes, soal_dinkes, name, content, message
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(operator_dinkes)
    response = client.post(
        page(soal_dinkes),
        {
            "versi": 0,
            "fraksi": "0.75",
            "catatan": "catatan yang diketik",
            "berkas": SimpleUploadedFile(name, content),
        },
    )
    text = response.content.decode()
    assert response.status_code == 400
    assert message in text
    assert "catatan yang diketik" in text
    assert not Jawaban.objects.exists()
    assert not Lampiran.objects.exists()


def test_a_name_that_climbs_folders_never_becomes_a_path(client, operator_dinkes, soal_dinkes):
    from django.core.exceptions import ValidationError

    # Django keeps only the last part of an uploaded name...
    client.force_login(operator_dinkes)
    client.post(
        page(soal_dinkes), {"versi": 0, "fraksi": "1", "berkas": berkas("../../etc/passwd.pdf")}
    )
    stored = Lampiran.objects.get()
    assert stored.nama_asli == "passwd.pdf"
    assert stored.berkas.name.startswith("lampiran/2024/") and ".." not in stored.berkas.name
    # ...and the check refuses such a name outright, from whatever file object it comes.
    import io

    from django.core.files import File

    from kla_portal.berkas import periksa_berkas

    with pytest.raises(ValidationError, match="tidak diizinkan: jangan memakai garis miring"):
        periksa_berkas(File(io.BytesIO(PDF), name="../rahasia.pdf"))


def test_a_file_over_the_limit_is_refused(client, operator_dinkes, soal_dinkes, settings):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(operator_dinkes)
    big = berkas("besar.pdf", PDF + b"0" * (1024 * 1024))
    response = client.post(page(soal_dinkes), {"versi": 0, "fraksi": "1", "berkas": big})
    # The size is written the Indonesian way.
    assert "besar.pdf terlalu besar (1,0 MB); batasnya 1 MB." in response.content.decode()
    assert not Lampiran.objects.exists()


def test_a_file_named_pdf_is_stored_under_a_random_name(operator_dinkes, soal_dinkes):
    lampiran = services.lampiran_tambah(
        pertanyaan=soal_dinkes, berkas=berkas("Surat Keputusan.pdf"), by=operator_dinkes
    )
    assert lampiran.nama_asli == "Surat Keputusan.pdf"
    assert lampiran.berkas.name.startswith("lampiran/2024/")
    assert "Surat" not in lampiran.berkas.name
    assert lampiran.berkas.name.endswith(".pdf")


# --- Query counts at two sizes ---------------------------------------------------------------


def grow(indikator, dp3a, n_questions: int) -> None:
    """Per-kelurahan questions answered by all 67 kelurahan: n × 67 answers."""
    from clusters.models import Penugasan

    kelurahan = list(Wilayah.objects.desa_kelurahan())
    start = Pertanyaan.objects.count()
    for i in range(n_questions):
        pertanyaan = _pertanyaan(
            indikator,
            f"Tambahan {start + i}",
            lingkup=Pertanyaan.Lingkup.DESA_KELURAHAN,
            cara_penilaian="cakupan",
        )
        Penugasan.objects.create(pertanyaan=pertanyaan, opd=dp3a, utama=True)
        Jawaban.objects.bulk_create(
            Jawaban(
                daerah=kota_uji(),
                pertanyaan=pertanyaan,
                wilayah=w,
                fraksi=Decimal(1),
                status="menunggu_verifikasi",
            )
            for w in kelurahan
        )


def grow_waiting(indikator, lead, n_questions: int) -> None:
    """n city-level questions led by ``lead``, each answered and waiting for the head."""
    from clusters.models import Penugasan

    start = Pertanyaan.objects.count()
    for i in range(n_questions):
        pertanyaan = _pertanyaan(indikator, f"Antre {start + i}", wajib_lampiran=False)
        Penugasan.objects.create(pertanyaan=pertanyaan, opd=lead, utama=True)
        Jawaban.objects.create(
            daerah=kota_uji(),
            pertanyaan=pertanyaan,
            opd=lead,
            fraksi=Decimal(1),
            status="menunggu_kepala",
        )


@pytest.mark.parametrize("who", ["operator_dinkes", "kepala_dinkes", "lurah_cipare", "sekretariat"])
def test_task_pages_cost_the_same_with_10_and_1000_answers(
    client,
    request,
    who,
    indikator,
    dinkes,
    dp3a,
    soal_dinkes,
    soal_kelurahan,
    django_assert_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person = request.getfixturevalue(who)
    client.force_login(person)
    url = reverse("clusters:antrean-verifikasi" if who == "sekretariat" else "clusters:tugas")
    Jawaban.objects.bulk_create(
        Jawaban(
            daerah=kota_uji(),
            pertanyaan=soal_kelurahan,
            wilayah=w,
            fraksi=Decimal(1),
            status="menunggu_verifikasi",
        )
        for w in Wilayah.objects.desa_kelurahan()[:10]
    )
    grow_waiting(indikator, dinkes, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(indikator, dp3a, 15)  # 15 × 67 = 1,005 more answers for the kelurahan and the queue
    grow_waiting(indikator, dinkes, 40)  # more of Dinkes's own rows, waiting for its head
    assert Jawaban.objects.count() > 1000
    # session, user, memberships, year, questions with their answers and lead agencies,
    # extensions, the head's waiting list, menu permissions, unread notifications
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    if who == "kepala_dinkes":
        assert len(response.context["menunggu"]) == 42


def test_the_question_page_costs_the_same_with_10_and_1000_answers(
    client,
    sekretariat,
    indikator,
    dp3a,
    soal_kelurahan,
    lurah_cipare,
    cipare,
    django_assert_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.jawaban_simpan(
        pertanyaan=soal_kelurahan, wilayah=cipare, by=lurah_cipare, versi=0, fraksi=Decimal(1)
    )
    client.force_login(sekretariat)
    url = page(soal_kelurahan)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    grow(indikator, dp3a, 15)
    Jawaban.objects.bulk_create(
        Jawaban(daerah=kota_uji(), pertanyaan=soal_kelurahan, wilayah=w, fraksi=Decimal(0))
        for w in Wilayah.objects.desa_kelurahan().exclude(pk=cipare.pk)
    )
    # session, user, memberships, the question with its year and indicator, its assignments
    # with agencies, its answers with kelurahan and kecamatan, its lead agencies, kecamatan,
    # the count of kelurahan and of verified answers, the assignments again, the answers per
    # kelurahan, the kecamatan again, 2 permissions, unread notifications (16)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


# --- Found in review --------------------------------------------------------------------------


def test_area_staff_see_units_but_not_the_lead_agencys_own_answer(
    client, make_person, dp3a, lurah_cipare, camat_serang, soal_kelurahan
):
    operator = make_person("operator.dp3a", "operator_opd", opd=dp3a)
    services.jawaban_simpan(
        pertanyaan=soal_kelurahan, by=operator, versi=0, cakupan_persen=Decimal(3)
    )
    services.lampiran_tambah(
        pertanyaan=soal_kelurahan, berkas=berkas("rekap-dp3a.pdf"), by=operator
    )
    city = Jawaban.objects.get(wilayah__isnull=True)
    for person in (lurah_cipare, camat_serang):
        client.force_login(person)
        assert client.get(page(soal_kelurahan)).status_code == 404
        assert client.get(reverse("clusters:jawaban-detail", args=[city.pk])).status_code == 404
        assert client.get(Lampiran.objects.get().get_absolute_url()).status_code == 404


def test_a_kecamatan_operator_reads_but_does_not_answer_for_a_kelurahan(
    client, make_person, cipare, soal_kelurahan
):
    kecamatan = Wilayah.objects.get(kode="36.73.01")
    operator = make_person("operator.kec.serang", "operator_wilayah", wilayah=kecamatan)
    client.force_login(operator)
    assert client.get(page(soal_kelurahan, cipare)).status_code == 200
    assert client.post(page(soal_kelurahan, cipare), {"versi": 0, "fraksi": "1"}).status_code == 403
    assert not Jawaban.objects.exists()


def test_a_kelurahan_operator_cannot_download_another_units_evidence(
    client, make_person, lurah_cipare, soal_kelurahan
):
    other = Wilayah.objects.get(kode="36.73.02.1001")
    tetangga = make_person("lurah.kasemen", "operator_wilayah", wilayah=other)
    lampiran = services.lampiran_tambah(
        pertanyaan=soal_kelurahan, wilayah=other, berkas=berkas(), by=tetangga
    )
    client.force_login(lurah_cipare)
    assert client.get(lampiran.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("clusters:jawaban-detail", args=[1]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("masuk"))
