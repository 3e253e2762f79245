"""The survey pages (surveys/urls.py "surveys", surveys/staff_urls.py "surveys_staff").

Staff pages: staff readers see the list, a survey and one company's answers; only the secretariat builds and
sends. The applicant's pages (/applications/<pk>/surveys/<survey_pk>/...) are counted as the
company's representative (`user=`); generic users of each role belong to no company and no firm
and get 404; the secretariat and auditors see the application but may not answer for the
company (403, with the reason)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from dxgrant.accounts.models import Role
from dxgrant.applications import workflow
from dxgrant.programs.models import Programme
from dxgrant.surveys import survey_rules
from dxgrant.surveys.services import building, sending
from tests.factories import UserFactory
from tests.factories.applications import make_application
from tests.factories.support import representative_of

from .base import ANON, STAFF_READ, Page

NAMESPACES = {"surveys", "surveys_staff"}

SEEN = "session; user"
HEADER = "programme (header)"
AUDIT = 3 if connection.vendor == "postgresql" else 2
INVITATION = "invitation with survey and application (visibility subquery inside); applicant? (members)"
QUESTIONS = "survey; sections; questions"

PAGES: dict[str, Page] = {
    "surveys_staff:list": Page(
        "/staff/surveys/", 4, Role.SECRETARIAT, why=f"{SEEN}; surveys (keyset page); {HEADER}"
    ),
    "surveys_staff:detail": Page(
        "/staff/surveys/{survey_draft}/",
        8,
        Role.SECRETARIAT,
        why=f"{SEEN}; survey; sections; questions; sections (question form); rounds (send form); industry/prefecture none; {HEADER}",
    ),
    "surveys_staff:edit": Page(
        "/staff/surveys/{survey_draft}/edit/",
        7 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        data={"title_ja": "満足度調査（改）", "title_en": "", "description": "", "due_on": "2099-03-31"},
        why=f"{SEEN}; survey; survey (form instance); unique checks of the form; survey locked; update; audit ({AUDIT})",
    ),
    "surveys_staff:add_section": Page(
        "/staff/surveys/{survey_draft}/sections/",
        6 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        data={"title_ja": "今後について", "title_en": ""},
        why=f"{SEEN}; survey; survey locked; last position; insert; audit ({AUDIT})",
    ),
    "surveys_staff:add_question": Page(
        "/staff/surveys/{survey_draft}/questions/",
        8 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        data={"section": "{survey_draft_section}", "kind": "scale", "text_ja": "満足度", "required": "on"},
        why=f"{SEEN}; survey; section (form); survey; survey locked; last position; insert; audit ({AUDIT})",
    ),
    "surveys_staff:remove_question": Page(
        "/staff/surveys/{survey_draft}/questions/{survey_draft_question}/remove/",
        8 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        why=f"{SEEN}; question with section and survey; survey locked; audit ({AUDIT}); delete (answers, question); the later ones moved up (2 updates)",
    ),
    "surveys_staff:send": Page(
        "/staff/surveys/{survey_draft}/send/",
        10 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        data={"round": "{survey_round}"},
        why=f"{SEEN}; survey; round (form); survey locked; any question; cohort; insert; update; audit ({AUDIT}); invitation ids",
    ),
    "surveys_staff:move_question": Page(
        "/staff/surveys/{survey_draft}/questions/{survey_draft_question}/move/",
        9 + AUDIT,
        Role.SECRETARIAT,
        method="post",
        data={"direction": "up"},
        why=f"{SEEN}; question with section and survey; survey locked; question; neighbour; 3 updates; audit ({AUDIT})",
    ),
    "surveys_staff:response": Page(
        "/staff/surveys/{survey_sent}/responses/{survey_invitation}/",
        7,
        Role.SECRETARIAT,
        why=f"{SEEN}; invitation with survey and application; sections; questions; answers; {HEADER}",
    ),
    "surveys:respond": Page(
        "/applications/{survey_application}/surveys/{survey_sent}/",
        8,
        user="survey_applicant",
        why=f"{SEEN}; {INVITATION}; sections; questions; answers; {HEADER}",
    ),
    "surveys:section": Page(
        "/applications/{survey_application}/surveys/{survey_sent}/sections/{survey_sent_section}/",
        9,
        user="survey_applicant",
        why=f"{SEEN}; {INVITATION}; sections; questions; answers; applicant? again (may answer); {HEADER}",
    ),
    "surveys:submit": Page(
        "/applications/{survey_application}/surveys/{survey_sent}/submit/",
        9,
        user="survey_applicant",
        method="post",
        why=f"{SEEN}; {INVITATION}; invitation locked; applicant? (members); questions; answers (a required one missing: refused), the message kept (session)",
    ),
}

NOT_THEIRS = {ANON: 302} | {r: 404 for r in Role.values}
APPLICANT_ONLY = NOT_THEIRS | {Role.SECRETARIAT: 403, Role.AUDITOR: 403}
SECRETARIAT_POST = {ANON: 302} | {r: 403 for r in Role.values} | {Role.SECRETARIAT: 302}

EXPECTED: dict[str, dict[str, int]] = {
    "surveys_staff:list": STAFF_READ,
    "surveys_staff:detail": STAFF_READ,
    "surveys_staff:edit": SECRETARIAT_POST,
    "surveys_staff:add_section": SECRETARIAT_POST,
    "surveys_staff:add_question": SECRETARIAT_POST,
    "surveys_staff:remove_question": SECRETARIAT_POST,
    "surveys_staff:send": SECRETARIAT_POST,
    "surveys_staff:move_question": SECRETARIAT_POST,
    "surveys_staff:response": STAFF_READ,
    "surveys:respond": APPLICANT_ONLY,
    "surveys:section": APPLICANT_ONLY,
    "surveys:submit": APPLICANT_ONLY,
}


def make_objects() -> dict[str, object]:
    """A draft survey with a section and a question; a sent one (a required scale question)
    whose invitation went to an accepted application; an accepted application to send to."""
    programme = Programme.objects.get()
    secretariat = UserFactory(role=Role.SECRETARIAT)
    due = timezone.localdate() + dt.timedelta(days=30)
    application = make_application(programme, status=workflow.ACCEPTED, company_name="株式会社調査テスト")
    draft = building.create_survey(
        actor=secretariat, title_ja="満足度調査", title_en="", description="", due_on=due
    )
    draft_section = building.add_section(actor=secretariat, survey=draft, title_ja="支援について")
    building.add_question(actor=secretariat, section=draft_section, kind=survey_rules.TEXT, text_ja="感想")
    draft_question = building.add_question(
        actor=secretariat, section=draft_section, kind=survey_rules.TEXT, text_ja="ご意見"
    )
    sent = building.create_survey(
        actor=secretariat, title_ja="効果調査", title_en="", description="", due_on=due
    )
    sent_section = building.add_section(actor=secretariat, survey=sent, title_ja="成果")
    building.add_question(
        actor=secretariat, section=sent_section, kind=survey_rules.SCALE, text_ja="満足度", required=True
    )
    sending.send_survey(actor=secretariat, survey=sent, filters={"round": application.round_id})
    invitation = sent.invitations.get(application=application)
    return {
        "survey_draft": draft.pk,
        "survey_draft_section": draft_section.pk,
        "survey_draft_question": draft_question.pk,
        "survey_round": application.round_id,
        "survey_sent": sent.pk,
        "survey_sent_section": sent_section.pk,
        "survey_application": application.pk,
        "survey_invitation": invitation.pk,
        "survey_applicant": representative_of(application.engagement),
    }
