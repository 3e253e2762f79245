#!/usr/bin/env bash
# Development only: Django's development server (debug pages, auto-reload) with a task worker and
# the demo data. Trying the site out is scripts/run.sh (`make run`), which serves like production.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-${PORT:-8000}}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-dxgrant.config.settings.dev}"
export DXGRANT_SITE_URL="${DXGRANT_SITE_URL:-http://127.0.0.1:${PORT}}"
mkdir -p "${DXGRANT_VAR_DIR:-var}"
DX=".venv/bin/python manage.py"
$DX migrate --noinput -v0
# The demo's own self-signed certificate for signing notices (var/), made once.
$DX signing-cert
$DX seed-demo
$DX schedule_reminders  # the daily reminder run on the worker (idempotent)
$DX db_worker --interval 1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
$DX runserver "127.0.0.1:${PORT}"
