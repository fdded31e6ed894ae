"""A year's score as the API shows it: read from the newest snapshot (clusters.rincian),
sliced to what the reader may see as the score pages do (clusters.dasbor.Lingkup)."""

from __future__ import annotations

from rest_framework import serializers


def _angka(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=2, **kwargs)


def _skala(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=12, decimal_places=4, **kwargs)


class SkorPoinSerializer(serializers.Serializer):
    """Maximum and the three totals of one level."""

    max = _angka()
    mandiri = _angka(help_text="Poin yang diisi OPD, apa pun status jawabannya.")
    verifikasi = _angka(help_text="Poin verifikator, hanya untuk jawaban terverifikasi.")
    berbukti = _angka(help_text="Poin mandiri yang data dukung wajibnya sudah terlampir.")


class SkorSkalaSerializer(serializers.Serializer):
    max = _skala()
    mandiri = _skala()
    verifikasi = _skala()
    berbukti = _skala()


class SkorHilangSerializer(SkorPoinSerializer):
    """A level's figures and the points it loses."""

    belum_diklaim = _angka(help_text="Maksimum dikurangi poin mandiri.")
    tanpa_bukti = _angka(help_text="Poin mandiri tanpa data dukung wajib.")
    berisiko = _angka(help_text="Total poin yang hilang: maksimum dikurangi poin berbukti.")


class SkorSnapshotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    data_per = serializers.DateTimeField(help_text="Saat data yang dihitung dibaca.")
    dihitung = serializers.DateTimeField()


class SkorAmbangSerializer(serializers.Serializer):
    """A category band: the category starts at ``poin_min``."""

    nama = serializers.CharField()
    poin_min = _angka()


class SkorTotalSerializer(serializers.Serializer):
    """One of the three totals with its category and the distance to the next one."""

    kunci = serializers.ChoiceField(choices=["mandiri", "berbukti", "verifikasi"])
    label = serializers.CharField()
    poin = _angka()
    persen = _angka(help_text="Persen dari nilai maksimum.")
    kategori = serializers.CharField(
        allow_null=True, help_text="Null: belum mencapai kategori terendah."
    )
    kategori_berikut = serializers.CharField(
        allow_null=True, help_text="Null: sudah di kategori tertinggi."
    )
    kurang = _angka(help_text="Poin yang masih diperlukan untuk kategori berikutnya.")


# A level's name comes before its figures: the names are bases listed first.


class _KelompokNama(serializers.Serializer):
    id = serializers.IntegerField()
    nama = serializers.CharField()
    urutan = serializers.IntegerField()


class KelompokSkorSerializer(_KelompokNama, SkorPoinSerializer):
    """A group's figures: the city's, or the reader's agencies' part of it."""


class _IndikatorNama(serializers.Serializer):
    id = serializers.IntegerField()
    kode = serializers.CharField()
    nama = serializers.CharField()
    kelompok_id = serializers.IntegerField()
    nilai_max_indikator = _angka()


class IndikatorSkorSerializer(_IndikatorNama, SkorHilangSerializer):
    """An indicator's capped figures (or the reader's agencies' shares of them) and the points
    it loses."""

    dibatasi = SkorPoinSerializer(
        allow_null=True,
        help_text=(
            "Jumlah poin pertanyaannya sebelum dibatasi pada nilai maksimum indikator; null "
            "bila tidak dibatasi atau pada bagian OPD."
        ),
    )


class _PertanyaanNama(serializers.Serializer):
    id = serializers.IntegerField()
    kode = serializers.CharField()
    teks = serializers.CharField()
    indikator_id = serializers.IntegerField()
    opd_id = serializers.IntegerField(allow_null=True, help_text="OPD penanggung jawab.")
    lingkup = serializers.CharField()
    status = serializers.CharField(help_text='Status jawaban tingkat kota; "belum": belum ada.')
    status_label = serializers.CharField()


class PertanyaanSkorSerializer(_PertanyaanNama, SkorPoinSerializer):
    """A question's own figures (before its indicator's cap), its share of the capped
    indicator (``skala``) and the state of its city-level answer."""

    skala = SkorSkalaSerializer(help_text="Bagian pertanyaan dari indikatornya yang dibatasi.")
    cakupan_persen = _angka(allow_null=True)
    terjawab = serializers.BooleanField()
    diverifikasi = serializers.BooleanField()
    kurang_bukti = serializers.BooleanField()
    wajib_lampiran = serializers.BooleanField()
    bisa_diperbaiki = serializers.BooleanField(
        help_text="OPD masih dapat mengubahnya (belum dijawab, draf, dikembalikan)."
    )
    dapat_diraih = _angka(help_text="Poin berbukti yang masih dapat diraih.")


class _OpdNama(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="Null: tanpa OPD penanggung jawab.")
    singkatan = serializers.CharField()
    nama = serializers.CharField()


class OpdSkorSerializer(_OpdNama, SkorHilangSerializer):
    """A lead agency's figures (its questions' shares of their capped indicators) and the
    points it loses."""


class SkorSerializer(serializers.Serializer):
    """A year's newest score. ``total`` and ``totals`` are the city's, for everyone; groups,
    indicators, questions and agencies are the city's for city-wide roles, and for an agency
    its own questions' shares of their capped indicators (as the score pages show them)."""

    tahun = serializers.IntegerField()
    snapshot = SkorSnapshotSerializer()
    sedang_dihitung = serializers.BooleanField(
        help_text="Ada perubahan yang belum masuk angka ini; angka baru menyusul."
    )
    seluruh_kota = serializers.BooleanField(
        help_text="Rincian seluruh kota (true) atau hanya bagian OPD pembaca (false)."
    )
    total = SkorPoinSerializer()
    totals = SkorTotalSerializer(many=True)
    kategori = SkorAmbangSerializer(many=True)
    kelompok = KelompokSkorSerializer(many=True)
    indikator = IndikatorSkorSerializer(many=True)
    pertanyaan = PertanyaanSkorSerializer(many=True)
    opd = OpdSkorSerializer(many=True, help_text="Poin yang hilang per OPD, terbesar dahulu.")


class SkorTrenSerializer(serializers.Serializer):
    """A year's newest totals, for the trend across years."""

    tahun = serializers.IntegerField()
    data_per = serializers.DateTimeField()
    mandiri = _angka()
    verifikasi = _angka()
    berbukti = _angka()
    kategori_mandiri = serializers.CharField(allow_null=True)
    kategori_verifikasi = serializers.CharField(allow_null=True)
    kategori_berbukti = serializers.CharField(allow_null=True)
    sedang = serializers.BooleanField(
        help_text="Tahun ini masih diverifikasi (dibuka, atau ada jawaban yang menunggu)."
    )


class SkorHarianSerializer(serializers.Serializer):
    data_per = serializers.DateTimeField()
    mandiri = _angka()
    verifikasi = _angka()
    berbukti = _angka()
