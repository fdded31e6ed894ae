"""The facility register: who records what, coverage against a hand count, and the
Kelana-Dekela proposal the lead agency may accept."""

import csv
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies import services as agencies_services
from agencies.models import Fasilitas, JenisFasilitas, Wilayah
from clusters import services as clusters_services
from clusters.models import Jawaban, Penugasan, Pertanyaan
from tests.conftest import PDF, PNG, berkas

# Kota Serang (Kepmendagri 2025): Serang 12 kelurahan, Kasemen 10, 67 in the city, 6 kecamatan.
SERANG, KASEMEN = "36.73.01", "36.73.02"
ADA, SK, BELUM = 1, 2, 0


def catat(kode, jenis, status, by, **values):
    return agencies_services.fasilitas_simpan(
        wilayah=Wilayah.objects.get(kode=kode),
        jenis=JenisFasilitas.objects.get(kode=jenis),
        status=status,
        nomor_sk="400/1/2025" if status >= SK else "",
        versi=Fasilitas.objects.filter(wilayah__kode=kode, jenis__kode=jenis).first().versi
        if Fasilitas.objects.filter(wilayah__kode=kode, jenis__kode=jenis).exists()
        else 0,
        by=by,
        **values,
    )


def form(status=ADA, versi=0, prefix="patbm", **values):
    data = {"status": status, "nomor_sk": "", "tanggal_sk": "", "keterangan": "", "versi": versi}
    return {f"{prefix}-{k}": v for k, v in (data | values).items()}


def test_a_lurah_records_only_their_own_kelurahan(client, lurah_cipare, cipare, kota_serang):
    client.force_login(lurah_cipare)
    url = reverse("koordinasi:fasilitas-simpan", args=[cipare.kode, "patbm"])
    foto = berkas("patbm.png", PNG)
    response = client.post(url, form(keterangan="PATBM Cipare Bersatu", foto=foto))
    assert response.status_code == 302
    f = Fasilitas.objects.get()
    assert (f.wilayah, f.status, f.keterangan, f.foto_nama) == (
        cipare,
        ADA,
        "PATBM Cipare Bersatu",
        "patbm.png",
    )
    # Another kelurahan of the same kecamatan, and the kecamatan itself: not found.
    tetangga = Wilayah.objects.get(kode="36.73.01.1001")
    for kode in (tetangga.kode, SERANG):
        assert client.get(reverse("koordinasi:fasilitas-unit", args=[kode])).status_code == 404
        post = client.post(reverse("koordinasi:fasilitas-simpan", args=[kode, "patbm"]), form())
        assert post.status_code == 404
    assert Fasilitas.objects.count() == 1
    # The list page takes the lurah straight to their kelurahan.
    assert client.get(reverse("koordinasi:fasilitas"))["Location"] == reverse(
        "koordinasi:fasilitas-unit", args=[cipare.kode]
    )


def test_a_kecamatan_operator_records_its_kelurahan_and_agencies_only_read(
    client, operator_kasemen, operator_dinkes, kota_serang
):
    kel = Wilayah.objects.filter(induk__kode=KASEMEN).first()
    client.force_login(operator_kasemen)
    url = reverse("koordinasi:fasilitas-simpan", args=[kel.kode, "forum_anak"])
    assert client.post(url, form(prefix="forum_anak")).status_code == 302
    client.force_login(operator_dinkes)
    assert client.get(reverse("koordinasi:fasilitas-unit", args=[kel.kode])).status_code == 200
    assert client.post(url, form(prefix="forum_anak", versi=1)).status_code == 403


