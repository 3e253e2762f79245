"""Questions sent through the public contact form."""

from __future__ import annotations

import uuid

import factory

from dxgrant.public.models import Inquiry, InquiryCategory


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inquiry

    name = factory.Sequence(lambda n: f"問合 太郎{n}")
    email = factory.Sequence(lambda n: f"asker{n}@example.jp")
    category = InquiryCategory.PROGRAMME
    message = "申請の方法を教えてください。"
    submission_token = factory.LazyFunction(uuid.uuid4)
    ip_address = "192.0.2.10"
