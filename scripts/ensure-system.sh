#!/usr/bin/env bash
# Installs the system packages Gloss's tests need when they are missing: Chromium and Firefox ESR
# (the end-to-end tests drive them), openssl (the TLS test makes a self-signed certificate) and iproute2
# (test/e2e/network-online.test.ts gives Chromium a network link of its own to take down), Xvfb and xdotool
# (test/e2e/shortcuts.test.ts shows the browsers on a virtual display and presses their keyboard shortcuts there).
# Only Debian's packages are used; nothing is downloaded from elsewhere.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v Xvfb >/dev/null 2>&1 || missing+=(xvfb)
command -v xdotool >/dev/null 2>&1 || missing+=(xdotool)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${missing[*]} (run as root, or: sudo apt-get install -y ${missing[*]})" >&2
  exit 1
fi
echo "== apt-get install ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
