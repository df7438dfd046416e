#!/usr/bin/env bash
# Installs Debian's Chromium for the dashboard browser test (eks-analytics/test/dashboard.browser.test.ts).
# Idempotent: does nothing when /usr/bin/chromium already exists. Needs root (or sudo) and apt-get.
# Usage: scripts/install-chromium.sh   (called from .ci/run before the test suite)
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  echo "install-chromium: $CHROMIUM already present ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-chromium: ERROR: $CHROMIUM is missing and apt-get is not available; install Chromium manually" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-chromium: ERROR: need root (or sudo) to apt-get install chromium" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-chromium: installing chromium with apt-get"
if ! $SUDO apt-get update; then
  echo "install-chromium: ERROR: apt-get update failed" >&2
  exit 1
fi
if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; then
  echo "install-chromium: ERROR: apt-get install chromium failed" >&2
  exit 1
fi

if [ ! -x "$CHROMIUM" ]; then
  echo "install-chromium: ERROR: chromium package installed but $CHROMIUM does not exist" >&2
  exit 1
fi
echo "install-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
