"""Background work for the public site. Tasks take ids and are safe to run twice."""

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from .models import Inquiry
from .services import mark_acknowledged


@task()
def send_inquiry_acknowledgement(inquiry_id: int) -> None:
    inquiry = Inquiry.objects.filter(pk=inquiry_id).first()
    if inquiry is None:
        return
    with transaction.atomic():
        if not mark_acknowledged(inquiry_id):
            return
        with translation.override(inquiry.language):
            context = {"inquiry": inquiry}
            subject = render_to_string("public/email/inquiry_ack_subject.txt", context).strip()
            body = render_to_string("public/email/inquiry_ack_body.txt", context)
        # Sent inside the transaction: if sending fails the mark is rolled back and a retry sends.
        send_mail(subject, body, None, [inquiry.email])
