"""The secret addresses of calendar feeds."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from agencies.models import Opd, User
from koordinasi.models import TokenKalender


def token_kalender_ambil(*, user: User, opd: Opd | None = None) -> TokenKalender:
    """The secret address of a person's own calendar, or of the calendar of an agency they
    belong to (``opd``), made on first use. Refuses an agency the person does not belong to."""
    if opd is not None and opd.pk not in user.opd_ids():
        raise ValidationError(_("Anda bukan staf %(o)s.") % {"o": opd.singkatan})
    try:
        with transaction.atomic():
            token, _baru = TokenKalender.objects.get_or_create(user=user, opd=opd)
    except IntegrityError:  # made a moment ago by the same person in another tab
        token = TokenKalender.objects.get(user=user, opd=opd)
    return token


def token_kalender_ganti(*, token: TokenKalender) -> TokenKalender:
    """A new secret address; the old one stops working at once (a link that leaked)."""
    token.token = TokenKalender._meta.get_field("token").default()
    token.save(update_fields=["token", "berlaku_sejak"])
    return token
