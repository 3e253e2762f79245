"""Settings shared by every environment. Values that differ between machines come from the
environment (``DXGRANT_*`` variables), never from edits to this file."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[3]
PACKAGE_DIR = BASE_DIR / "dxgrant"
VAR_DIR = Path(os.environ.get("DXGRANT_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DXGRANT_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("DXGRANT_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    # The Django admin with the site's own sign-in and every change audited (accounts/admin_site.py).
    "dxgrant.accounts.admin_config.AuditedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_tasks",
    "django_tasks_db",
    # django-ninja's own static files: the API docs load Swagger UI from the site, not a CDN.
    "ninja",
    "dxgrant.core",
    "dxgrant.integrity",
    "dxgrant.accounts",
    "dxgrant.programs",
    "dxgrant.public",
    "dxgrant.advisors",
    "dxgrant.support",
    "dxgrant.applications",
    "dxgrant.review",
    "dxgrant.decisions",
    "dxgrant.awards",
    "dxgrant.reporting",
    "dxgrant.exports",
    "dxgrant.surveys",
    "dxgrant.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dxgrant.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Outermost of ours: whatever is answered to a signed-in person is `private, no-store`.
    "dxgrant.accounts.middleware.PrivateCacheMiddleware",
    # Oversized requests are refused by their declared length, before the body is read.
    "dxgrant.api.middleware.ApiRequestLimitMiddleware",
    "dxgrant.core.uploads.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "dxgrant.accounts.middleware.RequireMFAMiddleware",
    "dxgrant.accounts.middleware.BackOfficeSessionMiddleware",
    "dxgrant.integrity.middleware.RequestContextMiddleware",
    # Axes must be last: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dxgrant.config.urls"
WSGI_APPLICATION = "dxgrant.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dxgrant.public.context_processors.site",
            ],
        },
    },
]

# SQLite is the embedded default; PostgreSQL is used whenever DXGRANT_DATABASE_URL says so.
_default_sqlite = f"sqlite:///{VAR_DIR / 'dxgrant.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DXGRANT_DATABASE_URL", _default_sqlite), conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so two writers never read the same
    # audit-chain head; WAL lets readers carry on while one writer works.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# django-allauth: email is the login; no usernames.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "dxgrant.accounts.adapter.AccountAdapter"
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
LOGIN_REDIRECT_URL = "accounts:home"
LOGIN_URL = "account_login"
MFA_ADAPTER = "dxgrant.accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "dxgrant"
# Keys that encrypt authenticator secrets at rest (Fernet keys; the first encrypts, all decrypt).
# Kept outside the database: required in production, fixed development keys elsewhere.
DXGRANT_MFA_ENCRYPTION_KEYS = env_list("DXGRANT_MFA_ENCRYPTION_KEYS")

# django-axes: lock an account from one address (the pair) after repeated failures; a success
# clears that pair's failures. The account is read the way the sign-in form and allauth name it.
AXES_FAILURE_LIMIT = int(os.environ.get("DXGRANT_AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "dxgrant.accounts.lockout.username_of"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# One address's failed sign-ins over every account, within the cool-off hour, before it is
# refused for a while: separate from the per-account lock, and more generous.
DXGRANT_LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("DXGRANT_LOGIN_FAILURES_PER_ADDRESS", "20"))

# Back-office sessions (secretariat, finance, reviewers, auditors): they end this long after
# signing in, and after this long without a request, whatever "stay signed in" says.
DXGRANT_STAFF_SESSION_HOURS = int(os.environ.get("DXGRANT_STAFF_SESSION_HOURS", "10"))
DXGRANT_STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("DXGRANT_STAFF_SESSION_IDLE_MINUTES", "30"))

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    # Files are private: no MEDIA_URL is served; downloads go through views that check access.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = os.environ.get("DXGRANT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DXGRANT_FROM_EMAIL", "dxgrant <no-reply@dxgrant.example>")

# Inquiries accepted from one IP address per rolling hour.
DXGRANT_INQUIRY_LIMIT_PER_HOUR = int(os.environ.get("DXGRANT_INQUIRY_LIMIT_PER_HOUR", "5"))
# The demo round and demo accounts exist only where this is on (never in production).
DXGRANT_DEMO_ENABLED = False
# Absolute address of the site, for links in emails.
DXGRANT_SITE_URL = os.environ.get("DXGRANT_SITE_URL", "http://127.0.0.1:8000")
DXGRANT_PROGRAMME_FILE = PACKAGE_DIR / "programs" / "definitions" / "dx-management.toml"
# The audit chain is keyed with a secret kept outside the database, and its head is checkpointed
# to a file outside it, every N entries and on a timer (integrity/; docs/operations.md).
DXGRANT_AUDIT_KEY = os.environ.get("DXGRANT_AUDIT_KEY", "")
DXGRANT_AUDIT_CHECKPOINT_FILE = os.environ.get(
    "DXGRANT_AUDIT_CHECKPOINT_FILE", str(VAR_DIR / "audit-checkpoints.jsonl")
)
DXGRANT_AUDIT_CHECKPOINT_EVERY = int(os.environ.get("DXGRANT_AUDIT_CHECKPOINT_EVERY", "100"))

# The association's own account: the operator (依頼人) of every 全銀 transfer file
# (awards/zengin.py). Required in production; development, `make run` and tests fill the demo values
# below where the environment gives none.
DXGRANT_TRANSFER_REQUESTER_CODE = os.environ.get(
    "DXGRANT_TRANSFER_REQUESTER_CODE", ""
)  # 依頼人コード, 10 digits
DXGRANT_TRANSFER_REQUESTER_NAME = os.environ.get("DXGRANT_TRANSFER_REQUESTER_NAME", "")  # 依頼人名, 全銀 kana
DXGRANT_TRANSFER_BANK_CODE = os.environ.get("DXGRANT_TRANSFER_BANK_CODE", "")  # 4 digits
DXGRANT_TRANSFER_BANK_NAME = os.environ.get("DXGRANT_TRANSFER_BANK_NAME", "")  # 全銀 kana
DXGRANT_TRANSFER_BRANCH_CODE = os.environ.get("DXGRANT_TRANSFER_BRANCH_CODE", "")  # 3 digits
DXGRANT_TRANSFER_BRANCH_NAME = os.environ.get("DXGRANT_TRANSFER_BRANCH_NAME", "")  # 全銀 kana
DXGRANT_TRANSFER_ACCOUNT_TYPE = os.environ.get(
    "DXGRANT_TRANSFER_ACCOUNT_TYPE", ""
)  # 1 普通, 2 当座, 9 その他
DXGRANT_TRANSFER_ACCOUNT_NUMBER = os.environ.get("DXGRANT_TRANSFER_ACCOUNT_NUMBER", "")  # 7 digits
TRANSFER_SETTING_NAMES = (
    "DXGRANT_TRANSFER_REQUESTER_CODE",
    "DXGRANT_TRANSFER_REQUESTER_NAME",
    "DXGRANT_TRANSFER_BANK_CODE",
    "DXGRANT_TRANSFER_BANK_NAME",
    "DXGRANT_TRANSFER_BRANCH_CODE",
    "DXGRANT_TRANSFER_BRANCH_NAME",
    "DXGRANT_TRANSFER_ACCOUNT_TYPE",
    "DXGRANT_TRANSFER_ACCOUNT_NUMBER",
)
DEMO_TRANSFER_SETTINGS = {
    "DXGRANT_TRANSFER_REQUESTER_CODE": "1234567890",
    "DXGRANT_TRANSFER_REQUESTER_NAME": "ｼﾔ)DXｽｲｼﾝｷﾖｳｶｲ",
    "DXGRANT_TRANSFER_BANK_CODE": "0001",
    "DXGRANT_TRANSFER_BANK_NAME": "ﾐｽﾞﾎ",
    "DXGRANT_TRANSFER_BRANCH_CODE": "001",
    "DXGRANT_TRANSFER_BRANCH_NAME": "ﾄｳｷﾖｳｴｲｷﾞﾖｳﾌﾞ",
    "DXGRANT_TRANSFER_ACCOUNT_TYPE": "1",
    "DXGRANT_TRANSFER_ACCOUNT_NUMBER": "1234567",
}


def demo_transfer_settings() -> dict[str, str]:
    """The demo operator account, for each transfer setting the environment leaves empty."""
    return {name: value for name, value in DEMO_TRANSFER_SETTINGS.items() if not os.environ.get(name)}


# Uploads: a request declaring more than this is refused before its body is read
# (core/uploads.RequestSizeLimitMiddleware). The largest file a round allows (`max_upload_mb`,
# 10 MB in the programme file) plus the form around it must fit.
DXGRANT_MAX_REQUEST_MB = int(os.environ.get("DXGRANT_MAX_REQUEST_MB", "11"))
# Form fields other than files (more is a 400); files above the second size are spooled to a
# temporary file rather than held in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 5
# The JSON API (api/limits.py): the largest body accepted, and requests per client address per
# minute on the public endpoints.
DXGRANT_API_MAX_BODY_BYTES = int(os.environ.get("DXGRANT_API_MAX_BODY_BYTES", str(16 * 1024)))
DXGRANT_API_RATE_PER_MINUTE = int(os.environ.get("DXGRANT_API_RATE_PER_MINUTE", "60"))

# Content Security Policy (django-csp): scripts, styles, fonts and images from this site only; no
# inline script or style, no eval, no plugins, no framing. Pages ask for behaviours with data
# attributes that static/dxgrant/site.js supplies. QR codes (the authenticator enrolment) are
# data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Notices are signed (PAdES) with the operator's certificate and key (awards/signing.py): PEM files,
# the key optionally protected by a passphrase, with the intermediate certificates in a chain file.
# `make run` and `make dev` create a self-signed pair at the default paths (`dxgrant signing-cert`).
DXGRANT_SIGNING_CERT = os.environ.get("DXGRANT_SIGNING_CERT", str(VAR_DIR / "signing-cert.pem"))
DXGRANT_SIGNING_KEY = os.environ.get("DXGRANT_SIGNING_KEY", str(VAR_DIR / "signing-key.pem"))
DXGRANT_SIGNING_KEY_PASSPHRASE = os.environ.get("DXGRANT_SIGNING_KEY_PASSPHRASE", "")
DXGRANT_SIGNING_CHAIN = os.environ.get("DXGRANT_SIGNING_CHAIN", "")
# The largest notice PDF the verification page and POST /api/v1/notices/verify accept.
DXGRANT_NOTICE_VERIFY_MAX_BYTES = int(os.environ.get("DXGRANT_NOTICE_VERIFY_MAX_BYTES", str(5 * 1024 * 1024)))
# Notice look-ups (the verification page and the notices API together) per client address per
# minute (awards/limits.py).
DXGRANT_NOTICE_LOOKUPS_PER_MINUTE = int(os.environ.get("DXGRANT_NOTICE_LOOKUPS_PER_MINUTE", "30"))
# The dashboard shows figures counted at most this many seconds ago; older ones are recounted by
# the task worker while the page shows them with the time they were counted (reporting/services/figures.py).
DXGRANT_DASHBOARD_MAX_AGE_SECONDS = int(os.environ.get("DXGRANT_DASHBOARD_MAX_AGE_SECONDS", "300"))

# List exports (dxgrant/exports): up to this many rows stream straight back; more run on the
# task worker with a progress page. Finished files are deleted after DXGRANT_EXPORT_KEEP_DAYS
# (`prune_exports`).
DXGRANT_EXPORT_STREAM_MAX_ROWS = int(os.environ.get("DXGRANT_EXPORT_STREAM_MAX_ROWS", "5000"))
DXGRANT_EXPORT_KEEP_DAYS = int(os.environ.get("DXGRANT_EXPORT_KEEP_DAYS", "7"))
