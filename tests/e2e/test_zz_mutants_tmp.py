import uuid
import pytest
from tests.e2e import test_visitor_journey as t

pytestmark = pytest.mark.e2e

def test_mutant_round_open(page, shot, monkeypatch):
    from dxgrant.programs.models import Round
    monkeypatch.setattr(Round, "application_status", lambda self, today=None: "open")
    with pytest.raises(AssertionError):
        t.test_schedule_shows_the_closed_round_in_seireki_and_wareki(page, shot)

def test_mutant_no_half_width(page, shot, monkeypatch):
    from dxgrant.public import forms
    monkeypatch.setattr(forms, "to_half_width", lambda v: v.strip())
    with pytest.raises(AssertionError):
        t.test_self_check_eligible_ineligible_and_input_error(page, shot)

def test_mutant_no_dedupe(page, shot, monkeypatch, django_db_reset_sequences):
    from dxgrant.public import services
    real = services.submit_inquiry
    monkeypatch.setattr(services, "submit_inquiry", lambda **kw: real(**{**kw, "submission_token": uuid.uuid4()}))
    page.add_init_script("Object.defineProperty(HTMLButtonElement.prototype, 'disabled', {set(v){}, get(){return false}})")
    with pytest.raises(AssertionError) as exc:
        t.test_inquiry_is_received_once_and_acknowledged(page, shot, None)
    print("MUTANT3:", str(exc.value)[:300])

def test_mutant_english_sticks_not(page, shot, monkeypatch):
    from django.conf import settings
    monkeypatch.setattr(settings, "LANGUAGE_COOKIE_NAME", "nope")
    with pytest.raises(AssertionError):
        t.test_language_switch_shows_english_data_and_sticks(page, shot)
