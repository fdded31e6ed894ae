"""Writing the plan rows of a checked RAD file in bulk: every action held to aksi_simpan's rules
and given the same records (a new version, who saved, its history with the supporting agencies
as they were after each step, its yearly targets' history), written with bulk_create and
bulk_update: a few queries per PER_KUERI actions, whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kla_portal.impor import PER_KUERI, potong, riwayat_massal
from rencana_aksi import services
from rencana_aksi.impor.laporan import BarisAksi
from rencana_aksi.models import Aksi, AksiIndikator, PeriodeRad, TargetTahunan

BARU, UBAH = "+", "~"  # simple_history's history_type of a creation, of a change

Pendukung = Aksi.opd_pendukung.through
# The supporting agencies of an action as its history keeps them: (through row id, agency id).
Cuplikan = list[tuple[int, int]]


@dataclass
class _Siap:
    row: BarisAksi
    aksi: Aksi
    ubah: services.PerubahanAksi


class TulisAksi:
    """``siapkan`` holds a row to aksi_simpan's rules and gets its action ready (no query),
    writing every PER_KUERI actions ready; ``simpan`` writes those left. ``lama`` are the
    plan's actions the file changes, locked and read with what they hold
    (``keadaan.aksi_lengkap``); ``kode_ada`` every code of the plan."""

    def __init__(
        self,
        periode: PeriodeRad,
        by,
        *,
        lama: dict[int, Aksi],
        kode_ada: list[str],
        pesan_baris: Callable[[BarisAksi, str], str],
    ):
        self.periode = periode
        self.by = by
        self.lama = lama
        self.pesan_baris = pesan_baris
        self.sekarang = timezone.now()
        self.kode_ada: dict[str, list[str]] = defaultdict(list)
        for kode in sorted(kode_ada):
            self.kode_ada[kode.upper()].append(kode)
        self.siap: list[_Siap] = []

    def siapkan(self, row: BarisAksi) -> None:
        data = row.data
        services.periksa_data_aksi(self.periode, data)
        lain = [kode for kode in self.kode_ada[data.kode.upper()] if kode != data.kode]
        if lain:
            raise services.kode_mirip(data.kode, lain[0])
        aksi = self.lama[row.aksi.pk] if row.aksi is not None else None
        if aksi is None:
            aksi = Aksi(daerah_id=self.periode.daerah_id, periode=self.periode, kode=data.kode)
            aksi.versi = 0
            self.kode_ada[data.kode.upper()].append(data.kode)
        baru = aksi.pk is None
        berubah = services.isi_aksi(aksi, data)
        ubah = services.perubahan_aksi(aksi, data, baru=baru)
        if not (baru or berubah or ubah.ada):
            return
        aksi.versi += 1
        aksi.diubah_oleh = self.by
        aksi.diubah = self.sekarang
        self.siap.append(_Siap(row, aksi, ubah))
        if len(self.siap) >= PER_KUERI:
            self.simpan()  # a batch at a time: memory stays that of one batch

    def simpan(self) -> None:
        """Write the actions ready (then forget them)."""
        baru = [s.aksi for s in self.siap if s.aksi.pk is None]
        ada = [s.aksi for s in self.siap if s.aksi.pk is not None]
        if baru:
            try:
                with transaction.atomic():
                    Aksi.objects.bulk_create(baru, batch_size=PER_KUERI)
            except IntegrityError:
                raise ValidationError(self._ganda()) from None
        bidang = [f.name for f in Aksi._meta.concrete_fields if not f.primary_key]
        Aksi.objects.bulk_update(ada, bidang, batch_size=PER_KUERI)
        cuplikan = self._pendukung_sekarang(ada)
        # The save's history entry, with the supporting agencies as they were before the
        # change (as the history of a save records them).
        entri = [
            (
                s.aksi,
                BARU if s.row.aksi is None else UBAH,
                list(cuplikan[s.aksi.pk]),
            )
            for s in self.siap
        ]
        self._tulis_pendukung(cuplikan, entri)
        _riwayat_aksi(entri, self.by, self.sekarang)
        self._tulis_indikator()
        self._tulis_target()
        self.siap = []

    def _ganda(self) -> str:
        """The first new row whose code someone else created meanwhile."""
        siap = [s for s in self.siap if s.row.aksi is None]  # (a batch before may have ids)
        dibuat = set()
        for kode in potong([s.aksi.kode for s in siap]):
            dibuat.update(
                Aksi.objects.filter(periode=self.periode, kode__in=kode).values_list(
                    "kode", flat=True
                )
            )
        row = next((s.row for s in siap if s.aksi.kode in dibuat), siap[0].row)
        pesan = _("Aksi %(kode)s baru saja dibuat oleh orang lain; ulangi.") % {
            "kode": row.data.kode
        }
        return self.pesan_baris(row, pesan)

    @staticmethod
    def _pendukung_sekarang(ada: list[Aksi]) -> dict[int | None, Cuplikan]:
        cuplikan: dict[int | None, Cuplikan] = defaultdict(list)
        for ids in potong([aksi.pk for aksi in ada]):
            for pk, aksi_id, opd_id in Pendukung.objects.filter(aksi_id__in=ids).values_list(
                "pk", "aksi_id", "opd_id"
            ):
                cuplikan[aksi_id].append((pk, opd_id))
        return cuplikan

    def _tulis_pendukung(self, cuplikan: dict, entri: list) -> None:
        """The supporting agencies, as ``opd_pendukung.set`` changes them: those gone removed
        (a history entry after), those new added (another one after)."""
        hapus, tambah = [], []
        for s in self.siap:
            if s.ubah.pendukung is None:
                continue
            sekarang = cuplikan[s.aksi.pk]
            lepas = [(pk, opd) for pk, opd in sekarang if opd not in s.ubah.pendukung]
            if lepas:
                hapus.extend(pk for pk, _opd in lepas)
                sekarang = [item for item in sekarang if item not in lepas]
                entri.append((s.aksi, UBAH, list(sekarang)))
            ada_opd = {opd for _pk, opd in sekarang}
            baris = [
                Pendukung(aksi_id=s.aksi.pk, opd_id=o) for o in s.ubah.pendukung if o not in ada_opd
            ]
            if baris:
                tambah.append((s.aksi, sekarang, baris))
        for pks in potong(hapus):
            Pendukung.objects.filter(pk__in=pks).delete()
        Pendukung.objects.bulk_create(
            [b for _aksi, _sekarang, baris in tambah for b in baris], batch_size=PER_KUERI
        )
        for aksi, sekarang, baris in tambah:
            entri.append((aksi, UBAH, [*sekarang, *((b.pk, b.opd_id) for b in baris)]))

    def _tulis_indikator(self) -> None:
        hapus, tambah = [], []
        for s in self.siap:
            if s.ubah.indikator is None:
                continue
            kode, ada_kode = s.ubah.indikator
            if s.row.aksi is not None:
                hapus.extend(i.pk for i in s.aksi.indikator.all() if i.kode not in kode)
            tambah.extend(
                AksiIndikator(daerah_id=s.aksi.daerah_id, aksi=s.aksi, kode=k)
                for k in sorted(kode - ada_kode)
            )
        for pks in potong(hapus):
            AksiIndikator.objects.filter(pk__in=pks).delete()
        AksiIndikator.objects.bulk_create(tambah, batch_size=PER_KUERI)

    def _tulis_target(self) -> None:
        baru, ada = [], []
        for s in self.siap:
            for target in s.ubah.target:
                target.aksi = s.aksi
                target.daerah_id = s.aksi.daerah_id
                (ada if target.pk else baru).append(target)
        TargetTahunan.objects.bulk_create(baru, batch_size=PER_KUERI)
        TargetTahunan.objects.bulk_update(
            ada, ["target", "pagu", "sumber_dana"], batch_size=PER_KUERI
        )
        riwayat_massal(TargetTahunan, baru=baru, ubah=ada, by=self.by, waktu=self.sekarang)


def _riwayat_aksi(daftar: list[tuple[Aksi, str, Cuplikan]], by, sekarang) -> None:
    """The actions' history entries, each with its supporting agencies as simple_history's
    m2m history keeps them (a row per through row: its id, the action, the agency)."""
    model = Aksi.history.model
    entri = [
        model(
            history_date=sekarang,
            history_user=by,
            history_change_reason=None,
            history_type=jenis,
            **{f.attname: getattr(aksi, f.attname) for f in model.tracked_fields},
        )
        for aksi, jenis, _cuplikan in daftar
    ]
    model.objects.bulk_create(entri, batch_size=PER_KUERI)
    m2m = model._meta.get_field("historicalaksi_opd_pendukung").related_model
    m2m.objects.bulk_create(
        (
            m2m(history=h, id=pk, aksi_id=aksi.pk, opd_id=opd)
            for h, (aksi, _jenis, cuplikan) in zip(entri, daftar, strict=True)
            for pk, opd in cuplikan
        ),
        batch_size=PER_KUERI,
    )