@pytest.mark.parametrize(
    ("values", "pesan"),
    [
        ({"status": SK}, "Tuliskan nomor SK"),
        ({"foto": berkas("foto.png", PDF)}, "Foto harus berupa JPG atau PNG"),
        ({"berkas_sk": berkas("sk.pdf", b"<html><script>x</script>")}, "SVG/HTML"),
        ({"tanggal_sk": "2999-01-01", "status": SK, "nomor_sk": "1"}, "masa depan"),
        ({"versi": 5}, "sudah diubah oleh"),
    ],
)
def test_a_wrong_record_is_refused_and_changes_nothing(client, lurah_cipare, cipare, values, pesan):
    client.force_login(lurah_cipare)
    url = reverse("koordinasi:fasilitas-simpan", args=[cipare.kode, "patbm"])
    response = client.post(url, form(**values))
    assert response.status_code == 400
    assert pesan in response.content.decode()
    assert not Fasilitas.objects.exists()


def test_a_kind_is_recorded_only_at_its_level(sekretariat, kota_serang):
    with pytest.raises(ValidationError, match="tidak dicatat untuk kecamatan"):
        catat(SERANG, "patbm", ADA, sekretariat)


@pytest.fixture
def register(sekretariat, kota_serang):
    """PATBM formed in Cipare, decreed in a Kasemen kelurahan, and recorded as none in another
    Serang kelurahan; a no-smoking area only formed (it counts from SK) in Cipare; a kecamatan
    Forum Anak in Serang."""
    kasemen_kel = Wilayah.objects.filter(induk__kode=KASEMEN).order_by("kode").first()
    catat("36.73.01.1002", "patbm", ADA, sekretariat)
    catat(kasemen_kel.kode, "patbm", SK, sekretariat)
    catat("36.73.01.1001", "patbm", BELUM, sekretariat)
    catat("36.73.01.1002", "ktr", ADA, sekretariat)
    catat(SERANG, "forum_anak", SK, sekretariat)


