"""Background work for the public site. Tasks take ids, claim, then send (see core.notify)."""

from django.db import transaction
from django_tasks import task

from dxgrant.core import notify

from .models import Inquiry


@task()
def send_inquiry_acknowledgement(inquiry_id: int) -> None:
    """The "we received your inquiry" email, once, in the language the form was filled in."""
    with transaction.atomic():
        if not notify.claim(Inquiry, inquiry_id, "acknowledged_at"):
            return  # sent already, or no such inquiry
        inquiry = Inquiry.objects.get(pk=inquiry_id)
        # Sent inside the transaction: if sending fails the claim is rolled back and a retry sends.
        notify.send_email(
            "public/email/inquiry_ack", {"inquiry": inquiry}, to=inquiry.email, language=inquiry.language
        )
