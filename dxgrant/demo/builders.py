"""States of the programme reached the way people reach them: through the services.

The demo data and the test factories both build with these, so a certified firm, a supported
company or a submitted application is made one way, and a change to a service's rules shows
up in both. Each builder takes the people who act, as the pages would.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dxgrant.accounts.models import User
from dxgrant.advisors.models import AdvisorFirm, CertificationState
from dxgrant.advisors.sections import SECTION_FIELDS
from dxgrant.advisors.services import certification, registration, team
from dxgrant.advisors.services import course as advisor_course
from dxgrant.core.pdf import render_pdf
from dxgrant.programs.models import DeclarationText, Programme, Round
from dxgrant.support import checkin
from dxgrant.support.models import ClientInvitation, Engagement, HearingResponse, TrainingFormat
from dxgrant.support.services import attendance, engagements, hearings, invitations, training
from dxgrant.support.services import quiz as training_quiz


def _fresh(user: User) -> User:
    """The person as the next request would load them: a user object remembers the firm it
    acted for during one request (advisors.policies.active_membership), which a builder that
    acts in several steps must not reuse."""
    return User.objects.get(pk=user.pk)


# --- Rounds ----------------------------------------------------------------------------------


def _loaded_round(programme: Programme) -> Round:
    """The latest round the programme file defines, as loaded: the one a new round copies. Never
    a round made here (a test may have changed its rules since)."""
    version = programme.current_version
    codes = [r["code"] for r in version.document.get("rounds", [])] if version is not None else []
    template = (
        Round.objects.filter(programme=programme, is_demo=False, code__in=codes)
        .order_by("-application_opens")
        .first()
    )
    if template is None:
        raise ValueError("load the programme file first: no round to take the rules from")
    return template


def open_round(
    programme: Programme,
    *,
    code: str,
    name_ja: str,
    name_en: str,
    today: dt.date | None = None,
    opened_days_ago: int = 30,
    closes_in_days: int = 60,
    is_demo: bool = False,
    budget_yen: int | None = None,
) -> Round:
    """A round open for applications today, with the rules, texts and declarations of the
    latest round of the programme file as loaded (its budget too, unless `budget_yen` is given:
    a demo round of thirty applications needs a budget that some of them do not fit). Made again with the same code, it is moved
    to today."""
    today = today or timezone.localdate()
    template = _loaded_round(programme)
    opens = today - dt.timedelta(days=opened_days_ago)
    closes = today + dt.timedelta(days=closes_in_days)
    period_ends = closes + dt.timedelta(days=365)
    round_obj, _created = Round.objects.update_or_create(
        code=code,
        defaults={
            "programme": programme,
            "name_ja": name_ja,
            "name_en": name_en,
            "application_opens": opens,
            "application_closes": closes,
            "programme_period_starts": opens,
            "programme_period_ends": period_ends,
            "max_award_yen": template.max_award_yen,
            "budget_yen": budget_yen or template.budget_yen,
            "is_demo": is_demo,
            "eligibility": template.eligibility,
            "rubric": template.rubric,
            "amount_rule": template.amount_rule,
            "documents": template.documents,
            "training": template.training,
            "application_rules": template.application_rules,
            "review_rules": template.review_rules,
            "award_rules": template.award_rules,
            "reminder_rules": template.reminder_rules,
            "reporting_rules": template.reporting_rules,
            "texts": template.texts
            | {
                "schedule": [
                    {
                        "label_ja": "申請受付期間",
                        "label_en": "Application period",
                        "starts": opens.isoformat(),
                        "ends": closes.isoformat(),
                    },
                    {
                        "label_ja": "対象期間",
                        "label_en": "Programme period",
                        "starts": opens.isoformat(),
                        "ends": period_ends.isoformat(),
                    },
                ],
                "data_notes": [],
            },
            "definition_version": template.definition_version,
        },
    )
    for text in DeclarationText.objects.filter(round=template):
        DeclarationText.objects.get_or_create(
            round=round_obj,
            key=text.key,
            version=text.version,
            defaults={"text_ja": text.text_ja, "text_en": text.text_en},
        )
    return round_obj


# --- Documents -------------------------------------------------------------------------------


@lru_cache(maxsize=32)
def _pdf_bytes(title: str, company: str, lines: tuple[str, ...]) -> bytes:
    return render_pdf("demo/document.html", {"title": title, "company": company, "lines": lines})


def sample_pdf(name: str, title: str, company: str, *lines: str) -> SimpleUploadedFile:
    """A real PDF (Japanese font embedded) marked as a sample, as an uploaded file."""
    return SimpleUploadedFile(name, _pdf_bytes(title, company, tuple(lines)), content_type="application/pdf")


# --- Business plans --------------------------------------------------------------------------


def plan_data(round_obj: Round) -> dict[str, dict[str, Any]]:
    """The structured parts of a complete business plan, by section code: two measures with
    their technologies, two milestones inside the round's programme period, and every KPI row
    with its baseline and three yearly targets (plus one of the company's own)."""
    starts, ends = round_obj.programme_period_starts, round_obj.programme_period_ends
    middle = starts + (ends - starts) / 2
    return {
        "measures": {
            "measures": [
                {
                    "title": "クラウド受発注",
                    "description": "電話とFAXの注文を一元化",
                    "technologies": ["cloud"],
                },
                {
                    "title": "需要予測",
                    "description": "販売データから製造量を決める",
                    "technologies": ["ai", "data"],
                },
            ]
        },
        "schedule": {
            "milestones": [
                {"title": "受発注システムの稼働", "due": (starts + dt.timedelta(days=90)).isoformat()},
                {"title": "需要予測の運用開始", "due": middle.isoformat()},
            ]
        },
        "kpis": {
            "labour_productivity": {
                "unit": "千円/人",
                "baseline": 5_200,
                "year1": 5_500,
                "year2": 5_900,
                "year3": 6_300,
            },
            "cost": {"unit": "千円", "baseline": 18_000, "year1": 17_200, "year2": 16_100, "year3": 15_000},
            "sales": {
                "unit": "千円",
                "baseline": 420_000,
                "year1": 436_000,
                "year2": 455_000,
                "year3": 478_000,
            },
            "free": [
                {"name": "廃棄ロス率", "unit": "%", "baseline": 6.0, "year1": 4.5, "year2": 3.5, "year3": 3.0}
            ],
        },
    }


# --- Advisor firms ---------------------------------------------------------------------------


def registered_firm(
    *,
    programme: Programme,
    admin: User,
    fields: Mapping[str, Any],
    advisors: Iterable[Mapping[str, str]] = (),
    submit: bool = True,
) -> AdvisorFirm:
    """The administrator registers the firm: every section, the required documents, every
    declaration ticked by them; then submits it (unless `submit` is False)."""
    firm = registration.start_registration_for(actor=admin, programme=programme, firm_name=fields["name"])
    admin = _fresh(admin)
    proposed = list(advisors) or [
        {"name": admin.display_name or admin.email, "email": admin.email, "qualifications": "中小企業診断士"}
    ]
    for section, names in SECTION_FIELDS.items():
        if not names and section != "advisors":
            continue
        firm = registration.save_registration_section(
            actor=admin,
            firm=firm,
            section=section,
            values={name: fields[name] for name in names if name in fields},
            expected_revision=firm.revision,
            advisors=proposed if section == "advisors" else None,
        )
    for spec in programme.certification_rules.documents:
        if spec.required:
            registration.upload_firm_document(
                actor=admin,
                firm=firm,
                code=spec.code,
                file=sample_pdf(f"{spec.code}.pdf", spec.name_ja, "認定事業者の登録書類（見本）"),
            )
    firm = registration.set_declarations(
        actor=admin,
        firm=firm,
        ticked=[d.key for d in programme.certification_rules.declarations],
        expected_revision=firm.revision,
        ip_address=None,
    )
    if submit:
        registration.submit_registration(actor=admin, firm=firm, expected_revision=firm.revision)
        firm.refresh_from_db()
    return firm


def certified_firm(
    *,
    programme: Programme,
    admin: User,
    secretariat: User,
    fields: Mapping[str, Any],
    advisors: Iterable[Mapping[str, str]] = (),
    certified_on: dt.date | None = None,
    state: str = CertificationState.ACTIVE,
    reason: str = "",
) -> AdvisorFirm:
    """A registered firm the secretariat certified on `certified_on` (today by default), then
    suspended or revoked with `reason` when `state` says so."""
    firm = registered_firm(programme=programme, admin=admin, fields=fields, advisors=advisors)
    secretariat = _fresh(secretariat)
    certification.certify_firm(actor=secretariat, firm=firm, today=certified_on)
    if state == CertificationState.SUSPENDED:
        certification.suspend_certification(actor=secretariat, firm=firm, reason=reason)
    elif state == CertificationState.REVOKED:
        certification.revoke_certification(actor=secretariat, firm=firm, reason=reason)
    firm.refresh_from_db()
    return firm


def joined_advisor(*, firm: AdvisorFirm, admin: User, email: str, name: str, password: str) -> User:
    """The administrator invites a person, who joins the firm from the link."""
    _invitation, raw_token = team.invite_advisor(actor=_fresh(admin), firm=firm, name=name, email=email)
    return team.accept_advisor_invitation(
        raw_token=raw_token, user=None, display_name=name, password=password
    )


def course_passed(*, advisor: User, programme: Programme) -> None:
    """The advisor reads every module of the advisor course and answers the quiz correctly."""
    advisor = _fresh(advisor)
    for code in [module.code for module in programme.course.modules]:
        advisor_course.mark_module_read(actor=advisor, programme=programme, module_code=code)
    answers = {question.code: question.answer for question in programme.course.quiz}
    advisor_course.submit_course_quiz(actor=advisor, programme=programme, answers=answers)


# --- Supported companies ---------------------------------------------------------------------


def supported_company(
    *,
    advisor: User,
    round_obj: Round,
    company_name: str,
    corporate_number: str = "",
    representative: User | None = None,
    representative_email: str = "",
    representative_name: str = "",
    password: str = "",
) -> Engagement:
    """The advisor starts supporting the company and invites its representative, who accepts:
    with their existing account (`representative`), or by creating one with `password`."""
    advisor = _fresh(advisor)
    email = representative.email if representative is not None else representative_email
    engagement = engagements.start_engagement(
        actor=advisor,
        round=round_obj,
        company_name=company_name,
        corporate_number=corporate_number,
        representative_name=representative_name or (representative.display_name if representative else ""),
        representative_email=email,
    )
    invitation = ClientInvitation.objects.get(engagement=engagement, email=email.lower())
    if representative is not None:
        invitations.accept_invitation(actor=representative, invitation=invitation)
    else:
        invitations.accept_invitation_with_new_account(
            invitation=invitation, display_name=representative_name, password=password
        )
    engagement.refresh_from_db()
    return engagement


def support_requirements_met(*, advisor: User, engagement: Engagement, person: User) -> None:
    """The round's conditions of submission met the way people meet them: the advisor records a
    hearing and `person` (of the company) confirms it; the advisor holds a session of each
    curriculum unit, running now, and `person` checks in with the code it shows; `person` passes
    the comprehension quiz."""
    advisor = _fresh(advisor)
    hearing = hearings.record_hearing(
        actor=advisor,
        engagement=engagement,
        held_on=timezone.localdate(),
        attendees=f"{person.display_name}、{advisor.display_name}",
        topics="業務の流れと、データでつなぎたい工程について。",
        challenges="受注から出荷までの情報が紙に分かれている。",
        next_steps="計画書の案をまとめ、研修で進め方を学ぶ。",
    )
    hearings.respond_to_hearing(
        actor=_fresh(person),
        hearing=hearing,
        revision=hearing.revision,
        response=HearingResponse.ACKNOWLEDGED,
    )
    rules = engagement.round.rules.training
    now = timezone.now()
    for unit in rules.curriculum:
        session = training.schedule_session(
            actor=advisor,
            engagement=engagement,
            curriculum_code=unit.code,
            starts_at=now - dt.timedelta(hours=float(unit.hours)),
            ends_at=now + dt.timedelta(minutes=5),
            format=TrainingFormat.ONLINE,
            location="https://meet.example.jp/demo",
            invitees=[person],
        )
        code = checkin.current_code(session, rules)
        checked_in = attendance.check_in(actor=_fresh(person), session=session, attendee=person, code=code)
        if not checked_in.ok:
            raise ValidationError(checked_in.refusal)
    answers = {question.code: question.answer for question in rules.quiz}
    training_quiz.submit_quiz(
        actor=_fresh(person), engagement=engagement, answers=answers, submission_token=uuid.uuid4()
    )
