import pytest

from dxgrant.japan import industry


def test_twenty_major_groups_a_to_t():
    assert list(industry.MAJOR_GROUPS) == [chr(c) for c in range(ord("A"), ord("T") + 1)]
    assert industry.name("E") == "製造業"
    assert industry.name("G", "en") == "Information and communications"
    assert industry.choices()[4] == ("E", "E 製造業")


def test_unknown_code_is_refused():
    with pytest.raises(ValueError, match="unknown industry"):
        industry.name("Z")
