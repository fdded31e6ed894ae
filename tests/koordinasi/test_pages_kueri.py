"""The coordination pages whose query counts must not grow with the data: the effectiveness
panel, follow-ups, a meeting, the facility pages, each measured at two sizes."""

import datetime

from django.urls import reverse
from django.utils import timezone

from agencies.models import Fasilitas, JenisFasilitas, Wilayah
from koordinasi import services
from koordinasi.models import Rapat, TindakLanjut, Undangan
from tests.conftest import berkas, kota_uji
from tests.koordinasi.conftest import data_rapat

# --- Query counts of the other pages, at two sizes ----------------------------------------


def rapat_terlaksana(gugus, opd, n):
    """``n`` meetings held last month... this year, each with every agency's attendance and a
    follow-up, written in bulk."""
    awal = Rapat.objects.count()
    mulai = timezone.now() - datetime.timedelta(days=2)
    rapat = Rapat.objects.bulk_create(
        Rapat(
            gugus_tugas=gugus,
            judul=f"Rakor {awal + i}",
            mulai=mulai - datetime.timedelta(minutes=i),
            selesai=mulai + datetime.timedelta(hours=2),
            agenda="x",
            tempat="y",
            status=Rapat.Status.TERLAKSANA,
        )
        for i in range(n)
    )
    pola = ["hadir", "diwakili", "tidak_hadir"]
    Undangan.objects.bulk_create(
        Undangan(
            rapat=r,
            opd=o,
            kehadiran=pola[(i + j) % 3],
            diwakili_oleh=f"Wakil {i}" if pola[(i + j) % 3] == "diwakili" else "",
        )
        for i, r in enumerate(rapat)
        for j, o in enumerate(opd)
    )
    TindakLanjut.objects.bulk_create(
        TindakLanjut(rapat=r, keputusan=f"k{r.pk}", opd=opd[i % len(opd)], tenggat=r.mulai.date())
        for i, r in enumerate(rapat)
    )
    return rapat


def test_the_effectiveness_panel_query_count_does_not_grow(
    client, pimpinan, gugus_kota, dinkes, dinsos, anggota, django_assert_num_queries
):
    from decimal import Decimal

    from clusters import services as clusters_services
    from clusters.models import Indikator, Kelompok, Penugasan, Pertanyaan, TahunEvaluasi

    tahun = TahunEvaluasi.objects.create(tahun=timezone.localdate().year, dibuka=True)
    kelompok = Kelompok.objects.create(tahun=tahun, nama="KLASTER III", urutan=4)
    indikator = Indikator.objects.create(
        tahun=tahun,
        kelompok=kelompok,
        kode="Indikator 15",
        nama="x",
        urutan=1,
        nilai_max=Decimal(20),
    )

    def soal(opd, n, awal):
        for i in range(n):
            p = Pertanyaan.objects.create(
                tahun=tahun,
                indikator=indikator,
                kode=f"P{awal + i}",
                teks="x",
                urutan=awal + i,
                nilai_max=Decimal(1),
                lingkup=Pertanyaan.Lingkup.KABKOTA,
                cara_penilaian=Pertanyaan.CaraPenilaian.LANGSUNG,
            )
            Penugasan.objects.create(pertanyaan=p, opd=opd, utama=True)
        clusters_services.skor_hitung(tahun=tahun)

    soal(dinkes, 2, 0)
    rapat_terlaksana(gugus_kota, [dinkes, dinsos], 3)
    anggota("A", dinkes, terlatih=True)
    client.force_login(pimpinan)
    url = reverse("koordinasi:efektivitas")
    client.get(url)
    # the 6 of every page; the city served's task force, its meetings of the year, the
    # invitations to those held with their agencies, the follow-ups of its meetings with their
    # agencies, its seats with people, bodies, sub-teams and training; the year's evaluation,
    # its newest snapshot, the agencies it names with their extensions (2); the RAD plan
    # (none here)
    with django_assert_num_queries(16) as small:
        assert client.get(url).status_code == 200
    soal(dinsos, 30, 100)
    rapat_terlaksana(gugus_kota, [dinkes, dinsos], 60)
    for i in range(20):
        anggota(f"B{i}", dinsos, terlatih=i % 2 == 0)
    # the same queries with more questions, meetings and members
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_follow_up_list_and_page_query_counts_do_not_grow(
    client,
    sekretariat,
    operator_dinkes,
    gugus_kota,
    rapat_lalu,
    dinkes,
    dinsos,
    django_assert_num_queries,
):
    rapat_terlaksana(gugus_kota, [dinkes, dinsos], 3)
    tindak = services.tindak_lanjut_tambah(
        rapat=rapat_lalu,
        keputusan="Kirim data",
        opd=dinkes,
        tenggat=timezone.localdate(),
        by=sekretariat,
        kabari=False,
    )

    def bukti(n):
        for i in range(n):
            t = TindakLanjut.objects.get(pk=tindak.pk)
            services.tindak_lanjut_perbarui(
                tindak_lanjut=t,
                status="berjalan",
                hasil=f"langkah {i}",
                berkas=[berkas(f"bukti-{i}.pdf")],
                versi=t.versi,
                by=operator_dinkes,
            )

    bukti(2)
    daftar = reverse("koordinasi:tindak-lanjut") + "?status=semua"
    for orang in (sekretariat, operator_dinkes):
        client.force_login(orang)
        client.get(daftar)
        # the 6 of every page; the follow-ups with their agency and meeting; the agencies of
        # the filter (city-wide roles only)
        with django_assert_num_queries(8 if orang == sekretariat else 7) as small:
            assert client.get(daftar).status_code == 200
        rapat_terlaksana(gugus_kota, [dinkes, dinsos], 40)
        # the same queries with 40 more meetings and their follow-ups
        with django_assert_num_queries(len(small.captured_queries)):
            assert client.get(daftar).status_code == 200
    client.force_login(operator_dinkes)
    client.get(tindak.get_absolute_url())
    # the 6 of every page; the follow-up with its agency, meeting and last editor; its
    # evidence with who uploaded it; its history with who changed it
    with django_assert_num_queries(9) as small:
        assert client.get(tindak.get_absolute_url()).status_code == 200
    bukti(8)
    # the same queries with 8 more pieces of evidence
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(tindak.get_absolute_url()).status_code == 200


