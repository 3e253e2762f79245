#!/usr/bin/env bash
# Serves dxgrant for trying it out, the way production serves it: DEBUG off, static files through
# WhiteNoise (collectstatic), gunicorn with its workers and the task worker beside it, with the
# programme and demo data. Development (debug pages, auto-reload) is scripts/dev.sh (`make dev`).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-${PORT:-8000}}"
export DJANGO_SETTINGS_MODULE=dxgrant.config.settings.run
# Links in emails (invitations, notices) point at this server, whatever the port.
export DXGRANT_SITE_URL="${DXGRANT_SITE_URL:-http://127.0.0.1:${PORT}}"
VAR="${DXGRANT_VAR_DIR:-var}"
mkdir -p "$VAR"
# Keys of this machine's own, kept in var/ so that sessions, enrolled authenticators (their secrets
# are encrypted with the second key) and the audit chain (keyed with the third) survive a restart.
if [ -z "${DXGRANT_SECRET_KEY:-}" ]; then
  [ -s "$VAR/secret-key" ] || (umask 077; head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$VAR/secret-key")
  DXGRANT_SECRET_KEY="$(cat "$VAR/secret-key")"
  export DXGRANT_SECRET_KEY
fi
if [ -z "${DXGRANT_MFA_ENCRYPTION_KEYS:-}" ]; then
  [ -s "$VAR/mfa-key" ] || (umask 077; .venv/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > "$VAR/mfa-key")
  DXGRANT_MFA_ENCRYPTION_KEYS="$(cat "$VAR/mfa-key")"
  export DXGRANT_MFA_ENCRYPTION_KEYS
fi
if [ -z "${DXGRANT_AUDIT_KEY:-}" ]; then
  [ -s "$VAR/audit-key" ] || (umask 077; head -c 48 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$VAR/audit-key")
  DXGRANT_AUDIT_KEY="$(cat "$VAR/audit-key")"
  export DXGRANT_AUDIT_KEY
fi
BIN=.venv/bin
DX="$BIN/python manage.py"
$DX migrate --noinput -v0
$DX createcachetable
$DX collectstatic --noinput -v0
# The demo's own self-signed certificate for signing notices (var/), made once.
$DX signing-cert
$DX seed-demo
# The daily reminder run on the worker's schedule (08:00 Asia/Tokyo): today's now if today has
# not run, else the next morning's; idempotent, so every start may call it (docs/operations.md).
$DX schedule_reminders
echo
echo "Sign in at http://127.0.0.1:${PORT}/accounts/login/"
echo "Advisor, staff, finance, reviewer and auditor accounts ask for a one-time code: run"
echo "  .venv/bin/dxgrant demo-otp <email>"
echo
$DX db_worker --interval 1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
# exec would lose the trap (and leave the worker behind): gunicorn runs as a child instead.
"$BIN/gunicorn" dxgrant.config.wsgi:application \
  --bind "127.0.0.1:${PORT}" \
  --workers "${DXGRANT_WEB_WORKERS:-2}" \
  --threads 4 \
  --access-logfile - \
  --graceful-timeout 5 &
web=$!
trap 'kill "$web" "$worker" 2>/dev/null || true' EXIT INT TERM
wait "$web"
