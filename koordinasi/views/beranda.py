from django.shortcuts import redirect

from agencies.decorators import perlu_izin


@perlu_izin("koordinasi.lihat_koordinasi")
def beranda(request):
    """The menu entry: leadership reads the effectiveness panel; everyone else the calendar."""
    if request.user.has_perm("koordinasi.lihat_efektivitas") and not request.user.has_perm(
        "koordinasi.kelola_rapat"
    ):
        return redirect("koordinasi:efektivitas")
    return redirect("koordinasi:kalender")
