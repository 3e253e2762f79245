"""After a return (差戻し), each part's own page shows the secretariat's comment on that part,
and no other part's; the task list shows them all."""

from __future__ import annotations

import pytest
from django.test import Client

from dxgrant.accounts.models import Role
from dxgrant.applications import plan_rules
from dxgrant.applications.services import screening
from dxgrant.core.i18n import localised
from dxgrant.support.models import EngagementRole
from tests.factories import UserFactory
from tests.factories.applications import fill_application, make_application, make_version

pytestmark = pytest.mark.django_db


def test_each_page_shows_its_own_comment(programme):
    app = fill_application(make_application(programme))
    make_version(app)
    first, second = plan_rules.section_specs(app.round)[:2]
    comments = {
        "profile": "資本金の額を登記簿と合わせてください。",
        first.code: "現状の課題を数字で書いてください。",
        "budget": "2行目の見積書が1通しかありません。",
        "documents": "決算書は直近2期分を添付してください。",
        "disclosure": "成功報酬の有無を明記してください。",
        "declarations": "宣誓をやり直してください。",
    }
    screening.return_for_correction(app, actor=UserFactory(role=Role.SECRETARIAT), comments=comments)
    applicant = app.engagement.members.get(role=EngagementRole.REPRESENTATIVE).user
    client = Client()
    client.force_login(applicant)
    base = f"/applications/{app.pk}/"
    pages = {
        "profile": base + "profile/",
        first.code: base + f"plan/{first.code}/",
        "budget": base + "budget/",
        "documents": base + "documents/",
        "disclosure": base + "disclosure/",
        "declarations": base + "declarations/",
    }
    for code, url in pages.items():
        page = client.get(url).content.decode()
        assert "事務局から修正の依頼があります" in page, url
        assert comments[code] in page, url
        others = [text for other, text in comments.items() if other != code]
        assert not any(text in page for text in others), url
    # A plan section without a comment says nothing; the plan overview lists the plan's comments.
    quiet = client.get(base + f"plan/{second.code}/").content.decode()
    assert "事務局から修正の依頼があります" not in quiet
    overview = client.get(base + "plan/").content.decode()
    assert comments[first.code] in overview and comments["profile"] not in overview
    assert localised(first, "title") in overview
    task_list = client.get(base).content.decode()
    assert all(text in task_list for text in comments.values())


def test_no_comment_box_once_resubmitted(programme):
    app = fill_application(make_application(programme))
    make_version(app)
    screening.return_for_correction(
        app, actor=UserFactory(role=Role.SECRETARIAT), comments={"profile": "資本金を確認してください。"}
    )
    app.returns.update(resolved_at=app.updated_at)
    applicant = app.engagement.members.get(role=EngagementRole.REPRESENTATIVE).user
    client = Client()
    client.force_login(applicant)
    assert "資本金を確認してください。" not in client.get(f"/applications/{app.pk}/profile/").content.decode()
