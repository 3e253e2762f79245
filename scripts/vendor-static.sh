#!/usr/bin/env bash
# Refreshes the vendored front-end assets from the npm registry. Running and testing dxgrant
# need no Node: the files this writes are committed. Run it by hand to upgrade, then commit.
set -euo pipefail
cd "$(dirname "$0")/.."
TOKENS_VERSION="${TOKENS_VERSION:-1.1.9}"
HTMX_VERSION="${HTMX_VERSION:-2.0.11}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@digital-go-jp/design-tokens@$TOKENS_VERSION" "htmx.org@$HTMX_VERSION" >/dev/null)
mkdir -p "$work/t" "$work/h" dxgrant/static/vendor
tar xzf "$work"/digital-go-jp-design-tokens-*.tgz -C "$work/t"
tar xzf "$work"/htmx.org-*.tgz -C "$work/h"
cp "$work/t/package/dist/tokens.css" dxgrant/static/vendor/digital-go-jp-tokens.css
cp "$work/t/package/LICENSE" dxgrant/static/vendor/digital-go-jp-tokens.LICENSE
cp "$work/h/package/dist/htmx.min.js" dxgrant/static/vendor/htmx.min.js
cp "$work/h/package/LICENSE" dxgrant/static/vendor/htmx.LICENSE
echo "Vendored @digital-go-jp/design-tokens $TOKENS_VERSION and htmx.org $HTMX_VERSION."
