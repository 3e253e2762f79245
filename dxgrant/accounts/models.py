"""People who sign in, and the role each one holds."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, AnonymousUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Role and the role groups live in roles.py; imported here too, where most code finds them.
from .roles import MFA_REQUIRED_ROLES, SHORT_SESSION_ROLES, STAFF_ROLES, Role

__all__ = [
    "MFA_REQUIRED_ROLES",
    "STAFF_ROLES",
    "STEP_UP_ATTEMPT_LIMIT",
    "STEP_UP_ATTEMPT_WINDOW",
    "Role",
    "StepUpAttempt",
    "StepUpOutcome",
    "StepUpPurpose",
    "User",
    "UserManager",
    "Visitor",
]


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
        """Whether every page asks for a session that passed the second factor: the roles that
        need one, and anyone who may open the Django admin."""
        return self.role in MFA_REQUIRED_ROLES or self.is_staff or self.is_superuser

    @property
    def has_short_sessions(self) -> bool:
        """Back-office accounts: sessions end after a working day and after an idle period."""
        return self.role in SHORT_SESSION_ROLES or self.is_staff or self.is_superuser


# Whoever is asking: a signed-in user or an anonymous visitor (`request.user`). Policies and
# selectors that answer for anyone take a Visitor; services, which act, take a User.
Visitor = User | AnonymousUser


# Wrong codes a person may enter for one purpose in a rolling window (services/step_up.py).
STEP_UP_ATTEMPT_LIMIT = 5
STEP_UP_ATTEMPT_WINDOW = dt.timedelta(minutes=10)


class StepUpPurpose(models.TextChoices):
    """The acts confirmed with a code from the person's authenticator app."""

    SUBMISSION = "submission", _("申請の提出")
    ACCEPTANCE = "acceptance", _("交付条件の受諾")
    PAYEE_CHANGE = "payee_change", _("振込先口座の変更")
    RESULTS_REPORT = "results_report", _("実績報告の確定")


class StepUpOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("受付")
    WRONG_CODE = "wrong_code", _("コード誤り")
    TOO_MANY_ATTEMPTS = "too_many_attempts", _("試行回数超過")


class StepUpAttempt(models.Model):
    """One code entered to confirm an act (services/step_up.py): what the limit on wrong codes
    counts. The audit log records the refused ones too, but is never read to decide."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=30, choices=StepUpPurpose.choices)
    at = models.DateTimeField()
    outcome = models.CharField(max_length=30, choices=StepUpOutcome.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Set when the person was emailed that tries are stopped (core.notify's claim column).
    lock_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("認証コードの入力")
        verbose_name_plural = _("認証コードの入力")
        ordering = ["-at", "-id"]
        # The limit counts one person's refused attempts for one purpose in a rolling window.
        indexes = [models.Index(fields=["user", "purpose", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=StepUpOutcome.values), name="step_up_attempt_outcome_valid"
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=StepUpPurpose.values), name="step_up_attempt_purpose_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.purpose}: {self.outcome}"

    @property
    def refused(self) -> bool:
        return self.outcome != StepUpOutcome.ACCEPTED
