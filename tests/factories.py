"""Factories for tests (factory_boy)."""

from __future__ import annotations

import uuid

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP

from dxgrant.accounts.models import MFA_REQUIRED_ROLES, Role, User
from dxgrant.public.models import Inquiry, InquiryCategory

PASSWORD = "correct-horse-battery-staple-42"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    display_name = factory.Sequence(lambda n: f"利用者 {n}")
    role = Role.APPLICANT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def mfa(self, create: bool, extracted: object, **kwargs: object) -> None:
        """Accounts whose role needs MFA come enrolled unless mfa=False is passed."""
        wanted = extracted if extracted is not None else self.role in MFA_REQUIRED_ROLES
        if create and wanted:
            TOTP.activate(self, TOTP_SECRET)


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    name = factory.Sequence(lambda n: f"問合 太郎{n}")
    email = factory.Sequence(lambda n: f"asker{n}@example.jp")
    category = InquiryCategory.PROGRAMME
    message = "申請の方法を教えてください。"
    submission_token = factory.LazyFunction(uuid.uuid4)
    ip_address = "192.0.2.10"
