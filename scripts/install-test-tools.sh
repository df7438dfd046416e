#!/usr/bin/env bash
# Installs the Debian packages the test suite drives: Chromium for the dashboard browser test
# (eks-analytics/test/dashboard.browser.test.ts) and yamllint for the infrastructure checks
# (lambda-order-processor/test/infrastructure). Idempotent: a tool already on the machine is kept.
# Needs root (or sudo) and apt-get only when something is missing. Called from .ci/run.
set -euo pipefail

# binary path -> Debian package
declare -A TOOLS=([/usr/bin/chromium]=chromium [/usr/bin/yamllint]=yamllint)

missing=()
for binary in "${!TOOLS[@]}"; do
  if [ -x "$binary" ]; then
    echo "install-test-tools: $binary already present"
  else
    missing+=("${TOOLS[$binary]}")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-tools: ERROR: missing ${missing[*]} and apt-get is not available; install them manually" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install-test-tools: ERROR: need root (or sudo) to apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-test-tools: installing ${missing[*]} with apt-get"
$SUDO apt-get update || { echo "install-test-tools: ERROR: apt-get update failed" >&2; exit 1; }
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
  || { echo "install-test-tools: ERROR: apt-get install ${missing[*]} failed" >&2; exit 1; }

for binary in "${!TOOLS[@]}"; do
  [ -x "$binary" ] || { echo "install-test-tools: ERROR: $binary still missing after installing ${TOOLS[$binary]}" >&2; exit 1; }
done
echo "install-test-tools: done"
