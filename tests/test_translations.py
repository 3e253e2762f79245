import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "dxgrant" / "locale" / "en" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("flag", ["--untranslated", "--only-fuzzy"])
def test_every_message_has_a_finished_english_translation(flag):
    assert shutil.which("msgattrib"), "gettext is installed by scripts/system-packages.sh"
    out = subprocess.run(
        ["msgattrib", flag, "--no-wrap", str(PO)], capture_output=True, text=True, check=True
    ).stdout
    entries = [line for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""']
    assert entries == [], entries


@pytest.mark.django_db
def test_the_interface_is_in_english_after_switching(client, programme):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/contact/").content.decode()
    assert "Skip to main content" in page
    assert "本文へ移動" not in page
