"""Production: everything from the environment, secure by default, no demo data."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    DXGRANT_AUDIT_KEY,
    DXGRANT_MFA_ENCRYPTION_KEYS,
    MIDDLEWARE,
    SECRET_KEY,
    TRANSFER_SETTING_NAMES,
    env_bool,
    env_list,
)

if not SECRET_KEY:
    raise ImproperlyConfigured("DXGRANT_SECRET_KEY must be set in production.")
if not DXGRANT_MFA_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "DXGRANT_MFA_ENCRYPTION_KEYS must be set in production (a Fernet key; see docs/operations.md)."
    )
if len(DXGRANT_AUDIT_KEY) < 32:
    raise ImproperlyConfigured(
        "DXGRANT_AUDIT_KEY (at least 32 characters, kept outside the database) must be set in production."
    )
_missing_transfer = [name for name in TRANSFER_SETTING_NAMES if not globals()[name]]
if _missing_transfer:
    raise ImproperlyConfigured(
        "The association's transfer account must be set in production (全銀 files): "
        + ", ".join(_missing_transfer)
    )
DEBUG = False
DXGRANT_DEMO_ENABLED = False
CSRF_TRUSTED_ORIGINS = env_list("DXGRANT_CSRF_TRUSTED_ORIGINS")
SECURE_SSL_REDIRECT = env_bool("DXGRANT_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_list("DXGRANT_EMAIL_HOST", "localhost")[0]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "dxgrant_cache",
    }
}

# Static files are served by the app itself (whitenoise), right after the security middleware.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
