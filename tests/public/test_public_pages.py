import re

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from dxgrant.demo.seed import seed_demo
from dxgrant.programs.models import Round

pytestmark = pytest.mark.django_db

NOW_CLOSED = "2026-11-25 10:00:00+09:00"


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@time_machine.travel(NOW_CLOSED, tick=False)
def test_home_says_plainly_that_round_one_is_closed(client, programme):
    page = text(client.get("/"))
    assert "中小企業DX経営高度化推進支援制度" in page
    assert "受付終了" in page
    assert "この公募回の申請受付は2026年4月30日で終了しました。現在は申請できません。" in page
    assert "最大1億円" in page
    assert "03-6457-5845" in page


@time_machine.travel("2026-02-01 10:00:00+09:00", tick=False)
def test_home_shows_the_round_open_inside_the_window(client, programme):
    page = text(client.get("/"))
    assert "受付中" in page
    assert "締切は2026年4月30日" in page


@time_machine.travel(NOW_CLOSED, tick=False)
def test_schedule_shows_dates_in_seireki_and_wareki_marked_as_planned(client, programme):
    page = text(client.get("/schedule/"))
    for shown in (
        "2025年11月1日",
        "令和7年11月1日",
        "2026年4月30日",
        "令和8年4月30日",
        "2027年4月30日",
        "令和9年4月30日",
    ):
        assert shown in page
    assert "スケジュールは予定です" in page
    assert 'datetime="2026-04-30"' in page


def test_about_eligibility_documents_faq_and_operator(client, programme):
    about = text(client.get("/about/"))
    assert "民間助成金" in about and "審査委員会" in about
    eligibility = text(client.get("/eligibility/"))
    assert "100人以下" in eligibility and "5,000万円未満" in eligibility and "反社会的勢力" in eligibility
    assert "認定したアドバイザーの指導と支援" in eligibility
    documents = text(client.get("/documents/"))
    assert "/rounds/dx-2025-r1/guidelines.pdf" in documents and "履歴事項全部証明書" in documents
    faq = text(client.get("/faq/"))
    assert "自社で直接申請できますか" in faq
    operator = text(client.get("/operator/"))
    assert "一般社団法人中小企業振興支援協会" in operator and "未公表" in operator


def test_every_page_is_japanese_by_default_even_for_an_english_browser(client, programme):
    page = text(client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert '<html lang="ja">' in page
    assert "業務の効率化にとどまらず" in page


def test_english_when_the_visitor_chooses_it(programme):
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/schedule/"})
    assert response.status_code == 302 and response["Location"] == "/schedule/"
    page = text(client.get("/schedule/"))
    assert '<html lang="en">' in page
    assert "Application period" in page
    assert "30 April 2026" in page
    assert "FY2025 Round 1" in page


def test_no_programme_loaded_is_a_404_not_a_crash(client, db):
    assert client.get("/").status_code == 404


def test_a_demo_round_is_shown_and_labelled_where_demo_data_was_seeded(client, programme):
    seed_demo()
    page = text(client.get("/schedule/"))
    assert "デモ公募回" in page
    assert '<span class="badge">デモ</span>' in page
    assert client.get("/rounds/dx-demo-open/self-check/").status_code == 200


def test_a_production_database_has_no_demo_round_because_seeding_is_refused(client, programme, settings):
    # The pages do not read the demo setting: a demo round is data, and where demo data is
    # disabled (production) seeding is refused, so there is none to show.
    settings.DXGRANT_DEMO_ENABLED = False
    with pytest.raises(ImproperlyConfigured):
        seed_demo()
    assert not Round.objects.filter(is_demo=True).exists()
    assert "デモ公募回" not in text(client.get("/schedule/"))
    assert client.get("/rounds/dx-demo-open/self-check/").status_code == 404


# --- The home page's main button leads to the round that is open (issue 9, item 6) -----------


def button_target(page: str) -> str:
    found = re.search(r'<a class="button" href="([^"]+)">対象になるか確認する</a>', page)
    assert found, "no main button"
    return found.group(1)


@time_machine.travel(NOW_CLOSED, tick=False)
def test_the_main_button_leads_to_the_open_round_not_the_closed_one(client, programme):
    """Round 1 closed in April; a demo round is open today (as `make run` has it)."""
    seed_demo()
    target = button_target(text(client.get("/")))
    assert target == "/rounds/dx-demo-open/self-check/"
    assert client.get("/self-check/")["Location"] == "/rounds/dx-demo-open/self-check/"
    page = text(client.get(target))
    assert "受付中" in page and "受付終了" not in page


@time_machine.travel(NOW_CLOSED, tick=False)
def test_with_no_round_open_the_self_check_says_so_and_offers_the_closed_rounds_rules(client, programme):
    target = button_target(text(client.get("/")))
    page = text(client.get(target))
    assert "現在、申請を受け付けている公募回はありません" in page
    assert "2025年度 第1回公募の要件で確認する" in page
    assert 'href="/rounds/dx-2025-r1/self-check/"' in page
