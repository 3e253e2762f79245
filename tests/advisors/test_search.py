"""The public register and the secretariat's registration queue find a firm however its name is
typed: half-width kana, hiragana for a katakana reading, a part of a certification number
(issue 9, item 13). Same normalisation as the staff application list (dxgrant.japan.search)."""

from __future__ import annotations

import pytest

from dxgrant.accounts.models import Role
from tests.factories.advisors import certified_firm, submitted_firm

pytestmark = pytest.mark.django_db


def test_the_public_register_finds_half_width_kana_and_hiragana(client, programme):
    keyaki = certified_firm(programme, name="ケヤキ経営支援株式会社", name_kana="ケヤキケイエイシエン")
    other = certified_firm(programme, name="もみじDX支援株式会社", name_kana="モミジディーエックスシエン")

    def names(query: str) -> set[str]:
        page = client.get("/advisors/", {"q": query}).content.decode()
        return {f.name for f in (keyaki, other) if f.name in page}

    assert names("ｹﾔｷ") == {keyaki.name}
    assert names("けやき") == {keyaki.name}
    assert names("けいえいしえん") == {keyaki.name}
    assert names("ﾓﾐｼﾞ") == {other.name}
    assert names("ｄｘ支援") == {other.name}
    number = keyaki.certification_number
    assert names(number) == {keyaki.name}
    assert names(number.lower()) == {keyaki.name}
    assert names(number.split("-")[-1]) == {keyaki.name}  # the serial part alone


def test_the_registration_queue_finds_half_width_kana(programme, client_for):
    submitted_firm(programme, name="さくらDX株式会社", name_kana="サクラディーエックス")
    submitted_firm(programme, name="もみじDX株式会社")
    client = client_for(Role.SECRETARIAT)
    found = client.get("/advisors/review/", {"status": "submitted", "q": "ｻｸﾗ"}).content.decode()
    assert "さくらDX株式会社" in found and "もみじDX株式会社" not in found
