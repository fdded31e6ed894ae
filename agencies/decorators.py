from django.contrib.auth.decorators import login_required, permission_required


def perlu_izin(permission: str):
    """Anonymous visitors go to the login page; logged-in people without the permission get 403."""

    def decorator(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorator
