#!/usr/bin/env bash
# Serves dxgrant for trying it out: migrations, programme and demo data, a task worker, the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-${PORT:-8000}}"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-dxgrant.config.settings.dev}"
# Links in emails (invitations, notices) point at this server, whatever the port.
export DXGRANT_SITE_URL="${DXGRANT_SITE_URL:-http://127.0.0.1:${PORT}}"
DX=.venv/bin/dxgrant
mkdir -p var
$DX migrate --noinput -v0
$DX seed-demo
echo
echo "Sign in at http://127.0.0.1:${PORT}/accounts/login/"
echo "Staff, finance, reviewer and auditor accounts ask for a one-time code: run"
echo "  .venv/bin/dxgrant demo-otp <email>"
echo
$DX db_worker --interval 1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
$DX runserver "127.0.0.1:${PORT}"
