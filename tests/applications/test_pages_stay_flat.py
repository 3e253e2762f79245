"""Every application page, the applicant's and advisor's and the secretariat's, makes the same
number of queries with many more applications around: more of the firm's, more the applicant
takes part in, more in the round, submitted versions, returns and refused duplicates."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dxgrant.advisors.policies import active_membership
from dxgrant.applications.models import RefusedDuplicate, ReturnRequest
from dxgrant.support.models import EngagementMember, EngagementRole
from tests.factories.applications import fill_application, make_application, make_version
from tests.pages import PAGES, make_objects
from tests.test_query_counts import request

pytestmark = pytest.mark.django_db

GET_PAGES = sorted(
    name
    for name, page in PAGES.items()
    if name.split(":")[0] in {"applications", "staff_applications"} and page.method == "get"
)


def more_applications(programme, objects: dict[str, object], n: int = 12) -> None:  # type: ignore[no-untyped-def]
    advisor = objects["core_advisor"]
    applicant = objects["core_applicant"]
    membership = active_membership(advisor)
    assert membership is not None
    for i in range(n):
        mine = make_application(
            programme, firm=membership.firm, advisor=advisor, company_name=f"増加{i}株式会社"
        )
        EngagementMember.objects.create(engagement=mine.engagement, user=applicant, role=EngagementRole.STAFF)
        other = fill_application(make_application(programme, company_name=f"他社{i}株式会社"))
        version = make_version(other)
        make_version(other)
        ReturnRequest.objects.create(
            application=other,
            version=version,
            comments={"profile": "確認してください。"},
            due_on=timezone.localdate(),
            returned_by=advisor,
            resolved_at=timezone.now(),
        )
        RefusedDuplicate.objects.create(
            round=other.round, company_key=other.company_key, firm=membership.firm, attempted_by=advisor
        )


@pytest.mark.parametrize("name", GET_PAGES)
def test_the_page_stays_flat_as_applications_grow(name, client, client_for, programme):
    page = PAGES[name]
    objects = make_objects()
    small = len(request(client_for, client, page, **objects))
    more_applications(programme, objects)
    large = len(request(client_for, client, page, **objects))
    assert small == large, f"{name}: {small} queries, then {large} with more applications"
