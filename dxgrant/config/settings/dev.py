"""Local development: what `make run` uses. Demo data allowed, mail printed to the console."""

from .base import *  # noqa: F403
from .base import (
    DXGRANT_AUDIT_KEY,
    DXGRANT_MFA_ENCRYPTION_KEYS,
    INSTALLED_APPS,
    SECRET_KEY,
    demo_transfer_settings,
    env_bool,
)

DEBUG = env_bool("DXGRANT_DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production-0123456789"
# A published key: authenticator secrets on a development machine are not protected by it.
DXGRANT_MFA_ENCRYPTION_KEYS = DXGRANT_MFA_ENCRYPTION_KEYS or ["_SMpFJ-YHKvj_XAGxhh5hzMi95-BJJy-fmlVhqpFKYo="]
DXGRANT_AUDIT_KEY = DXGRANT_AUDIT_KEY or "dev-only-audit-key-do-not-use-in-production-0123456789"
DXGRANT_DEMO_ENABLED = True
# Demo data lives in its own app, installed only where demo data is enabled.
INSTALLED_APPS = [*INSTALLED_APPS, "dxgrant.demo"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The demo operator account for 全銀 transfer files where the environment gives none.
globals().update(demo_transfer_settings())
