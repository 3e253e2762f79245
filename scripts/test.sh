#!/usr/bin/env bash
# The whole check: lint, types, Django checks, then the test suite on SQLite and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
mode="${1:-all}"
export DJANGO_SETTINGS_MODULE=dxgrant.config.settings.test
export HYPOTHESIS_STORAGE_DIRECTORY="${TMPDIR:-/tmp}/dxgrant-hypothesis"
step() { printf '\n== %s\n' "$*"; }

if [ "$mode" = all ] || [ "$mode" = --lint-only ]; then
  step "ruff (lint and format)"
  $BIN/ruff check --no-cache dxgrant tests bench
  $BIN/ruff format --no-cache --check dxgrant tests bench
  step "mypy"
  $BIN/mypy dxgrant
  step "djlint (templates)"
  $BIN/djlint dxgrant/templates --lint --quiet
  step "Django checks"
  $BIN/dxgrant check --fail-level WARNING
  # Its history check opens the database: a throwaway one, so a fresh clone (no var/) is quiet.
  DXGRANT_DATABASE_URL="sqlite:///${TMPDIR:-/tmp}/dxgrant-migrations-check.sqlite3" \
    $BIN/dxgrant makemigrations --check --dry-run
  DXGRANT_SECRET_KEY="check-deploy-$(head -c 32 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')" \
    DXGRANT_MFA_ENCRYPTION_KEYS="$($BIN/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    DXGRANT_AUDIT_KEY="check-deploy-$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')" \
    DXGRANT_TRANSFER_REQUESTER_CODE=1234567890 DXGRANT_TRANSFER_REQUESTER_NAME=CHECK DXGRANT_TRANSFER_BANK_CODE=0001 \
    DXGRANT_TRANSFER_BANK_NAME=CHECK DXGRANT_TRANSFER_BRANCH_CODE=001 DXGRANT_TRANSFER_BRANCH_NAME=CHECK \
    DXGRANT_TRANSFER_ACCOUNT_TYPE=1 DXGRANT_TRANSFER_ACCOUNT_NUMBER=1234567 \
    DJANGO_SETTINGS_MODULE=dxgrant.config.settings.production \
    $BIN/dxgrant check --deploy --fail-level WARNING
fi
[ "$mode" = --lint-only ] && exit 0

if [ "$mode" = all ] || [ "$mode" = --sqlite-only ]; then
  # The browser tests run once, in the PostgreSQL pass: the production database, with the live
  # server answering requests in parallel threads (on SQLite they share one connection and queue).
  step "pytest on SQLite (browser tests: in the PostgreSQL pass)"
  $BIN/pytest -q -n 2 -m "not e2e"
fi
if [ "$mode" = all ] || [ "$mode" = --postgres-only ]; then
  step "pytest on PostgreSQL"
  bash scripts/with-postgres.sh $BIN/pytest -q -n 2
fi
