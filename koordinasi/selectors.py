"""Reads that assemble the coordination pages. Views parse the request, call one of these and
render; writes stay in koordinasi.services."""

from __future__ import annotations

from agencies.fasilitas import Cakupan
from clusters import selectors as clusters_selectors
from clusters.models import Jawaban, Penugasan, Pertanyaan, TahunEvaluasi


def usulan_matriks(*, user, cakupan: Cakupan) -> tuple[TahunEvaluasi | None, list]:
    """The newest evaluation year and the coverage the register proposes for its Kelana-Dekela
    questions the person may read, each marked ``boleh_terima`` (the person may accept it as
    the lead agency's draft answer) and ``boleh_buka`` (the city-level answer's page opens for
    them). One query for the assignments besides the proposals' own."""
    tahun = TahunEvaluasi.objects.terkini()
    if tahun is None:
        return None, []
    soal = Pertanyaan.objects.visible_to(user).filter(tahun=tahun)
    usulan = clusters_selectors.usulan_kelana_dekela(soal, kabkota=user.daerah, cakupan=cakupan)
    utama, ditugasi = {}, {}
    for pertanyaan_id, opd_id, adalah_utama in Penugasan.objects.filter(
        pertanyaan__in=[u.pertanyaan.pk for u in usulan]
    ).values_list("pertanyaan_id", "opd_id", "utama"):
        ditugasi.setdefault(pertanyaan_id, set()).add(opd_id)
        if adalah_utama:
            utama[pertanyaan_id] = opd_id
    seluruh_kota = user.has_perm("agencies.view_seluruh_kota")
    for u in usulan:
        calon = u.jawaban or Jawaban(pertanyaan=u.pertanyaan, opd_id=utama.get(u.pertanyaan.pk))
        u.boleh_terima = user.has_perm("clusters.isi_jawaban", calon) and calon.bisa_diubah
        # The city-level answer's page opens for city-wide roles and assigned agencies only
        # (a camat reads the per-unit answers, not the agency's): no link to a 404.
        u.boleh_buka = seluruh_kota or bool(ditugasi.get(u.pertanyaan.pk, set()) & user.opd_ids())
    return tahun, usulan
