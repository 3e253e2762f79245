import uuid
import pytest
from tests.e2e import test_visitor_journey as t

pytestmark = pytest.mark.e2e


def test_mutant_round_open(page, shot, monkeypatch):
    from dxgrant.programs.models import Round

    monkeypatch.setattr(Round, "application_status", lambda self, today=None: "open")
    with pytest.raises(AssertionError) as e:
        t.test_schedule_shows_the_closed_round_in_seireki_and_wareki(page, shot)
    print("M1", str(e.value).splitlines()[0])


def test_mutant_no_half_width_email(page, shot, monkeypatch, django_db_reset_sequences):
    from dxgrant.public import forms

    monkeypatch.setattr(forms, "to_half_width", lambda v: v.strip())
    with pytest.raises(AssertionError) as e:
        t.test_inquiry_is_received_once_and_acknowledged(page, shot, monkeypatch, None)
    print("M2", str(e.value).splitlines()[0])


def test_mutant_no_dedupe_no_js_guard(page, shot, monkeypatch, django_db_reset_sequences):
    from dxgrant.public import services

    real = services.submit_inquiry
    monkeypatch.setattr(
        services, "submit_inquiry", lambda **kw: real(**{**kw, "submission_token": uuid.uuid4()})
    )
    page.add_init_script(
        "Object.defineProperty(HTMLButtonElement.prototype, 'disabled', {set(v){}, get(){return false}})"
    )
    with pytest.raises(AssertionError) as e:
        t.test_inquiry_is_received_once_and_acknowledged(page, shot, monkeypatch, None)
    print("M3", str(e.value).splitlines()[0])


def test_mutant_server_dedupe_only_broken(page, shot, monkeypatch, django_db_reset_sequences):
    from dxgrant.public import services

    real = services.submit_inquiry
    monkeypatch.setattr(
        services, "submit_inquiry", lambda **kw: real(**{**kw, "submission_token": uuid.uuid4()})
    )
    with pytest.raises(AssertionError) as e:
        t.test_inquiry_is_received_once_and_acknowledged(page, shot, monkeypatch, None)
    print("M4", str(e.value).splitlines()[0])


def test_mutant_language_not_sticky(page, shot, monkeypatch):
    from dxgrant.core import middleware
    from django.utils import translation

    orig = middleware.ChosenLanguageMiddleware.__call__

    def call(self, request):
        request.COOKIES.pop("django_language", None)
        return orig(self, request)

    monkeypatch.setattr(middleware.ChosenLanguageMiddleware, "__call__", call)
    with pytest.raises(AssertionError) as e:
        t.test_language_switch_shows_english_data_and_sticks(page, shot)
    print("M5", str(e.value).splitlines()[0])


def test_mutant_no_error_summary(page, shot, monkeypatch):
    from django.template import engines
    from django.template.loaders import cached

    # render the self-check without the required_when check
    from dxgrant.public import forms

    monkeypatch.setattr(forms, "condition_holds", lambda *a: False)
    with pytest.raises(AssertionError) as e:
        t.test_self_check_eligible_ineligible_and_input_error(page, shot)
    print("M6", str(e.value).splitlines()[0])
