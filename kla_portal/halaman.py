"""One page of a long list, read from the database (templates/partials/halaman.html shows the
links). The total comes with the rows as a window count, so a page costs one query whatever
the size of the list, as the query-count tests of the lists expect."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window

PER_HALAMAN = 50


def halaman_dari(request, queryset: QuerySet, *, per_halaman: int = PER_HALAMAN) -> Page:
    """The page asked by ``?halaman=`` (nonsense is the first page, past the end the last),
    with ``tautan`` (the address's other parameters) and ``rentang`` (the page numbers, long
    runs elided) for the links. Not for DISTINCT querysets (the window would count the rows
    before they are made distinct)."""
    paginator = Paginator(queryset, per_halaman)
    nomor = request.GET.get("halaman", "")
    nomor = max(int(nomor), 1) if nomor.isascii() and nomor.isdigit() and len(nomor) < 7 else 1
    awal = (nomor - 1) * per_halaman
    baris = list(queryset.annotate(jumlah_semua=Window(Count("*")))[awal : awal + per_halaman])
    if baris or nomor == 1:
        paginator.count = baris[0].jumlah_semua if baris else 0
        halaman = Page(baris, nomor, paginator)
    else:
        halaman = paginator.get_page(nomor)  # past the end: the last page, counted apart
    return tautan_halaman(halaman, request.GET)


def tautan_halaman(halaman: Page, get) -> Page:
    """``halaman`` (a Django Page, however it was read) with what the partial reads:
    ``tautan``, the address's other parameters, and ``rentang``, the page numbers with long
    runs elided."""
    query = get.copy()
    query.pop("halaman", None)
    query.pop("unduh", None)
    halaman.tautan = query.urlencode()
    halaman.rentang = list(halaman.paginator.get_elided_page_range(halaman.number, on_each_side=2))
    return halaman