def test_the_meeting_page_query_count_does_not_grow(
    client, sekretariat, gugus_kota, django_assert_num_queries
):
    from tests.conftest import OpdFactory

    rapat = services.rapat_jadwalkan(
        gugus_tugas=gugus_kota,
        data=data_rapat("Rakor", hari=-1),
        opd=[OpdFactory(singkatan="P0")],
        by=sekretariat,
        kabari=False,
    )

    def tambah(n, awal):
        opd = [OpdFactory(singkatan=f"P{awal + i}") for i in range(n)]
        Undangan.objects.bulk_create(Undangan(rapat=rapat, opd=o) for o in opd)
        TindakLanjut.objects.bulk_create(
            TindakLanjut(rapat=rapat, keputusan=f"k{o.pk}", opd=o, tenggat=timezone.localdate())
            for o in opd
        )

    tambah(2, 1)
    client.force_login(sekretariat)
    client.get(rapat.get_absolute_url())
    # the 6 of every page; the meeting with its task force and editors; its invitations with
    # agencies and people; its follow-ups with agencies; the follow-ups again for the WhatsApp
    # summary; the agencies of the decision form
    with django_assert_num_queries(11) as small:
        assert client.get(rapat.get_absolute_url()).status_code == 200
    tambah(40, 100)
    # the same queries with 40 more invitations and follow-ups
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(rapat.get_absolute_url()).status_code == 200


def test_a_facility_unit_page_query_count_does_not_grow(
    client, operator_kasemen, kasemen, django_assert_num_queries
):
    jenis = list(JenisFasilitas.objects.all())
    kelurahan = list(kasemen.anak.all())
    client.force_login(operator_kasemen)
    url = reverse("koordinasi:fasilitas-unit", args=[kasemen.kode])
    Fasilitas.objects.bulk_create(
        Fasilitas(wilayah=kelurahan[0], jenis=j, status=1) for j in jenis if j.untuk_kelurahan
    )
    client.get(url)
    # the 6 of every page; the unit with its parent; the kinds; its own register with who
    # changed it; the units it may read among its kelurahan: the kinds, the units and their
    # register (baca_cakupan)
    with django_assert_num_queries(12) as small:
        assert client.get(url).status_code == 200
    Fasilitas.objects.bulk_create(
        Fasilitas(wilayah=w, jenis=j, status=2)
        for w in [kasemen, *kelurahan[1:]]
        for j in jenis
        if j.berlaku_untuk(w.tingkat)
    )
    # the same queries with every kind of unit in every kelurahan
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_facility_matrix_with_mapped_questions_query_count_does_not_grow(
    client, make_person, dp3a, indikator, kota_serang, django_assert_num_queries
):
    from decimal import Decimal

    from clusters.models import Jawaban, Penugasan, Pertanyaan

    patbm = JenisFasilitas.objects.get(kode="patbm")
    operator_dp3a = make_person("operator.dp3a", "operator_opd", opd=dp3a)

    def soal(n, awal):
        for i in range(n):
            p = Pertanyaan.objects.create(
                tahun=indikator.tahun,
                indikator=indikator,
                kode=f"KD {awal + i}",
                teks="Berapa persentase kelurahan yang memiliki PATBM?",
                urutan=awal + i,
                nilai_max=Decimal(1),
                lingkup=Pertanyaan.Lingkup.DESA_KELURAHAN,
                cara_penilaian=Pertanyaan.CaraPenilaian.CAKUPAN,
                jenis_fasilitas=patbm,
                tingkat_fasilitas=Wilayah.Tingkat.DESA_KELURAHAN,
            )
            Penugasan.objects.create(pertanyaan=p, opd=dp3a, utama=True)
            if i % 2:
                Jawaban.objects.create(
                    daerah=kota_uji(), pertanyaan=p, opd=dp3a, cakupan_persen=Decimal(5)
                )

    soal(2, 0)
    client.force_login(operator_dp3a)
    url = reverse("koordinasi:fasilitas")
    client.get(url)
    # the 6 of every page; the city's units: the kinds, the units of the person's city, the
    # register; the newest evaluation year; its mapped questions the agency may see with their
    # kinds and indicators; their city-level answers; their lead agencies
    with django_assert_num_queries(13) as small:
        response = client.get(url)
    assert len(response.context["usulan"]) == 2
    soal(30, 100)
    # the same queries with 30 more questions
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["usulan"]) == 32 and response.context["usulan"][0].boleh_terima
