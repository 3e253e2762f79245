"""People who sign in, and the role each one holds."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, AnonymousUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

# Role and the role groups live in roles.py; imported here too, where most code finds them.
from .roles import MFA_REQUIRED_ROLES, STAFF_ROLES, Role

__all__ = ["MFA_REQUIRED_ROLES", "STAFF_ROLES", "Role", "User", "UserManager", "Visitor"]


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.SECRETARIAT)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField(_("メールアドレス"), unique=True)
    display_name = models.CharField(_("氏名"), max_length=100, blank=True)
    role = models.CharField(
        _("役割"), max_length=20, choices=Role.choices, default=Role.APPLICANT, db_index=True
    )
    preferred_language = models.CharField(
        _("表示言語"), max_length=8, choices=[("ja", "日本語"), ("en", "English")], default="ja"
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[assignment,misc]

    class Meta:
        verbose_name = _("ユーザー")
        verbose_name_plural = _("ユーザー")

    def __str__(self) -> str:
        return self.display_name or self.email

    @property
    def requires_mfa(self) -> bool:
        return self.role in MFA_REQUIRED_ROLES


# Whoever is asking: a signed-in user or an anonymous visitor (`request.user`). Policies and
# selectors that answer for anyone take a Visitor; services, which act, take a User.
Visitor = User | AnonymousUser
