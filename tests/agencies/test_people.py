"""The secretariat manages accounts and memberships from inside the portal."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agencies import services
from agencies.models import Keanggotaan, Opd, Peran, User

TODAY = timezone.localdate()


def test_secretariat_creates_an_operator_account_for_an_agency(client, sekretariat, dinsos):
    client.force_login(sekretariat)
    response = client.post(
        reverse("agencies:pengguna-create"),
        {
            "username": "Operator.Dinsos2",
            "nama_lengkap": "Yuni Kartika",
            "email": "yuni@example.go.id",
            "peran": Peran.OPERATOR_OPD,
            "opd": dinsos.pk,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Akun untuk Yuni Kartika sudah dibuat" in page
    user = User.objects.get(username="operator.dinsos2")
    assert user.wajib_ganti_sandi
    password = response.context["password"]
    assert password in page
    assert user.check_password(password)
    assert user.opd_ids() == {dinsos.pk}
    assert user.has_role(Peran.OPERATOR_OPD)


def test_a_double_submit_does_not_create_two_accounts(client, sekretariat, dinsos):
    client.force_login(sekretariat)
    data = {
        "username": "operator.baru",
        "nama_lengkap": "Operator Baru",
        "peran": Peran.OPERATOR_OPD,
        "opd": dinsos.pk,
    }
    client.post(reverse("agencies:pengguna-create"), data)
    second = client.post(reverse("agencies:pengguna-create"), data)
    assert "Nama pengguna operator.baru sudah dipakai" in second.content.decode()
    assert User.objects.filter(username="operator.baru").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"peran": Peran.OPERATOR_OPD}, "Peran ini membutuhkan OPD."),
        (
            {"peran": Peran.OPERATOR_WILAYAH},
            "Pilih kecamatan atau kelurahan/desa untuk operator wilayah.",
        ),
        ({"peran": Peran.OPERATOR_OPD, "username": "a b"}, "Gunakan huruf, angka, titik"),
        ({"peran": Peran.OPERATOR_OPD, "nip": "123"}, "NIP terdiri atas 18 angka."),
        ({"peran": "raja"}, "Masukkan pilihan yang valid. raja bukan salah satu"),
    ],
)
def test_a_wrong_account_form_says_what_is_wrong_and_creates_nothing(
    client, sekretariat, kota_serang, data, message
):
    client.force_login(sekretariat)
    before = User.objects.count()
    response = client.post(
        reverse("agencies:pengguna-create"),
        {"username": "calon.operator", "nama_lengkap": "Calon Operator"} | data,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == before


def test_secretariat_registers_a_new_agency(client, sekretariat):
    client.force_login(sekretariat)
    response = client.post(
        reverse("agencies:opd-create"),
        {"nama": "Dinas Pemadam Kebakaran", "singkatan": "Damkar", "jenis": Opd.Jenis.DINAS},
    )
    opd = Opd.objects.get(singkatan="Damkar")
    assert response.status_code == 302
    assert response["Location"] == opd.get_absolute_url()
    assert opd.history.first().history_user == sekretariat


def test_a_short_name_is_unique_whatever_its_case(client, sekretariat, dinkes):
    client.force_login(sekretariat)
    response = client.post(
        reverse("agencies:opd-create"),
        {"nama": "Dinas Kesehatan Lain", "singkatan": "DINKES", "jenis": "dinas"},
    )
    assert "sudah" in response.content.decode()
    assert Opd.objects.filter(singkatan__iexact="dinkes").count() == 1


def test_a_kecamatan_agency_needs_its_kecamatan(sekretariat):
    with pytest.raises(ValidationError, match="Pilih kecamatan"):
        services.opd_buat(
            nama="Kecamatan X", singkatan="Kec. X", jenis=Opd.Jenis.KECAMATAN, by=sekretariat
        )


def test_ending_a_membership_keeps_it_in_the_history(client, sekretariat, operator_dinkes, dinkes):
    membership = operator_dinkes.keanggotaan.get()
    client.force_login(sekretariat)
    response = client.post(
        reverse("agencies:keanggotaan-akhiri", args=[membership.pk]),
        {"selesai": TODAY.isoformat(), "alasan": "Mutasi ke Dinas Sosial"},
        follow=True,
    )
    assert "Keanggotaan diakhiri dan disimpan dalam riwayat" in response.content.decode()
    membership.refresh_from_db()
    assert membership.selesai == TODAY
    assert membership.alasan_selesai == "Mutasi ke Dinas Sosial"
    assert (
        not Keanggotaan.objects.aktif(pada=TODAY + datetime.timedelta(days=1))
        .filter(pk=membership.pk)
        .exists()
    )
    assert membership.history.count() == 2  # created, then ended
    detail = client.get(dinkes.get_absolute_url()).content.decode()
    assert "Riwayat keanggotaan" in detail
    assert "Mutasi ke Dinas Sosial" in detail


def test_ending_a_membership_twice_is_refused_and_changes_nothing(
    client, sekretariat, operator_dinkes
):
    membership = operator_dinkes.keanggotaan.get()
    client.force_login(sekretariat)
    url = reverse("agencies:keanggotaan-akhiri", args=[membership.pk])
    client.post(url, {"selesai": TODAY.isoformat(), "alasan": "mutasi"})
    second = client.post(
        url,
        {"selesai": (TODAY + datetime.timedelta(days=3)).isoformat(), "alasan": "lagi"},
        follow=True,
    )
    assert "Keanggotaan ini sudah diakhiri pada" in second.content.decode()
    membership.refresh_from_db()
    assert (membership.selesai, membership.alasan_selesai) == (TODAY, "mutasi")


def test_an_end_before_the_start_is_refused(sekretariat, operator_dinkes):
    membership = operator_dinkes.keanggotaan.get()
    with pytest.raises(ValidationError, match="tidak boleh sebelum tanggal mulai"):
        services.keanggotaan_akhiri(
            keanggotaan=membership,
            by=sekretariat,
            alasan="x",
            selesai=membership.mulai - datetime.timedelta(days=1),
        )


def test_a_moved_operator_gets_a_new_role_and_keeps_the_old_one_in_history(
    client, sekretariat, operator_dinkes, dinsos
):
    client.force_login(sekretariat)
    old = operator_dinkes.keanggotaan.get()
    services.keanggotaan_akhiri(keanggotaan=old, by=sekretariat, alasan="mutasi")
    client.post(
        reverse("agencies:keanggotaan-tambah", args=[operator_dinkes.pk]),
        {"peran": Peran.OPERATOR_OPD, "opd": dinsos.pk, "mulai": TODAY.isoformat()},
    )
    operator = User.objects.get(pk=operator_dinkes.pk)
    assert operator.opd_ids() == {dinsos.pk}
    assert operator.keanggotaan.count() == 2


def test_the_same_role_twice_is_refused(sekretariat, operator_dinkes, dinkes):
    with pytest.raises(ValidationError, match="sudah memegang peran ini"):
        services.keanggotaan_tambah(
            user=operator_dinkes, peran=Peran.OPERATOR_OPD, opd=dinkes, by=sekretariat
        )


def test_an_area_operator_is_not_tied_to_an_agency(sekretariat, operator_dinkes, dinkes, kasemen):
    with pytest.raises(ValidationError, match="kosongkan OPD"):
        services.keanggotaan_tambah(
            user=operator_dinkes,
            peran=Peran.OPERATOR_WILAYAH,
            opd=dinkes,
            wilayah=kasemen,
            by=sekretariat,
        )


def test_secretariat_resets_a_password_which_must_then_be_changed(
    client, sekretariat, operator_dinkes
):
    client.force_login(sekretariat)
    response = client.post(reverse("agencies:pengguna-reset-sandi", args=[operator_dinkes.pk]))
    password = response.context["password"]
    assert "Kata sandi Siti Nurhaliza sudah diatur ulang" in response.content.decode()

    client.logout()
    assert (
        client.post(
            reverse("masuk"), {"username": "operator.dinkes", "password": password}
        ).status_code
        == 302
    )
    # Every page leads to the change form until a password of one's own is chosen.
    assert client.get(reverse("agencies:opd-list"))["Location"] == reverse("ganti-sandi")
    response = client.post(
        reverse("ganti-sandi"),
        {
            "old_password": password,
            "new_password1": "Anak-Serang-2026!",
            "new_password2": "Anak-Serang-2026!",
        },
    )
    assert response["Location"] == reverse("beranda")
    assert client.get(reverse("agencies:opd-list")).status_code == 200
    operator_dinkes.refresh_from_db()
    assert not operator_dinkes.wajib_ganti_sandi


def test_people_list_finds_by_agency_short_name(
    client, sekretariat, operator_dinkes, operator_dinsos
):
    client.force_login(sekretariat)
    page = client.get(reverse("agencies:pengguna-list"), {"q": "dinsos"}).content.decode()
    assert "Budi Santoso" in page
    assert "Siti Nurhaliza" not in page


# --- Found by a person trying the portal: power stays where it belongs ------------------


def test_the_secretariat_cannot_take_over_an_admin_account(client, sekretariat, admin_portal):
    client.force_login(sekretariat)
    membership = admin_portal.keanggotaan.get()
    reset = client.post(reverse("agencies:pengguna-reset-sandi", args=[admin_portal.pk]))
    end = client.post(
        reverse("agencies:keanggotaan-akhiri", args=[membership.pk]),
        {"selesai": TODAY.isoformat(), "alasan": "x"},
    )
    assert (reset.status_code, end.status_code) == (403, 403)
    page = client.get(reverse("agencies:pengguna-detail", args=[admin_portal.pk])).content.decode()
    assert "Atur ulang kata sandi" not in page
    assert "Akhiri keanggotaan" not in page


def test_an_admin_manages_other_admins_but_nobody_their_own_account(
    client, admin_portal, make_person, sekretariat
):
    other_admin = make_person("admin2", Peran.ADMIN)
    client.force_login(admin_portal)
    assert (
        client.post(reverse("agencies:pengguna-reset-sandi", args=[other_admin.pk])).status_code
        == 200
    )
    own = admin_portal.keanggotaan.get()
    response = client.post(
        reverse("agencies:keanggotaan-akhiri", args=[own.pk]),
        {"selesai": TODAY.isoformat(), "alasan": "x"},
    )
    assert response.status_code == 403
    client.force_login(sekretariat)
    own = sekretariat.keanggotaan.get()
    response = client.post(
        reverse("agencies:keanggotaan-akhiri", args=[own.pk]),
        {"selesai": TODAY.isoformat(), "alasan": "x"},
    )
    assert response.status_code == 403
    assert sekretariat.keanggotaan.get().selesai is None


def test_only_an_admin_can_give_the_admin_role(client, sekretariat, admin_portal):
    client.force_login(sekretariat)
    form = client.get(reverse("agencies:pengguna-create")).context["form"]
    assert "admin" not in dict(form.fields["peran"].choices)
    response = client.post(
        reverse("agencies:pengguna-create"),
        {"username": "calon.admin", "nama_lengkap": "Calon", "peran": "admin"},
    )
    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert not User.objects.filter(username="calon.admin").exists()
    client.force_login(admin_portal)
    form = client.get(reverse("agencies:pengguna-create")).context["form"]
    assert "admin" in dict(form.fields["peran"].choices)


def test_the_role_must_be_chosen_and_an_agency_page_suggests_operator(client, sekretariat, dinsos):
    client.force_login(sekretariat)
    blank = client.get(reverse("agencies:pengguna-create")).context["form"]
    assert blank["peran"].value() in (None, "")
    from_agency = client.get(reverse("agencies:pengguna-create"), {"opd": dinsos.pk}).context[
        "form"
    ]
    assert from_agency["peran"].value() == Peran.OPERATOR_OPD
    response = client.post(
        reverse("agencies:pengguna-create"), {"username": "tanpa.peran", "nama_lengkap": "X"}
    )
    assert "Bidang ini harus diisi" in response.content.decode()
    assert not User.objects.filter(username="tanpa.peran").exists()


def test_a_membership_cannot_end_in_the_future(client, sekretariat, operator_dinkes):
    client.force_login(sekretariat)
    membership = operator_dinkes.keanggotaan.get()
    response = client.post(
        reverse("agencies:keanggotaan-akhiri", args=[membership.pk]),
        {"selesai": (TODAY + datetime.timedelta(days=30)).isoformat(), "alasan": "pensiun"},
        follow=True,
    )
    assert "Tanggal berakhir tidak boleh di masa depan" in response.content.decode()
    membership.refresh_from_db()
    assert membership.selesai is None


def test_a_bad_end_date_is_named_in_the_message(client, sekretariat, operator_dinkes):
    client.force_login(sekretariat)
    membership = operator_dinkes.keanggotaan.get()
    response = client.post(
        reverse("agencies:keanggotaan-akhiri", args=[membership.pk]),
        {"selesai": "31/02/2026", "alasan": "x"},
        follow=True,
    )
    assert "Berakhir pada: Masukkan tanggal yang valid." in response.content.decode()


def test_the_temporary_password_cannot_be_kept(client, sekretariat, operator_dinkes):
    password = services.pengguna_sandi_atur_ulang(user=operator_dinkes, by=sekretariat)
    client.post(reverse("masuk"), {"username": "operator.dinkes", "password": password})
    response = client.post(
        reverse("ganti-sandi"),
        {"old_password": password, "new_password1": password, "new_password2": password},
    )
    page = response.content.decode()
    assert "Kata sandi baru harus berbeda dari kata sandi lama" in page
    assert "Kata sandi sementara" in page  # the field is named for what the person holds
    operator_dinkes.refresh_from_db()
    assert operator_dinkes.wajib_ganti_sandi


def test_a_reset_by_the_secretariat_lifts_a_lockout(client, sekretariat, operator_dinkes, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("masuk"), {"username": "operator.dinkes", "password": "tebakan"})
    password = services.pengguna_sandi_atur_ulang(user=operator_dinkes, by=sekretariat)
    response = client.post(reverse("masuk"), {"username": "operator.dinkes", "password": password})
    assert response.status_code == 302


def test_the_database_refuses_two_open_copies_of_one_role(operator_dinkes, dinkes):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Keanggotaan.objects.create(user=operator_dinkes, peran=Peran.OPERATOR_OPD, opd=dinkes)
    # an ended copy is history, not a duplicate
    Keanggotaan.objects.create(
        user=operator_dinkes, peran=Peran.OPERATOR_OPD, opd=dinkes, mulai=TODAY, selesai=TODAY
    )


def test_an_admin_role_is_not_tied_to_an_agency(admin_portal, make_person, dinkes):
    person = make_person("staf", Peran.PIMPINAN)
    with pytest.raises(ValidationError, match="Peran admin berlaku untuk seluruh portal"):
        services.keanggotaan_tambah(user=person, peran=Peran.ADMIN, opd=dinkes, by=admin_portal)


def test_a_duplicate_short_name_is_reported_once(client, sekretariat, dinkes):
    client.force_login(sekretariat)
    response = client.post(
        reverse("agencies:opd-create"),
        {"nama": "Dinas Lain", "singkatan": "dinkes", "jenis": "dinas"},
    )
    assert response.content.decode().count("sudah dipakai OPD lain") == 1