def test_the_coverage_matrix_equals_the_hand_count(client, pimpinan, register):
    client.force_login(pimpinan)
    response = client.get(reverse("koordinasi:fasilitas"))
    kelurahan, kecamatan = response.context["tabel"]
    kolom = [k.label for k in kelurahan.kolom]
    baris = {r["sel"][0]: dict(zip(kolom, r["sel"], strict=True)) for r in kelurahan.baris}
    assert baris["Serang"]["Kel./desa"] == 12
    assert baris["Serang"]["PATBM"] == Decimal("8.33")  # 1 of 12
    assert baris["Kasemen"]["PATBM"] == Decimal("10.00")  # 1 of 10
    assert baris["Serang"]["KTR"] == Decimal("0.00")  # formed only; counts from SK
    assert baris["Seluruh kota"]["PATBM"] == Decimal("2.99")  # 2 of 67
    kolom = [k.label for k in kecamatan.kolom]
    baris = {r["sel"][0]: dict(zip(kolom, r["sel"], strict=True)) for r in kecamatan.baris}
    assert baris["Serang"]["Forum Anak"] == "SK" and baris["Kasemen"]["Forum Anak"] == "–"
    assert baris["Kecamatan yang memiliki"]["Forum Anak"] == "1/6"
    unduh = client.get(reverse("koordinasi:fasilitas") + "?unduh=cakupan-kelurahan")
    assert unduh["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "<svg" in response.context["grafik"]


def baris_instrumen(indikator: str, kode: str) -> dict:
    with open("clusters/data/instrumen_kla_2024.csv", encoding="utf-8") as handle:
        return next(
            r
            for r in csv.DictReader(handle)
            if r["indikator_kode"] == indikator and r["pertanyaan_kode"] == kode
        )


@pytest.fixture
def soal_patbm(indikator, dp3a):
    """Indikator 26 Pertanyaan 15 of the 2024 instrument, word for word, led by DP3AP2KB."""
    row = baris_instrumen("Indikator 26", "Pertanyaan 15")
    p = Pertanyaan.objects.create(
        tahun=indikator.tahun,
        indikator=indikator,
        kode=row["pertanyaan_kode"],
        teks=row["pertanyaan_teks"],
        urutan=15,
        nilai_max=Decimal(row["nilai_max"]),
        lingkup=Pertanyaan.Lingkup.DESA_KELURAHAN,
        cara_penilaian=Pertanyaan.CaraPenilaian.CAKUPAN,
    )
    Penugasan.objects.create(pertanyaan=p, opd=dp3a, utama=True)
    return p


def test_questions_are_mapped_from_the_instrument_words(indikator, soal_patbm, kota_serang):
    forum = baris_instrumen("Indikator 25", "Pertanyaan 2")
    kec = Pertanyaan.objects.create(
        tahun=indikator.tahun,
        indikator=indikator,
        kode="K2",
        teks=forum["pertanyaan_teks"],
        urutan=2,
        nilai_max=Decimal("1.25"),
        lingkup=Pertanyaan.Lingkup.KECAMATAN,
        cara_penilaian=Pertanyaan.CaraPenilaian.CAKUPAN,
    )
    ila_bukan = Pertanyaan.objects.create(  # "kelurahan" holds "ila" but not as a word
        tahun=indikator.tahun,
        indikator=indikator,
        kode="X",
        teks="Berapa persentase kelurahan yang memiliki profil anak?",
        urutan=3,
        nilai_max=Decimal(1),
        lingkup=Pertanyaan.Lingkup.DESA_KELURAHAN,
        cara_penilaian=Pertanyaan.CaraPenilaian.CAKUPAN,
    )
    assert clusters_services.fasilitas_usulkan_pemetaan(tahun=indikator.tahun) == 2
    for p in (soal_patbm, kec, ila_bukan):
        p.refresh_from_db()
    assert (soal_patbm.jenis_fasilitas.kode, soal_patbm.tingkat_fasilitas) == ("patbm", 4)
    assert (kec.jenis_fasilitas.kode, kec.tingkat_fasilitas) == ("forum_anak", 3)
    assert ila_bukan.jenis_fasilitas is None


def test_the_kelana_dekela_proposal_equals_the_hand_coverage_and_the_owner_accepts_it(
    client, register, soal_patbm, operator_dinkes, make_person, dp3a, sekretariat
):
    clusters_services.fasilitas_usulkan_pemetaan(tahun=soal_patbm.tahun)
    operator_dp3a = make_person("operator.dp3a", "operator_opd", opd=dp3a)
    client.force_login(operator_dp3a)
    usulan = client.get(reverse("koordinasi:fasilitas")).context["usulan"]
    assert [(u.pertanyaan, u.ada, u.dari, u.persen) for u in usulan] == [
        (soal_patbm, 2, 67, Decimal("2.99"))  # by hand: Cipare and one Kasemen kelurahan
    ]
    assert usulan[0].boleh_terima and usulan[0].boleh_buka
    url = reverse("koordinasi:usulan-terima", args=[soal_patbm.pk])
    client.post(url, {"versi": 0})
    jawaban = Jawaban.objects.get(pertanyaan=soal_patbm, wilayah=None)
    assert (jawaban.cakupan_persen, jawaban.status) == (Decimal("2.99"), "draft")
    assert jawaban.poin_opd == Decimal("0.30")  # 10 points × 2,99%
    assert "2 dari 67 kelurahan/desa memiliki PATBM" in jawaban.catatan
    # A page from before that save is refused (stale), and another agency may not accept.
    assert client.post(url, {"versi": 0}).status_code == 302
    assert Jawaban.objects.get(pk=jawaban.pk).versi == jawaban.versi
    client.force_login(operator_dinkes)
    assert client.post(url, {"versi": jawaban.versi}).status_code == 404


def test_the_secretariat_changes_which_kind_counts_a_question(client, sekretariat, soal_patbm):
    client.force_login(sekretariat)
    ila = JenisFasilitas.objects.get(kode="ila")
    client.post(reverse("koordinasi:pemetaan", args=[soal_patbm.pk]), {"jenis": ila.pk})
    soal_patbm.refresh_from_db()
    assert soal_patbm.jenis_fasilitas == ila
    puskesmas = JenisFasilitas.objects.get(kode="puskesmas")  # counted per kecamatan only
    client.post(reverse("koordinasi:pemetaan", args=[soal_patbm.pk]), {"jenis": puskesmas.pk})
    soal_patbm.refresh_from_db()
    assert soal_patbm.jenis_fasilitas == ila


def test_a_refused_record_leaves_no_file_in_storage(client, settings, lurah_cipare, cipare):
    client.force_login(lurah_cipare)
    url = reverse("koordinasi:fasilitas-simpan", args=[cipare.kode, "patbm"])
    # A good decree file with a photo that is not one: nothing is kept, not even the decree.
    response = client.post(
        url,
        form(status=SK, nomor_sk="1", berkas_sk=berkas("sk.pdf"), foto=berkas("foto.png", PDF)),
    )
    assert response.status_code == 400
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def test_two_first_saves_at_once_are_refused_by_the_database(
    lurah_cipare, cipare, settings, monkeypatch
):
    from django.db import IntegrityError, transaction
    from django.db.models import QuerySet

    jenis = JenisFasilitas.objects.get(kode="patbm")
    agencies_services.fasilitas_simpan(
        wilayah=cipare, jenis=jenis, status=ADA, versi=0, by=lurah_cipare
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Fasilitas.objects.create(wilayah=cipare, jenis=jenis, status=ADA)
    # The second of two first saves did not see the first one's row; the database refuses it,
    # with a message, and its photo is not kept.
    monkeypatch.setattr(QuerySet, "first", lambda self: None)
    with pytest.raises(ValidationError, match="baru saja disimpan orang lain"):
        agencies_services.fasilitas_simpan(
            wilayah=cipare,
            jenis=jenis,
            status=SK,
            nomor_sk="2",
            foto=berkas("foto.png", PNG),
            versi=0,
            by=lurah_cipare,
        )
    monkeypatch.undo()
    assert Fasilitas.objects.get().status == ADA
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def test_a_second_task_force_for_one_area_is_refused_by_the_database(
    sekretariat, kasemen, kota_serang, monkeypatch
):
    from django.db.models import QuerySet

    from agencies.models import GugusTugas

    agencies_services.gugus_tugas_buat(wilayah=kasemen, by=sekretariat)
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with pytest.raises(ValidationError, match="sudah memiliki Gugus Tugas"):
        agencies_services.gugus_tugas_buat(wilayah=kasemen, by=sekretariat)
    monkeypatch.undo()
    assert GugusTugas.objects.filter(wilayah=kasemen).count() == 1


@pytest.mark.parametrize("versi", ["²", "abc", "99999999999999999999"])
def test_accepting_a_proposal_with_a_nonsense_version_is_refused_as_stale(
    client, register, soal_patbm, make_person, dp3a, versi
):
    clusters_services.fasilitas_usulkan_pemetaan(tahun=soal_patbm.tahun)
    client.force_login(make_person("operator.dp3a", "operator_opd", opd=dp3a))
    url = reverse("koordinasi:usulan-terima", args=[soal_patbm.pk])
    assert client.post(url, {"versi": versi}).status_code == 302
    assert not Jawaban.objects.filter(pertanyaan=soal_patbm).exists()


def test_a_camat_reads_the_proposals_without_links_to_pages_they_cannot_open(
    client, register, soal_patbm, camat_serang
):
    clusters_services.fasilitas_usulkan_pemetaan(tahun=soal_patbm.tahun)
    client.force_login(camat_serang)
    response = client.get(reverse("koordinasi:fasilitas"))
    [usulan] = response.context["usulan"]
    assert not usulan.boleh_buka and not usulan.boleh_terima
    assert soal_patbm.get_absolute_url() not in response.content.decode()
    assert client.get(soal_patbm.get_absolute_url()).status_code == 404
