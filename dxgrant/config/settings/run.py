"""What `make run` uses: served the way production serves (DEBUG off, static files through
WhiteNoise from `collectstatic`, gunicorn with workers, the task worker beside it), on this
machine over plain HTTP, with the demo round and demo accounts. A visitor meets the site's own
error pages, never Django's debug page. Development with the debug page and auto-reload is
`make dev` (settings.dev)."""

from .base import *  # noqa: F403
from .base import (
    DXGRANT_AUDIT_KEY,
    DXGRANT_MFA_ENCRYPTION_KEYS,
    INSTALLED_APPS,
    MIDDLEWARE,
    SECRET_KEY,
    demo_transfer_settings,
)

DEBUG = False
# scripts/run.sh keeps this machine's own keys in var/ so that sessions, authenticators and the
# audit chain survive a restart; these fallbacks are for a bare import only.
SECRET_KEY = SECRET_KEY or "run-only-insecure-key-set-DXGRANT_SECRET_KEY-0123456789abcdef"
DXGRANT_MFA_ENCRYPTION_KEYS = DXGRANT_MFA_ENCRYPTION_KEYS or ["_SMpFJ-YHKvj_XAGxhh5hzMi95-BJJy-fmlVhqpFKYo="]
DXGRANT_AUDIT_KEY = DXGRANT_AUDIT_KEY or "run-only-audit-key-set-DXGRANT_AUDIT_KEY-0123456789abcdef"
DXGRANT_DEMO_ENABLED = True
# Demo data lives in its own app, installed only where demo data is enabled.
INSTALLED_APPS = [*INSTALLED_APPS, "dxgrant.demo"]
# Static files are served by the app itself (whitenoise), right after the security middleware, from
# the hashed, compressed copies `collectstatic` made (base STORAGES).
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
# Several gunicorn workers: sessions and one-time-code memories must be shared between them.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "dxgrant_cache",
    }
}
# The demo operator account for 全銀 transfer files where the environment gives none.
globals().update(demo_transfer_settings())
