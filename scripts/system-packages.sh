#!/usr/bin/env bash
# Installs the Debian packages dxgrant needs (Japanese font for PDFs, PostgreSQL for the
# test suite, Chromium for end-to-end tests, poppler for reading PDFs back).
# Idempotent: does nothing when everything is present. Needs root (or sudo) the first time.
set -euo pipefail
PACKAGES=(fonts-ipaexfont postgresql-15 chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 gettext)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
