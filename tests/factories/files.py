"""The smallest files the upload checks accept for their type (they read the content, not the
name): a PDF and a PNG."""

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000") + b"\x00" * 40


def pdf_bytes(tag: str) -> bytes:
    """A PDF the upload checks accept, whose content (and so SHA-256) differs with `tag`: two
    suppliers' quotations are two different files."""
    return PDF_BYTES + f"% {tag}\n".encode()
