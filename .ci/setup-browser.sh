#!/usr/bin/env bash
# Install Debian's Chromium for the dashboard's browser tests (tests/test_dashboard*.py), once.
# Idempotent: does nothing when /usr/bin/chromium is already there. No browser is downloaded
# by Playwright itself (`playwright install` is never run); the tests launch /usr/bin/chromium.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
