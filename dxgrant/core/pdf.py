"""PDF documents from HTML templates (WeasyPrint), always with an embedded Japanese font.

A PDF printed with a fallback font shows empty boxes where the Japanese should be, and nobody
notices until an applicant does. So we look the font up ourselves and refuse to render without it.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

FONT_FAMILY = "IPAexGothic"
_KNOWN_PATHS = (
    Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"),
    Path("/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf"),
)


class JapaneseFontMissing(RuntimeError):
    def __init__(self) -> None:
        super().__init__(
            "日本語フォント（IPAexゴシック）が見つからないため PDF を作成できません。"
            "Debian パッケージ fonts-ipaexfont をインストールしてください "
            "(Japanese font IPAexGothic not found; install fonts-ipaexfont)."
        )


@lru_cache(maxsize=4)
def _find_font(configured: str | None) -> Path:
    if configured is not None:
        path = Path(configured)
        if path.is_file():
            return path
        raise JapaneseFontMissing
    for path in _KNOWN_PATHS:
        if path.is_file():
            return path
    if shutil.which("fc-list"):
        out = subprocess.run(
            ["fc-list", f":family={FONT_FAMILY}", "file"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        ).stdout
        for line in out.splitlines():
            candidate = Path(line.split(":")[0].strip())
            if candidate.is_file():
                return candidate
    raise JapaneseFontMissing


def japanese_font_path() -> Path:
    return _find_font(getattr(settings, "DXGRANT_PDF_FONT_PATH", None))


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """Render a template to PDF bytes. Raises JapaneseFontMissing before doing any work."""
    from weasyprint import HTML

    font = japanese_font_path()
    html = render_to_string(template_name, context | {"font_url": font.as_uri(), "font_family": FONT_FAMILY})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()  # type: ignore[no-any-return]
