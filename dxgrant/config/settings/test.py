"""Test settings: fast hashing, mail kept in memory, tasks run immediately."""

from .base import *  # noqa: F403
from .base import DXGRANT_MFA_ENCRYPTION_KEYS, INSTALLED_APPS, SECRET_KEY, demo_transfer_settings

SECRET_KEY = SECRET_KEY or "test-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz"
DXGRANT_MFA_ENCRYPTION_KEYS = DXGRANT_MFA_ENCRYPTION_KEYS or ["LBQXtUafTDHaULEvpyD5GyXCtvw_PiKlPN7rVZJ3RTc="]
DXGRANT_AUDIT_KEY = "test-only-audit-key-0123456789-abcdefghijklmnopqrstuvwxyz"
# No checkpoint file unless a test names one (tests/integrity).
DXGRANT_AUDIT_CHECKPOINT_FILE = ""
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DXGRANT_DEMO_ENABLED = True
# Demo data lives in its own app, installed only where demo data is enabled.
INSTALLED_APPS = [*INSTALLED_APPS, "dxgrant.demo"]
ACCOUNT_RATE_LIMITS = False  # type: ignore[assignment]
# The live server answers each request in its own thread; persistent connections would outlive
# them and keep the test database busy at teardown.
DATABASES["default"]["CONN_MAX_AGE"] = 0
# The demo operator account for 全銀 transfer files where the environment gives none.
globals().update(demo_transfer_settings())
