"""Files the upload checks accept for their type, and files they must refuse. The checks read the
content, not the name, and open it: a PDF must parse and have a page, an image must decode. The
good files are made once, at import, with the same libraries the checks use (pypdf, Pillow)."""

from __future__ import annotations

import io

from PIL import Image
from pypdf import PdfWriter


def _pdf(*, pages: int = 1, password: str = "") -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)  # A4 in points
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), (0, 102, 204)).save(out, format="PNG")
    return out.getvalue()


# A real one-page A4 PDF and a real 2×2 PNG.
PDF_BYTES = _pdf()
PNG_BYTES = _png()

# Refused: what the issue uploaded (a PDF header, then HTML), a PDF with no page, a PDF that needs
# a password to open, and a PNG header followed by nothing an image decoder can read.
HTML_AS_PDF = b"%PDF-1.4<html><script>alert(1)</script></html>"
PDF_WITHOUT_PAGES = _pdf(pages=0)
PDF_WITH_PASSWORD = _pdf(password="himitsu")
BROKEN_PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


def pdf_of_size(size: int) -> bytes:
    """A valid PDF of exactly `size` bytes (padding after %%EOF, which readers ignore)."""
    assert size >= len(PDF_BYTES)
    return PDF_BYTES + b"\n" * (size - len(PDF_BYTES))


def pdf_bytes(tag: str) -> bytes:
    """A PDF the upload checks accept, whose content (and so SHA-256) differs with `tag`: two
    suppliers' quotations are two different files."""
    return PDF_BYTES + f"% {tag}\n".encode()
