"""What an advisor is called on their own pages: 認定アドバイザー only while their firm's
certification is in force; before it (a registration not yet decided), and when it is
suspended, revoked or expired, the page says so instead."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from dxgrant.accounts.models import Visitor

from ..models import PublicStatus
from ..policies import active_membership

register = template.Library()


@register.simple_tag
def advisor_title(user: Visitor) -> str:
    membership = active_membership(user)
    if membership is None:
        return _("アドバイザー（所属する認定事業者はありません）")
    firm = membership.firm.name
    status = membership.firm.public_status()
    if status == PublicStatus.ACTIVE:
        return _("認定アドバイザー（%(firm)s）") % {"firm": firm}
    if status is None:
        return _("アドバイザー（%(firm)s・認定前）") % {"firm": firm}
    return _("アドバイザー（%(firm)s・認定%(status)s）") % {"firm": firm, "status": status.label}
