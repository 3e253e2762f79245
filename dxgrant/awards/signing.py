"""Signing notices (PAdES, with pyHanko) with the operator's certificate, and making a
self-signed one for the demo and development.

Production reads the certificate and its key from files named in settings
(`DXGRANT_SIGNING_CERT`, `DXGRANT_SIGNING_KEY`, optional `DXGRANT_SIGNING_KEY_PASSPHRASE` and
`DXGRANT_SIGNING_CHAIN`, the intermediate certificates). `make run` and `make dev` create a
self-signed pair in var/ when there is none (`dxgrant signing-cert`). No database here.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

FIELD_NAME = "DXGrantNoticeSignature"


class SigningNotConfigured(RuntimeError):
    def __init__(self, missing: str) -> None:
        super().__init__(
            f"通知書に署名する証明書または鍵が見つかりません（{missing}）。"
            "DXGRANT_SIGNING_CERT と DXGRANT_SIGNING_KEY を設定してください "
            f"(signing certificate or key not found: {missing}; set DXGRANT_SIGNING_CERT and "
            "DXGRANT_SIGNING_KEY, or run `dxgrant signing-cert` for a self-signed one)."
        )


@lru_cache(maxsize=4)
def _signer(cert: str, key: str, passphrase: str, chain: str) -> signers.SimpleSigner:
    for path in (cert, key, *([chain] if chain else [])):
        if not Path(path).is_file():
            raise SigningNotConfigured(path)
    signer = signers.SimpleSigner.load(  # type: ignore[no-untyped-call]
        key,
        cert,
        ca_chain_files=(chain,) if chain else None,
        key_passphrase=passphrase.encode() if passphrase else None,
    )
    if signer is None:
        raise SigningNotConfigured(f"{cert}, {key}")
    return signer  # type: ignore[no-any-return]


def operator_signer() -> signers.SimpleSigner:
    return _signer(
        str(settings.DXGRANT_SIGNING_CERT),
        str(settings.DXGRANT_SIGNING_KEY),
        settings.DXGRANT_SIGNING_KEY_PASSPHRASE or "",
        str(settings.DXGRANT_SIGNING_CHAIN or ""),
    )


def sign_pdf(pdf: bytes, *, reason: str = "", location: str = "") -> bytes:
    """The PDF with a PAdES (baseline B-B) signature of the operator appended."""
    signer = operator_signer()
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
    )
    out = signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), meta, signer=signer)
    return out.getvalue()  # type: ignore[no-any-return]


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "dxgrant"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_certificate(
    common_name: str,
    *,
    issuer: tuple[x509.Certificate, rsa.RSAPrivateKey] | None = None,
    ca: bool = False,
    days: int = 3650,
) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """A certificate and its new RSA key: self-signed without `issuer`, else signed by it. A
    signing certificate allows digital signatures and non-repudiation (what PAdES validators ask)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    subject = _name(common_name)
    issuer_cert, issuer_key = issuer if issuer else (None, key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_cert.subject if issuer_cert else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca or issuer is None, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca or issuer is None,
                crl_sign=ca or issuer is None,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
    )
    return builder.sign(issuer_key, hashes.SHA256()), key


def write_pem(cert: x509.Certificate, key: rsa.RSAPrivateKey, cert_path: Path, key_path: Path) -> None:
    cert_path.parent.mkdir(parents=True, exist_ok=True)
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )


def ensure_self_signed(cert_path: Path, key_path: Path) -> bool:
    """Create a self-signed signing certificate and key at the paths unless both exist; True
    when created (the demo's and development's operator certificate)."""
    if cert_path.is_file() and key_path.is_file():
        return False
    cert, key = make_certificate("dxgrant demo notice signing (self-signed)")
    write_pem(cert, key, cert_path, key_path)
    return True
